#!/bin/bash
# ESP in UDP (RFC 3948) between two oxfrm hosts: tunnel and transport
# mode, IPv4 and IPv6, on port 4500 and on a port the SAs name; the link
# shows UDP and no bare ESP. On port 4500, IKE (the non-ESP marker) still
# reaches a socket there, NAT keepalives are consumed, and a datagram too
# short for ESP counts in XfrmInHdrError. A peer sending from another port
# than its SA says raises XFRM_MSG_MAPPING, and its packets still pass.
# timeout: 300
. /oxfrm/tests/vm/lib/lib.sh
. /oxfrm/tests/vm/lib/esp.sh

# run NAME MODE FAMILY SPORT DPORT: SAs with encapsulation (a sends from
# SPORT to DPORT, b back from DPORT to SPORT), pings a -> b, and checks
# the link carried UDP between those ports, and no bare ESP.
run() {
	local name=$1 mode=$2 f=$3 sp=$4 dp=$5 cap src dst n a2b b2a bare tpid oa ob
	esp_pair "$mode" "$f" "$f" 0x3000 $GCM encap espinudp "$sp" "$dp" 0.0.0.0
	# b's SAs are b's: its own sends go from DPORT.
	in_b ip xfrm state update src "$(esp_addr b outer "$f")" dst "$(esp_addr a outer "$f")" proto esp spi 0x3001 reqid 1 mode "$mode" $GCM encap espinudp "$dp" "$sp" 0.0.0.0
	in_a ip xfrm state update src "$(esp_addr b outer "$f")" dst "$(esp_addr a outer "$f")" proto esp spi 0x3001 reqid 1 mode "$mode" $GCM encap espinudp "$dp" "$sp" 0.0.0.0
	src=$(esp_addr a inner "$f") dst=$(esp_addr b inner "$f")
	[ "$mode" = transport ] && src=$(esp_addr a outer "$f") dst=$(esp_addr b outer "$f")
	cap=$(mktemp)
	ip netns exec b timeout 30 tcpdump -l -n -i vb "udp or esp" >"$cap" 2>"$cap.err" &
	tpid=$!
	capturing "$cap.err"
	in_a ping -c 3 -i 0.2 -w 20 -I "$src" "$dst" >/dev/null 2>&1
	n=$?
	sleep 0.5
	kill $tpid
	wait $tpid 2>/dev/null
	oa=$(esp_addr a outer "$f") ob=$(esp_addr b outer "$f")
	a2b=$(grep -c " $oa\.$sp > $ob\.$dp: " "$cap")
	b2a=$(grep -c " $ob\.$dp > $oa\.$sp: " "$cap")
	bare=$(grep -v UDP-encap "$cap" | grep -c 'ESP(')
	echo "$name: ping $([ $n = 0 ] && echo ok || echo failed), link: $a2b UDP a->b, $b2a UDP b->a, $bare bare ESP"
	[ $n = 0 ] || fail "$name: ping failed"
	[ "$a2b" = 3 ] || fail "$name: not 3 UDP packets a -> b"
	[ "$b2a" = 3 ] || fail "$name: not 3 UDP packets b -> a"
	[ "$bare" = 0 ] || fail "$name: bare ESP on the link"
	esp_no_errors "$name"
	esp_flush
}

oxfrm_load
esp_topology

run "tunnel 4in4, port 4500" tunnel 4 4500 4500
run "tunnel 6in6, port 4500" tunnel 6 4500 4500
run "transport IPv4" transport 4 4500 4500
run "transport IPv6" transport 6 4500 4500
run "tunnel 4in4, ports 4501 -> 5000" tunnel 4 4501 5000
esp_no_errors "NAT-T traffic"

# Port 4500 without an SA: IKE to the socket, keepalives eaten, short
# datagrams counted.
rm -f /tmp/ike.out
in_b sockpol -d out -a allow -r 4500 -w 30 >/tmp/ike.out &
listening /tmp/ike.out
provoke b "" in_a bash -c 'printf "\xff" >/dev/udp/192.0.2.2/4500'
provoke b "" in_a bash -c 'printf "\0\0\0\0ike" >/dev/udp/192.0.2.2/4500'
wait
cat /tmp/ike.out
grep -q 'received 7 bytes' /tmp/ike.out || fail "IKE on port 4500 did not reach the socket (or a keepalive did)"
provoke b "XfrmInHdrError=1" in_a bash -c 'printf "abcde" >/dev/udp/192.0.2.2/4500'

# a sends from 4600 where b's SA says 4500: MAPPING, traffic unhurt.
esp_pair tunnel 4 4 0x4000 $GCM encap espinudp 4500 4500 0.0.0.0
in_a ip xfrm state update src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x4000 reqid 1 mode tunnel $GCM encap espinudp 4600 4500 0.0.0.0
ip netns exec b ip xfrm monitor >/tmp/mapping.out &
mon=$!
monitor_wait b
in_a ping -c 3 -i 0.2 -w 20 -I 10.1.0.1 10.2.0.1 >/dev/null || fail "ping with a moved peer port"
sleep 0.5
kill $mon
wait $mon 2>/dev/null
cat /tmp/mapping.out
n=$(grep -ci 'mapping' /tmp/mapping.out)
echo "MAPPING messages: $n"
[ "$n" = 3 ] || fail "want a MAPPING per packet without a threshold, got $n"
grep -q '192.0.2.1:4600' /tmp/mapping.out || fail "the MAPPING does not name the new port"
esp_flush
oxfrm_unload
