#!/bin/bash
# net.oxfrm.* has the stock kernel's defaults in every namespace (but
# acq_expires, 0: as net.core.xfrm_acq_expires), changes in one namespace
# stay there, and out-of-range values are refused.
# timeout: 300
. /oxfrm/tests/vm/lib/lib.sh

oxfrm_load
ip netns add a
ip netns add b
for ns in "" a b; do
	run=""
	[ -n "$ns" ] && run="ip netns exec $ns"
	expect_eq "larval_drop ($ns)" "$($run sysctl -n net.oxfrm.larval_drop)" 1
	expect_eq "acq_expires ($ns)" "$($run sysctl -n net.oxfrm.acq_expires)" 0
	expect_eq "aevent_etime ($ns)" "$($run sysctl -n net.oxfrm.aevent_etime)" 10
	expect_eq "aevent_rseqth ($ns)" "$($run sysctl -n net.oxfrm.aevent_rseqth)" 2
done

ip netns exec a sysctl -w net.oxfrm.larval_drop=0 >/dev/null || fail "set larval_drop"
ip netns exec a sysctl -w net.oxfrm.acq_expires=5 >/dev/null || fail "set acq_expires"
expect_eq "a larval_drop" "$(ip netns exec a sysctl -n net.oxfrm.larval_drop)" 0
expect_eq "b larval_drop" "$(ip netns exec b sysctl -n net.oxfrm.larval_drop)" 1
expect_eq "init larval_drop" "$(sysctl -n net.oxfrm.larval_drop)" 1
expect_eq "a acq_expires" "$(ip netns exec a sysctl -n net.oxfrm.acq_expires)" 5
expect_eq "b acq_expires" "$(ip netns exec b sysctl -n net.oxfrm.acq_expires)" 0

echo 2 >/proc/sys/net/oxfrm/larval_drop 2>/dev/null && fail "larval_drop=2 accepted"
echo -1 >/proc/sys/net/oxfrm/acq_expires 2>/dev/null && fail "acq_expires=-1 accepted"
expect_eq "larval_drop after refused write" "$(sysctl -n net.oxfrm.larval_drop)" 1
expect_eq "acq_expires after refused write" "$(sysctl -n net.oxfrm.acq_expires)" 0

ip netns del a
ip netns del b
oxfrm_unload
