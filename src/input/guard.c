// SPDX-License-Identifier: GPL-2.0
/*
 * Packets that arrive in the clear meet the IN and FWD policies too: a
 * policy that wants ESP refuses them, a block policy and a blocking
 * default drop them. The stock kernel checks them where it delivers them
 * (each protocol's xfrm4/6_policy_check()) and where it forwards them
 * (ip_forward()); oxfrm checks them in netfilter hooks at the same
 * places: last at LOCAL_IN, first at FORWARD. The LOCAL_IN hook gives ESP
 * in UDP to src/natt first. At LAST, IPv4's priority ties with conntrack's
 * confirm hook (IPv6's confirm is at LAST - 1), so ESP in UDP usually has
 * its UDP flow confirmed before oxfrm takes it, as the stock kernel, which
 * takes it at the socket, does.
 *
 * Passed: what oxfrm decrypted (it carries a sec_path, and met its policy
 * in oxfrm_input(); see oxfrm_guard_judged()); ESP itself, whose SA lookup
 * is its check; devices with disable_policy; packets for sockets that
 * carry their own IN policy (strongSwan's IKE sockets: the kernel enforces
 * that one), and bridged frames, which the stock kernel never checks.
 *
 * IPv6 reassembles fragments after LOCAL_IN, where ports-based policies
 * would see fragments without ports: oxfrm has nf_defrag_ipv6 reassemble
 * them before routing, as conntrack does (IPv4 reassembles before
 * LOCAL_IN on its own). ESP in UDP (src/natt) needs it too.
 */

#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/netfilter/ipv6/nf_defrag_ipv6.h>
#include <net/udp.h>
#include <net/xfrm.h>
#include <oxfrm/compat.h>
#include <oxfrm/input.h>
#include <oxfrm/mib.h>
#include <oxfrm/natt.h>
#include <oxfrm/policy.h>

static bool oxfrm_guard_sk_has_policy(const struct sock *sk)
{
	return sk && sk_fullsock(sk) &&
	       rcu_access_pointer(sk->sk_policy[XFRM_POLICY_IN]);
}

/*
 * Whether the socket the packet is for has a policy of its own: the one
 * early demux found, else the UDP socket its ports name (under RCU, as
 * the hook runs).
 */
static bool oxfrm_guard_sock_bypass(struct sk_buff *skb,
				    const struct oxfrm_flow *fl)
{
	struct net *net = dev_net(skb->dev);
	int dif = skb->dev->ifindex;
	struct sock *sk;

	if (skb->sk)
		return oxfrm_guard_sk_has_policy(skb_to_full_sk(skb));
	if (fl->proto != IPPROTO_UDP)
		return false;
	if (fl->family == AF_INET)
		sk = __udp4_lib_lookup(net, fl->saddr.a4, fl->sport,
				       fl->daddr.a4, fl->dport, dif, 0,
				       oxfrm_udp_table(net), NULL);
	else
		sk = __udp6_lib_lookup(net, &fl->saddr.in6, fl->sport,
				       &fl->daddr.in6, fl->dport, dif, 0,
				       oxfrm_udp_table(net), NULL);
	return oxfrm_guard_sk_has_policy(sk);
}

/* disable_policy on the receiving device (__xfrm_check_dev_nopolicy()). */
static bool oxfrm_guard_dev_nopolicy(const struct sk_buff *skb, u16 family)
{
	if (family == AF_INET)
		return IPCB(skb)->flags & IPSKB_NOPOLICY;
	return skb_dst(skb) && (skb_dst(skb)->flags & DST_NOPOLICY);
}

/*
 * A packet oxfrm decrypted met its IN policy in oxfrm_input(). Its sec_path
 * makes each protocol's xfrm4/6_policy_check() run the kernel's own check
 * as well (__xfrm_check_nopolicy() passes only packets without one), a
 * lookup in the kernel's SPD, which oxfrm leaves empty, for every packet
 * delivered. An IPv4 packet can be told to skip it with the flag a device
 * with disable_policy sets (__xfrm_check_dev_nopolicy()); sockets with a
 * policy of their own are checked all the same. IPv6 keeps that flag in
 * the shared route (DST_NOPOLICY), so its packets are checked twice.
 */
static void oxfrm_guard_judged(struct sk_buff *skb, u16 family, u8 dir)
{
	if (family == AF_INET && dir == XFRM_POLICY_IN &&
	    oxfrm_input_decrypted(skb))
		IPCB(skb)->flags |= IPSKB_NOPOLICY;
}

static unsigned int oxfrm_guard(void *priv, struct sk_buff *skb,
				const struct nf_hook_state *state)
{
	u16 family = state->pf == NFPROTO_IPV4 ? AF_INET : AF_INET6;
	u8 dir = state->hook == NF_INET_LOCAL_IN ? XFRM_POLICY_IN :
						   XFRM_POLICY_FWD;
	struct oxfrm_net *on = oxfrm_pernet(state->net);
	struct oxfrm_flow fl;
	int mib;

	if (secpath_exists(skb)) {
		oxfrm_guard_judged(skb, family, dir);
		return NF_ACCEPT;
	}
	if (oxfrm_bridged(skb))
		return NF_ACCEPT;
	if (!READ_ONCE(on->spd->count[dir]) &&
	    oxfrm_policy_default(on, dir) != XFRM_USERPOLICY_BLOCK)
		return NF_ACCEPT;
	if (oxfrm_guard_dev_nopolicy(skb, family))
		return NF_ACCEPT;
	/* ESP has its check in its SA lookup (the stock no_policy flag). */
	if (family == AF_INET && dir == XFRM_POLICY_IN &&
	    ip_hdr(skb)->protocol == IPPROTO_ESP)
		return NF_ACCEPT;
	if (oxfrm_flow_decode(skb, family, &fl)) {
		OXFRM_INC_STATS(state->net, dir == XFRM_POLICY_IN ?
				LINUX_MIB_XFRMINHDRERROR :
				LINUX_MIB_XFRMFWDHDRERROR);
		return NF_DROP;
	}
	/* The same for IPv6, once its extension headers are behind. */
	if (fl.proto == IPPROTO_ESP && dir == XFRM_POLICY_IN)
		return NF_ACCEPT;
	fl.oif = state->in->ifindex;
	fl.mark = skb->mark;

	mib = oxfrm_input_policy_verdict(on, &fl, dir, NULL, 0);
	if (!mib)
		return NF_ACCEPT;
	if (dir == XFRM_POLICY_IN && oxfrm_guard_sock_bypass(skb, &fl))
		return NF_ACCEPT;
	OXFRM_INC_STATS(state->net, mib);
	return NF_DROP;
}

/*
 * LOCAL_IN: ESP in UDP first (src/natt), then the policies. One hook
 * function for both, as every packet for this host meets both: a hook
 * traversal less per packet.
 */
static unsigned int oxfrm_guard_local_in(void *priv, struct sk_buff *skb,
					 const struct nf_hook_state *state)
{
	unsigned int verdict = oxfrm_natt_rcv(skb, state);

	if (verdict != NF_ACCEPT)
		return verdict;
	return oxfrm_guard(priv, skb, state);
}

static const struct nf_hook_ops oxfrm_guard_ops[] = {
	{
		.hook = oxfrm_guard_local_in,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_LOCAL_IN,
		.priority = NF_IP_PRI_LAST,
	}, {
		.hook = oxfrm_guard,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_FORWARD,
		.priority = NF_IP_PRI_FIRST,
	}, {
		.hook = oxfrm_guard_local_in,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_LOCAL_IN,
		.priority = NF_IP6_PRI_LAST,
	}, {
		.hook = oxfrm_guard,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_FORWARD,
		.priority = NF_IP6_PRI_FIRST,
	},
};

int oxfrm_input_net_init(struct oxfrm_net *on)
{
	int err = nf_defrag_ipv6_enable(on->net);

	if (err)
		return err;
	err = nf_register_net_hooks(on->net, oxfrm_guard_ops,
				    ARRAY_SIZE(oxfrm_guard_ops));
	if (err)
		nf_defrag_ipv6_disable(on->net);
	return err;
}

void oxfrm_input_net_exit(struct oxfrm_net *on)
{
	nf_unregister_net_hooks(on->net, oxfrm_guard_ops,
				ARRAY_SIZE(oxfrm_guard_ops));
	nf_defrag_ipv6_disable(on->net);
}
