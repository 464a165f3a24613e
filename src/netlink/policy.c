// SPDX-License-Identifier: GPL-2.0
/*
 * NETLINK_XFRM requests on policies and the events they raise, in
 * xfrm_user's formats: NEWPOLICY, UPDPOLICY, GETPOLICY (single and dump),
 * DELPOLICY, FLUSHPOLICY, POLEXPIRE (sent by a key manager, and raised by
 * lifetimes), GETSPDINFO and NEWSPDINFO. Dumps also list the per-socket
 * policies the kernel's own SPD holds, as the stock kernel's do.
 */

#include <linux/security.h>
#include <linux/slab.h>
#include <net/netlink.h>
#include <net/sock.h>
#include <net/xfrm.h>
#include <oxfrm/netlink.h>
#include <oxfrm/policy.h>

/* As copy_to_user_policy(); the share is always reported as "any". */
void oxfrm_nl_policy_info(const struct oxfrm_policy *pol,
			  struct xfrm_userpolicy_info *p)
{
	memset(p, 0, sizeof(*p));
	memcpy(&p->sel, &pol->sel, sizeof(p->sel));
	p->lft = pol->lft;
	p->curlft.add_time = pol->curlft.add_time;
	p->curlft.use_time = READ_ONCE(pol->curlft.use_time);
	p->priority = pol->priority;
	p->index = pol->index;
	p->dir = pol->dir;
	p->action = pol->action;
	p->flags = pol->flags;
}

/* After the fixed part, in xfrm_user's order. */
int oxfrm_nl_policy_attrs(struct sk_buff *skb, const struct oxfrm_policy *pol)
{
	struct xfrm_userpolicy_type upt;

	if (pol->nr_tmpls &&
	    nla_put(skb, XFRMA_TMPL, pol->nr_tmpls * sizeof(pol->tmpls[0]),
		    pol->tmpls))
		return -EMSGSIZE;
	memset(&upt, 0, sizeof(upt));
	upt.type = pol->type;
	if (nla_put(skb, XFRMA_POLICY_TYPE, sizeof(upt), &upt))
		return -EMSGSIZE;
	if (oxfrm_nl_put_mark(skb, &pol->mark) ||
	    oxfrm_nl_put_if_id(skb, pol->if_id))
		return -EMSGSIZE;
	return 0;
}

/* One NEWPOLICY message describing @pol (a reply or a part of a dump). */
static int oxfrm_nl_put_policy(struct sk_buff *skb,
			       const struct oxfrm_policy *pol, u32 portid,
			       u32 seq, u16 flags)
{
	struct nlmsghdr *nlh;

	nlh = nlmsg_put(skb, portid, seq, XFRM_MSG_NEWPOLICY,
			sizeof(struct xfrm_userpolicy_info), flags);
	if (!nlh)
		return -EMSGSIZE;
	oxfrm_nl_policy_info(pol, nlmsg_data(nlh));
	if (oxfrm_nl_policy_attrs(skb, pol)) {
		nlmsg_cancel(skb, nlh);
		return -EMSGSIZE;
	}
	nlmsg_end(skb, nlh);
	return 0;
}

/*
 * XFRMNLGRP_POLICY hears of a new, replaced or deleted policy with the
 * requester's nlmsg_pid and sequence number. A deletion carries how the
 * policy was named (index or selector), then the policy as XFRMA_POLICY.
 */
static void oxfrm_nl_notify_policy(struct oxfrm_net *on,
				   const struct oxfrm_policy *pol,
				   const struct nlmsghdr *req, bool byid)
{
	u16 event = req->nlmsg_type;
	struct xfrm_userpolicy_info *p;
	struct xfrm_userpolicy_id *id;
	struct nlmsghdr *nlh;
	struct nlattr *attr;
	struct sk_buff *skb;
	size_t hdr = sizeof(*p);

	if (event == XFRM_MSG_DELPOLICY)
		hdr = sizeof(*id);
	skb = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!skb)
		return;
	nlh = nlmsg_put(skb, req->nlmsg_pid, req->nlmsg_seq, event, hdr, 0);
	if (!nlh)
		goto fail;
	p = nlmsg_data(nlh);
	if (event == XFRM_MSG_DELPOLICY) {
		id = nlmsg_data(nlh);
		memset(id, 0, sizeof(*id));
		id->dir = pol->dir;
		if (byid)
			id->index = pol->index;
		else
			memcpy(&id->sel, &pol->sel, sizeof(id->sel));
		attr = nla_reserve(skb, XFRMA_POLICY, sizeof(*p));
		if (!attr)
			goto fail;
		p = nla_data(attr);
	}
	oxfrm_nl_policy_info(pol, p);
	if (oxfrm_nl_policy_attrs(skb, pol))
		goto fail;
	nlmsg_end(skb, nlh);
	oxfrm_nl_multicast(on, skb, XFRMNLGRP_POLICY);
	return;
fail:
	kfree_skb(skb);
}

/*
 * XFRMNLGRP_EXPIRE: a soft (@hard false) or hard lifetime limit of @pol
 * passed, or a key manager (@portid its nlmsg_pid) said so. Any context.
 */
void oxfrm_nl_policy_expired(struct oxfrm_net *on,
			     const struct oxfrm_policy *pol, bool hard,
			     u32 portid)
{
	struct xfrm_user_polexpire *upe;
	struct nlmsghdr *nlh;
	struct sk_buff *skb;

	skb = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_ATOMIC);
	if (!skb)
		return;
	nlh = nlmsg_put(skb, portid, 0, XFRM_MSG_POLEXPIRE, sizeof(*upe), 0);
	if (!nlh)
		goto fail;
	upe = nlmsg_data(nlh);
	memset(upe, 0, sizeof(*upe));
	oxfrm_nl_policy_info(pol, &upe->pol);
	upe->hard = hard;
	if (oxfrm_nl_policy_attrs(skb, pol))
		goto fail;
	nlmsg_end(skb, nlh);
	oxfrm_nl_multicast(on, skb, XFRMNLGRP_EXPIRE);
	return;
fail:
	kfree_skb(skb);
}

int oxfrm_nl_policy_type(struct nlattr **attrs, u8 *type,
			 struct netlink_ext_ack *extack)
{
	struct xfrm_userpolicy_type *upt;

	*type = XFRM_POLICY_TYPE_MAIN;
	if (attrs[XFRMA_POLICY_TYPE]) {
		upt = nla_data(attrs[XFRMA_POLICY_TYPE]);
		*type = upt->type;
	}
	return oxfrm_policy_verify_type(*type, extack);
}

/*
 * A security context as the LSM makes it of XFRMA_SEC_CTX. Without an LSM
 * that labels IPsec (Debian's default), there is none and the stock kernel
 * ignores the attribute: so does oxfrm. Contexts an LSM does make are
 * refused (-EOPNOTSUPP for a new policy; -ENOENT for a lookup, as no
 * oxfrm policy carries one).
 */
static int oxfrm_nl_sec_ctx(struct nlattr **attrs, bool *labelled)
{
	struct xfrm_sec_ctx *ctx = NULL;
	int err;

	*labelled = false;
	if (!attrs[XFRMA_SEC_CTX])
		return 0;
	err = security_xfrm_policy_alloc(&ctx, nla_data(attrs[XFRMA_SEC_CTX]),
					 GFP_KERNEL);
	if (err)
		return err;
	if (ctx) {
		security_xfrm_policy_free(ctx);
		*labelled = true;
	}
	return 0;
}

/* Templates as copy_to_user_tmpl() gives them back: padding cleared. */
static void oxfrm_nl_policy_tmpls(struct oxfrm_policy *pol,
				  const struct xfrm_user_tmpl *ut, int nr)
{
	int i;

	pol->nr_tmpls = nr;
	for (i = 0; i < nr; i++) {
		struct xfrm_user_tmpl *t = &pol->tmpls[i];

		memset(t, 0, sizeof(*t));
		memcpy(&t->id, &ut[i].id, sizeof(t->id));
		t->family = ut[i].family;
		memcpy(&t->saddr, &ut[i].saddr, sizeof(t->saddr));
		t->reqid = ut[i].reqid;
		t->mode = ut[i].mode;
		t->share = ut[i].share;
		t->optional = ut[i].optional;
		t->aalgos = ut[i].aalgos;
		t->ealgos = ut[i].ealgos;
		t->calgos = ut[i].calgos;
	}
}

/*
 * xfrm_policy_construct(): a policy (unlinked, with the caller's reference)
 * from @p and its attributes, checked as xfrm_user checks them; or NULL
 * and *errp.
 */
struct oxfrm_policy *oxfrm_nl_policy_construct(struct oxfrm_net *on,
					       const struct xfrm_userpolicy_info *p,
					       struct nlattr **attrs, int *errp,
					       struct netlink_ext_ack *extack)
{
	struct xfrm_user_tmpl *ut = NULL;
	struct oxfrm_policy *pol;
	bool labelled;
	int nr = 0, err;
	u8 type;

	err = oxfrm_policy_verify_info(p, extack);
	if (!err)
		err = oxfrm_nl_verify_sec_ctx(attrs, extack);
	if (!err)
		err = oxfrm_nl_policy_type(attrs, &type, extack);
	if (!err && attrs[XFRMA_TMPL]) {
		ut = nla_data(attrs[XFRMA_TMPL]);
		nr = nla_len(attrs[XFRMA_TMPL]) / sizeof(*ut);
		err = oxfrm_policy_verify_tmpls(ut, nr, p->sel.family, p->dir,
						extack);
	}
	if (!err)
		err = oxfrm_nl_sec_ctx(attrs, &labelled);
	if (!err && labelled) {
		NL_SET_ERR_MSG(extack, "oxfrm does not support security contexts");
		err = -EOPNOTSUPP;
	}
	if (err) {
		*errp = err;
		return NULL;
	}

	pol = oxfrm_policy_alloc(on->spd, GFP_KERNEL);
	if (!pol) {
		*errp = -ENOMEM;
		return NULL;
	}
	memcpy(&pol->sel, &p->sel, sizeof(pol->sel));
	pol->lft = p->lft;
	pol->priority = p->priority;
	pol->index = p->index;
	pol->dir = p->dir;
	pol->type = type;
	pol->action = p->action;
	pol->flags = p->flags;
	oxfrm_nl_policy_tmpls(pol, ut, nr);
	oxfrm_nl_get_mark(attrs, &pol->mark);
	if (attrs[XFRMA_IF_ID])
		pol->if_id = nla_get_u32(attrs[XFRMA_IF_ID]);
	return pol;
}

/* XFRM_MSG_NEWPOLICY (-EEXIST for a policy of the same identity), UPDPOLICY. */
int oxfrm_nl_add_policy(struct sk_buff *skb, struct nlmsghdr *nlh,
			struct nlattr **attrs, struct netlink_ext_ack *extack)
{
	struct oxfrm_net *on = oxfrm_pernet(sock_net(skb->sk));
	struct oxfrm_policy *pol;
	int err;

	pol = oxfrm_nl_policy_construct(on, nlmsg_data(nlh), attrs, &err,
					extack);
	if (!pol)
		return err;

	err = oxfrm_spd_insert(pol, nlh->nlmsg_type == XFRM_MSG_NEWPOLICY);
	if (!err)
		oxfrm_nl_notify_policy(on, pol, nlh, false);
	oxfrm_policy_put(pol);
	return err;
}

/* The policy a GETPOLICY, DELPOLICY or POLEXPIRE names, referenced. */
static struct oxfrm_policy *oxfrm_nl_find_policy(struct oxfrm_net *on,
						 struct nlattr **attrs,
						 const struct xfrm_userpolicy_info *info,
						 const struct xfrm_userpolicy_id *id,
						 int *err,
						 struct netlink_ext_ack *extack)
{
	const struct xfrm_selector *sel = info ? &info->sel : &id->sel;
	u32 index = info ? info->index : id->index;
	u8 dir = info ? info->dir : id->dir;
	struct oxfrm_policy *pol;
	struct xfrm_mark m;
	u32 if_id = 0;
	bool labelled;
	u8 type;

	*err = oxfrm_nl_policy_type(attrs, &type, extack);
	if (!*err)
		*err = oxfrm_policy_verify_dir(dir, extack);
	if (*err)
		return NULL;
	if (attrs[XFRMA_IF_ID])
		if_id = nla_get_u32(attrs[XFRMA_IF_ID]);
	oxfrm_nl_get_mark(attrs, &m);

	if (index) {
		pol = oxfrm_spd_find_index(on->spd, dir, type, index, &m, if_id);
	} else {
		*err = oxfrm_nl_verify_sec_ctx(attrs, extack);
		if (!*err)
			*err = oxfrm_nl_sec_ctx(attrs, &labelled);
		if (*err)
			return NULL;
		pol = labelled ? NULL :
		      oxfrm_spd_find_sel(on->spd, dir, type, sel, &m, if_id);
	}
	*err = pol ? 0 : -ENOENT;
	return pol;
}

/* XFRM_MSG_GETPOLICY and XFRM_MSG_DELPOLICY, by index or by selector. */
int oxfrm_nl_get_policy(struct sk_buff *skb, struct nlmsghdr *nlh,
			struct nlattr **attrs, struct netlink_ext_ack *extack)
{
	struct oxfrm_net *on = oxfrm_pernet(sock_net(skb->sk));
	struct xfrm_userpolicy_id *id = nlmsg_data(nlh);
	u32 portid = NETLINK_CB(skb).portid;
	struct oxfrm_policy *pol;
	struct sk_buff *reply;
	int err;

	pol = oxfrm_nl_find_policy(on, attrs, NULL, id, &err, extack);
	if (!pol)
		return err;

	if (nlh->nlmsg_type == XFRM_MSG_DELPOLICY) {
		if (oxfrm_spd_unlink(pol))
			oxfrm_nl_notify_policy(on, pol, nlh, id->index);
		else
			err = -ENOENT;	/* a timer was quicker */
		goto out;
	}

	reply = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!reply) {
		err = -ENOMEM;
		goto out;
	}
	err = oxfrm_nl_put_policy(reply, pol, portid, nlh->nlmsg_seq, 0);
	if (err)
		kfree_skb(reply);
	else
		err = oxfrm_nl_unicast(on, reply, portid);
out:
	oxfrm_policy_put(pol);
	return err;
}

/* XFRM_MSG_FLUSHPOLICY: every policy of one type; no event if none. */
int oxfrm_nl_flush_policy(struct sk_buff *skb, struct nlmsghdr *nlh,
			  struct nlattr **attrs, struct netlink_ext_ack *extack)
{
	struct oxfrm_net *on = oxfrm_pernet(sock_net(skb->sk));
	struct xfrm_userpolicy_type upt;
	struct nlmsghdr *enlh;
	struct sk_buff *ev;
	u8 type;
	int err;

	err = oxfrm_nl_policy_type(attrs, &type, extack);
	if (err)
		return err;
	if (!oxfrm_spd_flush(on->spd, type))
		return 0;

	ev = nlmsg_new(nla_total_size(sizeof(upt)), GFP_KERNEL);
	if (!ev)
		return 0;
	enlh = nlmsg_put(ev, nlh->nlmsg_pid, nlh->nlmsg_seq,
			 XFRM_MSG_FLUSHPOLICY, 0, 0);
	memset(&upt, 0, sizeof(upt));
	upt.type = type;
	if (!enlh || nla_put(ev, XFRMA_POLICY_TYPE, sizeof(upt), &upt)) {
		kfree_skb(ev);
		return 0;
	}
	nlmsg_end(ev, enlh);
	oxfrm_nl_multicast(on, ev, XFRMNLGRP_POLICY);
	return 0;
}

/*
 * XFRM_MSG_POLEXPIRE from a key manager: announce the expiry to
 * XFRMNLGRP_EXPIRE and, when hard, delete the policy.
 */
int oxfrm_nl_pol_expire(struct sk_buff *skb, struct nlmsghdr *nlh,
			struct nlattr **attrs, struct netlink_ext_ack *extack)
{
	struct oxfrm_net *on = oxfrm_pernet(sock_net(skb->sk));
	struct xfrm_user_polexpire *up = nlmsg_data(nlh);
	struct oxfrm_policy *pol;
	int err;

	pol = oxfrm_nl_find_policy(on, attrs, &up->pol, NULL, &err, extack);
	if (!pol)
		return err;
	/* Gone since it was found: nothing to say, and no error either. */
	if (!READ_ONCE(pol->linked))
		goto out;
	if (up->hard)
		oxfrm_spd_unlink(pol);
	oxfrm_nl_policy_expired(on, pol, up->hard, nlh->nlmsg_pid);
out:
	oxfrm_policy_put(pol);
	return 0;
}

/*
 * Per-socket policies live in the kernel's own SPD (see km.c), where the
 * stock kernel's dumps find them too, reported with direction
 * XFRM_POLICY_MAX + dir. A dump lists them after oxfrm's policies: the
 * stock kernel lists all by age, and IKE sockets are older than the
 * policies of the SAs they negotiate.
 */
static int oxfrm_nl_put_sk_policy(struct sk_buff *skb, struct xfrm_policy *xp,
				  int dir, u32 portid, u32 seq)
{
	struct xfrm_user_tmpl vec[XFRM_MAX_DEPTH];
	struct xfrm_userpolicy_info *p;
	struct xfrm_userpolicy_type upt;
	struct nlmsghdr *nlh;
	int i;

	if (xp->xfrm_nr > XFRM_MAX_DEPTH)
		return -ENOBUFS;
	nlh = nlmsg_put(skb, portid, seq, XFRM_MSG_NEWPOLICY, sizeof(*p),
			NLM_F_MULTI);
	if (!nlh)
		return -EMSGSIZE;
	p = nlmsg_data(nlh);
	memset(p, 0, sizeof(*p));
	memcpy(&p->sel, &xp->selector, sizeof(p->sel));
	p->lft = xp->lft;
	memcpy(&p->curlft, &xp->curlft, sizeof(p->curlft));
	p->priority = xp->priority;
	p->index = xp->index;
	p->sel.family = xp->family;
	p->dir = dir;
	p->action = xp->action;
	p->flags = xp->flags;
	for (i = 0; i < xp->xfrm_nr; i++) {
		const struct xfrm_tmpl *kp = &xp->xfrm_vec[i];
		struct xfrm_user_tmpl *up = &vec[i];

		memset(up, 0, sizeof(*up));
		memcpy(&up->id, &kp->id, sizeof(up->id));
		up->family = kp->encap_family;
		memcpy(&up->saddr, &kp->saddr, sizeof(up->saddr));
		up->reqid = kp->reqid;
		up->mode = kp->mode;
		up->share = kp->share;
		up->optional = kp->optional;
		up->aalgos = kp->aalgos;
		up->ealgos = kp->ealgos;
		up->calgos = kp->calgos;
	}
	memset(&upt, 0, sizeof(upt));
	upt.type = xp->type;
	if ((xp->xfrm_nr &&
	     nla_put(skb, XFRMA_TMPL, xp->xfrm_nr * sizeof(vec[0]), vec)) ||
	    nla_put(skb, XFRMA_POLICY_TYPE, sizeof(upt), &upt) ||
	    oxfrm_nl_put_mark(skb, &xp->mark) ||
	    oxfrm_nl_put_if_id(skb, xp->if_id)) {
		nlmsg_cancel(skb, nlh);
		return -EMSGSIZE;
	}
	nlmsg_end(skb, nlh);
	return 0;
}

/* Dumps: oxfrm's resume marker lives in cb->args, as the stock kernel's. */
struct oxfrm_nl_policy_dump_state {
	struct oxfrm_spd_walk w;
	struct xfrm_policy_walk *sk_walk;	/* then the kernel's SPD */
};

struct oxfrm_nl_policy_dump {
	struct sk_buff *skb;
	u32 portid;
	u32 seq;
};

static int oxfrm_nl_dump_one_policy(struct oxfrm_policy *pol, void *arg)
{
	struct oxfrm_nl_policy_dump *d = arg;

	return oxfrm_nl_put_policy(d->skb, pol, d->portid, d->seq, NLM_F_MULTI);
}

static int oxfrm_nl_dump_one_sk_policy(struct xfrm_policy *xp, int dir,
				       int count, void *arg)
{
	struct oxfrm_nl_policy_dump *d = arg;

	return oxfrm_nl_put_sk_policy(d->skb, xp, dir, d->portid, d->seq);
}

int oxfrm_nl_dump_policy(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct oxfrm_nl_policy_dump_state *st = (void *)cb->args;
	struct net *net = sock_net(skb->sk);
	struct oxfrm_net *on = oxfrm_pernet(net);
	struct oxfrm_nl_policy_dump d = {
		.skb = skb,
		.portid = NETLINK_CB(cb->skb).portid,
		.seq = cb->nlh->nlmsg_seq,
	};

	BUILD_BUG_ON(sizeof(*st) > sizeof(cb->args));
	/* The netlink core zeroes cb->args before a dump's first call. */
	if (!st->w.all.next)
		oxfrm_spd_walk_init(&st->w);
	if (oxfrm_spd_walk(on->spd, &st->w, oxfrm_nl_dump_one_policy, &d))
		return skb->len;

	if (!st->sk_walk) {
		st->sk_walk = kmalloc(sizeof(*st->sk_walk), GFP_KERNEL);
		if (!st->sk_walk)
			return skb->len ? : -ENOMEM;
		xfrm_policy_walk_init(st->sk_walk, XFRM_POLICY_TYPE_ANY);
	}
	xfrm_policy_walk(net, st->sk_walk, oxfrm_nl_dump_one_sk_policy, &d);
	return skb->len;
}

int oxfrm_nl_dump_policy_done(struct netlink_callback *cb)
{
	struct oxfrm_nl_policy_dump_state *st = (void *)cb->args;
	struct net *net = sock_net(cb->skb->sk);

	if (st->w.all.next)
		oxfrm_spd_walk_done(oxfrm_pernet(net)->spd, &st->w);
	if (st->sk_walk) {
		xfrm_policy_walk_done(st->sk_walk, net);
		kfree(st->sk_walk);
	}
	return 0;
}

/* XFRM_MSG_GETSPDINFO: policy counts, hash sizes, hash thresholds. */
int oxfrm_nl_get_spdinfo(struct sk_buff *skb, struct nlmsghdr *nlh,
			 struct nlattr **attrs, struct netlink_ext_ack *extack)
{
	struct oxfrm_net *on = oxfrm_pernet(sock_net(skb->sk));
	struct net *net = sock_net(skb->sk);
	u32 portid = NETLINK_CB(skb).portid;
	struct xfrmu_spdhthresh t4, t6;
	struct oxfrm_spd *spd = on->spd;
	struct xfrmu_spdhinfo sph;
	struct xfrmu_spdinfo spc;
	struct nlmsghdr *rnlh;
	struct sk_buff *reply;

	spin_lock_bh(&spd->lock);
	spc.incnt = spd->count[XFRM_POLICY_IN];
	spc.outcnt = spd->count[XFRM_POLICY_OUT];
	spc.fwdcnt = spd->count[XFRM_POLICY_FWD];
	sph.spdhcnt = spd->idx_hmask;
	sph.spdhmcnt = OXFRM_SPD_HASHMAX;
	t4 = spd->hthresh4;
	t6 = spd->hthresh6;
	spin_unlock_bh(&spd->lock);
	/* Per-socket policies live in the kernel's own SPD (see km.c). */
	spc.inscnt = READ_ONCE(net->xfrm.policy_count[XFRM_POLICY_MAX +
						       XFRM_POLICY_IN]);
	spc.outscnt = READ_ONCE(net->xfrm.policy_count[XFRM_POLICY_MAX +
							XFRM_POLICY_OUT]);
	spc.fwdscnt = READ_ONCE(net->xfrm.policy_count[XFRM_POLICY_MAX +
							XFRM_POLICY_FWD]);

	reply = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!reply)
		return -ENOMEM;
	rnlh = nlmsg_put(reply, portid, nlh->nlmsg_seq, XFRM_MSG_NEWSPDINFO,
			 sizeof(u32), 0);
	if (!rnlh ||
	    nla_put(reply, XFRMA_SPD_INFO, sizeof(spc), &spc) ||
	    nla_put(reply, XFRMA_SPD_HINFO, sizeof(sph), &sph) ||
	    nla_put(reply, XFRMA_SPD_IPV4_HTHRESH, sizeof(t4), &t4) ||
	    nla_put(reply, XFRMA_SPD_IPV6_HTHRESH, sizeof(t6), &t6)) {
		kfree_skb(reply);
		return -EMSGSIZE;
	}
	*(u32 *)nlmsg_data(rnlh) = *(u32 *)nlmsg_data(nlh);
	nlmsg_end(reply, rnlh);
	return oxfrm_nl_unicast(on, reply, portid);
}

/*
 * XFRM_MSG_NEWSPDINFO: the prefix lengths from which the stock kernel
 * hashes a policy rather than keep it in its inexact tree. oxfrm's
 * classifier needs no threshold; it keeps and reports them.
 */
int oxfrm_nl_set_spdinfo(struct sk_buff *skb, struct nlmsghdr *nlh,
			 struct nlattr **attrs, struct netlink_ext_ack *extack)
{
	struct oxfrm_spd *spd = oxfrm_pernet(sock_net(skb->sk))->spd;
	struct xfrmu_spdhthresh *t4 = NULL, *t6 = NULL;

	if (attrs[XFRMA_SPD_IPV4_HTHRESH]) {
		t4 = nla_data(attrs[XFRMA_SPD_IPV4_HTHRESH]);
		if (t4->lbits > 32 || t4->rbits > 32)
			return -EINVAL;
	}
	if (attrs[XFRMA_SPD_IPV6_HTHRESH]) {
		t6 = nla_data(attrs[XFRMA_SPD_IPV6_HTHRESH]);
		if (t6->lbits > 128 || t6->rbits > 128)
			return -EINVAL;
	}
	spin_lock_bh(&spd->lock);
	if (t4)
		spd->hthresh4 = *t4;
	if (t6)
		spd->hthresh6 = *t6;
	spin_unlock_bh(&spd->lock);
	return 0;
}
