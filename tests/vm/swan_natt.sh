#!/bin/bash
# Two oxfrm gateways with strongSwan through a NAT: host a sits behind
# namespace nat, which masquerades a's IPv4 traffic (nftables) towards
# host b. charon detects the NAT and moves IKE and ESP to UDP 4500; the
# link carries ESP in UDP only. Then the NAT's mapping changes (its
# conntrack flushed, masquerading to other ports): b's oxfrm raises
# XFRM_MSG_MAPPING, b's charon moves its SA to the new port, and the
# tunnel recovers. Over IPv6 (routed, no NAT) charon is told to
# encapsulate anyway (encap = yes).
#
#   a 192.0.2.1 -- 192.0.2.254 nat 198.51.100.254 -- 198.51.100.2 b
#   a 2001:db8:1::1 -- 2001:db8:1::fe nat 2001:db8:2::fe -- 2001:db8:2::2 b
#   inner: a 10.1.1.1, fd01:1::1; b 10.2.1.1, fd02:1::1
# timeout: 300
. /oxfrm/tests/vm/lib/lib.sh
. /oxfrm/tests/vm/lib/swan.sh
trap swan_stop_all EXIT

in_a() { ip netns exec a "$@"; }
in_b() { ip netns exec b "$@"; }
in_nat() { ip netns exec nat "$@"; }

oxfrm_load
for ns in a nat b; do
	ip netns add $ns
	ip netns exec $ns ip link set lo up
	ip netns exec $ns sysctl -qw net.ipv6.conf.all.accept_dad=0
	ip netns exec $ns sysctl -qw net.ipv6.conf.default.accept_dad=0
done
ip link add va netns a type veth peer name na netns nat
ip link add vb netns b type veth peer name nb netns nat
in_nat sysctl -qw net.ipv4.ip_forward=1
in_nat sysctl -qw net.ipv6.conf.all.forwarding=1
in_a ip link set va up
in_b ip link set vb up
in_nat ip link set na up
in_nat ip link set nb up
in_a ip addr add 192.0.2.1/24 dev va
in_nat ip addr add 192.0.2.254/24 dev na
in_nat ip addr add 198.51.100.254/24 dev nb
in_b ip addr add 198.51.100.2/24 dev vb
in_a ip addr add 2001:db8:1::1/64 dev va nodad
in_nat ip addr add 2001:db8:1::fe/64 dev na nodad
in_nat ip addr add 2001:db8:2::fe/64 dev nb nodad
in_b ip addr add 2001:db8:2::2/64 dev vb nodad
in_a ip route add default via 192.0.2.254
in_a ip -6 route add default via 2001:db8:1::fe
in_b ip -6 route add 2001:db8:1::/64 via 2001:db8:2::fe
for ns in a b; do
	ip netns exec $ns ip link add inner type dummy
	ip netns exec $ns ip link set inner up
done
in_a ip addr add 10.1.1.1/32 dev inner
in_a ip addr add fd01:1::1/128 dev inner nodad
in_b ip addr add 10.2.1.1/32 dev inner
in_b ip addr add fd02:1::1/128 dev inner nodad
in_b ip route add 10.1.0.0/16 dev vb
in_b ip -6 route add fd01::/16 dev vb
in_a ip -6 route add fd02::/16 dev va

masquerade() {
	in_nat nft -f - <<EOT || fail "nft"
flush ruleset
table ip nat {
	chain post {
		type nat hook postrouting priority srcnat;
		$1
		oifname "nb" masquerade
	}
}
EOT
}
masquerade ""

# swanctl_conf SELF: a (behind the NAT) or b.
swanctl_conf() {
	local l4 r4 l6 r6 li ri me them
	if [ "$1" = a ]; then
		l4=192.0.2.1 r4=198.51.100.2 l6=2001:db8:1::1 r6=2001:db8:2::2
		li=1 ri=2 me=a them=b
	else
		l4=198.51.100.2 r4=%any r6=2001:db8:1::1 l6=2001:db8:2::2
		li=2 ri=1 me=b them=a
	fi
	cat <<EOT
connections {
	nat4 {
		local_addrs = $l4
		remote_addrs = $r4
		proposals = $SWAN_IKE_PROPOSAL
		local {
			auth = psk
			id = $me.oxfrm.test
		}
		remote {
			auth = psk
			id = $them.oxfrm.test
		}
		children {
			gcm4 {
				esp_proposals = aes128gcm16
				local_ts = 10.$li.1.0/24
				remote_ts = 10.$ri.1.0/24
			}
		}
	}
	udp6 {
		local_addrs = $l6
		remote_addrs = $r6
		proposals = $SWAN_IKE_PROPOSAL
		encap = yes
		local {
			auth = psk
			id = $me.v6.oxfrm.test
		}
		remote {
			auth = psk
			id = $them.v6.oxfrm.test
		}
		children {
			chacha6 {
				esp_proposals = chacha20poly1305
				local_ts = fd0$li:1::/64
				remote_ts = fd0$ri:1::/64
			}
		}
	}
}
$(swan_psk_secrets "oxfrm swan_natt test key" a.oxfrm.test b.oxfrm.test \
	a.v6.oxfrm.test b.v6.oxfrm.test)
EOT
}

swan_pair_up "$(swanctl_conf a)" "$(swanctl_conf b)"

for child in gcm4 chacha6; do
	out=$(swanctl_in a --initiate --child "$child" --timeout 60 2>&1) ||
		{ echo "$out" | tail -n 20; fail "initiate $child"; }
	swan_wait_child b "$child"
done

# encap_dport NS FAMILY: the destination port of NS's outbound ESP-in-UDP SA
encap_of() {
	ip netns exec "$1" ip xfrm state list | awk -v f="$2" '
		/^src/ { fam = ($2 ~ /:/) ? 6 : 4; dst = $4 }
		/encap type espinudp/ && fam == f { print dst, $5, $7 }'
}
echo "b's SAs, dst sport dport: $(encap_of b 4 | tr '\n' ' ')"
[ "$(encap_of b 4 | wc -l)" = 2 ] || fail "b's IPv4 SAs are not ESP in UDP"
[ "$(encap_of b 6 | wc -l)" = 2 ] || fail "b's IPv6 SAs are not ESP in UDP (encap = yes)"

# capture NS DEV FILTER CMD...: CMD, then what tcpdump saw on DEV.
capture() {
	local ns=$1 dev=$2 filter=$3 pid
	shift 3
	ip netns exec "$ns" tcpdump -l -n -i "$dev" "$filter" >/tmp/cap 2>/tmp/cap.err &
	pid=$!
	capturing /tmp/cap.err
	"$@" >/tmp/cmd.out 2>&1 || { cat /tmp/cmd.out; kill "$pid"; fail "'$*'"; }
	sleep 0.5
	kill "$pid"
	wait "$pid" 2>/dev/null
	cat /tmp/cap
}

echo "# IPv4 through the NAT"
# (tcpdump also shows the decrypted packets: oxfrm, as the stock kernel,
# hands them to the stack again through vb.)
cap=$(capture b vb "ip" in_a ping -c 5 -i 0.2 -w 20 -I 10.1.1.1 10.2.1.1)
echo "$cap" | head -n 3
[ "$(echo "$cap" | grep -c 'UDP-encap: ESP')" -ge 10 ] || fail "no ESP in UDP on b's link"
[ "$(echo "$cap" | grep -v 'UDP-encap' | grep -c 'ESP(')" = 0 ] || fail "plain ESP on b's link"
echo "$cap" | grep -q '198.51.100.254.4500 > 198.51.100.2.4500: UDP-encap' ||
	fail "a's ESP does not come from the NAT's address"

echo "# IPv6, encap = yes"
cap=$(capture b vb "ip6" in_a ping -c 5 -i 0.2 -w 20 -I fd01:1::1 fd02:1::1)
echo "$cap" | head -n 2
[ "$(echo "$cap" | grep -c 'UDP-encap: ESP')" -ge 10 ] || fail "no IPv6 ESP in UDP"

echo "# the NAT's mapping changes"
old=$(encap_of b 4 | awk '$1 == "198.51.100.254" { print $3 }')
nostates0=$(counter XfrmInNoStates b)
masquerade 'oifname "nb" udp dport 4500 masquerade to :41000-41999'
modprobe nf_conntrack_netlink 2>/dev/null
in_nat conntrack -F || fail "conntrack -F"
# The first packets leave from the new port; b's charon hears of it
# (XFRM_MSG_MAPPING) and moves its SAs and its IKE_SA there.
in_a ping -c 30 -i 0.2 -W 1 -I 10.1.1.1 10.2.1.1 >/tmp/ping.out 2>&1
echo "while it changed: $(grep -o '[0-9]* received' /tmp/ping.out) of 30 (replies sent before b's charon moved the SA go to the old port)"
new=$(encap_of b 4 | awk '$1 == "198.51.100.254" { print $3 }')
echo "b's outbound SA: dport $old -> $new"
[ -n "$new" ] && [ "$new" != "$old" ] && [ "$new" -ge 41000 ] && [ "$new" -le 41999 ] ||
	fail "b did not follow the new mapping"
grep -q 'received a XFRM_MSG_MAPPING' "$(swan_dir b)/charon.log" ||
	{ grep -i mapping "$(swan_dir b)/charon.log"; fail "b's charon saw no MAPPING event"; }
grep -i 'mapping' "$(swan_dir b)/charon.log" | head -n 3
out=$(in_a ping -c 10 -i 0.2 -w 20 -I 10.1.1.1 10.2.1.1 2>&1)
echo "after: $(echo "$out" | grep -o '[0-9]* received')"
echo "$out" | grep -q ' 10 received' || fail "the tunnel did not recover"
expect_eq "XfrmInNoStates on b" "$(counter XfrmInNoStates b)" "$nostates0"
swanctl_in b --list-sas
swanctl_in b --list-sas --ike nat4 | grep -q "198.51.100.254\[$new\]" ||
	fail "b's IKE_SA did not move to port $new"
