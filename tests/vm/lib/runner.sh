#!/bin/bash
# Runs inside the guest. For each test in /oxfrm/tests.list, writes to the
# result port (/dev/ttyS1):
#   @@BEGIN name
#   | output lines
#   @@DMESG
#   | kernel log lines printed while the test ran
#   @@END name rc seconds
# The host decides pass or fail (rc, and the kernel log) from that. After
# the last test, a "shutdown" report carries what the kernel logged while
# namespaces and modules were torn down.
exec 3>/dev/ttyS1
stty -F /dev/ttyS1 raw -echo 2>/dev/null

# report NAME RC SECONDS: the test's output (/tmp/test.out) and kernel log.
# awk, unlike sed, ends every line, so a last line without a newline
# cannot swallow the marker after it.
report() {
	echo "@@BEGIN $1" >&3
	awk '{ print "| " $0 }' /tmp/test.out >&3
	echo "@@DMESG" >&3
	dmesg -c | awk '{ print "| " $0 }' >&3
	echo "@@END $1 $2 $3" >&3
	: >/tmp/test.out
}

echo "@@KERNEL $(uname -r)" >&3
dmesg -c >/dev/null
while read -r t; do
	[ -n "$t" ] || continue
	f=/oxfrm/tests/vm/$t.sh
	tmo=$(sed -n 's/^# timeout: *\([0-9]*\).*/\1/p' "$f" | head -1)
	start=$(date +%s)
	(cd /tmp && timeout "${tmo:-300}" /bin/bash "$f") >/tmp/test.out 2>&1 </dev/null
	rc=$?
	end=$(date +%s)
	# A failed test may leave things behind; the next test starts clean.
	# A module that will not unload fails the test that left it.
	ip -all netns delete 2>/dev/null
	for m in oxfrm_kunit oxfrm; do
		[ -d /sys/module/$m ] || continue
		if ! rmmod $m >>/tmp/test.out 2>&1; then
			echo "runner: $m would not unload" >>/tmp/test.out
			rc=98
		fi
	done
	report "$t" "$rc" $((end - start))
done </oxfrm/tests.list

# Namespace teardown is asynchronous: give it time, then judge its log.
sleep 3
report shutdown 0 3
echo "@@DONE" >&3
exec 3>&-
