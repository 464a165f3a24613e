/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Types every oxfrm subsystem shares: the per network namespace state.
 */
#ifndef _OXFRM_OXFRM_H
#define _OXFRM_OXFRM_H

#include <linux/export.h>
#include <linux/jiffies.h>
#include <linux/minmax.h>
#include <linux/mutex.h>
#include <linux/rhashtable-types.h>
#include <linux/types.h>
#include <linux/xfrm.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

struct oxfrm_mib;
struct oxfrm_sad;
struct oxfrm_spd;
struct ctl_table_header;
struct sock;

/* Per namespace settings, under net.oxfrm (src/sysctl.c). */
struct oxfrm_sysctl {
	int larval_drop;	/* drop (1) or queue (0) while an SA is acquired */
	int acq_expires;	/* larval state lifetime (s); 0: net.core's */
	u32 aevent_etime;	/* async event timer, in 100 ms units */
	u32 aevent_rseqth;	/* async event replay sequence threshold */
};

/* Everything oxfrm keeps for one network namespace. */
struct oxfrm_net {
	struct net *net;
	struct oxfrm_mib __percpu *mib;		/* src/mib */
	struct oxfrm_sysctl sysctl;		/* src/sysctl.c */
	struct ctl_table_header *sysctl_hdr;
	struct sock __rcu *nlsk;		/* src/netlink: NETLINK_XFRM */
	struct sock *nlsk_stash;		/* ... kept until exit */
	struct mutex cfg_mutex;			/* serialises netlink changes */
	u8 policy_default[XFRM_POLICY_MAX];	/* src/policy/default.c */
	struct oxfrm_sad *sad;			/* src/state */
	struct oxfrm_spd *spd;			/* src/policy */
};

/*
 * What the KUnit suites (oxfrm_kunit.ko) call is exported only in the
 * KUnit build: a production oxfrm.ko exports nothing.
 */
#ifdef OXFRM_KUNIT
#define EXPORT_SYMBOL_IF_OXFRM_KUNIT(sym) EXPORT_SYMBOL_GPL(sym)
#else
#define EXPORT_SYMBOL_IF_OXFRM_KUNIT(sym)
#endif

/*
 * Lifetimes (of SAs and policies) are user-given seconds: clamped, so that
 * no product with HZ wraps into a time already past (a timer firing every
 * tick).
 */
static inline unsigned long oxfrm_secs_to_jiffies(time64_t seconds)
{
	return (unsigned long)clamp_t(time64_t, seconds, 1,
				      MAX_JIFFY_OFFSET / HZ) * HZ;
}

/*
 * An rhashtable comparison (0: equal) of keys of @len bytes, a multiple of
 * four, at @key_offset in the objects: word by word, inline. rhashtable's
 * own is an out-of-line memcmp() with a length it reads at run time, on
 * every lookup of every packet.
 */
static inline int oxfrm_key_cmp(const struct rhashtable_compare_arg *arg,
				const void *obj, size_t key_offset, size_t len)
{
	const u32 *a = (const u32 *)((const u8 *)obj + key_offset);
	const u32 *b = arg->key;
	u32 diff = 0;
	size_t i;

	for (i = 0; i < len / sizeof(u32); i++)
		diff |= a[i] ^ b[i];
	return diff != 0;
}

extern unsigned int oxfrm_net_id;

static inline struct oxfrm_net *oxfrm_pernet(const struct net *net)
{
	return net_generic(net, oxfrm_net_id);
}

/* src/main.c */
bool oxfrm_module_loaded(const char *name);

#endif /* _OXFRM_OXFRM_H */
