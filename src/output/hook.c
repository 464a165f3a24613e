// SPDX-License-Identifier: GPL-2.0
/*
 * Where outbound packets meet the SPD: netfilter hooks at LOCAL_OUT (what
 * this host sends) and FORWARD (what it routes), for IPv4 and IPv6, last
 * in line, after conntrack and NAT. The stock kernel consults its OUT
 * policies when it routes a packet, before any of those hooks; LOCAL_OUT
 * and FORWARD are the first places after routing that see every such
 * packet once, and with its route, which the MTU check needs. POST_ROUTING
 * would see packets after source NAT, which policies are not written for.
 *
 * Passed untouched: ESP this module made (marked transformed), packets on
 * routes without IPsec (loopback, disable_xfrm), packets of sockets that
 * carry their own policy (strongSwan's IKE sockets: the kernel's
 * per-socket bypass), and everything when no OUT policy exists and the
 * default allows. Dropped: packets whose headers cannot be classified.
 * Blocked: what a block policy or a blocking default matches, with EPERM
 * for a local sender, as in the stock kernel.
 */

#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/sock.h>
#include <net/xfrm.h>
#include <oxfrm/compat.h>
#include <oxfrm/mib.h>
#include <oxfrm/output.h>
#include <oxfrm/policy.h>
#include <oxfrm/state.h>
#include <oxfrm/sysctl.h>

static bool oxfrm_hook_transformed(const struct sk_buff *skb, u16 family)
{
	if (family == AF_INET)
		return IPCB(skb)->flags & IPSKB_XFRM_TRANSFORMED;
	return IP6CB(skb)->flags & IP6SKB_XFRM_TRANSFORMED;
}

/* A socket with a policy of its own: the kernel's, not the SPD's. */
static bool oxfrm_hook_sock_bypass(const struct sk_buff *skb)
{
	const struct sock *sk = skb_to_full_sk(skb);

	return sk && sk_fullsock(sk) &&
	       rcu_access_pointer(sk->sk_policy[XFRM_POLICY_OUT]);
}

/*
 * The policy's SA, or the packet waits or goes: while the key manager is
 * asked, held on the policy (larval_drop = 0, hold.c) or dropped and
 * counted in XfrmOutNoStates; with no key manager at all, counted in
 * XfrmOutPolError. One template per policy (strongSwan's ESP): nested
 * bundles count in XfrmOutBundleGenError.
 */
static unsigned int oxfrm_hook_protect(struct oxfrm_net *on,
				       struct sk_buff *skb, unsigned int hook,
				       struct oxfrm_policy *pol,
				       const struct oxfrm_flow *fl)
{
	struct oxfrm_state *x;
	int err;

	if (pol->nr_tmpls != 1) {
		OXFRM_INC_STATS(on->net, LINUX_MIB_XFRMOUTBUNDLEGENERROR);
		return NF_DROP;
	}
	x = oxfrm_output_resolve(on, pol, &pol->tmpls[0], fl, &err);
	if (!x && err == -EAGAIN) {
		/* oxfrm_hold() counts what it cannot hold itself. */
		if (READ_ONCE(on->sysctl.larval_drop))
			OXFRM_INC_STATS(on->net, LINUX_MIB_XFRMOUTNOSTATES);
		else if (oxfrm_hold(pol, skb))
			return NF_STOLEN;
		/* The packet vanishes; the sender sees no error. */
		kfree_skb(skb);
		return NF_STOLEN;
	}
	if (!x) {
		OXFRM_INC_STATS(on->net, LINUX_MIB_XFRMOUTPOLERROR);
		return NF_DROP;
	}
	/* What ip_forward_finish() would have done before sending it on. */
	if (hook == NF_INET_FORWARD)
		skb_clear_tstamp(skb);
	oxfrm_output(on, skb, x, fl->family);
	return NF_STOLEN;
}

/*
 * What the OUT policies make of @skb, of @family, at @hook, routed out of
 * @out: NF_ACCEPT to send it as it is, NF_DROP, or NF_STOLEN (protected,
 * held or dropped here).
 */
static unsigned int oxfrm_hook_verdict(struct oxfrm_net *on,
				       struct sk_buff *skb, u16 family,
				       unsigned int hook,
				       const struct net_device *out)
{
	struct oxfrm_policy *pol;
	struct oxfrm_flow fl;
	unsigned int verdict;

	/* Bridged frames (br_netfilter) are not routed: no policy applies. */
	if (oxfrm_hook_transformed(skb, family) || oxfrm_bridged(skb))
		return NF_ACCEPT;
	/* Loopback and disable_xfrm devices: no policy applies. */
	if (skb_dst(skb) && (skb_dst(skb)->flags & DST_NOXFRM))
		return NF_ACCEPT;
	if (!READ_ONCE(on->spd->count[XFRM_POLICY_OUT]) &&
	    oxfrm_policy_default(on, XFRM_POLICY_OUT) != XFRM_USERPOLICY_BLOCK)
		return NF_ACCEPT;
	if (hook == NF_INET_LOCAL_OUT && oxfrm_hook_sock_bypass(skb))
		return NF_ACCEPT;
	/* What cannot be classified cannot be let past the policies. */
	if (oxfrm_flow_decode(skb, family, &fl)) {
		if (hook == NF_INET_FORWARD)
			OXFRM_INC_STATS(on->net, LINUX_MIB_XFRMFWDHDRERROR);
		return NF_DROP;
	}
	fl.oif = out->ifindex;
	fl.mark = skb->mark;

	pol = oxfrm_spd_lookup_rcu(on->spd, XFRM_POLICY_OUT, &fl);
	if (!pol) {
		if (oxfrm_policy_default(on, XFRM_POLICY_OUT) ==
		    XFRM_USERPOLICY_BLOCK)
			return NF_DROP;
		return NF_ACCEPT;
	}
	oxfrm_policy_touch(pol);
	if (pol->action != XFRM_POLICY_ALLOW) {
		OXFRM_INC_STATS(on->net, LINUX_MIB_XFRMOUTPOLBLOCK);
		verdict = NF_DROP;
	} else if (!pol->nr_tmpls) {
		verdict = NF_ACCEPT;
	} else {
		verdict = oxfrm_hook_protect(on, skb, hook, pol, &fl);
	}
	oxfrm_policy_put(pol);
	return verdict;
}

static unsigned int oxfrm_hook(void *priv, struct sk_buff *skb,
			       const struct nf_hook_state *state)
{
	return oxfrm_hook_verdict(oxfrm_pernet(state->net), skb,
				  state->pf == NFPROTO_IPV4 ? AF_INET : AF_INET6,
				  state->hook, state->out);
}

/*
 * A packet the hold queue kept (routed, its dst held) meets the policies
 * again: protected now, held again, sent in the clear if a policy says
 * so by now, or dropped. Consumes @skb.
 */
void oxfrm_output_resend(struct oxfrm_net *on, struct sk_buff *skb)
{
	u16 family = skb->protocol == htons(ETH_P_IP) ? AF_INET : AF_INET6;
	bool fwd = family == AF_INET ?
		   IPCB(skb)->flags & IPSKB_FORWARDED :
		   IP6CB(skb)->flags & IP6SKB_FORWARDED;
	unsigned int hook = fwd ? NF_INET_FORWARD : NF_INET_LOCAL_OUT;
	struct net_device *dev;

	/* The device it came in on may have gone while it waited. */
	if (fwd) {
		dev = dev_get_by_index_rcu(on->net, skb->skb_iif);
		skb->dev = dev ? : skb_dst(skb)->dev;
	}
	switch (oxfrm_hook_verdict(on, skb, family, hook,
				   skb_dst(skb)->dev)) {
	case NF_ACCEPT:
		if (fwd)
			skb_clear_tstamp(skb);
		dst_output(on->net, skb->sk, skb);
		break;
	case NF_DROP:
		kfree_skb(skb);
		break;
	}
}

static const struct nf_hook_ops oxfrm_hook_ops[] = {
	{
		.hook = oxfrm_hook,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_LOCAL_OUT,
		.priority = NF_IP_PRI_LAST,
	}, {
		.hook = oxfrm_hook,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_FORWARD,
		.priority = NF_IP_PRI_LAST,
	}, {
		.hook = oxfrm_hook,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_LOCAL_OUT,
		.priority = NF_IP6_PRI_LAST,
	}, {
		.hook = oxfrm_hook,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_FORWARD,
		.priority = NF_IP6_PRI_LAST,
	},
};

int oxfrm_output_net_init(struct oxfrm_net *on)
{
	return nf_register_net_hooks(on->net, oxfrm_hook_ops,
				     ARRAY_SIZE(oxfrm_hook_ops));
}

/* No hook runs on return: unregistering waits for the running ones. */
void oxfrm_output_net_exit(struct oxfrm_net *on)
{
	nf_unregister_net_hooks(on->net, oxfrm_hook_ops,
				ARRAY_SIZE(oxfrm_hook_ops));
}
