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

/* Sends a reply to the requester; consumes @skb. */
int oxfrm_nl_unicast(struct oxfrm_net *on, struct sk_buff *skb, u32 portid)
{
	lockdep_assert_held(&on->cfg_mutex);
	return nlmsg_unicast(on->nlsk_stash, skb, portid);
}

/* Announces @skb to a XFRMNLGRP_* group; consumes @skb. */
int oxfrm_nl_multicast(struct oxfrm_net *on, struct sk_buff *skb, u32 group)
{
	int err = -EPIPE;
	struct sock *sk;

	rcu_read_lock();
	sk = rcu_dereference(on->nlsk);
	if (sk)
		err = nlmsg_multicast(sk, skb, 0, group, GFP_ATOMIC);
	else
		kfree_skb(skb);
	rcu_read_unlock();
	return err;
}

/* Whether anyone listens to @group, e.g. a key manager to ACQUIRE. */
bool oxfrm_nl_has_listeners(struct oxfrm_net *on, u32 group)
{
	struct sock *sk;
	bool ret;

	rcu_read_lock();
	sk = rcu_dereference(on->nlsk);
	ret = sk && netlink_has_listeners(sk, group);
	rcu_read_unlock();
	return ret;
}

int oxfrm_netlink_net_init(struct oxfrm_net *on)
{
	struct netlink_kernel_cfg cfg = {
		.groups = XFRMNLGRP_MAX,
		.input = oxfrm_netlink_rcv,
	};
	struct sock *sk;

	mutex_init(&on->cfg_mutex);
	sk = netlink_kernel_create(on->net, NETLINK_XFRM, &cfg);
	if (!sk) {
		if (oxfrm_module_loaded("xfrm_user")) {
			pr_err("NETLINK_XFRM is held by xfrm_user; unload xfrm_user first\n");
			return -EBUSY;
		}
		return -ENOMEM;
	}
	on->nlsk_stash = sk;
	rcu_assign_pointer(on->nlsk, sk);
	return 0;
}

/*
 * Unpublish the socket; the namespace core waits an RCU grace period
 * between pre_exit and exit, so no multicast still uses it in exit.
 */
void oxfrm_netlink_net_pre_exit(struct oxfrm_net *on)
{
	RCU_INIT_POINTER(on->nlsk, NULL);
}

void oxfrm_netlink_net_exit(struct oxfrm_net *on)
{
	netlink_kernel_release(on->nlsk_stash);
	on->nlsk_stash = NULL;
	mutex_destroy(&on->cfg_mutex);
}
