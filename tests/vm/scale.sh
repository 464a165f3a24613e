#!/bin/bash
# 50,000 SAs, then 50,000 policies, on the stock kernel's XFRM and on
# oxfrm in turn: added with one `ip -batch`, looked up one by one (a
# sample, in one `ip -force -batch`), dumped, counted and flushed, with no
# soft lockup or RCU stall (the harness fails on any). Prints the memory
# each stack used per SA and per policy (Slab and MemAvailable deltas of
# /proc/meminfo) side by side. (Earlier stops ran 100,000 of each; half
# keeps make test within CI's time on slower machines. Raise N to measure.)
# timeout: 1500
. /oxfrm/tests/vm/lib/lib.sh
. /oxfrm/tests/vm/lib/diff.sh

# Measured on the stock kernel only: under KASAN and lockdep this would
# measure them, and the other guest tests already run there.
[ "$GUEST_KERNEL" = stock ] || skip "scale is measured on the stock kernel"
N=50000
K20=0x141b222930373e454c535a61686f767d848b9299
batch=$(mktemp)
pbatch=$(mktemp)
# With each batch, the sample to look up one by one, written from the same
# lines: exact IPv4 out policies, IPv4 SAs. ip's get exits at the first
# miss even with -force, so a miss shows as fewer entries printed than
# asked for.
gets=$(mktemp)
pgets=$(mktemp)
# Policies: exact ones (both families, three in four, as a gateway with
# many host-to-host tunnels has) and prefix ones with ports and protocols.
awk -v n="$N" -v sample="$pgets" 'BEGIN {
	for (i = 0; i < n; i++) {
		a = int(i / 256) % 256; b = i % 256; c = int(i / 65536)
		if (i % 4 == 0)
			sel = sprintf("src 10.%d.%d.%d/32 dst 172.16.%d.%d/32", c, a, b, a, b)
		else if (i % 4 == 1)
			sel = sprintf("src 10.%d.%d.0/24 dst 172.%d.%d.0/24 proto 6 dport %d", c, a, 16 + c, b, 1 + i % 60000)
		else if (i % 4 == 2)
			sel = sprintf("src 10.%d.%d.%d/32 dst 192.168.%d.%d/32 proto 17 sport %d", c, a, b, a, b, 1 + i % 60000)
		else
			sel = sprintf("src fd00::%x:%x/128 dst fd01::%x:%x/128", c, a * 256 + b, c, a * 256 + b)
		printf "xfrm policy add %s dir %s priority %d tmpl proto esp mode transport reqid %d\n", sel, (i % 2) ? "in" : "out", i % 7, i
		# Multiples of 1996: exact IPv4 selectors, dir out.
		if (i % 1996 == 0)
			printf "xfrm policy get %s dir out\n", sel >sample
	}
}' >"$pbatch"
# Distinct destinations and SPIs, a few reqids, both families.
awk -v n="$N" -v k="$K20" -v sample="$gets" 'BEGIN {
	for (i = 0; i < n; i++) {
		if (i % 4 == 3)
			d = sprintf("fd00::%x:%x", int(i / 65536), i % 65536)
		else
			d = sprintf("10.%d.%d.%d", int(i / 65536) % 256, int(i / 256) % 256, i % 256)
		s = (i % 4 == 3) ? "fd00::1" : "10.255.255.1"
		printf "xfrm state add src %s dst %s proto esp spi %d reqid %d mode tunnel aead rfc4106(gcm(aes)) %s 128\n", s, d, 4096 + i, i % 16, k
		if (i % 997 == 0 && i % 4 != 3)
			printf "xfrm state get src %s dst %s proto esp spi %d\n", s, d, 4096 + i >sample
	}
}' >"$batch"

gets_n=$(wc -l <"$gets")
pgets_n=$(wc -l <"$pgets")

meminfo() {
	awk -v k="$1" '$1 == k ":" { print $2 }' /proc/meminfo
}

# Until what an earlier phase freed (namespaces and their states go
# asynchronously) is back: Slab steady within 256 KiB for a second.
settle() {
	local a b i
	for i in $(seq 60); do
		sync; echo 3 >/proc/sys/vm/drop_caches
		a=$(meminfo Slab)
		sleep 1
		b=$(meminfo Slab)
		[ $((a - b)) -lt 256 ] && [ $((b - a)) -lt 256 ] && return
	done
}

# run_policies STACK: as run, for the policies of $pbatch
run_policies() {
	local ns=scalep_$1 slab0 avail0 slab1 avail1 t0 t1 n
	ip netns add "$ns"
	settle
	slab0=$(meminfo Slab); avail0=$(meminfo MemAvailable)
	t0=$(date +%s)
	ip netns exec "$ns" ip -batch "$pbatch" || fail "$1: policy batch add failed"
	t1=$(date +%s)
	slab1=$(meminfo Slab); avail1=$(meminfo MemAvailable)
	n=$(ip netns exec "$ns" ip xfrm policy list | grep -c '^src')
	expect_eq "$1: policies dumped" "$n" "$N"
	n=$(ip netns exec "$ns" ip -force -batch "$pgets" 2>/dev/null | grep -c '^src')
	expect_eq "$1: sampled policy lookups that found their policy" "$n" "$pgets_n"
	ip netns exec "$ns" ip xfrm policy flush || fail "$1: policy flush"
	n=$(ip netns exec "$ns" ip xfrm policy list | grep -c '^src')
	expect_eq "$1: policies after flush" "$n" 0
	ip netns del "$ns"
	echo "$1-policies $(( (slab1 - slab0) * 1000 / N )) $(( (avail0 - avail1) * 1000 / N )) $((t1 - t0))" >>"$results"
}

# run STACK: prints "STACK slab_kib_per_1000 avail_kib_per_1000 add_s"
run() {
	local ns=scale_$1 slab0 avail0 slab1 avail1 t0 t1 n
	ip netns add "$ns"
	settle
	slab0=$(meminfo Slab); avail0=$(meminfo MemAvailable)
	t0=$(date +%s)
	ip netns exec "$ns" ip -batch "$batch" || fail "$1: batch add failed"
	t1=$(date +%s)
	slab1=$(meminfo Slab); avail1=$(meminfo MemAvailable)
	n=$(ip netns exec "$ns" ip xfrm state count | awk '{ print $NF }')
	expect_eq "$1: SAD count" "$n" "$N"
	n=$(ip netns exec "$ns" ip xfrm state list | grep -c '^src')
	expect_eq "$1: SAs dumped" "$n" "$N"
	n=$(ip netns exec "$ns" ip -force -batch "$gets" 2>/dev/null | grep -c '^src')
	expect_eq "$1: sampled lookups that found their SA" "$n" "$gets_n"
	ip netns exec "$ns" ip xfrm state flush || fail "$1: flush"
	n=$(ip netns exec "$ns" ip xfrm state count | awk '{ print $NF }')
	expect_eq "$1: SAD count after flush" "$n" 0
	ip netns del "$ns"
	echo "$1 $(( (slab1 - slab0) * 1000 / N )) $(( (avail0 - avail1) * 1000 / N )) $((t1 - t0))" >>"$results"
}

results=$(mktemp)
modprobe xfrm_user || fail "cannot load xfrm_user"
run stock
run_policies stock
rmmod xfrm_user
stock_unload
oxfrm_load
run oxfrm
run_policies oxfrm
oxfrm_unload

echo "$N of each       slab bytes/obj   memory bytes/obj   add time"
while read -r stack slab avail secs; do
	printf '%-16s %15d %18d %9ss\n' "$stack" $((slab * 1024 / 1000)) \
		$((avail * 1024 / 1000)) "$secs"
done <"$results"
