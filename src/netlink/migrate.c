// SPDX-License-Identifier: GPL-2.0
/*
 * XFRM_MSG_MIGRATE: moving a policy's SAs and templates to new endpoints
 * (MOBIKE, Mobile IPv6), in xfrm_migrate()'s five stages: check the
 * request, find the policy, copy each named SA to its new addresses, move
 * the policy's templates, then delete the old SAs and announce the move on
 * XFRMNLGRP_MIGRATE. As in the stock kernel, the SAs change without SA
 * events, and a failure after the copies deletes them again.
 */

#include <net/xfrm.h>
#include <oxfrm/netlink.h>
#include <oxfrm/policy.h>
#include <oxfrm/state.h>

struct oxfrm_migrate_req {
	struct xfrm_migrate m[XFRM_MAX_DEPTH];
	int n;
	struct xfrm_user_kmaddress kma;
	bool has_kma;
	struct xfrm_encap_tmpl encap;
	bool has_encap;
	u32 if_id;
	u8 type;
};

static int oxfrm_migrate_parse(struct oxfrm_migrate_req *req,
			       struct nlattr **attrs)
{
	const struct xfrm_user_migrate *um;
	int i;

	if (attrs[XFRMA_KMADDRESS]) {
		memcpy(&req->kma, nla_data(attrs[XFRMA_KMADDRESS]),
		       sizeof(req->kma));
		req->has_kma = true;
	}
	um = nla_data(attrs[XFRMA_MIGRATE]);
	req->n = nla_len(attrs[XFRMA_MIGRATE]) / sizeof(*um);
	if (req->n <= 0 || req->n > XFRM_MAX_DEPTH)
		return -EINVAL;
	for (i = 0; i < req->n; i++, um++) {
		req->m[i].old_daddr = um->old_daddr;
		req->m[i].old_saddr = um->old_saddr;
		req->m[i].new_daddr = um->new_daddr;
		req->m[i].new_saddr = um->new_saddr;
		req->m[i].proto = um->proto;
		req->m[i].mode = um->mode;
		req->m[i].reserved = 0;
		req->m[i].reqid = um->reqid;
		req->m[i].old_family = um->old_family;
		req->m[i].new_family = um->new_family;
	}
	if (attrs[XFRMA_ENCAP]) {
		memcpy(&req->encap, nla_data(attrs[XFRMA_ENCAP]),
		       sizeof(req->encap));
		req->has_encap = true;
	}
	if (attrs[XFRMA_IF_ID])
		req->if_id = nla_get_u32(attrs[XFRMA_IF_ID]);
	return 0;
}

/* New endpoints must be given, and no migration named twice. */
static int oxfrm_migrate_check(const struct xfrm_migrate *m, int n)
{
	int i, j;

	for (i = 0; i < n; i++) {
		if (xfrm_addr_any(&m[i].new_daddr, m[i].new_family) ||
		    xfrm_addr_any(&m[i].new_saddr, m[i].new_family))
			return -EINVAL;
		for (j = i + 1; j < n; j++) {
			if (!memcmp(&m[i].old_daddr, &m[j].old_daddr,
				    sizeof(m[i].old_daddr)) &&
			    !memcmp(&m[i].old_saddr, &m[j].old_saddr,
				    sizeof(m[i].old_saddr)) &&
			    m[i].proto == m[j].proto &&
			    m[i].mode == m[j].mode &&
			    m[i].reqid == m[j].reqid &&
			    m[i].old_family == m[j].old_family)
				return -EINVAL;
		}
	}
	return 0;
}

/*
 * @x copied to @m's new endpoints (and @req's encapsulation, if any),
 * keyed for its new family and linked: beside @x when the destination
 * stays (the SPI, destination and protocol then name both until @x goes),
 * else as NEWSA adds it. A reference for the caller, or NULL.
 */
static struct oxfrm_state *oxfrm_migrate_state(struct oxfrm_net *on,
					       struct oxfrm_state *x,
					       const struct xfrm_migrate *m,
					       const struct oxfrm_migrate_req *req)
{
	struct oxfrm_state *xc = oxfrm_state_clone(x, GFP_KERNEL);
	int err;

	if (!xc)
		return NULL;
	if (req->has_encap) {
		xc->encap = req->encap;
		xc->has_encap = true;
	}
	oxfrm_state_set_id(xc, &m->new_daddr, x->key.spi, x->key.proto,
			   m->new_family);
	xc->saddr = m->new_saddr;
	err = oxfrm_nl_sa_init(on, xc, NULL);
	if (err)
		goto fail;
	if (xfrm_addr_equal(&x->daddr, &m->new_daddr, m->new_family)) {
		err = oxfrm_state_insert(xc);
		if (!err)
			oxfrm_state_arm(xc, 1);
	} else {
		err = oxfrm_state_add(xc);
	}
	if (err)
		goto fail;
	return xc;
fail:
	oxfrm_state_put(xc);
	return NULL;
}

static unsigned int oxfrm_migrate_msgsize(const struct oxfrm_migrate_req *req)
{
	return NLMSG_ALIGN(sizeof(struct xfrm_userpolicy_id)) +
	       (req->has_kma ?
		nla_total_size(sizeof(struct xfrm_user_kmaddress)) : 0) +
	       (req->has_encap ?
		nla_total_size(sizeof(struct xfrm_encap_tmpl)) : 0) +
	       nla_total_size(sizeof(struct xfrm_userpolicy_type)) +
	       req->n * nla_total_size(sizeof(struct xfrm_user_migrate));
}

static int oxfrm_migrate_put(struct sk_buff *skb,
			     const struct xfrm_userpolicy_id *pi,
			     const struct oxfrm_migrate_req *req)
{
	struct xfrm_userpolicy_type upt;
	struct xfrm_userpolicy_id *id;
	struct xfrm_user_migrate um;
	struct nlmsghdr *nlh;
	int i;

	nlh = nlmsg_put(skb, 0, 0, XFRM_MSG_MIGRATE, sizeof(*id), 0);
	if (!nlh)
		return -EMSGSIZE;
	id = nlmsg_data(nlh);
	memset(id, 0, sizeof(*id));
	id->sel = pi->sel;
	id->dir = pi->dir;
	if (req->has_kma &&
	    nla_put(skb, XFRMA_KMADDRESS, sizeof(req->kma), &req->kma))
		return -EMSGSIZE;
	if (req->has_encap &&
	    nla_put(skb, XFRMA_ENCAP, sizeof(req->encap), &req->encap))
		return -EMSGSIZE;
	memset(&upt, 0, sizeof(upt));
	upt.type = req->type;
	if (nla_put(skb, XFRMA_POLICY_TYPE, sizeof(upt), &upt))
		return -EMSGSIZE;
	for (i = 0; i < req->n; i++) {
		memset(&um, 0, sizeof(um));
		um.old_daddr = req->m[i].old_daddr;
		um.old_saddr = req->m[i].old_saddr;
		um.new_daddr = req->m[i].new_daddr;
		um.new_saddr = req->m[i].new_saddr;
		um.proto = req->m[i].proto;
		um.mode = req->m[i].mode;
		um.reqid = req->m[i].reqid;
		um.old_family = req->m[i].old_family;
		um.new_family = req->m[i].new_family;
		if (nla_put(skb, XFRMA_MIGRATE, sizeof(um), &um))
			return -EMSGSIZE;
	}
	nlmsg_end(skb, nlh);
	return 0;
}

/* What km_migrate() tells key managers; lost only without memory. */
static void oxfrm_migrate_notify(struct oxfrm_net *on,
				 const struct xfrm_userpolicy_id *pi,
				 const struct oxfrm_migrate_req *req)
{
	struct sk_buff *skb = nlmsg_new(oxfrm_migrate_msgsize(req), GFP_KERNEL);

	if (!skb)
		return;
	if (WARN_ON_ONCE(oxfrm_migrate_put(skb, pi, req))) {
		kfree_skb(skb);
		return;
	}
	oxfrm_nl_multicast(on, skb, XFRMNLGRP_MIGRATE);
}

static void oxfrm_migrate_put_states(struct oxfrm_state **xs, int n,
				     bool unlink)
{
	int i;

	for (i = 0; i < n; i++) {
		if (unlink)
			oxfrm_state_unlink(xs[i]);
		oxfrm_state_put(xs[i]);
	}
}

static int oxfrm_migrate(struct oxfrm_net *on,
			 const struct xfrm_userpolicy_id *pi,
			 const struct oxfrm_migrate_req *req)
{
	struct oxfrm_state *cur[XFRM_MAX_DEPTH], *new[XFRM_MAX_DEPTH];
	int i, ncur = 0, nnew = 0, err;
	struct oxfrm_policy *pol;
	struct oxfrm_state *x;

	err = oxfrm_migrate_check(req->m, req->n);
	if (err)
		return err;
	if (pi->dir >= XFRM_POLICY_MAX)
		return -EINVAL;
	pol = oxfrm_spd_find_migrate(on->spd, &pi->sel, pi->dir, req->type,
				     req->if_id);
	if (!pol)
		return -ENOENT;

	for (i = 0; i < req->n; i++) {
		x = oxfrm_state_find_migrate(on->sad, &req->m[i], req->if_id);
		if (!x)
			continue;
		cur[ncur++] = x;
		new[nnew] = oxfrm_migrate_state(on, x, &req->m[i], req);
		if (!new[nnew]) {
			err = -ENODATA;
			goto restore;
		}
		nnew++;
	}
	err = oxfrm_policy_migrate(pol, req->m, req->n);
	if (err)
		goto restore;
	oxfrm_policy_put(pol);

	oxfrm_migrate_put_states(cur, ncur, true);
	oxfrm_migrate_put_states(new, nnew, false);
	oxfrm_migrate_notify(on, pi, req);
	return 0;

restore:
	oxfrm_policy_put(pol);
	oxfrm_migrate_put_states(cur, ncur, false);
	oxfrm_migrate_put_states(new, nnew, true);
	return err;
}

int oxfrm_nl_migrate(struct sk_buff *skb, struct nlmsghdr *nlh,
		     struct nlattr **attrs, struct netlink_ext_ack *extack)
{
	struct oxfrm_net *on = oxfrm_pernet(sock_net(skb->sk));
	struct xfrm_userpolicy_id *pi = nlmsg_data(nlh);
	struct oxfrm_migrate_req *req;
	int err;

	if (!attrs[XFRMA_MIGRATE])
		return -EINVAL;
	req = kzalloc(sizeof(*req), GFP_KERNEL);
	if (!req)
		return -ENOMEM;
	err = oxfrm_nl_policy_type(attrs, &req->type, extack);
	if (!err)
		err = oxfrm_migrate_parse(req, attrs);
	if (!err)
		err = oxfrm_migrate(on, pi, req);
	kfree(req);
	return err;
}
