#!/bin/bash
# The stock kernel's side of tests/vm/interop.sh (side b): xfrm_user, esp4
# and esp6 configured with the same `ip xfrm` commands, then it answers
# pings and serves iperf3 until the host stops it.
. /oxfrm/tests/vm/lib/interop.sh
for m in virtio_pci virtio_net xfrm_user esp4 esp6; do
	modprobe $m
done
dev=$(ls /sys/class/net | grep -v -e lo -e inner | head -1)
interop_setup b "$dev"
echo "peer: $(ip xfrm state count), $(ip xfrm policy count) on $dev"
iperf3 -s -D
while :; do sleep 60; done
