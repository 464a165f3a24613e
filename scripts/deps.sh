#!/bin/bash
# Make a fresh Debian 12 machine ready to build and test oxfrm.
# Idempotent: installs only what is missing, from Debian's archive only.
set -eu

pkgs=(
	build-essential bc bison flex libelf-dev libssl-dev dwarves cpio gzip
	xz-utils kmod rsync sparse perl
	linux-headers-amd64 linux-image-amd64 linux-source-6.1
	qemu-system-x86 busybox-static
	iproute2 iputils-ping iperf3 tcpdump nftables
	strongswan-charon strongswan-swanctl strongswan-pki conntrack
)
# 6.12 headers come from bookworm-backports; the harness compile-checks them.
bpo_list=/etc/apt/sources.list.d/oxfrm-backports.sources

missing() {
	local p
	for p in "$@"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
			grep -q '^install ok installed' || echo "$p"
	done
}

need=$(missing "${pkgs[@]}")
have_bpo=1
ls -d /usr/src/linux-headers-6.12.*+deb12-amd64 >/dev/null 2>&1 || have_bpo=0
[ -z "$need" ] && [ "$have_bpo" = 1 ] && exit 0

export DEBIAN_FRONTEND=noninteractive
if [ ! -f "$bpo_list" ]; then
	cat > "$bpo_list" <<EOT
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOT
fi
apt-get update -qq || true
if [ -n "$need" ]; then
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $need
fi
if [ "$have_bpo" = 0 ]; then
	h=$(apt-cache search --names-only '^linux-headers-6\.12\.[0-9.]+\+deb12-amd64$' |
		awk '{print $1}' | sort -V | tail -1)
	if [ -n "$h" ]; then
		apt-get install -y -qq --no-install-recommends "$h" ||
			echo "deps: could not install $h; 6.12 compile check will be skipped" >&2
	else
		echo "deps: no 6.12 headers in bookworm-backports; 6.12 compile check will be skipped" >&2
	fi
fi
