// SPDX-License-Identifier: GPL-2.0
/*
 * The inbound policy check (__xfrm_policy_check()) of a decapsulated
 * packet: the SA that carried it must cover its inner flow (the SA's
 * selector), and satisfy the templates of the best IN policy (FWD for a
 * packet this host forwards). Run in oxfrm_input() right after
 * decapsulation, before the packet goes back up the stack. Packets that
 * arrive in the clear meet the same policies in guard.c.
 */

#include <linux/inetdevice.h>
#include <net/addrconf.h>
#include <net/route.h>
#include <net/xfrm.h>
#include <oxfrm/input.h>
#include <oxfrm/mib.h>
#include <oxfrm/policy.h>
#include <oxfrm/state.h>

/* Whether @fl is for this host (IN) rather than through it (FWD). */
static bool oxfrm_input_is_local(struct net *net, const struct oxfrm_flow *fl)
{
	unsigned int type;

	if (fl->family == AF_INET) {
		type = inet_addr_type(net, fl->daddr.a4);
		return type == RTN_LOCAL || type == RTN_BROADCAST ||
		       type == RTN_MULTICAST;
	}
	return ipv6_addr_is_multicast(&fl->daddr.in6) ||
	       ipv6_chk_addr(net, &fl->daddr.in6, NULL, 0);
}

/* Whether template @t accepts state @x (xfrm_state_ok()). */
static bool oxfrm_tmpl_accepts(const struct xfrm_user_tmpl *t,
			       const struct oxfrm_state *x)
{
	bool allalgs = !~t->aalgos && !~t->ealgos && !~t->calgos;

	if (x->key.proto != t->id.proto ||
	    (t->id.spi && x->key.spi != t->id.spi) ||
	    (t->reqid && x->reqid != t->reqid) || x->mode != t->mode)
		return false;
	/* The stock kernel shifts by the SADB number: past 31 it wraps. */
	if (!allalgs && !(t->aalgos & BIT(x->aalgo_id & 31)))
		return false;
	/* Tunnels: a template's source, if it names one, must be the SA's. */
	return x->mode == XFRM_MODE_TRANSPORT ||
	       xfrm_addr_any(&t->saddr, x->family) ||
	       xfrm_addr_equal(&t->saddr, &x->saddr, x->family);
}

/*
 * Matches the templates of @pol, last to first, against the SA path
 * @xs[0..@n) as xfrm_policy_ok() does: a mandatory template must find its
 * SA, an optional one may go unused, and no tunnel SA may be left over.
 */
static bool oxfrm_tmpls_accept(const struct oxfrm_policy *pol,
			       struct oxfrm_state **xs, int n)
{
	const struct xfrm_user_tmpl *t;
	int i, k = 0, idx;

	for (i = pol->nr_tmpls - 1; i >= 0; i--) {
		t = &pol->tmpls[i];
		if (t->optional && t->mode == XFRM_MODE_TRANSPORT)
			continue;
		for (idx = k; idx < n; idx++) {
			if (oxfrm_tmpl_accepts(t, xs[idx]))
				break;
			if (xs[idx]->mode != XFRM_MODE_TRANSPORT) {
				idx = n;
				break;
			}
		}
		if (idx < n)
			k = idx + 1;
		else if (!t->optional)
			return false;
	}
	for (; k < n; k++)
		if (xs[k]->mode != XFRM_MODE_TRANSPORT)
			return false;
	return true;
}

/*
 * The verdict of the best @dir policy on flow @fl, which the SAs
 * @xs[0..@n) carried (none: a packet that came in the clear). Returns 0
 * to let it pass, or the counter (LINUX_MIB_XFRMIN*) its drop counts in.
 * Under rcu_read_lock(), as hooks and protocol handlers run.
 */
int oxfrm_input_policy_verdict(struct oxfrm_net *on,
			       const struct oxfrm_flow *fl, u8 dir,
			       struct oxfrm_state **xs, int n)
{
	struct oxfrm_policy *pol;
	int i, mib = 0;

	pol = oxfrm_spd_lookup_rcu(on->spd, dir, fl);
	if (!pol) {
		if (oxfrm_policy_default(on, dir) == XFRM_USERPOLICY_BLOCK)
			return LINUX_MIB_XFRMINNOPOLS;
		for (i = 0; i < n; i++)
			if (xs[i]->mode != XFRM_MODE_TRANSPORT)
				return LINUX_MIB_XFRMINNOPOLS;
		return 0;
	}
	oxfrm_policy_touch(pol);
	if (pol->action != XFRM_POLICY_ALLOW)
		mib = LINUX_MIB_XFRMINPOLBLOCK;
	else if (!oxfrm_tmpls_accept(pol, xs, n))
		mib = LINUX_MIB_XFRMINTMPLMISMATCH;
	oxfrm_policy_put(pol);
	return mib;
}

/*
 * Checks the packet at @skb's network header (inner, of @family), which
 * the SAs @xs[0..@n) carried. Returns 0 to deliver it, or the counter
 * (LINUX_MIB_XFRMIN*) that its drop counts in. Under rcu_read_lock().
 */
int oxfrm_input_policy_check(struct oxfrm_net *on, struct sk_buff *skb,
			     u16 family, struct oxfrm_state **xs, int n)
{
	struct xfrm_selector sel;
	struct oxfrm_flow fl;
	int i;

	if (oxfrm_flow_decode(skb, family, &fl))
		return LINUX_MIB_XFRMINHDRERROR;
	fl.oif = skb->dev->ifindex;
	fl.mark = skb->mark;

	/* Each SA's selector names the traffic it may carry, any family. */
	for (i = 0; i < n; i++) {
		sel = xs[i]->sel;
		sel.family = family;
		if (!oxfrm_selector_match(&sel, &fl))
			return LINUX_MIB_XFRMINSTATEMISMATCH;
	}
	return oxfrm_input_policy_verdict(on, &fl,
					  oxfrm_input_is_local(on->net, &fl) ?
					  XFRM_POLICY_IN : XFRM_POLICY_FWD,
					  xs, n);
}
