#!/bin/bash
# Build the base guest initramfs for one kernel: busybox, the host programs
# the guest tests use with their libraries, and the kernel's modules listed
# in scripts/guest-modules.txt with modules.dep.
#
#   initramfs.sh KVER MODROOT OUT.cpio.gz
#
# MODROOT is the directory holding lib/modules/KVER ("/" for Debian's).
set -eu
kver=$1
modroot=$2
out=$3
top=$(cd "$(dirname "$0")/.." && pwd)

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage"/usr/{bin,sbin,lib,lib64} "$stage"/{etc,proc,sys,dev,tmp,run,root,mnt,var}
for d in bin sbin lib lib64; do ln -s "usr/$d" "$stage/$d"; done
ln -s ../run "$stage/var/run"

copy_file() {
	mkdir -p "$stage$(dirname "$1")"
	cp -L "$1" "$stage$1"
}

# copy_elf PATH: a binary or shared object and the libraries it links.
copy_elf() {
	local lib
	copy_file "$1"
	for lib in $(ldd "$1" 2>/dev/null | grep -oE '/[^ ]+\.so[^ ]*'); do
		[ -e "$stage$lib" ] || copy_file "$lib"
	done
}

copy_bin() {
	local bin
	bin=$(command -v "$1") || { echo "initramfs: $1 not installed" >&2; return 1; }
	bin=$(readlink -f "$bin")
	copy_elf "$bin"
	[ "$bin" = "/usr/bin/$(basename "$bin")" ] ||
		[ -e "$stage/usr/bin/$1" ] || ln -sf "$bin" "$stage/usr/bin/$1"
}

# Host programs the tests use; busybox fills in the rest.
for b in bash ip ping tcpdump iperf3 nft kmod ss conntrack swanctl pki; do
	copy_bin "$b"
done
# strongSwan's IKE daemon and the plugins the tests load (dlopen()ed, so
# ldd of charon does not name them).
copy_elf /usr/lib/ipsec/charon
for p in random drbg nonce aes sha1 sha2 hmac kdf gmp kernel-netlink \
	socket-default vici pem pkcs1 pkcs8 x509 pubkey constraints; do
	copy_elf "/usr/lib/ipsec/plugins/libstrongswan-$p.so"
done
# glibc dlopen()s it for pthread_cancel(), which charon's threads use.
copy_elf /usr/lib/x86_64-linux-gnu/libgcc_s.so.1
for l in modprobe insmod rmmod lsmod modinfo depmod; do
	ln -sf /usr/bin/kmod "$stage/usr/sbin/$l"
done
cp /bin/busybox "$stage/usr/bin/busybox"
for app in $(/bin/busybox --list-full); do
	name=$(basename "$app")
	[ -e "$stage/usr/bin/$name" ] || [ -e "$stage/usr/sbin/$name" ] ||
		ln -s /usr/bin/busybox "$stage/usr/${app#usr/}"
done

cat >"$stage/etc/passwd" <<EOT
root:x:0:0:root:/root:/bin/bash
tcpdump:x:100:100::/nonexistent:/bin/false
nobody:x:65534:65534::/nonexistent:/bin/false
EOT
printf 'root:x:0:\ntcpdump:x:100:\nnogroup:x:65534:\n' >"$stage/etc/group"
printf '127.0.0.1 localhost\n::1 localhost\n' >"$stage/etc/hosts"
echo guest >"$stage/etc/hostname"

# Kernel modules and their dependencies, then a modules.dep for them.
src=$modroot/lib/modules/$kver
dst=$stage/lib/modules/$kver
mkdir -p "$dst"
for f in modules.order modules.builtin modules.builtin.modinfo; do
	[ -f "$src/$f" ] && cp "$src/$f" "$dst/"
done
grep -vE '^(#|$)' "$top/scripts/guest-modules.txt" | while read -r m; do
	modprobe -d "$modroot" -S "$kver" --show-depends "$m" 2>/dev/null |
		awk '$1 == "insmod" { print $2 }'
done | sort -u | while read -r ko; do
	rel=${ko#"$src"/}
	mkdir -p "$dst/$(dirname "$rel")"
	cp "$ko" "$dst/$rel"
done
depmod -b "$stage" "$kver"

(cd "$stage" && find . | cpio -o -H newc --quiet) | gzip -1 >"$out.tmp"
mv "$out.tmp" "$out"
