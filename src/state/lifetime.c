// SPDX-License-Identifier: GPL-2.0
/*
 * SA lifetimes: the soft and hard limits of struct xfrm_lifetime_cfg on add
 * time, use time, bytes and packets, applied as the stock kernel applies
 * them. A soft limit raises one EXPIRE (hard 0) so that the key manager
 * rekeys; a hard limit raises EXPIRE (hard 1) and deletes the SA.
 *
 * Time limits are watched by the state's timer: first one second after the
 * state is linked, then whenever the nearest limit falls due. Byte and
 * packet limits are checked by the packet path, which only marks the state
 * and kicks the timer: the EXPIRE messages are always built here, in the
 * timer, never under x->lock and never per packet.
 */

#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <oxfrm/netlink.h>
#include <oxfrm/state.h>

/* As the stock kernel computes it: unsigned sums, read back signed. */
static long oxfrm_lifetime_left(u64 limit, u64 since, time64_t now)
{
	return (long)(limit + since - (u64)now);
}

/*
 * Evaluates the time limits of @x at @now, under x->lock. Returns the limit
 * that passed, and in *next the seconds until the nearest one still ahead
 * (0: none).
 *
 * A quirk kept from the stock kernel: should the hard add limit pass while
 * a soft add limit is still pending (the add time was set back through
 * XFRMA_LTIME_VAL, or the clock jumped), the soft limit fires first and the
 * hard one is moved back by the margin the soft one had.
 */
enum oxfrm_lifetime_event oxfrm_lifetime_time(struct oxfrm_state *x,
					      time64_t now, time64_t *next)
{
	u64 used = READ_ONCE(x->curlft.use_time) ? : (u64)now;
	long soonest = LONG_MAX, tmo;
	bool soft = false;

	if (x->lft.hard_add_expires_seconds) {
		tmo = oxfrm_lifetime_left(x->lft.hard_add_expires_seconds,
					  x->curlft.add_time, now);
		if (tmo <= 0) {
			if (!x->soft_add_pending)
				return OXFRM_LFT_HARD;
			x->curlft.add_time = now - x->saved_tmo - 1;
			tmo = x->lft.hard_add_expires_seconds - x->saved_tmo;
		}
		soonest = min(soonest, tmo);
	}
	if (x->lft.hard_use_expires_seconds) {
		tmo = oxfrm_lifetime_left(x->lft.hard_use_expires_seconds, used,
					  now);
		if (tmo <= 0)
			return OXFRM_LFT_HARD;
		soonest = min(soonest, tmo);
	}
	if (x->dying)
		goto out;
	if (x->lft.soft_add_expires_seconds) {
		tmo = oxfrm_lifetime_left(x->lft.soft_add_expires_seconds,
					  x->curlft.add_time, now);
		if (tmo <= 0) {
			soft = true;
			x->soft_add_pending = false;
		} else if (tmo < soonest) {
			soonest = tmo;
			x->soft_add_pending = true;
			x->saved_tmo = tmo;
		}
	}
	if (x->lft.soft_use_expires_seconds) {
		tmo = oxfrm_lifetime_left(x->lft.soft_use_expires_seconds, used,
					  now);
		if (tmo <= 0)
			soft = true;
		else
			soonest = min(soonest, tmo);
	}
	x->dying = soft;
out:
	*next = soonest == LONG_MAX ? 0 : soonest;
	return soft ? OXFRM_LFT_SOFT : OXFRM_LFT_NONE;
}
EXPORT_SYMBOL_IF_OXFRM_KUNIT(oxfrm_lifetime_time);

/*
 * The state's timer. It holds no reference: it takes one only from a live
 * state, and the GC stops it (del_timer_sync) before freeing.
 */
void oxfrm_state_timer(struct timer_list *t)
{
	struct oxfrm_state *x = from_timer(x, t, timer);
	enum oxfrm_lifetime_event ev = OXFRM_LFT_NONE;
	struct oxfrm_net *on = x->sad->on;
	time64_t next = 0;
	bool soft;

	if (!refcount_inc_not_zero(&x->refcnt))
		return;
	spin_lock(&x->lock);
	if (x->dead) {
		spin_unlock(&x->lock);
		goto out;
	}
	if (x->expired)
		ev = OXFRM_LFT_HARD;
	else
		ev = oxfrm_lifetime_time(x, ktime_get_real_seconds(), &next);
	soft = ev == OXFRM_LFT_SOFT || x->soft_notify;
	x->soft_notify = false;
	if (ev == OXFRM_LFT_HARD) {
		/* Under the lock: UPDSA and user EXPIRE see it at once. */
		x->expired = true;
	} else {
		if (next)
			mod_timer(&x->timer,
				  jiffies + oxfrm_secs_to_jiffies(next));
		/* Told under the lock: no deletion can overtake it. */
		if (soft && on)
			__oxfrm_nl_sa_expired(on, x, false, 0);
	}
	spin_unlock(&x->lock);

	if (ev == OXFRM_LFT_HARD && oxfrm_state_unlink(x) && on)
		oxfrm_nl_sa_expired(on, x, true, 0);
out:
	oxfrm_state_put(x);
}

/*
 * The packet path's check of the byte and packet limits, under x->lock,
 * after it counted a packet: -EINVAL once a hard limit is reached (the
 * packet must go, and the state goes too). Notes the first use time.
 */
int oxfrm_state_check_expire(struct oxfrm_state *x)
{
	lockdep_assert_held(&x->lock);
	if (!READ_ONCE(x->curlft.use_time))
		WRITE_ONCE(x->curlft.use_time, ktime_get_real_seconds());

	if (x->curlft.bytes >= x->lft.hard_byte_limit ||
	    x->curlft.packets >= x->lft.hard_packet_limit) {
		x->expired = true;
		mod_timer(&x->timer, jiffies);
		return -EINVAL;
	}
	if (!x->dying && (x->curlft.bytes >= x->lft.soft_byte_limit ||
			  x->curlft.packets >= x->lft.soft_packet_limit)) {
		x->dying = true;
		x->soft_notify = true;
		mod_timer(&x->timer, jiffies);
	}
	return 0;
}
EXPORT_SYMBOL_IF_OXFRM_KUNIT(oxfrm_state_check_expire);
