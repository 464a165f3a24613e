#!/bin/bash
# Load the KUnit build of oxfrm.ko: the kernel runs its suites on load.
# Prints their KTAP results, which the host counts case by case.
# timeout: 600
. /oxfrm/tests/vm/lib/lib.sh

[ -d /sys/kernel/debug/kunit ] || skip "kernel without KUnit"
insmod "$KUNIT_KO" || fail "insmod of the KUnit build failed"
n=0
for r in /sys/kernel/debug/kunit/oxfrm_*/results; do
	cat "$r"
	n=$((n + 1))
done
rmmod oxfrm || fail "rmmod of the KUnit build failed"
[ "$n" -gt 0 ] || fail "no oxfrm suites ran"
