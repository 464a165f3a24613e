/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernels oxfrm builds against (Debian's 6.1 and
 * bookworm-backports' 6.12), kept in one place. The OXFRM_HAVE_* macros are
 * probed in the target kernel's headers by Kbuild.
 */
#ifndef _OXFRM_COMPAT_H
#define _OXFRM_COMPAT_H

#include <linux/netfilter_bridge.h>
#include <net/net_namespace.h>
#include <net/udp.h>
/* 6.5 moved skb_gso_segment() out of netdevice.h. */
#ifdef OXFRM_HAVE_NET_GSO_H
#include <net/gso.h>
#endif

/* 6.6 passes the table size explicitly; 6.11 dropped the empty sentinel. */
static inline struct ctl_table_header *
oxfrm_register_net_sysctl(struct net *net, const char *path,
			  struct ctl_table *table, size_t n)
{
#ifdef OXFRM_HAVE_SYSCTL_SZ
	return register_net_sysctl_sz(net, path, table, n);
#else
	return register_net_sysctl(net, path, table);
#endif
}

/* A frame bridged through br_netfilter's IP hooks (none without it). */
static inline bool oxfrm_bridged(const struct sk_buff *skb)
{
#if IS_ENABLED(CONFIG_BRIDGE_NETFILTER)
	return nf_bridge_info_exists(skb);
#else
	return false;
#endif
}

/* 6.2 gave each namespace its UDP socket table (or the shared one). */
static inline struct udp_table *oxfrm_udp_table(const struct net *net)
{
#ifdef OXFRM_HAVE_NETNS_UDP_TABLE
	return net->ipv4.udp_table;
#else
	return &udp_table;
#endif
}

#endif /* _OXFRM_COMPAT_H */
