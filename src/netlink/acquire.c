// SPDX-License-Identifier: GPL-2.0
/*
 * ACQUIRE: asking the key manager for SAs. oxfrm_nl_acquire() builds the
 * XFRMNLGRP_ACQUIRE message as xfrm_user's build_acquire() does. The data
 * path raises it for a flow a policy wants protected and no SA covers; a
 * key manager may raise it too, with XFRM_MSG_ACQUIRE, as the stock kernel
 * lets it: one message per template of the policy it sends.
 */

#include <net/netlink.h>
#include <net/sock.h>
#include <net/xfrm.h>
#include <oxfrm/netlink.h>
#include <oxfrm/policy.h>

/*
 * Tells the key manager that @pol, template @t, wants an SA for @id from
 * @saddr, for traffic of @sel; @seq names the request (xfrm_get_acqseq()).
 */
int oxfrm_nl_acquire(struct oxfrm_net *on, const struct xfrm_id *id,
		     const xfrm_address_t *saddr,
		     const struct xfrm_selector *sel,
		     const struct oxfrm_policy *pol,
		     const struct xfrm_user_tmpl *t, u32 seq, gfp_t gfp)
{
	struct xfrm_user_acquire *ua;
	struct nlmsghdr *nlh;
	struct sk_buff *skb;

	skb = nlmsg_new(NLMSG_ALIGN(sizeof(*ua)) +
			nla_total_size(sizeof(*t) * pol->nr_tmpls) +
			nla_total_size(sizeof(struct xfrm_userpolicy_type)) +
			nla_total_size(sizeof(struct xfrm_mark)) +
			nla_total_size(sizeof(u32)), gfp);
	if (!skb)
		return -ENOMEM;
	nlh = nlmsg_put(skb, 0, 0, XFRM_MSG_ACQUIRE, sizeof(*ua), 0);
	if (!nlh)
		goto fail;
	ua = nlmsg_data(nlh);
	memset(ua, 0, sizeof(*ua));
	ua->id = *id;
	ua->saddr = *saddr;
	ua->sel = *sel;
	oxfrm_nl_policy_info(pol, &ua->policy);
	ua->policy.dir = XFRM_POLICY_OUT;
	ua->aalgos = t->aalgos;
	ua->ealgos = t->ealgos;
	ua->calgos = t->calgos;
	ua->seq = seq;
	if (oxfrm_nl_policy_attrs(skb, pol))
		goto fail;
	nlmsg_end(skb, nlh);
	return oxfrm_nl_multicast(on, skb, XFRMNLGRP_ACQUIRE);
fail:
	kfree_skb(skb);
	return -EMSGSIZE;
}

/*
 * XFRM_MSG_ACQUIRE from a key manager (xfrm_add_acquire()): the policy it
 * carries is checked as NEWPOLICY checks one, never linked, and each of
 * its templates, given the request's algorithm masks, is acquired in turn.
 */
int oxfrm_nl_add_acquire(struct sk_buff *skb, struct nlmsghdr *nlh,
			 struct nlattr **attrs, struct netlink_ext_ack *extack)
{
	struct oxfrm_net *on = oxfrm_pernet(sock_net(skb->sk));
	struct xfrm_user_acquire *ua = nlmsg_data(nlh);
	struct oxfrm_policy *pol;
	struct xfrm_user_tmpl *t;
	int i, err;

	pol = oxfrm_nl_policy_construct(on, &ua->policy, attrs, &err, extack);
	if (!pol)
		return err;
	for (i = 0; i < pol->nr_tmpls; i++) {
		t = &pol->tmpls[i];
		t->aalgos = ua->aalgos;
		t->ealgos = ua->ealgos;
		t->calgos = ua->calgos;
		oxfrm_nl_acquire(on, &t->id, &ua->saddr, &ua->sel, pol, t,
				 xfrm_get_acqseq(), GFP_KERNEL);
	}
	oxfrm_policy_put(pol);
	return 0;
}
