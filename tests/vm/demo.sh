#!/bin/bash
# make demo, inside the guest: load oxfrm, then let Debian's unmodified
# strongSwan (charon, configured with swanctl) bring up IKEv2 tunnels on it:
# between two gateways that both run oxfrm (network namespaces a and b),
# and between an oxfrm gateway and a second guest running the stock
# kernel's XFRM (tests/vm/peer/swan_stock.sh). Show the SAs, ESP on the
# wire, traffic through the tunnels, and oxfrm's counters.
# peer: swan_stock
# timeout: 400
. /oxfrm/tests/vm/lib/lib.sh
. /oxfrm/tests/vm/lib/esp.sh
. /oxfrm/tests/vm/lib/swan.sh
. /oxfrm/tests/vm/lib/swan_stock.sh
trap swan_stop_all EXIT

[ "$GUEST_KERNEL" = stock ] || skip "the demo runs on the stock kernel's guest"
# The link to the peer guest comes up first, as the peer starts talking
# at once.
dev=$(peer_link) || fail "no link to the peer guest"
echo "# insmod oxfrm.ko"
oxfrm_load
lsmod | grep '^oxfrm'
echo
echo "# gateway a (10.1.0.0/24 behind 192.0.2.1) and gateway b (10.2.0.0/24"
echo "# behind 192.0.2.2), both on oxfrm, each running charon"
esp_topology
child_opts() {
	cat <<EOT
				esp_proposals = aes128gcm16
				local_ts = 10.$1.0.0/24
				remote_ts = 10.$2.0.0/24
EOT
}
swan_pair_up "$(swan_psk_conf 1 2 demo net "" "$(child_opts 1 2)")" \
	"$(swan_psk_conf 2 1 demo net "" "$(child_opts 2 1)")"
cat "$(swan_dir a)/swanctl/swanctl.conf"
echo
echo "# a: swanctl --initiate --child net"
swanctl_in a --initiate --child net --timeout 60 2>&1 | grep -E 'established|installed' ||
	fail "initiate"
echo
echo "# ESP on the link while a pings b's network"
ip netns exec b timeout 15 tcpdump -l -n -i vb -c 4 esp 2>/tmp/cap.err &
capturing /tmp/cap.err
in_a ping -c 3 -i 0.3 -I 10.1.0.1 10.2.0.1 || fail "ping through the tunnel"
wait
echo
echo "# 2 MB over TCP through the tunnel, checked with md5sum"
head -c 2097152 /dev/urandom >/tmp/data
in_b timeout 60 nc -l -p 5001 >/tmp/got &
tcp_listening b 5001
in_a timeout 60 bash -c 'cat /tmp/data >/dev/tcp/10.2.0.1/5001'
wait
md5sum /tmp/data /tmp/got
expect_eq "TCP data" "$(md5sum </tmp/got)" "$(md5sum </tmp/data)"
echo
echo "# a: swanctl --list-sas (charon reads the counters from oxfrm)"
swanctl_in a --list-sas
expect_eq "CHILD_SA on b" "$(swan_child b net | cut -d' ' -f1)" INSTALLED
swan_stop a
swan_stop b
echo

echo "# gateway s on oxfrm (192.0.2.1, 2001:db8::1) against a second guest"
echo "# running Debian's stock kernel with xfrm_user and charon (192.0.2.2,"
echo "# 2001:db8::2): s initiates IKE_SA v4, the stock peer initiates v6"
swan_stock_host s "$dev" 1
swan_stock_wait_peer s
swan_stock_initiate s gcm128 | grep -E 'established|installed' ||
	fail "initiate against the stock kernel"
swan_wait_child s chacha6 120
echo
echo "# ESP both ways on the link to the stock kernel"
ip netns exec s timeout 15 tcpdump -l -n -i "$dev" -c 4 esp 2>/tmp/cap.err &
capturing /tmp/cap.err
ip netns exec s ping -c 2 -i 0.3 -I 10.1.1.1 10.2.1.1 || fail "ping to the stock kernel (IPv4)"
ip netns exec s ping -c 2 -i 0.3 -I fd01:2::1 fd02:2::1 || fail "ping to the stock kernel (IPv6)"
wait
echo
echo "# s: swanctl --list-sas"
swanctl_in s --list-sas
echo

echo "# 10 ESP packets to s with an SPI no SA has, 3 too short for an SPI"
ip netns exec s rawsend -p 50 -d 192.0.2.1 -s 0xdead -n 10 || fail "rawsend"
ip netns exec s rawsend -p 50 -d 192.0.2.1 -l 4 -n 3 || fail "rawsend"
sleep 1
echo "# ip netns exec s cat /proc/net/oxfrm_stat"
ip netns exec s cat /proc/net/oxfrm_stat
expect_eq XfrmInNoStates "$(counter XfrmInNoStates s)" 10
expect_eq XfrmInHdrError "$(counter XfrmInHdrError s)" 3
swan_stop s
ip -all netns delete
echo
echo "# rmmod oxfrm"
oxfrm_unload
echo "demo: strongSwan brought up IKEv2 tunnels on oxfrm, to another oxfrm gateway and to the stock kernel, carried ping and 2 MB of TCP, counted 13 bad packets, and oxfrm unloaded cleanly"
