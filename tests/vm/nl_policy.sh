#!/bin/bash
# NEWPOLICY, UPDPOLICY, GETPOLICY (single and dump), DELPOLICY,
# FLUSHPOLICY, POLEXPIRE, GETSPDINFO and NEWSPDINFO, and lifetime expiry,
# differentially against the stock kernel's xfrm_user: same output, exit
# codes, errnos and monitor events, for IPv4 and IPv6, every direction,
# main and sub policies, templates, marks, interface IDs and indexes.
# timeout: 400
. /oxfrm/tests/vm/lib/lib.sh
. /oxfrm/tests/vm/lib/diff.sh

# z N: N zero bytes in hex
z() { printf '%0*d' $(($1 * 2)) 0; }
# A struct xfrm_user_polexpire naming the IN policy 10.9.0.0/16 ->
# 10.8.0.0/16 by selector; $1 is hard (00 or 01).
sel="0a080000$(z 12)0a090000$(z 12)$(z 8)02001010$(z 12)"
polexp() { echo "$sel$(z 104)00$(z 7)$1$(z 7)"; }
# polinfo FAMILY DIR ACTION SHARE: a struct xfrm_userpolicy_info with a
# selector of FAMILY (little-endian hex) and no addresses
polinfo() { echo "$(z 40)$1$(z 14)$(z 104)$2$3$(z 1)$4$(z 4)"; }
# tmpl PROTO MODE FAMILY: an XFRMA_TMPL attribute holding one struct
# xfrm_user_tmpl to 10.0.0.2 (FAMILY little-endian hex)
tmpl() { echo "44000500""0a000002$(z 16)$1$(z 3)$3$(z 2)$(z 20)$2$(z 3)$(z 12)"; }

script=$(mktemp)
cat >"$script" <<EOT
ip xfrm policy count
ip xfrm policy add src 10.0.0.0/24 dst 10.0.1.0/24 dir out priority 100 tmpl src 192.0.2.1 dst 192.0.2.2 proto esp mode tunnel reqid 1
ip xfrm policy add src 10.0.0.0/24 dst 10.0.1.0/24 dir out priority 100 tmpl src 192.0.2.1 dst 192.0.2.2 proto esp mode tunnel reqid 1
ip xfrm policy add src 10.0.0.0/24 dst 10.0.1.0/24 dir out priority 50
ip xfrm policy add src 10.0.1.0/24 dst 10.0.0.0/24 dir in priority 100 tmpl src 192.0.2.2 dst 192.0.2.1 proto esp mode tunnel reqid 1 level use
ip xfrm policy add src 10.0.1.0/24 dst 10.0.0.0/24 dir fwd priority 100 tmpl src 192.0.2.2 dst 192.0.2.1 proto esp mode tunnel reqid 1
ip xfrm policy add src 10.0.0.1 dst 10.0.0.2 dir out action block
ip xfrm policy add src 10.0.0.1 dst 10.0.0.2 dir in ptype sub priority 7 action allow
ip xfrm policy add src 10.0.0.1 dst 10.0.0.2 dir in ptype sub priority 7 action allow
ip xfrm policy add src 10.0.0.1/32 dst 10.0.0.2/32 proto 6 sport 80 dport 443 dir out priority 3
ip xfrm policy add src 10.0.0.1/32 dst 10.0.0.2/32 proto 17 dport 4500 dir out priority 3
ip xfrm policy add src 10.0.0.1/32 dst 10.0.0.2/32 proto 1 type 8 code 0 dir out priority 3
ip xfrm policy add src 10.0.0.1/32 dst 10.0.0.2/32 dev lo dir out priority 3
ip xfrm policy add src 0.0.0.0/0 dst 0.0.0.0/0 dir out priority 1000 action block
ip xfrm policy add src fd00::/64 dst fd01::/64 dir out priority 10 tmpl src fd00::1 dst fd01::1 proto esp spi 0x1234 mode tunnel reqid 5
ip xfrm policy add src fd00::1 dst fd01::1 dir in tmpl proto ah mode transport tmpl proto esp mode transport level use tmpl proto comp mode transport
ip xfrm policy add src fd00::/64 dst 10.0.0.0/8 dir out
ip xfrm policy add src 10.1.0.0/16 dst 10.2.0.0/16 dir out tmpl src fd00::1 dst fd01::1 proto esp mode tunnel reqid 9
ip xfrm policy add src 10.1.0.0/16 dst 10.2.0.0/16 dir out tmpl proto esp mode transport tmpl proto esp mode transport tmpl proto esp mode transport tmpl proto esp mode transport tmpl proto esp mode transport tmpl proto esp mode transport tmpl proto esp mode transport
ip xfrm policy add src 10.1.0.0/33 dst 10.2.0.0/16 dir out
ip xfrm policy add src 10.1.0.0/16 dst 10.2.0.0/16 dir bogus
ip xfrm policy add src fd00::/129 dst fd01::/64 dir out
ip xfrm policy add src 10.3.0.0/16 dst 10.4.0.0/16 dir out mark 5 mask 0xf
ip xfrm policy add src 10.3.0.0/16 dst 10.4.0.0/16 dir out mark 0x15 mask 0xf
ip xfrm policy add src 10.3.0.0/16 dst 10.4.0.0/16 dir out mark 6 mask 0xf
ip xfrm policy add src 10.3.0.0/16 dst 10.4.0.0/16 dir out if_id 7
ip xfrm policy add src 10.3.0.0/16 dst 10.4.0.0/16 dir out if_id 7 mark 1 mask 1 flag localok
ip xfrm policy add src 10.5.0.0/16 dst 10.6.0.0/16 dir out index 0x101
ip xfrm policy add src 10.5.0.0/16 dst 10.6.0.0/16 dir in index 0x101
ip xfrm policy add src 10.5.0.0/16 dst 10.6.0.0/16 dir fwd index 0x102
ip xfrm policy add src 10.5.1.0/24 dst 10.6.0.0/16 dir out index 0x101
ip xfrm policy add src 10.7.0.0/16 dst 10.8.0.0/16 dir out limit time-soft 100 limit time-hard 200 limit byte-soft 1000 limit packet-hard 99 limit time-use-soft 50
ip xfrm policy add src 10.9.0.0/16 dst 10.8.0.0/16 dir in
ip xfrm policy list
ip -s xfrm policy list
ip xfrm policy count
ip -s -s xfrm policy count
ip xfrm policy list dir out
ip xfrm policy list ptype sub
ip xfrm policy list dir in ptype main
ip xfrm policy list src 10.0.0.0/24
ip xfrm policy list priority 3
ip xfrm policy list action block
ip xfrm policy list proto 6
ip xfrm policy get src 10.0.0.0/24 dst 10.0.1.0/24 dir out
ip xfrm policy get src 10.0.0.0/24 dst 10.0.1.0/24 dir in
ip xfrm policy get src 10.0.0.1 dst 10.0.0.2 dir in
ip xfrm policy get src 10.0.0.1 dst 10.0.0.2 dir in ptype sub
ip xfrm policy get src 10.3.0.0/16 dst 10.4.0.0/16 dir out mark 5 mask 0xf
ip xfrm policy get src 10.3.0.0/16 dst 10.4.0.0/16 dir out mark 0x15 mask 0xf
ip xfrm policy get src 10.3.0.0/16 dst 10.4.0.0/16 dir out if_id 7
ip xfrm policy get src 10.3.0.0/16 dst 10.4.0.0/16 dir out
ip xfrm policy get src fd00::/64 dst fd01::/64 dir out
ip xfrm policy get index 0x101 dir out
ip xfrm policy get index 0x101 dir in
ip xfrm policy get index 0x101 dir fwd
ip xfrm policy get index 0x999 dir out
ip -s xfrm policy get index 0x102 dir fwd
# update: identity is selector, dir, type, mark and if_id; not priority
ip xfrm policy update src 10.0.0.0/24 dst 10.0.1.0/24 dir out priority 200 tmpl src 192.0.2.1 dst 192.0.2.9 proto esp mode tunnel reqid 2
ip xfrm policy update src 10.0.0.0/24 dst 10.0.1.0/24 dir out priority 200 action block
ip xfrm policy update src 10.3.0.0/16 dst 10.4.0.0/16 dir out if_id 7 priority 4
ip xfrm policy update src 10.10.0.0/16 dst 10.11.0.0/16 dir fwd ptype sub
ip xfrm policy list dir out
ip xfrm policy delete src 10.0.0.1 dst 10.0.0.2 dir in
ip xfrm policy delete src 10.0.0.1 dst 10.0.0.2 dir in ptype sub
ip xfrm policy delete src 10.0.0.1 dst 10.0.0.2 dir in ptype sub
ip xfrm policy delete index 0x101 dir in
ip xfrm policy delete index 0x101 dir in
ip xfrm policy delete src 10.3.0.0/16 dst 10.4.0.0/16 dir out mark 6 mask 0xf
ip xfrm policy delete src fd00::1 dst fd01::1 dir in
ip xfrm policy delete src 10.3.0.0/16 dst 10.4.0.0/16 dir out if_id 8
# a key manager's POLEXPIRE (0x1b): soft announces, hard deletes too
xfrmnl 0x1b $(polexp 00)
xfrmnl 0x1b $(polexp 01)
xfrmnl 0x1b $(polexp 01)
# GETSPDINFO (0x25), NEWSPDINFO (0x24): thresholds, and out of range
ip xfrm policy set hthresh4 24 16 hthresh6 64 48
ip -s -s xfrm policy count
ip xfrm policy set hthresh4 33 16
ip xfrm policy set hthresh6 64 129
ip xfrm policy count
xfrmnl 0x25 00000000
xfrmnl 0x25 12345678
xfrmnl 0x24 00000000
xfrmnl 0x24 000000000600040040810000
xfrmnl 0x24 000000000600030021100000
xfrmnl 0x24 000000000600030018180000
ip -s -s xfrm policy count
# raw NEWPOLICY (0x13) checks in the stock kernel's order: share, action,
# family, direction, index, then type and templates
xfrmnl 0x13 $(polinfo 0200 00 00 04)
xfrmnl 0x13 $(polinfo 0200 00 02 00)
xfrmnl 0x13 $(polinfo 0000 00 00 00)
xfrmnl 0x13 $(polinfo 0a00 03 00 00)
xfrmnl 0x13 $(polinfo 0200 01 00 00)0a0010000100000000000000
xfrmnl 0x13 $(polinfo 0200 01 00 00)0a0010000200000000000000
xfrmnl 0x13 $(polinfo 0200 01 00 00)$(tmpl 07 00 0200)
xfrmnl 0x13 $(polinfo 0200 01 00 00)$(tmpl 32 05 0200)
xfrmnl 0x13 $(polinfo 0200 01 00 00)$(tmpl 32 00 0a00)
xfrmnl 0x13 $(polinfo 0200 01 00 00)$(tmpl 32 01 0a00)
xfrmnl 0x13 $(polinfo 0200 01 00 00)0c00080001000000ff000000
ip xfrm policy list
# raw GETPOLICY (0x15) and DELPOLICY (0x14) with a bad direction or type
xfrmnl 0x15 $(z 60)03$(z 3)
xfrmnl 0x14 $(z 60)01$(z 3)0a0010000200000000000000
xfrmnl 0x15 $(z 56)09010000$(z 4)
# a bad policy type; FLUSHPOLICY (0x1d) with no type, sub only, then all
xfrmnl 0x1d 0a0010000200000000000000
ip xfrm policy flush ptype sub
ip xfrm policy flush ptype sub
ip xfrm policy list
ip xfrm policy deleteall dir fwd
ip xfrm policy list
ip xfrm policy flush
ip xfrm policy flush
ip xfrm policy list
ip xfrm policy count
# per-socket policies (the kernel's own SPD holds them): in dumps and
# counts, numbered by the same generator as the SPD's policies (sockpol
# keeps its socket 4 s once it has printed; no fixed sleep waits for it)
: >/tmp/sp; sockpol -d out -a allow -w 4 >/tmp/sp & timeout 30 sh -c 'until grep -q setsockopt /tmp/sp; do sleep 0.1; done'; ip -s xfrm policy list; ip -s xfrm policy count; wait; cat /tmp/sp
# (listed after the SPD's, which is the stock kernel's order while they
# are older than those, as IKE sockets are)
: >/tmp/sp; sockpol -6 -d in -a allow -w 4 >/tmp/sp & timeout 30 sh -c 'until grep -q setsockopt /tmp/sp; do sleep 0.1; done'; ip xfrm policy add src 10.14.0.0/16 dst 10.15.0.0/16 dir out; ip -s xfrm policy list; ip xfrm policy flush; ip -s xfrm policy list; wait; cat /tmp/sp
# lifetimes: a soft then a hard POLEXPIRE, and the policy goes; the second
# policy's limit lies seconds apart, as both stacks count whole seconds
ip xfrm policy add src 10.12.0.0/16 dst 10.13.0.0/16 dir out limit time-soft 1 limit time-hard 3 tmpl src 1.1.1.1 dst 2.2.2.2 proto esp mode tunnel
ip xfrm policy add src 10.12.0.0/16 dst 10.13.0.0/16 dir in limit time-use-hard 6
ip -s xfrm policy list
sleep 9
ip xfrm policy list
ip xfrm policy count
EOT
xfrm_diff "$script"
