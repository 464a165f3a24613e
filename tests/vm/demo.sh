#!/bin/bash
# make demo, inside the guest: load oxfrm, configure what it already takes
# over NETLINK_XFRM with unmodified `ip xfrm`, feed it ESP it has no SA for,
# and show the counters that recorded the drops.
# timeout: 300
. /oxfrm/tests/vm/lib/lib.sh

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
echo "# a keyed SA is not taken yet:"
ip xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x1000 \
	aead 'rfc4106(gcm(aes))' 0x0102030405060708090a0b0c0d0e0f1011121314 128 2>&1
ip xfrm state flush
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
echo "# rmmod oxfrm"
oxfrm_unload
echo "demo: oxfrm answered ip xfrm, counted 13 drops in the right counters, and unloaded cleanly"
