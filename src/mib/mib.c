// SPDX-License-Identifier: GPL-2.0
/*
 * Per namespace, per CPU counters of the kernel's LINUX_MIB_XFRM* list,
 * shown in /proc/net/oxfrm_stat exactly as /proc/net/xfrm_stat shows them.
 */

#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <net/net_namespace.h>
#include <oxfrm/compat.h>
#include <oxfrm/mib.h>

/* The names /proc/net/xfrm_stat prints, in the uapi enum's order. */
const char *const oxfrm_mib_names[LINUX_MIB_XFRMMAX] = {
	[LINUX_MIB_XFRMINERROR] = "XfrmInError",
	[LINUX_MIB_XFRMINBUFFERERROR] = "XfrmInBufferError",
	[LINUX_MIB_XFRMINHDRERROR] = "XfrmInHdrError",
	[LINUX_MIB_XFRMINNOSTATES] = "XfrmInNoStates",
	[LINUX_MIB_XFRMINSTATEPROTOERROR] = "XfrmInStateProtoError",
	[LINUX_MIB_XFRMINSTATEMODEERROR] = "XfrmInStateModeError",
	[LINUX_MIB_XFRMINSTATESEQERROR] = "XfrmInStateSeqError",
	[LINUX_MIB_XFRMINSTATEEXPIRED] = "XfrmInStateExpired",
	[LINUX_MIB_XFRMINSTATEMISMATCH] = "XfrmInStateMismatch",
	[LINUX_MIB_XFRMINSTATEINVALID] = "XfrmInStateInvalid",
	[LINUX_MIB_XFRMINTMPLMISMATCH] = "XfrmInTmplMismatch",
	[LINUX_MIB_XFRMINNOPOLS] = "XfrmInNoPols",
	[LINUX_MIB_XFRMINPOLBLOCK] = "XfrmInPolBlock",
	[LINUX_MIB_XFRMINPOLERROR] = "XfrmInPolError",
	[LINUX_MIB_XFRMOUTERROR] = "XfrmOutError",
	[LINUX_MIB_XFRMOUTBUNDLEGENERROR] = "XfrmOutBundleGenError",
	[LINUX_MIB_XFRMOUTBUNDLECHECKERROR] = "XfrmOutBundleCheckError",
	[LINUX_MIB_XFRMOUTNOSTATES] = "XfrmOutNoStates",
	[LINUX_MIB_XFRMOUTSTATEPROTOERROR] = "XfrmOutStateProtoError",
	[LINUX_MIB_XFRMOUTSTATEMODEERROR] = "XfrmOutStateModeError",
	[LINUX_MIB_XFRMOUTSTATESEQERROR] = "XfrmOutStateSeqError",
	[LINUX_MIB_XFRMOUTSTATEEXPIRED] = "XfrmOutStateExpired",
	[LINUX_MIB_XFRMOUTPOLBLOCK] = "XfrmOutPolBlock",
	[LINUX_MIB_XFRMOUTPOLDEAD] = "XfrmOutPolDead",
	[LINUX_MIB_XFRMOUTPOLERROR] = "XfrmOutPolError",
	[LINUX_MIB_XFRMFWDHDRERROR] = "XfrmFwdHdrError",
	[LINUX_MIB_XFRMOUTSTATEINVALID] = "XfrmOutStateInvalid",
	[LINUX_MIB_XFRMACQUIREERROR] = "XfrmAcquireError",
#ifdef OXFRM_HAVE_MIB_DIR_ERRORS
	[LINUX_MIB_XFRMOUTSTATEDIRERROR] = "XfrmOutStateDirError",
	[LINUX_MIB_XFRMINSTATEDIRERROR] = "XfrmInStateDirError",
#endif
};
EXPORT_SYMBOL_IF_OXFRM_KUNIT(oxfrm_mib_names);

/* Sum every CPU's copy; readers see a snapshot that is at worst stale. */
void oxfrm_mib_fold(const struct oxfrm_mib __percpu *mib,
		    unsigned long out[LINUX_MIB_XFRMMAX])
{
	int cpu, i;

	memset(out, 0, sizeof(unsigned long) * LINUX_MIB_XFRMMAX);
	for_each_possible_cpu(cpu) {
		const struct oxfrm_mib *m = per_cpu_ptr(mib, cpu);

		for (i = 1; i < LINUX_MIB_XFRMMAX; i++)
			out[i] += READ_ONCE(m->mibs[i]);
	}
}
EXPORT_SYMBOL_IF_OXFRM_KUNIT(oxfrm_mib_fold);

int oxfrm_mib_seq_show(struct seq_file *seq, void *v)
{
	struct oxfrm_net *on = oxfrm_pernet(seq_file_single_net(seq));
	unsigned long sum[LINUX_MIB_XFRMMAX];
	int i;

	oxfrm_mib_fold(on->mib, sum);
	for (i = 1; i < LINUX_MIB_XFRMMAX; i++)
		seq_printf(seq, "%-24s\t%lu\n", oxfrm_mib_names[i], sum[i]);
	return 0;
}
EXPORT_SYMBOL_IF_OXFRM_KUNIT(oxfrm_mib_seq_show);

int oxfrm_mib_net_init(struct oxfrm_net *on)
{
	on->mib = alloc_percpu(struct oxfrm_mib);
	if (!on->mib)
		return -ENOMEM;
	if (!proc_create_net_single("oxfrm_stat", 0444, on->net->proc_net,
				    oxfrm_mib_seq_show, NULL)) {
		free_percpu(on->mib);
		on->mib = NULL;
		return -ENOMEM;
	}
	return 0;
}

void oxfrm_mib_net_exit(struct oxfrm_net *on)
{
	remove_proc_entry("oxfrm_stat", on->net->proc_net);
	free_percpu(on->mib);
	on->mib = NULL;
}
