// SPDX-License-Identifier: GPL-2.0
/*
 * SAD core: allocation, reference counting, deferred destruction, and the
 * hash that inbound lookups by (daddr, SPI, protocol) use. See state.h for
 * the ownership rules.
 */

#include <linux/slab.h>
#include <linux/wait_bit.h>
#include <net/ipv6.h>
#include <oxfrm/oxfrm.h>
#include <oxfrm/state.h>

static const struct rhashtable_params oxfrm_state_params = {
	.key_len = sizeof(struct oxfrm_state_key),
	.key_offset = offsetof(struct oxfrm_state, key),
	.head_offset = offsetof(struct oxfrm_state, by_spi),
	.automatic_shrinking = true,
};

static void oxfrm_state_key_init(struct oxfrm_state_key *key, __be32 spi,
				 u8 proto)
{
	memset(key, 0, sizeof(*key));
	key->spi = spi;
	key->proto = proto;
}

static bool oxfrm_addr_equal(const xfrm_address_t *a, const xfrm_address_t *b,
			     u16 family)
{
	if (family == AF_INET)
		return a->a4 == b->a4;
	return ipv6_addr_equal(&a->in6, &b->in6);
}

static void oxfrm_state_free(struct oxfrm_state *x)
{
	struct oxfrm_sad *sad = x->sad;

	kfree(x);
	if (atomic_dec_and_test(&sad->nr_states))
		wake_up_var(&sad->nr_states);
}

/* Frees states whose last reference went, once no reader can see them. */
static void oxfrm_sad_gc(struct work_struct *work)
{
	struct oxfrm_sad *sad = container_of(work, struct oxfrm_sad, gc_work);
	struct llist_node *dead = llist_del_all(&sad->gc_list);
	struct oxfrm_state *x, *next;

	synchronize_rcu();
	llist_for_each_entry_safe(x, next, dead, gc)
		oxfrm_state_free(x);
}

int oxfrm_sad_init(struct oxfrm_sad *sad)
{
	spin_lock_init(&sad->lock);
	INIT_LIST_HEAD(&sad->all);
	sad->count = 0;
	atomic_set(&sad->nr_states, 0);
	init_llist_head(&sad->gc_list);
	INIT_WORK(&sad->gc_work, oxfrm_sad_gc);
	return rhltable_init(&sad->by_spi, &oxfrm_state_params);
}
EXPORT_SYMBOL_IF_OXFRM_KUNIT(oxfrm_sad_init);

/*
 * Unlinks every state, then waits until the last reference to each is gone
 * and it is freed: nothing of the SAD outlives this.
 */
void oxfrm_sad_destroy(struct oxfrm_sad *sad)
{
	oxfrm_state_flush(sad);
	wait_var_event(&sad->nr_states, !atomic_read(&sad->nr_states));
	flush_work(&sad->gc_work);
	rhltable_destroy(&sad->by_spi);
}
EXPORT_SYMBOL_IF_OXFRM_KUNIT(oxfrm_sad_destroy);

struct oxfrm_state *oxfrm_state_alloc(struct oxfrm_sad *sad, gfp_t gfp)
{
	struct oxfrm_state *x = kzalloc(sizeof(*x), gfp);

	if (!x)
		return NULL;
	refcount_set(&x->refcnt, 1);
	INIT_LIST_HEAD(&x->all);
	x->sad = sad;
	atomic_inc(&sad->nr_states);
	return x;
}
EXPORT_SYMBOL_IF_OXFRM_KUNIT(oxfrm_state_alloc);

/* Sets what inbound packets will name the state by; before it is linked. */
void oxfrm_state_set_id(struct oxfrm_state *x, const xfrm_address_t *daddr,
			__be32 spi, u8 proto, u16 family)
{
	oxfrm_state_key_init(&x->key, spi, proto);
	memset(&x->daddr, 0, sizeof(x->daddr));
	if (family == AF_INET)
		x->daddr.a4 = daddr->a4;
	else
		x->daddr = *daddr;
	x->family = family;
}
EXPORT_SYMBOL_IF_OXFRM_KUNIT(oxfrm_state_set_id);

void oxfrm_state_put(struct oxfrm_state *x)
{
	struct oxfrm_sad *sad = x->sad;

	if (!refcount_dec_and_test(&x->refcnt))
		return;
	if (llist_add(&x->gc, &sad->gc_list))
		schedule_work(&sad->gc_work);
}
EXPORT_SYMBOL_IF_OXFRM_KUNIT(oxfrm_state_put);

/* Links @x under sad->lock; the SAD takes its own reference. */
int __oxfrm_state_insert(struct oxfrm_state *x)
{
	struct oxfrm_sad *sad = x->sad;
	int err;

	lockdep_assert_held(&sad->lock);
	err = rhltable_insert(&sad->by_spi, &x->by_spi, oxfrm_state_params);
	if (err)
		return err;
	oxfrm_state_hold(x);
	list_add_tail(&x->all, &sad->all);
	x->linked = true;
	sad->count++;
	return 0;
}

int oxfrm_state_insert(struct oxfrm_state *x)
{
	struct oxfrm_sad *sad = x->sad;
	int err;

	spin_lock_bh(&sad->lock);
	err = __oxfrm_state_insert(x);
	spin_unlock_bh(&sad->lock);
	return err;
}
EXPORT_SYMBOL_IF_OXFRM_KUNIT(oxfrm_state_insert);

static void __oxfrm_state_unhash(struct oxfrm_state *x)
{
	struct oxfrm_sad *sad = x->sad;

	rhltable_remove(&sad->by_spi, &x->by_spi, oxfrm_state_params);
	x->linked = false;
	sad->count--;
}

/* Takes @x out of the SAD, if it is in, and drops the SAD's reference. */
void oxfrm_state_unlink(struct oxfrm_state *x)
{
	struct oxfrm_sad *sad = x->sad;
	bool was_linked;

	spin_lock_bh(&sad->lock);
	was_linked = x->linked;
	if (was_linked) {
		__oxfrm_state_unhash(x);
		list_del_init(&x->all);
	}
	spin_unlock_bh(&sad->lock);
	if (was_linked)
		oxfrm_state_put(x);
}
EXPORT_SYMBOL_IF_OXFRM_KUNIT(oxfrm_state_unlink);

void oxfrm_state_flush(struct oxfrm_sad *sad)
{
	struct oxfrm_state *x, *next;
	LIST_HEAD(dead);

	spin_lock_bh(&sad->lock);
	list_for_each_entry(x, &sad->all, all)
		__oxfrm_state_unhash(x);
	list_splice_init(&sad->all, &dead);
	spin_unlock_bh(&sad->lock);

	list_for_each_entry_safe(x, next, &dead, all) {
		list_del_init(&x->all);
		oxfrm_state_put(x);
	}
}
EXPORT_SYMBOL_IF_OXFRM_KUNIT(oxfrm_state_flush);

/*
 * The newest linked state an inbound packet to @daddr with @spi matches
 * (its mark selects the packet's @mark), with a reference; or NULL.
 */
struct oxfrm_state *oxfrm_state_lookup(struct oxfrm_sad *sad,
				       const xfrm_address_t *daddr, __be32 spi,
				       u8 proto, u16 family, u32 mark)
{
	struct oxfrm_state *x, *found = NULL;
	struct oxfrm_state_key key;
	struct rhlist_head *list, *pos;

	oxfrm_state_key_init(&key, spi, proto);
	rcu_read_lock();
	list = rhltable_lookup(&sad->by_spi, &key, oxfrm_state_params);
	rhl_for_each_entry_rcu(x, pos, list, by_spi) {
		if (x->family != family ||
		    !oxfrm_addr_equal(&x->daddr, daddr, family))
			continue;
		if ((mark & x->mark.m) != x->mark.v)
			continue;
		if (!refcount_inc_not_zero(&x->refcnt))
			continue;
		found = x;
		break;
	}
	rcu_read_unlock();
	return found;
}
EXPORT_SYMBOL_IF_OXFRM_KUNIT(oxfrm_state_lookup);

/* Whether any linked state uses @spi for @proto, whatever its destination. */
bool oxfrm_state_spi_in_use(struct oxfrm_sad *sad, __be32 spi, u8 proto)
{
	struct oxfrm_state_key key;
	bool used;

	oxfrm_state_key_init(&key, spi, proto);
	rcu_read_lock();
	used = rhltable_lookup(&sad->by_spi, &key, oxfrm_state_params);
	rcu_read_unlock();
	return used;
}

int oxfrm_state_net_init(struct oxfrm_net *on)
{
	int err;

	on->sad = kzalloc(sizeof(*on->sad), GFP_KERNEL);
	if (!on->sad)
		return -ENOMEM;
	err = oxfrm_sad_init(on->sad);
	if (err) {
		kfree(on->sad);
		on->sad = NULL;
	}
	return err;
}

void oxfrm_state_net_exit(struct oxfrm_net *on)
{
	oxfrm_sad_destroy(on->sad);
	kfree(on->sad);
	on->sad = NULL;
}
