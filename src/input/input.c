// SPDX-License-Identifier: GPL-2.0
/*
 * oxfrm_input(): where every received ESP packet, plain or UDP-encapsulated,
 * is looked up, checked, decrypted and delivered, or dropped and counted.
 */

#include <linux/skbuff.h>
#include <linux/netdevice.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <oxfrm/input.h>
#include <oxfrm/mib.h>
#include <oxfrm/state.h>

static bool oxfrm_input_ready __read_mostly;

/* Called once every namespace has its oxfrm state. */
void oxfrm_input_enable(void)
{
	WRITE_ONCE(oxfrm_input_ready, true);
}

/*
 * @skb, of @family, has its data at the ESP header and its network header
 * set. Always consumes @skb.
 *
 * The SA is looked up by (destination, SPI, ESP, skb mark). No state is
 * valid before NEWSA exists, so a packet either names no state or a larval
 * one: dropped and counted as the stock kernel counts them.
 */
int oxfrm_input(struct sk_buff *skb, u16 family)
{
	struct net *net = dev_net(skb->dev);
	xfrm_address_t daddr = { };
	struct oxfrm_state *x;
	__be32 spi;

	/* Only while the module loads: nothing to count in yet. */
	if (unlikely(!READ_ONCE(oxfrm_input_ready)))
		goto drop;
	if (!pskb_may_pull(skb, sizeof(struct ip_esp_hdr))) {
		OXFRM_INC_STATS(net, LINUX_MIB_XFRMINHDRERROR);
		goto drop;
	}
	spi = ((struct ip_esp_hdr *)skb->data)->spi;
	if (family == AF_INET)
		daddr.a4 = ip_hdr(skb)->daddr;
	else
		daddr.in6 = ipv6_hdr(skb)->daddr;

	x = oxfrm_state_lookup(oxfrm_pernet(net)->sad, &daddr, spi, IPPROTO_ESP,
			       family, skb->mark);
	if (!x) {
		OXFRM_INC_STATS(net, LINUX_MIB_XFRMINNOSTATES);
		goto drop;
	}
	/* Larval: the key manager has not keyed it yet. */
	if (x->kstate == OXFRM_STATE_ACQ)
		OXFRM_INC_STATS(net, LINUX_MIB_XFRMACQUIREERROR);
	else
		OXFRM_INC_STATS(net, LINUX_MIB_XFRMINSTATEINVALID);
	oxfrm_state_put(x);
drop:
	kfree_skb(skb);
	return 0;
}
EXPORT_SYMBOL_IF_OXFRM_KUNIT(oxfrm_input);
