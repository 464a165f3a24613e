// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: oxfrm_input() drops what it cannot take, in the right counter;
 * the MSS of a SYN that shares its route with ESP is lowered, its TCP
 * checksum still right.
 */

#include <kunit/test.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <net/checksum.h>
#include <net/ip6_checksum.h>
#include <net/ipv6.h>
#include <net/tcp.h>
#include <oxfrm/input.h>
#include <oxfrm/mib.h>

static unsigned long oxfrm_input_test_count(int field)
{
	unsigned long sum[LINUX_MIB_XFRMMAX];

	oxfrm_mib_fold(oxfrm_pernet(&init_net)->mib, sum);
	return sum[field];
}

/* An IPv4 packet to 127.0.0.1 with @len bytes of ESP, data at the ESP. */
static struct sk_buff *oxfrm_input_test_skb(struct kunit *test, size_t len)
{
	struct sk_buff *skb = alloc_skb(sizeof(struct iphdr) + len + 16,
					GFP_KERNEL);
	struct iphdr *iph;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb->dev = init_net.loopback_dev;
	skb_reset_network_header(skb);
	iph = skb_put_zero(skb, sizeof(*iph));
	iph->daddr = htonl(INADDR_LOOPBACK);
	__skb_pull(skb, sizeof(*iph));
	memset(skb_put(skb, len), 0xab, len);
	return skb;
}

/* oxfrm_input() as the ESP protocol handler calls it: under RCU. */
static int oxfrm_input_test_rcv(struct sk_buff *skb)
{
	int ret;

	rcu_read_lock();
	ret = oxfrm_input(skb, AF_INET, 0);
	rcu_read_unlock();
	return ret;
}

static void oxfrm_input_test_unknown_spi(struct kunit *test)
{
	unsigned long nostates = oxfrm_input_test_count(LINUX_MIB_XFRMINNOSTATES);
	unsigned long hdr = oxfrm_input_test_count(LINUX_MIB_XFRMINHDRERROR);
	struct sk_buff *skb = oxfrm_input_test_skb(test, 64);
	struct ip_esp_hdr *esph = (struct ip_esp_hdr *)skb->data;

	esph->spi = htonl(0x1000);
	esph->seq_no = htonl(1);
	KUNIT_EXPECT_EQ(test, oxfrm_input_test_rcv(skb), 0);
	KUNIT_EXPECT_EQ(test, oxfrm_input_test_count(LINUX_MIB_XFRMINNOSTATES),
			nostates + 1);
	KUNIT_EXPECT_EQ(test, oxfrm_input_test_count(LINUX_MIB_XFRMINHDRERROR), hdr);
}

static void oxfrm_input_test_truncated(struct kunit *test)
{
	unsigned long nostates = oxfrm_input_test_count(LINUX_MIB_XFRMINNOSTATES);
	unsigned long hdr = oxfrm_input_test_count(LINUX_MIB_XFRMINHDRERROR);
	struct sk_buff *skb = oxfrm_input_test_skb(test, 5);

	KUNIT_EXPECT_EQ(test, oxfrm_input_test_rcv(skb), 0);
	KUNIT_EXPECT_EQ(test, oxfrm_input_test_count(LINUX_MIB_XFRMINHDRERROR), hdr + 1);
	KUNIT_EXPECT_EQ(test, oxfrm_input_test_count(LINUX_MIB_XFRMINNOSTATES),
			nostates);
}

/*
 * An IPv4 TCP segment with @flags and options @opt (@optlen bytes, a
 * multiple of 4), its checksum right.
 */
static struct sk_buff *oxfrm_input_test_tcp(struct kunit *test, u8 flags,
					    const u8 *opt, unsigned int optlen)
{
	unsigned int len = sizeof(struct tcphdr) + optlen;
	struct sk_buff *skb = alloc_skb(sizeof(struct iphdr) + len, GFP_KERNEL);
	struct tcphdr *th;
	struct iphdr *iph;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	iph = skb_put_zero(skb, sizeof(*iph));
	iph->version = 4;
	iph->ihl = 5;
	iph->ttl = 64;
	iph->protocol = IPPROTO_TCP;
	iph->tot_len = htons(sizeof(*iph) + len);
	iph->saddr = htonl(0xc0000201);
	iph->daddr = htonl(0xc0000202);
	skb_reset_network_header(skb);
	th = skb_put_zero(skb, sizeof(*th));
	th->source = htons(40000);
	th->dest = htons(5001);
	th->doff = len / 4;
	((u8 *)th)[13] = flags;
	skb_put_data(skb, opt, optlen);
	th->check = csum_tcpudp_magic(iph->saddr, iph->daddr, len, IPPROTO_TCP,
				      csum_partial(th, len, 0));
	return skb;
}

/* The segment's MSS, after checking that its TCP checksum is right. */
static u16 oxfrm_input_test_mss(struct kunit *test, struct sk_buff *skb,
				unsigned int at)
{
	struct iphdr *iph = ip_hdr(skb);
	struct tcphdr *th = (struct tcphdr *)(iph + 1);
	unsigned int len = th->doff * 4;
	u8 *o = (u8 *)th + at;

	KUNIT_EXPECT_EQ(test, csum_tcpudp_magic(iph->saddr, iph->daddr, len,
						IPPROTO_TCP,
						csum_partial(th, len, 0)), 0);
	return o[0] << 8 | o[1];
}

/*
 * The MSS option found @at octets into the TCP header of @skb, lowered
 * to @mss: @want is left, the checksum right.
 */
static void oxfrm_input_test_lower(struct kunit *test, struct sk_buff *skb,
				   unsigned int at, u16 mss, u16 want)
{
	struct tcphdr *th;
	u8 *val;

	val = oxfrm_mss_option(skb, AF_INET, &th);
	KUNIT_EXPECT_PTR_EQ(test, val, (u8 *)ip_hdr(skb) + 20 + at);
	if (!val)
		return;
	oxfrm_mss_lower(skb, th, val, mss);
	KUNIT_EXPECT_EQ(test, oxfrm_input_test_mss(test, skb, at), want);
}

static void oxfrm_input_test_mss_clamp(struct kunit *test)
{
	/* MSS 1460 at an even offset, then behind a NOP at an odd one. */
	static const u8 even[] = { TCPOPT_MSS, TCPOLEN_MSS, 0x05, 0xb4,
				   TCPOPT_NOP, TCPOPT_NOP, TCPOPT_SACK_PERM, 2 };
	static const u8 odd[] = { TCPOPT_NOP, TCPOPT_MSS, TCPOLEN_MSS, 0x05,
				  0xb4, TCPOPT_NOP, TCPOPT_NOP, TCPOPT_NOP };
	static const u8 twice[] = { TCPOPT_MSS, TCPOLEN_MSS, 0x05, 0xb4,
				    TCPOPT_MSS, TCPOLEN_MSS, 0x05, 0xa0 };
	static const u8 ao[] = { TCPOPT_MSS, TCPOLEN_MSS, 0x05, 0xb4,
				 29, 4, 0, 0 };
	static const u8 broken[] = { TCPOPT_NOP, TCPOPT_NOP, TCPOPT_NOP,
				     TCPOPT_NOP, TCPOPT_NOP, TCPOPT_NOP,
				     TCPOPT_MSS, TCPOLEN_MSS };
	struct sk_buff *skb;
	struct tcphdr *th;

	skb = oxfrm_input_test_tcp(test, TCPHDR_SYN, even, sizeof(even));
	oxfrm_input_test_lower(test, skb, 22, 1414, 1414);
	/* Never raised. */
	oxfrm_input_test_lower(test, skb, 22, 1460, 1414);
	kfree_skb(skb);

	skb = oxfrm_input_test_tcp(test, TCPHDR_SYN | TCPHDR_ACK, odd,
				   sizeof(odd));
	oxfrm_input_test_lower(test, skb, 23, 1402, 1402);
	kfree_skb(skb);

	/* Of two, the last counts; TCP-AO's options are left alone. */
	skb = oxfrm_input_test_tcp(test, TCPHDR_SYN, twice, sizeof(twice));
	KUNIT_EXPECT_PTR_EQ(test, oxfrm_mss_option(skb, AF_INET, &th),
			    (u8 *)ip_hdr(skb) + 20 + 26);
	kfree_skb(skb);
	skb = oxfrm_input_test_tcp(test, TCPHDR_SYN, ao, sizeof(ao));
	KUNIT_EXPECT_NULL(test, oxfrm_mss_option(skb, AF_INET, &th));
	kfree_skb(skb);
	/* An MSS option running past the header is none. */
	skb = oxfrm_input_test_tcp(test, TCPHDR_SYN, broken, sizeof(broken));
	KUNIT_EXPECT_NULL(test, oxfrm_mss_option(skb, AF_INET, &th));
	kfree_skb(skb);

	/* Only SYNs carry it. */
	skb = oxfrm_input_test_tcp(test, TCPHDR_ACK, even, sizeof(even));
	KUNIT_EXPECT_NULL(test, oxfrm_mss_option(skb, AF_INET, &th));
	kfree_skb(skb);
}

/*
 * An IPv6 SYN with MSS 1440 behind an extension header of type @type
 * (8 bytes: the next header, a zero byte, then @ext's six); its checksum
 * right.
 */
static struct sk_buff *oxfrm_input_test_tcp6(struct kunit *test, u8 type,
					     const u8 *ext)
{
	static const u8 opt[] = { TCPOPT_MSS, TCPOLEN_MSS, 0x05, 0xa0 };
	unsigned int len = sizeof(struct tcphdr) + sizeof(opt);
	struct sk_buff *skb = alloc_skb(sizeof(struct ipv6hdr) + 8 + len,
					GFP_KERNEL);
	struct ipv6hdr *ip6h;
	struct tcphdr *th;
	u8 *hdr;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	ip6h = skb_put_zero(skb, sizeof(*ip6h));
	ip6h->version = 6;
	ip6h->nexthdr = type;
	ip6h->hop_limit = 64;
	ip6h->payload_len = htons(8 + len);
	ip6h->saddr.s6_addr[15] = 1;
	ip6h->daddr.s6_addr[15] = 2;
	skb_reset_network_header(skb);
	hdr = skb_put(skb, 8);
	hdr[0] = IPPROTO_TCP;
	hdr[1] = 0;
	memcpy(hdr + 2, ext, 6);
	th = skb_put_zero(skb, sizeof(*th));
	th->doff = len / 4;
	th->syn = 1;
	skb_put_data(skb, opt, sizeof(opt));
	th->check = csum_ipv6_magic(&ip6h->saddr, &ip6h->daddr, len,
				    IPPROTO_TCP, csum_partial(th, len, 0));
	return skb;
}

/* IPv6: the MSS is found behind extension headers, never in fragments. */
static void oxfrm_input_test_mss_clamp6(struct kunit *test)
{
	/* Hop-by-hop: a PadN option; fragment: offset 0, M set, or not. */
	static const u8 padn[] = { 1, 4, 0, 0, 0, 0 };
	static const u8 first[] = { 0, 1, 0, 0, 0, 7 };
	static const u8 whole[] = { 0, 0, 0, 0, 0, 7 };
	struct ipv6hdr *ip6h;
	struct sk_buff *skb;
	struct tcphdr *th;
	unsigned int len;
	u8 *val;

	skb = oxfrm_input_test_tcp6(test, NEXTHDR_HOP, padn);
	val = oxfrm_mss_option(skb, AF_INET6, &th);
	KUNIT_EXPECT_PTR_EQ(test, val, skb->data + 40 + 8 + 22);
	if (val) {
		oxfrm_mss_lower(skb, th, val, 1220);
		ip6h = ipv6_hdr(skb);
		len = th->doff * 4;
		KUNIT_EXPECT_EQ(test, val[0] << 8 | val[1], 1220);
		KUNIT_EXPECT_EQ(test,
				csum_ipv6_magic(&ip6h->saddr, &ip6h->daddr, len,
						IPPROTO_TCP,
						csum_partial(th, len, 0)), 0);
	}
	kfree_skb(skb);

	skb = oxfrm_input_test_tcp6(test, NEXTHDR_FRAGMENT, first);
	KUNIT_EXPECT_NULL(test, oxfrm_mss_option(skb, AF_INET6, &th));
	kfree_skb(skb);
	/* An atomic fragment (RFC 6946) is the whole packet. */
	skb = oxfrm_input_test_tcp6(test, NEXTHDR_FRAGMENT, whole);
	KUNIT_EXPECT_PTR_EQ(test, oxfrm_mss_option(skb, AF_INET6, &th),
			    skb->data + 40 + 8 + 22);
	kfree_skb(skb);
}

static struct kunit_case oxfrm_input_test_cases[] = {
	KUNIT_CASE(oxfrm_input_test_unknown_spi),
	KUNIT_CASE(oxfrm_input_test_truncated),
	KUNIT_CASE(oxfrm_input_test_mss_clamp),
	KUNIT_CASE(oxfrm_input_test_mss_clamp6),
	{ }
};

static struct kunit_suite oxfrm_input_test_suite = {
	.name = "oxfrm_input",
	.test_cases = oxfrm_input_test_cases,
};

kunit_test_suite(oxfrm_input_test_suite);
