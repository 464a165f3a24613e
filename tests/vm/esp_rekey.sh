#!/bin/bash
# Rekeying under traffic: two SA pairs with one reqid on both hosts, the
# outbound SPI switched with UPDPOLICY (the template names the SPI) while a
# pings b at 50 packets a second: no packet is lost, and the link shows
# the old SPIs, then the new ones. Then the newest valid SA is taken when
# the template names none, and deleting it falls back to the older one.
# timeout: 300
. /oxfrm/tests/vm/lib/lib.sh
. /oxfrm/tests/vm/lib/esp.sh

K20B=0x202122232425262728292a2b2c2d2e2f30313233

oxfrm_load
esp_topology
for ns in a b; do
	for s in 0x100:$K20 0x200:$K20B; do
		spi=${s%%:*} key=${s#*:}
		ip netns exec $ns ip xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp spi "$spi" reqid 7 mode tunnel aead 'rfc4106(gcm(aes))' "$key" 128
		ip netns exec $ns ip xfrm state add src 192.0.2.2 dst 192.0.2.1 proto esp spi $((spi + 1)) reqid 7 mode tunnel aead 'rfc4106(gcm(aes))' "$key" 128
	done
done
# policy NS SELF PEER SPI-OUT [update]
policy() {
	local ns=$1 self=$2 peer=$3 spi=$4 cmd=${5:-add}
	ip netns exec "$ns" ip xfrm policy "$cmd" src "$(esp_addr "$self" inner 4)/32" dst "$(esp_addr "$peer" inner 4)/32" dir out \
		tmpl src "$(esp_addr "$self" outer 4)" dst "$(esp_addr "$peer" outer 4)" proto esp spi "$spi" reqid 7 mode tunnel ||
		fail "policy $cmd in $ns"
}
policy a a b 0x100
policy b b a 0x101
for ns in a b; do
	self=$ns; [ $ns = a ] && peer=b || peer=a
	ip netns exec $ns ip xfrm policy add src "$(esp_addr $peer inner 4)/32" dst "$(esp_addr $self inner 4)/32" dir in \
		tmpl src "$(esp_addr $peer outer 4)" dst "$(esp_addr $self outer 4)" proto esp reqid 7 mode tunnel
done

cap=$(mktemp)
ip netns exec b timeout 90 tcpdump -l -n -i vb esp >"$cap" 2>"$cap.err" &
tpid=$!
capturing "$cap.err"
# -w: a reply that comes late still counts. Without it ping waits twice
# the slowest round trip so far for the last one, which KASAN can exceed.
ip netns exec a ping -c 250 -i 0.02 -w 60 -I 10.1.0.1 10.2.0.1 >/tmp/ping.out 2>&1 &
ppid=$!
sleep 2
policy a a b 0x200 update
policy b b a 0x201 update
wait $ppid
sleep 0.5
kill $tpid
wait $tpid 2>/dev/null
grep -E 'packets transmitted' /tmp/ping.out
for spi in 100 101 200 201; do
	n=$(grep -c "ESP(spi=0x00000$spi" "$cap")
	echo "SPI 0x$spi: $n packets"
	[ "$n" -gt 10 ] || fail "SPI 0x$spi carried $n packets"
done
# A drop oxfrm counted names itself here.
esp_no_errors "rekey"
grep -q '250 packets transmitted, 250 received' /tmp/ping.out || fail "packets lost during the rekey"
# After the switch no packet used the old outbound SPI.
last_old=$(grep -n "ESP(spi=0x00000100" "$cap" | tail -1 | cut -d: -f1)
first_new=$(grep -n "ESP(spi=0x00000200" "$cap" | head -1 | cut -d: -f1)
[ "$last_old" -lt "$first_new" ] || fail "old and new SPIs interleaved"

# packets_of: the packets counted in the current lifetime of the SA that
# `ip -s xfrm state get` prints.
packets_of() {
	awk '/^[ \t]*[0-9]+\(bytes\), [0-9]+\(packets\)/ { sub(/\(packets\)/, "", $2); print $2 }'
}

# Templates without SPI: the newest valid SA of the reqid (0x200 here,
# added last), then after its deletion the older one.
policy a a b 0 update
ip netns exec a ping -c 1 -W 2 -I 10.1.0.1 10.2.0.1 >/dev/null || fail "ping, newest SA"
n200=$(ip netns exec a ip -s xfrm state get src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x200 | packets_of)
ip netns exec a ip xfrm state delete src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x200
n100=$(ip netns exec a ip -s xfrm state get src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x100 | packets_of)
ip netns exec a ping -c 1 -W 2 -I 10.1.0.1 10.2.0.1 >/dev/null || fail "ping, older SA"
n100b=$(ip netns exec a ip -s xfrm state get src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x100 | packets_of)
echo "newest SA used: 0x200 at $n200; then 0x100 from $n100 to $n100b"
expect_eq "the older SA took the ping" "$n100b" "$((n100 + 1))"
oxfrm_unload
