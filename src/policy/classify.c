// SPDX-License-Identifier: GPL-2.0
/*
 * The SPD classifier: which policy a flow falls under.
 *
 * Every policy is hashed by its class (family, direction, type), its two
 * prefix lengths and its addresses masked to them (struct oxfrm_spd_key);
 * each class lists the prefix pairs its policies use (tuples). A lookup
 * masks the flow's addresses to each tuple of the class and probes the
 * hash once per tuple: exact policies are the tuple of full-length
 * prefixes, and tens of thousands of policies with mixed prefixes cost as
 * many probes as they have distinct prefix pairs. The chains found hold
 * only policies whose addresses match; ports, protocol, interface, mark
 * and interface ID are checked along them.
 *
 * Among matches: a sub policy wins over any main one; then the lowest
 * priority value, as in Linux 6.1; then the one inserted first (a
 * replacement at the same priority keeps its predecessor's place). That
 * last rule is Linux's within one of its lists, but not across them: Linux
 * 6.1 compares positions within separate exact and inexact lists, so that
 * between equal priorities an inexact policy first in its list can beat an
 * older one elsewhere. oxfrm's rule is total and documented instead;
 * strongSwan derives distinct priorities from selector specificity, and
 * only equal-priority hand-written configurations can tell.
 */

#include <linux/inetdevice.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <net/xfrm.h>
#include <oxfrm/policy.h>

static int oxfrm_spd_key_cmp(struct rhashtable_compare_arg *arg,
			     const void *obj)
{
	BUILD_BUG_ON(sizeof(struct oxfrm_spd_key) % sizeof(u32));
	return oxfrm_key_cmp(arg, obj, offsetof(struct oxfrm_spd_chain, key),
			     sizeof(struct oxfrm_spd_key));
}

const struct rhashtable_params oxfrm_spd_key_params = {
	.key_len = sizeof(struct oxfrm_spd_key),
	.obj_cmpfn = oxfrm_spd_key_cmp,
	.key_offset = offsetof(struct oxfrm_spd_chain, key),
	.head_offset = offsetof(struct oxfrm_spd_chain, node),
	.automatic_shrinking = true,
};
EXPORT_SYMBOL_IF_OXFRM_KUNIT(oxfrm_spd_key_params);

static int oxfrm_spd_family_index(u16 family)
{
	switch (family) {
	case AF_INET:
		return 0;
	case AF_INET6:
		return 1;
	}
	return -1;
}

/* @out: the first @plen bits of @in, for @words 32-bit words. */
static void oxfrm_spd_mask(xfrm_address_t *out, const xfrm_address_t *in,
			   unsigned int plen, int words)
{
	int i;

	for (i = 0; i < words; i++, plen = plen > 32 ? plen - 32 : 0)
		out->a6[i] = in->a6[i] & inet_make_mask(min(plen, 32U));
}

void oxfrm_spd_key_init(struct oxfrm_spd_key *key, u8 dir, u8 type,
			u16 family, const xfrm_address_t *daddr, u8 plen_d,
			const xfrm_address_t *saddr, u8 plen_s)
{
	int words = family == AF_INET6 ? 4 : 1;

	memset(key, 0, sizeof(*key));
	key->family = family;
	key->dir = dir;
	key->type = type;
	key->plen_d = plen_d;
	key->plen_s = plen_s;
	oxfrm_spd_mask(&key->daddr, daddr, plen_d, words);
	oxfrm_spd_mask(&key->saddr, saddr, plen_s, words);
}
EXPORT_SYMBOL_IF_OXFRM_KUNIT(oxfrm_spd_key_init);

static struct list_head *oxfrm_spd_class(struct oxfrm_spd *spd, u16 family,
					 u8 dir, u8 type)
{
	int f = oxfrm_spd_family_index(family);

	if (f < 0 || dir >= XFRM_POLICY_MAX || type >= XFRM_POLICY_TYPE_MAX)
		return NULL;
	return &spd->tuples[f][dir][type];
}

/*
 * Counts a policy of @key and @priority in its tuple, under spd->lock; a
 * new tuple is made of *@spare, which the caller allocated and frees if
 * still there.
 */
int oxfrm_spd_tuple_get(struct oxfrm_spd *spd, const struct oxfrm_spd_key *key,
			u32 priority, struct oxfrm_spd_tuple **spare)
{
	struct list_head *class;
	struct oxfrm_spd_tuple *t;

	lockdep_assert_held(&spd->lock);
	class = oxfrm_spd_class(spd, key->family, key->dir, key->type);
	if (!class)
		return -EINVAL;
	list_for_each_entry(t, class, list) {
		if (t->plen_d == key->plen_d && t->plen_s == key->plen_s) {
			t->users++;
			if (priority < t->min_priority)
				WRITE_ONCE(t->min_priority, priority);
			return 0;
		}
	}
	t = *spare;
	*spare = NULL;
	t->users = 1;
	t->min_priority = priority;
	t->plen_d = key->plen_d;
	t->plen_s = key->plen_s;
	list_add_tail_rcu(&t->list, class);
	return 0;
}

/* The policy of @key left; the last one of a tuple takes it away. */
void oxfrm_spd_tuple_put(struct oxfrm_spd *spd, const struct oxfrm_spd_key *key)
{
	struct list_head *class;
	struct oxfrm_spd_tuple *t;

	lockdep_assert_held(&spd->lock);
	class = oxfrm_spd_class(spd, key->family, key->dir, key->type);
	if (!class)
		return;
	list_for_each_entry(t, class, list) {
		if (t->plen_d != key->plen_d || t->plen_s != key->plen_s)
			continue;
		if (!--t->users) {
			list_del_rcu(&t->list);
			kfree_rcu(t, rcu);
		}
		return;
	}
}

/* Whether the first @plen bits of @a and @b, of @words words, agree. */
static bool oxfrm_addr_match(const xfrm_address_t *a, const xfrm_address_t *b,
			     unsigned int plen, int words)
{
	int i;

	for (i = 0; i < words && plen; i++, plen = plen > 32 ? plen - 32 : 0) {
		if ((a->a6[i] ^ b->a6[i]) & inet_make_mask(min(plen, 32U)))
			return false;
	}
	return true;
}

/* As xfrm_selector_match(); like it, the selector's user is not compared. */
bool oxfrm_selector_match(const struct xfrm_selector *sel,
			  const struct oxfrm_flow *fl)
{
	int words = fl->family == AF_INET6 ? 4 : 1;

	if (sel->family != fl->family)
		return false;
	return oxfrm_addr_match(&fl->daddr, &sel->daddr, sel->prefixlen_d, words) &&
	       oxfrm_addr_match(&fl->saddr, &sel->saddr, sel->prefixlen_s, words) &&
	       !((fl->dport ^ sel->dport) & sel->dport_mask) &&
	       !((fl->sport ^ sel->sport) & sel->sport_mask) &&
	       (!sel->proto || fl->proto == sel->proto) &&
	       (!sel->ifindex || fl->oif == sel->ifindex);
}
EXPORT_SYMBOL_IF_OXFRM_KUNIT(oxfrm_selector_match);

/* As xfrm_policy_match(), for a policy of the flow's direction. */
bool oxfrm_policy_match(const struct oxfrm_policy *pol, u8 type,
			const struct oxfrm_flow *fl)
{
	return pol->type == type && pol->if_id == fl->if_id &&
	       (fl->mark & pol->mark.m) == pol->mark.v &&
	       oxfrm_selector_match(&pol->sel, fl);
}
EXPORT_SYMBOL_IF_OXFRM_KUNIT(oxfrm_policy_match);

static bool oxfrm_policy_better(const struct oxfrm_policy *a,
				const struct oxfrm_policy *b)
{
	if (!b)
		return true;
	if (a->priority != b->priority)
		return a->priority < b->priority;
	return a->seq < b->seq;
}

/* The chain of @key, under rcu_read_lock() or spd->lock; or NULL. */
struct oxfrm_spd_chain *oxfrm_spd_chain_find(struct oxfrm_spd *spd,
					     const struct oxfrm_spd_key *key)
{
	return rhashtable_lookup(&spd->by_key, key, oxfrm_spd_key_params);
}

/* @pol into @chain, before the first policy it beats; under spd->lock. */
static void oxfrm_spd_chain_add(struct oxfrm_spd_chain *chain,
				struct oxfrm_policy *pol)
{
	struct oxfrm_policy *p, *last = NULL;

	hlist_for_each_entry(p, &chain->pols, by_key) {
		if (oxfrm_policy_better(pol, p)) {
			hlist_add_before_rcu(&pol->by_key, &p->by_key);
			goto out;
		}
		last = p;
	}
	if (last)
		hlist_add_behind_rcu(&pol->by_key, &last->by_key);
	else
		hlist_add_head_rcu(&pol->by_key, &chain->pols);
out:
	pol->chain = chain;
}

/*
 * Links @pol into the chain of its key, under spd->lock; a new chain is
 * made of *@spare, which the caller allocated and frees if still there.
 */
int oxfrm_spd_chain_link(struct oxfrm_spd *spd, struct oxfrm_policy *pol,
			 struct oxfrm_spd_chain **spare)
{
	struct oxfrm_spd_chain *chain;
	int err;

	lockdep_assert_held(&spd->lock);
	rcu_read_lock();	/* rhashtable_lookup() wants it, even for writers */
	chain = oxfrm_spd_chain_find(spd, &pol->key);
	rcu_read_unlock();
	if (!chain) {
		chain = *spare;
		chain->key = pol->key;
		INIT_HLIST_HEAD(&chain->pols);
		err = rhashtable_insert_fast(&spd->by_key, &chain->node,
					     oxfrm_spd_key_params);
		if (err)
			return err;
		*spare = NULL;
	}
	oxfrm_spd_chain_add(chain, pol);
	return 0;
}

/*
 * @pol replaces @old, of the same identity and so of the same chain: in
 * its place if it keeps its rank, else linked before @old leaves.
 */
void oxfrm_spd_chain_replace(struct oxfrm_spd *spd, struct oxfrm_policy *old,
			     struct oxfrm_policy *pol)
{
	lockdep_assert_held(&spd->lock);
	if (old->priority == pol->priority && old->seq == pol->seq) {
		hlist_replace_rcu(&old->by_key, &pol->by_key);
		pol->chain = old->chain;
		return;
	}
	oxfrm_spd_chain_add(old->chain, pol);
	hlist_del_rcu(&old->by_key);
}

/* @pol leaves its chain, under spd->lock; the last one takes it away. */
void oxfrm_spd_chain_unlink(struct oxfrm_spd *spd, struct oxfrm_policy *pol)
{
	struct oxfrm_spd_chain *chain = pol->chain;

	lockdep_assert_held(&spd->lock);
	hlist_del_rcu(&pol->by_key);
	if (hlist_empty(&chain->pols)) {
		rhashtable_remove_fast(&spd->by_key, &chain->node,
				       oxfrm_spd_key_params);
		kfree_rcu(chain, rcu);
	}
}

/* The best match of one type, under rcu_read_lock(); no reference. */
static struct oxfrm_policy *oxfrm_spd_lookup_type(struct oxfrm_spd *spd,
						  u8 dir, u8 type,
						  const struct oxfrm_flow *fl)
{
	struct oxfrm_policy *pol, *best = NULL;
	struct oxfrm_spd_chain *chain;
	struct oxfrm_spd_tuple *t;
	struct list_head *class;
	struct oxfrm_spd_key key;

	class = oxfrm_spd_class(spd, fl->family, dir, type);
	if (!class)
		return NULL;
	list_for_each_entry_rcu(t, class, list) {
		/* Nothing in this tuple can beat what was found. */
		if (best && READ_ONCE(t->min_priority) > best->priority)
			continue;
		oxfrm_spd_key_init(&key, dir, type, fl->family, &fl->daddr,
				   t->plen_d, &fl->saddr, t->plen_s);
		chain = oxfrm_spd_chain_find(spd, &key);
		if (!chain)
			continue;
		/* Best first: the first match, or one no better, ends it. */
		hlist_for_each_entry_rcu(pol, &chain->pols, by_key) {
			if (!oxfrm_policy_better(pol, best))
				break;
			if (oxfrm_policy_match(pol, type, fl)) {
				best = pol;
				break;
			}
		}
	}
	return best;
}

/*
 * The policy for a packet of flow @fl in direction @dir (XFRM_POLICY_IN,
 * _OUT or _FWD), with a reference the caller drops with
 * oxfrm_policy_put(), or NULL when none matches. Takes no lock; called
 * under rcu_read_lock(), as netfilter hooks run (oxfrm_spd_lookup() takes
 * it for callers that do not hold it). It does not update the policy's
 * use time (oxfrm_policy_touch() does, for the policy used).
 */
struct oxfrm_policy *oxfrm_spd_lookup_rcu(struct oxfrm_spd *spd, u8 dir,
					  const struct oxfrm_flow *fl)
{
	struct oxfrm_policy *pol;

	RCU_LOCKDEP_WARN(!rcu_read_lock_held(), "SPD lookup outside RCU");
	do {
		pol = oxfrm_spd_lookup_type(spd, dir, XFRM_POLICY_TYPE_SUB, fl);
		if (!pol)
			pol = oxfrm_spd_lookup_type(spd, dir,
						    XFRM_POLICY_TYPE_MAIN, fl);
		/* Its last reference went as we looked: look again. */
	} while (pol && !refcount_inc_not_zero(&pol->refcnt));
	return pol;
}

/* As oxfrm_spd_lookup_rcu(), from any context. */
struct oxfrm_policy *oxfrm_spd_lookup(struct oxfrm_spd *spd, u8 dir,
				      const struct oxfrm_flow *fl)
{
	struct oxfrm_policy *pol;

	rcu_read_lock();
	pol = oxfrm_spd_lookup_rcu(spd, dir, fl);
	rcu_read_unlock();
	return pol;
}
EXPORT_SYMBOL_IF_OXFRM_KUNIT(oxfrm_spd_lookup);
