#!/bin/bash
# The stock kernel's side of tests/vm/interop.sh (side b): xfrm_user, esp4
# and esp6 configured with the same `ip xfrm` commands, then it answers
# pings and serves iperf3 until the host stops it.
. /oxfrm/tests/vm/lib/lib.sh
. /oxfrm/tests/vm/lib/interop.sh
for m in xfrm_user esp4 esp6; do
	modprobe $m
done
dev=$(peer_link) || fail "no link"
# ESP in UDP reaches the stock kernel's XFRM through a socket, as charon's.
/oxfrm/bin/encapsock 4500 &
interop_setup b "$dev"
echo "peer: $(ip xfrm state count), $(ip xfrm policy count) on $dev"
iperf3 -s -D
# The stock kernel's drop counters, in this guest's log when they move.
last=
while :; do
	sleep 5
	now=$(awk '$2 != 0' /proc/net/xfrm_stat | tr '\n' ' ')
	[ "$now" = "$last" ] || echo "peer counters: $now"
	last=$now
done
