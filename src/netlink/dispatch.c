// SPDX-License-Identifier: GPL-2.0
/*
 * NETLINK_XFRM requests: checked and parsed exactly as xfrm_user checks and
 * parses them (type range, CAP_NET_ADMIN for every message, the minimum
 * fixed header per type, attributes against the kernel's policy), then
 * handed to the handler of their type.
 */

#include <linux/compat.h>
#include <linux/netlink.h>
#include <linux/xfrm.h>
#include <net/netlink.h>
#include <net/sock.h>
#include <oxfrm/netlink.h>

/* Attribute lengths and types as the stock kernel validates them. */
const struct nla_policy oxfrm_nla_policy[XFRMA_MAX + 1] = {
	[XFRMA_SA] = { .len = sizeof(struct xfrm_usersa_info) },
	[XFRMA_POLICY] = { .len = sizeof(struct xfrm_userpolicy_info) },
	[XFRMA_LASTUSED] = { .type = NLA_U64 },
	[XFRMA_ALG_AUTH_TRUNC] = { .len = sizeof(struct xfrm_algo_auth) },
	[XFRMA_ALG_AEAD] = { .len = sizeof(struct xfrm_algo_aead) },
	[XFRMA_ALG_AUTH] = { .len = sizeof(struct xfrm_algo) },
	[XFRMA_ALG_CRYPT] = { .len = sizeof(struct xfrm_algo) },
	[XFRMA_ALG_COMP] = { .len = sizeof(struct xfrm_algo) },
	[XFRMA_ENCAP] = { .len = sizeof(struct xfrm_encap_tmpl) },
	[XFRMA_TMPL] = { .len = sizeof(struct xfrm_user_tmpl) },
	[XFRMA_SEC_CTX] = { .len = sizeof(struct xfrm_user_sec_ctx) },
	[XFRMA_LTIME_VAL] = { .len = sizeof(struct xfrm_lifetime_cur) },
	[XFRMA_REPLAY_VAL] = { .len = sizeof(struct xfrm_replay_state) },
	[XFRMA_REPLAY_THRESH] = { .type = NLA_U32 },
	[XFRMA_ETIMER_THRESH] = { .type = NLA_U32 },
	[XFRMA_SRCADDR] = { .len = sizeof(xfrm_address_t) },
	[XFRMA_COADDR] = { .len = sizeof(xfrm_address_t) },
	[XFRMA_POLICY_TYPE] = { .len = sizeof(struct xfrm_userpolicy_type) },
	[XFRMA_MIGRATE] = { .len = sizeof(struct xfrm_user_migrate) },
	[XFRMA_KMADDRESS] = { .len = sizeof(struct xfrm_user_kmaddress) },
	[XFRMA_MARK] = { .len = sizeof(struct xfrm_mark) },
	[XFRMA_TFCPAD] = { .type = NLA_U32 },
	[XFRMA_REPLAY_ESN_VAL] = { .len = sizeof(struct xfrm_replay_state_esn) },
	[XFRMA_SA_EXTRA_FLAGS] = { .type = NLA_U32 },
	[XFRMA_PROTO] = { .type = NLA_U8 },
	[XFRMA_ADDRESS_FILTER] = { .len = sizeof(struct xfrm_address_filter) },
	[XFRMA_OFFLOAD_DEV] = { .len = sizeof(struct xfrm_user_offload) },
	[XFRMA_SET_MARK] = { .type = NLA_U32 },
	[XFRMA_SET_MARK_MASK] = { .type = NLA_U32 },
	[XFRMA_IF_ID] = { .type = NLA_U32 },
	[XFRMA_MTIMER_THRESH] = { .type = NLA_U32 },
#ifdef OXFRM_HAVE_XFRMA_SA_DIR
	[XFRMA_SA_DIR] = NLA_POLICY_RANGE(NLA_U8, XFRM_SA_DIR_IN, XFRM_SA_DIR_OUT),
	[XFRMA_NAT_KEEPALIVE_INTERVAL] = { .type = NLA_U32 },
	[XFRMA_SA_PCPU] = { .type = NLA_U32 },
#endif
};

static const struct nla_policy oxfrm_nla_spd_policy[XFRMA_SPD_MAX + 1] = {
	[XFRMA_SPD_IPV4_HTHRESH] = { .len = sizeof(struct xfrmu_spdhthresh) },
	[XFRMA_SPD_IPV6_HTHRESH] = { .len = sizeof(struct xfrmu_spdhthresh) },
};

/*
 * One entry per message type. A type without a handler is one the stock
 * kernel refuses too (EINVAL): REPORT and MAPPING go from kernel to user.
 */
struct oxfrm_nl_link {
	size_t min_len;
	oxfrm_nl_doit_t doit;
	int (*dump)(struct sk_buff *skb, struct netlink_callback *cb);
	int (*done)(struct netlink_callback *cb);
	const struct nla_policy *policy;
	int maxtype;
};

static const struct oxfrm_nl_link oxfrm_nl_links[XFRM_NR_MSGTYPES] = {
	[XFRM_MSG_NEWSA - XFRM_MSG_BASE] = { sizeof(struct xfrm_usersa_info),
					      .doit = oxfrm_nl_add_sa },
	[XFRM_MSG_DELSA - XFRM_MSG_BASE] = { sizeof(struct xfrm_usersa_id),
					      .doit = oxfrm_nl_del_sa },
	[XFRM_MSG_GETSA - XFRM_MSG_BASE] = { sizeof(struct xfrm_usersa_id),
					      .doit = oxfrm_nl_get_sa,
					      .dump = oxfrm_nl_dump_sa,
					      .done = oxfrm_nl_dump_sa_done },
	[XFRM_MSG_NEWPOLICY - XFRM_MSG_BASE] = { sizeof(struct xfrm_userpolicy_info),
						  .doit = oxfrm_nl_add_policy },
	[XFRM_MSG_DELPOLICY - XFRM_MSG_BASE] = { sizeof(struct xfrm_userpolicy_id),
						  .doit = oxfrm_nl_get_policy },
	[XFRM_MSG_GETPOLICY - XFRM_MSG_BASE] = { sizeof(struct xfrm_userpolicy_id),
						  .doit = oxfrm_nl_get_policy,
						  .dump = oxfrm_nl_dump_policy,
						  .done = oxfrm_nl_dump_policy_done },
	[XFRM_MSG_ALLOCSPI - XFRM_MSG_BASE] = { sizeof(struct xfrm_userspi_info),
						 .doit = oxfrm_nl_alloc_spi },
	[XFRM_MSG_ACQUIRE - XFRM_MSG_BASE] = { sizeof(struct xfrm_user_acquire),
						.doit = oxfrm_nl_add_acquire },
	[XFRM_MSG_EXPIRE - XFRM_MSG_BASE] = { sizeof(struct xfrm_user_expire),
					       .doit = oxfrm_nl_expire_sa },
	[XFRM_MSG_UPDPOLICY - XFRM_MSG_BASE] = { sizeof(struct xfrm_userpolicy_info),
						  .doit = oxfrm_nl_add_policy },
	[XFRM_MSG_UPDSA - XFRM_MSG_BASE] = { sizeof(struct xfrm_usersa_info),
					      .doit = oxfrm_nl_add_sa },
	[XFRM_MSG_POLEXPIRE - XFRM_MSG_BASE] = { sizeof(struct xfrm_user_polexpire),
						  .doit = oxfrm_nl_pol_expire },
	[XFRM_MSG_FLUSHSA - XFRM_MSG_BASE] = { sizeof(struct xfrm_usersa_flush),
						.doit = oxfrm_nl_flush_sa },
	[XFRM_MSG_FLUSHPOLICY - XFRM_MSG_BASE] = { 0, .doit = oxfrm_nl_flush_policy },
	[XFRM_MSG_NEWAE - XFRM_MSG_BASE] = { sizeof(struct xfrm_aevent_id),
					      .doit = oxfrm_nl_new_ae },
	[XFRM_MSG_GETAE - XFRM_MSG_BASE] = { sizeof(struct xfrm_aevent_id),
					      .doit = oxfrm_nl_get_ae },
	[XFRM_MSG_REPORT - XFRM_MSG_BASE] = { sizeof(struct xfrm_user_report) },
	[XFRM_MSG_MIGRATE - XFRM_MSG_BASE] = { sizeof(struct xfrm_userpolicy_id),
						.doit = oxfrm_nl_migrate },
	[XFRM_MSG_GETSADINFO - XFRM_MSG_BASE] = { sizeof(u32),
						  .doit = oxfrm_nl_get_sadinfo },
	[XFRM_MSG_NEWSPDINFO - XFRM_MSG_BASE] = { sizeof(u32),
					   .doit = oxfrm_nl_set_spdinfo,
					   .policy = oxfrm_nla_spd_policy,
					   .maxtype = XFRMA_SPD_MAX },
	[XFRM_MSG_GETSPDINFO - XFRM_MSG_BASE] = { sizeof(u32),
					   .doit = oxfrm_nl_get_spdinfo },
	[XFRM_MSG_MAPPING - XFRM_MSG_BASE] = { sizeof(struct xfrm_user_mapping) },
	[XFRM_MSG_SETDEFAULT - XFRM_MSG_BASE] = { sizeof(struct xfrm_userpolicy_default),
					   .doit = oxfrm_nl_set_default },
	[XFRM_MSG_GETDEFAULT - XFRM_MSG_BASE] = { sizeof(struct xfrm_userpolicy_default),
					   .doit = oxfrm_nl_get_default },
};

/* XFRMA_MARK, or no mark (zero value and mask). */
void oxfrm_nl_get_mark(struct nlattr **attrs, struct xfrm_mark *m)
{
	if (attrs[XFRMA_MARK])
		memcpy(m, nla_data(attrs[XFRMA_MARK]), sizeof(*m));
	else
		memset(m, 0, sizeof(*m));
}

/* XFRMA_SEC_CTX must hold the context its header announces. */
int oxfrm_nl_verify_sec_ctx(struct nlattr **attrs,
			    struct netlink_ext_ack *extack)
{
	struct nlattr *nla = attrs[XFRMA_SEC_CTX];
	struct xfrm_user_sec_ctx *uctx;

	if (!nla)
		return 0;
	uctx = nla_data(nla);
	if (uctx->len > nla_len(nla) ||
	    uctx->len != sizeof(*uctx) + uctx->ctx_len) {
		NL_SET_ERR_MSG(extack, "Invalid security context length");
		return -EINVAL;
	}
	return 0;
}

static int oxfrm_nl_rcv_msg(struct sk_buff *skb, struct nlmsghdr *nlh,
			    struct netlink_ext_ack *extack)
{
	struct nlattr *attrs[XFRMA_MAX + 1];
	const struct oxfrm_nl_link *link;
	int err;

	/* netlink_rcv_skb() acks types below XFRM_MSG_BASE itself. */
	if (nlh->nlmsg_type > XFRM_MSG_MAX)
		return -EINVAL;
	link = &oxfrm_nl_links[nlh->nlmsg_type - XFRM_MSG_BASE];

	/* Every request needs privilege, even a GET. */
	if (!netlink_net_capable(skb, CAP_NET_ADMIN))
		return -EPERM;

	/*
	 * 32-bit callers lay out u64 fields differently; the stock kernel
	 * needs its compat translator for them, which Debian does not build.
	 */
	if (IS_ENABLED(CONFIG_COMPAT_FOR_U64_ALIGNMENT) && in_compat_syscall())
		return -EOPNOTSUPP;

	/* Dumps (GETSA, GETPOLICY) start before any header check, as there. */
	if ((nlh->nlmsg_type == XFRM_MSG_GETSA ||
	     nlh->nlmsg_type == XFRM_MSG_GETPOLICY) &&
	    (nlh->nlmsg_flags & NLM_F_DUMP)) {
		struct netlink_dump_control c = {
			.dump = link->dump,
			.done = link->done,
		};
		struct oxfrm_net *on = oxfrm_pernet(sock_net(skb->sk));

		if (!link->dump)
			return -EINVAL;
		return netlink_dump_start(on->nlsk_stash, skb, nlh, &c);
	}

	err = nlmsg_parse_deprecated(nlh, link->min_len, attrs,
				     link->maxtype ? : XFRMA_MAX,
				     link->policy ? : oxfrm_nla_policy, extack);
	if (err < 0)
		return err;
	if (!link->doit)
		return -EINVAL;
	return link->doit(skb, nlh, attrs, extack);
}

/* Requests of one namespace are applied one at a time. */
void oxfrm_netlink_rcv(struct sk_buff *skb)
{
	struct oxfrm_net *on = oxfrm_pernet(sock_net(skb->sk));

	mutex_lock(&on->cfg_mutex);
	netlink_rcv_skb(skb, oxfrm_nl_rcv_msg);
	mutex_unlock(&on->cfg_mutex);
}
