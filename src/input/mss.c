// SPDX-License-Identifier: GPL-2.0
/*
 * TCP over ESP that shares its route with the ESP packets: transport mode,
 * and tunnels between the two hosts themselves. The stock kernel sizes
 * such TCP segments by its bundle's MTU, the path's less ESP. oxfrm has
 * no bundle, and the one route it has must keep the ESP packets' MTU, so
 * its TCP would send full-sized segments and every ESP packet would be
 * fragmented. Instead, the MSS option of a SYN or SYN-ACK that such an SA
 * brings in is lowered to what fits in ESP on the way back to the peer,
 * as a gateway's MSS clamp does: the local side then sends segments that
 * fit. Nothing changes on the wire, where the peer's SYN came encrypted.
 */

#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <net/checksum.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/tcp.h>
#include <oxfrm/input.h>
#include <oxfrm/output.h>
#include <oxfrm/oxfrm.h>
#include <oxfrm/state.h>

/* TCP-AO (RFC 5925), whose MAC covers the options by default. */
#define OXFRM_TCPOPT_AO		29

/*
 * The MSS option's value in TCP SYN @skb, an IP packet of @family at
 * skb->data, made writable (its TCP header in *@thp); or NULL, also when
 * TCP-AO protects the options. IPv6 extension headers are skipped;
 * fragments are left alone.
 */
u8 *oxfrm_mss_option(struct sk_buff *skb, u16 family, struct tcphdr **thp)
{
	unsigned int thoff, len, i;
	u8 *opt, *val = NULL;
	struct tcphdr *th;

	if (family == AF_INET) {
		const struct iphdr *iph;

		if (!pskb_may_pull(skb, sizeof(*iph)))
			return NULL;
		iph = (const struct iphdr *)skb->data;
		if (iph->protocol != IPPROTO_TCP || iph->ihl < 5 ||
		    ip_is_fragment(iph))
			return NULL;
		thoff = iph->ihl * 4;
	} else {
		__be16 frag_off;
		u8 nexthdr;
		int off;

		if (!pskb_may_pull(skb, sizeof(struct ipv6hdr)))
			return NULL;
		nexthdr = ((struct ipv6hdr *)skb->data)->nexthdr;
		off = ipv6_skip_exthdr(skb, sizeof(struct ipv6hdr), &nexthdr,
				       &frag_off);
		/* A fragment header of a whole packet has offset and M 0. */
		if (off < 0 || nexthdr != IPPROTO_TCP || frag_off)
			return NULL;
		thoff = off;
	}
	if (!pskb_may_pull(skb, thoff + sizeof(*th)))
		return NULL;
	th = (struct tcphdr *)(skb->data + thoff);
	len = th->doff * 4;
	if (!th->syn || len < sizeof(*th) + TCPOLEN_MSS ||
	    skb_ensure_writable(skb, thoff + len))
		return NULL;
	th = (struct tcphdr *)(skb->data + thoff);
	opt = (u8 *)th;
	i = sizeof(*th);
	while (i + 2 <= len) {
		if (opt[i] == TCPOPT_EOL)
			break;
		if (opt[i] == TCPOPT_NOP) {
			i++;
			continue;
		}
		if (opt[i + 1] < 2 || i + opt[i + 1] > len)
			break;
		/* TCP-AO signs the options: they must stay as they are. */
		if (opt[i] == OXFRM_TCPOPT_AO)
			return NULL;
		/* The last one counts, as for tcp_parse_options(). */
		if (opt[i] == TCPOPT_MSS && opt[i + 1] == TCPOLEN_MSS)
			val = opt + i + 2;
		i += opt[i + 1];
	}
	if (val)
		*thp = th;
	return val;
}
EXPORT_SYMBOL_IF_OXFRM_KUNIT(oxfrm_mss_option);

/* Lowers the MSS at @val in @th to @mss, if it is above; the sum follows. */
void oxfrm_mss_lower(struct sk_buff *skb, struct tcphdr *th, u8 *val, u16 mss)
{
	__be16 from, to = htons(mss);

	memcpy(&from, val, sizeof(from));
	if (ntohs(from) <= mss)
		return;
	memcpy(val, &to, sizeof(to));
	/* At an odd offset, the field's bytes add to the sum swapped. */
	if ((val - (u8 *)th) & 1) {
		from = (__force __be16)swab16((__force u16)from);
		to = (__force __be16)swab16((__force u16)to);
	}
	inet_proto_csum_replace2(&th->check, skb, from, to, false);
}
EXPORT_SYMBOL_IF_OXFRM_KUNIT(oxfrm_mss_lower);

/* The MTU of the route from @x's destination back to its source; or 0. */
static unsigned int oxfrm_mss_path_mtu(struct net *net,
				       const struct oxfrm_state *x)
{
	struct dst_entry *dst;
	unsigned int mtu;

	dst = oxfrm_output_esp_route(net, x->family, &x->saddr, &x->daddr, 0);
	if (IS_ERR(dst))
		return 0;
	mtu = dst_mtu(dst);
	dst_release(dst);
	return mtu;
}

/*
 * @skb, an IP packet of @family at skb->data that @x (an inbound SA) just
 * decapsulated: a SYN of TCP whose answers share their route with ESP
 * gets an MSS that fits in ESP.
 */
void oxfrm_input_mss(struct net *net, const struct oxfrm_state *x,
		     struct sk_buff *skb, u16 family)
{
	unsigned int hdr, mtu;
	struct tcphdr *th;
	u8 *val;

	if (!oxfrm_state_host_to_host(x, skb, family, false))
		return;
	val = oxfrm_mss_option(skb, family, &th);
	if (!val)
		return;
	mtu = oxfrm_mss_path_mtu(net, x);
	if (!mtu)
		return;
	mtu = oxfrm_output_inner_mtu(x, mtu);
	/* IPv6 fragments ESP rather than go below its minimum MTU. */
	if (family == AF_INET6)
		mtu = max_t(unsigned int, mtu, IPV6_MIN_MTU);
	hdr = (family == AF_INET ? sizeof(struct iphdr) :
				   sizeof(struct ipv6hdr)) + sizeof(*th);
	if (mtu >= hdr + TCP_MIN_MSS)
		oxfrm_mss_lower(skb, th, val, mtu - hdr);
}
