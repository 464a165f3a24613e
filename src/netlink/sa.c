// SPDX-License-Identifier: GPL-2.0
/*
 * NETLINK_XFRM requests on SAs and the events they raise, in xfrm_user's
 * formats: ALLOCSPI, GETSA (single and dump), DELSA, FLUSHSA, and EXPIRE.
 * NEWSA/UPDSA (algorithms, encapsulation, replay) come next; the
 * attributes they add go into oxfrm_nl_sa_attrs() in xfrm_user's order.
 */

#include <linux/slab.h>
#include <net/netlink.h>
#include <net/sock.h>
#include <net/xfrm.h>
#include <oxfrm/netlink.h>
#include <oxfrm/state.h>

static void oxfrm_nl_sa_info(const struct oxfrm_state *x,
			     struct xfrm_usersa_info *p)
{
	memset(p, 0, sizeof(*p));
	p->id.daddr = x->daddr;
	p->id.spi = x->key.spi;
	p->id.proto = x->key.proto;
	p->sel = x->sel;
	p->lft = x->lft;
	p->curlft = x->curlft;
	memcpy(&p->stats, &x->stats, sizeof(p->stats));
	p->saddr = x->saddr;
	p->mode = x->mode;
	p->replay_window = x->replay_window;
	p->reqid = x->reqid;
	p->family = x->family;
	p->flags = x->flags;
	p->seq = x->seq;
}

static int oxfrm_nl_put_mark(struct sk_buff *skb, const struct xfrm_mark *m)
{
	if (!(m->v | m->m))
		return 0;
	return nla_put(skb, XFRMA_MARK, sizeof(*m), m);
}

static int oxfrm_nl_put_if_id(struct sk_buff *skb, u32 if_id)
{
	return if_id ? nla_put_u32(skb, XFRMA_IF_ID, if_id) : 0;
}

/* After the fixed header, in xfrm_user's order. */
static int oxfrm_nl_sa_attrs(struct sk_buff *skb, const struct oxfrm_state *x)
{
	int err;

	err = oxfrm_nl_put_mark(skb, &x->mark);
	if (!err)
		err = nla_put(skb, XFRMA_REPLAY_VAL, sizeof(x->replay), &x->replay);
	if (!err)
		err = oxfrm_nl_put_if_id(skb, x->if_id);
	return err;
}

/* One NEWSA message describing @x. */
static int oxfrm_nl_put_sa(struct sk_buff *skb, const struct oxfrm_state *x,
			   u32 portid, u32 seq, u16 flags)
{
	struct nlmsghdr *nlh;

	nlh = nlmsg_put(skb, portid, seq, XFRM_MSG_NEWSA,
			sizeof(struct xfrm_usersa_info), flags);
	if (!nlh)
		return -EMSGSIZE;
	oxfrm_nl_sa_info(x, nlmsg_data(nlh));
	if (oxfrm_nl_sa_attrs(skb, x)) {
		nlmsg_cancel(skb, nlh);
		return -EMSGSIZE;
	}
	nlmsg_end(skb, nlh);
	return 0;
}

static int oxfrm_nl_reply_sa(struct oxfrm_net *on, struct sk_buff *in,
			     const struct nlmsghdr *nlh,
			     const struct oxfrm_state *x)
{
	u32 portid = NETLINK_CB(in).portid;
	struct sk_buff *skb;
	int err;

	skb = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!skb)
		return -ENOMEM;
	err = oxfrm_nl_put_sa(skb, x, portid, nlh->nlmsg_seq, 0);
	if (err) {
		kfree_skb(skb);
		return err;
	}
	return oxfrm_nl_unicast(on, skb, portid);
}

static void oxfrm_nl_get_mark(struct nlattr **attrs, struct xfrm_mark *m)
{
	if (attrs[XFRMA_MARK])
		memcpy(m, nla_data(attrs[XFRMA_MARK]), sizeof(*m));
	else
		memset(m, 0, sizeof(*m));
}

/*
 * XFRM_MSG_ALLOCSPI: an SPI from the range for a larval state of (saddr,
 * daddr, proto, mode, reqid, mark, if_id). A larval state of those that
 * has no SPI yet is taken over; otherwise a new one is made, which lives
 * acq_expires seconds. It is linked before its SPI is chosen, so a range
 * with no free SPI still leaves it (with SPI 0) until it expires or a
 * later ALLOCSPI takes it over, as in the stock kernel.
 */
int oxfrm_nl_alloc_spi(struct sk_buff *skb, struct nlmsghdr *nlh,
		       struct nlattr **attrs, struct netlink_ext_ack *extack)
{
	struct oxfrm_net *on = oxfrm_pernet(sock_net(skb->sk));
	struct xfrm_userspi_info *p = nlmsg_data(nlh);
	u16 family = p->info.family;
	struct oxfrm_state *x, *acq;
	unsigned int expires;
	int err;

	err = oxfrm_state_verify_spi_range(p->info.id.proto, p->min, p->max);
	if (err)
		return err;

	x = oxfrm_state_alloc(on->sad, GFP_KERNEL);
	if (!x)
		return -ENOMEM;
	oxfrm_state_set_id(x, &p->info.id.daddr, 0, p->info.id.proto, family);
	if (family != AF_INET && family != AF_INET6)
		memset(&x->daddr, 0, sizeof(x->daddr));
	oxfrm_nl_get_mark(attrs, &x->mark);
	if (attrs[XFRMA_IF_ID])
		x->if_id = nla_get_u32(attrs[XFRMA_IF_ID]);
	/* Another family leaves addresses and selector zero, as there. */
	if (family == AF_INET) {
		x->saddr.a4 = p->info.saddr.a4;
		x->sel.saddr.a4 = p->info.saddr.a4;
		x->sel.daddr.a4 = p->info.id.daddr.a4;
		x->sel.prefixlen_s = 32;
		x->sel.prefixlen_d = 32;
	} else if (family == AF_INET6) {
		x->saddr = p->info.saddr;
		x->sel.saddr = p->info.saddr;
		x->sel.daddr = p->info.id.daddr;
		x->sel.prefixlen_s = 128;
		x->sel.prefixlen_d = 128;
	}
	x->mode = p->info.mode;
	x->reqid = p->info.reqid;
	x->kstate = OXFRM_STATE_ACQ;

	acq = oxfrm_state_find_acq(on->sad, x);
	if (acq) {
		oxfrm_state_put(x);
		x = acq;
	} else {
		expires = READ_ONCE(on->sysctl.acq_expires);
		x->lft.hard_add_expires_seconds = expires;
		err = oxfrm_state_insert(x);
		if (err)
			goto out;
		oxfrm_state_arm(x, expires);
	}
	err = oxfrm_state_alloc_spi(x, p->min, p->max);
	if (!err)
		err = oxfrm_nl_reply_sa(on, skb, nlh, x);
out:
	oxfrm_state_put(x);
	return err;
}

/* The state a GETSA or DELSA names, with a reference, or NULL and @err. */
static struct oxfrm_state *oxfrm_nl_find_sa(struct oxfrm_net *on,
					    struct xfrm_usersa_id *p,
					    struct nlattr **attrs, int *err)
{
	struct xfrm_mark m;

	oxfrm_nl_get_mark(attrs, &m);
	if (!xfrm_id_proto_match(p->proto, IPSEC_PROTO_ANY)) {
		/* By address: only for protocols oxfrm keeps no states of. */
		*err = attrs[XFRMA_SRCADDR] ? -ESRCH : -EINVAL;
		return NULL;
	}
	*err = -ESRCH;
	return oxfrm_state_lookup(on->sad, &p->daddr, p->spi, p->proto,
				  p->family, m.v & m.m);
}

int oxfrm_nl_get_sa(struct sk_buff *skb, struct nlmsghdr *nlh,
		    struct nlattr **attrs, struct netlink_ext_ack *extack)
{
	struct oxfrm_net *on = oxfrm_pernet(sock_net(skb->sk));
	struct oxfrm_state *x;
	int err;

	x = oxfrm_nl_find_sa(on, nlmsg_data(nlh), attrs, &err);
	if (!x)
		return err;
	err = oxfrm_nl_reply_sa(on, skb, nlh, x);
	oxfrm_state_put(x);
	return err;
}

/* XFRMNLGRP_SA hears of a deleted state as a usersa_id plus XFRMA_SA. */
static void oxfrm_nl_notify_delsa(struct oxfrm_net *on,
				  const struct oxfrm_state *x,
				  const struct nlmsghdr *req)
{
	struct xfrm_usersa_id *id;
	struct nlmsghdr *nlh;
	struct sk_buff *skb;
	struct nlattr *attr;

	skb = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!skb)
		return;
	nlh = nlmsg_put(skb, req->nlmsg_pid, req->nlmsg_seq, XFRM_MSG_DELSA,
			sizeof(*id), 0);
	if (!nlh)
		goto fail;
	id = nlmsg_data(nlh);
	memset(id, 0, sizeof(*id));
	id->daddr = x->daddr;
	id->spi = x->key.spi;
	id->family = x->family;
	id->proto = x->key.proto;
	attr = nla_reserve(skb, XFRMA_SA, sizeof(struct xfrm_usersa_info));
	if (!attr)
		goto fail;
	oxfrm_nl_sa_info(x, nla_data(attr));
	if (oxfrm_nl_sa_attrs(skb, x))
		goto fail;
	nlmsg_end(skb, nlh);
	oxfrm_nl_multicast(on, skb, XFRMNLGRP_SA);
	return;
fail:
	kfree_skb(skb);
}

int oxfrm_nl_del_sa(struct sk_buff *skb, struct nlmsghdr *nlh,
		    struct nlattr **attrs, struct netlink_ext_ack *extack)
{
	struct oxfrm_net *on = oxfrm_pernet(sock_net(skb->sk));
	struct oxfrm_state *x;
	int err;

	x = oxfrm_nl_find_sa(on, nlmsg_data(nlh), attrs, &err);
	if (!x)
		return err;
	err = -ESRCH;
	if (oxfrm_state_unlink(x)) {
		oxfrm_nl_notify_delsa(on, x, nlh);
		err = 0;
	}
	oxfrm_state_put(x);
	return err;
}

int oxfrm_nl_flush_sa(struct sk_buff *skb, struct nlmsghdr *nlh,
		      struct nlattr **attrs, struct netlink_ext_ack *extack)
{
	struct oxfrm_net *on = oxfrm_pernet(sock_net(skb->sk));
	struct xfrm_usersa_flush *p = nlmsg_data(nlh), *ev;
	struct nlmsghdr *enlh;
	struct sk_buff *evskb;

	/* Nothing flushed: success, and no event. */
	if (!oxfrm_state_flush_proto(on->sad, p->proto))
		return 0;

	evskb = nlmsg_new(NLMSG_ALIGN(sizeof(*ev)), GFP_KERNEL);
	if (!evskb)
		return 0;
	enlh = nlmsg_put(evskb, nlh->nlmsg_pid, nlh->nlmsg_seq, XFRM_MSG_FLUSHSA,
			 sizeof(*ev), 0);
	if (!enlh) {
		kfree_skb(evskb);
		return 0;
	}
	ev = nlmsg_data(enlh);
	ev->proto = p->proto;
	nlmsg_end(evskb, enlh);
	oxfrm_nl_multicast(on, evskb, XFRMNLGRP_SA);
	return 0;
}

/* XFRMNLGRP_EXPIRE: a soft (@hard false) or hard lifetime limit passed. */
void oxfrm_nl_sa_expired(struct oxfrm_net *on, const struct oxfrm_state *x,
			 bool hard)
{
	struct xfrm_user_expire *ue;
	struct nlmsghdr *nlh;
	struct sk_buff *skb;

	skb = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_ATOMIC);
	if (!skb)
		return;
	nlh = nlmsg_put(skb, 0, 0, XFRM_MSG_EXPIRE, sizeof(*ue), 0);
	if (!nlh)
		goto fail;
	ue = nlmsg_data(nlh);
	memset(ue, 0, sizeof(*ue));
	oxfrm_nl_sa_info(x, &ue->state);
	ue->hard = hard;
	if (oxfrm_nl_put_mark(skb, &x->mark) ||
	    oxfrm_nl_put_if_id(skb, x->if_id))
		goto fail;
	nlmsg_end(skb, nlh);
	oxfrm_nl_multicast(on, skb, XFRMNLGRP_EXPIRE);
	return;
fail:
	kfree_skb(skb);
}

/* Dumps: the filter lives in cb->args[1], the resume position in args[0]. */
struct oxfrm_nl_sa_filter {
	struct xfrm_address_filter addr;
	bool has_addr;
	u8 proto;
};

static bool oxfrm_nl_sa_match(const struct oxfrm_state *x,
			      const struct oxfrm_nl_sa_filter *f)
{
	if (!xfrm_id_proto_match(x->key.proto, f->proto))
		return false;
	if (!f->has_addr)
		return true;
	if ((f->addr.family == AF_INET || f->addr.family == AF_INET6) &&
	    x->family != f->addr.family)
		return false;
	return addr_match(&x->saddr, &f->addr.saddr, f->addr.splen) &&
	       addr_match(&x->daddr, &f->addr.daddr, f->addr.dplen);
}

/*
 * Parsed on the first call, as xfrm_user does, so that an error ends the
 * dump (NLMSG_DONE with the errno and ext ack) rather than refusing it.
 */
static int oxfrm_nl_dump_sa_filter(struct netlink_callback *cb)
{
	struct nlattr *attrs[XFRMA_MAX + 1];
	struct oxfrm_nl_sa_filter *f;
	int err;

	err = nlmsg_parse_deprecated(cb->nlh, 0, attrs, XFRMA_MAX,
				     oxfrm_nla_policy, cb->extack);
	if (err < 0)
		return err;
	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	if (attrs[XFRMA_ADDRESS_FILTER]) {
		memcpy(&f->addr, nla_data(attrs[XFRMA_ADDRESS_FILTER]),
		       sizeof(f->addr));
		if (f->addr.splen > 128 || f->addr.dplen > 128) {
			kfree(f);
			return -EINVAL;
		}
		f->has_addr = true;
	}
	if (attrs[XFRMA_PROTO])
		f->proto = nla_get_u8(attrs[XFRMA_PROTO]);
	cb->args[0] = 0;
	cb->args[1] = (long)f;
	return 0;
}

/*
 * Newest first, resuming by position: a state linked or unlinked between
 * two parts of a dump can shift what the next part starts with (the stock
 * kernel keeps a marker in its list instead).
 */
int oxfrm_nl_dump_sa(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct oxfrm_net *on = oxfrm_pernet(sock_net(skb->sk));
	const struct oxfrm_nl_sa_filter *f;
	struct oxfrm_sad *sad = on->sad;
	struct oxfrm_state *x;
	long pos = 0;
	int err;

	if (!cb->args[1]) {
		err = oxfrm_nl_dump_sa_filter(cb);
		if (err)
			return err;
	}
	f = (void *)cb->args[1];

	spin_lock_bh(&sad->lock);
	list_for_each_entry(x, &sad->all, all) {
		if (pos++ < cb->args[0])
			continue;
		if (oxfrm_nl_sa_match(x, f) &&
		    oxfrm_nl_put_sa(skb, x, NETLINK_CB(cb->skb).portid,
				    cb->nlh->nlmsg_seq, NLM_F_MULTI)) {
			pos--;
			break;
		}
	}
	spin_unlock_bh(&sad->lock);
	cb->args[0] = pos;
	return skb->len;
}

int oxfrm_nl_dump_sa_done(struct netlink_callback *cb)
{
	kfree((void *)cb->args[1]);
	return 0;
}
