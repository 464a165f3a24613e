#!/bin/bash
# SPD churn: policies added, replaced, deleted, flushed and expiring by
# lifetime while other processes dump and query them, then a namespace
# exit and an unload with policies still in place. Passes when every
# command path survives (the harness fails the test on any KASAN, lockdep,
# refcount or timer report) and the SPD's counts agree with its dump.
# timeout: 300
. /oxfrm/tests/vm/lib/lib.sh

oxfrm_load
ip netns add stress || fail "netns add"
run() { ip netns exec stress "$@"; }

churn() {
	local i end=$((SECONDS + 20))
	while [ $SECONDS -lt $end ]; do
		for i in $(seq 0 15); do
			run ip xfrm policy add src 10.$1.$i.0/24 dst 10.9.0.0/16 dir out \
				priority $((i % 3)) limit time-hard $((1 + i % 3)) 2>/dev/null
			run ip xfrm policy update src 10.$1.$i.0/24 dst 10.9.0.0/16 dir out \
				priority $((i % 5)) 2>/dev/null
			run ip xfrm policy add src 10.$1.$i.1 dst 10.9.0.1 dir in \
				ptype sub limit time-soft 1 2>/dev/null
			run ip xfrm policy delete src 10.$1.$((i / 2)).1 dst 10.9.0.1 dir in \
				ptype sub 2>/dev/null
		done
		[ $1 = 1 ] && run ip xfrm policy flush ptype sub
	done
}

reader() {
	local end=$((SECONDS + 20))
	while [ $SECONDS -lt $end ]; do
		run ip -s xfrm policy list >/dev/null
		run ip xfrm policy count >/dev/null
		run ip xfrm policy get src 10.1.3.0/24 dst 10.9.0.0/16 dir out >/dev/null 2>&1
	done
}

# Not through run(): $! must be the monitor itself, to stop it.
ip netns exec stress ip xfrm monitor >/dev/null 2>&1 &
monitor=$!
pids=
churn 1 & pids="$pids $!"
churn 2 & pids="$pids $!"
reader & pids="$pids $!"
reader & pids="$pids $!"
# shellcheck disable=SC2086
wait $pids
kill "$monitor"
wait

# Let the hard lifetimes run out (at most 3 s): what stays is stable. Two
# more stay for the teardown, one with its lifetime timer pending.
sleep 4
run ip xfrm policy add src 10.7.0.0/16 dst 10.8.0.0/16 dir fwd || fail "add"
run ip xfrm policy add src 10.7.0.0/16 dst 10.8.0.0/16 dir in limit time-hard 100 ||
	fail "add with a lifetime"

listed=$(run ip xfrm policy list | grep -c '^src')
counted=$(run ip xfrm policy count | awk '{ print $3 + $5 + $7 }')
echo "after the churn: $listed listed, $counted counted"
expect_eq "policies listed vs counted" "$listed" "$counted"
[ "$listed" -gt 0 ] || fail "the churn left no policy to tear down with"

# Tear down with policies (and their timers) still in place.
ip netns del stress
sleep 1
oxfrm_unload
echo "churn survived; namespace exit and unload with policies in place"
