// SPDX-License-Identifier: GPL-2.0
/*
 * oxfrm_input(): where every received ESP packet, plain or UDP-encapsulated,
 * is looked up, checked, decrypted and delivered, or dropped and counted
 * where the stock kernel's xfrm_input() counts it.
 *
 * The order is RFC 4303's: the SA by (destination, SPI) under RCU; its
 * state, the replay window and the lifetimes under the SA's lock; the ICV
 * and decryption without it (possibly completing later, elsewhere); then,
 * under the lock again, the replay window checked once more and advanced,
 * now that the packet is known to be authentic. Decapsulated, the packet
 * must pass the inbound policy check, and goes back up the stack through
 * per-CPU GRO cells, as if received again on its device: the stock
 * kernel's way, with GRO, and cheaper than netif_rx()'s backlog.
 */

#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <net/esp.h>
#include <net/gro_cells.h>
#include <net/ipv6.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/xfrm.h>
#include <oxfrm/esp.h>
#include <oxfrm/input.h>
#include <oxfrm/mib.h>
#include <oxfrm/natt.h>
#include <oxfrm/replay.h>
#include <oxfrm/state.h>

static bool oxfrm_input_ready __read_mostly;

/*
 * What a decrypted packet carries back up the stack: a sec_path, as the
 * stock kernel's packets do (guard.c lets it pass), holding a kernel
 * xfrm_state that stands for the SA: its SPI, protocol, destination,
 * source, family and reqid, which nftables' "ipsec in" expressions and
 * iptables' policy match compare ("reqid", "spi"; "meta secpath" sees
 * any). Never in the kernel's SAD; made with the SA, put when the SA is
 * freed, and freed by the kernel once the last packet lets go of it.
 *
 * The kernel's own policy checks (IPv6, forwarded packets) read these
 * states too, and with no policy of the kernel's they refuse a sec_path
 * with a tunnel-mode state: so each says transport mode, whatever the SA,
 * with an empty selector, which every such check accepts. Matches on the
 * mode, or on tunnel endpoints, therefore do not see oxfrm's SAs. Having
 * no xfrm_type is what tells these states from the kernel's own.
 */
int oxfrm_input_state_init(struct oxfrm_state *x)
{
	/* The namespace is the kernel's bookkeeping only: it is never read. */
	struct xfrm_state *xs = xfrm_state_alloc(&init_net);

	if (!xs)
		return -ENOMEM;
	xs->id.daddr = x->daddr;
	xs->id.spi = x->key.spi;
	xs->id.proto = x->key.proto;
	xs->props.saddr = x->saddr;
	xs->props.family = x->family;
	xs->props.reqid = x->reqid;
	xs->props.mode = XFRM_MODE_TRANSPORT;
	xs->km.state = XFRM_STATE_DEAD;
	x->xs = xs;
	return 0;
}
EXPORT_SYMBOL_IF_OXFRM_KUNIT(oxfrm_input_state_init);

void oxfrm_input_state_destroy(struct oxfrm_state *x)
{
	if (x->xs)
		xfrm_state_put(x->xs);
	x->xs = NULL;
}

/* The GRO cells' NAPI instances need a device: a dummy one, never up. */
static struct net_device *oxfrm_napi_dev;
static struct gro_cells oxfrm_gro_cells;

int oxfrm_input_init(void)
{
	int err;

	oxfrm_napi_dev = kzalloc(sizeof(*oxfrm_napi_dev), GFP_KERNEL);
	if (!oxfrm_napi_dev)
		return -ENOMEM;
	init_dummy_netdev(oxfrm_napi_dev);
	err = gro_cells_init(&oxfrm_gro_cells, oxfrm_napi_dev);
	if (err)
		kfree(oxfrm_napi_dev);
	return err;
}

/* After the handlers: packets still queued in the cells are dropped. */
void oxfrm_input_exit(void)
{
	gro_cells_destroy(&oxfrm_gro_cells);
	/* netpoll may still be walking the device's NAPI list. */
	synchronize_net();
	kfree(oxfrm_napi_dev);
}

/* Marks @skb as decrypted by @x: 0, or the counter its drop counts in. */
static int oxfrm_input_mark(struct sk_buff *skb, struct oxfrm_state *x)
{
	struct sec_path *sp = secpath_set(skb);

	if (!sp)
		return LINUX_MIB_XFRMINERROR;
	if (sp->len == XFRM_MAX_DEPTH)
		return LINUX_MIB_XFRMINBUFFERERROR;
	xfrm_state_hold(x->xs);
	sp->xvec[sp->len++] = x->xs;
	return 0;
}

/*
 * Whether the last transform @skb went through was oxfrm's, so oxfrm's
 * inbound policy check has judged it.
 */
bool oxfrm_input_decrypted(const struct sk_buff *skb)
{
	const struct sec_path *sp = skb_sec_path(skb);

	return sp && sp->len && !sp->xvec[sp->len - 1]->type;
}

/* Called once every namespace has its oxfrm state. */
void oxfrm_input_enable(void)
{
	WRITE_ONCE(oxfrm_input_ready, true);
}

/* What a packet carries through decryption, in skb->cb. */
struct oxfrm_input_cb {
	struct oxfrm_state *x;		/* a reference */
	__be32 seq;
	u32 seq_hi;
	u16 nhlen;			/* header bytes before ESP */
	u16 nhoff;			/* IPv6: the next header naming ESP */
};

static struct oxfrm_input_cb *oxfrm_input_cb(struct sk_buff *skb)
{
	BUILD_BUG_ON(sizeof(struct oxfrm_input_cb) > sizeof(skb->cb));
	return (struct oxfrm_input_cb *)skb->cb;
}

/* The SA's state, replay window and limits; under x->lock. */
static int oxfrm_input_admit(struct oxfrm_state *x, __be32 seq, u32 *seq_hi,
			     int encap_type)
{
	if (x->kstate == OXFRM_STATE_ACQ)
		return LINUX_MIB_XFRMACQUIREERROR;
	if (x->dead || x->expired)
		return LINUX_MIB_XFRMINSTATEINVALID;
	if ((x->has_encap ? x->encap.encap_type : 0) != encap_type)
		return LINUX_MIB_XFRMINSTATEMISMATCH;
	if (oxfrm_replay_check(x, seq, seq_hi))
		return LINUX_MIB_XFRMINSTATESEQERROR;
	if (oxfrm_state_check_expire(x))
		return LINUX_MIB_XFRMINSTATEEXPIRED;
	return 0;
}

/* After the ICV: the window again, then advanced; under x->lock. */
static int oxfrm_input_commit(struct oxfrm_state *x, struct sk_buff *skb,
			      int nexthdr)
{
	struct oxfrm_input_cb *cb = oxfrm_input_cb(skb);

	if (nexthdr < 0) {
		if (nexthdr == -EBADMSG)
			x->stats.integrity_failed++;
		return LINUX_MIB_XFRMINSTATEPROTOERROR;
	}
	if (oxfrm_replay_recheck(x, cb->seq, cb->seq_hi))
		return LINUX_MIB_XFRMINSTATESEQERROR;
	oxfrm_replay_advance(x, cb->seq, cb->seq_hi);
	x->curlft.bytes += skb->len;
	x->curlft.packets++;
	return 0;
}

/*
 * The rest of a packet's way once its crypto is done (@err its result),
 * under rcu_read_lock(): consumes @skb, its device reference and its SA
 * reference.
 */
static void oxfrm_input_resume(struct sk_buff *skb, int err)
{
	struct oxfrm_input_cb *cb = oxfrm_input_cb(skb);
	struct oxfrm_state *x = cb->x;
	struct net_device *dev = skb->dev;
	struct net *net = dev_net(dev);
	u16 family;
	int mib;

	err = oxfrm_esp_input_finish(x, skb, err);
	spin_lock(&x->lock);
	mib = oxfrm_input_commit(x, skb, err);
	spin_unlock(&x->lock);
	if (mib)
		goto drop;

	/* ESP in UDP: the UDP header goes with the decapsulation. */
	if (x->has_encap) {
		oxfrm_natt_check(x, skb, cb->nhlen);
		cb->nhlen -= sizeof(struct udphdr);
		if (x->mode == XFRM_MODE_TRANSPORT)
			skb->ip_summed = CHECKSUM_UNNECESSARY;
	}
	if (oxfrm_input_decap(x, skb, err, cb->nhlen, cb->nhoff, &family)) {
		mib = LINUX_MIB_XFRMINSTATEMODEERROR;
		goto drop;
	}
	skb->mark = oxfrm_state_smark(x, skb->mark);
	mib = oxfrm_input_policy_check(oxfrm_pernet(net), skb, family, &x, 1);
	if (mib)
		goto drop;

	mib = oxfrm_input_mark(skb, x);
	if (mib)
		goto drop;
	oxfrm_input_mss(net, x, skb, family);
	skb_dst_drop(skb);
	nf_reset_ct(skb);
	memset(skb->cb, 0, sizeof(skb->cb));
	/* The cells are per CPU: nothing may run them under us. */
	local_bh_disable();
	gro_cells_receive(&oxfrm_gro_cells, skb);
	local_bh_enable();
	goto out;
drop:
	OXFRM_INC_STATS(net, mib);
	kfree_skb(skb);
out:
	dev_put(dev);
	/* Last: module exit waits for every state to be freed. */
	oxfrm_state_put(x);
}

/* The same, for crypto the driver completed later, outside any RCU. */
static void oxfrm_input_resume_async(struct sk_buff *skb, int err)
{
	rcu_read_lock();
	oxfrm_input_resume(skb, err);
	rcu_read_unlock();
}

/*
 * @skb, of @family, has its data at the ESP header and its network header
 * set; @encap_type is the UDP encapsulation it came in (0: none). Called
 * under rcu_read_lock(), as protocol handlers and netfilter hooks are.
 * Always consumes @skb.
 */
int oxfrm_input(struct sk_buff *skb, u16 family, int encap_type)
{
	struct net *net = dev_net(skb->dev);
	xfrm_address_t daddr = { };
	struct oxfrm_input_cb *cb;
	struct ip_esp_hdr *esph;
	struct oxfrm_state *x;
	unsigned int nhoff = 0;
	int mib, err;
	u32 seq_hi;

	/* Only while the module loads: nothing to count in yet. */
	if (unlikely(!READ_ONCE(oxfrm_input_ready)))
		goto drop;
	if (!pskb_may_pull(skb, sizeof(*esph))) {
		OXFRM_INC_STATS(net, LINUX_MIB_XFRMINHDRERROR);
		goto drop;
	}
	esph = (struct ip_esp_hdr *)skb->data;
	if (family == AF_INET) {
		daddr.a4 = ip_hdr(skb)->daddr;
	} else {
		daddr.in6 = ipv6_hdr(skb)->daddr;
		nhoff = IP6CB(skb)->nhoff;
	}

	x = oxfrm_state_lookup_rcu(oxfrm_pernet(net)->sad, &daddr, esph->spi,
				   IPPROTO_ESP, family, skb->mark);
	if (!x) {
		OXFRM_INC_STATS(net, LINUX_MIB_XFRMINNOSTATES);
		goto drop;
	}

	cb = oxfrm_input_cb(skb);
	cb->x = x;
	cb->seq = esph->seq_no;
	cb->nhlen = skb->data - skb_network_header(skb);
	cb->nhoff = nhoff;

	spin_lock(&x->lock);
	mib = oxfrm_input_admit(x, cb->seq, &seq_hi, encap_type);
	spin_unlock(&x->lock);
	if (mib) {
		OXFRM_INC_STATS(net, mib);
		oxfrm_state_put(x);
		goto drop;
	}
	cb->seq_hi = seq_hi;

	/* The device stays until the packet is handed on or dropped. */
	dev_hold(skb->dev);
	err = oxfrm_esp_input(x, skb, seq_hi, oxfrm_input_resume_async);
	if (err != -EINPROGRESS)
		oxfrm_input_resume(skb, err);
	return 0;
drop:
	kfree_skb(skb);
	return 0;
}
EXPORT_SYMBOL_IF_OXFRM_KUNIT(oxfrm_input);
