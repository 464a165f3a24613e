// SPDX-License-Identifier: GPL-2.0
/*
 * What XFRM_MSG_MIGRATE asks of the SPD: the policy a migration names by
 * its selector, and its templates moved to the new endpoints.
 */

#include <net/xfrm.h>
#include <oxfrm/policy.h>

/*
 * A selector naming no upper protocol names a policy by family, addresses
 * and prefix lengths alone; any other must equal the policy's byte for
 * byte (xfrm_migrate_selector_match()).
 */
static bool oxfrm_migrate_sel_match(const struct xfrm_selector *want,
				    const struct xfrm_selector *sel)
{
	if (want->proto != IPSEC_ULPROTO_ANY)
		return !memcmp(want, sel, sizeof(*sel));
	return sel->family == want->family &&
	       xfrm_addr_equal(&sel->daddr, &want->daddr, want->family) &&
	       xfrm_addr_equal(&sel->saddr, &want->saddr, want->family) &&
	       sel->prefixlen_d == want->prefixlen_d &&
	       sel->prefixlen_s == want->prefixlen_s;
}

/*
 * The policy of @dir and @type a MIGRATE request's selector names (with
 * @if_id, unless 0; marks are not compared), with a reference; or NULL.
 * As xfrm_migrate_policy_find(): the lowest priority value wins, then the
 * older policy. (Its preference for hashed policies over inexact ones
 * never decides: policies one selector names share prefix lengths, and so
 * their place.) Every policy is looked at, under spd->lock: migrations
 * are rare.
 */
struct oxfrm_policy *oxfrm_spd_find_migrate(struct oxfrm_spd *spd,
					    const struct xfrm_selector *sel,
					    u8 dir, u8 type, u32 if_id)
{
	struct oxfrm_policy *pol, *best = NULL;
	struct oxfrm_spd_walk *w;

	spin_lock_bh(&spd->lock);
	list_for_each_entry(w, &spd->all, all) {
		if (w->marker)
			continue;
		pol = container_of(w, struct oxfrm_policy, walk);
		if (pol->dir != dir || pol->type != type ||
		    (if_id && pol->if_id != if_id) ||
		    !oxfrm_migrate_sel_match(sel, &pol->sel))
			continue;
		if (!best || pol->priority < best->priority ||
		    (pol->priority == best->priority && pol->seq < best->seq))
			best = pol;
	}
	if (best)
		oxfrm_policy_hold(best);
	spin_unlock_bh(&spd->lock);
	return best;
}

static bool oxfrm_migrate_tmpl_match(const struct xfrm_migrate *m,
				     const struct xfrm_user_tmpl *t)
{
	if (t->mode != m->mode || t->id.proto != m->proto ||
	    (m->reqid && t->reqid != m->reqid))
		return false;
	switch (t->mode) {
	case XFRM_MODE_TUNNEL:
	case XFRM_MODE_BEET:
		return xfrm_addr_equal(&t->id.daddr, &m->old_daddr,
				       m->old_family) &&
		       xfrm_addr_equal(&t->saddr, &m->old_saddr, m->old_family);
	case XFRM_MODE_TRANSPORT:
		/* Transport templates carry no addresses: nothing moves. */
		return true;
	default:
		return false;
	}
}

/*
 * Moves the endpoints of @pol's templates that @m's migrations name
 * (xfrm_policy_migrate()): -ENOENT if @pol left the SPD meanwhile,
 * -ENODATA if no template matched.
 */
int oxfrm_policy_migrate(struct oxfrm_policy *pol, const struct xfrm_migrate *m,
			 int n)
{
	struct oxfrm_spd *spd = pol->spd;
	struct xfrm_user_tmpl *t;
	int i, j, matched = 0;

	spin_lock_bh(&spd->lock);
	if (!pol->linked) {
		spin_unlock_bh(&spd->lock);
		return -ENOENT;
	}
	for (i = 0; i < pol->nr_tmpls; i++) {
		t = &pol->tmpls[i];
		for (j = 0; j < n; j++) {
			if (!oxfrm_migrate_tmpl_match(&m[j], t))
				continue;
			matched++;
			if (t->mode != XFRM_MODE_TUNNEL &&
			    t->mode != XFRM_MODE_BEET)
				continue;
			t->id.daddr = m[j].new_daddr;
			t->saddr = m[j].new_saddr;
			t->family = m[j].new_family;
		}
	}
	spin_unlock_bh(&spd->lock);
	return matched ? 0 : -ENODATA;
}
