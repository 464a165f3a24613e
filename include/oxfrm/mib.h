/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SNMP-style counters (src/mib): the kernel's LINUX_MIB_XFRM* list, per
 * namespace and per CPU, shown in /proc/net/oxfrm_stat.
 */
#ifndef _OXFRM_MIB_H
#define _OXFRM_MIB_H

#include <linux/percpu.h>
#include <net/snmp.h>
#include <oxfrm/oxfrm.h>

/* Indexed by the LINUX_MIB_XFRM* values; index 0 (XFRMNUM) is unused. */
struct oxfrm_mib {
	unsigned long mibs[LINUX_MIB_XFRMMAX];
};

extern const char *const oxfrm_mib_names[LINUX_MIB_XFRMMAX];

#define OXFRM_INC_STATS(net, field) \
	this_cpu_inc(oxfrm_pernet(net)->mib->mibs[field])

int oxfrm_mib_net_init(struct oxfrm_net *on);
void oxfrm_mib_net_exit(struct oxfrm_net *on);
void oxfrm_mib_fold(const struct oxfrm_mib __percpu *mib,
		    unsigned long out[LINUX_MIB_XFRMMAX]);
int oxfrm_mib_seq_show(struct seq_file *seq, void *v);

#endif /* _OXFRM_MIB_H */
