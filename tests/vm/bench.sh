#!/bin/bash
# Throughput of oxfrm beside the stock kernel's XFRM, in one guest run:
# the same two-namespace topology (tests/vm/lib/esp.sh) and the same
# `ip xfrm` configuration (AES-GCM-128, tunnel mode, IPv4), on the stock
# kernel (xfrm_user, esp4) and on oxfrm in turn, ROUNDS times each, so that
# a slow stretch of the host hurts both alike. Measured: one TCP flow,
# four TCP flows (iperf3 -P 4), and the rate of 64-byte UDP datagrams that
# arrive. Prints every round, then a table of the medians with the
# oxfrm/stock ratio of each row, and the median of the rounds' own ratios
# ("paired": each round's two runs are a minute apart, so a slow stretch
# of the host, which moves the stock kernel's own figure by 10-20% between
# runs, cancels in it). Figures under TCG emulation: only the ratios mean
# something. Run by scripts/bench.
# timeout: 1200
. /oxfrm/tests/vm/lib/lib.sh
. /oxfrm/tests/vm/lib/esp.sh

SECS=8
modprobe aesni_intel 2>/dev/null

# iperf3 ARGS...: the receiver's bits per second (or, with -u, packets).
# The sender is pinned to CPU 0 and the receiver to CPU 1 on both stacks:
# left to the scheduler, the two sometimes share a CPU, which moves a
# round by more than the stacks differ.
iperf() {
	ip netns exec b iperf3 -A 1 -s -D -1 -B 10.2.0.1 >/dev/null 2>&1
	sleep 0.5
	ip netns exec a iperf3 -A 0 -J -c 10.2.0.1 -B 10.1.0.1 -t "$SECS" "$@" >/tmp/iperf.json 2>&1
	sleep 0.5
}

tcp_bps() {
	iperf "$@"
	awk -F'[:,]' '/"sum_received"/ { r = 1 } r && /"bits_per_second"/ { printf "%d", $2; exit }' /tmp/iperf.json
}

# Packets per second: what the receiver's totals (end.sum_received) say
# arrived, over the receiver's own duration.
udp_pps() {
	iperf -u -l 64 -b 0 "$@"
	awk -F'[:,]' '/"sum_received"/ { r = 1 }
		r && /"seconds"/ && t == "" { t = $2 }
		r && /"lost_packets"/ && l == "" { l = $2 }
		r && /"packets"/ && p == "" { p = $2 }
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

ROUNDS=5

stock_unload() {
	local m i
	rmmod xfrm_user
	for m in esp4 esp6; do
		[ -d /sys/module/$m ] || continue
		for i in $(seq 50); do rmmod $m 2>/dev/null && break; sleep 0.2; done
	done
}

# median N...: the middle value (the lower middle of an even count).
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

s1=() s4=() su=() o1=() o4=() ou=()
for r in $(seq "$ROUNDS"); do
	modprobe xfrm_user && modprobe esp4 || fail "stock XFRM"
	read -r a b c < <(measure)
	stock_unload
	s1+=("$a") s4+=("$b") su+=("$c")
	oxfrm_load
	read -r a b c < <(measure)
	oxfrm_unload
	o1+=("$a") o4+=("$b") ou+=("$c")
	echo "round $r: stock $((s1[-1] / 1000000)) $((s4[-1] / 1000000)) Mbit/s ${su[-1]} pkt/s," \
		"oxfrm $((o1[-1] / 1000000)) $((o4[-1] / 1000000)) Mbit/s ${ou[-1]} pkt/s"
done
S1=$(median "${s1[@]}") S4=$(median "${s4[@]}") SU=$(median "${su[@]}")
O1=$(median "${o1[@]}") O4=$(median "${o4[@]}") OU=$(median "${ou[@]}")

ratio() { awk -v o="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.2f", o / s; else print "n/a" }'; }
# paired S O: the median of the rounds' ratios, S and O naming the arrays.
paired() {
	local -n sv=$1 ov=$2
	local i r=()
	for i in "${!sv[@]}"; do r+=("$(ratio "${ov[i]}" "${sv[i]}")"); done
	median "${r[@]}"
}
printf '%-34s %14s %14s %7s %7s\n' "AES-GCM-128 tunnel, IPv4, median of $ROUNDS" stock oxfrm ratio paired
printf '%-34s %14s %14s %7s %7s\n' "TCP, 1 flow (Mbit/s)" $((S1 / 1000000)) $((O1 / 1000000)) "$(ratio "$O1" "$S1")" "$(paired s1 o1)"
printf '%-34s %14s %14s %7s %7s\n' "TCP, 4 flows (Mbit/s)" $((S4 / 1000000)) $((O4 / 1000000)) "$(ratio "$O4" "$S4")" "$(paired s4 o4)"
printf '%-34s %14s %14s %7s %7s\n' "UDP 64-byte datagrams (packets/s)" "$SU" "$OU" "$(ratio "$OU" "$SU")" "$(paired su ou)"
[ "$S1" -gt 0 ] && [ "$O1" -gt 0 ] && [ "$S4" -gt 0 ] && [ "$O4" -gt 0 ] ||
	fail "a TCP measurement came back empty"
