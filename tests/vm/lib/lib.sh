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

# listening FILE...: until the sockpol -r writing each FILE (removed
# before it started) has bound its port; 30 s at most. A fixed sleep is
# too short under KASAN, where starting a process can take seconds.
listening() {
	local f i
	for f in "$@"; do
		for i in $(seq 300); do
			grep -qx listening "$f" 2>/dev/null && continue 2
			sleep 0.1
		done
		fail "no socket listening for $f"
	done
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
