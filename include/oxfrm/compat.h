/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernels oxfrm builds against (Debian's 6.1 and
 * bookworm-backports' 6.12), kept in one place.
 */
#ifndef _OXFRM_COMPAT_H
#define _OXFRM_COMPAT_H

#include <linux/version.h>
#include <net/net_namespace.h>

/* 6.6 passes the table size explicitly; 6.11 dropped the empty sentinel. */
static inline struct ctl_table_header *
oxfrm_register_net_sysctl(struct net *net, const char *path,
			  struct ctl_table *table, size_t n)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
	return register_net_sysctl_sz(net, path, table, n);
#else
	return register_net_sysctl(net, path, table);
#endif
}

/* 6.11 made the table argument of a sysctl handler const. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
#define oxfrm_ctl_table const struct ctl_table
#else
#define oxfrm_ctl_table struct ctl_table
#endif

/* 6.10 added the SA direction counters to LINUX_MIB_XFRM*. */
#define OXFRM_HAVE_MIB_DIR_ERRORS \
	(LINUX_VERSION_CODE >= KERNEL_VERSION(6, 10, 0))

#endif /* _OXFRM_COMPAT_H */
