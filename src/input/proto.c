// SPDX-License-Identifier: GPL-2.0
/*
 * The IPv4 and IPv6 ESP protocol handlers. Only one module can hold each;
 * failing to get one means esp4 or esp6 (or a vti driver) has it.
 *
 * ICMP errors about ESP this host sent (fragmentation needed, Packet Too
 * Big, redirects) update the route to the SA's peer when the SPI names an
 * SA, as esp4_err()/esp6_err() do: the next ESP packet sees the new path
 * MTU, and the tunnel's MTU told to senders shrinks with it.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/in.h>
#include <net/esp.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/ndisc.h>
#include <net/protocol.h>
#include <net/route.h>
#include <net/xfrm.h>
#include <oxfrm/input.h>
#include <oxfrm/oxfrm.h>
#include <oxfrm/state.h>

static int oxfrm_esp4_rcv(struct sk_buff *skb)
{
	return oxfrm_input(skb, AF_INET, 0);
}

/* Whether the ESP header at @off from skb->data names an SA of ours. */
static bool oxfrm_esp_err_known(struct sk_buff *skb, unsigned int off,
				const xfrm_address_t *daddr, u16 family)
{
	const struct ip_esp_hdr *esph;
	struct oxfrm_state *x;

	if (!pskb_may_pull(skb, off + sizeof(*esph)))
		return false;
	esph = (const struct ip_esp_hdr *)(skb->data + off);
	x = oxfrm_state_lookup(oxfrm_pernet(dev_net(skb->dev))->sad, daddr,
			       esph->spi, IPPROTO_ESP, family, skb->mark);
	if (!x)
		return false;
	oxfrm_state_put(x);
	return true;
}

static int oxfrm_esp4_err(struct sk_buff *skb, u32 info)
{
	const struct iphdr *iph = (const struct iphdr *)skb->data;
	struct net *net = dev_net(skb->dev);
	xfrm_address_t daddr = { .a4 = iph->daddr };
	u8 type = icmp_hdr(skb)->type, code = icmp_hdr(skb)->code;

	if (type == ICMP_DEST_UNREACH && code == ICMP_FRAG_NEEDED) {
		if (oxfrm_esp_err_known(skb, iph->ihl * 4, &daddr, AF_INET))
			ipv4_update_pmtu(skb, net, info, 0, IPPROTO_ESP);
	} else if (type == ICMP_REDIRECT) {
		if (oxfrm_esp_err_known(skb, iph->ihl * 4, &daddr, AF_INET))
			ipv4_redirect(skb, net, 0, IPPROTO_ESP);
	}
	return 0;
}

static int oxfrm_esp6_rcv(struct sk_buff *skb)
{
	return oxfrm_input(skb, AF_INET6, 0);
}

static int oxfrm_esp6_err(struct sk_buff *skb, struct inet6_skb_parm *opt,
			  u8 type, u8 code, int offset, __be32 info)
{
	const struct ipv6hdr *ip6h = (const struct ipv6hdr *)skb->data;
	struct net *net = dev_net(skb->dev);
	xfrm_address_t daddr;

	if (type != ICMPV6_PKT_TOOBIG && type != NDISC_REDIRECT)
		return 0;
	daddr.in6 = ip6h->daddr;
	if (!oxfrm_esp_err_known(skb, offset, &daddr, AF_INET6))
		return 0;
	if (type == NDISC_REDIRECT)
		ip6_redirect(skb, net, skb->dev->ifindex, 0,
			     sock_net_uid(net, NULL));
	else
		ip6_update_pmtu(skb, net, info, 0, 0, sock_net_uid(net, NULL));
	return 0;
}

static const struct net_protocol oxfrm_esp4_protocol = {
	.handler = oxfrm_esp4_rcv,
	.err_handler = oxfrm_esp4_err,
	.no_policy = 1,
};

static const struct inet6_protocol oxfrm_esp6_protocol = {
	.handler = oxfrm_esp6_rcv,
	.err_handler = oxfrm_esp6_err,
	.flags = INET6_PROTO_NOPOLICY,
};

int oxfrm_proto_init(void)
{
	if (inet_add_protocol(&oxfrm_esp4_protocol, IPPROTO_ESP) < 0) {
		pr_err("the IPv4 ESP handler is held by another module; unload esp4 first\n");
		return -EBUSY;
	}
	if (inet6_add_protocol(&oxfrm_esp6_protocol, IPPROTO_ESP) < 0) {
		pr_err("the IPv6 ESP handler is held by another module; unload esp6 first\n");
		inet_del_protocol(&oxfrm_esp4_protocol, IPPROTO_ESP);
		return -EBUSY;
	}
	return 0;
}

/* inet{,6}_del_protocol wait for readers to finish with the handlers. */
void oxfrm_proto_exit(void)
{
	inet6_del_protocol(&oxfrm_esp6_protocol, IPPROTO_ESP);
	inet_del_protocol(&oxfrm_esp4_protocol, IPPROTO_ESP);
}
