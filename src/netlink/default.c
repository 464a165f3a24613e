// SPDX-License-Identifier: GPL-2.0
/*
 * XFRM_MSG_SETDEFAULT and XFRM_MSG_GETDEFAULT: the action for traffic no
 * policy matches, per direction. A change is announced to XFRMNLGRP_POLICY
 * as a GETDEFAULT message, as the stock kernel announces it.
 */

#include <net/netlink.h>
#include <net/sock.h>
#include <oxfrm/netlink.h>
#include <oxfrm/policy.h>

static struct sk_buff *oxfrm_nl_default_msg(struct oxfrm_net *on, u32 portid,
					    u32 seq)
{
	struct xfrm_userpolicy_default *up;
	struct nlmsghdr *nlh;
	struct sk_buff *skb;

	skb = nlmsg_new(NLMSG_ALIGN(sizeof(*up)), GFP_KERNEL);
	if (!skb)
		return NULL;
	nlh = nlmsg_put(skb, portid, seq, XFRM_MSG_GETDEFAULT, sizeof(*up), 0);
	if (!nlh) {
		kfree_skb(skb);
		return NULL;
	}
	up = nlmsg_data(nlh);
	memset(up, 0, sizeof(*up));
	up->in = oxfrm_policy_default(on, XFRM_POLICY_IN);
	up->fwd = oxfrm_policy_default(on, XFRM_POLICY_FWD);
	up->out = oxfrm_policy_default(on, XFRM_POLICY_OUT);
	nlmsg_end(skb, nlh);
	return skb;
}

int oxfrm_nl_set_default(struct sk_buff *skb, struct nlmsghdr *nlh,
			 struct nlattr **attrs, struct netlink_ext_ack *extack)
{
	struct oxfrm_net *on = oxfrm_pernet(sock_net(skb->sk));
	struct xfrm_userpolicy_default *up = nlmsg_data(nlh);
	struct sk_buff *ev;

	oxfrm_policy_default_set(on, XFRM_POLICY_IN, up->in);
	oxfrm_policy_default_set(on, XFRM_POLICY_FWD, up->fwd);
	oxfrm_policy_default_set(on, XFRM_POLICY_OUT, up->out);

	ev = oxfrm_nl_default_msg(on, 0, 0);
	if (ev)
		oxfrm_nl_multicast(on, ev, XFRMNLGRP_POLICY);
	return 0;
}

int oxfrm_nl_get_default(struct sk_buff *skb, struct nlmsghdr *nlh,
			 struct nlattr **attrs, struct netlink_ext_ack *extack)
{
	struct oxfrm_net *on = oxfrm_pernet(sock_net(skb->sk));
	struct sk_buff *reply;

	reply = oxfrm_nl_default_msg(on, NETLINK_CB(skb).portid,
				     nlh->nlmsg_seq);
	if (!reply)
		return -ENOMEM;
	return oxfrm_nl_unicast(on, reply, NETLINK_CB(skb).portid);
}
