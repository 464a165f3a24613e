// SPDX-License-Identifier: GPL-2.0
/*
 * Which SA protects a flow that a policy's template names (the stock
 * kernel's xfrm_state_find()): among the states of the template's
 * endpoints and reqid, the valid ones whose selector covers the flow;
 * the one not yet dying, then the newest. None: the key manager is asked
 * (ACQUIRE), once, through a larval state that stands for the question
 * until the answer or acq_expires seconds.
 */

#include <net/addrconf.h>
#include <net/ip6_route.h>
#include <net/route.h>
#include <net/xfrm.h>
#include <oxfrm/netlink.h>
#include <oxfrm/output.h>
#include <oxfrm/policy.h>
#include <oxfrm/state.h>
#include <oxfrm/sysctl.h>

/* The source address a route to @daddr would use; 0 or -errno. */
static int oxfrm_output_saddr(struct net *net, u16 family,
			      const xfrm_address_t *daddr,
			      xfrm_address_t *saddr, u32 mark)
{
	if (family == AF_INET) {
		struct flowi4 fl4 = {
			.daddr = daddr->a4,
			.flowi4_mark = mark,
		};
		struct rtable *rt = ip_route_output_key(net, &fl4);

		if (IS_ERR(rt))
			return PTR_ERR(rt);
		saddr->a4 = fl4.saddr;
		ip_rt_put(rt);
		return 0;
	}
	return ipv6_dev_get_saddr(net, NULL, &daddr->in6, 0, &saddr->in6);
}

/* The endpoints a template's SA has for @fl: its own, or the flow's. */
static int oxfrm_output_endpoints(struct net *net,
				  const struct xfrm_user_tmpl *t,
				  const struct oxfrm_flow *fl,
				  xfrm_address_t *daddr, xfrm_address_t *saddr)
{
	memset(daddr, 0, sizeof(*daddr));
	memset(saddr, 0, sizeof(*saddr));
	if (t->mode == XFRM_MODE_TRANSPORT) {
		if (t->family != fl->family)
			return -EINVAL;
		*daddr = fl->daddr;
		*saddr = fl->saddr;
		return 0;
	}
	if (t->family == AF_INET) {
		daddr->a4 = t->id.daddr.a4;
		saddr->a4 = t->saddr.a4;
	} else {
		*daddr = t->id.daddr;
		*saddr = t->saddr;
	}
	if (xfrm_addr_any(saddr, t->family))
		return oxfrm_output_saddr(net, t->family, daddr, saddr,
					  fl->mark);
	return 0;
}

static bool oxfrm_output_sel_match(const struct oxfrm_state *x,
				   const struct oxfrm_flow *fl)
{
	if (!x->sel.family)
		return true;
	return x->sel.family == fl->family && oxfrm_selector_match(&x->sel, fl);
}

/* Whether @a, valid, is a better choice than @b (xfrm_state_look_at()). */
static bool oxfrm_output_better(const struct oxfrm_state *a,
				const struct oxfrm_state *b)
{
	if (!b)
		return true;
	if (READ_ONCE(a->dying) != READ_ONCE(b->dying))
		return !READ_ONCE(a->dying);
	return a->curlft.add_time > b->curlft.add_time;
}

/*
 * Whether @x may protect @fl for template @t of @pol, apart from the mark
 * and the selector, which depend on the packet.
 */
static bool oxfrm_output_fits(const struct oxfrm_state *x,
			      const struct xfrm_user_tmpl *t,
			      const struct oxfrm_policy *pol)
{
	return x->mode == t->mode && x->key.proto == t->id.proto &&
	       (!t->id.spi || x->key.spi == t->id.spi) &&
	       x->if_id == pol->if_id;
}

static bool oxfrm_output_valid_for(const struct oxfrm_state *x,
				   const struct oxfrm_flow *fl)
{
	return !READ_ONCE(x->dead) && !READ_ONCE(x->expired) &&
	       (fl->mark & x->mark.m) == x->mark.v &&
	       oxfrm_output_sel_match(x, fl);
}

/*
 * The SA cache of an OUT policy: what its template resolved to, valid
 * while the SAD's generation has not moved (no SA linked, unlinked,
 * renumbered or updated since) and the SA was the only one the template
 * could have chosen, whatever the packet. The cache holds no reference:
 * a state leaves the SAD, and moves the generation, before its last
 * reference can go, and it is freed only an RCU grace period later, so a
 * reader under RCU that sees the generation unmoved sees a live state.
 *
 * One entry per policy: a transport-mode policy serves many peers, each
 * with SAs of its own. The entry is refilled only once stale (*@stale),
 * so that the peers do not take it from each other, each with the lock,
 * packet after packet; the first peer keeps it, the others look up.
 * Called under RCU; a referenced state or NULL.
 */
static struct oxfrm_state *
oxfrm_output_cached(struct oxfrm_sad *sad, struct oxfrm_policy *pol,
		    const struct xfrm_user_tmpl *t, const struct oxfrm_flow *fl,
		    const xfrm_address_t *daddr, const xfrm_address_t *saddr,
		    bool *stale)
{
	struct oxfrm_state *x;
	unsigned int seq;
	u64 gen;

	do {
		seq = read_seqbegin(&pol->out_lock);
		x = pol->out_x;
		gen = pol->out_gen;
	} while (read_seqretry(&pol->out_lock, seq));
	/* The generation after the pair: a stale pair cannot pass as new. */
	smp_rmb();
	*stale = !x || gen != atomic64_read(&sad->genid);
	if (*stale)
		return NULL;
	if (x->family != t->family || x->reqid != t->reqid ||
	    !xfrm_addr_equal(&x->daddr, daddr, t->family) ||
	    !xfrm_addr_equal(&x->saddr, saddr, t->family) ||
	    !oxfrm_output_fits(x, t, pol) || !oxfrm_output_valid_for(x, fl))
		return NULL;
	return refcount_inc_not_zero(&x->refcnt) ? x : NULL;
}

static void oxfrm_output_cache(struct oxfrm_policy *pol,
			       struct oxfrm_state *x, u64 gen)
{
	write_seqlock_bh(&pol->out_lock);
	pol->out_x = x;
	pol->out_gen = gen;
	write_sequnlock_bh(&pol->out_lock);
}

/*
 * Looks the states of (@daddr, @saddr, t->reqid, t->family) through, under
 * the caller's RCU: the best valid one for @fl, with a reference, or NULL
 * and whether a larval one waits for the key manager. The choice is cached
 * on @pol when no other state could have been chosen and the cache is
 * stale.
 */
static struct oxfrm_state *
oxfrm_output_lookup(struct oxfrm_sad *sad, const struct xfrm_user_tmpl *t,
		    struct oxfrm_policy *pol, const struct oxfrm_flow *fl,
		    const xfrm_address_t *daddr, const xfrm_address_t *saddr,
		    bool *acquiring)
{
	struct oxfrm_state *x, *best = NULL;
	struct rhlist_head *list, *pos;
	unsigned int candidates = 0;
	bool stale;
	u64 gen;

	*acquiring = false;
	x = oxfrm_output_cached(sad, pol, t, fl, daddr, saddr, &stale);
	if (x)
		return x;
	gen = atomic64_read(&sad->genid);
	/* Before the lookup: a state linked or unlinked meanwhile moves it. */
	smp_rmb();
	list = oxfrm_state_lookup_dst(sad, daddr, saddr, t->reqid, t->family);
	rhl_for_each_entry_rcu(x, pos, list, by_dst) {
		if (!oxfrm_output_fits(x, t, pol))
			continue;
		candidates++;
		if (x->kstate == OXFRM_STATE_ACQ) {
			*acquiring = true;
			continue;
		}
		if (!oxfrm_output_valid_for(x, fl))
			continue;
		if (oxfrm_output_better(x, best))
			best = x;
	}
	if (best && candidates == 1 && stale)
		oxfrm_output_cache(pol, best, gen);
	if (best && !refcount_inc_not_zero(&best->refcnt))
		best = NULL;
	return best;
}

/* The selector of a larval state: exactly @fl (xfrm_init_tempsel()). */
static void oxfrm_output_tempsel(struct xfrm_selector *sel,
				 const struct oxfrm_flow *fl)
{
	memset(sel, 0, sizeof(*sel));
	sel->family = fl->family;
	if (fl->family == AF_INET) {
		sel->daddr.a4 = fl->daddr.a4;
		sel->saddr.a4 = fl->saddr.a4;
		sel->prefixlen_d = 32;
		sel->prefixlen_s = 32;
	} else {
		sel->daddr = fl->daddr;
		sel->saddr = fl->saddr;
		sel->prefixlen_d = 128;
		sel->prefixlen_s = 128;
	}
	sel->dport = fl->dport;
	sel->dport_mask = htons(0xffff);
	sel->sport = fl->sport;
	sel->sport_mask = htons(0xffff);
	sel->proto = fl->proto;
	sel->ifindex = fl->oif;
}

/*
 * Asks the key manager for an SA of @t and links a larval state for the
 * question, unless one appeared meanwhile. -EAGAIN: asked (or already
 * being asked); -ESRCH: no key manager listens, as in the stock kernel,
 * which then keeps no larval state either; 0: a valid SA appeared, in
 * *@found with a reference.
 */
static int oxfrm_output_acquire(struct oxfrm_net *on,
				struct oxfrm_policy *pol,
				const struct xfrm_user_tmpl *t,
				const struct oxfrm_flow *fl,
				const xfrm_address_t *daddr,
				const xfrm_address_t *saddr,
				struct oxfrm_state **found)
{
	struct oxfrm_sad *sad = on->sad;
	struct oxfrm_state *x, *y;
	struct xfrm_id id;
	bool acquiring;
	int expires, err;

	/* Nobody to ask (km_is_alive()): spare the state and the message. */
	if (!oxfrm_nl_has_listeners(on, XFRMNLGRP_ACQUIRE))
		return -ESRCH;
	x = oxfrm_state_alloc(sad, GFP_ATOMIC);
	if (!x)
		return -ENOMEM;
	oxfrm_state_set_id(x, daddr, t->id.spi, t->id.proto, t->family);
	x->saddr = *saddr;
	x->mode = t->mode;
	x->reqid = t->reqid;
	x->mark = pol->mark;
	x->if_id = pol->if_id;
	x->kstate = OXFRM_STATE_ACQ;
	x->seq = xfrm_get_acqseq();
	oxfrm_output_tempsel(&x->sel, fl);
	expires = oxfrm_acq_expires(on);
	x->lft.hard_add_expires_seconds = expires;

	spin_lock_bh(&sad->lock);
	y = oxfrm_output_lookup(sad, t, pol, fl, daddr, saddr, &acquiring);
	if (y || acquiring) {
		spin_unlock_bh(&sad->lock);
		oxfrm_state_put(x);
		/* An SA arrived meanwhile: the packet takes it. */
		*found = y;
		return y ? 0 : -EAGAIN;
	}
	id.daddr = *daddr;
	id.spi = t->id.spi;
	id.proto = t->id.proto;
	err = oxfrm_nl_acquire(on, &id, saddr, &x->sel, pol, t, x->seq,
			       GFP_ATOMIC);
	if (!err)
		err = __oxfrm_state_insert(x);
	spin_unlock_bh(&sad->lock);
	if (!err) {
		oxfrm_state_arm(x, expires);
		err = -EAGAIN;
	}
	oxfrm_state_put(x);
	return err == -EAGAIN ? err : -ESRCH;
}

/*
 * The valid SA template @t of @pol gives flow @fl, with a reference; or
 * NULL and *err: -EAGAIN while the key manager is asked, -ESRCH when it
 * cannot be. Called under rcu_read_lock(), as the output hook runs.
 */
struct oxfrm_state *oxfrm_output_resolve(struct oxfrm_net *on,
					 struct oxfrm_policy *pol,
					 const struct xfrm_user_tmpl *t,
					 const struct oxfrm_flow *fl, int *err)
{
	xfrm_address_t daddr, saddr;
	struct oxfrm_state *x;
	bool acquiring;

	RCU_LOCKDEP_WARN(!rcu_read_lock_held(), "SA resolution outside RCU");
	*err = oxfrm_output_endpoints(on->net, t, fl, &daddr, &saddr);
	if (*err) {
		*err = -ESRCH;
		return NULL;
	}
	x = oxfrm_output_lookup(on->sad, t, pol, fl, &daddr, &saddr,
				&acquiring);
	if (x)
		return x;
	if (acquiring) {
		*err = -EAGAIN;
		return NULL;
	}
	*err = oxfrm_output_acquire(on, pol, t, fl, &daddr, &saddr, &x);
	return x;
}
EXPORT_SYMBOL_IF_OXFRM_KUNIT(oxfrm_output_resolve);
