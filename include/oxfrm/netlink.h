/* SPDX-License-Identifier: GPL-2.0 */
/*
 * NETLINK_XFRM (src/netlink): the kernel socket oxfrm owns per namespace,
 * the request dispatcher, and the handlers of each request.
 */
#ifndef _OXFRM_NETLINK_H
#define _OXFRM_NETLINK_H

#include <linux/netlink.h>
#include <linux/skbuff.h>
#include <net/netlink.h>
#include <oxfrm/oxfrm.h>

typedef int (*oxfrm_nl_doit_t)(struct sk_buff *skb, struct nlmsghdr *nlh,
			       struct nlattr **attrs,
			       struct netlink_ext_ack *extack);

/* socket.c */
int oxfrm_netlink_net_init(struct oxfrm_net *on);
void oxfrm_netlink_net_pre_exit(struct oxfrm_net *on);
void oxfrm_netlink_net_exit(struct oxfrm_net *on);
int oxfrm_nl_unicast(struct oxfrm_net *on, struct sk_buff *skb, u32 portid);
int oxfrm_nl_multicast(struct oxfrm_net *on, struct sk_buff *skb, u32 group);
bool oxfrm_nl_has_listeners(struct oxfrm_net *on, u32 group);

/* dispatch.c */
extern const struct nla_policy oxfrm_nla_policy[];
void oxfrm_nl_get_mark(struct nlattr **attrs, struct xfrm_mark *m);
int oxfrm_nl_verify_sec_ctx(struct nlattr **attrs,
			    struct netlink_ext_ack *extack);
void oxfrm_netlink_rcv(struct sk_buff *skb);

/* default.c */
int oxfrm_nl_set_default(struct sk_buff *skb, struct nlmsghdr *nlh,
			 struct nlattr **attrs, struct netlink_ext_ack *extack);
int oxfrm_nl_get_default(struct sk_buff *skb, struct nlmsghdr *nlh,
			 struct nlattr **attrs, struct netlink_ext_ack *extack);

/* sa.c */
struct oxfrm_state;
int oxfrm_nl_add_sa(struct sk_buff *skb, struct nlmsghdr *nlh,
		    struct nlattr **attrs, struct netlink_ext_ack *extack);
int oxfrm_nl_alloc_spi(struct sk_buff *skb, struct nlmsghdr *nlh,
		       struct nlattr **attrs, struct netlink_ext_ack *extack);
int oxfrm_nl_get_sa(struct sk_buff *skb, struct nlmsghdr *nlh,
		    struct nlattr **attrs, struct netlink_ext_ack *extack);
int oxfrm_nl_del_sa(struct sk_buff *skb, struct nlmsghdr *nlh,
		    struct nlattr **attrs, struct netlink_ext_ack *extack);
int oxfrm_nl_flush_sa(struct sk_buff *skb, struct nlmsghdr *nlh,
		      struct nlattr **attrs, struct netlink_ext_ack *extack);
int oxfrm_nl_dump_sa(struct sk_buff *skb, struct netlink_callback *cb);
int oxfrm_nl_dump_sa_done(struct netlink_callback *cb);
int oxfrm_nl_expire_sa(struct sk_buff *skb, struct nlmsghdr *nlh,
		       struct nlattr **attrs, struct netlink_ext_ack *extack);
int oxfrm_nl_get_ae(struct sk_buff *skb, struct nlmsghdr *nlh,
		    struct nlattr **attrs, struct netlink_ext_ack *extack);
int oxfrm_nl_new_ae(struct sk_buff *skb, struct nlmsghdr *nlh,
		    struct nlattr **attrs, struct netlink_ext_ack *extack);
int oxfrm_nl_get_sadinfo(struct sk_buff *skb, struct nlmsghdr *nlh,
			 struct nlattr **attrs, struct netlink_ext_ack *extack);

/* sa_msg.c */
void oxfrm_nl_sa_id(struct xfrm_usersa_id *id, const struct oxfrm_state *x);
unsigned int oxfrm_nl_sa_attrs_size(const struct oxfrm_state *x);
int oxfrm_nl_put_mark(struct sk_buff *skb, const struct xfrm_mark *m);
int oxfrm_nl_put_if_id(struct sk_buff *skb, u32 if_id);
int oxfrm_nl_put_sa(struct sk_buff *skb, struct oxfrm_state *x, int type,
		    u32 portid, u32 seq, u16 flags);
int oxfrm_nl_reply_sa(struct oxfrm_net *on, struct sk_buff *in,
		      const struct nlmsghdr *nlh, struct oxfrm_state *x);
void oxfrm_nl_notify_sa(struct oxfrm_net *on, struct oxfrm_state *x,
			const struct nlmsghdr *req);
void __oxfrm_nl_sa_expired(struct oxfrm_net *on, struct oxfrm_state *x,
			   bool hard, u32 portid);
void oxfrm_nl_sa_expired(struct oxfrm_net *on, struct oxfrm_state *x,
			 bool hard, u32 portid);
struct sk_buff *oxfrm_nl_build_ae(struct oxfrm_state *x, u32 flags,
				  u32 portid, u32 seq, gfp_t gfp);

/* sa_parse.c */
int oxfrm_nl_sa_verify(const struct xfrm_usersa_info *p, struct nlattr **attrs,
		       struct netlink_ext_ack *extack);
struct oxfrm_state *oxfrm_nl_sa_construct(struct oxfrm_net *on,
					  const struct xfrm_usersa_info *p,
					  struct nlattr **attrs, int *errp,
					  struct netlink_ext_ack *extack);
int oxfrm_nl_sa_init(struct oxfrm_net *on, struct oxfrm_state *x,
		     struct netlink_ext_ack *extack);
void oxfrm_nl_sa_update_ae(struct oxfrm_state *x, struct nlattr **attrs,
			   bool esn);

/* policy.c */
struct oxfrm_policy;
void oxfrm_nl_policy_info(const struct oxfrm_policy *pol,
			  struct xfrm_userpolicy_info *p);
int oxfrm_nl_policy_attrs(struct sk_buff *skb, const struct oxfrm_policy *pol);
struct oxfrm_policy *oxfrm_nl_policy_construct(struct oxfrm_net *on,
					       const struct xfrm_userpolicy_info *p,
					       struct nlattr **attrs, int *errp,
					       struct netlink_ext_ack *extack);
int oxfrm_nl_policy_type(struct nlattr **attrs, u8 *type,
			 struct netlink_ext_ack *extack);
int oxfrm_nl_add_policy(struct sk_buff *skb, struct nlmsghdr *nlh,
			struct nlattr **attrs, struct netlink_ext_ack *extack);
int oxfrm_nl_get_policy(struct sk_buff *skb, struct nlmsghdr *nlh,
			struct nlattr **attrs, struct netlink_ext_ack *extack);
int oxfrm_nl_flush_policy(struct sk_buff *skb, struct nlmsghdr *nlh,
			  struct nlattr **attrs, struct netlink_ext_ack *extack);
int oxfrm_nl_pol_expire(struct sk_buff *skb, struct nlmsghdr *nlh,
			struct nlattr **attrs, struct netlink_ext_ack *extack);
int oxfrm_nl_dump_policy(struct sk_buff *skb, struct netlink_callback *cb);
int oxfrm_nl_dump_policy_done(struct netlink_callback *cb);
int oxfrm_nl_get_spdinfo(struct sk_buff *skb, struct nlmsghdr *nlh,
			 struct nlattr **attrs, struct netlink_ext_ack *extack);
int oxfrm_nl_set_spdinfo(struct sk_buff *skb, struct nlmsghdr *nlh,
			 struct nlattr **attrs, struct netlink_ext_ack *extack);
void oxfrm_nl_policy_expired(struct oxfrm_net *on,
			     const struct oxfrm_policy *pol, bool hard,
			     u32 portid);

/* mapping.c */
int oxfrm_nl_mapping(struct oxfrm_net *on, const struct oxfrm_state *x,
		     const xfrm_address_t *new_saddr, __be16 new_sport);

/* acquire.c */
int oxfrm_nl_acquire(struct oxfrm_net *on, const struct xfrm_id *id,
		     const xfrm_address_t *saddr,
		     const struct xfrm_selector *sel,
		     const struct oxfrm_policy *pol,
		     const struct xfrm_user_tmpl *t, u32 seq, gfp_t gfp);
int oxfrm_nl_add_acquire(struct sk_buff *skb, struct nlmsghdr *nlh,
			 struct nlattr **attrs, struct netlink_ext_ack *extack);

/* migrate.c */
int oxfrm_nl_migrate(struct sk_buff *skb, struct nlmsghdr *nlh,
		     struct nlattr **attrs, struct netlink_ext_ack *extack);

/* km.c */
void oxfrm_km_init(void);
void oxfrm_km_exit(void);

#endif /* _OXFRM_NETLINK_H */
