#!/bin/bash
# make demo, inside the guest: load oxfrm, show what it owns, feed it ESP it
# has no SA for, and show the counters that recorded the drops.
# timeout: 300
. /oxfrm/tests/vm/lib/lib.sh

echo "# insmod oxfrm.ko"
oxfrm_load
dmesg | grep 'oxfrm: loaded'
echo
echo "# sysctl net.oxfrm"
sysctl net.oxfrm
echo
echo "# ip xfrm state (NETLINK_XFRM now answers from oxfrm; the SAD comes next)"
ip xfrm state 2>&1
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
echo "demo: oxfrm loaded, counted 13 drops in the right counters, and unloaded cleanly"
