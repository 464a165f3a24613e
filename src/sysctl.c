// SPDX-License-Identifier: GPL-2.0
/*
 * net.oxfrm.*: per namespace settings. Each namespace gets its own copy of
 * the table, pointing at its own struct oxfrm_sysctl.
 */

#include <linux/slab.h>
#include <linux/sysctl.h>
#include <net/net_namespace.h>
#include <oxfrm/compat.h>
#include <oxfrm/sysctl.h>

static int oxfrm_acq_expires_max = 24 * 60 * 60;

/* Order follows enum oxfrm_sysctl_index; .data is set per namespace. */
static const struct ctl_table oxfrm_sysctl_template[OXFRM_SYSCTL_COUNT + 1] = {
	[OXFRM_SYSCTL_LARVAL_DROP] = {
		.procname = "larval_drop",
		.maxlen = sizeof(int),
		.mode = 0644,
		.proc_handler = proc_dointvec_minmax,
		.extra1 = SYSCTL_ZERO,
		.extra2 = SYSCTL_ONE,
	},
	[OXFRM_SYSCTL_ACQ_EXPIRES] = {
		.procname = "acq_expires",
		.maxlen = sizeof(int),
		.mode = 0644,
		.proc_handler = proc_dointvec_minmax,
		.extra1 = SYSCTL_ZERO,
		.extra2 = &oxfrm_acq_expires_max,
	},
	[OXFRM_SYSCTL_AEVENT_ETIME] = {
		.procname = "aevent_etime",
		.maxlen = sizeof(u32),
		.mode = 0644,
		.proc_handler = proc_douintvec,
	},
	[OXFRM_SYSCTL_AEVENT_RSEQTH] = {
		.procname = "aevent_rseqth",
		.maxlen = sizeof(u32),
		.mode = 0644,
		.proc_handler = proc_douintvec,
	},
	{ }
};

/*
 * The stock kernel's defaults for its net.core.xfrm_* equivalents, but for
 * acq_expires: 0, which follows net.core.xfrm_acq_expires.
 */
void oxfrm_sysctl_defaults(struct oxfrm_sysctl *s)
{
	s->larval_drop = 1;
	s->acq_expires = 0;
	s->aevent_etime = 10;
	s->aevent_rseqth = 2;
}
EXPORT_SYMBOL_IF_OXFRM_KUNIT(oxfrm_sysctl_defaults);

/*
 * Seconds a larval (acquire) state lives in @on's namespace: its own
 * net.oxfrm.acq_expires if set, else net.core.xfrm_acq_expires, which the
 * key manager tunes to its own retransmission timeouts (charon writes 165
 * there at start-up); an SPI it allocated must outlive its longest
 * negotiation. That one has no bounds, so it is kept to net.oxfrm's.
 */
int oxfrm_acq_expires(const struct oxfrm_net *on)
{
	int expires = READ_ONCE(on->sysctl.acq_expires);

	if (expires)
		return expires;
	expires = min_t(u32, READ_ONCE(on->net->xfrm.sysctl_acq_expires),
			oxfrm_acq_expires_max);
	return max(expires, 1);
}
EXPORT_SYMBOL_IF_OXFRM_KUNIT(oxfrm_acq_expires);

/*
 * A namespace's copy of the table. Namespaces owned by another user
 * namespace may read the settings but not change them, as their owner
 * could otherwise starve the whole host of acquire state.
 */
struct ctl_table *oxfrm_sysctl_table(struct oxfrm_net *on)
{
	struct ctl_table *t;
	int i;

	t = kmemdup(oxfrm_sysctl_template, sizeof(oxfrm_sysctl_template),
		    GFP_KERNEL);
	if (!t)
		return NULL;
	t[OXFRM_SYSCTL_LARVAL_DROP].data = &on->sysctl.larval_drop;
	t[OXFRM_SYSCTL_ACQ_EXPIRES].data = &on->sysctl.acq_expires;
	t[OXFRM_SYSCTL_AEVENT_ETIME].data = &on->sysctl.aevent_etime;
	t[OXFRM_SYSCTL_AEVENT_RSEQTH].data = &on->sysctl.aevent_rseqth;
	if (on->net->user_ns != &init_user_ns)
		for (i = 0; i < OXFRM_SYSCTL_COUNT; i++)
			t[i].mode = 0444;
	return t;
}
EXPORT_SYMBOL_IF_OXFRM_KUNIT(oxfrm_sysctl_table);

int oxfrm_sysctl_net_init(struct oxfrm_net *on)
{
	struct ctl_table *t;

	oxfrm_sysctl_defaults(&on->sysctl);
	t = oxfrm_sysctl_table(on);
	if (!t)
		return -ENOMEM;
	on->sysctl_hdr = oxfrm_register_net_sysctl(on->net, "net/oxfrm", t,
						   OXFRM_SYSCTL_COUNT);
	if (!on->sysctl_hdr) {
		kfree(t);
		return -ENOMEM;
	}
	return 0;
}

void oxfrm_sysctl_net_exit(struct oxfrm_net *on)
{
	const struct ctl_table *t = on->sysctl_hdr->ctl_table_arg;

	unregister_net_sysctl_table(on->sysctl_hdr);
	kfree(t);
}
