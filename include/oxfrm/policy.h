/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SPD (src/policy): security policies, the default action per direction
 * for traffic no policy matches (XFRM_MSG_SETDEFAULT), and the checks of
 * policies as users send them.
 *
 * Ownership: oxfrm_policy_alloc() returns a policy holding one reference,
 * the caller's. oxfrm_spd_insert() makes the SPD hold a second one, dropped
 * when the policy is unlinked (delete, replace, flush, hard expiry). The
 * last oxfrm_policy_put() hands the policy to the SPD's garbage collector,
 * which stops its timer and frees it after an RCU grace period, so readers
 * that found it under rcu_read_lock() never touch freed memory.
 *
 * Writers hold spd->lock (with _bh: the lifetime timer writes too).
 * Readers (the data path) call oxfrm_spd_lookup_rcu() under RCU, which
 * takes no lock; oxfrm_spd_lookup() takes the RCU read lock itself.
 */
#ifndef _OXFRM_POLICY_H
#define _OXFRM_POLICY_H

#include <linux/llist.h>
#include <linux/refcount.h>
#include <linux/rhashtable.h>
#include <linux/seqlock.h>
#include <linux/spinlock.h>
#include <linux/timekeeping.h>
#include <linux/timer.h>
#include <linux/workqueue.h>
#include <linux/xfrm.h>
#include <net/xfrm.h>
#include <oxfrm/oxfrm.h>

/* default.c */
void oxfrm_policy_default_init(struct oxfrm_net *on);
bool oxfrm_policy_default_set(struct oxfrm_net *on, int dir, u8 action);

/* What traffic of @dir that no policy matches meets: accept or block. */
static inline u8 oxfrm_policy_default(const struct oxfrm_net *on, int dir)
{
	return READ_ONCE(on->policy_default[dir]);
}

/* verify.c */
struct netlink_ext_ack;
int oxfrm_policy_verify_dir(u8 dir, struct netlink_ext_ack *extack);
int oxfrm_policy_verify_type(u8 type, struct netlink_ext_ack *extack);
int oxfrm_policy_verify_info(const struct xfrm_userpolicy_info *p,
			     struct netlink_ext_ack *extack);
int oxfrm_policy_verify_tmpls(struct xfrm_user_tmpl *ut, int nr, u16 family,
			      u8 dir, struct netlink_ext_ack *extack);

/* spd.c */

/*
 * Where a policy is hashed: its direction, type and family, the prefix
 * lengths of its selector, and its addresses masked to them. Hashed and
 * compared as bytes, so unused bytes stay zero. Policies with full-length
 * prefixes (exact ones) hash by their whole addresses; the others share a
 * key with every policy of the same prefix lengths and masked addresses.
 */
struct oxfrm_spd_key {
	xfrm_address_t daddr;
	xfrm_address_t saddr;
	u16 family;
	u8 dir;
	u8 type;
	u8 plen_d;
	u8 plen_s;
	u8 zero[2];
};

/*
 * A (prefixlen_s, prefixlen_d) pair some policy of a class (family,
 * direction, type) uses: a lookup probes the hash once per tuple of its
 * class (tuple space search), so its cost grows with the number of
 * distinct prefix pairs, not with the number of policies. A tuple whose
 * policies all have a priority value above the best match found so far is
 * skipped (min_priority only decreases: a stale value skips less, never
 * wrongly).
 */
struct oxfrm_spd_tuple {
	struct list_head list;		/* spd->tuples[...], under RCU */
	struct rcu_head rcu;
	unsigned int users;		/* linked policies; under spd->lock */
	u32 min_priority;		/* lowest priority value it ever held */
	u8 plen_d;
	u8 plen_s;
};

/*
 * The policies of one key, best first: by priority value, then insertion
 * order. A lookup stops at the first match of a chain; a replacement
 * takes its predecessor's place (hlist_replace_rcu) or goes in before it
 * leaves, so a reader never misses both.
 */
struct oxfrm_spd_chain {
	struct rhash_head node;
	struct oxfrm_spd_key key;
	struct hlist_head pols;		/* RCU readers; under spd->lock */
	struct rcu_head rcu;
};

#define OXFRM_SPD_FAMILIES 2		/* AF_INET, AF_INET6 */
/* The stock kernel's policy hash limit, which SPDINFO reports. */
#define OXFRM_SPD_HASHMAX BIT(20)

struct oxfrm_spd {
	struct oxfrm_net *on;		/* NULL for a detached SPD (KUnit) */
	spinlock_t lock;		/* writers; taken with _bh */
	struct rhashtable by_key;	/* struct oxfrm_spd_key -> chain */
	struct rhashtable by_index;	/* index -> policy */
	struct list_head all;		/* policies and dump markers, newest first */
	struct list_head tuples[OXFRM_SPD_FAMILIES][XFRM_POLICY_MAX]
			       [XFRM_POLICY_TYPE_MAX];
	unsigned int count[XFRM_POLICY_MAX];	/* linked, per direction */
	u32 idx_generator;		/* detached SPDs (KUnit) only */
	u64 seq;			/* insertion order, for priority ties */
	/* What the stock kernel reports of its hash tables (SPDINFO). */
	unsigned int bydst_hmask[XFRM_POLICY_MAX];
	unsigned int idx_hmask;
	struct xfrmu_spdhthresh hthresh4;
	struct xfrmu_spdhthresh hthresh6;
	atomic_t nr_policies;		/* allocated, not yet freed */
	struct llist_head gc_list;	/* policies whose last reference went */
	struct work_struct gc_work;
};

/* An entry of spd->all: a policy, or a dump's resume marker. */
struct oxfrm_spd_walk {
	struct list_head all;
	bool marker;
	bool started;			/* markers: the dump has begun */
};

/* Packets waiting for an SA (larval_drop = 0): src/output/hold.c. */
struct oxfrm_hold {
	struct sk_buff_head skbs;	/* its lock guards the rest */
	struct timer_list timer;	/* holds a reference while pending */
	unsigned long timeout;		/* jiffies until the next look */
	bool resending;			/* the timer is at work */
};

struct oxfrm_policy {
	struct oxfrm_spd_walk walk;	/* first: spd->all holds walk entries */
	struct oxfrm_spd_key key;
	struct hlist_node by_key;	/* in chain->pols */
	struct oxfrm_spd_chain *chain;	/* while linked */
	struct rhash_head by_index;
	struct llist_node gc;
	refcount_t refcnt;
	struct oxfrm_spd *spd;
	struct timer_list timer;	/* lifetimes; holds no reference */
	struct oxfrm_hold hold;
	/*
	 * The SA an OUT policy's template last resolved to, valid while the
	 * SAD's generation is out_gen (see resolve.c); holds no reference.
	 */
	seqlock_t out_lock;
	struct oxfrm_state *out_x;
	u64 out_gen;
	u64 seq;			/* lower wins a priority tie */
	bool linked;			/* in the SPD; under spd->lock */

	struct xfrm_selector sel;	/* as the user sent it, padding too */
	struct xfrm_lifetime_cfg lft;
	struct xfrm_lifetime_cur curlft;
	struct xfrm_mark mark;		/* value already masked */
	u32 if_id;
	u32 priority;
	u32 index;			/* low three bits: the direction */
	u8 dir;
	u8 type;			/* XFRM_POLICY_TYPE_MAIN or _SUB */
	u8 action;			/* XFRM_POLICY_ALLOW or _BLOCK */
	u8 flags;			/* XFRM_POLICY_LOCALOK, _ICMP */
	u8 nr_tmpls;
	struct xfrm_user_tmpl tmpls[XFRM_MAX_DEPTH];	/* as sent */
};

int oxfrm_spd_init(struct oxfrm_spd *spd);
void oxfrm_spd_destroy(struct oxfrm_spd *spd);
int oxfrm_spd_net_init(struct oxfrm_net *on);
void oxfrm_spd_net_exit(struct oxfrm_net *on);

struct oxfrm_policy *oxfrm_policy_alloc(struct oxfrm_spd *spd, gfp_t gfp);
void oxfrm_policy_release(struct oxfrm_policy *pol);

/* Inline: every packet drops one; the last one is rare. */
static inline void oxfrm_policy_put(struct oxfrm_policy *pol)
{
	if (refcount_dec_and_test(&pol->refcnt))
		oxfrm_policy_release(pol);
}

static inline void oxfrm_policy_hold(struct oxfrm_policy *pol)
{
	refcount_inc(&pol->refcnt);
}

int oxfrm_spd_insert(struct oxfrm_policy *pol, bool excl);
bool oxfrm_spd_unlink(struct oxfrm_policy *pol);
unsigned int oxfrm_spd_flush(struct oxfrm_spd *spd, u8 type);
struct oxfrm_policy *oxfrm_spd_find_sel(struct oxfrm_spd *spd, u8 dir,
					u8 type, const struct xfrm_selector *sel,
					const struct xfrm_mark *mark,
					u32 if_id);
struct oxfrm_policy *oxfrm_spd_find_index(struct oxfrm_spd *spd, u8 dir,
					  u8 type, u32 index,
					  const struct xfrm_mark *mark,
					  u32 if_id);
void oxfrm_spd_walk_init(struct oxfrm_spd_walk *w);
int oxfrm_spd_walk(struct oxfrm_spd *spd, struct oxfrm_spd_walk *w,
		   int (*fn)(struct oxfrm_policy *pol, void *arg), void *arg);
void oxfrm_spd_walk_done(struct oxfrm_spd *spd, struct oxfrm_spd_walk *w);

/* migrate.c */
struct oxfrm_policy *oxfrm_spd_find_migrate(struct oxfrm_spd *spd,
					    const struct xfrm_selector *sel,
					    u8 dir, u8 type, u32 if_id);
int oxfrm_policy_migrate(struct oxfrm_policy *pol, const struct xfrm_migrate *m,
			 int n);

/* classify.c */

/*
 * A packet's flow as the SPD classifies it. Ports as the kernel's flowi
 * carries them: for ICMP, sport holds the type and dport the code (as
 * xfrm_flowi_sport/dport); for protocols without ports, zero.
 */
struct oxfrm_flow {
	xfrm_address_t saddr;		/* only the family's bytes matter */
	xfrm_address_t daddr;
	__be16 sport;
	__be16 dport;
	u16 family;			/* AF_INET or AF_INET6 */
	u8 proto;
	int oif;			/* outgoing (or incoming) ifindex */
	u32 mark;			/* skb mark */
	u32 if_id;			/* xfrm interface ID, 0 for none */
};

/* flow.c */
struct sk_buff;
int oxfrm_flow_decode(const struct sk_buff *skb, u16 family,
		      struct oxfrm_flow *fl);

int oxfrm_spd_tuple_get(struct oxfrm_spd *spd, const struct oxfrm_spd_key *key,
			u32 priority, struct oxfrm_spd_tuple **spare);
void oxfrm_spd_tuple_put(struct oxfrm_spd *spd,
			 const struct oxfrm_spd_key *key);
struct oxfrm_spd_chain *oxfrm_spd_chain_find(struct oxfrm_spd *spd,
					     const struct oxfrm_spd_key *key);
int oxfrm_spd_chain_link(struct oxfrm_spd *spd, struct oxfrm_policy *pol,
			 struct oxfrm_spd_chain **spare);
void oxfrm_spd_chain_replace(struct oxfrm_spd *spd, struct oxfrm_policy *old,
			     struct oxfrm_policy *pol);
void oxfrm_spd_chain_unlink(struct oxfrm_spd *spd, struct oxfrm_policy *pol);
void oxfrm_spd_key_init(struct oxfrm_spd_key *key, u8 dir, u8 type,
			u16 family, const xfrm_address_t *daddr, u8 plen_d,
			const xfrm_address_t *saddr, u8 plen_s);
bool oxfrm_selector_match(const struct xfrm_selector *sel,
			  const struct oxfrm_flow *fl);
bool oxfrm_policy_match(const struct oxfrm_policy *pol, u8 type,
			const struct oxfrm_flow *fl);
struct oxfrm_policy *oxfrm_spd_lookup_rcu(struct oxfrm_spd *spd, u8 dir,
					  const struct oxfrm_flow *fl);
struct oxfrm_policy *oxfrm_spd_lookup(struct oxfrm_spd *spd, u8 dir,
				      const struct oxfrm_flow *fl);

/* A packet used @pol now: use lifetimes count from here. */
static inline void oxfrm_policy_touch(struct oxfrm_policy *pol)
{
	time64_t now = ktime_get_real_seconds();

	/* Once a second at most: CPUs sharing a policy share its line. */
	if (READ_ONCE(pol->curlft.use_time) != now)
		WRITE_ONCE(pol->curlft.use_time, now);
}

extern const struct rhashtable_params oxfrm_spd_key_params;

#endif /* _OXFRM_POLICY_H */
