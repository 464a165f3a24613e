// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: net.oxfrm defaults, per namespace tables and their bounds.
 */

#include <kunit/test.h>
#include <linux/slab.h>
#include <linux/sysctl.h>
#include <oxfrm/compat.h>
#include <oxfrm/sysctl.h>

static int oxfrm_sysctl_test_write(struct ctl_table *t, const char *val)
{
	char buf[16];
	size_t len = strscpy(buf, val, sizeof(buf));
	loff_t pos = 0;

	return t->proc_handler(t, 1, buf, &len, &pos);
}

static struct ctl_table *oxfrm_sysctl_test_table(struct kunit *test,
						 struct oxfrm_net *on)
{
	struct ctl_table *t;

	on->net = &init_net;
	oxfrm_sysctl_defaults(&on->sysctl);
	t = oxfrm_sysctl_table(on);
	KUNIT_ASSERT_NOT_NULL(test, t);
	return t;
}

static void oxfrm_sysctl_test_defaults(struct kunit *test)
{
	struct oxfrm_sysctl s;

	memset(&s, 0xa5, sizeof(s));
	oxfrm_sysctl_defaults(&s);
	KUNIT_EXPECT_EQ(test, s.larval_drop, 1);
	KUNIT_EXPECT_EQ(test, s.acq_expires, 0);
	KUNIT_EXPECT_EQ(test, s.aevent_etime, 10U);
	KUNIT_EXPECT_EQ(test, s.aevent_rseqth, 2U);
}

/* Two namespaces' tables point at their own values, never at each other's. */
static void oxfrm_sysctl_test_per_net(struct kunit *test)
{
	struct oxfrm_net a = { }, b = { };
	struct ctl_table *ta = oxfrm_sysctl_test_table(test, &a);
	struct ctl_table *tb = oxfrm_sysctl_test_table(test, &b);

	KUNIT_EXPECT_PTR_EQ(test, ta[OXFRM_SYSCTL_LARVAL_DROP].data,
			    (void *)&a.sysctl.larval_drop);
	KUNIT_EXPECT_PTR_EQ(test, tb[OXFRM_SYSCTL_ACQ_EXPIRES].data,
			    (void *)&b.sysctl.acq_expires);
	KUNIT_EXPECT_STREQ(test, ta[OXFRM_SYSCTL_AEVENT_RSEQTH].procname,
			   "aevent_rseqth");
	KUNIT_EXPECT_NULL(test, ta[OXFRM_SYSCTL_COUNT].procname);
	KUNIT_EXPECT_EQ(test, ta[OXFRM_SYSCTL_LARVAL_DROP].mode, (umode_t)0644);

	KUNIT_EXPECT_EQ(test, oxfrm_sysctl_test_write(&ta[OXFRM_SYSCTL_LARVAL_DROP], "0"), 0);
	KUNIT_EXPECT_EQ(test, a.sysctl.larval_drop, 0);
	KUNIT_EXPECT_EQ(test, b.sysctl.larval_drop, 1);
	kfree(ta);
	kfree(tb);
}

static void oxfrm_sysctl_test_bounds(struct kunit *test)
{
	struct oxfrm_net on = { };
	struct ctl_table *t = oxfrm_sysctl_test_table(test, &on);
	struct ctl_table *drop = &t[OXFRM_SYSCTL_LARVAL_DROP];
	struct ctl_table *acq = &t[OXFRM_SYSCTL_ACQ_EXPIRES];

	KUNIT_EXPECT_EQ(test, oxfrm_sysctl_test_write(drop, "2"), -EINVAL);
	KUNIT_EXPECT_EQ(test, oxfrm_sysctl_test_write(drop, "-1"), -EINVAL);
	KUNIT_EXPECT_EQ(test, on.sysctl.larval_drop, 1);
	KUNIT_EXPECT_EQ(test, oxfrm_sysctl_test_write(acq, "-1"), -EINVAL);
	KUNIT_EXPECT_EQ(test, oxfrm_sysctl_test_write(acq, "86401"), -EINVAL);
	KUNIT_EXPECT_EQ(test, on.sysctl.acq_expires, 0);
	KUNIT_EXPECT_EQ(test, oxfrm_sysctl_test_write(acq, "86400"), 0);
	KUNIT_EXPECT_EQ(test, on.sysctl.acq_expires, 86400);
	kfree(t);
}

/*
 * acq_expires 0 follows the stock net.core.xfrm_acq_expires, kept within
 * net.oxfrm's bounds; any other value is the namespace's own.
 */
static void oxfrm_sysctl_test_acq_expires(struct kunit *test)
{
	struct net *net = kunit_kzalloc(test, sizeof(*net), GFP_KERNEL);
	struct oxfrm_net on = { .net = net };

	KUNIT_ASSERT_NOT_NULL(test, net);
	oxfrm_sysctl_defaults(&on.sysctl);
	net->xfrm.sysctl_acq_expires = 165;
	KUNIT_EXPECT_EQ(test, oxfrm_acq_expires(&on), 165);
	net->xfrm.sysctl_acq_expires = 0;
	KUNIT_EXPECT_EQ(test, oxfrm_acq_expires(&on), 1);
	net->xfrm.sysctl_acq_expires = U32_MAX;
	KUNIT_EXPECT_EQ(test, oxfrm_acq_expires(&on), 86400);
	on.sysctl.acq_expires = 7;
	KUNIT_EXPECT_EQ(test, oxfrm_acq_expires(&on), 7);
}

static struct kunit_case oxfrm_sysctl_test_cases[] = {
	KUNIT_CASE(oxfrm_sysctl_test_defaults),
	KUNIT_CASE(oxfrm_sysctl_test_per_net),
	KUNIT_CASE(oxfrm_sysctl_test_bounds),
	KUNIT_CASE(oxfrm_sysctl_test_acq_expires),
	{ }
};

static struct kunit_suite oxfrm_sysctl_test_suite = {
	.name = "oxfrm_sysctl",
	.test_cases = oxfrm_sysctl_test_cases,
};

kunit_test_suite(oxfrm_sysctl_test_suite);
