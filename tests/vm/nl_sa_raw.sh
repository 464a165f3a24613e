#!/bin/bash
# What strongSwan does to SAs beyond `ip xfrm`, over raw NETLINK_XFRM
# (tests/tools/xfrmsa.c), differentially against the stock kernel: GETAE
# and NEWAE, the GETSA/DELSA/NEWSA round trip charon makes when a peer
# moves (every attribute sent back verbatim, counters restored), the
# user-sent EXPIRE, all of them from an unprivileged user namespace, and a
# dump of 2000 states.
# timeout: 300
. /oxfrm/tests/vm/lib/lib.sh
. /oxfrm/tests/vm/lib/diff.sh

K20=0x141b222930373e454c535a61686f767d848b9299
K16=0x10171e252c333a41484f565d646b7279
K32=0x20272e353c434a51585f666d747b828990979ea5acb3bac1c8cfd6dde4ebf2f9

# 2000 states: their dump spans many recvmsg calls.
batch=$(mktemp)
for i in $(seq 4096 6095); do
	printf 'xfrm state add src 10.1.0.1 dst 10.1.0.2 proto esp spi %d reqid %d mode tunnel aead rfc4106(gcm(aes)) %s 128\n' "$i" "$i" "$K20"
done >"$batch"

script=$(mktemp)
cat >"$script" <<EOT
ip -batch $batch
ip xfrm state list | grep -c '^src'
ip xfrm state list | md5sum
ip xfrm state count
ip xfrm state flush
ip xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x100 reqid 1 mode tunnel aead 'rfc4106(gcm(aes))' $K20 128 replay-window 32
ip xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x101 reqid 2 mode tunnel enc 'cbc(aes)' $K16 auth-trunc 'hmac(sha256)' $K32 128 replay-window 128 flag esn encap espinudp 4500 4500 0.0.0.0 output-mark 7 if_id 3 extra-flag dont-encap-dscp
ip xfrm state add src fd00::1 dst fd00::2 proto esp spi 0x102 reqid 3 mode transport aead 'rfc7539esp(chacha20,poly1305)' 0x242b323940474e555c636a71787f868d949ba2a9b0b7bec5ccd3dae1e8eff6fd040b1219 128 limit time-soft 100 limit packet-hard 1000
xfrmsa getae 10.0.0.2 0x100
xfrmsa getae 10.0.0.2 0x100 0x9
xfrmsa getae 10.0.0.2 0x101
xfrmsa getae fd00::2 0x102
xfrmsa getae 10.0.0.2 0x999
xfrmsa newae 10.0.0.2 0x100 5 9 0x1f 1000 10
xfrmsa getae 10.0.0.2 0x100
xfrmsa newae 10.0.0.2 0x101 5 9 0x1f 1000 10
xfrmsa newae 10.0.0.2 0x999 5 9 0x1f 1000 10
ip -s xfrm state list
xfrmsa move 10.0.0.2 0x100
xfrmsa move 10.0.0.2 0x101
xfrmsa move fd00::2 0x102
xfrmsa getae 10.0.0.2 0x100
ip -s xfrm state list
xfrmsa expire 10.0.0.2 0x100 0
xfrmsa expire 10.0.0.2 0x100 1
xfrmsa expire 10.0.0.2 0x100 1
ip xfrm state allocspi src 10.0.0.1 dst 10.0.0.3 proto esp min 0x200 max 0x200
xfrmsa expire 10.0.0.3 0x200 1
xfrmsa getae 10.0.0.3 0x200
ip xfrm state count
# a key manager's own ACQUIRE: one event per template; bad policies refused
xfrmsa acquire 192.0.2.2 0 192.0.2.1 1
xfrmsa acquire 192.0.2.2 0 192.0.2.1 3
xfrmsa acquire fd00::2 0 fd00::1 2
xfrmsa acquire 192.0.2.2 0 192.0.2.1 0
xfrmsa acquire 192.0.2.2 0 192.0.2.1 7
unshare -U -r xfrmsa acquire 192.0.2.2 0 192.0.2.1 1
# unprivileged: a user namespace that does not own this network namespace
unshare -U -r xfrmsa getae 10.0.0.2 0x101
unshare -U -r xfrmsa newae 10.0.0.2 0x101 1 1 1 1 1
unshare -U -r xfrmsa move 10.0.0.2 0x101
unshare -U -r xfrmsa expire 10.0.0.2 0x101 1
unshare -U -r $(command -v ip) xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x300 aead 'rfc4106(gcm(aes))' $K20 128
unshare -U -r $(command -v ip) xfrm state list
unshare -U -r $(command -v ip) xfrm state count
ip -s xfrm state list
EOT
# ACQUIRE sequence numbers come from the kernel's one global counter, which
# the stock kernel's run advanced first.
XFRM_DIFF_MASK='s/^(\s*seq )0x[0-9a-f]+/\1<acqseq>/' xfrm_diff "$script"
