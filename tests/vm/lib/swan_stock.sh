#!/bin/bash
# The strongSwan configuration of tests/vm/swan_stock.sh, shared by its two
# guests: host a (oxfrm, namespace a) and host b (Debian's stock kernel,
# namespace b of the peer guest, tests/vm/peer/swan_stock.sh), on one link.
#
#   link:   a 192.0.2.1, 2001:db8::1       b 192.0.2.2, 2001:db8::2
#   inner:  a 10.1.N.1, fd01:N::1          b 10.2.N.1, fd02:N::1
#
# IKE_SA "v4" is initiated by a (swan_stock_initiate), "v6" by b (the
# loop of tests/vm/peer/swan_stock.sh). Each has two children:
#   v4: gcm128 (tunnel, 10.x.1.0/24), trans4 (transport, aes256gcm16, ICMP)
#   v6: chacha6 (tunnel, fd0x:2::/64), sha256v6 (aes128-sha256, fd0x:3::/64)

SWAN_STOCK_PSK="oxfrm swan_stock test key"

# swan_stock_net NS DEV SELF: the link and inner addresses of host SELF
# (1 for a, 2 for b) in NS, the link on DEV.
swan_stock_net() {
	local ns=$1 dev=$2 self=$3 peer=$((3 - $3)) i
	ip netns exec "$ns" ip link set lo up
	ip netns exec "$ns" ip link set "$dev" up
	ip netns exec "$ns" ip addr add "192.0.2.$self/24" dev "$dev"
	ip netns exec "$ns" ip addr add "2001:db8::$self/64" dev "$dev" nodad
	ip netns exec "$ns" ip link add inner type dummy
	ip netns exec "$ns" ip link set inner up
	for i in 1 2 3; do
		ip netns exec "$ns" ip addr add "10.$self.$i.1/32" dev inner
		ip netns exec "$ns" ip addr add "fd0$self:$i::1/128" dev inner nodad
	done
	ip netns exec "$ns" ip route add "10.$peer.0.0/16" dev "$dev"
	ip netns exec "$ns" ip -6 route add "fd0$peer::/16" dev "$dev"
}

# swan_stock_conf SELF: swanctl.conf of host SELF (1 or 2); the PSK
# helpers come from tests/vm/lib/swan.sh.
swan_stock_conf() {
	local s=$1 p=$((3 - $1))
	cat <<EOT
connections {
	v4 {
		local_addrs = 192.0.2.$s
		remote_addrs = 192.0.2.$p
		proposals = $SWAN_IKE_PROPOSAL
		local {
			auth = psk
			id = host$s.oxfrm.test
		}
		remote {
			auth = psk
			id = host$p.oxfrm.test
		}
		children {
			gcm128 {
				esp_proposals = aes128gcm16
				local_ts = 10.$s.1.0/24
				remote_ts = 10.$p.1.0/24
			}
			trans4 {
				mode = transport
				esp_proposals = aes256gcm16
				local_ts = dynamic[1]
				remote_ts = dynamic[1]
			}
		}
	}
	v6 {
		local_addrs = 2001:db8::$s
		remote_addrs = 2001:db8::$p
		proposals = $SWAN_IKE_PROPOSAL
		keyingtries = 0
		local {
			auth = psk
			id = host$s.v6.oxfrm.test
		}
		remote {
			auth = psk
			id = host$p.v6.oxfrm.test
		}
		children {
			chacha6 {
				esp_proposals = chacha20poly1305
				local_ts = fd0$s:2::/64
				remote_ts = fd0$p:2::/64
			}
			sha256v6 {
				esp_proposals = aes128-sha256
				local_ts = fd0$s:3::/64
				remote_ts = fd0$p:3::/64
			}
		}
	}
}
$(swan_psk_secrets "$SWAN_STOCK_PSK" host1.oxfrm.test host2.oxfrm.test \
	host1.v6.oxfrm.test host2.v6.oxfrm.test)
EOT
}

# swan_stock_host NS DEV SELF: host SELF in a new namespace NS, which gets
# the link DEV, its addresses, and a charon with host SELF's configuration.
swan_stock_host() {
	ip netns add "$1"
	ip link set "$2" netns "$1"
	swan_stock_net "$1" "$2" "$3"
	swan_up "$1" "$(swan_stock_conf "$3")"
}

# swan_stock_wait_peer NS: host a waits for the peer guest, which boots
# after it (the link addresses have no policy).
swan_stock_wait_peer() {
	local n
	for n in $(seq 240); do
		ip netns exec "$1" ping -c 1 -W 1 192.0.2.2 >/dev/null 2>&1 && return 0
	done
	fail "the peer guest never answered"
}

# swan_stock_initiate NS CHILD: NS's charon initiates CHILD and prints
# what swanctl said. A charon whose configuration is not loaded yet
# answers NO_PROPOSAL_CHOSEN, and the two guests' charons start in no
# set order: that answer is retried for up to a minute, no other.
swan_stock_initiate() {
	local out i
	for i in $(seq 30); do
		out=$(swanctl_in "$1" --initiate --child "$2" --timeout 60 2>&1) &&
			{ echo "$out"; return 0; }
		echo "$out" | grep -q NO_PROPOSAL_CHOSEN || break
		sleep 2
	done
	echo "$out" | tail -n 20 >&2
	return 1
}
