// SPDX-License-Identifier: GPL-2.0
/*
 * The IPv4 and IPv6 ESP protocol handlers. Only one module can hold each;
 * failing to get one means esp4 or esp6 (or a vti driver) has it.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/in.h>
#include <net/protocol.h>
#include <net/ipv6.h>
#include <oxfrm/input.h>

static int oxfrm_esp4_rcv(struct sk_buff *skb)
{
	return oxfrm_input(skb, AF_INET, 0);
}

static int oxfrm_esp4_err(struct sk_buff *skb, u32 info)
{
	return 0;
}

static int oxfrm_esp6_rcv(struct sk_buff *skb)
{
	return oxfrm_input(skb, AF_INET6, 0);
}

static int oxfrm_esp6_err(struct sk_buff *skb, struct inet6_skb_parm *opt,
			  u8 type, u8 code, int offset, __be32 info)
{
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
