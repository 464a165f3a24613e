// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: oxfrm_input() drops what it cannot take, in the right counter.
 */

#include <kunit/test.h>
#include <linux/ip.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
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

static void oxfrm_input_test_unknown_spi(struct kunit *test)
{
	unsigned long nostates = oxfrm_input_test_count(LINUX_MIB_XFRMINNOSTATES);
	unsigned long hdr = oxfrm_input_test_count(LINUX_MIB_XFRMINHDRERROR);
	struct sk_buff *skb = oxfrm_input_test_skb(test, 64);
	struct ip_esp_hdr *esph = (struct ip_esp_hdr *)skb->data;

	esph->spi = htonl(0x1000);
	esph->seq_no = htonl(1);
	KUNIT_EXPECT_EQ(test, oxfrm_input(skb, AF_INET, 0), 0);
	KUNIT_EXPECT_EQ(test, oxfrm_input_test_count(LINUX_MIB_XFRMINNOSTATES),
			nostates + 1);
	KUNIT_EXPECT_EQ(test, oxfrm_input_test_count(LINUX_MIB_XFRMINHDRERROR), hdr);
}

static void oxfrm_input_test_truncated(struct kunit *test)
{
	unsigned long nostates = oxfrm_input_test_count(LINUX_MIB_XFRMINNOSTATES);
	unsigned long hdr = oxfrm_input_test_count(LINUX_MIB_XFRMINHDRERROR);
	struct sk_buff *skb = oxfrm_input_test_skb(test, 5);

	KUNIT_EXPECT_EQ(test, oxfrm_input(skb, AF_INET, 0), 0);
	KUNIT_EXPECT_EQ(test, oxfrm_input_test_count(LINUX_MIB_XFRMINHDRERROR), hdr + 1);
	KUNIT_EXPECT_EQ(test, oxfrm_input_test_count(LINUX_MIB_XFRMINNOSTATES),
			nostates);
}

static struct kunit_case oxfrm_input_test_cases[] = {
	KUNIT_CASE(oxfrm_input_test_unknown_spi),
	KUNIT_CASE(oxfrm_input_test_truncated),
	{ }
};

static struct kunit_suite oxfrm_input_test_suite = {
	.name = "oxfrm_input",
	.test_cases = oxfrm_input_test_cases,
};

kunit_test_suite(oxfrm_input_test_suite);
