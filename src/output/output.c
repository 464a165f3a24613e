// SPDX-License-Identifier: GPL-2.0
/*
 * ESP out: a packet the SPD wants protected by SA x is encapsulated (a new
 * outer header in tunnel mode, ESP slipped behind the IP header in
 * transport mode), numbered, encrypted, and sent on a route of its own
 * through ip_local_out()/ip6_local_out(), marked as transformed so that
 * the hooks let it pass. What does not fit the path behind the tunnel
 * gets the tunnel's MTU told back (ICMP fragmentation needed or Packet
 * Too Big, and the inner route's PMTU) when it may not be fragmented.
 */

#include <crypto/aead.h>
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <net/dsfield.h>
#include <net/esp.h>
#include <net/icmp.h>
#include <net/inet_ecn.h>
#include <net/ip.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/route.h>
#include <net/xfrm.h>
#include <oxfrm/compat.h>
#include <oxfrm/esp.h>
#include <oxfrm/mib.h>
#include <oxfrm/natt.h>
#include <oxfrm/output.h>
#include <oxfrm/replay.h>
#include <oxfrm/state.h>

/* What a packet carries through encryption, in skb->cb. */
struct oxfrm_output_cb {
	struct oxfrm_state *x;		/* a reference */
	u16 hlen;			/* transport: IP header bytes */
	u16 nhoff;			/* transport IPv6: next header to set */
	u16 family;			/* the packet's own */
	u8 dsfield;			/* tunnel: the inner DS field */
	__be16 df;			/* tunnel: the inner DF bit */
	u8 flow_lbl[3];			/* tunnel: the inner flow label */
};

static struct oxfrm_output_cb *oxfrm_output_cb(struct sk_buff *skb)
{
	BUILD_BUG_ON(sizeof(struct oxfrm_output_cb) > sizeof(skb->cb));
	return (struct oxfrm_output_cb *)skb->cb;
}

static struct dst_entry *oxfrm_output_route4(struct net *net,
					     const xfrm_address_t *daddr,
					     const xfrm_address_t *saddr,
					     u32 mark)
{
	struct flowi4 fl4 = {
		.daddr = daddr->a4,
		.saddr = saddr->a4,
		.flowi4_mark = mark,
		.flowi4_proto = IPPROTO_ESP,
	};
	struct rtable *rt = ip_route_output_key(net, &fl4);

	return IS_ERR(rt) ? ERR_CAST(rt) : &rt->dst;
}

static struct dst_entry *oxfrm_output_route6(struct net *net,
					     const xfrm_address_t *daddr,
					     const xfrm_address_t *saddr,
					     u32 mark)
{
	struct flowi6 fl6 = {
		.daddr = daddr->in6,
		.saddr = saddr->in6,
		.flowi6_mark = mark,
		.flowi6_proto = IPPROTO_ESP,
	};
	struct dst_entry *dst = ip6_route_output(net, NULL, &fl6);
	int err = dst->error;

	if (err) {
		dst_release(dst);
		return ERR_PTR(err);
	}
	return dst;
}

/*
 * A route for ESP from @saddr to @daddr, of @family, with @mark; or an
 * ERR_PTR.
 */
struct dst_entry *oxfrm_output_esp_route(struct net *net, u16 family,
					 const xfrm_address_t *daddr,
					 const xfrm_address_t *saddr, u32 mark)
{
	if (family == AF_INET)
		return oxfrm_output_route4(net, daddr, saddr, mark);
	return oxfrm_output_route6(net, daddr, saddr, mark);
}

/*
 * The route of the ESP packets of @x; or an ERR_PTR. Routes for the common
 * mark 0 come from the SA's cache, which a routing change or a new PMTU
 * invalidates (the dst's own check), so one lookup serves many packets.
 */
static struct dst_entry *oxfrm_output_route(struct net *net,
					    struct oxfrm_state *x, u32 mark)
{
	struct dst_entry *dst;

	if (mark || !x->dst_cache.cache)
		return oxfrm_output_esp_route(net, x->family, &x->daddr,
					      &x->saddr, mark);

	local_bh_disable();
	dst = dst_cache_get(&x->dst_cache);
	if (dst)
		goto out;
	dst = oxfrm_output_esp_route(net, x->family, &x->daddr, &x->saddr, 0);
	if (IS_ERR(dst))
		goto out;
	if (x->family == AF_INET)
		dst_cache_set_ip4(&x->dst_cache, dst, x->saddr.a4);
	else
		dst_cache_set_ip6(&x->dst_cache, dst, &x->saddr.in6);
out:
	local_bh_enable();
	return dst;
}

/*
 * The largest packet @x can carry in ESP packets of at most @mtu bytes:
 * what is left once the headers, the ICV and a trailer padded to the
 * cipher's block are taken. In transport mode the IP header stays in the
 * clear, out of the padded part (esp4_get_mtu()'s net_adj).
 */
unsigned int oxfrm_output_inner_mtu(const struct oxfrm_state *x,
				    unsigned int mtu)
{
	unsigned int blk = ALIGN(crypto_aead_blocksize(x->tfm), 4);
	unsigned int over = x->header_len + crypto_aead_authsize(x->tfm);
	unsigned int adj = 0;

	if (x->mode == XFRM_MODE_TRANSPORT)
		adj = x->family == AF_INET6 ? sizeof(struct ipv6hdr) :
					      sizeof(struct iphdr);
	if (mtu < over + adj + blk + 68)
		return 68;
	return ((mtu - over - adj) & ~(blk - 1)) + adj - 2;
}
EXPORT_SYMBOL_IF_OXFRM_KUNIT(oxfrm_output_inner_mtu);

/*
 * A packet that will not fit: fragmenting its ESP packet is fine unless
 * it says not to (IPv4 DF; IPv6 always). Then its sender learns the MTU:
 * the route gets it (a local sender sees it at once) and ICMP tells it
 * too. Returns whether the packet must go.
 */
static bool oxfrm_output_too_big(struct sk_buff *skb, u16 family,
				 unsigned int mtu)
{
	if (skb->ignore_df)
		return false;
	/* A local packet has no device yet; the PMTU and ICMP code want one. */
	if (!skb->dev)
		skb->dev = skb_dst(skb)->dev;
	if (family == AF_INET) {
		if (!(ip_hdr(skb)->frag_off & htons(IP_DF)))
			return false;
		skb_dst_update_pmtu_no_confirm(skb, mtu);
		icmp_ndo_send(skb, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED,
			      htonl(mtu));
	} else {
		mtu = max_t(unsigned int, mtu, IPV6_MIN_MTU);
		skb_dst_update_pmtu_no_confirm(skb, mtu);
		icmpv6_ndo_send(skb, ICMPV6_PKT_TOOBIG, 0, mtu);
	}
	return true;
}

/* The outer header, once ESP is in place at skb->data (tunnel mode). */
static void oxfrm_output_tunnel_header(struct oxfrm_state *x,
				       struct sk_buff *skb)
{
	struct oxfrm_output_cb *cb = oxfrm_output_cb(skb);
	struct dst_entry *dst = skb_dst(skb);
	u8 ds = x->extra_flags & XFRM_SA_XFLAG_DONT_ENCAP_DSCP ? 0 :
								 cb->dsfield;

	ds = INET_ECN_encapsulate(ds, cb->dsfield);
	if (x->flags & XFRM_STATE_NOECN)
		ds &= ~INET_ECN_MASK;
	if (x->family == AF_INET) {
		struct iphdr *iph = skb_push(skb, sizeof(*iph));

		skb_reset_network_header(skb);
		iph->version = 4;
		iph->ihl = 5;
		iph->tos = ds;
		iph->frag_off = x->flags & XFRM_STATE_NOPMTUDISC ? 0 : cb->df;
		iph->ttl = ip4_dst_hoplimit(dst);
		iph->protocol = x->has_encap ? IPPROTO_UDP : IPPROTO_ESP;
		iph->saddr = x->saddr.a4;
		iph->daddr = x->daddr.a4;
		ip_select_ident(dev_net(dst->dev), skb, NULL);
	} else {
		struct ipv6hdr *ip6h = skb_push(skb, sizeof(*ip6h));

		skb_reset_network_header(skb);
		ip6h->version = 6;
		memcpy(ip6h->flow_lbl, cb->flow_lbl, sizeof(ip6h->flow_lbl));
		ipv6_change_dsfield(ip6h, 0, ds);
		ip6h->nexthdr = x->has_encap ? IPPROTO_UDP : IPPROTO_ESP;
		ip6h->hop_limit = ip6_dst_hoplimit(dst);
		ip6h->saddr = x->saddr.in6;
		ip6h->daddr = x->daddr.in6;
	}
}

/*
 * After encryption (@err its result): the headers in front, then out on
 * the packet's new route. Consumes @skb and its SA reference.
 */
static void oxfrm_output_done(struct sk_buff *skb, int err)
{
	struct oxfrm_output_cb *cb = oxfrm_output_cb(skb);
	struct oxfrm_state *x = cb->x;
	struct net *net = dev_net(skb_dst(skb)->dev);

	if (err) {
		OXFRM_INC_STATS(net, LINUX_MIB_XFRMOUTSTATEPROTOERROR);
		kfree_skb(skb);
		goto out;
	}
	if (x->has_encap)
		oxfrm_natt_push(x, skb);
	if (x->mode == XFRM_MODE_TUNNEL) {
		oxfrm_output_tunnel_header(x, skb);
	} else {
		u8 proto = x->has_encap ? IPPROTO_UDP : IPPROTO_ESP;

		__skb_push(skb, cb->hlen);
		if (x->family == AF_INET)
			ip_hdr(skb)->protocol = proto;
		else
			skb_network_header(skb)[cb->nhoff] = proto;
	}
	if (x->has_encap && x->family == AF_INET6)
		oxfrm_natt_csum6(skb);
	nf_reset_ct(skb);
	if (x->family == AF_INET) {
		memset(IPCB(skb), 0, sizeof(*IPCB(skb)));
		IPCB(skb)->flags |= IPSKB_XFRM_TRANSFORMED;
		skb->protocol = htons(ETH_P_IP);
		ip_local_out(net, skb->sk, skb);
	} else {
		memset(IP6CB(skb), 0, sizeof(*IP6CB(skb)));
		IP6CB(skb)->flags |= IP6SKB_XFRM_TRANSFORMED;
		/* As xfrm6_prepare_output(): this host may fragment its ESP. */
		skb->ignore_df = 1;
		skb->protocol = htons(ETH_P_IPV6);
		ip6_local_out(net, skb->sk, skb);
	}
out:
	oxfrm_state_put(x);
}

/*
 * Notes what the packet's mode needs after encryption and leaves the
 * payload ESP protects at skb->data; returns its next header, or -errno.
 */
static int oxfrm_output_prepare(struct oxfrm_state *x, struct sk_buff *skb,
				u16 family)
{
	struct oxfrm_output_cb *cb = oxfrm_output_cb(skb);
	unsigned int esplen = sizeof(struct ip_esp_hdr) +
			      crypto_aead_ivsize(x->tfm) + oxfrm_natt_len(x);
	int hlen, proto;
	u8 *prevhdr;

	if (x->mode == XFRM_MODE_TUNNEL) {
		if (family == AF_INET) {
			cb->dsfield = ip_hdr(skb)->tos;
			cb->df = ip_hdr(skb)->frag_off & htons(IP_DF);
			memset(cb->flow_lbl, 0, sizeof(cb->flow_lbl));
			return IPPROTO_IPIP;
		}
		cb->dsfield = ipv6_get_dsfield(ipv6_hdr(skb));
		/* Small IPv6 packets must get through: the outer may fragment. */
		cb->df = skb->len <= IPV6_MIN_MTU ? 0 : htons(IP_DF);
		memcpy(cb->flow_lbl, ipv6_hdr(skb)->flow_lbl,
		       sizeof(cb->flow_lbl));
		return IPPROTO_IPV6;
	}

	if (family != x->family)
		return -EAFNOSUPPORT;
	if (family == AF_INET) {
		hlen = ip_hdrlen(skb);
		proto = ip_hdr(skb)->protocol;
	} else {
		hlen = ip6_find_1stfragopt(skb, &prevhdr);
		if (hlen < 0)
			return hlen;
		cb->nhoff = prevhdr - skb_network_header(skb);
		proto = *prevhdr;
	}
	/* The IP header moves back to leave room for ESP behind it. */
	cb->hlen = hlen;
	__skb_push(skb, esplen);
	memmove(skb->data, skb->data + esplen, hlen);
	skb_reset_network_header(skb);
	__skb_pull(skb, hlen + esplen);
	return proto;
}

/*
 * @head bytes of headroom for the outer headers, and @tail bytes of
 * tailroom kept for the ESP trailer, in a buffer that is @skb's alone.
 * A datagram from a local socket has no headroom to spare: its route is
 * a plain route, not a bundle that reserves it. But a small one sits in
 * a mostly empty buffer, so it slides back into its tailroom, which
 * costs a short memmove() where a new head costs an allocation and a
 * copy per packet. Anything else gets a new head if it must, as with
 * skb_cow_head(). 0 or -ENOMEM.
 */
int oxfrm_output_make_room(struct sk_buff *skb, unsigned int head,
			   unsigned int tail)
{
	int delta = (int)head - (int)skb_headroom(skb);

	if (delta > 0 && !skb_cloned(skb) && !skb_is_nonlinear(skb) &&
	    skb_tailroom(skb) >= delta + tail) {
		memmove(skb->data + delta, skb->data, skb->len);
		skb->data += delta;
		skb_set_tail_pointer(skb, skb->len);
		skb_headers_offset_update(skb, delta);
		/* Only the packet moved: no link header is in front of it. */
		skb_unset_mac_header(skb);
		return 0;
	}
	return skb_cow_head(skb, head);
}
EXPORT_SYMBOL_IF_OXFRM_KUNIT(oxfrm_output_make_room);

/* Sequence number and counters, under x->lock: 0 or the MIB to count. */
static int oxfrm_output_account(struct oxfrm_state *x, struct sk_buff *skb,
				struct oxfrm_esp_out *o)
{
	int mib = 0;

	spin_lock_bh(&x->lock);
	if (x->kstate != OXFRM_STATE_VALID || x->dead || x->expired)
		mib = LINUX_MIB_XFRMOUTSTATEINVALID;
	else if (oxfrm_state_check_expire(x))
		mib = LINUX_MIB_XFRMOUTSTATEEXPIRED;
	else if (oxfrm_replay_next(x, &o->seq, &o->seq_hi))
		mib = LINUX_MIB_XFRMOUTSTATESEQERROR;
	if (!mib) {
		x->curlft.bytes += skb->len + x->header_len;
		x->curlft.packets++;
		x->lastused = ktime_get_real_seconds();
	}
	spin_unlock_bh(&x->lock);
	return mib;
}

/* One packet, not GSO; consumes @skb and the reference to @x. */
static void oxfrm_output_one(struct oxfrm_net *on, struct sk_buff *skb,
			     struct oxfrm_state *x, u16 family)
{
	struct oxfrm_esp_out o = { };
	struct dst_entry *dst;
	unsigned int mtu;
	int mib, err;

	skb->mark = oxfrm_state_smark(x, skb->mark);
	/* What it was decrypted with says nothing of what it leaves in. */
	secpath_reset(skb);
	dst = oxfrm_output_route(on->net, x, skb->mark);
	if (IS_ERR(dst)) {
		mib = LINUX_MIB_XFRMOUTBUNDLEGENERROR;
		goto drop;
	}
	mtu = oxfrm_output_inner_mtu(x, dst_mtu(dst));
	/*
	 * IPv6 needs 1280 bytes end to end: below that, the ESP packet is
	 * fragmented instead (xfrm6_tunnel_check_size()).
	 */
	if (family == AF_INET6 && mtu < IPV6_MIN_MTU) {
		mtu = IPV6_MIN_MTU;
		skb->ignore_df = 1;
	}
	/*
	 * Between @x's own hosts the packet's route is the ESP packets': the
	 * stock kernel's bundle keeps two MTUs apart there, oxfrm has one,
	 * which must stay the ESP packets'. Such packets are fragmented
	 * instead of lowering that PMTU.
	 */
	if (skb->len > mtu) {
		if (oxfrm_state_host_to_host(x, skb, family, true)) {
			skb->ignore_df = 1;
		} else if (oxfrm_output_too_big(skb, family, mtu)) {
			dst_release(dst);
			kfree_skb(skb);
			oxfrm_state_put(x);
			return;
		}
	}
	if (skb->ip_summed == CHECKSUM_PARTIAL && skb_checksum_help(skb)) {
		dst_release(dst);
		mib = LINUX_MIB_XFRMOUTERROR;
		goto drop;
	}
	skb_dst_drop(skb);
	skb_dst_set(skb, dst);
	if (oxfrm_output_make_room(skb,
				   LL_RESERVED_SPACE(dst->dev) + x->header_len,
				   x->trailer_len)) {
		mib = LINUX_MIB_XFRMOUTERROR;
		goto drop;
	}
	mib = oxfrm_output_account(x, skb, &o);
	if (mib)
		goto drop;

	oxfrm_output_cb(skb)->x = x;
	oxfrm_output_cb(skb)->family = family;
	err = oxfrm_output_prepare(x, skb, family);
	if (err < 0) {
		mib = LINUX_MIB_XFRMOUTSTATEMODEERROR;
		goto drop;
	}
	o.proto = err;
	if (x->tfcpad && x->mode == XFRM_MODE_TUNNEL &&
	    skb->len < min(x->tfcpad, mtu))
		o.tfclen = min(x->tfcpad, mtu) - skb->len;
	err = oxfrm_esp_output(x, skb, &o, oxfrm_output_done);
	if (err != -EINPROGRESS)
		oxfrm_output_done(skb, err);
	return;
drop:
	OXFRM_INC_STATS(on->net, mib);
	kfree_skb(skb);
	oxfrm_state_put(x);
}

/*
 * Protects @skb, an IP packet of @family at its network header, with @x,
 * and sends it. GSO packets are segmented first. Consumes @skb and the
 * caller's reference to @x.
 */
void oxfrm_output(struct oxfrm_net *on, struct sk_buff *skb,
		  struct oxfrm_state *x, u16 family)
{
	struct sk_buff *segs, *seg, *next;

	if (!skb_is_gso(skb)) {
		oxfrm_output_one(on, skb, x, family);
		return;
	}
	segs = skb_gso_segment(skb, 0);
	if (IS_ERR_OR_NULL(segs)) {
		OXFRM_INC_STATS(on->net, LINUX_MIB_XFRMOUTERROR);
		kfree_skb(skb);
		oxfrm_state_put(x);
		return;
	}
	consume_skb(skb);
	skb_list_walk_safe(segs, seg, next) {
		skb_mark_not_on_list(seg);
		oxfrm_state_hold(x);
		oxfrm_output_one(on, seg, x, family);
	}
	oxfrm_state_put(x);
}
