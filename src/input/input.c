// SPDX-License-Identifier: GPL-2.0
/*
 * oxfrm_input(): where every received ESP packet, plain or UDP-encapsulated,
 * is looked up, checked, decrypted and delivered, or dropped and counted.
 */

#include <linux/skbuff.h>
#include <linux/netdevice.h>
#include <linux/ip.h>
#include <oxfrm/input.h>
#include <oxfrm/mib.h>

/*
 * @skb has its data at the ESP header. Always consumes @skb.
 *
 * The SAD does not exist yet, so every well-formed packet names an unknown
 * SPI: it is dropped as the stock kernel drops it with no states.
 */
int oxfrm_input(struct sk_buff *skb)
{
	struct net *net = dev_net(skb->dev);

	if (!pskb_may_pull(skb, sizeof(struct ip_esp_hdr))) {
		OXFRM_INC_STATS(net, LINUX_MIB_XFRMINHDRERROR);
		goto drop;
	}
	OXFRM_INC_STATS(net, LINUX_MIB_XFRMINNOSTATES);
drop:
	kfree_skb(skb);
	return 0;
}
EXPORT_SYMBOL_IF_OXFRM_KUNIT(oxfrm_input);
