/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Receive path (src/input): the ESP protocol handlers, oxfrm_input(), the
 * decapsulation of what ESP carried, and the inbound policy check, of
 * decrypted packets and (guard.c) of packets that came in the clear.
 */
#ifndef _OXFRM_INPUT_H
#define _OXFRM_INPUT_H

#include <linux/skbuff.h>

struct net;
struct oxfrm_net;
struct oxfrm_state;

/* input.c */
int oxfrm_input_init(void);
void oxfrm_input_exit(void);
void oxfrm_input_enable(void);
int oxfrm_input_state_init(struct oxfrm_state *x);
void oxfrm_input_state_destroy(struct oxfrm_state *x);
int oxfrm_input(struct sk_buff *skb, u16 family, int encap_type);
bool oxfrm_input_decrypted(const struct sk_buff *skb);

/* decap.c */
int oxfrm_input_decap(struct oxfrm_state *x, struct sk_buff *skb, int nexthdr,
		      unsigned int nhlen, unsigned int nhoff, u16 *family);

/* mss.c */
struct tcphdr;
u8 *oxfrm_mss_option(struct sk_buff *skb, u16 family, struct tcphdr **thp);
void oxfrm_mss_lower(struct sk_buff *skb, struct tcphdr *th, u8 *val, u16 mss);
void oxfrm_input_mss(struct net *net, const struct oxfrm_state *x,
		     struct sk_buff *skb, u16 family);

/* guard.c */
int oxfrm_input_net_init(struct oxfrm_net *on);
void oxfrm_input_net_exit(struct oxfrm_net *on);

/* policy.c */
struct oxfrm_flow;
int oxfrm_input_policy_verdict(struct oxfrm_net *on,
			       const struct oxfrm_flow *fl, u8 dir,
			       struct oxfrm_state **xs, int n);
int oxfrm_input_policy_check(struct oxfrm_net *on, struct sk_buff *skb,
			     u16 family, struct oxfrm_state **xs, int n);

/* proto.c */
int oxfrm_proto_init(void);
void oxfrm_proto_exit(void);

#endif /* _OXFRM_INPUT_H */
