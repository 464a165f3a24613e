/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Transmit path (src/output): the netfilter hooks that catch what the OUT
 * policies want protected, the choice of SA, the packets held while an SA
 * is acquired, and the encapsulation and sending of ESP.
 */
#ifndef _OXFRM_OUTPUT_H
#define _OXFRM_OUTPUT_H

#include <linux/skbuff.h>
#include <linux/xfrm.h>

struct net;
struct oxfrm_flow;
struct oxfrm_net;
struct oxfrm_policy;
struct oxfrm_state;
struct xfrm_user_tmpl;

/* hook.c */
int oxfrm_output_net_init(struct oxfrm_net *on);
void oxfrm_output_net_exit(struct oxfrm_net *on);
void oxfrm_output_resend(struct oxfrm_net *on, struct sk_buff *skb);

/* hold.c */
void oxfrm_hold_init(struct oxfrm_policy *pol);
bool oxfrm_hold(struct oxfrm_policy *pol, struct sk_buff *skb);
void oxfrm_hold_kill(struct oxfrm_policy *pol);
void oxfrm_hold_move(struct oxfrm_policy *old, struct oxfrm_policy *pol);

/* resolve.c */
struct oxfrm_state *oxfrm_output_resolve(struct oxfrm_net *on,
					 struct oxfrm_policy *pol,
					 const struct xfrm_user_tmpl *t,
					 const struct oxfrm_flow *fl, int *err);

/* output.c */
struct dst_entry *oxfrm_output_esp_route(struct net *net, u16 family,
					 const xfrm_address_t *daddr,
					 const xfrm_address_t *saddr, u32 mark);
unsigned int oxfrm_output_inner_mtu(const struct oxfrm_state *x,
				    unsigned int mtu);
int oxfrm_output_make_room(struct sk_buff *skb, unsigned int head,
			   unsigned int tail);
void oxfrm_output(struct oxfrm_net *on, struct sk_buff *skb,
		  struct oxfrm_state *x, u16 family);

#endif /* _OXFRM_OUTPUT_H */
