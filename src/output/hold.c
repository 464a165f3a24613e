// SPDX-License-Identifier: GPL-2.0
/*
 * The larval hold queue (larval_drop = 0): while the key manager is asked
 * for an SA, a policy holds up to OXFRM_HOLD_MAX of the packets that wait
 * for it, instead of dropping them, and sends them once it can. A timer
 * looks again after 100 ms, then after twice as long each time; past a
 * minute of waiting the packets go. A policy replaced by UPDPOLICY (as
 * strongSwan replaces its trap policy when the SA is in) hands its packets
 * to its successor, which looks at once; a policy deleted drops them.
 *
 * Counted: packets beyond the limit and packets whose wait ran out, in
 * XfrmOutNoStates as the larval drop counts them; packets of a deleted
 * policy in XfrmOutPolDead. The timer holds a reference to its policy.
 */

#include <linux/skbuff.h>
#include <net/dst.h>
#include <oxfrm/mib.h>
#include <oxfrm/output.h>
#include <oxfrm/policy.h>

#define OXFRM_HOLD_MAX		100		/* XFRM_MAX_QUEUE_LEN */
#define OXFRM_HOLD_TMO_MIN	(HZ / 10)
#define OXFRM_HOLD_TMO_MAX	(60 * HZ)

static void oxfrm_hold_count(struct oxfrm_policy *pol, int mib,
			     unsigned int n)
{
	struct oxfrm_net *on = pol->spd->on;

	while (n--)
		OXFRM_INC_STATS(on->net, mib);
}

/* Under the queue's lock: (re)starts the timer, which holds @pol. */
static void oxfrm_hold_arm(struct oxfrm_policy *pol, unsigned long when)
{
	if (!mod_timer(&pol->hold.timer, when))
		oxfrm_policy_hold(pol);
}

/*
 * Sends or holds again what @pol held: each packet meets the SPD anew
 * (oxfrm_output_resend()), so one whose SA is still missing comes back
 * here. Past the longest wait, what is still held goes.
 */
static void oxfrm_hold_timer(struct timer_list *t)
{
	struct oxfrm_policy *pol = from_timer(pol, t, hold.timer);
	struct oxfrm_hold *q = &pol->hold;
	struct sk_buff_head list;
	int mib = LINUX_MIB_XFRMOUTNOSTATES;
	struct sk_buff *skb;
	unsigned int n;

	__skb_queue_head_init(&list);
	spin_lock_bh(&q->skbs.lock);
	skb_queue_splice_init(&q->skbs, &list);
	q->resending = true;
	spin_unlock_bh(&q->skbs.lock);

	rcu_read_lock();
	while ((skb = __skb_dequeue(&list)))
		oxfrm_output_resend(pol->spd->on, skb);
	rcu_read_unlock();

	spin_lock_bh(&q->skbs.lock);
	q->resending = false;
	n = skb_queue_len(&q->skbs);
	if (n && !READ_ONCE(pol->linked)) {
		skb_queue_splice_init(&q->skbs, &list);
		mib = LINUX_MIB_XFRMOUTPOLDEAD;
	} else if (n && q->timeout >= OXFRM_HOLD_TMO_MAX) {
		skb_queue_splice_init(&q->skbs, &list);
	} else if (n) {
		q->timeout <<= 1;
		oxfrm_hold_arm(pol, jiffies + q->timeout);
		n = 0;
	}
	spin_unlock_bh(&q->skbs.lock);
	__skb_queue_purge(&list);
	oxfrm_hold_count(pol, mib, n);
	oxfrm_policy_put(pol);
}

void oxfrm_hold_init(struct oxfrm_policy *pol)
{
	skb_queue_head_init(&pol->hold.skbs);
	timer_setup(&pol->hold.timer, oxfrm_hold_timer, 0);
}

/*
 * Holds @skb on @pol until its SA comes, or counts it and returns false
 * when the queue is full.
 */
bool oxfrm_hold(struct oxfrm_policy *pol, struct sk_buff *skb)
{
	struct oxfrm_hold *q = &pol->hold;
	bool held = false;

	skb_dst_force(skb);
	if (!skb_dst(skb))
		goto out;
	spin_lock_bh(&q->skbs.lock);
	/* Unlinked: oxfrm_hold_kill() has been, or comes after this. */
	if (READ_ONCE(pol->linked) &&
	    skb_queue_len(&q->skbs) < OXFRM_HOLD_MAX) {
		__skb_queue_tail(&q->skbs, skb);
		/* A first packet starts the clock; resent ones keep its pace. */
		if (!q->resending && !timer_pending(&q->timer)) {
			q->timeout = OXFRM_HOLD_TMO_MIN;
			oxfrm_hold_arm(pol, jiffies + q->timeout);
		}
		held = true;
	}
	spin_unlock_bh(&q->skbs.lock);
out:
	if (!held)
		oxfrm_hold_count(pol, LINUX_MIB_XFRMOUTNOSTATES, 1);
	return held;
}

/* @pol left the SPD (under spd->lock, unlinked): what it held goes. */
void oxfrm_hold_kill(struct oxfrm_policy *pol)
{
	struct oxfrm_hold *q = &pol->hold;
	struct sk_buff_head list;
	bool put;

	__skb_queue_head_init(&list);
	spin_lock_bh(&q->skbs.lock);
	skb_queue_splice_init(&q->skbs, &list);
	put = del_timer(&q->timer);
	spin_unlock_bh(&q->skbs.lock);
	oxfrm_hold_count(pol, LINUX_MIB_XFRMOUTPOLDEAD, skb_queue_len(&list));
	__skb_queue_purge(&list);
	if (put)
		oxfrm_policy_put(pol);
}

/*
 * @pol replaced @old (under spd->lock, @pol linked, @old not): it takes the
 * packets, and looks at once.
 */
void oxfrm_hold_move(struct oxfrm_policy *old, struct oxfrm_policy *pol)
{
	struct sk_buff_head list;
	bool put;

	__skb_queue_head_init(&list);
	spin_lock_bh(&old->hold.skbs.lock);
	skb_queue_splice_init(&old->hold.skbs, &list);
	put = del_timer(&old->hold.timer);
	spin_unlock_bh(&old->hold.skbs.lock);
	if (put)
		oxfrm_policy_put(old);
	if (skb_queue_empty(&list))
		return;

	spin_lock_bh(&pol->hold.skbs.lock);
	skb_queue_splice_tail(&list, &pol->hold.skbs);
	pol->hold.timeout = OXFRM_HOLD_TMO_MIN;
	oxfrm_hold_arm(pol, jiffies);
	spin_unlock_bh(&pol->hold.skbs.lock);
}
