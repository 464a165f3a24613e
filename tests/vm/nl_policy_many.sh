#!/bin/bash
# 2000 policies of mixed prefixes, families and directions: the dump must
# come back complete and in the stock kernel's order, over many recvmsg
# calls, and the counts and hash sizes must read as the stock kernel's;
# then deleteall and flush empty the SPD. Differential, as nl_policy, but
# without a monitor: thousands of events overflow its socket, at points
# that differ from run to run.
# timeout: 600
. /oxfrm/tests/vm/lib/lib.sh
. /oxfrm/tests/vm/lib/diff.sh

batch=/tmp/policies.batch
: >"$batch"
for i in $(seq 0 1499); do
	a=$((i / 250)) b=$((i % 250)) p=$((16 + i % 17))
	dirs=(out in fwd)
	echo "xfrm policy add src 10.$a.$b.0/24 dst 172.16.0.0/$p dir ${dirs[$((i % 3))]} priority $((i % 7))" >>"$batch"
done
for i in $(seq 0 499); do
	echo "xfrm policy add src fd00:$i::/$((48 + i % 80)) dst fd01::$i/128 dir out ptype sub" >>"$batch"
done

# run STACK: the commands in a fresh namespace, output to /tmp/STACK
run() {
	local cmd
	ip netns add many || fail "netns add"
	: >"/tmp/$1"
	while IFS= read -r cmd; do
		echo "\$ $cmd" >>"/tmp/$1"
		ip netns exec many bash -c "$cmd" >>"/tmp/$1" 2>&1 </dev/null
		echo "[exit $?]" >>"/tmp/$1"
	done <<EOT
ip -batch $batch
ip -s -s xfrm policy count
ip xfrm policy list | grep -c '^src'
ip xfrm policy list | md5sum
ip -s xfrm policy list | grep -c index
ip xfrm policy get src 10.3.6.0/24 dst 172.16.0.0/24 dir out
ip xfrm policy deleteall dir in
ip -s -s xfrm policy count
ip xfrm policy list | grep -c '^src'
ip xfrm policy flush ptype sub
ip xfrm policy list | md5sum
ip xfrm policy flush
ip xfrm policy count
ip xfrm policy list | grep -c '^src'
EOT
	ip netns del many
}

# The debug guest runs oxfrm's side only, as xfrm_diff does there.
if [ "$GUEST_KERNEL" != debug ]; then
	modprobe xfrm_user || fail "cannot load xfrm_user"
	run stock
	rmmod xfrm_user || fail "cannot unload xfrm_user"
fi
oxfrm_load
run oxfrm
oxfrm_unload
cat /tmp/oxfrm
grep -qx 2000 /tmp/oxfrm || fail "the dump did not list 2000 policies"
[ "$GUEST_KERNEL" = debug ] && exit 0
diff -u /tmp/stock /tmp/oxfrm || fail "oxfrm differs from the stock kernel"
echo "identical to the stock kernel"
