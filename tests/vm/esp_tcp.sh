#!/bin/bash
# TCP and UDP through oxfrm tunnels between two hosts (tests/vm/lib/esp.sh):
# 8 MB (4 under KASAN) of random data cross each way over TCP and arrive
# intact (TCP segments offloaded as GSO on veth are segmented and
# encrypted; the MD5 sums must match), the tunnel's MTU reaches the
# senders (ICMP fragmentation needed / Packet Too Big and the route's PMTU;
# in transport mode, the MSS of the SYNs that arrive over ESP) so that no
# ESP packet on the link is fragmented, and UDP datagrams
# arrive.
# timeout: 600
. /oxfrm/tests/vm/lib/lib.sh
. /oxfrm/tests/vm/lib/esp.sh

oxfrm_load
esp_topology
data=$(mktemp)
mb=8
[ "$GUEST_KERNEL" = debug ] && mb=4
head -c $((mb * 1048576)) /dev/urandom >"$data"
sum=$(md5sum <"$data")

# xfer FROM TO DSTADDR: $data over TCP; prints the MD5 of what arrived.
xfer() {
	local got
	got=$(mktemp)
	ip netns exec "$2" timeout 60 nc -l -p 5001 >"$got" &
	tcp_listening "$2" 5001
	ip netns exec "$1" timeout 60 bash -c "cat $data >/dev/tcp/$3/5001"
	wait
	md5sum <"$got"
	rm -f "$got"
}

# tcp NAME MODE OUTER INNER ALG...: $data a->b, then b->a.
spi=8192
tcp() {
	local name=$1 mode=$2 outer=$3 inner=$4 src dst cap frags
	shift 4
	esp_pair "$mode" "$outer" "$inner" "$spi" "$@"
	src=$(esp_addr a inner "$inner")
	dst=$(esp_addr b inner "$inner")
	if [ "$mode" = transport ]; then
		src=$(esp_addr a outer "$outer")
		dst=$(esp_addr b outer "$outer")
	fi
	cap=$(mktemp)
	ip netns exec b timeout 60 tcpdump -n -i vb -w "$cap" esp 2>"$cap.err" &
	capturing "$cap.err"
	[ "$(xfer a b "$dst")" = "$sum" ] || fail "$name: TCP a->b: data lost or damaged"
	[ "$(xfer b a "$src")" = "$sum" ] || fail "$name: TCP b->a: data lost or damaged"
	echo "$name: $mb MB each way over TCP, intact"
	kill %1 2>/dev/null
	wait
	frags=$(tcpdump -n -r "$cap" 'ip[6:2] & 0x3fff != 0 or ip6[6] == 44' 2>/dev/null | wc -l)
	echo "$name: $(tcpdump -n -r "$cap" 2>/dev/null | wc -l) ESP packets, $frags fragmented"
	# Transport mode shares its route with the ESP packets: the MSS of
	# the SYNs that come in over ESP is lowered instead (src/input/mss.c).
	[ "$frags" = 0 ] ||
		fail "$name: ESP fragmented: the tunnel MTU did not reach TCP"
	esp_no_errors "$name"
	rm -f "$cap" "$cap.err"
	esp_flush
	spi=$((spi + 16))
}

CBC="enc cbc(aes) $K16 auth-trunc hmac(sha256) $K32 128"
tcp "tunnel 4in4 gcm" tunnel 4 4 $GCM
tcp "tunnel 6in6 gcm" tunnel 6 6 $GCM
tcp "transport v4 cbc-sha256" transport 4 4 $CBC
tcp "tunnel 4in6 gcm" tunnel 6 4 $GCM

# DF packets too big for the tunnel: the sender learns the MTU. For
# AES-GCM (8-byte IV, 16-byte ICV, 4-byte alignment) in IPv4 tunnel mode
# over a 1500-byte link: ((1500 - 20 - 8 - 8 - 16) & ~3) - 2 = 1446, the
# stock kernel's esp4_get_mtu().
ip netns exec a ip route flush cache
esp_pair tunnel 4 4 9000 $GCM
out=$(ip netns exec a ping -c 2 -M do -s 1472 -I 10.1.0.1 10.2.0.1 2>&1)
echo "$out" | grep -m1 -E -o 'mtu ?= ?[0-9]+' || { echo "$out"; fail "no MTU for a DF packet"; }
echo "$out" | grep -q -E 'mtu ?= ?1446' || fail "the MTU told is not 1446"
mtu=$(ip netns exec a ip route get 10.2.0.1 from 10.1.0.1 | grep -o 'mtu [0-9]*')
echo "route to 10.2.0.1: ${mtu:-no PMTU}"
[ "$mtu" = "mtu 1446" ] || fail "route PMTU: '$mtu', want 'mtu 1446'"
# Without DF: the ESP packet is fragmented instead, and arrives.
ip netns exec a ping -c 2 -M dont -s 1472 -I 10.1.0.1 10.2.0.1 >/dev/null ||
	fail "a packet without DF did not get through"
esp_flush

# UDP: 2000 datagrams of 1000 bytes; nearly all must arrive.
esp_pair tunnel 4 4 9100 $GCM
ip netns exec b iperf3 -s -D -1 -B 10.2.0.1 >/dev/null 2>&1
tcp_listening b 5201
lost=$(ip netns exec a timeout 60 iperf3 -J -u -c 10.2.0.1 -B 10.1.0.1 -l 1000 -b 4M -n 2000000 |
	awk -F'[:,]' '/"lost_percent"/ { print int($2); exit }')
echo "UDP 4in4: ${lost:-?}% lost"
[ -n "$lost" ] && [ "$lost" -le 5 ] || fail "UDP: ${lost:-all}% lost"
esp_flush
oxfrm_unload
