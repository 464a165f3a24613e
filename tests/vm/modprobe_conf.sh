#!/bin/bash
# With contrib/modprobe.d/oxfrm.conf installed, the first NETLINK_XFRM
# request loads oxfrm (not xfrm_user), and esp4/esp6/af_key stay away.
# timeout: 300
. /oxfrm/tests/vm/lib/lib.sh

kver=$(uname -r)
mkdir -p /lib/modules/$kver/extra /etc/modprobe.d
cp "$OXFRM_KO" /lib/modules/$kver/extra/oxfrm.ko
depmod -a
cp /oxfrm/contrib/modprobe.d/oxfrm.conf /etc/modprobe.d/oxfrm.conf
cleanup() {
	rm -f /etc/modprobe.d/oxfrm.conf /lib/modules/$kver/extra/oxfrm.ko
	depmod -a
}
trap cleanup EXIT

oxfrm_loaded && fail "oxfrm already loaded"
out=$(ip xfrm state list 2>&1)
echo "ip xfrm state list: $out"
oxfrm_loaded || fail "NETLINK_XFRM did not load oxfrm"
[ -d /sys/module/xfrm_user ] && fail "xfrm_user loaded"
for m in esp4 esp6 af_key xfrm_user ip_vti ip6_vti xfrm_interface; do
	modprobe $m 2>/dev/null && fail "modprobe $m succeeded"
	[ -d /sys/module/$m ] && fail "$m loaded"
done
oxfrm_unload
