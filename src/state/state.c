// SPDX-License-Identifier: GPL-2.0
/*
 * SAD core: allocation, reference counting, deferred destruction, and the
 * hash that inbound lookups by (daddr, SPI, protocol) use. See state.h for
 * the ownership rules.
 */

#include <linux/hash.h>
#include <linux/slab.h>
#include <linux/wait_bit.h>
#include <net/ipv6.h>
#include <net/xfrm.h>
#include <oxfrm/esp.h>
#include <oxfrm/input.h>
#include <oxfrm/oxfrm.h>
#include <oxfrm/natt.h>
#include <oxfrm/netlink.h>
#include <oxfrm/state.h>

static struct kmem_cache *oxfrm_state_cachep __read_mostly;

static int oxfrm_state_key_cmp(struct rhashtable_compare_arg *arg,
			       const void *obj)
{
	BUILD_BUG_ON(sizeof(struct oxfrm_state_key) % sizeof(u32));
	return oxfrm_key_cmp(arg, obj, offsetof(struct oxfrm_state, key),
			     sizeof(struct oxfrm_state_key));
}

static int oxfrm_state_dkey_cmp(struct rhashtable_compare_arg *arg,
				const void *obj)
{
	BUILD_BUG_ON(sizeof(struct oxfrm_state_dkey) % sizeof(u32));
	return oxfrm_key_cmp(arg, obj, offsetof(struct oxfrm_state, dkey),
			     sizeof(struct oxfrm_state_dkey));
}

static const struct rhashtable_params oxfrm_state_params = {
	.key_len = sizeof(struct oxfrm_state_key),
	.obj_cmpfn = oxfrm_state_key_cmp,
	.key_offset = offsetof(struct oxfrm_state, key),
	.head_offset = offsetof(struct oxfrm_state, by_spi),
	.max_size = OXFRM_SAD_HASH_MAX,
	.automatic_shrinking = true,
};

static const struct rhashtable_params oxfrm_state_dst_params = {
	.key_len = sizeof(struct oxfrm_state_dkey),
	.obj_cmpfn = oxfrm_state_dkey_cmp,
	.key_offset = offsetof(struct oxfrm_state, dkey),
	.head_offset = offsetof(struct oxfrm_state, by_dst),
	.max_size = OXFRM_SAD_HASH_MAX,
	.automatic_shrinking = true,
};

static const struct rhashtable_params oxfrm_state_seq_params = {
	.key_len = sizeof(u32),
	.key_offset = offsetof(struct oxfrm_state, seq),
	.head_offset = offsetof(struct oxfrm_state, by_seq),
	.max_size = OXFRM_SAD_HASH_MAX,
	.automatic_shrinking = true,
};

/* Only the family's address bytes count, as in xfrm_addr_equal(). */
static void oxfrm_state_dkey_init(struct oxfrm_state_dkey *key,
				  const xfrm_address_t *daddr,
				  const xfrm_address_t *saddr, u32 reqid,
				  u16 family)
{
	memset(key, 0, sizeof(*key));
	if (family == AF_INET6) {
		key->daddr = *daddr;
		key->saddr = *saddr;
	} else {
		key->daddr.a4 = daddr->a4;
		key->saddr.a4 = saddr->a4;
	}
	key->reqid = reqid;
	key->family = family;
}

static void oxfrm_state_key_init(struct oxfrm_state_key *key,
				 const xfrm_address_t *daddr, __be32 spi,
				 u8 proto, u16 family)
{
	memset(key, 0, sizeof(*key));
	if (family == AF_INET6)
		key->daddr = *daddr;
	else
		key->daddr.a4 = daddr->a4;
	key->spi = spi;
	key->family = family;
	key->proto = proto;
}

/* As xfrm_addr_equal(): any family but IPv6 compares the first word. */
static bool oxfrm_addr_equal(const xfrm_address_t *a, const xfrm_address_t *b,
			     u16 family)
{
	if (family == AF_INET6)
		return ipv6_addr_equal(&a->in6, &b->in6);
	return a->a4 == b->a4;
}

static void oxfrm_state_free(struct oxfrm_state *x)
{
	struct oxfrm_sad *sad = x->sad;

	del_timer_sync(&x->timer);
	oxfrm_esp_destroy_state(x);
	oxfrm_input_state_destroy(x);
	kfree_sensitive(x->aead);
	kfree_sensitive(x->aalg);
	kfree_sensitive(x->ealg);
	kfree(x->replay_esn);
	kmem_cache_free(oxfrm_state_cachep, x);
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
	int err;

	sad->on = NULL;
	spin_lock_init(&sad->lock);
	INIT_LIST_HEAD(&sad->all);
	sad->count = 0;
	memset(sad->encap_ports, 0, sizeof(sad->encap_ports));
	atomic_set(&sad->nr_states, 0);
	init_llist_head(&sad->gc_list);
	INIT_WORK(&sad->gc_work, oxfrm_sad_gc);
	err = rhltable_init(&sad->by_spi, &oxfrm_state_params);
	if (err)
		return err;
	err = rhltable_init(&sad->by_dst, &oxfrm_state_dst_params);
	if (err)
		goto fail_dst;
	err = rhltable_init(&sad->by_seq, &oxfrm_state_seq_params);
	if (err)
		goto fail_seq;
	err = rhashtable_init(&sad->spi_used, &oxfrm_spi_use_params);
	if (err)
		goto fail_spi;
	return 0;
fail_spi:
	rhltable_destroy(&sad->by_seq);
fail_seq:
	rhltable_destroy(&sad->by_dst);
fail_dst:
	rhltable_destroy(&sad->by_spi);
	return err;
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
	rhashtable_destroy(&sad->spi_used);
	rhltable_destroy(&sad->by_seq);
	rhltable_destroy(&sad->by_dst);
	rhltable_destroy(&sad->by_spi);
}
EXPORT_SYMBOL_IF_OXFRM_KUNIT(oxfrm_sad_destroy);

/* Check @x's time limits @seconds from now. */
void oxfrm_state_arm(struct oxfrm_state *x, time64_t seconds)
{
	mod_timer(&x->timer, jiffies + oxfrm_secs_to_jiffies(seconds));
}

/* A new state: no limits, added now, with the caller's reference. */
struct oxfrm_state *oxfrm_state_alloc(struct oxfrm_sad *sad, gfp_t gfp)
{
	struct oxfrm_state *x = kmem_cache_zalloc(oxfrm_state_cachep, gfp);

	if (!x)
		return NULL;
	refcount_set(&x->refcnt, 1);
	INIT_LIST_HEAD(&x->all.list);
	spin_lock_init(&x->lock);
	timer_setup(&x->timer, oxfrm_state_timer, 0);
	x->lft.soft_byte_limit = XFRM_INF;
	x->lft.hard_byte_limit = XFRM_INF;
	x->lft.soft_packet_limit = XFRM_INF;
	x->lft.hard_packet_limit = XFRM_INF;
	x->curlft.add_time = ktime_get_real_seconds();
	x->sad = sad;
	atomic_inc(&sad->nr_states);
	return x;
}
EXPORT_SYMBOL_IF_OXFRM_KUNIT(oxfrm_state_alloc);

/* Sets what inbound packets will name the state by; before it is linked. */
void oxfrm_state_set_id(struct oxfrm_state *x, const xfrm_address_t *daddr,
			__be32 spi, u8 proto, u16 family)
{
	oxfrm_state_key_init(&x->key, daddr, spi, proto, family);
	memset(&x->daddr, 0, sizeof(x->daddr));
	if (family == AF_INET6)
		x->daddr = *daddr;
	else
		x->daddr.a4 = daddr->a4;
	x->family = family;
}
EXPORT_SYMBOL_IF_OXFRM_KUNIT(oxfrm_state_set_id);

/* The last reference went: the collector frees @x a grace period on. */
void oxfrm_state_release(struct oxfrm_state *x)
{
	struct oxfrm_sad *sad = x->sad;

	if (llist_add(&x->gc, &sad->gc_list))
		schedule_work(&sad->gc_work);
}
EXPORT_SYMBOL_IF_OXFRM_KUNIT(oxfrm_state_release);

/*
 * Whether @skb, an inner packet of @family that @x carries, travels between
 * @x's own two hosts, and so shares its route with the ESP packets: always
 * in transport mode; in tunnel mode when its far end (its destination on
 * an outbound SA, its source on an inbound one) is @x's peer.
 */
bool oxfrm_state_host_to_host(const struct oxfrm_state *x,
			      const struct sk_buff *skb, u16 family, bool out)
{
	const xfrm_address_t *peer = out ? &x->daddr : &x->saddr;

	if (x->mode == XFRM_MODE_TRANSPORT)
		return true;
	if (family != x->family)
		return false;
	if (family == AF_INET)
		return (out ? ip_hdr(skb)->daddr : ip_hdr(skb)->saddr) == peer->a4;
	return ipv6_addr_equal(out ? &ipv6_hdr(skb)->daddr :
				     &ipv6_hdr(skb)->saddr, &peer->in6);
}

/*
 * Moves the SAD's generation, which the output SA caches are valid for
 * (src/output/resolve.c): after the change it stands for is visible.
 */
static void oxfrm_sad_bump(struct oxfrm_sad *sad)
{
	/* Pairs with the smp_rmb()s in resolve.c. */
	smp_mb__before_atomic();
	atomic64_inc(&sad->genid);
}

/*
 * NAT-T's receive path takes all ESP in UDP on port 4500, and on other ports
 * only what an SA encapsulated there receives. It looks such packets' SPI
 * up only while some linked state's port falls in the packet's bucket,
 * so that a gateway's plain UDP traffic is spared the SAD lookup.
 */
static unsigned int *oxfrm_sad_encap_bucket(struct oxfrm_sad *sad,
					    __be16 port)
{
	return &sad->encap_ports[hash_32((__force u32)port,
					 OXFRM_SAD_ENCAP_BITS)];
}

/* Whether a linked state may be encapsulated on @port, not 4500. */
bool oxfrm_sad_encap_port(struct oxfrm_sad *sad, __be16 port)
{
	return READ_ONCE(*oxfrm_sad_encap_bucket(sad, port));
}
EXPORT_SYMBOL_IF_OXFRM_KUNIT(oxfrm_sad_encap_port);

/* @x's port, linked, counts in its bucket (@n 1) or stops counting (-1). */
static void oxfrm_sad_encap_count(struct oxfrm_sad *sad,
				  const struct oxfrm_state *x, int n)
{
	unsigned int *b;

	lockdep_assert_held(&sad->lock);
	if (!x->has_encap || x->encap.encap_dport == htons(OXFRM_NATT_PORT))
		return;
	b = oxfrm_sad_encap_bucket(sad, x->encap.encap_dport);
	WRITE_ONCE(*b, *b + n);
}

/* Links @x under sad->lock; the SAD takes its own reference. */
int __oxfrm_state_insert(struct oxfrm_state *x)
{
	struct oxfrm_sad *sad = x->sad;
	int err;

	lockdep_assert_held(&sad->lock);
	oxfrm_state_dkey_init(&x->dkey, &x->daddr, &x->saddr, x->reqid,
			      x->family);
	err = oxfrm_spi_use_get(sad, x->key.spi, x->key.proto);
	if (err)
		return err;
	err = rhltable_insert(&sad->by_spi, &x->by_spi, oxfrm_state_params);
	if (err)
		goto fail_spi;
	err = rhltable_insert(&sad->by_dst, &x->by_dst, oxfrm_state_dst_params);
	if (err)
		goto fail_dst;
	if (x->seq) {
		err = rhltable_insert(&sad->by_seq, &x->by_seq,
				      oxfrm_state_seq_params);
		if (err)
			goto fail_seq;
	}
	oxfrm_state_hold(x);
	list_add(&x->all.list, &sad->all);
	x->linked = true;
	sad->count++;
	oxfrm_sad_encap_count(sad, x, 1);
	oxfrm_sad_bump(sad);
	return 0;
fail_seq:
	/* It was in by_dst for a while: an SA cache may have seen it. */
	rhltable_remove(&sad->by_dst, &x->by_dst, oxfrm_state_dst_params);
	oxfrm_sad_bump(sad);
fail_dst:
	rhltable_remove(&sad->by_spi, &x->by_spi, oxfrm_state_params);
fail_spi:
	oxfrm_spi_use_put(sad, x->key.spi, x->key.proto);
	return err;
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

/*
 * Gives a linked state a new SPI, under sad->lock. Should the table fail to
 * take it back (no memory), @x keeps its old SPI, out of the hash until it
 * is unlinked.
 */
int __oxfrm_state_rehash(struct oxfrm_state *x, __be32 spi)
{
	struct oxfrm_sad *sad = x->sad;
	__be32 old = x->key.spi;
	int err;

	lockdep_assert_held(&sad->lock);
	err = oxfrm_spi_use_get(sad, spi, x->key.proto);
	if (err)
		return err;
	rhltable_remove(&sad->by_spi, &x->by_spi, oxfrm_state_params);
	WRITE_ONCE(x->key.spi, spi);
	err = rhltable_insert(&sad->by_spi, &x->by_spi, oxfrm_state_params);
	if (err) {
		WRITE_ONCE(x->key.spi, old);
		oxfrm_spi_use_put(sad, spi, x->key.proto);
		if (rhltable_insert(&sad->by_spi, &x->by_spi, oxfrm_state_params))
			pr_warn_ratelimited("oxfrm: a state fell out of the SAD hash\n");
		return err;
	}
	oxfrm_spi_use_put(sad, old, x->key.proto);
	oxfrm_sad_bump(sad);
	return 0;
}

static void __oxfrm_state_unhash(struct oxfrm_state *x)
{
	struct oxfrm_sad *sad = x->sad;

	rhltable_remove(&sad->by_spi, &x->by_spi, oxfrm_state_params);
	oxfrm_spi_use_put(sad, x->key.spi, x->key.proto);
	rhltable_remove(&sad->by_dst, &x->by_dst, oxfrm_state_dst_params);
	if (x->seq)
		rhltable_remove(&sad->by_seq, &x->by_seq, oxfrm_state_seq_params);
	x->linked = false;
	/* Under x->lock too: whoever holds that sees the state's fate. */
	spin_lock(&x->lock);
	WRITE_ONCE(x->dead, true);
	spin_unlock(&x->lock);
	sad->count--;
	oxfrm_sad_encap_count(sad, x, -1);
	/* Before the SAD's reference goes: see oxfrm_output_cached(). */
	oxfrm_sad_bump(sad);
}

/*
 * Takes @x out of the SAD, if it is in, and drops the SAD's reference.
 * Returns whether it was in.
 */
bool oxfrm_state_unlink(struct oxfrm_state *x)
{
	struct oxfrm_sad *sad = x->sad;
	bool was_linked;

	spin_lock_bh(&sad->lock);
	was_linked = x->linked;
	if (was_linked) {
		__oxfrm_state_unhash(x);
		list_del_init(&x->all.list);
	}
	spin_unlock_bh(&sad->lock);
	if (was_linked)
		oxfrm_state_put(x);
	return was_linked;
}
EXPORT_SYMBOL_IF_OXFRM_KUNIT(oxfrm_state_unlink);

/*
 * Unlinks every state of @proto (0: any; IPSEC_PROTO_ANY: AH, ESP and
 * IPcomp, as xfrm_id_proto_match() reads it). Returns how many went.
 */
unsigned int oxfrm_state_flush_proto(struct oxfrm_sad *sad, u8 proto)
{
	struct oxfrm_sad_entry *e, *next;
	struct oxfrm_state *x;
	unsigned int n = 0;
	LIST_HEAD(dead);

	spin_lock_bh(&sad->lock);
	list_for_each_entry_safe(e, next, &sad->all, list) {
		if (e->marker)
			continue;
		x = container_of(e, struct oxfrm_state, all);
		if (!xfrm_id_proto_match(x->key.proto, proto))
			continue;
		__oxfrm_state_unhash(x);
		list_move_tail(&x->all.list, &dead);
		n++;
	}
	spin_unlock_bh(&sad->lock);

	list_for_each_entry_safe(e, next, &dead, list) {
		list_del_init(&e->list);
		oxfrm_state_put(container_of(e, struct oxfrm_state, all));
	}
	return n;
}

void oxfrm_state_flush(struct oxfrm_sad *sad)
{
	oxfrm_state_flush_proto(sad, 0);
}
EXPORT_SYMBOL_IF_OXFRM_KUNIT(oxfrm_state_flush);

/*
 * The newest linked state an inbound packet to @daddr with @spi matches
 * (its mark selects the packet's @mark), without a reference: under
 * rcu_read_lock() or sad->lock.
 */
static struct oxfrm_state *__oxfrm_state_lookup(struct oxfrm_sad *sad,
						const xfrm_address_t *daddr,
						__be32 spi, u8 proto,
						u16 family, u32 mark)
{
	struct rhlist_head *list, *pos;
	struct oxfrm_state_key key;
	struct oxfrm_state *x;

	/* Larval states wait with SPI 0; no packet or request names them. */
	if (!spi)
		return NULL;
	oxfrm_state_key_init(&key, daddr, spi, proto, family);
	list = rhltable_lookup(&sad->by_spi, &key, oxfrm_state_params);
	rhl_for_each_entry_rcu(x, pos, list, by_spi) {
		/* A state rehashed under us may lead into another chain. */
		if (READ_ONCE(x->key.spi) != spi)
			continue;
		if ((mark & x->mark.m) != x->mark.v)
			continue;
		return x;
	}
	return NULL;
}

/*
 * As __oxfrm_state_lookup(), with a reference; or NULL. Under
 * rcu_read_lock(), as protocol handlers and netfilter hooks run.
 */
struct oxfrm_state *oxfrm_state_lookup_rcu(struct oxfrm_sad *sad,
					   const xfrm_address_t *daddr,
					   __be32 spi, u8 proto, u16 family,
					   u32 mark)
{
	struct oxfrm_state *x;

	RCU_LOCKDEP_WARN(!rcu_read_lock_held(), "SAD lookup outside RCU");
	x = __oxfrm_state_lookup(sad, daddr, spi, proto, family, mark);
	return x && refcount_inc_not_zero(&x->refcnt) ? x : NULL;
}

/* As oxfrm_state_lookup_rcu(), from any context. */
struct oxfrm_state *oxfrm_state_lookup(struct oxfrm_sad *sad,
				       const xfrm_address_t *daddr, __be32 spi,
				       u8 proto, u16 family, u32 mark)
{
	struct oxfrm_state *x;

	rcu_read_lock();
	x = oxfrm_state_lookup_rcu(sad, daddr, spi, proto, family, mark);
	rcu_read_unlock();
	return x;
}
EXPORT_SYMBOL_IF_OXFRM_KUNIT(oxfrm_state_lookup);

/*
 * The linked state a new @x would clash with; under sad->lock, which keeps
 * it linked once the RCU section of the hash walk is over.
 */
static struct oxfrm_state *__oxfrm_state_locate(struct oxfrm_state *x)
{
	struct oxfrm_state *found;

	lockdep_assert_held(&x->sad->lock);
	rcu_read_lock();
	found = __oxfrm_state_lookup(x->sad, &x->daddr, x->key.spi,
				     x->key.proto, x->family,
				     x->mark.v & x->mark.m);
	rcu_read_unlock();
	return found;
}

/*
 * The states linked with these endpoints and reqid, newest first; walk
 * the list with rhl_for_each_entry_rcu(..., by_dst) under RCU.
 */
struct rhlist_head *oxfrm_state_lookup_dst(struct oxfrm_sad *sad,
					   const xfrm_address_t *daddr,
					   const xfrm_address_t *saddr,
					   u32 reqid, u16 family)
{
	struct oxfrm_state_dkey key;

	oxfrm_state_dkey_init(&key, daddr, saddr, reqid, family);
	return rhltable_lookup(&sad->by_dst, &key, oxfrm_state_dst_params);
}

/*
 * The larval state the key manager was asked about with acquire sequence
 * @seq (and whose mark selects @mark), under sad->lock; or NULL.
 */
static struct oxfrm_state *__oxfrm_state_find_acq_byseq(struct oxfrm_sad *sad,
							u32 seq, u32 mark)
{
	struct oxfrm_state *x, *found = NULL;
	struct rhlist_head *list, *pos;

	lockdep_assert_held(&sad->lock);
	rcu_read_lock();
	list = rhltable_lookup(&sad->by_seq, &seq, oxfrm_state_seq_params);
	rhl_for_each_entry_rcu(x, pos, list, by_seq) {
		if (x->kstate == OXFRM_STATE_ACQ &&
		    (mark & x->mark.m) == x->mark.v) {
			found = x;
			break;
		}
	}
	rcu_read_unlock();
	return found;
}

/*
 * The larval state a request for @want's destination and @seq names, with
 * a reference; or NULL. @seq 0 names none.
 */
struct oxfrm_state *oxfrm_state_find_acq_byseq(struct oxfrm_sad *sad,
					       const struct oxfrm_state *want,
					       u32 seq)
{
	struct oxfrm_state *x = NULL;

	if (!seq)
		return NULL;
	spin_lock_bh(&sad->lock);
	x = __oxfrm_state_find_acq_byseq(sad, seq, want->mark.v & want->mark.m);
	if (x && oxfrm_addr_equal(&x->daddr, &want->daddr, want->family))
		oxfrm_state_hold(x);
	else
		x = NULL;
	spin_unlock_bh(&sad->lock);
	return x;
}

/*
 * A linked larval state still without SPI that a state for @want's
 * parameters completes; under sad->lock. As in the stock kernel, the
 * interface ID is not compared.
 */
static struct oxfrm_state *__oxfrm_state_find_acq(struct oxfrm_sad *sad,
						  const struct oxfrm_state *want)
{
	u32 mark = want->mark.v & want->mark.m;
	struct oxfrm_state *x, *found = NULL;
	struct rhlist_head *list, *pos;

	lockdep_assert_held(&sad->lock);
	rcu_read_lock();
	list = oxfrm_state_lookup_dst(sad, &want->daddr, &want->saddr,
				      want->reqid, want->family);
	rhl_for_each_entry_rcu(x, pos, list, by_dst) {
		if (x->kstate != OXFRM_STATE_ACQ || x->key.spi ||
		    x->key.proto != want->key.proto ||
		    x->mode != want->mode ||
		    (mark & x->mark.m) != x->mark.v)
			continue;
		found = x;
		break;
	}
	rcu_read_unlock();
	return found;
}

/* As __oxfrm_state_find_acq(), with a reference; for ALLOCSPI. */
struct oxfrm_state *oxfrm_state_find_acq(struct oxfrm_sad *sad,
					 const struct oxfrm_state *want)
{
	struct oxfrm_state *x;

	spin_lock_bh(&sad->lock);
	x = __oxfrm_state_find_acq(sad, want);
	if (x)
		oxfrm_state_hold(x);
	spin_unlock_bh(&sad->lock);
	return x;
}

/*
 * XFRM_MSG_NEWSA: links @x, unless a linked state has its (destination,
 * SPI, protocol, family) and a mark that selects @x's (-EEXIST). The larval
 * state @x completes, if any, goes without an event: the one the key
 * manager was asked about with @x's sequence number, else one waiting with
 * no SPI for @x's parameters.
 */
int oxfrm_state_add(struct oxfrm_state *x)
{
	struct oxfrm_sad *sad = x->sad;
	struct oxfrm_state *acq = NULL;
	int err;

	spin_lock_bh(&sad->lock);
	if (__oxfrm_state_locate(x)) {
		err = -EEXIST;
		goto out;
	}
	if (x->seq) {
		acq = __oxfrm_state_find_acq_byseq(sad, x->seq,
						   x->mark.v & x->mark.m);
		if (acq && (acq->key.proto != x->key.proto ||
			    !oxfrm_addr_equal(&acq->daddr, &x->daddr, x->family)))
			acq = NULL;
	}
	if (!acq)
		acq = __oxfrm_state_find_acq(sad, x);
	x->mark.v &= x->mark.m;
	err = __oxfrm_state_insert(x);
	if (err)
		acq = NULL;
	if (acq)
		oxfrm_state_hold(acq);
out:
	spin_unlock_bh(&sad->lock);
	if (err)
		return err;
	oxfrm_state_arm(x, 1);
	if (acq) {
		oxfrm_state_unlink(acq);
		oxfrm_state_put(acq);
	}
	return 0;
}
EXPORT_SYMBOL_IF_OXFRM_KUNIT(oxfrm_state_add);

/*
 * Brings the linked state @x names up to date, as UPDSA does in place:
 * lifetimes, encapsulation ports and address, output mark, interface ID.
 * Under sad->lock too, for the count of encapsulation ports.
 */
static int oxfrm_state_update_valid(struct oxfrm_state *old,
				    const struct oxfrm_state *x)
{
	struct oxfrm_sad *sad = old->sad;
	int err = -EINVAL;

	spin_lock_bh(&sad->lock);
	spin_lock(&old->lock);
	if (old->dead || old->kstate != OXFRM_STATE_VALID || old->expired)
		goto out;
	if (x->has_encap != old->has_encap ||
	    (x->has_encap && x->encap.encap_type != old->encap.encap_type))
		goto out;
	if (x->has_encap) {
		/* The new port first: the hook never sees its bucket empty. */
		oxfrm_sad_encap_count(sad, x, 1);
		oxfrm_sad_encap_count(sad, old, -1);
		old->encap = x->encap;
	}
	old->lft = x->lft;
	old->dying = false;
	if (x->smark.v || x->smark.m)
		old->smark = x->smark;
	if (x->if_id)
		old->if_id = x->if_id;
	oxfrm_sad_bump(sad);
	mod_timer(&old->timer, jiffies + HZ);
	if (READ_ONCE(old->curlft.use_time))
		oxfrm_state_check_expire(old);
	err = 0;
out:
	spin_unlock(&old->lock);
	spin_unlock_bh(&sad->lock);
	return err;
}

/*
 * XFRM_MSG_UPDSA with @x as the request describes it: a larval state of the
 * same identity is replaced by @x, which is linked; a valid one is updated
 * in place (oxfrm_state_update_valid()) and @x stays unlinked. -ESRCH when
 * there is neither.
 */
int oxfrm_state_update(struct oxfrm_state *x)
{
	struct oxfrm_sad *sad = x->sad;
	struct oxfrm_state *old;
	bool replaced = false;
	int err = 0;

	spin_lock_bh(&sad->lock);
	old = __oxfrm_state_locate(x);
	if (!old) {
		spin_unlock_bh(&sad->lock);
		return -ESRCH;
	}
	oxfrm_state_hold(old);
	if (old->kstate == OXFRM_STATE_ACQ) {
		x->mark.v &= x->mark.m;
		err = __oxfrm_state_insert(x);
		replaced = !err;
	}
	spin_unlock_bh(&sad->lock);

	if (replaced) {
		oxfrm_state_arm(x, 1);
		oxfrm_state_unlink(old);
	} else if (!err) {
		err = oxfrm_state_update_valid(old, x);
	}
	oxfrm_state_put(old);
	return err;
}
EXPORT_SYMBOL_IF_OXFRM_KUNIT(oxfrm_state_update);

void oxfrm_sad_walk_init(struct oxfrm_sad_walk *w)
{
	INIT_LIST_HEAD(&w->entry.list);
	w->entry.marker = true;
	w->started = false;
	w->done = false;
}
EXPORT_SYMBOL_IF_OXFRM_KUNIT(oxfrm_sad_walk_init);

/*
 * Calls @fn for each linked state, newest first, under sad->lock, from
 * where the walk paused. When @fn returns non-zero, the walk pauses before
 * that state (which comes first next time) and returns what @fn returned;
 * 0 once every state was seen.
 */
int oxfrm_sad_walk(struct oxfrm_sad *sad, struct oxfrm_sad_walk *w,
		   int (*fn)(struct oxfrm_state *x, void *arg), void *arg)
{
	struct oxfrm_sad_entry *e;
	struct list_head *pos;
	int ret = 0;

	if (w->done)
		return 0;
	spin_lock_bh(&sad->lock);
	pos = w->started ? w->entry.list.next : sad->all.next;
	list_del_init(&w->entry.list);
	w->started = true;
	for (; pos != &sad->all; pos = pos->next) {
		e = list_entry(pos, struct oxfrm_sad_entry, list);
		if (e->marker)
			continue;
		ret = fn(container_of(e, struct oxfrm_state, all), arg);
		if (ret) {
			list_add_tail(&w->entry.list, pos);
			break;
		}
	}
	w->done = !ret;
	spin_unlock_bh(&sad->lock);
	return ret;
}
EXPORT_SYMBOL_IF_OXFRM_KUNIT(oxfrm_sad_walk);

/* Takes a paused walk's marker out of the list. */
void oxfrm_sad_walk_done(struct oxfrm_sad *sad, struct oxfrm_sad_walk *w)
{
	spin_lock_bh(&sad->lock);
	list_del_init(&w->entry.list);
	spin_unlock_bh(&sad->lock);
}
EXPORT_SYMBOL_IF_OXFRM_KUNIT(oxfrm_sad_walk_done);

/* How many states are linked; and in *buckets, the hash's size. */
unsigned int oxfrm_state_count(struct oxfrm_sad *sad, u32 *buckets)
{
	const struct bucket_table *tbl;
	unsigned int n;

	spin_lock_bh(&sad->lock);
	n = sad->count;
	rcu_read_lock();
	tbl = rht_dereference_rcu(sad->by_spi.ht.tbl, &sad->by_spi.ht);
	*buckets = tbl->size;
	rcu_read_unlock();
	spin_unlock_bh(&sad->lock);
	return n;
}

/* States come from their own cache: kmalloc would round them up a lot. */
int __init oxfrm_state_init(void)
{
	oxfrm_state_cachep = KMEM_CACHE(oxfrm_state, SLAB_HWCACHE_ALIGN);
	return oxfrm_state_cachep ? 0 : -ENOMEM;
}

/* After every namespace's SAD is gone, and every state with it. */
void oxfrm_state_exit(void)
{
	kmem_cache_destroy(oxfrm_state_cachep);
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
		return err;
	}
	on->sad->on = on;
	return 0;
}

void oxfrm_state_net_exit(struct oxfrm_net *on)
{
	oxfrm_sad_destroy(on->sad);
	kfree(on->sad);
	on->sad = NULL;
}
