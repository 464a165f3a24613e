// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the per-direction default action for traffic no policy matches.
 */

#include <kunit/test.h>
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

static struct kunit_case oxfrm_policy_test_cases[] = {
	KUNIT_CASE(oxfrm_policy_test_default_init),
	KUNIT_CASE(oxfrm_policy_test_default_set),
	{ }
};

static struct kunit_suite oxfrm_policy_test_suite = {
	.name = "oxfrm_policy",
	.test_cases = oxfrm_policy_test_cases,
};

kunit_test_suite(oxfrm_policy_test_suite);
