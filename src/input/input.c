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

static bool oxfrm_input_ready __read_mostly;

/* Called once every namespace has its oxfrm state. */
void oxfrm_input_enable(void)
{
	WRITE_ONCE(oxfrm_input_ready, true);
}

/*
 * @skb has its data at the ESP header. Always consumes @skb.
 *
 * The SAD does not exist yet, so every well-formed packet names an unknown
 * SPI: it is dropped as the stock kernel drops it with no states.
 */
int oxfrm_input(struct sk_buff *skb)
{
	struct net *net = dev_net(skb->dev);

	/* Only while the module loads: nothing to count in yet. */
	if (unlikely(!READ_ONCE(oxfrm_input_ready)))
		goto drop;
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
