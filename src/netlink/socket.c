// SPDX-License-Identifier: GPL-2.0
/*
 * The NETLINK_XFRM kernel socket, one per namespace. Holding it is what
 * makes `ip xfrm` and strongSwan talk to oxfrm rather than to xfrm_user.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/netlink.h>
#include <linux/xfrm.h>
#include <net/netlink.h>
#include <net/sock.h>
#include <oxfrm/netlink.h>

/*
 * Requests are checked as xfrm_user checks them (type range, then
 * CAP_NET_ADMIN in the namespace's user namespace, for every message).
 * The handlers themselves arrive with the SPD and SAD.
 */
static int oxfrm_netlink_rcv_msg(struct sk_buff *skb, struct nlmsghdr *nlh,
				 struct netlink_ext_ack *extack)
{
	if (nlh->nlmsg_type < XFRM_MSG_BASE || nlh->nlmsg_type > XFRM_MSG_MAX)
		return -EINVAL;
	if (!netlink_net_capable(skb, CAP_NET_ADMIN))
		return -EPERM;
	NL_SET_ERR_MSG(extack, "oxfrm does not implement this request yet");
	return -EOPNOTSUPP;
}

static void oxfrm_netlink_rcv(struct sk_buff *skb)
{
	netlink_rcv_skb(skb, oxfrm_netlink_rcv_msg);
}

int oxfrm_netlink_net_init(struct oxfrm_net *on)
{
	struct netlink_kernel_cfg cfg = {
		.groups = XFRMNLGRP_MAX,
		.input = oxfrm_netlink_rcv,
	};
	struct sock *sk;

	sk = netlink_kernel_create(on->net, NETLINK_XFRM, &cfg);
	if (!sk) {
		if (oxfrm_module_loaded("xfrm_user")) {
			pr_err("NETLINK_XFRM is held by xfrm_user; unload xfrm_user first\n");
			return -EBUSY;
		}
		return -ENOMEM;
	}
	rcu_assign_pointer(on->nlsk, sk);
	return 0;
}

void oxfrm_netlink_net_exit(struct oxfrm_net *on)
{
	struct sock *sk = rcu_dereference_protected(on->nlsk, true);

	RCU_INIT_POINTER(on->nlsk, NULL);
	netlink_kernel_release(sk);
}
