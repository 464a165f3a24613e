#!/bin/bash
# Style and static checks of the kernel sources.
#
#   check.sh checkpatch   scripts/checkpatch.pl --strict (from linux-source-6.1)
#   check.sh sparse       sparse over a build against the stock 6.1 headers
#   check.sh              both
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${OXFRM_CACHE:-/var/cache/oxfrm}
sources() {
	cd "$top" && git ls-files -co --exclude-standard -- \
		'src/*.[ch]' 'include/*.h' 'tests/kunit/*.c'
}

checkpatch() {
	local dir=$cache/checkpatch n files rc
	if [ ! -f "$dir/linux-source-6.1/scripts/checkpatch.pl" ]; then
		mkdir -p "$dir"
		tar xf /usr/src/linux-source-6.1.tar.xz -C "$dir" \
			linux-source-6.1/scripts/checkpatch.pl \
			linux-source-6.1/scripts/spelling.txt \
			linux-source-6.1/scripts/const_structs.checkpatch || return 1
	fi
	files=$(sources)
	[ -n "$files" ] || { echo "checkpatch: no sources found"; return 1; }
	# ENOSYS: xfrm_user answers an unknown algorithm with ENOSYS, and
	# oxfrm must answer as it does; checkpatch reserves ENOSYS for
	# syscalls. That one type is ignored, nothing else.
	# shellcheck disable=SC2086
	(cd "$top" && perl "$dir/linux-source-6.1/scripts/checkpatch.pl" \
		--no-tree --strict --terse --show-types --ignore ENOSYS -f $files) >"$top/build/checkpatch.log" 2>&1
	rc=$?
	n=$(grep -cE 'ERROR|WARNING|CHECK' "$top/build/checkpatch.log")
	if [ "$n" != 0 ] || [ "$rc" != 0 ]; then
		cat "$top/build/checkpatch.log"
		echo "checkpatch: $n findings (exit $rc)"
		return 1
	fi
	echo "checkpatch --strict: clean ($(echo "$files" | wc -l) files)"
}

sparse() {
	local out=$top/build/sparse
	mkdir -p "$top/build"
	rm -rf "$out"
	if ! "$top/scripts/build.sh" "$("$top/scripts/kdir.sh" 6.1)" "$out" C=2 \
		OXFRM_KUNIT=n >/dev/null 2>"$top/build/sparse.log"; then
		cat "$top/build/sparse.log"
		return 1
	fi
	if grep -E ': (warning|error):' "$out/build.log"; then
		echo "sparse: findings"
		return 1
	fi
	echo "sparse: clean"
}

mkdir -p "$top/build"
case "${1:-all}" in
checkpatch) checkpatch ;;
sparse) sparse ;;
all) checkpatch && sparse ;;
*) echo "usage: check.sh [checkpatch|sparse]" >&2; exit 2 ;;
esac
