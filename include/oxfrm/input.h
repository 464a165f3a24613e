/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Receive path (src/input): the ESP protocol handlers and oxfrm_input().
 */
#ifndef _OXFRM_INPUT_H
#define _OXFRM_INPUT_H

#include <linux/skbuff.h>

/* input.c */
void oxfrm_input_enable(void);
int oxfrm_input(struct sk_buff *skb, u16 family);

/* proto.c */
int oxfrm_proto_init(void);
void oxfrm_proto_exit(void);

#endif /* _OXFRM_INPUT_H */
