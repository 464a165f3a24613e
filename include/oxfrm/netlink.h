/* SPDX-License-Identifier: GPL-2.0 */
/*
 * NETLINK_XFRM (src/netlink): the kernel socket oxfrm owns per namespace.
 */
#ifndef _OXFRM_NETLINK_H
#define _OXFRM_NETLINK_H

#include <oxfrm/oxfrm.h>

int oxfrm_netlink_net_init(struct oxfrm_net *on);
void oxfrm_netlink_net_exit(struct oxfrm_net *on);

#endif /* _OXFRM_NETLINK_H */
