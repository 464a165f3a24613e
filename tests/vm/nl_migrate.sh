#!/bin/bash
# XFRM_MSG_MIGRATE (MOBIKE's kernel side), differentially against the stock
# kernel through tests/tools/xfrmsa.c: policies and SAs moved to new
# endpoints (IPv4, IPv6, across families, with encapsulation and a key
# manager address), counters and replay state carried over, the policy a
# selector names among several, the XFRMNLGRP_MIGRATE event byte by byte,
# and every refusal (no policy, no matching template, malformed requests,
# an unprivileged caller).
#
# A copy that cannot be linked (its SPI clashes at the new endpoints) or
# keyed (the SA is larval) makes the stock kernel warn in
# __xfrm_state_destroy(): its error path drops a copy never marked dead.
# Those two refusals are checked on oxfrm alone, after the comparison.
# timeout: 240
. /oxfrm/tests/vm/lib/lib.sh
. /oxfrm/tests/vm/lib/diff.sh

K20=0x141b222930373e454c535a61686f767d848b9299
K16=0x10171e252c333a41484f565d646b7279
K32=0x20272e353c434a51585f666d747b828990979ea5acb3bac1c8cfd6dde4ebf2f9
GCM="aead 'rfc4106(gcm(aes))' $K20 128"
CBC="enc 'cbc(aes)' $K16 auth-trunc 'hmac(sha256)' $K32 128"
S1=10.1.0.0/16
S2=10.2.0.0/16

script=$(mktemp)
cat >"$script" <<EOT
ip xfrm policy add src $S1 dst $S2 dir out priority 100 tmpl src 192.0.2.1 dst 192.0.2.2 proto esp reqid 1 mode tunnel
ip xfrm policy add src $S2 dst $S1 dir in priority 100 tmpl src 192.0.2.2 dst 192.0.2.1 proto esp reqid 1 mode tunnel
ip xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x100 reqid 1 mode tunnel $GCM replay-window 32 sel src $S1 dst $S2
ip xfrm state add src 192.0.2.2 dst 192.0.2.1 proto esp spi 0x101 reqid 1 mode tunnel $CBC replay-window 128 flag esn sel src $S2 dst $S1
xfrmsa newae 192.0.2.2 0x100 5 9 0x1f 1000 10
# out: both endpoints move, with a key manager address; counters carried
xfrmsa migrate 1 $S1 $S2 tunnel 1 192.0.2.1 192.0.2.2 198.51.100.1 198.51.100.2 kma
xfrmsa getae 198.51.100.2 0x100
xfrmsa getae 192.0.2.2 0x100
# in, ESN: both move, into ESP-in-UDP
xfrmsa migrate 0 $S2 $S1 tunnel 1 192.0.2.2 192.0.2.1 198.51.100.2 198.51.100.1 encap
xfrmsa getae 198.51.100.1 0x101
ip -s xfrm state list
ip xfrm policy list
# only the source moves: the copy sits beside the old SA until it goes
xfrmsa migrate 1 $S1 $S2 tunnel 1 198.51.100.1 198.51.100.2 198.51.100.9 198.51.100.2
# across families, any reqid
xfrmsa migrate 1 $S1 $S2 tunnel 0 198.51.100.9 198.51.100.2 fd00::9 fd00::2
ip xfrm state list
ip xfrm policy list dir out
# and back, through IPv6 again
xfrmsa migrate 1 $S1 $S2 tunnel 1 fd00::9 fd00::2 fd00::19 fd00::12
xfrmsa migrate 1 $S1 $S2 tunnel 1 fd00::19 fd00::12 192.0.2.1 192.0.2.2
ip xfrm policy list dir out
# refusals
xfrmsa migrate 1 10.9.0.0/16 $S2 tunnel 1 192.0.2.1 192.0.2.2 198.51.100.1 198.51.100.2
xfrmsa migrate 1 $S1 $S2 tunnel 9 192.0.2.1 192.0.2.2 198.51.100.1 198.51.100.2
xfrmsa migrate 1 $S1 $S2 transport 1 192.0.2.1 192.0.2.2 198.51.100.1 198.51.100.2
xfrmsa migrate 1 $S1 $S2 tunnel 1 192.0.2.1 192.0.2.2 0.0.0.0 198.51.100.2
xfrmsa migrate 1 $S1 $S2 tunnel 1 192.0.2.1 192.0.2.2 198.51.100.1 0.0.0.0
xfrmsa migrate 1 $S1 $S2 tunnel 1 192.0.2.1 192.0.2.2 198.51.100.1 198.51.100.2 dup
xfrmsa migrate 1 $S1 $S2 tunnel 1 192.0.2.1 192.0.2.2 198.51.100.1 198.51.100.2 short
xfrmsa migrate 1 $S1 $S2 tunnel 1 192.0.2.1 192.0.2.2 198.51.100.1 198.51.100.2 none
xfrmsa migrate 3 $S1 $S2 tunnel 1 192.0.2.1 192.0.2.2 198.51.100.1 198.51.100.2
xfrmsa migrate 1 $S1 $S2 tunnel 1 192.0.2.1 192.0.2.2 198.51.100.1 198.51.100.2 type=sub
xfrmsa migrate 1 $S1 $S2 tunnel 1 192.0.2.1 192.0.2.2 198.51.100.1 198.51.100.2 ifid=5
xfrmsa migrate 1 $S1 $S2 tunnel 1 192.0.2.1 192.0.2.2 198.51.100.1 198.51.100.2 proto=6
unshare -U -r xfrmsa migrate 1 $S1 $S2 tunnel 1 192.0.2.1 192.0.2.2 198.51.100.1 198.51.100.2
ip xfrm policy list dir out
# two migrations in one request; one names no SA
ip xfrm policy add src 10.3.0.0/16 dst 10.4.0.0/16 dir out tmpl src 192.0.2.1 dst 192.0.2.3 proto esp reqid 3 mode tunnel tmpl src 192.0.2.1 dst 192.0.2.3 proto esp reqid 4 mode tunnel
ip xfrm state add src 192.0.2.1 dst 192.0.2.3 proto esp spi 0x300 reqid 3 mode tunnel $GCM
xfrmsa migrate 1 10.3.0.0/16 10.4.0.0/16 tunnel 3 192.0.2.1 192.0.2.3 192.0.2.5 192.0.2.6 also=4
ip xfrm state list
ip xfrm policy list src 10.3.0.0/16
# transport mode: the SA moves, the template has no addresses to move
ip xfrm policy add src 10.7.0.1 dst 10.7.0.2 dir out tmpl proto esp reqid 7 mode transport
ip xfrm state add src 10.7.0.1 dst 10.7.0.2 proto esp spi 0x700 reqid 7 mode transport $GCM
xfrmsa migrate 1 10.7.0.1/32 10.7.0.2/32 transport 7 10.7.0.1 10.7.0.2 10.7.0.3 10.7.0.4
ip xfrm state get src 10.7.0.3 dst 10.7.0.4 proto esp spi 0x700
# one selector, policies told apart by mark: the lowest priority value
# wins, then the older; marks play no part
ip xfrm policy add src 10.8.0.0/16 dst 10.9.0.0/16 dir out priority 20 mark 1 tmpl src 192.0.2.1 dst 192.0.2.20 proto esp reqid 20 mode tunnel
ip xfrm policy add src 10.8.0.0/16 dst 10.9.0.0/16 dir out priority 10 mark 2 tmpl src 192.0.2.1 dst 192.0.2.20 proto esp reqid 20 mode tunnel
ip xfrm policy add src 10.8.0.0/16 dst 10.9.0.0/16 dir out priority 10 mark 3 tmpl src 192.0.2.1 dst 192.0.2.20 proto esp reqid 20 mode tunnel
xfrmsa migrate 1 10.8.0.0/16 10.9.0.0/16 tunnel 20 192.0.2.1 192.0.2.20 192.0.2.1 192.0.2.21
xfrmsa migrate 1 10.8.0.0/16 10.9.0.0/16 tunnel 20 192.0.2.1 192.0.2.20 192.0.2.1 192.0.2.22
xfrmsa migrate 1 10.8.0.0/16 10.9.0.0/16 tunnel 20 192.0.2.1 192.0.2.20 192.0.2.1 192.0.2.23
ip xfrm policy list src 10.8.0.0/16
ip xfrm state count
EOT
xfrm_diff "$script"

# On oxfrm alone: -ENODATA, no event, and nothing changed.
oxfrm_load
ip xfrm policy add src 10.3.0.0/16 dst 10.4.0.0/16 dir out tmpl src 192.0.2.1 dst 192.0.2.3 proto esp reqid 3 mode tunnel || fail "policy add"
ip xfrm state add src 192.0.2.1 dst 192.0.2.3 proto esp spi 0x300 reqid 3 mode tunnel aead 'rfc4106(gcm(aes))' $K20 128 || fail "state add"
ip xfrm state add src 192.0.2.1 dst 192.0.2.7 proto esp spi 0x300 reqid 3 mode tunnel aead 'rfc4106(gcm(aes))' $K20 128 || fail "state add"
ip xfrm policy add src 10.5.0.0/16 dst 10.6.0.0/16 dir out tmpl src 192.0.2.1 dst 192.0.2.8 proto esp reqid 8 mode tunnel || fail "policy add"
ip xfrm state allocspi src 192.0.2.1 dst 192.0.2.8 proto esp reqid 8 mode tunnel min 0x800 max 0x800 >/dev/null || fail "allocspi"
before=$(ip xfrm state list; ip xfrm policy list)
out=$(xfrmsa migrate 1 10.3.0.0/16 10.4.0.0/16 tunnel 3 192.0.2.1 192.0.2.3 192.0.2.1 192.0.2.7)
expect_eq "a clashing copy" "$out" "$(printf 'migrate -61\nevent none')"
out=$(xfrmsa migrate 1 10.5.0.0/16 10.6.0.0/16 tunnel 8 192.0.2.1 192.0.2.8 192.0.2.11 192.0.2.12)
expect_eq "a larval SA" "$out" "$(printf 'migrate -61\nevent none')"
expect_eq "SAD and SPD after refusals" "$(ip xfrm state list; ip xfrm policy list)" "$before"
oxfrm_unload
echo "refusals after a copy: ENODATA, nothing changed"
