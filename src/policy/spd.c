// SPDX-License-Identifier: GPL-2.0
/*
 * SPD core: policy allocation, reference counting, deferred destruction,
 * insertion with the stock kernel's replace semantics, deletion, flushes,
 * index allocation, lifetimes, and the walk dumps resume. See policy.h for
 * the ownership rules; the classifier (keys, tuples, lookup) is classify.c.
 */

#include <linux/slab.h>
#include <linux/wait_bit.h>
#include <net/xfrm.h>
#include <oxfrm/netlink.h>
#include <oxfrm/output.h>
#include <oxfrm/policy.h>

/* Its initial hash masks in a new namespace (8 buckets). */
#define OXFRM_SPD_HMASK_INIT	7U
/* How often a soft limit that passed is announced again, as XFRM_KM_TIMEOUT. */
#define OXFRM_POLICY_KM_TIMEOUT	30

static const struct rhashtable_params oxfrm_spd_index_params = {
	.key_len = sizeof(u32),
	.key_offset = offsetof(struct oxfrm_policy, index),
	.head_offset = offsetof(struct oxfrm_policy, by_index),
	.automatic_shrinking = true,
};

static void oxfrm_policy_free(struct oxfrm_policy *pol)
{
	struct oxfrm_spd *spd = pol->spd;

	del_timer_sync(&pol->timer);
	/* Nothing is held by now: the queue's timer held a reference. */
	WARN_ON_ONCE(!skb_queue_empty(&pol->hold.skbs));
	kfree(pol);
	if (atomic_dec_and_test(&spd->nr_policies))
		wake_up_var(&spd->nr_policies);
}

/* Frees policies whose last reference went, once no reader can see them. */
static void oxfrm_spd_gc(struct work_struct *work)
{
	struct oxfrm_spd *spd = container_of(work, struct oxfrm_spd, gc_work);
	struct llist_node *dead = llist_del_all(&spd->gc_list);
	struct oxfrm_policy *pol, *next;

	synchronize_rcu();
	llist_for_each_entry_safe(pol, next, dead, gc)
		oxfrm_policy_free(pol);
}

int oxfrm_spd_init(struct oxfrm_spd *spd)
{
	int f, dir, type, err;

	memset(spd, 0, sizeof(*spd));
	spin_lock_init(&spd->lock);
	INIT_LIST_HEAD(&spd->all);
	for (f = 0; f < OXFRM_SPD_FAMILIES; f++)
		for (dir = 0; dir < XFRM_POLICY_MAX; dir++)
			for (type = 0; type < XFRM_POLICY_TYPE_MAX; type++)
				INIT_LIST_HEAD(&spd->tuples[f][dir][type]);
	for (dir = 0; dir < XFRM_POLICY_MAX; dir++)
		spd->bydst_hmask[dir] = OXFRM_SPD_HMASK_INIT;
	spd->idx_hmask = OXFRM_SPD_HMASK_INIT;
	spd->hthresh4.lbits = 32;
	spd->hthresh4.rbits = 32;
	spd->hthresh6.lbits = 128;
	spd->hthresh6.rbits = 128;
	atomic_set(&spd->nr_policies, 0);
	init_llist_head(&spd->gc_list);
	INIT_WORK(&spd->gc_work, oxfrm_spd_gc);
	err = rhashtable_init(&spd->by_key, &oxfrm_spd_key_params);
	if (err)
		return err;
	err = rhashtable_init(&spd->by_index, &oxfrm_spd_index_params);
	if (err)
		rhashtable_destroy(&spd->by_key);
	return err;
}
EXPORT_SYMBOL_IF_OXFRM_KUNIT(oxfrm_spd_init);

/*
 * Unlinks every policy, then waits until the last reference to each is
 * gone and it is freed: nothing of the SPD outlives this.
 */
void oxfrm_spd_destroy(struct oxfrm_spd *spd)
{
	int type;

	for (type = 0; type < XFRM_POLICY_TYPE_MAX; type++)
		oxfrm_spd_flush(spd, type);
	wait_var_event(&spd->nr_policies, !atomic_read(&spd->nr_policies));
	flush_work(&spd->gc_work);
	rhashtable_destroy(&spd->by_index);
	rhashtable_destroy(&spd->by_key);
}
EXPORT_SYMBOL_IF_OXFRM_KUNIT(oxfrm_spd_destroy);

/* The last reference went: the collector frees @pol a grace period on. */
void oxfrm_policy_release(struct oxfrm_policy *pol)
{
	struct oxfrm_spd *spd = pol->spd;

	if (llist_add(&pol->gc, &spd->gc_list))
		schedule_work(&spd->gc_work);
}
EXPORT_SYMBOL_IF_OXFRM_KUNIT(oxfrm_policy_release);

/* Takes @pol out of every table, under spd->lock; its reference stays. */
static void __oxfrm_spd_unhash(struct oxfrm_policy *pol)
{
	struct oxfrm_spd *spd = pol->spd;

	lockdep_assert_held(&spd->lock);
	oxfrm_spd_chain_unlink(spd, pol);
	rhashtable_remove_fast(&spd->by_index, &pol->by_index,
			       oxfrm_spd_index_params);
	oxfrm_spd_tuple_put(spd, &pol->key);
	list_del_init(&pol->walk.all);
	spd->count[pol->dir]--;
	WRITE_ONCE(pol->linked, false);
	/* A timer callback running now finds it unlinked and stops. */
	del_timer(&pol->timer);
	oxfrm_hold_kill(pol);
}

/*
 * Seconds until @limit, counted from @since, passes (<= 0: it passed), or
 * TIME64_MAX for no limit.
 */
static time64_t oxfrm_policy_left(u64 limit, time64_t since, time64_t now)
{
	if (!limit)
		return TIME64_MAX;
	return (time64_t)limit + since - now;
}

/*
 * Lifetimes, checked as the stock kernel checks them: a hard limit that
 * passed deletes the policy and announces a hard POLEXPIRE; a soft one
 * announces a soft POLEXPIRE, again every 30 s until the hard limit. Use
 * limits count from the last use, or from the addition if never used. The
 * timer holds no reference: it takes one only from a live policy.
 */
static void oxfrm_policy_timer(struct timer_list *t)
{
	struct oxfrm_policy *pol = from_timer(pol, t, timer);
	struct oxfrm_spd *spd = pol->spd;
	time64_t now = ktime_get_real_seconds();
	time64_t next = TIME64_MAX, used, tmo;
	bool hard = false, soft = false;

	if (!refcount_inc_not_zero(&pol->refcnt))
		return;

	spin_lock(&spd->lock);
	if (!pol->linked)
		goto unlock;
	used = READ_ONCE(pol->curlft.use_time) ? : pol->curlft.add_time;

	tmo = oxfrm_policy_left(pol->lft.hard_add_expires_seconds,
				pol->curlft.add_time, now);
	hard |= tmo <= 0;
	next = min(next, tmo);
	tmo = oxfrm_policy_left(pol->lft.hard_use_expires_seconds, used, now);
	hard |= tmo <= 0;
	next = min(next, tmo);
	if (hard) {
		__oxfrm_spd_unhash(pol);
		goto unlock;
	}

	tmo = oxfrm_policy_left(pol->lft.soft_add_expires_seconds,
				pol->curlft.add_time, now);
	if (tmo <= 0) {
		soft = true;
		tmo = OXFRM_POLICY_KM_TIMEOUT;
	}
	next = min(next, tmo);
	tmo = oxfrm_policy_left(pol->lft.soft_use_expires_seconds, used, now);
	if (tmo <= 0) {
		soft = true;
		tmo = OXFRM_POLICY_KM_TIMEOUT;
	}
	next = min(next, tmo);
	if (next != TIME64_MAX)
		mod_timer(&pol->timer, jiffies + oxfrm_secs_to_jiffies(next));
unlock:
	spin_unlock(&spd->lock);

	if ((hard || soft) && spd->on)
		oxfrm_nl_policy_expired(spd->on, pol, hard, 0);
	if (hard)
		oxfrm_policy_put(pol);	/* the SPD's */
	oxfrm_policy_put(pol);
}

/* A new policy: no limits, with the caller's reference. */
struct oxfrm_policy *oxfrm_policy_alloc(struct oxfrm_spd *spd, gfp_t gfp)
{
	struct oxfrm_policy *pol = kzalloc(sizeof(*pol), gfp);

	if (!pol)
		return NULL;
	refcount_set(&pol->refcnt, 1);
	INIT_LIST_HEAD(&pol->walk.all);
	timer_setup(&pol->timer, oxfrm_policy_timer, 0);
	oxfrm_hold_init(pol);
	seqlock_init(&pol->out_lock);
	pol->spd = spd;
	atomic_inc(&spd->nr_policies);
	return pol;
}
EXPORT_SYMBOL_IF_OXFRM_KUNIT(oxfrm_policy_alloc);

/*
 * The next index of the generator: in a namespace, the kernel's own, under
 * its lock, which also numbers the per-socket policies the kernel keeps
 * (see km.c), so that both get the indexes the stock kernel gives them.
 */
static u32 oxfrm_spd_next_index(struct oxfrm_spd *spd, u8 dir)
{
	struct net *net = spd->on ? spd->on->net : NULL;
	u32 idx;

	if (!net) {
		idx = spd->idx_generator | dir;
		spd->idx_generator += 8;
		return idx;
	}
	spin_lock_bh(&net->xfrm.xfrm_policy_lock);
	idx = net->xfrm.idx_generator | dir;
	net->xfrm.idx_generator += 8;
	spin_unlock_bh(&net->xfrm.xfrm_policy_lock);
	return idx;
}

/*
 * As xfrm_gen_index(): a wanted index if it is free, else the generator's
 * next, which carries the direction in its low three bits. Index 0 means
 * "none" and becomes 8.
 */
static u32 oxfrm_spd_gen_index(struct oxfrm_spd *spd, u8 dir, u32 want)
{
	u32 idx;

	for (;;) {
		if (want) {
			idx = want;
			want = 0;
		} else {
			idx = oxfrm_spd_next_index(spd, dir);
		}
		if (!idx)
			idx = 8;
		if (!rhashtable_lookup_fast(&spd->by_index, &idx,
					    oxfrm_spd_index_params))
			return idx;
	}
}

/*
 * The stock kernel grows its hash tables after an addition, and SPDINFO
 * reports the size of its index hash: mirror when and how it grows, so
 * `ip xfrm policy count` reads the same.
 */
static void oxfrm_spd_grow(struct oxfrm_spd *spd, u8 dir)
{
	unsigned int total = 0;
	int d;

	if (spd->bydst_hmask[dir] + 1 >= OXFRM_SPD_HASHMAX ||
	    spd->count[dir] <= spd->bydst_hmask[dir])
		return;
	for (d = 0; d < XFRM_POLICY_MAX; d++) {
		total += spd->count[d];
		if (spd->bydst_hmask[d] + 1 < OXFRM_SPD_HASHMAX &&
		    spd->count[d] > spd->bydst_hmask[d])
			spd->bydst_hmask[d] = (spd->bydst_hmask[d] + 1) * 2 - 1;
	}
	if (spd->idx_hmask + 1 < OXFRM_SPD_HASHMAX && total > spd->idx_hmask)
		spd->idx_hmask = (spd->idx_hmask + 1) * 2 - 1;
}

/* Policy identity: selector, direction, type, mark, interface ID. */
static bool oxfrm_policy_same(const struct oxfrm_policy *a,
			      const struct oxfrm_policy *b)
{
	return a->type == b->type && a->if_id == b->if_id &&
	       a->mark.v == b->mark.v && a->mark.m == b->mark.m &&
	       !memcmp(&a->sel, &b->sel, sizeof(a->sel));
}

static struct oxfrm_policy *__oxfrm_spd_find_same(struct oxfrm_spd *spd,
						  const struct oxfrm_policy *pol)
{
	struct oxfrm_spd_chain *chain;
	struct oxfrm_policy *old;

	chain = oxfrm_spd_chain_find(spd, &pol->key);
	if (!chain)
		return NULL;
	hlist_for_each_entry_rcu(old, &chain->pols, by_key)
		if (oxfrm_policy_same(old, pol))
			return old;
	return NULL;
}

/*
 * Links @pol (selector, dir, type, mark, if_id, priority, index set) and
 * starts its lifetimes; the SPD takes its own reference. A policy of the
 * same identity is -EEXIST when @excl, else replaced: the new one takes
 * its index, and its place among equal priorities if the priority did not
 * change. A wanted index that is taken is replaced by a generated one, as
 * in the stock kernel.
 */
int oxfrm_spd_insert(struct oxfrm_policy *pol, bool excl)
{
	struct oxfrm_spd *spd = pol->spd;
	struct oxfrm_spd_chain *spare_chain;
	struct oxfrm_spd_tuple *spare;
	struct oxfrm_policy *old;
	int err;

	/* As the stock kernel stores it: identity compares the masked value. */
	pol->mark.v &= pol->mark.m;
	oxfrm_spd_key_init(&pol->key, pol->dir, pol->type, pol->sel.family,
			   &pol->sel.daddr, pol->sel.prefixlen_d,
			   &pol->sel.saddr, pol->sel.prefixlen_s);
	/* A new tuple and chain are allocated here: the lock forbids sleeping. */
	spare = kzalloc(sizeof(*spare), GFP_KERNEL);
	spare_chain = kzalloc(sizeof(*spare_chain), GFP_KERNEL);
	if (!spare || !spare_chain) {
		kfree(spare);
		kfree(spare_chain);
		return -ENOMEM;
	}

	spin_lock_bh(&spd->lock);
	rcu_read_lock();	/* rhashtable_lookup() wants it, even for writers */
	old = __oxfrm_spd_find_same(spd, pol);
	rcu_read_unlock();
	err = -EEXIST;
	if (old && excl)
		goto unlock;

	pol->seq = old && old->priority == pol->priority ? old->seq : ++spd->seq;
	pol->index = old ? old->index :
			   oxfrm_spd_gen_index(spd, pol->dir, pol->index);
	err = oxfrm_spd_tuple_get(spd, &pol->key, pol->priority, &spare);
	if (err)
		goto unlock;
	/*
	 * The index first: only netlink reads it, under cfg_mutex, so the
	 * packet path sees nothing of a policy whose insertion fails.
	 */
	if (old)
		err = rhashtable_replace_fast(&spd->by_index, &old->by_index,
					      &pol->by_index,
					      oxfrm_spd_index_params);
	else
		err = rhashtable_insert_fast(&spd->by_index, &pol->by_index,
					     oxfrm_spd_index_params);
	if (err)
		goto put_tuple;
	/* The packet path sees it from here: nothing fails after this. */
	if (old) {
		oxfrm_spd_chain_replace(spd, old, pol);
	} else {
		err = oxfrm_spd_chain_link(spd, pol, &spare_chain);
		if (err) {
			rhashtable_remove_fast(&spd->by_index, &pol->by_index,
					       oxfrm_spd_index_params);
			goto put_tuple;
		}
	}
	if (old) {
		/* Out of by_index and its chain already: the rest by hand. */
		oxfrm_spd_tuple_put(spd, &old->key);
		list_del_init(&old->walk.all);
		spd->count[old->dir]--;
		WRITE_ONCE(old->linked, false);
		del_timer(&old->timer);
	}

	oxfrm_policy_hold(pol);
	WRITE_ONCE(pol->linked, true);
	if (old)
		oxfrm_hold_move(old, pol);
	list_add(&pol->walk.all, &spd->all);
	spd->count[pol->dir]++;
	pol->curlft.add_time = ktime_get_real_seconds();
	pol->curlft.use_time = 0;
	/* The first check a second from now, as the stock kernel's. */
	if (pol->lft.soft_add_expires_seconds ||
	    pol->lft.hard_add_expires_seconds ||
	    pol->lft.soft_use_expires_seconds ||
	    pol->lft.hard_use_expires_seconds)
		mod_timer(&pol->timer, jiffies + HZ);
	if (!old)
		oxfrm_spd_grow(spd, pol->dir);
	spin_unlock_bh(&spd->lock);
	kfree(spare);
	kfree(spare_chain);
	if (old)
		oxfrm_policy_put(old);
	return 0;

put_tuple:
	oxfrm_spd_tuple_put(spd, &pol->key);
unlock:
	spin_unlock_bh(&spd->lock);
	kfree(spare);
	kfree(spare_chain);
	return err;
}
EXPORT_SYMBOL_IF_OXFRM_KUNIT(oxfrm_spd_insert);

/*
 * Takes @pol out of the SPD, if it is in, and drops the SPD's reference.
 * Returns whether it was in.
 */
bool oxfrm_spd_unlink(struct oxfrm_policy *pol)
{
	struct oxfrm_spd *spd = pol->spd;
	bool was_linked;

	spin_lock_bh(&spd->lock);
	was_linked = pol->linked;
	if (was_linked)
		__oxfrm_spd_unhash(pol);
	spin_unlock_bh(&spd->lock);
	if (was_linked)
		oxfrm_policy_put(pol);
	return was_linked;
}
EXPORT_SYMBOL_IF_OXFRM_KUNIT(oxfrm_spd_unlink);

/* Policies a flush unhashes per hold of spd->lock. */
#define OXFRM_SPD_FLUSH_BATCH	256

/*
 * Unlinks every policy of @type. Returns how many went. Bottom halves are
 * enabled and the CPU given up between batches: a marker keeps the place,
 * so an SPD of any size flushes without stalling the packet path.
 */
unsigned int oxfrm_spd_flush(struct oxfrm_spd *spd, u8 type)
{
	struct oxfrm_spd_walk *w, *next, mark = { .marker = true };
	struct oxfrm_policy *pol;
	unsigned int n = 0, batch;
	struct list_head *pos;
	LIST_HEAD(dead);

	INIT_LIST_HEAD(&mark.all);
	spin_lock_bh(&spd->lock);
	pos = &spd->all;
	for (;;) {
		batch = 0;
		w = list_entry(pos->next, struct oxfrm_spd_walk, all);
		list_del_init(&mark.all);
		list_for_each_entry_safe_from(w, next, &spd->all, all) {
			if (batch == OXFRM_SPD_FLUSH_BATCH) {
				list_add_tail(&mark.all, &w->all);
				break;
			}
			if (w->marker)
				continue;
			pol = container_of(w, struct oxfrm_policy, walk);
			if (pol->type != type)
				continue;
			__oxfrm_spd_unhash(pol);
			list_add_tail(&pol->walk.all, &dead);
			n++;
			batch++;
		}
		if (list_empty(&mark.all))
			break;
		spin_unlock_bh(&spd->lock);
		cond_resched();
		spin_lock_bh(&spd->lock);
		pos = &mark.all;
	}
	spin_unlock_bh(&spd->lock);

	list_for_each_entry_safe(w, next, &dead, all) {
		list_del_init(&w->all);
		oxfrm_policy_put(container_of(w, struct oxfrm_policy, walk));
		cond_resched();
	}
	return n;
}
EXPORT_SYMBOL_IF_OXFRM_KUNIT(oxfrm_spd_flush);

/*
 * The policy of this identity, with a reference, or NULL. As the stock
 * kernel, the mark is compared as sent (a value with bits outside its mask
 * names nothing), and a selector it could not have stored names nothing.
 */
struct oxfrm_policy *oxfrm_spd_find_sel(struct oxfrm_spd *spd, u8 dir,
					u8 type, const struct xfrm_selector *sel,
					const struct xfrm_mark *mark,
					u32 if_id)
{
	struct oxfrm_policy want, *found = NULL, *pol;
	struct oxfrm_spd_chain *chain;
	u8 max;

	if (sel->family != AF_INET && sel->family != AF_INET6)
		return NULL;
	max = sel->family == AF_INET ? 32 : 128;
	if (sel->prefixlen_d > max || sel->prefixlen_s > max)
		return NULL;
	want.type = type;
	want.if_id = if_id;
	want.mark = *mark;
	want.sel = *sel;
	oxfrm_spd_key_init(&want.key, dir, type, sel->family, &sel->daddr,
			   sel->prefixlen_d, &sel->saddr, sel->prefixlen_s);

	rcu_read_lock();
	chain = oxfrm_spd_chain_find(spd, &want.key);
	if (chain) {
		hlist_for_each_entry_rcu(pol, &chain->pols, by_key) {
			if (oxfrm_policy_same(pol, &want) &&
			    refcount_inc_not_zero(&pol->refcnt)) {
				found = pol;
				break;
			}
		}
	}
	rcu_read_unlock();
	return found;
}
EXPORT_SYMBOL_IF_OXFRM_KUNIT(oxfrm_spd_find_sel);

/* The policy with this index, type, mark and if_id, referenced, or NULL. */
struct oxfrm_policy *oxfrm_spd_find_index(struct oxfrm_spd *spd, u8 dir,
					  u8 type, u32 index,
					  const struct xfrm_mark *mark,
					  u32 if_id)
{
	struct oxfrm_policy *pol;

	if (xfrm_policy_id2dir(index) != dir)
		return NULL;
	rcu_read_lock();
	pol = rhashtable_lookup(&spd->by_index, &index, oxfrm_spd_index_params);
	if (pol && (pol->type != type || pol->if_id != if_id ||
		    pol->mark.v != mark->v || pol->mark.m != mark->m ||
		    !refcount_inc_not_zero(&pol->refcnt)))
		pol = NULL;
	rcu_read_unlock();
	return pol;
}
EXPORT_SYMBOL_IF_OXFRM_KUNIT(oxfrm_spd_find_index);

/*
 * Dumps: calls @fn on each linked policy, newest first, under spd->lock,
 * from where the last call stopped. @w is a marker in spd->all, so that
 * policies linked or unlinked between two calls move nothing else: a dump
 * shows each policy that stays linked throughout exactly once. When @fn
 * fails (the message is full), the marker stays before that policy and its
 * error is returned; at the end the marker leaves the list and 0 is
 * returned, and later calls find nothing more.
 */
int oxfrm_spd_walk(struct oxfrm_spd *spd, struct oxfrm_spd_walk *w,
		   int (*fn)(struct oxfrm_policy *pol, void *arg), void *arg)
{
	struct oxfrm_spd_walk *pos;
	int err = 0;

	if (w->started && list_empty(&w->all))
		return 0;

	spin_lock_bh(&spd->lock);
	pos = w->started ? list_next_entry(w, all) :
			   list_first_entry(&spd->all, struct oxfrm_spd_walk, all);
	w->started = true;
	list_for_each_entry_from(pos, &spd->all, all) {
		if (pos->marker)
			continue;
		err = fn(container_of(pos, struct oxfrm_policy, walk), arg);
		if (err) {
			/* Before @pos: it comes first next time. */
			list_move_tail(&w->all, &pos->all);
			goto unlock;
		}
	}
	list_del_init(&w->all);
unlock:
	spin_unlock_bh(&spd->lock);
	return err;
}
EXPORT_SYMBOL_IF_OXFRM_KUNIT(oxfrm_spd_walk);

void oxfrm_spd_walk_init(struct oxfrm_spd_walk *w)
{
	INIT_LIST_HEAD(&w->all);
	w->marker = true;
	w->started = false;
}
EXPORT_SYMBOL_IF_OXFRM_KUNIT(oxfrm_spd_walk_init);

/* Takes the marker of a dump that ends early out of the list. */
void oxfrm_spd_walk_done(struct oxfrm_spd *spd, struct oxfrm_spd_walk *w)
{
	if (list_empty(&w->all))
		return;
	spin_lock_bh(&spd->lock);
	list_del_init(&w->all);
	spin_unlock_bh(&spd->lock);
}
EXPORT_SYMBOL_IF_OXFRM_KUNIT(oxfrm_spd_walk_done);

int oxfrm_spd_net_init(struct oxfrm_net *on)
{
	int err;

	on->spd = kzalloc(sizeof(*on->spd), GFP_KERNEL);
	if (!on->spd)
		return -ENOMEM;
	err = oxfrm_spd_init(on->spd);
	if (err) {
		kfree(on->spd);
		on->spd = NULL;
		return err;
	}
	on->spd->on = on;
	return 0;
}

void oxfrm_spd_net_exit(struct oxfrm_net *on)
{
	oxfrm_spd_destroy(on->spd);
	kfree(on->spd);
	on->spd = NULL;
}
