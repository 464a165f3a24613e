#!/bin/bash
# strongSwan on oxfrm against strongSwan on the stock kernel: this guest
# is host a (oxfrm), a second guest runs Debian's stock kernel (host b,
# tests/vm/peer/swan_stock.sh); both run Debian's charon with the
# configuration of tests/vm/lib/swan_stock.sh. a initiates IKE_SA v4
# (AES-GCM tunnel, AES-GCM-256 transport), b initiates IKE_SA v6
# (ChaCha20-Poly1305 and AES-CBC/SHA-256 tunnels). Every CHILD_SA carries
# pings both ways, and charon's counters on a (read from oxfrm) rise by
# what was sent and received.
# peer: swan_stock
# timeout: 400
. /oxfrm/tests/vm/lib/lib.sh
. /oxfrm/tests/vm/lib/swan.sh
. /oxfrm/tests/vm/lib/swan_stock.sh
trap swan_stop_all EXIT

[ "$GUEST_KERNEL" = stock ] || skip "the stock-kernel peer runs with the stock kernel's guest only"
dev=$(peer_link) || fail "no link to the peer"
oxfrm_load
swan_stock_host a "$dev" 1
swan_stock_wait_peer a

for child in gcm128 trans4; do
	swan_stock_initiate a "$child" >/dev/null || fail "initiate $child"
done
# b initiates v6 on its own, retrying until this host's charon answers.
for child in gcm128 trans4 chacha6 sha256v6; do
	swan_wait_child a "$child" 120
done

ike_initiator() {
	swanctl_in a --list-sas --ike "$1" --raw | grep -c 'initiator=yes'
}
expect_eq "a initiated v4" "$(ike_initiator v4)" 1
expect_eq "b initiated v6" "$(ike_initiator v6)" 0

ping_through() {
	case $1 in
	gcm128) ip netns exec a ping -c 5 -i 0.2 -W 2 -I 10.1.1.1 10.2.1.1 ;;
	trans4) ip netns exec a ping -c 5 -i 0.2 -W 2 192.0.2.2 ;;
	chacha6) ip netns exec a ping -c 5 -i 0.2 -W 2 -I fd01:2::1 fd02:2::1 ;;
	sha256v6) ip netns exec a ping -c 5 -i 0.2 -W 2 -I fd01:3::1 fd02:3::1 ;;
	esac
}

for child in gcm128 trans4 chacha6 sha256v6; do
	before=$(swan_child a "$child")
	out=$(ping_through "$child" 2>&1)
	after=$(swan_child a "$child")
	echo "$child: $(echo "$out" | grep -o '[0-9]* received'); a $before -> $after"
	echo "$out" | grep -q ' 5 received' || fail "$child: pings lost through the stock kernel"
	read -r _ _ pi0 _ po0 <<<"$before"
	read -r _ _ pi1 _ po1 <<<"$after"
	[ $((pi1 - pi0)) -ge 5 ] && [ $((po1 - po0)) -ge 5 ] ||
		fail "$child: charon's packet counts did not rise by 5 each way"
done
swanctl_in a --list-sas
[ -z "$(ip netns exec a awk '$2 != 0' /proc/net/oxfrm_stat)" ] ||
	fail "oxfrm counted errors: $(ip netns exec a awk '$2 != 0' /proc/net/oxfrm_stat)"

echo "# charon on a stopped: oxfrm keeps nothing of it"
swan_stop a
expect_eq "SAs left" "$(ip netns exec a ip -o xfrm state list | wc -l)" 0
expect_eq "policies left" "$(ip netns exec a ip -o xfrm policy list | wc -l)" 0
