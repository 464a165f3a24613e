// SPDX-License-Identifier: GPL-2.0
/*
 * NAT traversal (RFC 3948): ESP carried in UDP. Received: at LOCAL_IN (in
 * guard.c's hook, which asks here first), UDP for this host on port 4500,
 * and on the port of any SA whose encapsulation names it, is looked at
 * before the socket layer, where the kernel's own UDP_ENCAP handler (on
 * charon's port-4500 socket) would feed the kernel's own, empty, SAD.
 * What it finds there:
 *   - four zero bytes first (the non-ESP marker): IKE, left to the socket;
 *   - one byte 0xff: a NAT keepalive, consumed;
 *   - otherwise ESP, given to oxfrm_input() with the UDP header still in
 *     front of it, where the mapping check reads it after decryption;
 *     too short to be ESP: counted in XfrmInHdrError and dropped.
 * Sent: ESP of an SA with encapsulation gets a UDP header from the SA's
 * ports (IPv4 checksum zero, IPv6 checksum computed). A packet authentic
 * for its SA but from another address or port than the SA says raises
 * XFRM_MSG_MAPPING, as often as the SA's XFRMA_MTIMER_THRESH allows; the
 * SA itself is left for the key manager to update.
 *
 * IPv6 packets with extension headers before UDP are left to the socket.
 */

#include <linux/netfilter.h>
#include <linux/udp.h>
#include <net/esp.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/ipv6.h>
#include <net/udp.h>
#include <net/xfrm.h>
#include <oxfrm/input.h>
#include <oxfrm/mib.h>
#include <oxfrm/natt.h>
#include <oxfrm/netlink.h>
#include <oxfrm/state.h>

/* Bytes between the IP header and ESP: the UDP header, and a marker. */
unsigned int oxfrm_natt_len(const struct oxfrm_state *x)
{
	if (!x->has_encap)
		return 0;
	if (x->encap.encap_type == UDP_ENCAP_ESPINUDP_NON_IKE)
		return sizeof(struct udphdr) + 2 * sizeof(u32);
	return sizeof(struct udphdr);
}

/*
 * Whether ESP to (@daddr, @dport) belongs to an SA encapsulated on that
 * port: how packets on ports other than 4500 are recognised, once some
 * SA is encapsulated on a port of @dport's bucket (the caller's check,
 * which spares ordinary UDP traffic the SAD lookup).
 */
static bool oxfrm_natt_sa_port(struct net *net, const xfrm_address_t *daddr,
			       __be32 spi, u16 family, __be16 dport, u32 mark)
{
	struct oxfrm_sad *sad = oxfrm_pernet(net)->sad;
	struct oxfrm_state *x;
	bool ours;

	x = oxfrm_state_lookup(sad, daddr, spi,
			       IPPROTO_ESP, family, mark);
	if (!x)
		return false;
	ours = x->has_encap && READ_ONCE(x->encap.encap_dport) == dport;
	oxfrm_state_put(x);
	return ours;
}

/*
 * What the LOCAL_IN hook (guard.c) makes of @skb first: NF_ACCEPT for what
 * is not ESP in UDP, NF_STOLEN for what went to oxfrm_input() or was a
 * keepalive, NF_DROP for ESP too short to be ESP.
 */
unsigned int oxfrm_natt_rcv(struct sk_buff *skb,
			    const struct nf_hook_state *state)
{
	u16 family = state->pf == NFPROTO_IPV4 ? AF_INET : AF_INET6;
	xfrm_address_t daddr = { };
	unsigned int nhlen, len;
	const struct udphdr *uh;
	const __be32 *data;

	if (family == AF_INET) {
		if (ip_hdr(skb)->protocol != IPPROTO_UDP ||
		    ip_is_fragment(ip_hdr(skb)))
			return NF_ACCEPT;
		nhlen = ip_hdrlen(skb);
		daddr.a4 = ip_hdr(skb)->daddr;
	} else {
		if (ipv6_hdr(skb)->nexthdr != IPPROTO_UDP)
			return NF_ACCEPT;
		nhlen = sizeof(struct ipv6hdr);
		daddr.in6 = ipv6_hdr(skb)->daddr;
	}
	if (!pskb_may_pull(skb, nhlen + sizeof(*uh)))
		return NF_ACCEPT;
	uh = (const struct udphdr *)(skb_network_header(skb) + nhlen);
	/* Ordinary UDP: not 4500, no SA on a port of its bucket. */
	if (uh->dest != htons(OXFRM_NATT_PORT) &&
	    !oxfrm_sad_encap_port(oxfrm_pernet(state->net)->sad, uh->dest))
		return NF_ACCEPT;
	len = ntohs(uh->len);
	if (len < sizeof(*uh) || len > skb->len - nhlen)
		return NF_ACCEPT;
	len -= sizeof(*uh);
	/* Enough for a keepalive, a marker or an ESP header. */
	if (!pskb_may_pull(skb, nhlen + sizeof(*uh) +
			   min_t(unsigned int, len, sizeof(struct ip_esp_hdr))))
		return NF_ACCEPT;
	uh = (const struct udphdr *)(skb_network_header(skb) + nhlen);
	data = (const __be32 *)(uh + 1);

	if (uh->dest != htons(OXFRM_NATT_PORT)) {
		if (len <= sizeof(struct ip_esp_hdr) || !data[0] ||
		    !oxfrm_natt_sa_port(state->net, &daddr, data[0], family,
					uh->dest, skb->mark))
			return NF_ACCEPT;
	} else if (len == 1 && *(const u8 *)data == 0xff) {
		consume_skb(skb);
		return NF_STOLEN;
	} else if (len >= sizeof(u32) && !data[0]) {
		return NF_ACCEPT;
	} else if (len <= sizeof(struct ip_esp_hdr)) {
		OXFRM_INC_STATS(state->net, LINUX_MIB_XFRMINHDRERROR);
		return NF_DROP;
	}

	/* ESP: oxfrm_input() wants its data there, the headers before it. */
	if (skb_unclone(skb, GFP_ATOMIC)) {
		OXFRM_INC_STATS(state->net, LINUX_MIB_XFRMINERROR);
		return NF_DROP;
	}
	if (pskb_trim_rcsum(skb, nhlen + sizeof(*uh) + len)) {
		OXFRM_INC_STATS(state->net, LINUX_MIB_XFRMINERROR);
		return NF_DROP;
	}
	__skb_pull(skb, nhlen + sizeof(*uh));
	skb_reset_transport_header(skb);
	oxfrm_input(skb, family, UDP_ENCAP_ESPINUDP);
	return NF_STOLEN;
}

/*
 * After @x authenticated @skb (network header outer, UDP header @nhlen
 * bytes in, minus its own 8): a peer that moved behind its NAT is told
 * to the key manager (km_new_mapping()).
 */
void oxfrm_natt_check(struct oxfrm_state *x, struct sk_buff *skb,
		      unsigned int nhlen)
{
	const struct udphdr *uh = (const struct udphdr *)
		(skb_network_header(skb) + nhlen - sizeof(*uh));
	xfrm_address_t saddr = { };
	bool tell = true;
	time64_t now;

	if (x->family == AF_INET)
		saddr.a4 = ip_hdr(skb)->saddr;
	else
		saddr.in6 = ipv6_hdr(skb)->saddr;
	if (xfrm_addr_equal(&saddr, &x->saddr, x->family) &&
	    uh->source == READ_ONCE(x->encap.encap_sport))
		return;

	spin_lock(&x->lock);
	if (x->mapping_maxage) {
		now = ktime_get_boottime_seconds();
		tell = now - x->new_mapping > x->mapping_maxage ||
		       x->new_mapping_sport != uh->source;
		if (tell) {
			x->new_mapping = now;
			x->new_mapping_sport = uh->source;
		}
	}
	spin_unlock(&x->lock);
	if (tell && x->sad->on)
		oxfrm_nl_mapping(x->sad->on, x, &saddr, uh->source);
}

/*
 * Puts the UDP header (and marker) of @x in front of the ESP packet at
 * skb->data, whose IP header, of @x's family, follows in front of it.
 * The IPv6 checksum is finished by oxfrm_natt_csum6() once that is there.
 */
void oxfrm_natt_push(const struct oxfrm_state *x, struct sk_buff *skb)
{
	unsigned int hlen = oxfrm_natt_len(x);
	struct udphdr *uh;

	uh = skb_push(skb, hlen);
	skb_reset_transport_header(skb);
	uh->source = x->encap.encap_sport;
	uh->dest = x->encap.encap_dport;
	uh->len = htons(skb->len);
	uh->check = 0;
	if (hlen > sizeof(*uh))
		memset(uh + 1, 0, hlen - sizeof(*uh));
}

/* The UDP checksum of an IPv6 packet from oxfrm_natt_push(). */
void oxfrm_natt_csum6(struct sk_buff *skb)
{
	const struct ipv6hdr *ip6h = ipv6_hdr(skb);

	udp6_set_csum(false, skb, &ip6h->saddr, &ip6h->daddr,
		      ntohs(udp_hdr(skb)->len));
}
