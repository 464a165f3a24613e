#!/bin/bash
# Packets that arrive in the clear where an IN or FWD policy wants ESP:
# dropped and counted as the stock kernel counts them (XfrmInTmplMismatch;
# XfrmInPolBlock for a block policy; XfrmInNoPols for a blocking default),
# for IPv4 and IPv6, delivered and forwarded, fragmented datagrams judged
# by their ports once reassembled. Optional templates let them
# pass; so do sockets with an IN policy of their own (strongSwan's IKE
# sockets), and not sockets with only an OUT policy. Decrypted packets
# still pass the same policies, and nftables' "ipsec in" expressions see
# the reqid and SPI of the SA that decrypted them.
#
# b sends in the clear to a (no policy on b); c sits behind a, which
# forwards between b and c.
# timeout: 300
. /oxfrm/tests/vm/lib/lib.sh
. /oxfrm/tests/vm/lib/esp.sh

# ping_ok FAMILY SRC DST: b reaches DST.
ping_ok() {
	in_b ping -"$1" -c 2 -W 2 -I "$2" "$3" >/dev/null || fail "ping -$1 $2 -> $3 failed"
}

# tmpl FAMILY: the tunnel template of b -> a.
tmpl() {
	echo "tmpl src $(esp_addr b outer "$1") dst $(esp_addr a outer "$1") proto esp reqid 1 mode tunnel"
}

oxfrm_load
esp_topology
# The inner IPv6 addresses sit on dummy devices, which neighbour
# discovery does not answer for: each host is told the other's.
in_b ip -6 neigh replace fd01::1 lladdr "$(in_a cat /sys/class/net/va/address)" dev vb nud permanent
in_a ip -6 neigh replace fd02::1 lladdr "$(in_b cat /sys/class/net/vb/address)" dev va nud permanent

# c behind a: 10.3.0.0/24 and fd03::/64, a forwarding.
ip netns add c || fail "netns add c"
ip link add vac netns a type veth peer name vc netns c || fail "veth c"
in_a ip link set vac up
ip netns exec c ip link set vc up
ip netns exec c ip link set lo up
in_a ip addr add 10.3.0.254/24 dev vac
ip netns exec c ip addr add 10.3.0.1/24 dev vc
in_a ip addr add fd03::fe/64 dev vac nodad
ip netns exec c ip addr add fd03::1/64 dev vc nodad
ip netns exec c ip route add default via 10.3.0.254
ip netns exec c ip -6 route add default via fd03::fe
in_a sysctl -qw net.ipv4.ip_forward=1
in_a sysctl -qw net.ipv6.conf.all.forwarding=1
in_b ip route add 10.3.0.0/24 via 192.0.2.1
in_b ip -6 route add fd03::/64 via 2001:db8::1
sleep 1

for f in 4 6; do
	bi=$(esp_addr b inner $f) ai=$(esp_addr a inner $f) plen=32 ci=10.3.0.1
	[ $f = 6 ] && plen=128 ci=fd03::1
	six=; [ $f = 6 ] && six=-6
	echo "== IPv$f"
	ping_ok $f "$bi" "$ai"
	ping_ok $f "$bi" "$ci"

	# shellcheck disable=SC2046
	in_a ip xfrm policy add src "$bi/$plen" dst "$ai/$plen" dir in $(tmpl $f)
	provoke a "XfrmInTmplMismatch=3" in_b ping -$f -c 3 -W 1 -I "$bi" "$ai"
	# shellcheck disable=SC2046
	in_a ip xfrm policy update src "$bi/$plen" dst "$ai/$plen" dir in $(tmpl $f) level use
	ping_ok $f "$bi" "$ai"
	in_a ip xfrm policy update src "$bi/$plen" dst "$ai/$plen" dir in action block
	provoke a "XfrmInPolBlock=2" in_b ping -$f -c 2 -W 1 -I "$bi" "$ai"
	in_a ip xfrm policy flush

	# shellcheck disable=SC2046
	in_a ip xfrm policy add src "$bi/$plen" dst "$ci/$plen" dir fwd $(tmpl $f)
	provoke a "XfrmInTmplMismatch=2" in_b ping -$f -c 2 -W 1 -I "$bi" "$ci"
	in_a ip xfrm policy flush
	ping_ok $f "$bi" "$ci"

	# A datagram in fragments meets the policies whole: its port counts.
	# shellcheck disable=SC2046
	in_a ip xfrm policy add src "$bi/$plen" dst "$ai/$plen" proto 17 dport 7777 dir in $(tmpl $f)
	rm -f /tmp/frag.out
	in_a sockpol $six -d out -a allow -r 7777 -w 8 >/tmp/frag.out &
	listening /tmp/frag.out
	provoke a "XfrmInTmplMismatch=1" in_b bash -c "printf '%03000d' 0 >/dev/udp/$ai/7777"
	wait
	grep -q 'received nothing' /tmp/frag.out || fail "IPv$f: a fragmented datagram passed a policy for its port"
	in_a ip xfrm policy flush

	# A blocking default: only sockets with their own IN policy hear b.
	in_a ip xfrm policy setdefault in block
	# Neighbour discovery and multicast reports may be refused too.
	before=$(snapshot a)
	! in_b ping -$f -c 2 -W 1 -I "$bi" "$ai" >/dev/null || fail "IPv$f: ping passed a blocking default"
	moved=$(moved "$before" "$(snapshot a)")
	echo "blocking default: $moved"
	case $moved in
	XfrmInNoPols=[2-9]|XfrmInNoPols=[1-9][0-9]) ;;
	*) fail "IPv$f: blocking default moved '$moved'" ;;
	esac
	rm -f /tmp/bypass.out /tmp/plain.out
	in_a sockpol $six -d in -a allow -r 500 -w 30 >/tmp/bypass.out &
	in_a sockpol $six -d out -a allow -r 501 -w 8 >/tmp/plain.out &
	listening /tmp/bypass.out /tmp/plain.out
	in_b bash -c "echo ike >/dev/udp/$ai/500; echo ike >/dev/udp/$ai/501"
	wait
	cat /tmp/bypass.out /tmp/plain.out
	grep -q 'received 4 bytes' /tmp/bypass.out || fail "IPv$f: the bypass socket heard nothing"
	grep -q 'received nothing' /tmp/plain.out || fail "IPv$f: a socket without an IN policy heard b"
	in_a ip xfrm policy setdefault in accept
done

# The kernel's own policy check (__xfrm_policy_check()), counted by a
# kprobe where the kernel has them (the stock one; not the debug one).
# pc_probe is set only when this run made the probe; a trap removes it.
tr=/sys/kernel/tracing
[ -e $tr/kprobe_events ] || mount -t tracefs nodev $tr 2>/dev/null
pc_probe=
if [ -w $tr/kprobe_events ] &&
	echo 'p:oxfrm_pc __xfrm_policy_check' >>$tr/kprobe_events; then
	pc_probe=1
	trap 'echo 0 >$tr/events/kprobes/oxfrm_pc/enable; echo "-:oxfrm_pc" >>$tr/kprobe_events' EXIT
	echo 1 >$tr/events/kprobes/oxfrm_pc/enable || fail "kprobe enable"
	pc_hits() { awk '$1 == "oxfrm_pc" { print $2 }' $tr/kprobe_profile; }
else
	echo "no kprobe events: the kernel's own policy check is not counted"
	pc_hits() { echo 0; }
fi

# nftables' ipsec expressions (nft_xfrm, a module of the stock kernel,
# not built into the debug one) see the SA that decrypted a packet.
nft_xfrm=
if modprobe nft_xfrm 2>/dev/null; then
	nft_xfrm=1
else
	echo "no nft_xfrm: the SAs in the sec_path are not matched"
fi

# sec_path_rules FAMILY: counters in a for b's echo requests by the SA's
# reqid and SPI (b -> a is 0x2001, reqid 1), by another reqid, and by the
# other SA's SPI.
sec_path_rules() {
	local icmp=icmp
	[ "$1" = 6 ] && icmp=icmpv6
	in_a nft -f - <<EOT || fail "nft"
table inet sp {
	chain in {
		type filter hook input priority 0;
		$icmp type echo-request ipsec in reqid 1 ipsec in spi 0x2001 counter
		$icmp type echo-request ipsec in reqid 2 counter
		$icmp type echo-request ipsec in spi 0x2000 counter
	}
}
EOT
}

sec_path_counts() {
	in_a nft list chain inet sp in |
		awk '{ for (i = 1; i < NF; i++) if ($i == "packets") printf "%s ", $(i + 1) }'
}

# Decrypted packets meet the same policies and pass. IPv4 ones delivered
# here skip the kernel's own check, which would look them up in its empty
# SPD (guard.c); IPv6 ones still meet it, one check per packet.
for f in 4 6; do
	esp_pair tunnel $f $f 0x2000 aead 'rfc4106(gcm(aes))' $K20 128
	[ -n "$nft_xfrm" ] && sec_path_rules $f
	pc=$(pc_hits)
	ping_ok $f "$(esp_addr b inner $f)" "$(esp_addr a inner $f)"
	pc=$(($(pc_hits) - pc))
	if [ -n "$nft_xfrm" ]; then
		n=$(sec_path_counts)
		echo "IPv$f: echo requests by reqid 1 and SPI 0x2001, reqid 2, SPI 0x2000: $n"
		[ "$n" = "2 0 0 " ] || fail "IPv$f: nft saw the sec_path as '$n', want '2 0 0 '"
		in_a nft delete table inet sp
	fi
	echo "IPv$f: the kernel's own policy check ran $pc times"
	if [ -n "$pc_probe" ]; then
		case $f in
		4) [ "$pc" = 0 ] || fail "IPv4: the kernel checked decrypted packets $pc times" ;;
		6) [ "$pc" -ge 4 ] || fail "IPv6: the kprobe saw $pc checks of 4 packets" ;;
		esac
	fi
	esp_flush
done
tcl=$(in_a awk '$1 == "XfrmInTmplMismatch" { print $2 }' /proc/net/oxfrm_stat)
echo "XfrmInTmplMismatch in a: $tcl"
[ "$tcl" = 12 ] || fail "decrypted packets were refused ($tcl, want 12)"
ip netns del c
oxfrm_unload
