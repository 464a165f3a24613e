#!/bin/bash
# Load the KUnit build of oxfrm.ko, then oxfrm_kunit.ko: the kernel runs
# the suites as that module loads. Prints their KTAP results, which the
# host counts case by case.
# timeout: 600
. /oxfrm/tests/vm/lib/lib.sh

[ -d /sys/kernel/debug/kunit ] || skip "kernel without KUnit"
oxfrm_deps
insmod "$KUNIT_KO" || fail "insmod of the KUnit build of oxfrm failed"
insmod "${KUNIT_KO%/*}/oxfrm_kunit.ko" || fail "insmod oxfrm_kunit failed"
n=0
for r in /sys/kernel/debug/kunit/oxfrm_*/results; do
	cat "$r"
	n=$((n + 1))
done
rmmod oxfrm_kunit oxfrm || fail "rmmod of the KUnit build failed"
[ "$n" -gt 0 ] || fail "no oxfrm suites ran"
