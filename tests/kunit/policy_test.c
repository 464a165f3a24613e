// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the per-direction default action for traffic no policy matches,
 * and the checks of policies and templates as users send them.
 */

#include <kunit/test.h>
#include <linux/in.h>
#include <net/xfrm.h>
#include <oxfrm/policy.h>

static void oxfrm_policy_test_default_init(struct kunit *test)
{
	struct oxfrm_net on;
	int dir;

	memset(&on, 0xff, sizeof(on));
	oxfrm_policy_default_init(&on);
	for (dir = 0; dir < XFRM_POLICY_MAX; dir++)
		KUNIT_EXPECT_EQ(test, oxfrm_policy_default(&on, dir),
				XFRM_USERPOLICY_ACCEPT);
}

static void oxfrm_policy_test_default_set(struct kunit *test)
{
	struct oxfrm_net on;
	bool ok;

	oxfrm_policy_default_init(&on);
	ok = oxfrm_policy_default_set(&on, XFRM_POLICY_IN, XFRM_USERPOLICY_BLOCK);
	KUNIT_EXPECT_TRUE(test, ok);
	KUNIT_EXPECT_EQ(test, oxfrm_policy_default(&on, XFRM_POLICY_IN),
			XFRM_USERPOLICY_BLOCK);
	KUNIT_EXPECT_EQ(test, oxfrm_policy_default(&on, XFRM_POLICY_OUT),
			XFRM_USERPOLICY_ACCEPT);

	/* Anything but accept or block leaves the direction as it was. */
	ok = oxfrm_policy_default_set(&on, XFRM_POLICY_IN, XFRM_USERPOLICY_UNSPEC);
	KUNIT_EXPECT_FALSE(test, ok);
	KUNIT_EXPECT_FALSE(test, oxfrm_policy_default_set(&on, XFRM_POLICY_IN, 7));
	KUNIT_EXPECT_EQ(test, oxfrm_policy_default(&on, XFRM_POLICY_IN),
			XFRM_USERPOLICY_BLOCK);

	ok = oxfrm_policy_default_set(&on, XFRM_POLICY_IN, XFRM_USERPOLICY_ACCEPT);
	KUNIT_EXPECT_TRUE(test, ok);
	KUNIT_EXPECT_EQ(test, oxfrm_policy_default(&on, XFRM_POLICY_IN),
			XFRM_USERPOLICY_ACCEPT);
}

static void oxfrm_policy_test_info(struct xfrm_userpolicy_info *p, u16 family,
				   u8 dir)
{
	memset(p, 0, sizeof(*p));
	p->sel.family = family;
	p->dir = dir;
	p->action = XFRM_POLICY_ALLOW;
}

static void oxfrm_policy_test_verify_info(struct kunit *test)
{
	struct xfrm_userpolicy_info p;
	int dir;

	for (dir = 0; dir < XFRM_POLICY_MAX; dir++) {
		oxfrm_policy_test_info(&p, AF_INET, dir);
		KUNIT_EXPECT_EQ(test, oxfrm_policy_verify_info(&p, NULL), 0);
	}
	oxfrm_policy_test_info(&p, AF_INET, XFRM_POLICY_MAX);
	KUNIT_EXPECT_EQ(test, oxfrm_policy_verify_info(&p, NULL), -EINVAL);

	oxfrm_policy_test_info(&p, AF_INET, XFRM_POLICY_OUT);
	p.sel.prefixlen_s = 32;
	p.sel.prefixlen_d = 32;
	KUNIT_EXPECT_EQ(test, oxfrm_policy_verify_info(&p, NULL), 0);
	p.sel.prefixlen_s = 33;
	KUNIT_EXPECT_EQ(test, oxfrm_policy_verify_info(&p, NULL), -EINVAL);

	oxfrm_policy_test_info(&p, AF_INET6, XFRM_POLICY_IN);
	p.sel.prefixlen_d = 128;
	KUNIT_EXPECT_EQ(test, oxfrm_policy_verify_info(&p, NULL), 0);
	p.sel.prefixlen_d = 129;
	KUNIT_EXPECT_EQ(test, oxfrm_policy_verify_info(&p, NULL), -EINVAL);

	oxfrm_policy_test_info(&p, AF_UNSPEC, XFRM_POLICY_IN);
	KUNIT_EXPECT_EQ(test, oxfrm_policy_verify_info(&p, NULL), -EINVAL);

	oxfrm_policy_test_info(&p, AF_INET, XFRM_POLICY_OUT);
	p.action = 2;
	KUNIT_EXPECT_EQ(test, oxfrm_policy_verify_info(&p, NULL), -EINVAL);
	p.action = XFRM_POLICY_BLOCK;
	p.share = XFRM_SHARE_UNIQUE + 1;
	KUNIT_EXPECT_EQ(test, oxfrm_policy_verify_info(&p, NULL), -EINVAL);

	/* The index's low bits name its direction. */
	oxfrm_policy_test_info(&p, AF_INET, XFRM_POLICY_FWD);
	p.index = 0x100 | XFRM_POLICY_FWD;
	KUNIT_EXPECT_EQ(test, oxfrm_policy_verify_info(&p, NULL), 0);
	p.index = 0x100 | XFRM_POLICY_OUT;
	KUNIT_EXPECT_EQ(test, oxfrm_policy_verify_info(&p, NULL), -EINVAL);
}

static void oxfrm_policy_test_verify_tmpls(struct kunit *test)
{
	struct xfrm_user_tmpl ut[XFRM_MAX_DEPTH + 1];
	int i;

	memset(ut, 0, sizeof(ut));
	for (i = 0; i <= XFRM_MAX_DEPTH; i++) {
		ut[i].id.proto = IPPROTO_ESP;
		ut[i].mode = XFRM_MODE_TUNNEL;
	}
	KUNIT_EXPECT_EQ(test, oxfrm_policy_verify_tmpls(ut, XFRM_MAX_DEPTH, AF_INET,
							XFRM_POLICY_OUT, NULL), 0);
	/* A family of 0 takes the policy's. */
	KUNIT_EXPECT_EQ(test, ut[0].family, AF_INET);
	KUNIT_EXPECT_EQ(test, oxfrm_policy_verify_tmpls(ut, XFRM_MAX_DEPTH + 1,
							AF_INET, XFRM_POLICY_OUT,
							NULL), -EINVAL);

	/* Only tunnel and BEET modes may change the family. */
	ut[0].family = AF_INET6;
	KUNIT_EXPECT_EQ(test, oxfrm_policy_verify_tmpls(ut, 1, AF_INET,
							XFRM_POLICY_OUT, NULL), 0);
	ut[0].mode = XFRM_MODE_TRANSPORT;
	KUNIT_EXPECT_EQ(test, oxfrm_policy_verify_tmpls(ut, 1, AF_INET,
							XFRM_POLICY_OUT, NULL), -EINVAL);

	/* Optional tunnels only inbound. */
	ut[0].family = AF_INET;
	ut[0].mode = XFRM_MODE_TUNNEL;
	ut[0].optional = 1;
	KUNIT_EXPECT_EQ(test, oxfrm_policy_verify_tmpls(ut, 1, AF_INET,
							XFRM_POLICY_IN, NULL), 0);
	KUNIT_EXPECT_EQ(test, oxfrm_policy_verify_tmpls(ut, 1, AF_INET,
							XFRM_POLICY_OUT, NULL), -EINVAL);

	ut[0].optional = 0;
	ut[0].id.proto = IPPROTO_UDP;
	KUNIT_EXPECT_EQ(test, oxfrm_policy_verify_tmpls(ut, 1, AF_INET,
							XFRM_POLICY_OUT, NULL), -EINVAL);
	ut[0].id.proto = IPPROTO_AH;
	ut[0].mode = XFRM_MODE_MAX;
	KUNIT_EXPECT_EQ(test, oxfrm_policy_verify_tmpls(ut, 1, AF_INET,
							XFRM_POLICY_OUT, NULL), -EINVAL);
}

static struct kunit_case oxfrm_policy_test_cases[] = {
	KUNIT_CASE(oxfrm_policy_test_default_init),
	KUNIT_CASE(oxfrm_policy_test_default_set),
	KUNIT_CASE(oxfrm_policy_test_verify_info),
	KUNIT_CASE(oxfrm_policy_test_verify_tmpls),
	{ }
};

static struct kunit_suite oxfrm_policy_test_suite = {
	.name = "oxfrm_policy",
	.test_cases = oxfrm_policy_test_cases,
};

kunit_test_suite(oxfrm_policy_test_suite);
