// SPDX-License-Identifier: GPL-2.0
/*
 * A packet's flow as the SPD classifies it (struct oxfrm_flow), decoded
 * from its headers as the stock kernel's decode_session4/6 do: addresses,
 * upper protocol, and ports (ICMP type and code, Mobility Header type) of
 * packets that are not fragments.
 */

#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <oxfrm/policy.h>

static void oxfrm_flow_ports(const struct sk_buff *skb, int off,
			     struct oxfrm_flow *fl)
{
	__be16 _ports[2];
	const __be16 *ports;
	const u8 *p;

	switch (fl->proto) {
	case IPPROTO_TCP:
	case IPPROTO_UDP:
	case IPPROTO_UDPLITE:
	case IPPROTO_SCTP:
	case IPPROTO_DCCP:
		ports = skb_header_pointer(skb, off, sizeof(_ports), _ports);
		if (ports) {
			fl->sport = ports[0];
			fl->dport = ports[1];
		}
		break;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		p = skb_header_pointer(skb, off, 2, _ports);
		if (p) {
			fl->sport = htons(p[0]);
			fl->dport = htons(p[1]);
		}
		break;
	case IPPROTO_MH:
		p = skb_header_pointer(skb, off, 4, _ports);
		if (p)
			fl->sport = htons(p[2]);
		break;
	}
}

/*
 * The flow of the IPv4 or IPv6 packet at @skb's network header; 0, or
 * -EINVAL when its fixed header does not fit. The interface and mark are the
 * caller's to set.
 */
int oxfrm_flow_decode(const struct sk_buff *skb, u16 family,
		      struct oxfrm_flow *fl)
{
	int off = skb_network_offset(skb);
	__be16 frag_off = 0;
	u8 nexthdr;

	memset(fl, 0, sizeof(*fl));
	fl->family = family;
	if (family == AF_INET) {
		struct iphdr _iph;
		const struct iphdr *iph;

		iph = skb_header_pointer(skb, off, sizeof(_iph), &_iph);
		if (!iph || iph->ihl < 5)
			return -EINVAL;
		fl->saddr.a4 = iph->saddr;
		fl->daddr.a4 = iph->daddr;
		fl->proto = iph->protocol;
		if (!ip_is_fragment(iph))
			oxfrm_flow_ports(skb, off + iph->ihl * 4, fl);
		return 0;
	}

	{
		struct ipv6hdr _ip6h;
		const struct ipv6hdr *ip6h;

		ip6h = skb_header_pointer(skb, off, sizeof(_ip6h), &_ip6h);
		if (!ip6h)
			return -EINVAL;
		fl->saddr.in6 = ip6h->saddr;
		fl->daddr.in6 = ip6h->daddr;
		nexthdr = ip6h->nexthdr;
	}
	/*
	 * As decode_session6(): the protocol is where parsing stopped, even
	 * when the chain ends early (no next header, a truncated header);
	 * ports only from a complete first fragment.
	 */
	off = ipv6_skip_exthdr(skb, off + sizeof(struct ipv6hdr), &nexthdr,
			       &frag_off);
	fl->proto = nexthdr;
	if (off >= 0 && !frag_off)
		oxfrm_flow_ports(skb, off, fl);
	return 0;
}
