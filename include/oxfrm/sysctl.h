/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per namespace settings under net.oxfrm (src/sysctl.c).
 */
#ifndef _OXFRM_SYSCTL_H
#define _OXFRM_SYSCTL_H

#include <oxfrm/oxfrm.h>

struct ctl_table;

enum oxfrm_sysctl_index {
	OXFRM_SYSCTL_LARVAL_DROP,
	OXFRM_SYSCTL_ACQ_EXPIRES,
	OXFRM_SYSCTL_AEVENT_ETIME,
	OXFRM_SYSCTL_AEVENT_RSEQTH,
	OXFRM_SYSCTL_COUNT
};

void oxfrm_sysctl_defaults(struct oxfrm_sysctl *s);
struct ctl_table *oxfrm_sysctl_table(struct oxfrm_net *on);
int oxfrm_acq_expires(const struct oxfrm_net *on);
int oxfrm_sysctl_net_init(struct oxfrm_net *on);
void oxfrm_sysctl_net_exit(struct oxfrm_net *on);

#endif /* _OXFRM_SYSCTL_H */
