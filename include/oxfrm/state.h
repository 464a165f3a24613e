/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SAD (src/state): security associations, their life cycle and lookup.
 *
 * Ownership: oxfrm_state_alloc() returns a state holding one reference, the
 * caller's. oxfrm_state_insert() makes the SAD hold a second one, dropped by
 * oxfrm_state_unlink(). The last oxfrm_state_put() hands the state to the
 * SAD's garbage collector, which frees it after an RCU grace period, so
 * readers that found it under rcu_read_lock() never touch freed memory.
 *
 * Readers (the packet path) use oxfrm_state_lookup() under RCU and take a
 * reference only with refcount_inc_not_zero(). Writers hold sad->lock.
 */
#ifndef _OXFRM_STATE_H
#define _OXFRM_STATE_H

#include <linux/llist.h>
#include <linux/refcount.h>
#include <linux/rhashtable.h>
#include <linux/spinlock.h>
#include <linux/timer.h>
#include <linux/workqueue.h>
#include <linux/xfrm.h>

/*
 * The hash key: SPI and protocol, hashed and compared as bytes. An SPI is
 * unique per protocol when allocated (as on Debian's 6.1), so chains are
 * short; lookups filter the destination, family and mark along them.
 */
struct oxfrm_state_key {
	__be32 spi;
	u8 proto;
	u8 zero[3];
};

/* What the key manager sees of a state's life (x->kstate). */
enum oxfrm_kstate {
	OXFRM_STATE_ACQ,	/* larval: waiting for the key manager */
	OXFRM_STATE_VALID,
};

struct oxfrm_net;

struct oxfrm_sad {
	struct oxfrm_net *on;		/* NULL for a detached SAD (KUnit) */
	spinlock_t lock;		/* writers; taken with _bh */
	struct rhltable by_spi;		/* (SPI, proto) -> states, newest first */
	struct list_head all;		/* every linked state, newest first */
	unsigned int count;		/* linked states */
	atomic_t nr_states;		/* allocated, not yet freed */
	struct llist_head gc_list;	/* states whose last reference went */
	struct work_struct gc_work;
};

struct oxfrm_state {
	struct oxfrm_state_key key;
	struct rhlist_head by_spi;
	struct list_head all;
	struct llist_node gc;
	refcount_t refcnt;
	struct oxfrm_sad *sad;
	bool linked;			/* in the SAD; under sad->lock */
	bool dead;			/* was linked, and left for good */

	struct timer_list timer;	/* lifetimes; holds no reference */

	xfrm_address_t daddr;		/* only the family's bytes, the rest zero */
	u16 family;
	xfrm_address_t saddr;
	struct xfrm_selector sel;
	struct xfrm_lifetime_cfg lft;
	struct xfrm_lifetime_cur curlft;
	struct xfrm_stats stats;
	struct xfrm_replay_state replay;
	struct xfrm_mark mark;
	u32 if_id;
	u32 reqid;
	u32 seq;			/* the key manager's acquire sequence */
	u8 mode;
	u8 flags;			/* XFRM_STATE_* of struct xfrm_usersa_info */
	u8 replay_window;
	u8 kstate;			/* enum oxfrm_kstate */
};

/* state.c */
int oxfrm_state_net_init(struct oxfrm_net *on);
void oxfrm_state_net_exit(struct oxfrm_net *on);
int oxfrm_sad_init(struct oxfrm_sad *sad);
void oxfrm_sad_destroy(struct oxfrm_sad *sad);
struct oxfrm_state *oxfrm_state_alloc(struct oxfrm_sad *sad, gfp_t gfp);
void oxfrm_state_set_id(struct oxfrm_state *x, const xfrm_address_t *daddr,
			__be32 spi, u8 proto, u16 family);
int __oxfrm_state_insert(struct oxfrm_state *x);
int __oxfrm_state_rehash(struct oxfrm_state *x, __be32 spi);
int oxfrm_state_insert(struct oxfrm_state *x);
bool oxfrm_state_unlink(struct oxfrm_state *x);
void oxfrm_state_flush(struct oxfrm_sad *sad);
unsigned int oxfrm_state_flush_proto(struct oxfrm_sad *sad, u8 proto);
void oxfrm_state_arm(struct oxfrm_state *x, unsigned int seconds);
struct oxfrm_state *oxfrm_state_lookup(struct oxfrm_sad *sad,
				       const xfrm_address_t *daddr, __be32 spi,
				       u8 proto, u16 family, u32 mark);
struct oxfrm_state *oxfrm_state_find_acq(struct oxfrm_sad *sad,
					 const struct oxfrm_state *want);
bool oxfrm_state_spi_in_use(struct oxfrm_sad *sad, __be32 spi, u8 proto);
void oxfrm_state_put(struct oxfrm_state *x);

static inline void oxfrm_state_hold(struct oxfrm_state *x)
{
	refcount_inc(&x->refcnt);
}

/* spi.c */
int oxfrm_state_verify_spi_range(u8 proto, u32 low, u32 high);
int oxfrm_state_alloc_spi(struct oxfrm_state *x, u32 low, u32 high);

#endif /* _OXFRM_STATE_H */
