// SPDX-License-Identifier: GPL-2.0
/*
 * What happens to traffic that no policy matches, per direction: accept
 * (the default) or block. Set with XFRM_MSG_SETDEFAULT; read locklessly by
 * the packet path.
 */

#include <oxfrm/policy.h>

void oxfrm_policy_default_init(struct oxfrm_net *on)
{
	int dir;

	for (dir = 0; dir < XFRM_POLICY_MAX; dir++)
		on->policy_default[dir] = XFRM_USERPOLICY_ACCEPT;
}
EXPORT_SYMBOL_IF_OXFRM_KUNIT(oxfrm_policy_default_init);

/*
 * Values other than accept and block (XFRM_USERPOLICY_UNSPEC among them)
 * leave the direction unchanged, as the stock kernel does. Returns whether
 * @action was taken.
 */
bool oxfrm_policy_default_set(struct oxfrm_net *on, int dir, u8 action)
{
	if (action != XFRM_USERPOLICY_ACCEPT && action != XFRM_USERPOLICY_BLOCK)
		return false;
	WRITE_ONCE(on->policy_default[dir], action);
	return true;
}
EXPORT_SYMBOL_IF_OXFRM_KUNIT(oxfrm_policy_default_set);
