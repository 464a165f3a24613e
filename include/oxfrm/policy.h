/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SPD (src/policy): security policies. So far: the default action per
 * direction for traffic no policy matches (XFRM_MSG_SETDEFAULT), and the
 * checks of policies as users send them.
 */
#ifndef _OXFRM_POLICY_H
#define _OXFRM_POLICY_H

#include <linux/xfrm.h>
#include <oxfrm/oxfrm.h>

/* default.c */
void oxfrm_policy_default_init(struct oxfrm_net *on);
u8 oxfrm_policy_default(const struct oxfrm_net *on, int dir);
bool oxfrm_policy_default_set(struct oxfrm_net *on, int dir, u8 action);

/* verify.c */
struct netlink_ext_ack;
int oxfrm_policy_verify_dir(u8 dir, struct netlink_ext_ack *extack);
int oxfrm_policy_verify_info(const struct xfrm_userpolicy_info *p,
			     struct netlink_ext_ack *extack);
int oxfrm_policy_verify_tmpls(struct xfrm_user_tmpl *ut, int nr, u16 family,
			      u8 dir, struct netlink_ext_ack *extack);

#endif /* _OXFRM_POLICY_H */
