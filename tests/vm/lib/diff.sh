#!/bin/bash
# Differential testing against the stock kernel's XFRM: the same commands
# run once with xfrm_user loaded and once with oxfrm loaded, each time in a
# fresh namespace with `ip xfrm monitor` listening; what they print, their
# exit codes and the monitor's event stream must be identical.
#
#   xfrm_diff SCRIPT     SCRIPT has one shell command per line ('#' comments)
#
# Commands run as root in the namespace through `ip netns exec NS bash -c`;
# $NS names the namespace inside them. Clock times are masked.

# run_commands STACK SCRIPT OUT
run_commands() {
	local ns=diff_$1 script=$2 out=$3 cmd rc mpid
	ip netns add "$ns" || fail "netns add $ns"
	ip netns exec "$ns" ip link set lo up
	ip netns exec "$ns" ip xfrm monitor >"$out.monitor" 2>&1 &
	mpid=$!
	monitor_wait "$ns"
	: >"$out"
	while IFS= read -r cmd; do
		case $cmd in "" | \#*) continue ;; esac
		echo "\$ $cmd" >>"$out"
		NS=$ns ip netns exec "$ns" bash -c "$cmd" >>"$out" 2>&1 </dev/null
		rc=$?
		echo "[exit $rc]" >>"$out"
	done <"$script"
	sleep 0.5
	kill "$mpid" 2>/dev/null
	wait "$mpid" 2>/dev/null
	ip netns del "$ns"
	# Mask clock times: ip prints them as YYYY-MM-DD HH:MM:SS; and
	# what the test says differs by design ($XFRM_DIFF_MASK, sed -E).
	sed -i -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}/<time>/g' \
		"$out" "$out.monitor"
	if [ -n "${XFRM_DIFF_MASK:-}" ]; then
		sed -i -E "$XFRM_DIFF_MASK" "$out" "$out.monitor"
	fi
}

# The stock kernel's states loaded its protocol handlers; they must go
# before oxfrm takes ESP. Its states die asynchronously: wait for them.
stock_unload() {
	local m i
	for m in esp4 esp6 ah4 ah6; do
		[ -d /sys/module/$m ] || continue
		for i in $(seq 50); do
			rmmod $m 2>/dev/null && break
			sleep 0.1
		done
		[ -d /sys/module/$m ] && fail "cannot unload $m"
	done
	return 0
}

# On the debug kernel only oxfrm's side runs: the comparison is the stock
# guest's, which runs every differential test; what the debug guest adds
# is KASAN, kmemleak and lockdep watching oxfrm parse the same commands,
# and the stock kernel's side would only double the time under them.
xfrm_diff() {
	local script=$1 d
	d=$(mktemp -d)

	if [ "$GUEST_KERNEL" != debug ]; then
		modprobe xfrm_user || fail "cannot load xfrm_user"
		run_commands stock "$script" "$d/stock"
		rmmod xfrm_user || fail "cannot unload xfrm_user"
		stock_unload
	fi

	oxfrm_load
	run_commands oxfrm "$script" "$d/oxfrm"
	oxfrm_unload

	cat "$d/oxfrm"
	echo "--- monitor"
	cat "$d/oxfrm.monitor"
	if [ "$GUEST_KERNEL" = debug ]; then
		echo "debug kernel: $(grep -c '^\$ ' "$d/oxfrm") commands run on oxfrm alone"
		return
	fi
	diff -u "$d/stock" "$d/oxfrm" >"$d/diff" &&
		diff -u "$d/stock.monitor" "$d/oxfrm.monitor" >>"$d/diff" ||
		{ echo "--- stock kernel vs oxfrm"; cat "$d/diff"; fail "oxfrm differs from the stock kernel"; }
	echo "identical to the stock kernel: $(grep -c '^\$ ' "$d/oxfrm") commands, $(wc -l <"$d/oxfrm.monitor") monitor lines"
}
