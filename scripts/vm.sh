#!/bin/bash
# Boot one kernel under QEMU (TCG), run guest tests in it, judge them.
#
#   vm.sh stock|debug TEST...
#
# Builds oxfrm.ko (and, for the debug kernel, its KUnit build) against that
# kernel, packs an initramfs, boots, and reads per-test reports from the
# guest's second serial port, which QEMU writes to a file. A test fails on a
# non-zero exit, a timeout, or any kernel warning, BUG, Oops, KASAN, kmemleak,
# lockdep or refcount report in the kernel log it produced; the failure
# report includes that log. Prints one line per test (and per KUnit case),
# and writes "passed failed skipped" to build/vm-KERNEL/counts.
# OXFRM_SHOW_OUTPUT=1 also prints what passing tests printed.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
# One guest at a time on this machine (2 cores): work trees of the same
# project queue here rather than starve each other's guests of CPU.
exec 9>/tmp/oxfrm-vm.lock
flock 9
kernel=$1
shift
out=$top/build/vm-$kernel
rm -rf "$out"
mkdir -p "$out"
# Until the guest's reports are judged, this run counts as one failure.
echo "0 1 0" >"$out/counts"

die() {
	echo "FAIL $kernel/setup: $*"
	echo "0 1 0" >"$out/counts"
	exit 1
}

case $kernel in
stock)
	kdir=$("$top/scripts/kdir.sh" 6.1)
	[ -n "$kdir" ] || die "no Debian 6.1 headers: run scripts/deps.sh"
	kver=$(sed -n 's/.*UTS_RELEASE "\(.*\)"/\1/p' "$kdir/include/generated/utsrelease.h")
	image=/boot/vmlinuz-$kver
	modroot=/
	mem=2048
	;;
debug)
	dk=$("$top/scripts/debug-kernel.sh") || die "the debug kernel does not build"
	kdir=$dk/src
	kver=$(cat "$dk/release")
	image=$dk/bzImage
	modroot=$dk/mods
	mem=2048
	;;
*)
	echo "vm.sh: unknown kernel $kernel" >&2
	exit 2
	;;
esac

# Module builds, in copies of the tree so kernels and variants never mix.
"$top/scripts/build.sh" "$kdir" "$out/mod" || die "oxfrm.ko does not build against $kdir"
if [ "$kernel" = debug ]; then
	"$top/scripts/build.sh" "$kdir" "$out/kunit" OXFRM_KUNIT=y ||
		die "the KUnit build of oxfrm.ko does not build against $kdir"
fi

# Keyed by the kernel's build too: a rebuilt debug kernel keeps its release.
base=$top/build/initramfs-$kernel-$kver-$(echo "$image" | md5sum | cut -c1-8).cpio.gz
if [ ! -f "$base" ] || [ -n "$(find "$top/scripts/initramfs.sh" \
	"$top/scripts/guest-modules.txt" -newer "$base")" ]; then
	"$top/scripts/initramfs.sh" "$kver" "$modroot" "$base" || die "initramfs"
fi

# The per-run part: /init, oxfrm.ko, the tests and their tools.
extra=$out/extra
mkdir -p "$extra/oxfrm/bin" "$extra/oxfrm/kunit"
install -m 755 "$top/tests/vm/lib/init" "$extra/init"
mkdir -p "$extra/oxfrm/tests"
cp -r "$top/tests/vm" "$extra/oxfrm/tests/vm"
cp -r "$top/contrib" "$extra/oxfrm/contrib"
cp "$out/mod/oxfrm.ko" "$extra/oxfrm/oxfrm.ko"
[ -f "$out/kunit/oxfrm_kunit.ko" ] &&
	cp "$out/kunit/oxfrm.ko" "$out/kunit/oxfrm_kunit.ko" "$extra/oxfrm/kunit/"
for t in "$top"/tests/tools/*.c; do
	gcc -static -O2 -Wall -o "$extra/oxfrm/bin/$(basename "$t" .c)" "$t" ||
		die "cannot build $t"
done
echo "$kernel" >"$extra/oxfrm/kernel"
total=180
peer=
for t in "$@"; do
	f=$top/tests/vm/$t.sh
	[ -f "$f" ] || die "no test $f"
	echo "$t" >>"$extra/oxfrm/tests.list"
	tmo=$(sed -n 's/^# timeout: *\([0-9]*\).*/\1/p' "$f" | head -1)
	total=$((total + ${tmo:-300}))
	p=$(sed -n 's/^# peer: *\([a-z_]*\).*/\1/p' "$f" | head -1)
	peer=${p:-$peer}
done
(cd "$extra" && find . | cpio -o -H newc --quiet) | gzip -1 >"$out/extra.cpio.gz"
cat "$base" "$out/extra.cpio.gz" >"$out/initrd.cpio.gz"

: >"$out/results.log"
# A test with a "# peer: NAME" line gets a second guest, Debian's stock
# kernel running tests/vm/peer/NAME.sh, on a link of its own (a QEMU
# socket netdev: the guests' virtio NICs joined over loopback TCP).
nic=(-nic none)
if [ -n "$peer" ]; then
	port=$((20000 + $$ % 20000))
	nic=(-netdev "socket,id=n0,listen=127.0.0.1:$port"
	     -device virtio-net-pci,netdev=n0,mac=52:54:00:00:0a:01)
fi
timeout "$total" qemu-system-x86_64 -accel tcg -cpu max -smp 2 -m "$mem" \
	-kernel "$image" -initrd "$out/initrd.cpio.gz" \
	-append "console=ttyS0 panic=-1 loglevel=4 printk.devkmsg=on" \
	-display none -monitor none -no-reboot "${nic[@]}" \
	-serial "file:$out/console.log" -serial "file:$out/results.log" \
	>"$out/qemu.log" 2>&1 &
qpid=$!
if [ -n "$peer" ]; then
	sleep 2
	pkver=$(sed -n 's/.*UTS_RELEASE "\(.*\)"/\1/p' \
		"$("$top/scripts/kdir.sh" 6.1)/include/generated/utsrelease.h")
	pbase=$top/build/initramfs-stock-$pkver-$(echo "/boot/vmlinuz-$pkver" | md5sum | cut -c1-8).cpio.gz
	[ -f "$pbase" ] || "$top/scripts/initramfs.sh" "$pkver" / "$pbase" ||
		die "peer initramfs"
	cat "$pbase" "$out/extra.cpio.gz" >"$out/peer-initrd.cpio.gz"
	timeout "$total" qemu-system-x86_64 -accel tcg -cpu max -smp 1 -m 1024 \
		-kernel "/boot/vmlinuz-$pkver" -initrd "$out/peer-initrd.cpio.gz" \
		-append "console=ttyS0 panic=-1 loglevel=4 oxfrm.peer=$peer" \
		-display none -monitor none -no-reboot \
		-netdev "socket,id=n0,connect=127.0.0.1:$port" \
		-device virtio-net-pci,netdev=n0,mac=52:54:00:00:0a:02 \
		-serial "file:$out/peer-console.log" -serial "file:$out/peer.log" \
		>"$out/peer-qemu.log" 2>&1 &
	ppid=$!
fi
wait "$qpid"
qrc=$?
if [ -n "$peer" ]; then
	kill "$ppid" 2>/dev/null
	wait "$ppid" 2>/dev/null
fi

tr -d '\r' <"$out/results.log" | awk -v kernel="$kernel" -v qrc="$qrc" \
	-v tests="$* shutdown" -v console="$out/console.log" \
	-v show_output="${OXFRM_SHOW_OUTPUT:-0}" -f "$top/scripts/judge.awk" \
	>"$out/report"
cat "$out/report"
tail -n 1 "$out/report" | sed -n 's/^counts: //p' >"$out/counts"
read -r _ failed _ <"$out/counts"
# A failure with a peer may be the peer's: show what it logged.
if [ -n "$peer" ] && [ "$failed" != 0 ]; then
	echo "--- the peer guest's log, last 80 lines ($out/peer.log)"
	tr -d '\r' <"$out/peer.log" | tail -n 80 | sed 's/^/    /'
fi
[ "$failed" = 0 ]
