#!/bin/bash
# Interoperability on the wire with the stock kernel's XFRM: this guest
# runs oxfrm (side a), a second guest runs Debian's stock kernel with
# xfrm_user, esp4 and esp6 (side b, tests/vm/peer/interop.sh); the two are
# linked by a QEMU socket netdev. Both install the same 30 configurations
# with the same `ip xfrm` commands (tests/vm/lib/interop.sh): every
# algorithm, both modes, both families and their mixes, ESN, ESP in UDP.
# For each, pings go a->b and come back b->a, each way as ESP (or ESP in
# UDP) with that configuration's SPI on the link; TCP runs through four.
# peer: interop
# timeout: 900
. /oxfrm/tests/vm/lib/lib.sh
. /oxfrm/tests/vm/lib/interop.sh

[ "$GUEST_KERNEL" = stock ] || skip "the interoperability peer runs with the stock kernel's guest only"
dev=$(peer_link) || fail "no link to the peer"
oxfrm_load
interop_setup a "$dev"

# The peer boots after this guest and configures itself: wait for it
# (the control address has no policy), then for its SAs.
for n in $(seq 240); do
	ping -c 1 -W 1 198.51.100.2 >/dev/null 2>&1 && break
done
ping -c 1 -W 1 198.51.100.2 >/dev/null 2>&1 || fail "the peer guest never answered"
sleep 5

i=0
while read -r name mode outer inner _; do
	i=$((i + 1))
	if [ "$mode" = transport ]; then
		src=$(interop_addr a outer "$outer" $i)
		dst=$(interop_addr b outer "$outer" $i)
	else
		src=$(interop_addr a inner "$inner" $i)
		dst=$(interop_addr b inner "$inner" $i)
	fi
	cap=$(mktemp)
	timeout 30 tcpdump -l -n -i "$dev" -c 6 "esp or udp port 4500" >"$cap" 2>"$cap.err" &
	capturing "$cap.err"
	out=$(ping -c 3 -i 0.3 -w 20 -I "$src" "$dst" 2>&1)
	wait
	ab=$(grep -c "ESP(spi=0x$(printf '%08x' $((0x1000 + 2 * i)))" "$cap")
	ba=$(grep -c "ESP(spi=0x$(printf '%08x' $((0x1001 + 2 * i)))" "$cap")
	echo "$name: $(echo "$out" | grep -o '[0-9]* received'), ESP $ab a->b (oxfrm), $ba b->a (stock)"
	echo "$out" | grep -q ' 3 received' || { cat "$cap"; fail "$name: no answer through the stock kernel"; }
	[ "$ab" = 3 ] && [ "$ba" = 3 ] || { cat "$cap"; fail "$name: ESP on the link"; }
	rm -f "$cap" "$cap.err"
done < <(interop_configs)

# TCP through three of them, both ways (iperf3 -R: the stock side sends).
for c in 3:gcm-4in4 10:cbc-sha256-6in6 18:chacha20-poly1305 28:natt-gcm-6in6; do
	i=${c%%:*}
	read -r _ _ _ inner _ < <(interop_configs | sed -n "${i}p")
	src=$(interop_addr a inner "$inner" "$i")
	dst=$(interop_addr b inner "$inner" "$i")
	for dir in "" -R; do
		got=$(timeout 60 iperf3 -c "$dst" -B "$src" -t 2 $dir -J |
			awk -F'[:,]' '/"sum_received"/ { r = 1 } r && /"bytes"/ { print $2 + 0; exit }')
		echo "${c#*:} TCP $([ -n "$dir" ] && echo "b->a (stock sends)" || echo "a->b (oxfrm sends)"): ${got:-0} bytes received"
		[ "${got:-0}" -gt 100000 ] || fail "${c#*:}: TCP ${dir:-a->b} through the stock kernel"
	done
done
awk '$2 != 0 { print "counter: " $0 }' /proc/net/oxfrm_stat
awk '$2 != 0 { bad = 1 } END { exit bad }' /proc/net/oxfrm_stat ||
	fail "oxfrm counted errors"
oxfrm_unload
