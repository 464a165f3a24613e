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
 * Readers (the packet path) call oxfrm_state_lookup_rcu() under RCU, which
 * takes a reference only with refcount_inc_not_zero(). Writers hold
 * sad->lock.
 */
#ifndef _OXFRM_STATE_H
#define _OXFRM_STATE_H

#include <linux/bits.h>
#include <linux/llist.h>
#include <linux/refcount.h>
#include <linux/rhashtable.h>
#include <linux/spinlock.h>
#include <linux/timer.h>
#include <linux/workqueue.h>
#include <linux/xfrm.h>
#include <net/dst_cache.h>

/*
 * The inbound key: what a packet names its SA by, hashed and compared as
 * bytes (zero past the family's address bytes). States of one key differ
 * only in their marks, which lookups check along the chain.
 */
struct oxfrm_state_key {
	xfrm_address_t daddr;
	__be32 spi;
	u16 family;
	u8 proto;
	u8 zero;
};

/*
 * An SPI in use by a protocol, whatever the destination: ALLOCSPI never
 * hands it out again (as on Debian's 6.1). Counted under sad->lock.
 */
struct oxfrm_spi_key {
	__be32 spi;
	u8 proto;
	u8 zero[3];
};

struct oxfrm_spi_use {
	struct rhash_head node;
	struct oxfrm_spi_key key;
	unsigned int users;
	struct rcu_head rcu;
};

/*
 * The second key: a state's endpoints and reqid, zero past the family's
 * address bytes. Larval states are found by it, and (with the data path)
 * the SAs of a policy's templates.
 */
struct oxfrm_state_dkey {
	xfrm_address_t daddr;
	xfrm_address_t saddr;
	u32 reqid;
	u16 family;
	u16 zero;
};

/*
 * An entry of sad->all: a state, or the marker of a dump that spans several
 * recvmsg() calls, which resumes after it whatever came or went meanwhile.
 */
struct oxfrm_sad_entry {
	struct list_head list;
	bool marker;
};

/* A walk over sad->all in parts (oxfrm_sad_walk()). */
struct oxfrm_sad_walk {
	struct oxfrm_sad_entry entry;	/* in sad->all while paused */
	bool started;
	bool done;
};

/* What the key manager sees of a state's life (x->kstate). */
enum oxfrm_kstate {
	OXFRM_STATE_ACQ,	/* larval: waiting for the key manager */
	OXFRM_STATE_VALID,
};

struct oxfrm_net;

/* The most buckets the SPI hash grows to (as the stock kernel's SAD). */
#define OXFRM_SAD_HASH_MAX	BIT(20)

/* log2 of the buckets of encapsulation ports (oxfrm_sad_encap_port). */
#define OXFRM_SAD_ENCAP_BITS	6

struct oxfrm_sad {
	struct oxfrm_net *on;		/* NULL for a detached SAD (KUnit) */
	spinlock_t lock;		/* writers; taken with _bh */
	struct rhltable by_spi;		/* oxfrm_state_key -> states, newest first */
	struct rhashtable spi_used;	/* oxfrm_spi_key -> oxfrm_spi_use */
	struct rhltable by_dst;		/* oxfrm_state_dkey -> states */
	struct rhltable by_seq;		/* acquire sequence -> states (seq != 0) */
	struct list_head all;		/* oxfrm_sad_entry: newest state first */
	unsigned int count;		/* linked states */
	/* linked states with UDP encap by hash of their port, 4500 aside */
	unsigned int encap_ports[BIT(OXFRM_SAD_ENCAP_BITS)];
	atomic64_t genid;		/* moves whenever an SA choice may */
	atomic_t nr_states;		/* allocated, not yet freed */
	struct llist_head gc_list;	/* states whose last reference went */
	struct work_struct gc_work;
};

struct crypto_aead;

struct oxfrm_state {
	struct oxfrm_state_key key;
	struct oxfrm_state_dkey dkey;	/* set when linked */
	struct rhlist_head by_spi;
	struct rhlist_head by_dst;
	struct rhlist_head by_seq;
	struct oxfrm_sad_entry all;
	struct llist_node gc;
	refcount_t refcnt;
	struct oxfrm_sad *sad;
	bool linked;			/* in the SAD; under sad->lock */
	bool dead;			/* was linked, and left for good */

	/*
	 * What NEWSA fixed, read without a lock. UPDSA may rewrite only the
	 * fields marked (u), under @lock.
	 */
	xfrm_address_t daddr;		/* only the family's bytes, the rest zero */
	u16 family;
	xfrm_address_t saddr;
	struct xfrm_selector sel;
	struct xfrm_mark mark;		/* value already masked */
	struct xfrm_mark smark;		/* (u) XFRMA_SET_MARK(_MASK) */
	u32 if_id;			/* (u) */
	u32 reqid;
	u32 seq;			/* acquire sequence; fixed once linked */
	u32 extra_flags;		/* XFRM_SA_XFLAG_* */
	u32 tfcpad;
	u8 mode;
	u8 flags;			/* XFRM_STATE_* of struct xfrm_usersa_info */
	u8 replay_window;		/* legacy window, at most 32 */
	u8 kstate;			/* enum oxfrm_kstate */
	u8 aalgo_id;			/* integrity algorithm's SADB id */
	bool has_encap;
	bool has_coaddr;
	struct xfrm_encap_tmpl encap;	/* (u) ports and original address */
	xfrm_address_t coaddr;		/* kept and reported, never used */

	/* Algorithms as stored (canonical names), and their transform. */
	struct xfrm_algo_aead *aead;
	struct xfrm_algo_auth *aalg;
	struct xfrm_algo *ealg;
	const char *geniv;
	struct crypto_aead *tfm;
	u16 header_len;			/* ESP header, IV, outer headers */
	u16 trailer_len;		/* worst-case padding, trailer, ICV */
	struct dst_cache dst_cache;	/* the ESP packets' route, mark 0 */
	/*
	 * What stands for the state in the sec_paths of the packets it
	 * decrypts (src/input/input.c): made with the transform, so every
	 * state NEWSA, UPDSA or MIGRATE makes valid has one.
	 */
	struct xfrm_state *xs;

	/* Mutable state of the packet path and the timers, under @lock. */
	spinlock_t lock;
	struct timer_list timer;	/* lifetimes; holds no reference */
	struct xfrm_lifetime_cfg lft;	/* (u) */
	struct xfrm_lifetime_cur curlft;
	time64_t lastused;
	struct xfrm_stats stats;
	struct xfrm_replay_state replay;
	struct xfrm_replay_state_esn *replay_esn;	/* NULL: legacy */
	u32 replay_maxage;		/* aevent timer, jiffies */
	u32 replay_maxdiff;		/* aevent sequence threshold */
	u32 mapping_maxage;		/* XFRMA_MTIMER_THRESH, seconds */
	time64_t new_mapping;		/* when the last MAPPING went */
	__be16 new_mapping_sport;	/* ... and for which port */
	bool dying;			/* a soft limit passed */
	bool soft_notify;		/* ... by bytes or packets: timer tells */
	bool expired;			/* a hard byte or packet limit passed */
	bool soft_add_pending;		/* see oxfrm_lifetime_time() */
	long saved_tmo;
};

/* state.c */
int oxfrm_state_init(void);
void oxfrm_state_exit(void);
int oxfrm_state_net_init(struct oxfrm_net *on);
void oxfrm_state_net_exit(struct oxfrm_net *on);
int oxfrm_sad_init(struct oxfrm_sad *sad);
bool oxfrm_sad_encap_port(struct oxfrm_sad *sad, __be16 port);
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
void oxfrm_state_arm(struct oxfrm_state *x, time64_t seconds);
int oxfrm_state_add(struct oxfrm_state *x);
int oxfrm_state_update(struct oxfrm_state *x);
struct oxfrm_state *oxfrm_state_lookup_rcu(struct oxfrm_sad *sad,
					   const xfrm_address_t *daddr,
					   __be32 spi, u8 proto, u16 family,
					   u32 mark);
struct oxfrm_state *oxfrm_state_lookup(struct oxfrm_sad *sad,
				       const xfrm_address_t *daddr, __be32 spi,
				       u8 proto, u16 family, u32 mark);
struct rhlist_head *oxfrm_state_lookup_dst(struct oxfrm_sad *sad,
					   const xfrm_address_t *daddr,
					   const xfrm_address_t *saddr,
					   u32 reqid, u16 family);
struct oxfrm_state *oxfrm_state_find_acq(struct oxfrm_sad *sad,
					 const struct oxfrm_state *want);
struct oxfrm_state *oxfrm_state_find_acq_byseq(struct oxfrm_sad *sad,
					       const struct oxfrm_state *want,
					       u32 seq);
unsigned int oxfrm_state_count(struct oxfrm_sad *sad, u32 *buckets);
void oxfrm_sad_walk_init(struct oxfrm_sad_walk *w);
int oxfrm_sad_walk(struct oxfrm_sad *sad, struct oxfrm_sad_walk *w,
		   int (*fn)(struct oxfrm_state *x, void *arg), void *arg);
void oxfrm_sad_walk_done(struct oxfrm_sad *sad, struct oxfrm_sad_walk *w);
bool oxfrm_state_spi_in_use(struct oxfrm_sad *sad, __be32 spi, u8 proto);
void oxfrm_state_release(struct oxfrm_state *x);
bool oxfrm_state_host_to_host(const struct oxfrm_state *x,
			      const struct sk_buff *skb, u16 family, bool out);

/* @mark with the SA's output mark (XFRMA_SET_MARK) applied to it. */
static inline u32 oxfrm_state_smark(const struct oxfrm_state *x, u32 mark)
{
	return (mark & ~x->smark.m) | (x->smark.v & x->smark.m);
}

static inline void oxfrm_state_hold(struct oxfrm_state *x)
{
	refcount_inc(&x->refcnt);
}

/* Inline: every packet drops one or two; the last one is rare. */
static inline void oxfrm_state_put(struct oxfrm_state *x)
{
	if (refcount_dec_and_test(&x->refcnt))
		oxfrm_state_release(x);
}

/* lifetime.c */
enum oxfrm_lifetime_event {
	OXFRM_LFT_NONE,
	OXFRM_LFT_SOFT,		/* soft limit: one EXPIRE, hard 0 */
	OXFRM_LFT_HARD,		/* hard limit: EXPIRE, hard 1, and delete */
};

enum oxfrm_lifetime_event oxfrm_lifetime_time(struct oxfrm_state *x,
					      time64_t now, time64_t *next);
void oxfrm_state_timer(struct timer_list *t);
int oxfrm_state_check_expire(struct oxfrm_state *x);

/* migrate.c */
struct xfrm_migrate;
struct oxfrm_state *oxfrm_state_find_migrate(struct oxfrm_sad *sad,
					     const struct xfrm_migrate *m,
					     u32 if_id);
struct oxfrm_state *oxfrm_state_clone(struct oxfrm_state *orig, gfp_t gfp);

/* spi.c */
extern const struct rhashtable_params oxfrm_spi_use_params;
int oxfrm_spi_use_get(struct oxfrm_sad *sad, __be32 spi, u8 proto);
void oxfrm_spi_use_put(struct oxfrm_sad *sad, __be32 spi, u8 proto);
int oxfrm_state_verify_spi_range(u8 proto, u32 low, u32 high);
int oxfrm_state_alloc_spi(struct oxfrm_state *x, u32 low, u32 high);

#endif /* _OXFRM_STATE_H */
