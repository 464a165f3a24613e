#!/bin/bash
# make demo: from a fresh machine, install what is needed, build oxfrm, boot
# Debian's stock kernel under QEMU and run tests/vm/demo.sh in it, showing
# its output.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/deps.sh"
OXFRM_SHOW_OUTPUT=1 "$top/scripts/vm.sh" stock demo || true
read -r passed failed skipped <"$top/build/vm-stock/counts"
[ "$failed" = 0 ] && [ "$passed" -ge 1 ] || { echo "demo: FAILED"; exit 1; }
echo "demo: success"
