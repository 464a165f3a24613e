// SPDX-License-Identifier: GPL-2.0
/*
 * oxfrm_kunit.ko: the KUnit suites of tests/kunit, run by the kernel when
 * this module loads, after the oxfrm.ko of the same build is live.
 */

#include <linux/module.h>

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("oxfrm: KUnit suites");
MODULE_SOFTDEP("pre: oxfrm");
