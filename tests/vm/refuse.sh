#!/bin/bash
# Beside a module of the kernel's own IPsec (xfrm_user, esp4, esp6, af_key)
# oxfrm refuses to load, says which module to unload, and leaves nothing
# behind; once that module is gone, it loads, and xfrm_user can no longer
# take NETLINK_XFRM. (esp4 and esp6 are not loaded beside oxfrm: when they
# fail to get the ESP handler, the kernel leaves their handler linked in
# its xfrm4/xfrm6 protocol lists after the module is gone. The modprobe.d
# file keeps them away.)
# timeout: 300
. /oxfrm/tests/vm/lib/lib.sh

oxfrm_deps
for m in xfrm_user esp4 esp6 af_key; do
	modprobe $m || fail "cannot load $m"
	dmesg -c >/dev/null
	insmod "$OXFRM_KO" 2>/dev/null && fail "oxfrm loaded beside $m"
	log=$(dmesg -c)
	echo "beside $m: $log"
	echo "$log" | grep -q "oxfrm: .*unload $m first" ||
		fail "no log line naming $m"
	expect_eq "oxfrm log lines beside $m" "$(echo "$log" | grep -c 'oxfrm: ')" 1
	oxfrm_loaded && fail "oxfrm in /sys/module after refusing"
	[ -e /proc/net/oxfrm_stat ] && fail "/proc/net/oxfrm_stat left behind"
	[ -e /proc/sys/net/oxfrm ] && fail "net.oxfrm left behind"

	rmmod $m || fail "cannot unload $m"
	oxfrm_load
	if [ $m = xfrm_user ]; then
		modprobe $m 2>/dev/null
		[ -d /sys/module/$m ] && fail "$m loaded while oxfrm holds its place"
	fi
	oxfrm_unload
	[ -d /sys/module/$m ] && rmmod $m
	# esp4/esp6 pull in xfrm_algo; leave the kernel as we found it.
	[ -d /sys/module/xfrm_algo ] && rmmod xfrm_algo 2>/dev/null
done
echo "refused beside xfrm_user, esp4, esp6 and af_key"
