// SPDX-License-Identifier: GPL-2.0
/*
 * What XFRM_MSG_MIGRATE asks of the SAD: the state a migration names by
 * its old endpoints, and a copy of it to carry the new ones. The copy
 * keeps the key manager's settings, the counters and the replay state, so
 * that traffic resumes where it stopped; the request handler
 * (src/netlink/migrate.c) gives it its addresses, transform and place.
 */

#include <linux/slab.h>
#include <net/xfrm.h>
#include <oxfrm/state.h>

static bool oxfrm_migrate_state_match(const struct oxfrm_state *x,
				      const struct xfrm_migrate *m, u32 if_id)
{
	return x->mode == m->mode && x->key.proto == m->proto &&
	       (!m->reqid || x->reqid == m->reqid) &&
	       (!if_id || x->if_id == if_id) &&
	       x->family == m->old_family &&
	       xfrm_addr_equal(&x->daddr, &m->old_daddr, m->old_family) &&
	       xfrm_addr_equal(&x->saddr, &m->old_saddr, m->old_family);
}

/*
 * The newest linked state (larval ones included) with @m's old endpoints,
 * mode, protocol and reqid (0: any), and @if_id unless that is 0, with a
 * reference; or NULL. Without a reqid the whole SAD is searched: MIGRATE
 * is rare, and strongSwan always names the reqid.
 */
struct oxfrm_state *oxfrm_state_find_migrate(struct oxfrm_sad *sad,
					     const struct xfrm_migrate *m,
					     u32 if_id)
{
	struct oxfrm_state *x, *found = NULL;
	struct rhlist_head *list, *pos;
	struct oxfrm_sad_entry *e;

	spin_lock_bh(&sad->lock);
	if (m->reqid) {
		rcu_read_lock();
		list = oxfrm_state_lookup_dst(sad, &m->old_daddr, &m->old_saddr,
					      m->reqid, m->old_family);
		rhl_for_each_entry_rcu(x, pos, list, by_dst) {
			if (oxfrm_migrate_state_match(x, m, if_id)) {
				found = x;
				break;
			}
		}
		rcu_read_unlock();
	} else {
		list_for_each_entry(e, &sad->all, list) {
			if (e->marker)
				continue;
			x = container_of(e, struct oxfrm_state, all);
			if (oxfrm_migrate_state_match(x, m, if_id)) {
				found = x;
				break;
			}
		}
	}
	if (found)
		oxfrm_state_hold(found);
	spin_unlock_bh(&sad->lock);
	return found;
}

static int oxfrm_state_clone_algs(struct oxfrm_state *x,
				  const struct oxfrm_state *orig, gfp_t gfp)
{
	if (orig->aead) {
		x->aead = kmemdup(orig->aead, aead_len(orig->aead), gfp);
		if (!x->aead)
			return -ENOMEM;
	}
	if (orig->aalg) {
		x->aalg = kmemdup(orig->aalg, xfrm_alg_auth_len(orig->aalg),
				  gfp);
		if (!x->aalg)
			return -ENOMEM;
	}
	if (orig->ealg) {
		x->ealg = kmemdup(orig->ealg, xfrm_alg_len(orig->ealg), gfp);
		if (!x->ealg)
			return -ENOMEM;
	}
	x->geniv = orig->geniv;
	return 0;
}

/*
 * A copy of @orig as xfrm_state_clone() makes it: identity, selector,
 * algorithms, marks, flags, lifetimes, counters, replay state and the
 * key manager's view (larval or valid); not the transform, which depends
 * on the family and is made again, nor the statistics or a soft expiry
 * already announced. Unlinked, with the caller's reference; NULL without
 * memory.
 */
struct oxfrm_state *oxfrm_state_clone(struct oxfrm_state *orig, gfp_t gfp)
{
	struct oxfrm_state *x = oxfrm_state_alloc(orig->sad, gfp);

	if (!x)
		return NULL;
	x->key = orig->key;
	x->daddr = orig->daddr;
	x->family = orig->family;
	x->saddr = orig->saddr;
	x->sel = orig->sel;
	x->mark = orig->mark;
	x->smark = orig->smark;
	x->if_id = orig->if_id;
	x->reqid = orig->reqid;
	x->seq = orig->seq;
	x->extra_flags = orig->extra_flags;
	x->tfcpad = orig->tfcpad;
	x->mode = orig->mode;
	x->flags = orig->flags;
	x->replay_window = orig->replay_window;
	x->kstate = orig->kstate;
	x->aalgo_id = orig->aalgo_id;
	x->has_encap = orig->has_encap;
	x->encap = orig->encap;
	x->has_coaddr = orig->has_coaddr;
	x->coaddr = orig->coaddr;
	if (oxfrm_state_clone_algs(x, orig, gfp))
		goto fail;
	if (orig->replay_esn) {
		x->replay_esn = kzalloc(xfrm_replay_state_esn_len(orig->replay_esn),
					gfp);
		if (!x->replay_esn)
			goto fail;
	}

	spin_lock_bh(&orig->lock);
	x->lft = orig->lft;
	x->curlft = orig->curlft;
	x->lastused = orig->lastused;
	x->replay = orig->replay;
	if (x->replay_esn)
		memcpy(x->replay_esn, orig->replay_esn,
		       xfrm_replay_state_esn_len(orig->replay_esn));
	x->replay_maxage = orig->replay_maxage;
	x->replay_maxdiff = orig->replay_maxdiff;
	x->mapping_maxage = orig->mapping_maxage;
	spin_unlock_bh(&orig->lock);
	return x;

fail:
	oxfrm_state_put(x);
	return NULL;
}
