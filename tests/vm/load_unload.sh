#!/bin/bash
# Load and unload oxfrm 25 times (6 under KASAN, where each cycle takes
# up to 15 s) with namespaces created before, during and after each load, and
# destroyed while it is loaded or after it is gone; every namespace must
# get its counters and sysctls while oxfrm is loaded and keep nothing
# after. On the debug kernel, kmemleak must find nothing.
# timeout: 1200
. /oxfrm/tests/vm/lib/lib.sh

cycles=25
[ "$GUEST_KERNEL" = debug ] && cycles=6
kmemleak_available && kmemleak_clear
for i in $(seq 1 $cycles); do
	ip netns add pre$i || fail "netns add"
	oxfrm_load
	ip netns add during$i || fail "netns add"
	for ns in pre$i during$i; do
		ip netns exec $ns test -r /proc/net/oxfrm_stat ||
			fail "cycle $i: namespace $ns has no /proc/net/oxfrm_stat"
		v=$(ip netns exec $ns cat /proc/sys/net/oxfrm/larval_drop) ||
			fail "cycle $i: namespace $ns has no net.oxfrm"
		expect_eq "cycle $i: $ns larval_drop" "$v" 1
		ip netns exec $ns ip link set lo up
		ip netns exec $ns rawsend -p 50 -d 127.0.0.1 -n 2 || fail "rawsend"
		expect_eq "cycle $i: $ns XfrmInNoStates" "$(counter XfrmInNoStates $ns)" 2
		# NETLINK_XFRM is answered by oxfrm, not by an autoloaded xfrm_user.
		ip netns exec $ns ip xfrm state list >/dev/null 2>&1
	done
	[ -d /sys/module/xfrm_user ] && fail "cycle $i: xfrm_user got loaded"
	ip netns del pre$i
	oxfrm_unload
	ip netns del during$i
	[ -e /proc/net/oxfrm_stat ] && fail "cycle $i: /proc/net/oxfrm_stat left behind"
	[ -e /proc/sys/net/oxfrm ] && fail "cycle $i: net.oxfrm left behind"
done
ip netns add after
ip netns exec after test -e /proc/net/oxfrm_stat && fail "counters in a namespace made after unload"
ip netns del after
echo "$cycles load/unload cycles done"

if kmemleak_available; then
	# Let namespace teardown (a workqueue) finish before scanning.
	sleep 2
	leaks=$(kmemleak_report)
	[ -z "$leaks" ] || { echo "$leaks" | head -60; fail "kmemleak reports leaks"; }
	echo "kmemleak: nothing suspected"
else
	echo "no kmemleak on this kernel"
fi
