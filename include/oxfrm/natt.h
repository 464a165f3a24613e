/* SPDX-License-Identifier: GPL-2.0 */
/*
 * NAT traversal (src/natt): ESP in UDP, received on port 4500 and the
 * ports SAs name, sent with the SA's ports, and the mapping changes the
 * key manager hears of.
 */
#ifndef _OXFRM_NATT_H
#define _OXFRM_NATT_H

#include <linux/skbuff.h>

struct oxfrm_net;
struct oxfrm_state;

/* The port ESP in UDP comes on, whatever the SAs say (RFC 3948). */
#define OXFRM_NATT_PORT	4500

/* udp.c */
struct nf_hook_state;
unsigned int oxfrm_natt_rcv(struct sk_buff *skb,
			    const struct nf_hook_state *state);
unsigned int oxfrm_natt_len(const struct oxfrm_state *x);
void oxfrm_natt_check(struct oxfrm_state *x, struct sk_buff *skb,
		      unsigned int nhlen);
void oxfrm_natt_push(const struct oxfrm_state *x, struct sk_buff *skb);
void oxfrm_natt_csum6(struct sk_buff *skb);

#endif /* _OXFRM_NATT_H */
