#!/bin/bash
# /proc/net/oxfrm_stat lists exactly the kernel's XFRM counters, in the
# kernel's format, and each namespace counts only its own packets.
# timeout: 300
. /oxfrm/tests/vm/lib/lib.sh

oxfrm_load
names=$(awk '{ print $1 }' /proc/net/oxfrm_stat)
n=$(echo "$names" | wc -l)
echo "oxfrm_stat has $n counters"
case $(uname -r) in
6.1.*) expect_eq "number of counters on 6.1" "$n" 28 ;;
esac
if [ -r /proc/net/xfrm_stat ]; then
	want=$(awk '{ print $1 }' /proc/net/xfrm_stat)
	[ "$names" = "$want" ] ||
		fail "names differ from /proc/net/xfrm_stat: $(diff <(echo "$want") <(echo "$names"))"
	# Same layout byte for byte (values are all zero in both so far).
	cmp -s /proc/net/oxfrm_stat /proc/net/xfrm_stat ||
		fail "layout differs from /proc/net/xfrm_stat"
fi
awk '$2 != 0 { bad = 1 } END { exit bad }' /proc/net/oxfrm_stat ||
	fail "counters not zero after load"

ip netns add a
ip netns add b
for ns in a b; do ip netns exec $ns ip link set lo up; done

# Unknown SPIs (no SAD yet) and packets too short for an SPI, in a only.
ip netns exec a rawsend -p 50 -d 127.0.0.1 -n 5 || fail "rawsend v4"
ip netns exec a rawsend -6 -p 50 -d ::1 -n 2 || fail "rawsend v6"
ip netns exec a rawsend -p 50 -d 127.0.0.1 -l 4 -n 3 || fail "rawsend short"
sleep 1
expect_eq "a XfrmInNoStates" "$(counter XfrmInNoStates a)" 7
expect_eq "a XfrmInHdrError" "$(counter XfrmInHdrError a)" 3
expect_eq "b XfrmInNoStates" "$(counter XfrmInNoStates b)" 0
expect_eq "b XfrmInHdrError" "$(counter XfrmInHdrError b)" 0
expect_eq "init XfrmInNoStates" "$(counter XfrmInNoStates)" 0
ip netns exec b rawsend -p 50 -d 127.0.0.1 -n 1 || fail "rawsend b"
sleep 1
expect_eq "b XfrmInNoStates" "$(counter XfrmInNoStates b)" 1
expect_eq "a XfrmInNoStates" "$(counter XfrmInNoStates a)" 7
# The kernel's own XFRM saw none of it.
if [ -r /proc/net/xfrm_stat ]; then
	v=$(ip netns exec a awk '$1 == "XfrmInNoStates" { print $2 }' /proc/net/xfrm_stat)
	expect_eq "kernel's own XfrmInNoStates in a" "$v" 0
fi
ip netns exec a cat /proc/net/oxfrm_stat
ip netns del a
ip netns del b
oxfrm_unload
