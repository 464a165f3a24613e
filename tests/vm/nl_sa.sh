#!/bin/bash
# NEWSA, UPDSA, GETSA, DELSA, dumps, counts and lifetimes of keyed states,
# differentially against the stock kernel's xfrm_user: every algorithm
# strongSwan proposes (and their compatibility names), marks, output marks,
# interface IDs, encapsulation, replay windows, ESN, lifetimes with their
# EXPIRE events, and the requests that must fail, with the same errors.
# timeout: 600
. /oxfrm/tests/vm/lib/lib.sh
. /oxfrm/tests/vm/lib/diff.sh

K16=0x10171e252c333a41484f565d646b7279
K19=0x131a21282f363d444b525960676e757c838a91
K20=0x141b222930373e454c535a61686f767d848b9299
K24=0x181f262d343b424950575e656c737a81888f969da4abb2b9
K27=0x1b222930373e454c535a61686f767d848b9299a0a7aeb5bcc3cad1
K28=0x1c232a31383f464d545b626970777e858c939aa1a8afb6bdc4cbd2d9
K32=0x20272e353c434a51585f666d747b828990979ea5acb3bac1c8cfd6dde4ebf2f9
K35=0x232a31383f464d545b626970777e858c939aa1a8afb6bdc4cbd2d9e0e7eef5fc030a11
K36=0x242b323940474e555c636a71787f868d949ba2a9b0b7bec5ccd3dae1e8eff6fd040b1219
K48=0x30373e454c535a61686f767d848b9299a0a7aeb5bcc3cad1d8dfe6edf4fb020910171e252c333a41484f565d646b7279
K64=0x40474e555c636a71787f868d949ba2a9b0b7bec5ccd3dae1e8eff6fd040b121920272e353c434a51585f666d747b828990979ea5acb3bac1c8cfd6dde4ebf2f9

S="ip xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp"
S6="ip xfrm state add src fd00::1 dst fd00::2 proto esp"

script=$(mktemp)
cat >"$script" <<EOT
# AEAD: AES-GCM with every key size and ICV, GMAC, CCM, ChaCha20-Poly1305
$S spi 0x1001 reqid 1 mode tunnel aead 'rfc4106(gcm(aes))' $K20 128
$S spi 0x1002 reqid 1 mode tunnel aead 'rfc4106(gcm(aes))' $K28 96
$S spi 0x1003 reqid 1 mode tunnel aead 'rfc4106(gcm(aes))' $K36 64
$S spi 0x1004 reqid 2 mode transport aead 'rfc4543(gcm(aes))' $K20 128
$S spi 0x1005 reqid 2 mode tunnel aead 'rfc4309(ccm(aes))' $K19 128
$S spi 0x1006 reqid 2 mode tunnel aead 'rfc4309(ccm(aes))' $K35 64
$S spi 0x1007 reqid 3 mode tunnel aead 'rfc7539esp(chacha20,poly1305)' $K36 128
# cipher + integrity, canonical and compatibility names
$S spi 0x1010 reqid 4 mode tunnel enc 'cbc(aes)' $K16 auth-trunc 'hmac(sha256)' $K32 128
$S spi 0x1011 reqid 4 mode tunnel enc aes $K32 auth sha1 $K20
$S spi 0x1012 reqid 4 mode tunnel enc 'cbc(aes)' $K24 auth sha256 $K32
$S spi 0x1013 reqid 4 mode tunnel enc 'cbc(aes)' $K16 auth-trunc 'hmac(sha384)' $K48 192
$S spi 0x1014 reqid 4 mode tunnel enc 'cbc(aes)' $K16 auth-trunc 'hmac(sha512)' $K64 256
$S spi 0x1015 reqid 4 mode tunnel enc 'rfc3686(ctr(aes))' $K20 auth-trunc 'hmac(sha256)' $K32 128
$S spi 0x1016 reqid 4 mode tunnel enc des3_ede $K24 auth md5 $K16
$S spi 0x1017 reqid 4 mode tunnel enc 'cbc(aes)' $K16 auth 'xcbc(aes)' $K16
$S spi 0x1018 reqid 4 mode tunnel enc 'cbc(aes)' $K16 auth 'cmac(aes)' $K16
$S spi 0x1019 reqid 4 mode tunnel enc cipher_null '' auth-trunc 'hmac(sha256)' $K32 128
$S spi 0x101a reqid 4 mode tunnel enc 'cbc(aes)' $K16
$S spi 0x101b reqid 4 mode tunnel auth-trunc 'hmac(sha256)' $K32 96
# unknown algorithms, bad keys and ICVs, impossible combinations
$S spi 0x1020 aead 'rfc4106(gcm(aes))' $K20 100
$S spi 0x1021 aead 'rfc4106(gcm(aes))' $K16 128
$S spi 0x1022 aead 'gcm(nothing)' $K20 128
$S spi 0x1023 enc 'cbc(nothing)' $K16
$S spi 0x1024 enc 'cbc(aes)' $K20 auth-trunc 'hmac(sha256)' $K32 128
$S spi 0x1025 enc 'cbc(aes)' $K16 auth-trunc 'hmac(sha256)' $K32 512
$S spi 0x1026 enc 'cbc(aes)' $K16 auth-trunc 'hmac(nothing)' $K32 128
$S spi 0x1027 enc 'cbc(aes)' $K16 aead 'rfc4106(gcm(aes))' $K20 128
$S spi 0x1028
$S spi 0x1029 comp deflate
$S spi 0x102a mode transport aead 'rfc4106(gcm(aes))' $K20 128 tfcpad 100
$S spi 0x102b mode transport aead 'rfc4106(gcm(aes))' $K20 128 sel src 10.0.0.1 dst 10.0.0.2 sel src fd00::1 dst fd00::2
# marks, output marks, interface IDs, TFC padding, flags, selectors
$S spi 0x1030 reqid 5 mode tunnel aead 'rfc4106(gcm(aes))' $K20 128 mark 7 mask 0xff
$S spi 0x1030 reqid 5 mode tunnel aead 'rfc4106(gcm(aes))' $K20 128 mark 8 mask 0xff
$S spi 0x1030 reqid 5 mode tunnel aead 'rfc4106(gcm(aes))' $K20 128 mark 7 mask 0xf
$S spi 0x1031 reqid 5 mode tunnel aead 'rfc4106(gcm(aes))' $K20 128 output-mark 0x30 mask 0xf0 if_id 9
$S spi 0x1032 reqid 5 mode tunnel aead 'rfc4106(gcm(aes))' $K20 128 tfcpad 100 flag noecn decap-dscp nopmtudisc align4 extra-flag dont-encap-dscp
$S spi 0x1033 reqid 5 mode transport aead 'rfc4106(gcm(aes))' $K20 128 sel src 10.0.0.1 dst 10.0.0.2 proto 6 sport 80 dport 1024
$S spi 0x1034 reqid 5 mode tunnel aead 'rfc4106(gcm(aes))' $K20 128 flag af-unspec
$S spi 0x1035 reqid 5 mode tunnel aead 'rfc4106(gcm(aes))' $K20 128 sel src 10.9.0.0/16 dst 10.8.0.0/33
# NAT-T encapsulation
$S spi 0x1040 reqid 6 mode tunnel aead 'rfc4106(gcm(aes))' $K20 128 encap espinudp 4500 4500 0.0.0.0
$S spi 0x1041 reqid 6 mode tunnel aead 'rfc4106(gcm(aes))' $K20 128 encap espinudp-nonike 4500 4501 192.0.2.1
$S spi 0x1042 reqid 6 mode tunnel aead 'rfc4106(gcm(aes))' $K20 128 encap espintcp 4500 4500 0.0.0.0
# replay windows, ESN
$S spi 0x1050 reqid 7 mode tunnel aead 'rfc4106(gcm(aes))' $K20 128 replay-window 32
$S spi 0x1051 reqid 7 mode tunnel aead 'rfc4106(gcm(aes))' $K20 128 replay-window 64
$S spi 0x1052 reqid 7 mode tunnel aead 'rfc4106(gcm(aes))' $K20 128 replay-window 4096 flag esn
$S spi 0x1053 reqid 7 mode tunnel enc 'cbc(aes)' $K16 auth-trunc 'hmac(sha256)' $K32 128 replay-window 128 flag esn replay-window 0
$S spi 0x1054 reqid 7 mode tunnel aead 'rfc4106(gcm(aes))' $K20 128 flag esn replay-window 0
$S spi 0x1055 reqid 7 mode tunnel aead 'rfc4106(gcm(aes))' $K20 128 replay-seq 5 replay-oseq 9 replay-window 16
# lifetimes (far away here; expiry is tested below)
$S spi 0x1060 reqid 8 mode tunnel aead 'rfc4106(gcm(aes))' $K20 128 limit time-soft 3000 limit time-hard 3600 limit byte-soft 1000000 limit byte-hard 2000000 limit packet-soft 100 limit packet-hard 200 limit time-use-soft 500 limit time-use-hard 600
# IPv6, and the families crossed in tunnel mode
$S6 spi 0x2001 reqid 10 mode tunnel aead 'rfc4106(gcm(aes))' $K20 128
$S6 spi 0x2002 reqid 10 mode transport enc 'cbc(aes)' $K16 auth-trunc 'hmac(sha256)' $K32 128 mark 3 mask 3
$S6 spi 0x2003 reqid 10 mode tunnel aead 'rfc4106(gcm(aes))' $K20 128 sel src 10.1.0.0/16 dst 10.2.0.0/16
$S spi 0x2004 reqid 10 mode tunnel aead 'rfc4106(gcm(aes))' $K20 128 sel src fd01::/64 dst fd02::/64
$S6 spi 0x2005 reqid 10 mode tunnel aead 'rfc4106(gcm(aes))' $K20 128 sel src fd01::/129
# duplicates and updates
$S spi 0x1001 reqid 1 mode tunnel aead 'rfc4106(gcm(aes))' $K20 128
ip xfrm state update src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x1099 reqid 1 mode tunnel aead 'rfc4106(gcm(aes))' $K20 128
ip xfrm state update src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x1001 reqid 1 mode tunnel aead 'rfc4106(gcm(aes))' $K20 128 limit time-soft 1000 output-mark 4 if_id 5
ip xfrm state update src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x1040 reqid 6 mode tunnel aead 'rfc4106(gcm(aes))' $K20 128 encap espinudp 4600 4700 0.0.0.0
ip xfrm state update src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x1040 reqid 6 mode tunnel aead 'rfc4106(gcm(aes))' $K20 128 encap espinudp-nonike 4600 4700 0.0.0.0
ip xfrm state update src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x1001 reqid 1 mode tunnel aead 'rfc4106(gcm(aes))' $K20 128 encap espinudp 4600 4700 0.0.0.0
# ALLOCSPI, then UPDSA completes the larval state; NEWSA replaces a larval one without SPI
ip xfrm state allocspi src 10.0.0.1 dst 10.0.0.3 proto esp reqid 20 mode tunnel min 0x3000 max 0x3000
ip xfrm state add src 10.0.0.1 dst 10.0.0.3 proto esp spi 0x3000 reqid 20 mode tunnel aead 'rfc4106(gcm(aes))' $K20 128
ip xfrm state update src 10.0.0.1 dst 10.0.0.3 proto esp spi 0x3000 reqid 20 mode tunnel aead 'rfc4106(gcm(aes))' $K20 128
ip xfrm state allocspi src 10.0.0.1 dst 10.0.0.4 proto esp reqid 21 mode tunnel min 0x1001 max 0x1001
ip xfrm state add src 10.0.0.1 dst 10.0.0.4 proto esp spi 0x3001 reqid 21 mode tunnel aead 'rfc4106(gcm(aes))' $K20 128
# reading it all back
ip xfrm state get src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x1010
ip xfrm state get src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x1030 mark 7 mask 0xff
ip xfrm state get src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x1030 mark 7
ip xfrm state get src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x1052
ip xfrm state get src fd00::1 dst fd00::2 proto esp spi 0x2002 mark 3 mask 3
ip xfrm state list
ip -s xfrm state list
ip -s -s xfrm state list spi 0x1060
ip xfrm state list src fd00::1
ip xfrm state list reqid 4
ip xfrm state list mode transport
ip xfrm state count
ip xfrm state delete src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x1011
ip xfrm state delete src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x1011
ip xfrm state delete src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x1030 mark 7 mask 0xff
ip xfrm state deleteall reqid 4
ip xfrm state deleteall src fd00::1
ip xfrm state count
ip xfrm state flush
ip xfrm state count
# lifetimes: one soft EXPIRE at 2 s, a hard one (and deletion) at 4 s
$S spi 0x4000 reqid 30 mode tunnel aead 'rfc4106(gcm(aes))' $K20 128 limit time-soft 2 limit time-hard 4
$S spi 0x4001 reqid 30 mode tunnel aead 'rfc4106(gcm(aes))' $K20 128 limit time-use-soft 2 limit time-use-hard 3
sleep 6
ip xfrm state list
EOT
xfrm_diff "$script"

# What oxfrm refuses where the stock kernel has a data path oxfrm lacks.
oxfrm_load
out=$(ip xfrm state add src 10.0.0.1 dst 10.0.0.2 proto ah spi 0x10 auth sha1 $K20 2>&1)
expect_eq "AH state" "$?:$out" "2:Error: Requested type not found."
out=$(ip xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x10 mode beet aead 'rfc4106(gcm(aes))' $K20 128 2>&1)
expect_eq "BEET state" "$?:$out" "2:Error: oxfrm supports transport and tunnel mode only."
expect_eq "states left" "$(ip xfrm state list)" ""
oxfrm_unload
