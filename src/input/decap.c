// SPDX-License-Identifier: GPL-2.0
/*
 * What is left of a packet once ESP is gone: in tunnel mode the inner
 * packet, whose DSCP and ECN take what the SA's flags say from the outer
 * header (RFC 4301 section 5.1.2.1, RFC 6040); in transport mode the
 * payload, behind its own IP header moved forward over the ESP header.
 */

#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <net/dsfield.h>
#include <net/inet_ecn.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/xfrm.h>
#include <oxfrm/input.h>
#include <oxfrm/state.h>

/* The outer header's DS field, read where it still lies. */
static u8 oxfrm_outer_dsfield(const struct oxfrm_state *x,
			      const struct sk_buff *skb)
{
	if (x->family == AF_INET)
		return ip_hdr(skb)->tos;
	return ipv6_get_dsfield(ipv6_hdr(skb));
}

static int oxfrm_decap_tunnel(struct oxfrm_state *x, struct sk_buff *skb,
			      int nexthdr, u16 *family)
{
	u8 outer = oxfrm_outer_dsfield(x, skb);

	if (nexthdr == IPPROTO_IPIP) {
		if (!pskb_may_pull(skb, sizeof(struct iphdr)))
			return -EINVAL;
		if (x->flags & XFRM_STATE_DECAP_DSCP)
			ipv4_copy_dscp(outer, (struct iphdr *)skb->data);
		if (!(x->flags & XFRM_STATE_NOECN) && INET_ECN_is_ce(outer))
			IP_ECN_set_ce((struct iphdr *)skb->data);
		skb->protocol = htons(ETH_P_IP);
		*family = AF_INET;
	} else if (nexthdr == IPPROTO_IPV6) {
		if (!pskb_may_pull(skb, sizeof(struct ipv6hdr)))
			return -EINVAL;
		if (x->flags & XFRM_STATE_DECAP_DSCP)
			ipv6_copy_dscp(outer, (struct ipv6hdr *)skb->data);
		if (!(x->flags & XFRM_STATE_NOECN) && INET_ECN_is_ce(outer))
			IP6_ECN_set_ce(skb, (struct ipv6hdr *)skb->data);
		skb->protocol = htons(ETH_P_IPV6);
		*family = AF_INET6;
	} else {
		return -EINVAL;
	}
	skb_reset_network_header(skb);
	skb_mac_header_rebuild(skb);
	if (skb->mac_len)
		eth_hdr(skb)->h_proto = skb->protocol;
	return 0;
}

/*
 * The headers before ESP (@nhlen bytes from the network header) move up
 * to the payload; the next header that named ESP (@nhoff into them for
 * IPv6, the IPv4 protocol field) names @nexthdr now.
 */
static void oxfrm_decap_transport(struct oxfrm_state *x, struct sk_buff *skb,
				  int nexthdr, unsigned int nhlen,
				  unsigned int nhoff)
{
	u8 *old = skb_network_header(skb);

	__skb_push(skb, nhlen);
	memmove(skb->data, old, nhlen);
	skb_reset_network_header(skb);
	skb_set_transport_header(skb, nhlen);
	if (x->family == AF_INET) {
		struct iphdr *iph = ip_hdr(skb);

		iph->protocol = nexthdr;
		iph->tot_len = htons(skb->len);
		ip_send_check(iph);
	} else {
		skb_network_header(skb)[nhoff] = nexthdr;
		ipv6_hdr(skb)->payload_len =
			htons(skb->len - sizeof(struct ipv6hdr));
	}
	skb_mac_header_rebuild(skb);
}

/*
 * Makes the packet whose ESP @x just removed (payload at skb->data, outer
 * network header still set) an IP packet again, at its network header,
 * and says its family. -EINVAL when a tunnel SA carried no IP packet.
 */
int oxfrm_input_decap(struct oxfrm_state *x, struct sk_buff *skb, int nexthdr,
		      unsigned int nhlen, unsigned int nhoff, u16 *family)
{
	if (x->mode == XFRM_MODE_TUNNEL)
		return oxfrm_decap_tunnel(x, skb, nexthdr, family);
	oxfrm_decap_transport(x, skb, nexthdr, nhlen, nhoff);
	*family = x->family;
	return 0;
}
