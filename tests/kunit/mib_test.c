// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the counter table, per-CPU folding and the /proc format.
 */

#include <kunit/test.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <oxfrm/mib.h>

static void oxfrm_mib_test_names(struct kunit *test)
{
	int i, j;

	KUNIT_EXPECT_NULL(test, oxfrm_mib_names[LINUX_MIB_XFRMNUM]);
	for (i = 1; i < LINUX_MIB_XFRMMAX; i++) {
		KUNIT_ASSERT_NOT_NULL_MSG(test, oxfrm_mib_names[i],
					  "counter %d has no name", i);
		KUNIT_EXPECT_TRUE(test, str_has_prefix(oxfrm_mib_names[i], "Xfrm"));
		KUNIT_EXPECT_LE(test, strlen(oxfrm_mib_names[i]), 24);
		for (j = 1; j < i; j++)
			KUNIT_EXPECT_STRNEQ(test, oxfrm_mib_names[i],
					    oxfrm_mib_names[j]);
	}
}

static void oxfrm_mib_test_fold(struct kunit *test)
{
	struct oxfrm_mib __percpu *mib = alloc_percpu(struct oxfrm_mib);
	unsigned long want[LINUX_MIB_XFRMMAX] = { };
	unsigned long *sum;
	int cpu, i;

	KUNIT_ASSERT_NOT_NULL(test, mib);
	sum = kunit_kcalloc(test, LINUX_MIB_XFRMMAX, sizeof(*sum), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, sum);
	for_each_possible_cpu(cpu) {
		for (i = 1; i < LINUX_MIB_XFRMMAX; i++) {
			per_cpu_ptr(mib, cpu)->mibs[i] = (cpu + 1) * 1000 + i;
			want[i] += (cpu + 1) * 1000 + i;
		}
	}
	per_cpu_ptr(mib, 0)->mibs[LINUX_MIB_XFRMNUM] = 77;
	oxfrm_mib_fold(mib, sum);
	KUNIT_EXPECT_EQ(test, sum[LINUX_MIB_XFRMNUM], 0UL);
	for (i = 1; i < LINUX_MIB_XFRMMAX; i++)
		KUNIT_EXPECT_EQ(test, sum[i], want[i]);
	free_percpu(mib);
}

/* Render /proc/net/oxfrm_stat of init_net into a buffer and parse it. */
static void oxfrm_mib_test_proc_format(struct kunit *test)
{
	struct seq_file seq = { };
	unsigned long before[LINUX_MIB_XFRMMAX], val;
	char name[32], *line, *p;
	int n = 0, n_read;

	oxfrm_mib_fold(oxfrm_pernet(&init_net)->mib, before);
	OXFRM_INC_STATS(&init_net, LINUX_MIB_XFRMACQUIREERROR);

	seq.size = PAGE_SIZE;
	seq.buf = kunit_kzalloc(test, seq.size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, seq.buf);
	seq.private = &init_net;
	KUNIT_ASSERT_EQ(test, oxfrm_mib_seq_show(&seq, NULL), 0);
	KUNIT_ASSERT_LT(test, seq.count, seq.size);
	seq.buf[seq.count] = '\0';

	p = seq.buf;
	while ((line = strsep(&p, "\n")) && *line) {
		n++;
		KUNIT_ASSERT_LT(test, n, LINUX_MIB_XFRMMAX);
		/* "%-24s\t%lu": the name padded to 24 columns, a tab, a number */
		KUNIT_EXPECT_EQ(test, line[24], '\t');
		n_read = sscanf(line, "%31s %lu", name, &val);
		KUNIT_ASSERT_EQ(test, n_read, 2);
		KUNIT_EXPECT_STREQ(test, name, oxfrm_mib_names[n]);
		if (n == LINUX_MIB_XFRMACQUIREERROR)
			KUNIT_EXPECT_EQ(test, val, before[n] + 1);
		else
			KUNIT_EXPECT_EQ(test, val, before[n]);
	}
	KUNIT_EXPECT_EQ(test, n, LINUX_MIB_XFRMMAX - 1);
}

static struct kunit_case oxfrm_mib_test_cases[] = {
	KUNIT_CASE(oxfrm_mib_test_names),
	KUNIT_CASE(oxfrm_mib_test_fold),
	KUNIT_CASE(oxfrm_mib_test_proc_format),
	{ }
};

static struct kunit_suite oxfrm_mib_test_suite = {
	.name = "oxfrm_mib",
	.test_cases = oxfrm_mib_test_cases,
};

kunit_test_suite(oxfrm_mib_test_suite);
