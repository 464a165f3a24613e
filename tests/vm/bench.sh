#!/bin/bash
# Throughput of oxfrm beside the stock kernel's XFRM, in one guest run:
# the same two-namespace topology (tests/vm/lib/esp.sh) and the same
# `ip xfrm` configuration (AES-GCM-128, tunnel mode, IPv4), first on the
# stock kernel (xfrm_user, esp4), then on oxfrm. Measured: one TCP flow,
# four TCP flows (iperf3 -P 4), and the rate of 64-byte UDP datagrams that
# arrive. Prints a table with the oxfrm/stock ratio of each row. Figures
# under TCG emulation: only the ratios mean something. Run by scripts/bench.
# timeout: 900
. /oxfrm/tests/vm/lib/lib.sh
. /oxfrm/tests/vm/lib/esp.sh

SECS=8
modprobe aesni_intel 2>/dev/null

# iperf3 ARGS...: the receiver's bits per second (or, with -u, packets).
iperf() {
	ip netns exec b iperf3 -s -D -1 -B 10.2.0.1 >/dev/null 2>&1
	sleep 0.5
	ip netns exec a iperf3 -J -c 10.2.0.1 -B 10.1.0.1 -t "$SECS" "$@" >/tmp/iperf.json 2>&1
	sleep 0.5
}

tcp_bps() {
	iperf "$@"
	awk -F'[:,]' '/"sum_received"/ { r = 1 } r && /"bits_per_second"/ { printf "%d", $2; exit }' /tmp/iperf.json
}

udp_pps() {
	iperf -u -l 64 -b 0 "$@"
	awk -F'[:,]' '/"sum"/ { s = 1 } s && /"packets"/ { p = $2 } s && /"lost_packets"/ { l = $2 }
		/"seconds"/ && s && !t { t = $2 }
		END { if (t > 0) printf "%d", (p - l) / t }' /tmp/iperf.json
}

measure() {
	esp_topology
	esp_pair tunnel 4 4 0x1000 aead 'rfc4106(gcm(aes))' $K20 128
	t1=$(tcp_bps)
	t4=$(tcp_bps -P 4)
	u=$(udp_pps)
	ip -all netns delete
	sleep 1
	echo "$t1 $t4 $u"
}

modprobe xfrm_user && modprobe esp4 || fail "stock XFRM"
read -r s1 s4 su < <(measure)
rmmod xfrm_user
stock_unload() {
	for m in esp4 esp6; do
		[ -d /sys/module/$m ] || continue
		for i in $(seq 50); do rmmod $m 2>/dev/null && break; sleep 0.2; done
	done
}
stock_unload
oxfrm_load
read -r o1 o4 ou < <(measure)
oxfrm_unload

ratio() { awk -v o="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.2f", o / s; else print "n/a" }'; }
printf '%-34s %14s %14s %7s\n' "AES-GCM-128 tunnel, IPv4, ${SECS}s" stock oxfrm ratio
printf '%-34s %14s %14s %7s\n' "TCP, 1 flow (Mbit/s)" $((s1 / 1000000)) $((o1 / 1000000)) "$(ratio "$o1" "$s1")"
printf '%-34s %14s %14s %7s\n' "TCP, 4 flows (Mbit/s)" $((s4 / 1000000)) $((o4 / 1000000)) "$(ratio "$o4" "$s4")"
printf '%-34s %14s %14s %7s\n' "UDP 64-byte datagrams (packets/s)" "$su" "$ou" "$(ratio "$ou" "$su")"
[ "$s1" -gt 0 ] && [ "$o1" -gt 0 ] && [ "$s4" -gt 0 ] && [ "$o4" -gt 0 ] ||
	fail "a TCP measurement came back empty"
