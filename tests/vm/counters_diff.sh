#!/bin/bash
# The receive path's counters against the stock kernel's: the same ESP
# packets (an unknown SPI, a larval SA's SPI, too short for an SPI, IPv4
# and IPv6) move the same counters by the same amounts.
# timeout: 300
. /oxfrm/tests/vm/lib/lib.sh

# feed STATFILE: in a fresh namespace, one larval SA and some ESP; prints
# the counters that moved.
feed() {
	ip netns add cnt || fail "netns add"
	ip netns exec cnt ip link set lo up
	ip netns exec cnt ip xfrm state allocspi src 127.0.0.1 dst 127.0.0.1 \
		proto esp min 0x1234 max 0x1234 >/dev/null || fail "allocspi"
	ip netns exec cnt rawsend -p 50 -d 127.0.0.1 -s 0x1234 -n 3 || fail "rawsend"
	ip netns exec cnt rawsend -p 50 -d 127.0.0.1 -s 0x9999 -n 2 || fail "rawsend"
	ip netns exec cnt rawsend -p 50 -d 127.0.0.1 -l 4 -n 1 || fail "rawsend"
	ip netns exec cnt rawsend -6 -p 50 -d ::1 -s 0x1234 -n 4 || fail "rawsend"
	sleep 1
	ip netns exec cnt awk '$2 != 0' "$1"
	ip netns del cnt
}

modprobe xfrm_user && modprobe esp4 && modprobe esp6 || fail "cannot load the stock stack"
stock=$(feed /proc/net/xfrm_stat)
rmmod esp6 esp4 xfrm_user || fail "cannot unload the stock stack"
rmmod xfrm_algo 2>/dev/null

oxfrm_load
ours=$(feed /proc/net/oxfrm_stat)
oxfrm_unload

echo "stock kernel:"
echo "$stock"
echo "oxfrm:"
echo "$ours"
[ -n "$stock" ] || fail "the stock kernel counted nothing: the test is broken"
[ "$stock" = "$ours" ] || fail "counters differ from the stock kernel"
