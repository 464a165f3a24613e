#!/bin/bash
# make demo, inside the guest: load oxfrm, configure SAs and policies over
# NETLINK_XFRM with unmodified `ip xfrm`, feed it ESP it has no SA for,
# show the counters that recorded the drops, then carry ping and TCP
# through an AES-GCM tunnel between two hosts (network namespaces) and
# show the ESP on the wire.
# timeout: 300
. /oxfrm/tests/vm/lib/lib.sh
. /oxfrm/tests/vm/lib/esp.sh

echo "# insmod oxfrm.ko"
oxfrm_load
dmesg | grep 'oxfrm: loaded'
echo
echo "# sysctl net.oxfrm"
sysctl net.oxfrm
echo
echo "# ip xfrm state allocspi (larval SAs, as strongSwan's first CHILD_SA step)"
ip xfrm state allocspi src 192.0.2.1 dst 192.0.2.2 proto esp reqid 1 \
	min 0xc0000000 max 0xcfffffff || fail "allocspi"
ip xfrm state allocspi src 2001:db8::1 dst 2001:db8::2 proto esp reqid 2 \
	min 0xc0000000 max 0xcfffffff || fail "allocspi v6"
echo
echo "# ip xfrm state list"
ip xfrm state list
expect_eq "larval SAs listed" "$(ip xfrm state list | grep -c '^src ')" 2
echo
echo "# ip xfrm policy setdefault fwd block; ip xfrm policy getdefault"
ip xfrm policy setdefault fwd block || fail "setdefault"
ip xfrm policy getdefault
echo
echo "# keyed SAs and policies for a tunnel, as charon installs them"
ip xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp spi 0xc1000001 \
	reqid 1 mode tunnel replay-window 32 flag esn \
	aead 'rfc4106(gcm(aes))' 0x0102030405060708090a0b0c0d0e0f1011121314 128 ||
	fail "state add"
ip xfrm state add src 192.0.2.2 dst 192.0.2.1 proto esp spi 0xc1000002 \
	reqid 1 mode tunnel encap espinudp 4500 4500 0.0.0.0 \
	enc aes 0x000102030405060708090a0b0c0d0e0f \
	auth-trunc 'hmac(sha256)' 0x000102030405060708090a0b0c0d0e0f000102030405060708090a0b0c0d0e0f 128 \
	limit time-soft 3000 limit time-hard 3600 || fail "state add"
ip xfrm policy add src 10.1.0.0/16 dst 10.2.0.0/16 dir out \
	tmpl src 192.0.2.1 dst 192.0.2.2 proto esp reqid 1 mode tunnel ||
	fail "policy add"
ip xfrm policy add src 10.2.0.0/16 dst 10.1.0.0/16 dir in \
	tmpl src 192.0.2.2 dst 192.0.2.1 proto esp reqid 1 mode tunnel ||
	fail "policy add"
ip -s xfrm state list spi 0xc1000002
ip xfrm policy list
ip xfrm state count
expect_eq "keyed SAs" "$(ip xfrm state list | grep -c 'spi 0xc100000')" 2
echo "# an unknown algorithm is refused as the kernel refuses it:"
ip xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x1000 \
	aead 'rfc4106(gcm(nothing))' 0x0102030405060708090a0b0c0d0e0f1011121314 128 2>&1
ip xfrm state flush
ip xfrm policy flush
echo
echo "# 10 ESP packets to 127.0.0.1 with an SPI no SA has, 3 too short for an SPI"
rawsend -p 50 -d 127.0.0.1 -s 0xdead -n 10 || fail "rawsend"
rawsend -p 50 -d 127.0.0.1 -l 4 -n 3 || fail "rawsend"
sleep 1
echo
echo "# cat /proc/net/oxfrm_stat"
cat /proc/net/oxfrm_stat
expect_eq XfrmInNoStates "$(counter XfrmInNoStates)" 10
expect_eq XfrmInHdrError "$(counter XfrmInHdrError)" 3
echo
echo "# a tunnel: hosts a (10.1.0.1 behind 192.0.2.1) and b (10.2.0.1 behind"
echo "# 192.0.2.2), AES-GCM-128, SAs and policies set with ip xfrm on both"
esp_topology
esp_pair tunnel 4 4 0xc2000000 aead 'rfc4106(gcm(aes))' $K20 128
ip netns exec b timeout 15 tcpdump -l -n -i vb -c 6 esp 2>/dev/null &
sleep 0.5
echo "# ip netns exec a ping -c 3 -I 10.1.0.1 10.2.0.1"
ip netns exec a ping -c 3 -i 0.3 -I 10.1.0.1 10.2.0.1 || fail "ping through the tunnel"
wait
echo
echo "# 2 MB over TCP through the tunnel, checked with md5sum"
head -c 2097152 /dev/urandom >/tmp/data
ip netns exec b timeout 30 nc -l -p 5001 >/tmp/got &
sleep 0.5
ip netns exec a timeout 30 bash -c 'cat /tmp/data >/dev/tcp/10.2.0.1/5001'
wait
md5sum /tmp/data /tmp/got
expect_eq "TCP data" "$(md5sum </tmp/got)" "$(md5sum </tmp/data)"
echo
echo "# ip netns exec b ip -s xfrm state list (what the SAs carried)"
ip netns exec b ip -s xfrm state list | grep -E '^src|proto esp|bytes\)'
ip -all netns delete
echo
echo "# rmmod oxfrm"
oxfrm_unload
echo "demo: oxfrm kept SAs and policies for ip xfrm, counted 13 drops in the right counters, carried ping and 2 MB of TCP through an ESP tunnel, and unloaded cleanly"
