#!/bin/bash
# Build (once) the debug kernel the tests run on: Debian's linux-source-6.1
# with scripts/kconfig/debug.config merged over allnoconfig. The result is
# cached outside the clone, keyed by the config and the source version, so a
# warm machine never rebuilds it. Prints the cache directory on stdout:
#   <dir>/bzImage  <dir>/mods/lib/modules/<ver>  <dir>/src (KDIR)  <dir>/release
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
frag=$top/scripts/kconfig/debug.config
tarball=$(ls /usr/src/linux-source-6.1.tar.xz)
srcver=$(dpkg-query -W -f='${Version}' linux-source-6.1)
key=$( (cat "$frag"; echo "$srcver") | sha256sum | cut -c1-16)
cache=${OXFRM_CACHE:-/var/cache/oxfrm}
dir=$cache/debug-kernel-$key
mkdir -p "$cache"

exec 9>"$cache/.debug-kernel.lock"
flock 9
if [ -f "$dir/.done" ]; then
	echo "$dir"
	exit 0
fi

log=$cache/debug-kernel-$key.log
echo "debug-kernel: building $srcver with $(basename "$frag") into $dir (log: $log)" >&2
# Built in place: external modules are later built against $dir/src.
rm -rf "$dir"
mkdir -p "$dir"
tar xf "$tarball" -C "$dir"
mv "$dir"/linux-source-6.1 "$dir/src"
cd "$dir/src"
{
	make ARCH=x86_64 allnoconfig
	KCONFIG_CONFIG=.config scripts/kconfig/merge_config.sh -m .config "$frag"
	make ARCH=x86_64 olddefconfig
} >"$log" 2>&1

# Every line of the fragment must have survived Kconfig's dependency rules.
bad=0
while IFS= read -r line; do
	case "$line" in CONFIG_*=*) ;; *) continue ;; esac
	opt=${line%%=*}
	want=${line#*=}
	if [ "$want" = n ]; then
		! grep -q "^$opt=" .config && continue
	else
		grep -qx "$opt=$want" .config && continue
	fi
	echo "debug-kernel: $opt wanted $want, got: $(grep -E "^$opt=|^# $opt is" .config)" >&2
	bad=1
done <"$frag"
[ "$bad" = 0 ] || { echo "debug-kernel: fix $frag" >&2; exit 1; }

make ARCH=x86_64 -j"$(nproc)" bzImage modules >>"$log" 2>&1 ||
	{ tail -40 "$log" >&2; exit 1; }
make ARCH=x86_64 INSTALL_MOD_PATH="$dir/mods" modules_install >>"$log" 2>&1
cp arch/x86/boot/bzImage "$dir/bzImage"
make -s kernelrelease >"$dir/release"
touch "$dir/.done"
echo "$dir"
