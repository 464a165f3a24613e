#!/bin/bash
# The larval hold queue (net.oxfrm.larval_drop = 0): packets that wait for
# an SA are held on their policy, not dropped, and arrive once the SA is
# in, including when the key manager replaces the policy (UPDPOLICY, as
# strongSwan does with its trap policy). At most 100 are held: the rest
# count in XfrmOutNoStates. Deleting the policy drops what it held, in
# XfrmOutPolDead.
#
# b is fully configured; a has its policies but no SA until the test adds
# them, with `ip xfrm monitor acquire` as its key manager.
# timeout: 300
. /oxfrm/tests/vm/lib/lib.sh
. /oxfrm/tests/vm/lib/esp.sh

# states NS: the b->a and a->b SAs in NS; inbound first, as strongSwan
# installs them, so that the replies to what a held find their SA.
states() {
	ip netns exec "$1" ip xfrm state add src 192.0.2.2 dst 192.0.2.1 proto esp spi 0x1001 reqid 1 mode tunnel $GCM ||
		fail "state b->a in $1"
	ip netns exec "$1" ip xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x1000 reqid 1 mode tunnel $GCM ||
		fail "state a->b in $1"
}

# setup: b keyed, a with policies only.
setup() {
	esp_flush
	states b
	esp_policies a a b tunnel 4 4 1
	esp_policies b b a tunnel 4 4 1
}

# b_received: packets b's a->b SA has taken in.
b_received() {
	in_b ip -s xfrm state get src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x1000 |
		awk '/^[ \t]*[0-9]+\(bytes\)/ { sub(/.*, */, ""); sub(/\(packets\).*/, ""); print; exit }'
}

# udp_burst N: N datagrams a -> b, each from a socket of its own.
cat >/tmp/burst.sh <<'EOF'
for i in $(seq "$1"); do
	echo x >/dev/udp/10.2.0.1/9
done
EOF
udp_burst() {
	in_a bash /tmp/burst.sh "$1"
}

oxfrm_load
esp_topology
in_a sysctl -qw net.oxfrm.larval_drop=0 || fail "larval_drop"
ip netns exec a ip xfrm monitor acquire >/tmp/acquire.out &
mon=$!
trap 'kill $mon 2>/dev/null' EXIT
monitor_wait a

# Pings held, then sent when the SA comes and the policy is replaced.
setup
in_a ping -c 5 -i 0.2 -W 5 -I 10.1.0.1 10.2.0.1 >/tmp/ping.out 2>&1 &
ping=$!
sleep 1.5
states a
in_a ip xfrm policy update src 10.1.0.1/32 dst 10.2.0.1/32 dir out \
	tmpl src 192.0.2.1 dst 192.0.2.2 proto esp reqid 1 mode tunnel
wait $ping
cat /tmp/ping.out
grep -q '5 packets transmitted, 5 received' /tmp/ping.out || {
	esp_errors a
	in_a ip -s xfrm state
	in_a ip -s xfrm policy
	fail "held pings were lost"
}
grep -c '^acquire' /tmp/acquire.out | grep -qx 1 || fail "not exactly one ACQUIRE"
esp_no_errors "held pings"

# 150 datagrams: 100 held and delivered, 50 counted.
setup
provoke a "XfrmOutNoStates=50" udp_burst 150
states a
for i in $(seq 20); do
	[ "$(b_received)" = 100 ] && break
	sleep 0.5
done
echo "b received $(b_received) of the held datagrams"
expect_eq "held datagrams delivered" "$(b_received)" 100

# A policy deleted drops what it held.
setup
burst_and_delete() {
	udp_burst 10
	sleep 0.3
	in_a ip xfrm policy delete src 10.1.0.1/32 dst 10.2.0.1/32 dir out
}
provoke a "XfrmOutPolDead=10" burst_and_delete

kill $mon
wait $mon 2>/dev/null
esp_flush
oxfrm_unload
