#!/bin/bash
# The stock kernel's side of tests/vm/swan_stock.sh (host b): charon on
# xfrm_user, esp4 and esp6, with the shared configuration; it initiates
# IKE_SA v6 itself, answers pings, and logs what charon has until the
# host stops it.
. /oxfrm/tests/vm/lib/lib.sh
. /oxfrm/tests/vm/lib/swan.sh
. /oxfrm/tests/vm/lib/swan_stock.sh
for m in xfrm_user esp4 esp6; do
	modprobe $m
done
dev=$(peer_link) || fail "no link"
swan_stock_host b "$dev" 2
echo "peer: charon up on $dev"
last=
while :; do
	sleep 5
	now=$(swanctl_in b --list-sas 2>/dev/null | grep -E 'ESTABLISHED|INSTALLED' | awk '{ print $1, $2, $4 }' | tr '\n' ' ')
	[ "$now" = "$last" ] || echo "peer SAs: $now"
	last=$now
	dmesg -c | grep -iE 'warn|bug|oops|error' | sed 's/^/peer dmesg: /'
done
