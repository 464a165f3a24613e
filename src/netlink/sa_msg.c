// SPDX-License-Identifier: GPL-2.0
/*
 * Messages describing a state, laid out as xfrm_user lays them out: the
 * struct xfrm_usersa_info, then the attributes in copy_to_user_state_extra()
 * order. They carry keys, as the stock kernel's do (charon sends a GETSA
 * reply back verbatim when it moves an SA), unless the kernel is locked
 * down against revealing them.
 */

#include <linux/security.h>
#include <net/netlink.h>
#include <net/xfrm.h>
#include <oxfrm/netlink.h>
#include <oxfrm/state.h>

/* What names @x in requests and events: destination, SPI, family, proto. */
void oxfrm_nl_sa_id(struct xfrm_usersa_id *id, const struct oxfrm_state *x)
{
	memset(id, 0, sizeof(*id));
	id->daddr = x->daddr;
	id->spi = x->key.spi;
	id->family = x->family;
	id->proto = x->key.proto;
}

static bool oxfrm_nl_redact(void)
{
	return IS_ENABLED(CONFIG_SECURITY) &&
	       security_locked_down(LOCKDOWN_XFRM_SECRET);
}

static unsigned int oxfrm_nl_keylen(u32 bits)
{
	return (bits + 7) / 8;
}

/* Room for every attribute oxfrm_nl_sa_attrs() may add for @x. */
unsigned int oxfrm_nl_sa_attrs_size(const struct oxfrm_state *x)
{
	unsigned int l = nla_total_size_64bit(sizeof(u64));	/* LASTUSED */

	if (x->aead)
		l += nla_total_size(aead_len(x->aead));
	if (x->aalg)
		l += nla_total_size(sizeof(struct xfrm_algo) +
				    oxfrm_nl_keylen(x->aalg->alg_key_len)) +
		     nla_total_size(xfrm_alg_auth_len(x->aalg));
	if (x->ealg)
		l += nla_total_size(xfrm_alg_len(x->ealg));
	if (x->has_encap)
		l += nla_total_size(sizeof(x->encap));
	if (x->tfcpad)
		l += nla_total_size(sizeof(x->tfcpad));
	if (x->replay_esn)
		l += nla_total_size(xfrm_replay_state_esn_len(x->replay_esn));
	else
		l += nla_total_size(sizeof(x->replay));
	if (x->has_coaddr)
		l += nla_total_size(sizeof(x->coaddr));
	if (x->extra_flags)
		l += nla_total_size(sizeof(x->extra_flags));
	/* SET_MARK and its mask, MARK, IF_ID, MTIMER_THRESH: may change. */
	l += 2 * nla_total_size(sizeof(u32)) +
	     nla_total_size(sizeof(struct xfrm_mark)) +
	     2 * nla_total_size(sizeof(u32));
	return l;
}

/* Under x->lock. */
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

int oxfrm_nl_put_mark(struct sk_buff *skb, const struct xfrm_mark *m)
{
	if (!(m->v | m->m))
		return 0;
	return nla_put(skb, XFRMA_MARK, sizeof(*m), m);
}

int oxfrm_nl_put_if_id(struct sk_buff *skb, u32 if_id)
{
	return if_id ? nla_put_u32(skb, XFRMA_IF_ID, if_id) : 0;
}

static int oxfrm_nl_put_key(struct sk_buff *skb, int type, const void *hdr,
			    unsigned int hdrlen, const u8 *key, u32 bits)
{
	unsigned int keylen = oxfrm_nl_keylen(bits);
	struct nlattr *nla;

	nla = nla_reserve(skb, type, hdrlen + keylen);
	if (!nla)
		return -EMSGSIZE;
	memcpy(nla_data(nla), hdr, hdrlen);
	if (oxfrm_nl_redact())
		memset(nla_data(nla) + hdrlen, 0, keylen);
	else
		memcpy(nla_data(nla) + hdrlen, key, keylen);
	return 0;
}

/* The integrity algorithm twice: untruncated (AUTH), then AUTH_TRUNC. */
static int oxfrm_nl_put_auth(struct sk_buff *skb, const struct xfrm_algo_auth *a)
{
	struct xfrm_algo_auth trunc = { };
	struct xfrm_algo plain = { };
	int err;

	strscpy_pad(plain.alg_name, a->alg_name, sizeof(plain.alg_name));
	plain.alg_key_len = a->alg_key_len;
	err = oxfrm_nl_put_key(skb, XFRMA_ALG_AUTH, &plain, sizeof(plain),
			       a->alg_key, a->alg_key_len);
	if (err)
		return err;
	strscpy_pad(trunc.alg_name, a->alg_name, sizeof(trunc.alg_name));
	trunc.alg_key_len = a->alg_key_len;
	trunc.alg_trunc_len = a->alg_trunc_len;
	return oxfrm_nl_put_key(skb, XFRMA_ALG_AUTH_TRUNC, &trunc, sizeof(trunc),
				a->alg_key, a->alg_key_len);
}

static int oxfrm_nl_put_algs(struct sk_buff *skb, const struct oxfrm_state *x)
{
	struct xfrm_algo_aead aead = { };
	struct xfrm_algo ealg = { };
	int err = 0;

	if (x->aead) {
		strscpy_pad(aead.alg_name, x->aead->alg_name,
			    sizeof(aead.alg_name));
		aead.alg_key_len = x->aead->alg_key_len;
		aead.alg_icv_len = x->aead->alg_icv_len;
		err = oxfrm_nl_put_key(skb, XFRMA_ALG_AEAD, &aead, sizeof(aead),
				       x->aead->alg_key, aead.alg_key_len);
	}
	if (!err && x->aalg)
		err = oxfrm_nl_put_auth(skb, x->aalg);
	if (!err && x->ealg) {
		strscpy_pad(ealg.alg_name, x->ealg->alg_name,
			    sizeof(ealg.alg_name));
		ealg.alg_key_len = x->ealg->alg_key_len;
		err = oxfrm_nl_put_key(skb, XFRMA_ALG_CRYPT, &ealg, sizeof(ealg),
				       x->ealg->alg_key, ealg.alg_key_len);
	}
	return err;
}

static int oxfrm_nl_put_encap(struct sk_buff *skb, const struct oxfrm_state *x)
{
	struct xfrm_encap_tmpl e = { };

	if (!x->has_encap)
		return 0;
	e.encap_type = x->encap.encap_type;
	e.encap_sport = x->encap.encap_sport;
	e.encap_dport = x->encap.encap_dport;
	e.encap_oa = x->encap.encap_oa;
	return nla_put(skb, XFRMA_ENCAP, sizeof(e), &e);
}

static int oxfrm_nl_put_smark(struct sk_buff *skb, const struct xfrm_mark *m)
{
	if (!(m->v | m->m))
		return 0;
	if (nla_put_u32(skb, XFRMA_SET_MARK, m->v))
		return -EMSGSIZE;
	return nla_put_u32(skb, XFRMA_SET_MARK_MASK, m->m);
}

static int oxfrm_nl_put_replay(struct sk_buff *skb, const struct oxfrm_state *x)
{
	if (x->replay_esn)
		return nla_put(skb, XFRMA_REPLAY_ESN_VAL,
			       xfrm_replay_state_esn_len(x->replay_esn),
			       x->replay_esn);
	return nla_put(skb, XFRMA_REPLAY_VAL, sizeof(x->replay), &x->replay);
}

/* Under x->lock; in copy_to_user_state_extra() order. */
static int oxfrm_nl_sa_attrs(struct sk_buff *skb, const struct oxfrm_state *x)
{
	if (x->extra_flags &&
	    nla_put_u32(skb, XFRMA_SA_EXTRA_FLAGS, x->extra_flags))
		return -EMSGSIZE;
	if (x->has_coaddr &&
	    nla_put(skb, XFRMA_COADDR, sizeof(x->coaddr), &x->coaddr))
		return -EMSGSIZE;
	if (x->lastused &&
	    nla_put_u64_64bit(skb, XFRMA_LASTUSED, x->lastused, XFRMA_PAD))
		return -EMSGSIZE;
	if (oxfrm_nl_put_algs(skb, x) || oxfrm_nl_put_encap(skb, x))
		return -EMSGSIZE;
	if (x->tfcpad && nla_put_u32(skb, XFRMA_TFCPAD, x->tfcpad))
		return -EMSGSIZE;
	if (oxfrm_nl_put_mark(skb, &x->mark) ||
	    oxfrm_nl_put_smark(skb, &x->smark) ||
	    oxfrm_nl_put_replay(skb, x) ||
	    oxfrm_nl_put_if_id(skb, x->if_id))
		return -EMSGSIZE;
	if (x->mapping_maxage &&
	    nla_put_u32(skb, XFRMA_MTIMER_THRESH, x->mapping_maxage))
		return -EMSGSIZE;
	return 0;
}

/* @p, then the attributes, as one consistent picture of @x. */
static int oxfrm_nl_fill_sa(struct sk_buff *skb, struct oxfrm_state *x,
			    struct xfrm_usersa_info *p)
{
	int err;

	spin_lock_bh(&x->lock);
	oxfrm_nl_sa_info(x, p);
	err = oxfrm_nl_sa_attrs(skb, x);
	spin_unlock_bh(&x->lock);
	return err;
}

/* One message of @type (NEWSA, UPDSA) describing @x. */
int oxfrm_nl_put_sa(struct sk_buff *skb, struct oxfrm_state *x, int type,
		    u32 portid, u32 seq, u16 flags)
{
	struct nlmsghdr *nlh;

	nlh = nlmsg_put(skb, portid, seq, type,
			sizeof(struct xfrm_usersa_info), flags);
	if (!nlh)
		return -EMSGSIZE;
	if (oxfrm_nl_fill_sa(skb, x, nlmsg_data(nlh))) {
		nlmsg_cancel(skb, nlh);
		return -EMSGSIZE;
	}
	nlmsg_end(skb, nlh);
	return 0;
}

static unsigned int oxfrm_nl_sa_msgsize(const struct oxfrm_state *x)
{
	return NLMSG_ALIGN(sizeof(struct xfrm_usersa_info)) +
	       oxfrm_nl_sa_attrs_size(x);
}

/* The answer to a GETSA or ALLOCSPI. */
int oxfrm_nl_reply_sa(struct oxfrm_net *on, struct sk_buff *in,
		      const struct nlmsghdr *nlh, struct oxfrm_state *x)
{
	u32 portid = NETLINK_CB(in).portid;
	struct sk_buff *skb;
	int err;

	skb = nlmsg_new(oxfrm_nl_sa_msgsize(x), GFP_KERNEL);
	if (!skb)
		return -ENOMEM;
	err = oxfrm_nl_put_sa(skb, x, XFRM_MSG_NEWSA, portid, nlh->nlmsg_seq, 0);
	if (err) {
		kfree_skb(skb);
		return err;
	}
	return oxfrm_nl_unicast(on, skb, portid);
}

/*
 * XFRMNLGRP_SA hears of a change made by the request @req: NEWSA and UPDSA
 * describe @x; DELSA carries a usersa_id, then @x as XFRMA_SA.
 */
void oxfrm_nl_notify_sa(struct oxfrm_net *on, struct oxfrm_state *x,
			const struct nlmsghdr *req)
{
	unsigned int len = oxfrm_nl_sa_msgsize(x);
	struct nlmsghdr *nlh;
	struct sk_buff *skb;
	struct nlattr *attr;

	if (req->nlmsg_type != XFRM_MSG_DELSA) {
		skb = nlmsg_new(len, GFP_KERNEL);
		if (!skb)
			return;
		if (oxfrm_nl_put_sa(skb, x, req->nlmsg_type, req->nlmsg_pid,
				    req->nlmsg_seq, 0))
			goto fail;
		oxfrm_nl_multicast(on, skb, XFRMNLGRP_SA);
		return;
	}

	skb = nlmsg_new(len + nla_total_size(sizeof(struct xfrm_usersa_info)),
			GFP_KERNEL);
	if (!skb)
		return;
	nlh = nlmsg_put(skb, req->nlmsg_pid, req->nlmsg_seq, XFRM_MSG_DELSA,
			sizeof(struct xfrm_usersa_id), 0);
	if (!nlh)
		goto fail;
	oxfrm_nl_sa_id(nlmsg_data(nlh), x);
	attr = nla_reserve(skb, XFRMA_SA, sizeof(struct xfrm_usersa_info));
	if (!attr || oxfrm_nl_fill_sa(skb, x, nla_data(attr)))
		goto fail;
	nlmsg_end(skb, nlh);
	oxfrm_nl_multicast(on, skb, XFRMNLGRP_SA);
	return;
fail:
	kfree_skb(skb);
}

/*
 * XFRMNLGRP_EXPIRE: a soft (@hard false) or hard lifetime limit passed, or
 * the process at @portid said one did (user EXPIRE). Under x->lock, so
 * that no deletion of @x can come between the decision and the message.
 */
void __oxfrm_nl_sa_expired(struct oxfrm_net *on, struct oxfrm_state *x,
			   bool hard, u32 portid)
{
	struct xfrm_user_expire *ue;
	struct nlmsghdr *nlh;
	struct sk_buff *skb;

	lockdep_assert_held(&x->lock);
	skb = nlmsg_new(NLMSG_ALIGN(sizeof(*ue)) +
			nla_total_size(sizeof(struct xfrm_mark)) +
			nla_total_size(sizeof(u32)), GFP_ATOMIC);
	if (!skb)
		return;
	nlh = nlmsg_put(skb, portid, 0, XFRM_MSG_EXPIRE, sizeof(*ue), 0);
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

/* As __oxfrm_nl_sa_expired(), taking x->lock; any context. */
void oxfrm_nl_sa_expired(struct oxfrm_net *on, struct oxfrm_state *x,
			 bool hard, u32 portid)
{
	spin_lock_bh(&x->lock);
	__oxfrm_nl_sa_expired(on, x, hard, portid);
	spin_unlock_bh(&x->lock);
}

static unsigned int oxfrm_nl_ae_msgsize(const struct oxfrm_state *x)
{
	unsigned int replay = x->replay_esn ?
			      xfrm_replay_state_esn_len(x->replay_esn) :
			      sizeof(struct xfrm_replay_state);

	return NLMSG_ALIGN(sizeof(struct xfrm_aevent_id)) +
	       nla_total_size(replay) +
	       nla_total_size_64bit(sizeof(struct xfrm_lifetime_cur)) +
	       nla_total_size(sizeof(struct xfrm_mark)) +
	       3 * nla_total_size(sizeof(u32));
}

/* Under x->lock: the replay and lifetime counters (build_aevent()). */
static int oxfrm_nl_put_ae(struct sk_buff *skb, struct oxfrm_state *x,
			   u32 flags, u32 portid, u32 seq)
{
	struct xfrm_aevent_id *id;
	struct nlmsghdr *nlh;

	nlh = nlmsg_put(skb, portid, seq, XFRM_MSG_NEWAE, sizeof(*id), 0);
	if (!nlh)
		return -EMSGSIZE;
	id = nlmsg_data(nlh);
	memset(id, 0, sizeof(*id));
	oxfrm_nl_sa_id(&id->sa_id, x);
	id->saddr = x->saddr;
	id->reqid = x->reqid;
	id->flags = flags;
	if (oxfrm_nl_put_replay(skb, x) ||
	    nla_put_64bit(skb, XFRMA_LTIME_VAL, sizeof(x->curlft), &x->curlft,
			  XFRMA_PAD) ||
	    ((flags & XFRM_AE_RTHR) &&
	     nla_put_u32(skb, XFRMA_REPLAY_THRESH, x->replay_maxdiff)) ||
	    ((flags & XFRM_AE_ETHR) &&
	     nla_put_u32(skb, XFRMA_ETIMER_THRESH, x->replay_maxage * 10 / HZ)) ||
	    oxfrm_nl_put_mark(skb, &x->mark) ||
	    oxfrm_nl_put_if_id(skb, x->if_id)) {
		nlmsg_cancel(skb, nlh);
		return -EMSGSIZE;
	}
	nlmsg_end(skb, nlh);
	return 0;
}

/* A NEWAE message describing @x, with @flags (XFRM_AE_*). */
struct sk_buff *oxfrm_nl_build_ae(struct oxfrm_state *x, u32 flags,
				  u32 portid, u32 seq, gfp_t gfp)
{
	struct sk_buff *skb = nlmsg_new(oxfrm_nl_ae_msgsize(x), gfp);
	int err;

	if (!skb)
		return NULL;
	spin_lock_bh(&x->lock);
	err = oxfrm_nl_put_ae(skb, x, flags, portid, seq);
	spin_unlock_bh(&x->lock);
	if (err) {
		kfree_skb(skb);
		return NULL;
	}
	return skb;
}
