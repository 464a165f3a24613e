// SPDX-License-Identifier: GPL-2.0
/*
 * MAPPING: the peer of an SA with UDP encapsulation now sends from
 * another address or port (its NAT moved it). oxfrm_nl_mapping() builds
 * the XFRMNLGRP_MAPPING message as xfrm_user's build_mapping() does; the
 * key manager decides whether to update the SA.
 */

#include <net/netlink.h>
#include <net/xfrm.h>
#include <oxfrm/netlink.h>
#include <oxfrm/state.h>

int oxfrm_nl_mapping(struct oxfrm_net *on, const struct oxfrm_state *x,
		     const xfrm_address_t *new_saddr, __be16 new_sport)
{
	struct xfrm_user_mapping *um;
	struct nlmsghdr *nlh;
	struct sk_buff *skb;

	skb = nlmsg_new(NLMSG_ALIGN(sizeof(*um)), GFP_ATOMIC);
	if (!skb)
		return -ENOMEM;
	nlh = nlmsg_put(skb, 0, 0, XFRM_MSG_MAPPING, sizeof(*um), 0);
	if (!nlh) {
		kfree_skb(skb);
		return -EMSGSIZE;
	}
	um = nlmsg_data(nlh);
	memset(um, 0, sizeof(*um));
	oxfrm_nl_sa_id(&um->id, x);
	um->new_saddr = *new_saddr;
	um->old_saddr = x->saddr;
	um->new_sport = new_sport;
	um->old_sport = READ_ONCE(x->encap.encap_sport);
	um->reqid = x->reqid;
	nlmsg_end(skb, nlh);
	return oxfrm_nl_multicast(on, skb, XFRMNLGRP_MAPPING);
}
