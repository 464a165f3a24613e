// SPDX-License-Identifier: GPL-2.0
/*
 * NEWSA and UPDSA requests turned into a state: every check xfrm_user makes,
 * in its order and with its errno and extended-ack message, then the state
 * built, its algorithms resolved to canonical names through the kernel's
 * algorithm table (xfrm_algo) and its transform allocated. Only ESP states
 * in transport or tunnel mode are built: oxfrm has no AH, IPcomp, BEET or
 * Mobile IPv6 data path, and refuses what it could not honour.
 */

#include <linux/slab.h>
#include <net/ip.h>
#include <net/netlink.h>
#include <net/xfrm.h>
#include <oxfrm/esp.h>
#include <oxfrm/input.h>
#include <oxfrm/netlink.h>
#include <oxfrm/state.h>

/*
 * xfrm_user's errno for an algorithm its table does not have (or the crypto
 * API cannot provide): ENOSYS, not a syscall's, but what clients expect.
 */
#define OXFRM_NL_ENOALG (-ENOSYS)

/*
 * An algorithm attribute must hold the key its header announces; its name
 * is then terminated in place, as xfrm_user terminates it.
 */
static bool oxfrm_nl_alg_short(struct nlattr *nla, unsigned int len,
			       char *name)
{
	if (nla_len(nla) < (int)len)
		return true;
	/* alg_name is 64 bytes in every uapi algorithm struct. */
	name[sizeof_field(struct xfrm_algo, alg_name) - 1] = '\0';
	return false;
}

static int oxfrm_nl_verify_algs(struct nlattr **attrs,
				struct netlink_ext_ack *extack)
{
	static const int one[] = { XFRMA_ALG_AUTH, XFRMA_ALG_CRYPT, XFRMA_ALG_COMP };
	struct nlattr *nla;
	int i;

	nla = attrs[XFRMA_ALG_AEAD];
	if (nla) {
		struct xfrm_algo_aead *alg = nla_data(nla);

		if (oxfrm_nl_alg_short(nla, aead_len(alg), alg->alg_name)) {
			NL_SET_ERR_MSG(extack, "Invalid AEAD attribute length");
			return -EINVAL;
		}
	}
	nla = attrs[XFRMA_ALG_AUTH_TRUNC];
	if (nla) {
		struct xfrm_algo_auth *alg = nla_data(nla);

		if (oxfrm_nl_alg_short(nla, xfrm_alg_auth_len(alg),
				       alg->alg_name)) {
			NL_SET_ERR_MSG(extack,
				       "Invalid AUTH_TRUNC attribute length");
			return -EINVAL;
		}
	}
	for (i = 0; i < ARRAY_SIZE(one); i++) {
		struct xfrm_algo *alg;

		nla = attrs[one[i]];
		if (!nla)
			continue;
		alg = nla_data(nla);
		if (oxfrm_nl_alg_short(nla, xfrm_alg_len(alg), alg->alg_name)) {
			NL_SET_ERR_MSG(extack,
				       "Invalid AUTH/CRYPT/COMP attribute length");
			return -EINVAL;
		}
	}
	return 0;
}

static int oxfrm_nl_verify_replay(const struct xfrm_usersa_info *p,
				  struct nlattr **attrs,
				  struct netlink_ext_ack *extack)
{
	struct nlattr *nla = attrs[XFRMA_REPLAY_ESN_VAL];
	struct xfrm_replay_state_esn *rs;

	if (!nla) {
		if (p->flags & XFRM_STATE_ESN) {
			NL_SET_ERR_MSG(extack,
				       "Missing required attribute for ESN");
			return -EINVAL;
		}
		return 0;
	}
	rs = nla_data(nla);
	if (rs->bmp_len > XFRMA_REPLAY_ESN_MAX / sizeof(rs->bmp[0]) / 8) {
		NL_SET_ERR_MSG(extack, "ESN bitmap length must be <= 128");
		return -EINVAL;
	}
	if (nla_len(nla) < (int)xfrm_replay_state_esn_len(rs) &&
	    nla_len(nla) != sizeof(*rs)) {
		NL_SET_ERR_MSG(extack,
			       "ESN attribute is too short to fit the full bitmap length");
		return -EINVAL;
	}
	if (p->id.proto != IPPROTO_ESP && p->id.proto != IPPROTO_AH) {
		NL_SET_ERR_MSG(extack, "ESN only supported for ESP and AH");
		return -EINVAL;
	}
	if (p->replay_window) {
		NL_SET_ERR_MSG(extack,
			       "ESN not compatible with legacy replay_window");
		return -EINVAL;
	}
	return 0;
}

static int oxfrm_nl_verify_families(const struct xfrm_usersa_info *p,
				    struct netlink_ext_ack *extack)
{
	u16 family = p->sel.family;

	if (p->family != AF_INET && p->family != AF_INET6) {
		NL_SET_ERR_MSG(extack, "Invalid address family");
		return -EINVAL;
	}
	if (!family && !(p->flags & XFRM_STATE_AF_UNSPEC))
		family = p->family;
	switch (family) {
	case AF_UNSPEC:
		return 0;
	case AF_INET:
		if (p->sel.prefixlen_d > 32 || p->sel.prefixlen_s > 32) {
			NL_SET_ERR_MSG(extack,
				       "Invalid prefix length in selector (must be <= 32 for IPv4)");
			return -EINVAL;
		}
		return 0;
	case AF_INET6:
		if (p->sel.prefixlen_d > 128 || p->sel.prefixlen_s > 128) {
			NL_SET_ERR_MSG(extack,
				       "Invalid prefix length in selector (must be <= 128 for IPv6)");
			return -EINVAL;
		}
		return 0;
	default:
		NL_SET_ERR_MSG(extack, "Invalid address family in selector");
		return -EINVAL;
	}
}

/* Which algorithm attributes each protocol takes, as xfrm_user says it. */
static int oxfrm_nl_verify_proto(const struct xfrm_usersa_info *p,
				 struct nlattr **a,
				 struct netlink_ext_ack *extack)
{
	bool aead = a[XFRMA_ALG_AEAD], auth = a[XFRMA_ALG_AUTH],
	     trunc = a[XFRMA_ALG_AUTH_TRUNC], crypt = a[XFRMA_ALG_CRYPT],
	     comp = a[XFRMA_ALG_COMP], tfc = a[XFRMA_TFCPAD];

	switch (p->id.proto) {
	case IPPROTO_AH:
		if (!auth && !trunc) {
			NL_SET_ERR_MSG(extack,
				       "Missing required attribute for AH: AUTH_TRUNC or AUTH");
			return -EINVAL;
		}
		if (aead || crypt || comp || tfc) {
			NL_SET_ERR_MSG(extack,
				       "Invalid attributes for AH: AEAD, CRYPT, COMP, TFCPAD");
			return -EINVAL;
		}
		return 0;
	case IPPROTO_ESP:
		if (comp) {
			NL_SET_ERR_MSG(extack,
				       "Invalid attribute for ESP: COMP");
			return -EINVAL;
		}
		if (!auth && !trunc && !crypt && !aead) {
			NL_SET_ERR_MSG(extack,
				       "Missing required attribute for ESP: at least one of AUTH, AUTH_TRUNC, CRYPT, AEAD");
			return -EINVAL;
		}
		if ((auth || trunc || crypt) && aead) {
			NL_SET_ERR_MSG(extack,
				       "Invalid attribute combination for ESP: AEAD can't be used with AUTH, AUTH_TRUNC, CRYPT");
			return -EINVAL;
		}
		if (tfc && p->mode != XFRM_MODE_TUNNEL) {
			NL_SET_ERR_MSG(extack,
				       "TFC padding can only be used in tunnel mode");
			return -EINVAL;
		}
		return 0;
	case IPPROTO_COMP:
		if (!comp) {
			NL_SET_ERR_MSG(extack,
				       "Missing required attribute for COMP: COMP");
			return -EINVAL;
		}
		if (aead || auth || trunc || crypt || tfc) {
			NL_SET_ERR_MSG(extack,
				       "Invalid attributes for COMP: AEAD, AUTH, AUTH_TRUNC, CRYPT, TFCPAD");
			return -EINVAL;
		}
		if (ntohl(p->id.spi) >= 0x10000) {
			NL_SET_ERR_MSG(extack,
				       "SPI is too large for COMP (must be < 0x10000)");
			return -EINVAL;
		}
		return 0;
	case IPPROTO_DSTOPTS:
	case IPPROTO_ROUTING:
		if (comp || auth || trunc || aead || crypt || a[XFRMA_ENCAP] ||
		    a[XFRMA_SEC_CTX] || tfc) {
			NL_SET_ERR_MSG(extack,
				       "Invalid attributes for DSTOPTS/ROUTING");
			return -EINVAL;
		}
		if (!a[XFRMA_COADDR]) {
			NL_SET_ERR_MSG(extack,
				       "Missing required COADDR attribute for DSTOPTS/ROUTING");
			return -EINVAL;
		}
		return 0;
	default:
		NL_SET_ERR_MSG(extack, "Unsupported protocol");
		return -EINVAL;
	}
}

/* verify_newsa_info(): the request alone, before any state exists. */
int oxfrm_nl_sa_verify(const struct xfrm_usersa_info *p, struct nlattr **attrs,
		       struct netlink_ext_ack *extack)
{
	int err;

	err = oxfrm_nl_verify_families(p, extack);
	if (!err)
		err = oxfrm_nl_verify_proto(p, attrs, extack);
	if (!err)
		err = oxfrm_nl_verify_algs(attrs, extack);
	if (!err)
		err = oxfrm_nl_verify_sec_ctx(attrs, extack);
	if (!err)
		err = oxfrm_nl_verify_replay(p, attrs, extack);
	if (err)
		return err;

	switch (p->mode) {
	case XFRM_MODE_TRANSPORT:
	case XFRM_MODE_TUNNEL:
	case XFRM_MODE_ROUTEOPTIMIZATION:
	case XFRM_MODE_BEET:
		break;
	default:
		NL_SET_ERR_MSG(extack, "Unsupported mode");
		return -EINVAL;
	}
	if (attrs[XFRMA_MTIMER_THRESH] && !attrs[XFRMA_ENCAP]) {
		NL_SET_ERR_MSG(extack,
			       "MTIMER_THRESH attribute can only be set on ENCAP states");
		return -EINVAL;
	}
	return 0;
}

/* Algorithms: looked up (and probed) by name, stored under the canonical. */
static int oxfrm_nl_attach_aead(struct oxfrm_state *x, struct nlattr *nla,
				struct netlink_ext_ack *extack)
{
	struct xfrm_algo_aead *ualg = nla_data(nla);
	struct xfrm_algo_desc *desc;

	desc = xfrm_aead_get_byname(ualg->alg_name, ualg->alg_icv_len, 1);
	if (!desc) {
		NL_SET_ERR_MSG(extack, "Requested AEAD algorithm not found");
		return OXFRM_NL_ENOALG;
	}
	x->aead = kmemdup(ualg, aead_len(ualg), GFP_KERNEL);
	if (!x->aead)
		return -ENOMEM;
	strscpy(x->aead->alg_name, desc->name, sizeof(x->aead->alg_name));
	x->geniv = desc->uinfo.aead.geniv;
	return 0;
}

static int oxfrm_nl_attach_auth_trunc(struct oxfrm_state *x,
				      struct nlattr *nla,
				      struct netlink_ext_ack *extack)
{
	struct xfrm_algo_auth *ualg = nla_data(nla);
	struct xfrm_algo_desc *desc;

	desc = xfrm_aalg_get_byname(ualg->alg_name, 1);
	if (!desc) {
		NL_SET_ERR_MSG(extack,
			       "Requested AUTH_TRUNC algorithm not found");
		return OXFRM_NL_ENOALG;
	}
	if (ualg->alg_trunc_len > desc->uinfo.auth.icv_fullbits) {
		NL_SET_ERR_MSG(extack,
			       "Invalid length requested for truncated ICV");
		return -EINVAL;
	}
	x->aalg = kmemdup(ualg, xfrm_alg_auth_len(ualg), GFP_KERNEL);
	if (!x->aalg)
		return -ENOMEM;
	strscpy(x->aalg->alg_name, desc->name, sizeof(x->aalg->alg_name));
	if (!x->aalg->alg_trunc_len)
		x->aalg->alg_trunc_len = desc->uinfo.auth.icv_truncbits;
	x->aalgo_id = desc->desc.sadb_alg_id;
	return 0;
}

/* XFRMA_ALG_AUTH: the algorithm's default truncation. */
static int oxfrm_nl_attach_auth(struct oxfrm_state *x, struct nlattr *nla,
				struct netlink_ext_ack *extack)
{
	struct xfrm_algo *ualg = nla_data(nla);
	unsigned int keylen = (ualg->alg_key_len + 7) / 8;
	struct xfrm_algo_desc *desc;

	desc = xfrm_aalg_get_byname(ualg->alg_name, 1);
	if (!desc) {
		NL_SET_ERR_MSG(extack, "Requested AUTH algorithm not found");
		return OXFRM_NL_ENOALG;
	}
	x->aalg = kmalloc(sizeof(*x->aalg) + keylen, GFP_KERNEL);
	if (!x->aalg)
		return -ENOMEM;
	strscpy_pad(x->aalg->alg_name, desc->name, sizeof(x->aalg->alg_name));
	x->aalg->alg_key_len = ualg->alg_key_len;
	x->aalg->alg_trunc_len = desc->uinfo.auth.icv_truncbits;
	memcpy(x->aalg->alg_key, ualg->alg_key, keylen);
	x->aalgo_id = desc->desc.sadb_alg_id;
	return 0;
}

static int oxfrm_nl_attach_crypt(struct oxfrm_state *x, struct nlattr *nla,
				 struct netlink_ext_ack *extack)
{
	struct xfrm_algo *ualg = nla_data(nla);
	struct xfrm_algo_desc *desc;

	desc = xfrm_ealg_get_byname(ualg->alg_name, 1);
	if (!desc) {
		NL_SET_ERR_MSG(extack, "Requested CRYPT algorithm not found");
		return OXFRM_NL_ENOALG;
	}
	x->ealg = kmemdup(ualg, xfrm_alg_len(ualg), GFP_KERNEL);
	if (!x->ealg)
		return -ENOMEM;
	strscpy(x->ealg->alg_name, desc->name, sizeof(x->ealg->alg_name));
	x->geniv = desc->uinfo.encr.geniv;
	return 0;
}

static int oxfrm_nl_attach_algs(struct oxfrm_state *x, struct nlattr **attrs,
				struct netlink_ext_ack *extack)
{
	struct xfrm_algo *comp;
	int err = 0;

	if (attrs[XFRMA_ALG_AEAD])
		err = oxfrm_nl_attach_aead(x, attrs[XFRMA_ALG_AEAD], extack);
	if (!err && attrs[XFRMA_ALG_AUTH_TRUNC])
		err = oxfrm_nl_attach_auth_trunc(x, attrs[XFRMA_ALG_AUTH_TRUNC],
						 extack);
	if (!err && !x->aalg && attrs[XFRMA_ALG_AUTH])
		err = oxfrm_nl_attach_auth(x, attrs[XFRMA_ALG_AUTH], extack);
	if (!err && attrs[XFRMA_ALG_CRYPT])
		err = oxfrm_nl_attach_crypt(x, attrs[XFRMA_ALG_CRYPT], extack);
	if (err || !attrs[XFRMA_ALG_COMP])
		return err;
	/* No IPcomp here, but the stock kernel's first complaint comes first. */
	comp = nla_data(attrs[XFRMA_ALG_COMP]);
	if (!xfrm_calg_get_byname(comp->alg_name, 1)) {
		NL_SET_ERR_MSG(extack, "Requested COMP algorithm not found");
		return OXFRM_NL_ENOALG;
	}
	return 0;
}

/* __xfrm_init_state(): modes, protocol, and the transform. */
int oxfrm_nl_sa_init(struct oxfrm_net *on, struct oxfrm_state *x,
		     struct netlink_ext_ack *extack)
{
	int err;

	if (x->family == AF_INET &&
	    READ_ONCE(on->net->ipv4.sysctl_ip_no_pmtu_disc))
		x->flags |= XFRM_STATE_NOPMTUDISC;

	if (x->mode != XFRM_MODE_TRANSPORT && x->mode != XFRM_MODE_TUNNEL) {
		NL_SET_ERR_MSG(extack,
			       "oxfrm supports transport and tunnel mode only");
		return -EPROTONOSUPPORT;
	}
	if (x->sel.family != AF_UNSPEC && x->mode != XFRM_MODE_TUNNEL &&
	    x->sel.family != x->family) {
		NL_SET_ERR_MSG(extack,
			       "Only tunnel modes can accommodate a change of family");
		return -EPROTONOSUPPORT;
	}
	if (x->key.proto != IPPROTO_ESP) {
		NL_SET_ERR_MSG(extack, "Requested type not found");
		return -EPROTONOSUPPORT;
	}
	err = oxfrm_esp_init_state(x, extack);
	if (!err)
		err = oxfrm_input_state_init(x);
	return err;
}

/* xfrm_init_replay(): the window must fit the bitmap; ESN needs one. */
static int oxfrm_nl_sa_init_replay(struct oxfrm_state *x,
				   struct nlattr *nla,
				   struct netlink_ext_ack *extack)
{
	struct xfrm_replay_state_esn *up;
	unsigned int klen, ulen;

	if (!nla)
		return 0;
	up = nla_data(nla);
	klen = xfrm_replay_state_esn_len(up);
	ulen = nla_len(nla) >= (int)klen ? klen : sizeof(*up);
	x->replay_esn = kzalloc(klen, GFP_KERNEL);
	if (!x->replay_esn)
		return -ENOMEM;
	memcpy(x->replay_esn, up, ulen);

	if (x->replay_esn->replay_window > x->replay_esn->bmp_len * 32) {
		NL_SET_ERR_MSG(extack,
			       "ESN replay window is too large for the chosen bitmap size");
		return -EINVAL;
	}
	if ((x->flags & XFRM_STATE_ESN) && !x->replay_esn->replay_window) {
		NL_SET_ERR_MSG(extack, "ESN replay window must be > 0");
		return -EINVAL;
	}
	return 0;
}

/*
 * The replay and lifetime counters a request restores (NEWSA after a
 * GETSA, as charon does on a NAT mapping change; NEWAE), and the aevent
 * thresholds, under x->lock when @x is linked. With @esn, an ESN state's
 * replay state too (NEWAE has checked its size).
 */
void oxfrm_nl_sa_update_ae(struct oxfrm_state *x, struct nlattr **attrs,
			   bool esn)
{
	struct xfrm_lifetime_cur *lt;

	if (esn && attrs[XFRMA_REPLAY_ESN_VAL] && x->replay_esn)
		memcpy(x->replay_esn, nla_data(attrs[XFRMA_REPLAY_ESN_VAL]),
		       xfrm_replay_state_esn_len(x->replay_esn));
	if (attrs[XFRMA_REPLAY_VAL])
		memcpy(&x->replay, nla_data(attrs[XFRMA_REPLAY_VAL]),
		       sizeof(x->replay));
	if (attrs[XFRMA_LTIME_VAL]) {
		lt = nla_data(attrs[XFRMA_LTIME_VAL]);
		x->curlft.bytes = lt->bytes;
		x->curlft.packets = lt->packets;
		x->curlft.add_time = lt->add_time;
		x->curlft.use_time = lt->use_time;
	}
	/* Taken as given, in jiffies, as the stock kernel takes it. */
	if (attrs[XFRMA_ETIMER_THRESH])
		x->replay_maxage = nla_get_u32(attrs[XFRMA_ETIMER_THRESH]);
	if (attrs[XFRMA_REPLAY_THRESH])
		x->replay_maxdiff = nla_get_u32(attrs[XFRMA_REPLAY_THRESH]);
	if (attrs[XFRMA_MTIMER_THRESH])
		x->mapping_maxage = nla_get_u32(attrs[XFRMA_MTIMER_THRESH]);
}

static void oxfrm_nl_sa_copy_info(struct oxfrm_state *x,
				  const struct xfrm_usersa_info *p)
{
	oxfrm_state_set_id(x, &p->id.daddr, p->id.spi, p->id.proto, p->family);
	x->sel = p->sel;
	x->lft = p->lft;
	x->mode = p->mode;
	x->replay_window = min_t(unsigned int, p->replay_window,
				 sizeof(x->replay.bitmap) * 8);
	x->reqid = p->reqid;
	x->saddr = p->saddr;
	x->flags = p->flags;
	x->seq = p->seq;
	if (!x->sel.family && !(p->flags & XFRM_STATE_AF_UNSPEC))
		x->sel.family = p->family;
}

/*
 * xfrm_state_construct(): a valid, unlinked state with the caller's
 * reference, or NULL and *errp.
 */
struct oxfrm_state *oxfrm_nl_sa_construct(struct oxfrm_net *on,
					  const struct xfrm_usersa_info *p,
					  struct nlattr **attrs, int *errp,
					  struct netlink_ext_ack *extack)
{
	struct oxfrm_state *x = oxfrm_state_alloc(on->sad, GFP_KERNEL);
	int err;

	if (!x) {
		*errp = -ENOMEM;
		return NULL;
	}
	oxfrm_nl_sa_copy_info(x, p);
	if (attrs[XFRMA_ENCAP]) {
		memcpy(&x->encap, nla_data(attrs[XFRMA_ENCAP]), sizeof(x->encap));
		x->has_encap = true;
	}
	if (attrs[XFRMA_COADDR]) {
		memcpy(&x->coaddr, nla_data(attrs[XFRMA_COADDR]),
		       sizeof(x->coaddr));
		x->has_coaddr = true;
	}
	if (attrs[XFRMA_SA_EXTRA_FLAGS])
		x->extra_flags = nla_get_u32(attrs[XFRMA_SA_EXTRA_FLAGS]);
	err = oxfrm_nl_attach_algs(x, attrs, extack);
	if (err)
		goto fail;
	if (attrs[XFRMA_TFCPAD])
		x->tfcpad = nla_get_u32(attrs[XFRMA_TFCPAD]);
	oxfrm_nl_get_mark(attrs, &x->mark);
	if (attrs[XFRMA_SET_MARK]) {
		x->smark.v = nla_get_u32(attrs[XFRMA_SET_MARK]);
		x->smark.m = attrs[XFRMA_SET_MARK_MASK] ?
			     nla_get_u32(attrs[XFRMA_SET_MARK_MASK]) : 0xffffffff;
	}
	if (attrs[XFRMA_IF_ID])
		x->if_id = nla_get_u32(attrs[XFRMA_IF_ID]);

	err = oxfrm_nl_sa_init(on, x, extack);
	if (err)
		goto fail;
	/*
	 * XFRMA_SEC_CTX: with no LSM labelling SAs (none on Debian's kernels
	 * unless SELinux runs), the stock kernel keeps no context either.
	 * XFRMA_OFFLOAD_DEV: no device offloads oxfrm's SAs; the stock
	 * kernel falls back to software alike for devices that cannot.
	 */
	err = oxfrm_nl_sa_init_replay(x, attrs[XFRMA_REPLAY_ESN_VAL], extack);
	if (err)
		goto fail;
	x->replay_maxdiff = READ_ONCE(on->sysctl.aevent_rseqth);
	x->replay_maxage = READ_ONCE(on->sysctl.aevent_etime) * HZ /
			   XFRM_AE_ETH_M;
	oxfrm_nl_sa_update_ae(x, attrs, false);
	x->kstate = OXFRM_STATE_VALID;
	return x;

fail:
	oxfrm_state_put(x);
	*errp = err;
	return NULL;
}
