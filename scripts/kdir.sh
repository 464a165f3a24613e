#!/bin/bash
# The kernel build directory oxfrm builds against by default: the running
# kernel's when it has one, else the newest installed Debian 6.1 headers.
# With an argument "6.1" or "6.12", the newest installed Debian 6.1 or
# bookworm-backports 6.12 headers.
set -u
case "${1:-}" in
6.1)
	ls -d /usr/src/linux-headers-6.1.*-amd64 2>/dev/null | sort -V | tail -1
	;;
6.12)
	ls -d /usr/src/linux-headers-6.12.*+deb12-amd64 2>/dev/null | sort -V | tail -1
	;;
*)
	if [ -d "/lib/modules/$(uname -r)/build" ]; then
		echo "/lib/modules/$(uname -r)/build"
	else
		ls -d /usr/src/linux-headers-6.1.*-amd64 2>/dev/null | sort -V | tail -1
	fi
	;;
esac
