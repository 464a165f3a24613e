#!/bin/bash
# On-demand tunnels: a's CHILD_SA has start_action = trap, so charon only
# installs policies; the first packet makes oxfrm raise ACQUIRE, and
# charon brings the tunnel up. With net.oxfrm.larval_drop = 1 that first
# packet is dropped (XfrmOutNoStates); with 0 oxfrm holds it and sends it
# once the SAs are in, so the first pings arrive.
# timeout: 240
. /oxfrm/tests/vm/lib/lib.sh
. /oxfrm/tests/vm/lib/esp.sh
. /oxfrm/tests/vm/lib/swan.sh
trap swan_stop_all EXIT

oxfrm_load
esp_topology

# child_opts SELF PEER START_ACTION
child_opts() {
	cat <<EOT
				esp_proposals = aes256gcm16
				local_ts = 10.$1.0.0/24
				remote_ts = 10.$2.0.0/24
				start_action = $3
EOT
}
swan_pair_up "$(swan_psk_conf 1 2 trap net "" "$(child_opts 1 2 trap)")" \
	"$(swan_psk_conf 2 1 trap net "" "$(child_opts 2 1 none)")"
in_a ip -o xfrm policy list | grep -qE 'src 10.1.0.0/24 dst 10.2.0.0/24.*dir out' ||
	fail "no trap policy in a"
expect_eq "SAs before the first packet" "$(in_a ip -o xfrm state list | wc -l)" 0

for drop in 1 0; do
	echo "# larval_drop $drop"
	in_a sysctl -qw net.oxfrm.larval_drop=$drop
	before=$(snapshot a)
	in_a ping -c 3 -i 0.5 -W 8 -I 10.1.0.1 10.2.0.1 >/tmp/ping.out 2>&1
	got=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' /tmp/ping.out)
	moved=$(moved "$before" "$(snapshot a)")
	swan_wait_child a net
	acquires=$(grep -c 'creating acquire job' "$(swan_dir a)/charon.log")
	echo "first 3 pings: $got received; counters: ${moved:-none}; acquires so far: $acquires"
	if [ $drop = 1 ]; then
		# While charon negotiates, every packet meets the larval
		# state and is dropped: at least the first.
		[ "$got" -lt 3 ] || fail "larval_drop 1: the first ping was not dropped"
		echo "$moved" | grep -q 'XfrmOutNoStates=' ||
			fail "larval_drop 1: no drop counted"
		expect_eq "acquires" "$acquires" 1
	else
		expect_eq "larval_drop 0: pings received" "$got" 3
		expect_eq "larval_drop 0: counters" "$moved" ""
		expect_eq "acquires" "$acquires" 2
	fi
	out=$(in_a ping -c 3 -i 0.2 -w 20 -I 10.1.0.1 10.2.0.1 2>&1)
	echo "$out" | grep -q ' 3 received' || fail "no traffic once the tunnel is up"
	# Back to the trap alone: the policy stays, the SAs go.
	swanctl_in a --terminate --ike trap >/dev/null 2>&1 || fail "terminate"
	sleep 1
	expect_eq "SAs after terminate" "$(in_a ip -o xfrm state list | wc -l)" 0
	in_a ip -o xfrm policy list | grep -qE 'src 10.1.0.0/24 dst 10.2.0.0/24.*dir out' ||
		fail "the trap policy went with the tunnel"
done
