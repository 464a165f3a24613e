#!/bin/bash
# Build oxfrm.ko against KDIR in a copy of the tree at OUTDIR, with W=1;
# fails on any compiler warning. Extra arguments go to make (OXFRM_KUNIT=y).
#
#   build.sh KDIR OUTDIR [MAKEVAR=VALUE...]
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
kdir=$1
dst=$2
shift 2
mkdir -p "$dst"
dst=$(cd "$dst" && pwd)
rsync -a --delete --exclude '*.o' --exclude '*.ko' --exclude '.*.cmd' \
	"$top/Kbuild" "$top/include" "$top/src" "$top/tests" "$dst/"
log=$dst/build.log
if ! make -C "$kdir" M="$dst" W=1 "$@" modules >"$log" 2>&1; then
	cat "$log" >&2
	exit 1
fi
if grep -E 'warning:|error:' "$log" >&2; then
	echo "build.sh: warnings building against $kdir" >&2
	exit 1
fi
