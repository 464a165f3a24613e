#!/bin/bash
# Helpers every guest test sources. A test exits 0 to pass, 77 to skip, and
# anything else to fail; it says why on stdout before it fails.
set -u

OXFRM_KO=/oxfrm/oxfrm.ko
KUNIT_KO=/oxfrm/kunit/oxfrm.ko
GUEST_KERNEL=$(cat /oxfrm/kernel)
PATH=/oxfrm/bin:$PATH

fail() {
	echo "FAIL: $*"
	exit 1
}

skip() {
	echo "SKIP: $*"
	exit 77
}

# expect_eq WHAT GOT WANT
expect_eq() {
	[ "$2" = "$3" ] || fail "$1: got '$2', want '$3'"
}

# oxfrm uses the kernel's algorithm table (xfrm_algo), as esp4 does, and
# nf_defrag_ipv6 to see IPv6 reassembled before it checks it.
oxfrm_deps() {
	modprobe xfrm_algo || fail "cannot load xfrm_algo"
	modprobe nf_defrag_ipv6 || fail "cannot load nf_defrag_ipv6"
}

oxfrm_load() {
	oxfrm_deps
	insmod "$OXFRM_KO" "$@" || fail "insmod oxfrm failed"
}

oxfrm_unload() {
	rmmod oxfrm || fail "rmmod oxfrm failed"
}

oxfrm_loaded() {
	[ -d /sys/module/oxfrm ]
}

# counter NAME [NETNS]: one value of /proc/net/oxfrm_stat
counter() {
	local f=/proc/net/oxfrm_stat
	if [ -n "${2:-}" ]; then
		ip netns exec "$2" awk -v n="$1" '$1 == n { print $2 }' "$f"
	else
		awk -v n="$1" '$1 == n { print $2 }' "$f"
	fi
}

# peer_link: loads virtio-net and prints the name of the NIC that links a
# guest to its peer guest (scripts/vm.sh), once it exists.
peer_link() {
	local n dev
	modprobe virtio_pci
	modprobe virtio_net
	for n in $(seq 50); do
		for dev in /sys/class/net/*; do
			dev=${dev##*/}
			case $dev in lo | inner) ;; *) echo "$dev"; return 0 ;; esac
		done
		sleep 0.1
	done
	return 1
}

# wait_for CMD...: until CMD succeeds, tried every 0.1 s; 30 s at most,
# else 1. A fixed sleep is too short under KASAN, where starting a
# process can take seconds.
wait_for() {
	local i
	for i in $(seq 300); do
		"$@" && return 0
		sleep 0.1
	done
	return 1
}

# listening FILE...: until the sockpol -r writing each FILE (removed
# before it started) has bound its port.
listening() {
	local f
	for f in "$@"; do
		wait_for grep -qx listening "$f" 2>/dev/null ||
			fail "no socket listening for $f"
	done
}

# capturing FILE...: until the tcpdump writing its stderr to each FILE
# listens. What is sent before then is not captured: a count of packets
# on the link comes out short.
capturing() {
	local f
	for f in "$@"; do
		wait_for grep -q 'listening on' "$f" 2>/dev/null ||
			{ cat "$f"; fail "tcpdump did not start"; }
	done
}

# monitor_wait NS: until a NETLINK_XFRM socket (protocol 6) in NS has
# joined multicast groups, i.e. `ip xfrm monitor` listens (and for oxfrm,
# a key manager is there to ACQUIRE from).
monitor_wait() {
	wait_for ip netns exec "$1" awk '$2 == 6 && $4 !~ /^0+$/ { found = 1 }
		END { exit !found }' /proc/net/netlink ||
		fail "ip xfrm monitor did not start in $1"
}

# tcp_listener NS PORT: whether a TCP socket in NS listens on PORT.
tcp_listener() {
	[ -n "$(ip netns exec "$1" ss -Hltn "sport = :$2")" ]
}

# tcp_listening NS PORT: until one does.
tcp_listening() {
	wait_for tcp_listener "$1" "$2" || fail "nothing listens on TCP port $2 in $1"
}

kmemleak_available() {
	[ -w /sys/kernel/debug/kmemleak ]
}

# Forget what kmemleak suspected so far: later scans report only new leaks.
kmemleak_clear() {
	echo clear >/sys/kernel/debug/kmemleak
}

# Scan (twice: an object must look unreferenced on two scans to be
# reported), and print what is suspected.
kmemleak_report() {
	echo scan >/sys/kernel/debug/kmemleak
	sleep 6
	echo scan >/sys/kernel/debug/kmemleak
	cat /sys/kernel/debug/kmemleak
}
