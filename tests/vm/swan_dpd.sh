#!/bin/bash
# Dead peer detection and charon restarts on oxfrm. b's charon is killed
# (no DELETE sent): a's DPD finds b gone and clears its IKE_SA, and with
# it every SA and policy it had in oxfrm. b's charon is started again and
# a initiates anew: b's charon replaces the policies the killed one left
# (three, not six), and the new SAs carry traffic. Stopped with SIGTERM,
# a's charon leaves oxfrm empty, and started again it brings the tunnel
# back with exactly one pair of SAs.
# timeout: 240
. /oxfrm/tests/vm/lib/lib.sh
. /oxfrm/tests/vm/lib/esp.sh
. /oxfrm/tests/vm/lib/swan.sh
trap swan_stop_all EXIT

oxfrm_load
esp_topology

# child_opts SELF PEER
child_opts() {
	cat <<EOT
				esp_proposals = aes128-sha256
				local_ts = 10.$1.0.0/24
				remote_ts = 10.$2.0.0/24
				dpd_action = clear
EOT
}

count() {
	echo "$(ip netns exec "$1" ip -o xfrm state list | wc -l) SAs, $(ip netns exec "$1" ip -o xfrm policy list | grep -vc 'socket \(in\|out\)') policies"
}

up() {
	local out
	out=$(swanctl_in a --initiate --child net --timeout 60 2>&1) ||
		{ echo "$out" | tail -n 20; fail "initiate"; }
	swan_wait_child b net
	out=$(in_a ping -c 3 -i 0.2 -w 20 -I 10.1.0.1 10.2.0.1 2>&1)
	echo "$out" | grep -q ' 3 received' || fail "no traffic through the tunnel"
}

swan_pair_up "$(swan_psk_conf 1 2 dpd net "		dpd_delay = 2s" "$(child_opts 1 2)")" \
	"$(swan_psk_conf 2 1 dpd net "		dpd_delay = 2s" "$(child_opts 2 1)")"
up
echo "up: a $(count a), b $(count b)"

echo "# b's charon killed"
swan_stop b KILL
for n in $(seq 60); do
	[ "$(count a)" = "0 SAs, 0 policies" ] && break
	sleep 1
done
echo "after ${n}s: a $(count a), b $(count b)"
expect_eq "a after DPD" "$(count a)" "0 SAs, 0 policies"
grep -q 'DPD\|retransmit' "$(swan_dir a)/charon.log" || fail "a's charon did no DPD"
expect_eq "IKE_SA in a" "$(swan_ike a dpd)" none

echo "# b's charon started again"
swan_up b
up
echo "up again: a $(count a), b $(count b)"
expect_eq "a" "$(count a)" "2 SAs, 3 policies"
# The killed charon's SAs stay until their hard lifetime (as with the
# stock kernel); its policies were replaced, not duplicated.
expect_eq "b's policies" "$(ip netns exec b ip -o xfrm policy list | grep -vc 'socket \(in\|out\)')" 3

echo "# a's charon stopped (SIGTERM) and started again"
swan_stop a
expect_eq "a stopped" "$(count a)" "0 SAs, 0 policies"
swan_up a
up
expect_eq "a restarted" "$(count a)" "2 SAs, 3 policies"
esp_no_errors "swan_dpd"
