#!/bin/bash
# The stock kernel's side of tests/vm/swan_stock.sh (host b): charon on
# xfrm_user, esp4 and esp6, with the shared configuration; it initiates
# IKE_SA v6 itself, again whenever it is gone (a's charon refuses it
# until its configuration is loaded), answers pings, and logs what charon
# has (and its log) until the host stops it.
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
seen=0
log=$(swan_dir b)/charon.log
while :; do
	sleep 5
	# charon's own log, for when a test fails (scripts/vm.sh shows it).
	n=$(wc -l <"$log")
	[ "$n" -gt "$seen" ] && sed -n "$((seen + 1)),${n}p" "$log" | sed 's/^/peer charon: /'
	seen=$n
	# No IKE_SA v6 at all: initiate it. --timeout 1: charon goes on
	# with the exchange (retransmitting as long as a is silent) and the
	# loop does too. Its second child waits for the first.
	if ! swanctl_in b --list-sas --ike v6 2>/dev/null | grep -q '^v6:'; then
		swanctl_in b --initiate --child chacha6 --timeout 1 >/dev/null 2>&1
	elif [ "$(swan_child b chacha6 | cut -d' ' -f1)" = INSTALLED ] &&
	     [ "$(swan_child b sha256v6)" = none ]; then
		swanctl_in b --initiate --child sha256v6 --timeout 30 >/dev/null 2>&1
	fi
	now=$(swanctl_in b --list-sas 2>/dev/null | grep -E 'ESTABLISHED|INSTALLED' | awk '{ print $1, $2, $4 }' | tr '\n' ' ')
	[ "$now" = "$last" ] || echo "peer SAs: $now"
	last=$now
	dmesg -c | grep -iE 'warn|bug|oops|error' | sed 's/^/peer dmesg: /'
done
