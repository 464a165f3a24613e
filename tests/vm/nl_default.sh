#!/bin/bash
# SETDEFAULT/GETDEFAULT, request checks and errors over NETLINK_XFRM,
# differentially against the stock kernel's xfrm_user: same output, exit
# codes, errnos and monitor events.
# timeout: 300
. /oxfrm/tests/vm/lib/lib.sh
. /oxfrm/tests/vm/lib/diff.sh

script=$(mktemp)
cat >"$script" <<'EOT'
ip xfrm policy getdefault
ip xfrm policy setdefault in block
ip xfrm policy getdefault
ip xfrm policy setdefault fwd block out block
ip xfrm policy getdefault
ip -s xfrm policy getdefault
ip xfrm policy setdefault in accept fwd accept out accept
ip xfrm policy getdefault
ip xfrm policy setdefault in bogus
# raw GETDEFAULT (0x28); SETDEFAULT (0x27) with an invalid action for out
xfrmnl 0x28 000000
xfrmnl 0x27 020107
xfrmnl 0x28 000000
xfrmnl 0x27 010101
# too short for the fixed header; past XFRM_MSG_MAX; types the kernel never
# takes (NEWSADINFO, REPORT, MAPPING)
xfrmnl 0x27 01
xfrmnl 0x28
xfrmnl 0x29 00000000
xfrmnl 0x22 0000000000000000000000000000000000000000000000000000000000000000
xfrmnl 0x20 00
xfrmnl 0x26 00000000
# a malformed attribute (XFRMA_MARK of 4 bytes) after a valid header
xfrmnl 0x28 000000000800150000000000
# unprivileged: a user namespace that does not own this network namespace
unshare -U -r $(command -v ip) xfrm policy getdefault
unshare -U -r xfrmnl 0x27 020202
ip xfrm policy getdefault
EOT
xfrm_diff "$script"
