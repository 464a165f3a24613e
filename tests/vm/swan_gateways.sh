#!/bin/bash
# Two IKEv2 gateways on oxfrm (namespaces a and b), configured by
# Debian's unmodified charon through swanctl. One IKE_SA over IPv4 with a
# pre-shared key and one over IPv6 with RSA certificates made here with
# pki; under them CHILD_SAs with aes128gcm16, aes256gcm16,
# chacha20poly1305 and aes128-sha256 in tunnel mode, and transport mode
# in both families. Each CHILD_SA carries traffic, and charon's byte and
# packet counts (read from oxfrm with XFRM_MSG_GETSA) rise on both sides
# by what was sent. Stopping charon leaves oxfrm's SAD and SPD empty.
# timeout: 400
. /oxfrm/tests/vm/lib/lib.sh
. /oxfrm/tests/vm/lib/esp.sh
. /oxfrm/tests/vm/lib/swan.sh
trap swan_stop_all EXIT

oxfrm_load
esp_topology

# The guest has no /etc/protocols: protocols go by number (1 ICMP, 6 TCP).
# Child i's inner networks: a 10.1.i.0/24, fd01:i::/64; b 10.2.i.0/24,
# fd02:i::/64, each host holding .1 / ::1.
for i in 1 2 3 4; do
	in_a ip addr add 10.1.$i.1/32 dev inner
	in_b ip addr add 10.2.$i.1/32 dev inner
	in_a ip addr add fd01:$i::1/128 dev inner nodad
	in_b ip addr add fd02:$i::1/128 dev inner nodad
done
in_a ip route add 10.2.0.0/16 dev va
in_b ip route add 10.1.0.0/16 dev vb
in_a ip -6 route add fd02::/16 dev va
in_b ip -6 route add fd01::/16 dev vb

# The children of one IKE_SA: NAME PROPOSAL MODE LOCAL_TS REMOTE_TS, from
# a's point of view (SELF and PEER stand for 1 and 2, swapped for b).
children4="
gcm128 aes128gcm16 tunnel 10.SELF.1.0/24 10.PEER.1.0/24
gcm256 aes256gcm16 tunnel 10.SELF.2.0/24 10.PEER.2.0/24
chacha chacha20poly1305 tunnel 10.SELF.3.0/24 10.PEER.3.0/24
sha256 aes128-sha256 tunnel 10.SELF.4.0/24 10.PEER.4.0/24
transport4 aes128gcm16 transport dynamic[1] dynamic[1]"
children6="
gcm128v6 aes128gcm16 tunnel fd0SELF:1::/64 fd0PEER:1::/64
chachav6 chacha20poly1305 tunnel fd0SELF:3::/64 fd0PEER:3::/64
sha256v6 aes128-sha256 tunnel fd0SELF:4::/64 fd0PEER:4::/64
transport6 aes256gcm16 transport dynamic[6] dynamic[6]"

# children SELF PEER LIST: their swanctl.conf section.
children() {
	local self=$1 peer=$2 name prop mode lts rts
	echo "$3" | while read -r name prop mode lts rts; do
		[ -n "$name" ] || continue
		lts=${lts//SELF/$self}
		lts=${lts//PEER/$peer}
		rts=${rts//SELF/$self}
		rts=${rts//PEER/$peer}
		cat <<EOT
			$name {
				mode = $mode
				esp_proposals = $prop
				local_ts = $lts
				remote_ts = $rts
			}
EOT
	done
}

# swanctl_conf SELF PEER: the configuration of host a (1, 2) or b (2, 1).
swanctl_conf() {
	local self=$1 peer=$2 me them
	me=$(echo "$self" | tr 12 ab)
	them=$(echo "$peer" | tr 12 ab)
	cat <<EOT
connections {
	v4 {
		local_addrs = 192.0.2.$self
		remote_addrs = 192.0.2.$peer
		proposals = $SWAN_IKE_PROPOSAL
		local {
			auth = psk
			id = $me.v4.oxfrm.test
		}
		remote {
			auth = psk
			id = $them.v4.oxfrm.test
		}
		children {
$(children "$self" "$peer" "$children4")
		}
	}
	v6 {
		local_addrs = 2001:db8::$self
		remote_addrs = 2001:db8::$peer
		proposals = $SWAN_IKE_PROPOSAL
		local {
			auth = pubkey
			certs = $me.oxfrm.test.pem
			id = $me.oxfrm.test
		}
		remote {
			auth = pubkey
			id = $them.oxfrm.test
		}
		children {
$(children "$self" "$peer" "$children6")
		}
	}
}
$(swan_psk_secrets "oxfrm swan_gateways test key" a.v4.oxfrm.test b.v4.oxfrm.test)
EOT
}

echo "# certificates (pki)"
swan_pki /tmp/pki a.oxfrm.test b.oxfrm.test
swan_install_cert a /tmp/pki a.oxfrm.test
swan_install_cert b /tmp/pki b.oxfrm.test
swan_pair_up "$(swanctl_conf 1 2)" "$(swanctl_conf 2 1)"
in_b iperf3 -s -D -1 >/dev/null 2>&1 || true

# traffic CHILD: what goes through CHILD, from a to b and back.
traffic() {
	case $1 in
	transport4) in_a ping -c 3 -i 0.2 -W 2 192.0.2.2 ;;
	transport6) in_a iperf3 -c 2001:db8::2 -n 64K ;;
	gcm128v6) in_a ping -c 3 -i 0.2 -W 2 -I fd01:1::1 fd02:1::1 ;;
	chachav6) in_a ping -c 3 -i 0.2 -W 2 -I fd01:3::1 fd02:3::1 ;;
	sha256v6) in_a ping -c 3 -i 0.2 -W 2 -I fd01:4::1 fd02:4::1 ;;
	gcm128) in_a ping -c 3 -i 0.2 -W 2 -I 10.1.1.1 10.2.1.1 ;;
	gcm256) in_a ping -c 3 -i 0.2 -W 2 -I 10.1.2.1 10.2.2.1 ;;
	chacha) in_a ping -c 3 -i 0.2 -W 2 -I 10.1.3.1 10.2.3.1 ;;
	sha256) in_a ping -c 3 -i 0.2 -W 2 -I 10.1.4.1 10.2.4.1 ;;
	esac
}

for child in $(echo "$children4$children6" | awk '{ print $1 }'); do
	out=$(swanctl_in a --initiate --child "$child" --timeout 60 2>&1) ||
		{ echo "$out" | tail -n 20; fail "initiate $child"; }
	swan_wait_child a "$child"
	swan_wait_child b "$child"
	a0=$(swan_child a "$child")
	b0=$(swan_child b "$child")
	traffic "$child" >/tmp/traffic.out 2>&1 ||
		{ cat /tmp/traffic.out; fail "$child: no traffic"; }
	a1=$(swan_child a "$child")
	b1=$(swan_child b "$child")
	echo "$child: a $a0 -> $a1, b $b0 -> $b1"
	# a sent at least 3 packets out and got 3 in; b mirrors it.
	read -r _ abi0 api0 abo0 apo0 <<<"$a0"
	read -r _ abi1 api1 abo1 apo1 <<<"$a1"
	read -r _ bbi0 bpi0 bbo0 bpo0 <<<"$b0"
	read -r _ bbi1 bpi1 bbo1 bpo1 <<<"$b1"
	[ $((apo1 - apo0)) -ge 3 ] && [ $((api1 - api0)) -ge 3 ] &&
		[ $((bpo1 - bpo0)) -ge 3 ] && [ $((bpi1 - bpi0)) -ge 3 ] ||
		fail "$child: packet counts did not rise by 3 each way"
	[ $((abo1 - abo0)) -gt 0 ] && [ $((abi1 - abi0)) -gt 0 ] &&
		[ $((bbo1 - bbo0)) -gt 0 ] && [ $((bbi1 - bbi0)) -gt 0 ] ||
		fail "$child: byte counts did not rise"
	# Echo requests and replies are the same size: both hosts count
	# the same bytes each way (output counts the packet with its outer
	# headers, input the packet decapsulated, as the stock kernel does).
	case $child in
	transport6) ;;
	*)
		expect_eq "$child: bytes in, a = b" $((abi1 - abi0)) $((bbi1 - bbi0))
		expect_eq "$child: bytes out, a = b" $((abo1 - abo0)) $((bbo1 - bbo0))
		;;
	esac
done
expect_eq "IKE_SA v4" "$(swan_ike a v4)" ESTABLISHED
expect_eq "IKE_SA v6" "$(swan_ike a v6)" ESTABLISHED
swanctl_in a --list-sas
esp_no_errors "swan_gateways"

nchild=$(echo "$children4$children6" | grep -c .)
expect_eq "SAs in a" "$(in_a ip -o xfrm state list | wc -l)" $((2 * nchild))

echo "# charon stopped: oxfrm keeps nothing of it"
swan_stop a
swan_stop b
for ns in a b; do
	expect_eq "SAs left in $ns" "$(ip netns exec $ns ip -o xfrm state list | wc -l)" 0
	expect_eq "policies left in $ns" "$(ip netns exec $ns ip -o xfrm policy list | wc -l)" 0
done
