// SPDX-License-Identifier: GPL-2.0
/*
 * Checks of policies as users send them (struct xfrm_userpolicy_info and
 * its templates), with the errno and extended ack the stock kernel gives.
 * Used for per-socket policies and for XFRM_MSG_NEWPOLICY/UPDPOLICY.
 */

#include <linux/in.h>
#include <linux/in6.h>
#include <linux/stringify.h>
#include <net/netlink.h>
#include <net/xfrm.h>
#include <oxfrm/policy.h>

static int oxfrm_policy_verify_sel(const struct xfrm_selector *sel,
				   struct netlink_ext_ack *extack)
{
	if (sel->family == AF_INET) {
		if (sel->prefixlen_d <= 32 && sel->prefixlen_s <= 32)
			return 0;
		NL_SET_ERR_MSG(extack,
			       "Invalid prefix length in selector (must be <= 32 for IPv4)");
		return -EINVAL;
	}
	if (sel->family == AF_INET6) {
		if (sel->prefixlen_d <= 128 && sel->prefixlen_s <= 128)
			return 0;
		NL_SET_ERR_MSG(extack,
			       "Invalid prefix length in selector (must be <= 128 for IPv6)");
		return -EINVAL;
	}
	NL_SET_ERR_MSG(extack, "Invalid selector family");
	return -EINVAL;
}

int oxfrm_policy_verify_dir(u8 dir, struct netlink_ext_ack *extack)
{
	if (dir != XFRM_POLICY_IN && dir != XFRM_POLICY_OUT &&
	    dir != XFRM_POLICY_FWD) {
		NL_SET_ERR_MSG(extack, "Invalid policy direction");
		return -EINVAL;
	}
	return 0;
}
EXPORT_SYMBOL_IF_OXFRM_KUNIT(oxfrm_policy_verify_dir);

/* Debian's kernel has CONFIG_XFRM_SUB_POLICY: main and sub policies. */
int oxfrm_policy_verify_type(u8 type, struct netlink_ext_ack *extack)
{
	if (type != XFRM_POLICY_TYPE_MAIN && type != XFRM_POLICY_TYPE_SUB) {
		NL_SET_ERR_MSG(extack, "Invalid policy type");
		return -EINVAL;
	}
	return 0;
}
EXPORT_SYMBOL_IF_OXFRM_KUNIT(oxfrm_policy_verify_type);

int oxfrm_policy_verify_info(const struct xfrm_userpolicy_info *p,
			     struct netlink_ext_ack *extack)
{
	int err;

	if (p->share > XFRM_SHARE_UNIQUE) {
		NL_SET_ERR_MSG(extack, "Invalid policy share");
		return -EINVAL;
	}
	if (p->action != XFRM_POLICY_ALLOW && p->action != XFRM_POLICY_BLOCK) {
		NL_SET_ERR_MSG(extack, "Invalid policy action");
		return -EINVAL;
	}
	err = oxfrm_policy_verify_sel(&p->sel, extack);
	if (err)
		return err;
	err = oxfrm_policy_verify_dir(p->dir, extack);
	if (err)
		return err;
	/* A given index carries its direction (see xfrm_policy_id2dir). */
	if (p->index && xfrm_policy_id2dir(p->index) != p->dir) {
		NL_SET_ERR_MSG(extack, "Policy index doesn't match direction");
		return -EINVAL;
	}
	return 0;
}
EXPORT_SYMBOL_IF_OXFRM_KUNIT(oxfrm_policy_verify_info);

/* One template, following one of family @prev, in a policy for @dir. */
static int oxfrm_policy_verify_tmpl(const struct xfrm_user_tmpl *ut, u16 prev,
				    u8 dir, struct netlink_ext_ack *extack)
{
	bool tunnel = ut->mode == XFRM_MODE_TUNNEL || ut->mode == XFRM_MODE_BEET;

	if (tunnel && ut->optional && dir == XFRM_POLICY_OUT) {
		NL_SET_ERR_MSG(extack,
			       "Mode in optional template not allowed in outbound policy");
		return -EINVAL;
	}
	if (!tunnel && ut->family != prev) {
		NL_SET_ERR_MSG(extack,
			       "Mode in template doesn't support a family change");
		return -EINVAL;
	}
	if (ut->mode >= XFRM_MODE_MAX) {
		NL_SET_ERR_MSG(extack, "Mode in template must be < XFRM_MODE_MAX ("
			       __stringify(XFRM_MODE_MAX) ")");
		return -EINVAL;
	}
	if (ut->family != AF_INET && ut->family != AF_INET6) {
		NL_SET_ERR_MSG(extack, "Invalid family in template");
		return -EINVAL;
	}
	if (!xfrm_id_proto_valid(ut->id.proto)) {
		NL_SET_ERR_MSG(extack, "Invalid XFRM protocol in template");
		return -EINVAL;
	}
	return 0;
}

/*
 * @ut: @nr templates of a policy for @family in direction @dir. A template
 * family of 0 means the policy's own, and is filled in.
 */
int oxfrm_policy_verify_tmpls(struct xfrm_user_tmpl *ut, int nr, u16 family,
			      u8 dir, struct netlink_ext_ack *extack)
{
	u16 prev = family;
	int i, err;

	if (nr > XFRM_MAX_DEPTH) {
		NL_SET_ERR_MSG(extack, "Template count must be <= XFRM_MAX_DEPTH ("
			       __stringify(XFRM_MAX_DEPTH) ")");
		return -EINVAL;
	}
	for (i = 0; i < nr; i++) {
		if (!ut[i].family)
			ut[i].family = family;
		err = oxfrm_policy_verify_tmpl(&ut[i], prev, dir, extack);
		if (err)
			return err;
		prev = ut[i].family;
	}
	return 0;
}
EXPORT_SYMBOL_IF_OXFRM_KUNIT(oxfrm_policy_verify_tmpls);
