#!/bin/bash
# Runs inside the guest. For each test in /oxfrm/tests.list, writes to the
# result port (/dev/ttyS1):
#   @@BEGIN name
#   | output lines
#   @@DMESG
#   | kernel log lines printed while the test ran
#   @@END name rc seconds
# The host decides pass or fail (rc, and the kernel log) from that.
exec 3>/dev/ttyS1
stty -F /dev/ttyS1 raw -echo 2>/dev/null

echo "@@KERNEL $(uname -r)" >&3
dmesg -c >/dev/null
while read -r t; do
	[ -n "$t" ] || continue
	f=/oxfrm/tests/vm/$t.sh
	tmo=$(sed -n 's/^# timeout: *\([0-9]*\).*/\1/p' "$f" | head -1)
	echo "@@BEGIN $t" >&3
	start=$(date +%s)
	(cd /tmp && timeout "${tmo:-300}" /bin/bash "$f") >/tmp/test.out 2>&1 </dev/null
	rc=$?
	end=$(date +%s)
	# A failed test may leave things behind; the next test starts clean.
	ip -all netns delete 2>/dev/null
	[ -d /sys/module/oxfrm_kunit ] && rmmod oxfrm_kunit >>/tmp/test.out 2>&1
	[ -d /sys/module/oxfrm ] && rmmod oxfrm >>/tmp/test.out 2>&1
	sed 's/^/| /' /tmp/test.out >&3
	echo "@@DMESG" >&3
	dmesg -c | sed 's/^/| /' >&3
	echo "@@END $t $rc $((end - start))" >&3
done </oxfrm/tests.list
echo "@@DONE" >&3
exec 3>&-
