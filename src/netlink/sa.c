// SPDX-License-Identifier: GPL-2.0
/*
 * NETLINK_XFRM requests on SAs, answered as xfrm_user answers them: NEWSA,
 * UPDSA, ALLOCSPI, GETSA (single and dump), DELSA, FLUSHSA, the user-sent
 * EXPIRE, GETAE, NEWAE and GETSADINFO. Messages describing a state are
 * built in sa_msg.c; requests become states in sa_parse.c.
 */

#include <linux/slab.h>
#include <net/netlink.h>
#include <net/sock.h>
#include <net/xfrm.h>
#include <oxfrm/netlink.h>
#include <oxfrm/state.h>
#include <oxfrm/sysctl.h>

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

	acq = oxfrm_state_find_acq_byseq(on->sad, x, p->info.seq);
	if (!acq)
		acq = oxfrm_state_find_acq(on->sad, x);
	if (acq) {
		oxfrm_state_put(x);
		x = acq;
	} else {
		expires = oxfrm_acq_expires(on);
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

/*
 * The state a request names by (destination, SPI, protocol, family), as
 * its XFRMA_MARK selects it, with a reference; or NULL.
 */
static struct oxfrm_state *oxfrm_nl_lookup_sa(struct oxfrm_net *on,
					      struct nlattr **attrs,
					      const xfrm_address_t *daddr,
					      __be32 spi, u8 proto, u16 family)
{
	struct xfrm_mark m;

	oxfrm_nl_get_mark(attrs, &m);
	return oxfrm_state_lookup(on->sad, daddr, spi, proto, family,
				  m.v & m.m);
}

/* The state a GETSA or DELSA names, with a reference, or NULL and @err. */
static struct oxfrm_state *oxfrm_nl_find_sa(struct oxfrm_net *on,
					    struct xfrm_usersa_id *p,
					    struct nlattr **attrs, int *err)
{
	if (!xfrm_id_proto_match(p->proto, IPSEC_PROTO_ANY)) {
		/* By address: only for protocols oxfrm keeps no states of. */
		*err = attrs[XFRMA_SRCADDR] ? -ESRCH : -EINVAL;
		return NULL;
	}
	*err = -ESRCH;
	return oxfrm_nl_lookup_sa(on, attrs, &p->daddr, p->spi, p->proto,
				  p->family);
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
		oxfrm_nl_notify_sa(on, x, nlh);
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

/*
 * A dump's state between recvmsg() calls, in cb->args[0]: its filter, and
 * a walk that resumes after its marker in the SAD's list, so states added
 * or deleted meanwhile never make it skip or repeat another.
 */
struct oxfrm_nl_sa_dump {
	struct oxfrm_sad_walk walk;
	struct xfrm_address_filter addr;
	bool has_addr;
	u8 proto;
	struct sk_buff *skb;
	struct netlink_callback *cb;
};

static bool oxfrm_nl_sa_match(const struct oxfrm_state *x,
			      const struct oxfrm_nl_sa_dump *d)
{
	if (!xfrm_id_proto_match(x->key.proto, d->proto))
		return false;
	if (!d->has_addr)
		return true;
	if ((d->addr.family == AF_INET || d->addr.family == AF_INET6) &&
	    x->family != d->addr.family)
		return false;
	return addr_match(&x->saddr, &d->addr.saddr, d->addr.splen) &&
	       addr_match(&x->daddr, &d->addr.daddr, d->addr.dplen);
}

/*
 * Parsed on the first call, as xfrm_user does, so that an error ends the
 * dump (NLMSG_DONE with the errno and ext ack) rather than refusing it.
 */
static int oxfrm_nl_dump_sa_start(struct netlink_callback *cb)
{
	struct nlattr *attrs[XFRMA_MAX + 1];
	struct oxfrm_nl_sa_dump *d;
	int err;

	err = nlmsg_parse_deprecated(cb->nlh, 0, attrs, XFRMA_MAX,
				     oxfrm_nla_policy, cb->extack);
	if (err < 0)
		return err;
	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	if (attrs[XFRMA_ADDRESS_FILTER]) {
		memcpy(&d->addr, nla_data(attrs[XFRMA_ADDRESS_FILTER]),
		       sizeof(d->addr));
		if (d->addr.splen > 128 || d->addr.dplen > 128) {
			kfree(d);
			return -EINVAL;
		}
		d->has_addr = true;
	}
	if (attrs[XFRMA_PROTO])
		d->proto = nla_get_u8(attrs[XFRMA_PROTO]);
	oxfrm_sad_walk_init(&d->walk);
	cb->args[0] = (long)d;
	return 0;
}

/* Under sad->lock: non-zero (a full skb) pauses the walk before @x. */
static int oxfrm_nl_dump_one_sa(struct oxfrm_state *x, void *arg)
{
	struct oxfrm_nl_sa_dump *d = arg;

	if (!oxfrm_nl_sa_match(x, d))
		return 0;
	return oxfrm_nl_put_sa(d->skb, x, XFRM_MSG_NEWSA,
			       NETLINK_CB(d->cb->skb).portid,
			       d->cb->nlh->nlmsg_seq, NLM_F_MULTI);
}

/* Newest first, as the stock kernel lists them. */
int oxfrm_nl_dump_sa(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct oxfrm_net *on = oxfrm_pernet(sock_net(skb->sk));
	struct oxfrm_nl_sa_dump *d;
	int err;

	if (!cb->args[0]) {
		err = oxfrm_nl_dump_sa_start(cb);
		if (err)
			return err;
	}
	d = (void *)cb->args[0];
	d->skb = skb;
	d->cb = cb;
	oxfrm_sad_walk(on->sad, &d->walk, oxfrm_nl_dump_one_sa, d);
	return skb->len;
}

int oxfrm_nl_dump_sa_done(struct netlink_callback *cb)
{
	struct oxfrm_net *on = oxfrm_pernet(sock_net(cb->skb->sk));
	struct oxfrm_nl_sa_dump *d = (void *)cb->args[0];

	if (d) {
		oxfrm_sad_walk_done(on->sad, &d->walk);
		kfree(d);
	}
	return 0;
}

/* XFRM_MSG_NEWSA and XFRM_MSG_UPDSA (xfrm_add_sa()). */
int oxfrm_nl_add_sa(struct sk_buff *skb, struct nlmsghdr *nlh,
		    struct nlattr **attrs, struct netlink_ext_ack *extack)
{
	struct oxfrm_net *on = oxfrm_pernet(sock_net(skb->sk));
	struct xfrm_usersa_info *p = nlmsg_data(nlh);
	struct oxfrm_state *x;
	int err;

	err = oxfrm_nl_sa_verify(p, attrs, extack);
	if (err)
		return err;
	x = oxfrm_nl_sa_construct(on, p, attrs, &err, extack);
	if (!x)
		return err;
	if (nlh->nlmsg_type == XFRM_MSG_NEWSA)
		err = oxfrm_state_add(x);
	else
		err = oxfrm_state_update(x);
	/* An update in place reports the request, as the stock kernel does. */
	if (!err)
		oxfrm_nl_notify_sa(on, x, nlh);
	oxfrm_state_put(x);
	return err;
}

/*
 * A user-sent XFRM_MSG_EXPIRE (xfrm_add_sa_expire()): the key manager hears
 * of it as of any expiry; a hard one deletes the state.
 */
int oxfrm_nl_expire_sa(struct sk_buff *skb, struct nlmsghdr *nlh,
		       struct nlattr **attrs, struct netlink_ext_ack *extack)
{
	struct oxfrm_net *on = oxfrm_pernet(sock_net(skb->sk));
	struct xfrm_user_expire *ue = nlmsg_data(nlh);
	struct xfrm_usersa_info *p = &ue->state;
	struct oxfrm_state *x;
	bool valid;

	x = oxfrm_nl_lookup_sa(on, attrs, &p->id.daddr, p->id.spi, p->id.proto,
			       p->family);
	if (!x)
		return -ENOENT;
	spin_lock_bh(&x->lock);
	valid = x->kstate == OXFRM_STATE_VALID && !x->dead && !x->expired;
	spin_unlock_bh(&x->lock);
	if (!valid) {
		NL_SET_ERR_MSG(extack, "SA must be in VALID state");
		oxfrm_state_put(x);
		return -EINVAL;
	}
	/*
	 * A hard one deletes first, and tells only if it did: should the
	 * state's own timer delete it meanwhile, one EXPIRE goes out, not
	 * two. (The deletion itself sends nothing, so the order shows not.)
	 */
	if (!ue->hard || oxfrm_state_unlink(x))
		oxfrm_nl_sa_expired(on, x, ue->hard, nlh->nlmsg_pid);
	oxfrm_state_put(x);
	return 0;
}

/* XFRM_MSG_GETAE: the replay and lifetime counters, as NEWAE. */
int oxfrm_nl_get_ae(struct sk_buff *skb, struct nlmsghdr *nlh,
		    struct nlattr **attrs, struct netlink_ext_ack *extack)
{
	struct oxfrm_net *on = oxfrm_pernet(sock_net(skb->sk));
	struct xfrm_aevent_id *p = nlmsg_data(nlh);
	u32 portid = NETLINK_CB(skb).portid;
	struct oxfrm_state *x;
	struct sk_buff *reply;

	x = oxfrm_nl_lookup_sa(on, attrs, &p->sa_id.daddr, p->sa_id.spi,
			       p->sa_id.proto, p->sa_id.family);
	if (!x)
		return -ESRCH;
	/* The header names the requester's nlmsg_pid, as xfrm_user's does. */
	reply = oxfrm_nl_build_ae(x, p->flags, nlh->nlmsg_pid, nlh->nlmsg_seq,
				  GFP_KERNEL);
	oxfrm_state_put(x);
	if (!reply)
		return -ENOMEM;
	return oxfrm_nl_unicast(on, reply, portid);
}

/* The ESN attribute of a NEWAE must match the state's bitmap exactly. */
static int oxfrm_nl_verify_ae_esn(const struct oxfrm_state *x,
				  struct nlattr *nla)
{
	struct xfrm_replay_state_esn *up;
	unsigned int ulen;

	if (!x->replay_esn || !nla)
		return 0;
	up = nla_data(nla);
	ulen = xfrm_replay_state_esn_len(up);
	if (nla_len(nla) < (int)ulen ||
	    xfrm_replay_state_esn_len(x->replay_esn) != ulen ||
	    x->replay_esn->bmp_len != up->bmp_len)
		return -EINVAL;
	if (up->replay_window > up->bmp_len * sizeof(__u32) * 8)
		return -EINVAL;
	return 0;
}

/*
 * XFRM_MSG_NEWAE: restores counters (NLM_F_REPLACE is required, as in the
 * stock kernel), then tells XFRMNLGRP_AEVENTS.
 */
int oxfrm_nl_new_ae(struct sk_buff *skb, struct nlmsghdr *nlh,
		    struct nlattr **attrs, struct netlink_ext_ack *extack)
{
	struct oxfrm_net *on = oxfrm_pernet(sock_net(skb->sk));
	struct xfrm_aevent_id *p = nlmsg_data(nlh);
	struct oxfrm_state *x;
	struct sk_buff *ev;
	int err = -EINVAL;

	if (!attrs[XFRMA_LTIME_VAL] && !attrs[XFRMA_REPLAY_VAL] &&
	    !attrs[XFRMA_REPLAY_ESN_VAL] && !attrs[XFRMA_ETIMER_THRESH] &&
	    !attrs[XFRMA_REPLAY_THRESH])
		return -EINVAL;
	if (!(nlh->nlmsg_flags & NLM_F_REPLACE))
		return -EINVAL;
	x = oxfrm_nl_lookup_sa(on, attrs, &p->sa_id.daddr, p->sa_id.spi,
			       p->sa_id.proto, p->sa_id.family);
	if (!x)
		return -ESRCH;
	if (x->kstate != OXFRM_STATE_VALID)
		goto out;
	err = oxfrm_nl_verify_ae_esn(x, attrs[XFRMA_REPLAY_ESN_VAL]);
	if (err)
		goto out;
	spin_lock_bh(&x->lock);
	oxfrm_nl_sa_update_ae(x, attrs, true);
	spin_unlock_bh(&x->lock);
	ev = oxfrm_nl_build_ae(x, XFRM_AE_CU, nlh->nlmsg_pid, nlh->nlmsg_seq,
			       GFP_KERNEL);
	if (ev)
		oxfrm_nl_multicast(on, ev, XFRMNLGRP_AEVENTS);
out:
	oxfrm_state_put(x);
	return err;
}

/* XFRM_MSG_GETSADINFO: how many states, and the hash's size. */
int oxfrm_nl_get_sadinfo(struct sk_buff *skb, struct nlmsghdr *nlh,
			 struct nlattr **attrs, struct netlink_ext_ack *extack)
{
	struct oxfrm_net *on = oxfrm_pernet(sock_net(skb->sk));
	u32 portid = NETLINK_CB(skb).portid;
	struct xfrmu_sadhinfo sh;
	struct nlmsghdr *rnlh;
	struct sk_buff *reply;
	u32 count;

	reply = nlmsg_new(NLMSG_ALIGN(sizeof(u32)) + nla_total_size(sizeof(sh)) +
			  nla_total_size(sizeof(u32)), GFP_KERNEL);
	if (!reply)
		return -ENOMEM;
	rnlh = nlmsg_put(reply, portid, nlh->nlmsg_seq, XFRM_MSG_NEWSADINFO,
			 sizeof(u32), 0);
	if (!rnlh)
		goto fail;
	*(u32 *)nlmsg_data(rnlh) = *(u32 *)nlmsg_data(nlh);
	count = oxfrm_state_count(on->sad, &sh.sadhcnt);
	sh.sadhmcnt = OXFRM_SAD_HASH_MAX;
	if (nla_put_u32(reply, XFRMA_SAD_CNT, count) ||
	    nla_put(reply, XFRMA_SAD_HINFO, sizeof(sh), &sh))
		goto fail;
	nlmsg_end(reply, rnlh);
	return oxfrm_nl_unicast(on, reply, portid);
fail:
	kfree_skb(reply);
	return -EMSGSIZE;
}
