#!/bin/bash
# Every XFRM counter that traffic from outside can move, moved on purpose:
# replayed, corrupted (each byte of an ESP packet in turn), truncated,
# stretched and random ESP, unknown and larval SPIs, the wrong
# encapsulation, expired SAs, mode, selector and template mismatches,
# missing and blocking policies, a missing SA on output (with and without
# a key manager listening), an exhausted sequence number space and a
# nested bundle. Each case checks that exactly the expected counter moved,
# by the expected amount, and nothing else; the kernel log must stay quiet
# (the runner fails the test on any warning).
#
# Not provokable from outside, and why: XfrmInError, XfrmInBufferError,
# XfrmOutError (memory allocation failures), XfrmOutStateProtoError (the
# crypto driver failing), XfrmInStateInvalid and XfrmOutStateInvalid (an
# SA dying between its lookup and its use: a race window of a few
# instructions), XfrmInPolError (a per-socket policy that fails to
# resolve), XfrmFwdHdrError, XfrmOutBundleCheckError, XfrmOutPolDead
# (stock bundle-cache events; oxfrm passes undecodable forwarded packets
# and caches no bundles yet), XfrmIn/OutStateDirError (6.10+, SA
# directions not offered).
# timeout: 600
. /oxfrm/tests/vm/lib/lib.sh
. /oxfrm/tests/vm/lib/esp.sh

oxfrm_load
esp_topology

# A tunnel a <-> b; three ESP packets a->b captured on b's side.
esp_pair tunnel 4 4 0x1000 $GCM replay-window 32
cap=$(mktemp)
in_b timeout 30 tcpdump -n -i vb -c 3 -w "$cap" 'esp and src 192.0.2.1' 2>"$cap.err" &
capturing "$cap.err"
in_a ping -c 3 -i 0.2 -w 20 -I 10.1.0.1 10.2.0.1 >/dev/null || fail "ping"
wait
esplen=$(tcpdump -n -r "$cap" -c 1 2>/dev/null | sed -n 's/.*length \([0-9]*\)$/\1/p')
echo "captured 3 ESP packets of $esplen bytes"

# b forgets it saw them: a fresh SA, same key, empty window.
in_b ip xfrm state delete src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x1000
in_b ip xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x1000 reqid 1 mode tunnel $GCM replay-window 32
reply_count() {
	in_b ip -s xfrm state get src 192.0.2.2 dst 192.0.2.1 proto esp spi 0x1001 |
		awk '/bytes\),/ { print $2 }'
}
replies=$(reply_count)

# Every byte of an unseen ESP packet damaged in turn: none gets through.
# The SPI's bytes name no SA; any other fails the ICV.
before=$(snapshot b)
in_a espreplay "$cap" -i 1 -F
sleep 0.5
moved=$(moved "$before" "$(snapshot b)")
echo "each of $esplen bytes flipped: $moved"
expect_eq "flipped bytes" "$moved" "XfrmInNoStates=4 XfrmInStateProtoError=$((esplen - 4))"
expect_eq "b answered nothing" "$(reply_count)" "$replies"

# Inbound, at b: unknown SPIs, damaged, cut, stretched and random ESP.
provoke b "XfrmInNoStates=1" in_a espreplay "$cap" -s 0x999
provoke b "XfrmInStateProtoError=1" in_a espreplay "$cap" -i 2 -f 20
provoke b "XfrmInHdrError=1" in_a espreplay "$cap" -t 4
provoke b "XfrmInStateProtoError=1" in_a espreplay "$cap" -t 12
provoke b "XfrmInStateProtoError=1" in_a espreplay "$cap" -t $((esplen - 1))
provoke b "XfrmInStateProtoError=1" in_a espreplay "$cap" -a 1000
provoke b "XfrmInStateProtoError=10" in_a rawsend -p 50 -d 192.0.2.2 -s 0x1000 -q 100 -l 120 -n 10
provoke b "XfrmInStateProtoError=2" in_a rawsend -p 50 -d 192.0.2.2 -s 0x1000 -q 200 -l 9000 -n 2
provoke b "XfrmInNoStates=5" in_a rawsend -p 50 -d 192.0.2.2 -s 0x4242 -l 60 -n 5
expect_eq "b answered nothing" "$(reply_count)" "$replies"
# Replays: the first copy is delivered (b answers it), the others not.
provoke b "" in_a espreplay "$cap" -i 0
provoke b "XfrmInStateSeqError=2" in_a espreplay "$cap" -i 0 -n 2
provoke b "" in_a espreplay "$cap" -i 2
provoke b "XfrmInStateSeqError=1" in_a espreplay "$cap" -i 2
sleep 0.5
[ "$(reply_count)" != "$replies" ] || fail "b answered no replayed packet at all"

# Wrong encapsulation: plain ESP for an ESP-in-UDP SA.
in_b ip xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x777 mode tunnel $GCM encap espinudp 4500 4500 0.0.0.0
provoke b "XfrmInStateMismatch=1" in_a rawsend -p 50 -d 192.0.2.2 -s 0x777 -l 60
# A larval SA (ALLOCSPI) is not keyed yet.
in_b ip xfrm state allocspi src 192.0.2.1 dst 192.0.2.2 proto esp mode tunnel reqid 9 min 0x888 max 0x888 >/dev/null
provoke b "XfrmAcquireError=1" in_a rawsend -p 50 -d 192.0.2.2 -s 0x888 -l 60
esp_flush

# After decryption: the SA's selector, the templates, the policies.
ping1() { in_a ping -c 1 -W 1 -I 10.1.0.1 10.2.0.1; }
esp_pair tunnel 4 4 0x2000 $GCM
in_b ip xfrm state delete src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x2000
in_b ip xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x2000 reqid 1 mode tunnel $GCM sel src 10.9.0.0/16 dst 10.2.0.0/16
provoke b "XfrmInStateMismatch=1" ping1
esp_flush
esp_pair tunnel 4 4 0x2010 $GCM
in_b ip xfrm policy update src 10.1.0.1/32 dst 10.2.0.1/32 dir in tmpl src 192.0.2.1 dst 192.0.2.2 proto esp reqid 2 mode tunnel
provoke b "XfrmInTmplMismatch=1" ping1
in_b ip xfrm policy update src 10.1.0.1/32 dst 10.2.0.1/32 dir in action block
provoke b "XfrmInPolBlock=1" ping1
in_b ip xfrm policy delete src 10.1.0.1/32 dst 10.2.0.1/32 dir in
provoke b "XfrmInNoPols=1" ping1
esp_flush

# A tunnel SA at b for what a sends in transport mode: no IP inside.
in_a ip xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x3000 mode transport $GCM
in_a ip xfrm policy add src 192.0.2.1 dst 192.0.2.2 proto 1 dir out tmpl proto esp mode transport
in_b ip xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x3000 mode tunnel $GCM
provoke b "XfrmInStateModeError=1" in_a ping -c 1 -W 1 192.0.2.2
esp_flush

# An inbound SA that may carry two packets.
in_a ip xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x4000 reqid 1 mode tunnel $GCM
in_b ip xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x4000 reqid 1 mode tunnel $GCM limit packet-hard 2
esp_policies a a b tunnel 4 4 1
in_b ip xfrm policy add src 10.1.0.1/32 dst 10.2.0.1/32 dir in tmpl src 192.0.2.1 dst 192.0.2.2 proto esp reqid 1 mode tunnel
provoke b "" in_a ping -c 2 -i 0.3 -I 10.1.0.1 10.2.0.1
provoke b "XfrmInStateExpired=1" ping1
provoke b "XfrmInNoStates=1" ping1
esp_flush

# Outbound, at a.
in_a ip xfrm policy add src 10.1.0.1/32 dst 10.2.0.1/32 dir out action block
provoke a "XfrmOutPolBlock=1" ping1
in_a ip xfrm policy update src 10.1.0.1/32 dst 10.2.0.1/32 dir out tmpl src 192.0.2.1 dst 192.0.2.2 proto esp reqid 5 mode tunnel
provoke a "XfrmOutPolError=1" ping1
ip netns exec a ip xfrm monitor acquire >/dev/null &
mon=$!
monitor_wait a
provoke a "XfrmOutNoStates=2" in_a ping -c 2 -i 0.3 -W 1 -I 10.1.0.1 10.2.0.1
kill $mon
wait $mon 2>/dev/null
expect_eq "larval states at a" "$(in_a ip xfrm state count)" "	 SAD count 1"
esp_flush
in_a ip xfrm policy add src 10.1.0.1/32 dst 10.2.0.1/32 dir out tmpl src 192.0.2.1 dst 192.0.2.2 proto esp reqid 5 mode tunnel tmpl src 192.0.2.1 dst 192.0.2.2 proto esp reqid 6 mode tunnel
provoke a "XfrmOutBundleGenError=1" ping1
esp_flush
esp_pair tunnel 4 4 0x5000 $GCM
in_a xfrmsa newae 192.0.2.2 0x5000 0 0xfffffffe 0 0 0 >/dev/null
provoke a "" ping1
provoke a "XfrmOutStateSeqError=1" ping1
esp_flush
in_a ip xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x6000 reqid 1 mode tunnel $GCM limit packet-hard 1
esp_policies a a b tunnel 4 4 1
provoke a "XfrmOutStateExpired=1" in_a ping -c 2 -i 0.3 -W 1 -I 10.1.0.1 10.2.0.1
esp_flush
oxfrm_unload
