#!/bin/bash
# ESP between two oxfrm hosts (tests/vm/lib/esp.sh): ping through every
# mode, family combination and algorithm, with tcpdump on the link showing
# only ESP with the expected SPIs, and no error counter moving. The debug
# kernel runs 16 of the 25, one for each path through oxfrm (see wide).
# timeout: 600
. /oxfrm/tests/vm/lib/lib.sh
. /oxfrm/tests/vm/lib/esp.sh

oxfrm_load
esp_topology

# run NAME MODE OUTER INNER ALG...: ping a->b, 3 times, and look at the link.
spi=4096
run() {
	local name=$1 mode=$2 outer=$3 inner=$4 src dst cap out n
	shift 4
	esp_pair "$mode" "$outer" "$inner" "$spi" "$@"
	if [ "$mode" = transport ]; then
		src=$(esp_addr a outer "$outer")
		dst=$(esp_addr b outer "$outer")
	else
		src=$(esp_addr a inner "$inner")
		dst=$(esp_addr b inner "$inner")
	fi
	cap=$(mktemp)
	ip netns exec b timeout 30 tcpdump -l -n -i vb -c 6 esp >"$cap" 2>"$cap.err" &
	capturing "$cap.err"
	# -w: a reply that comes late still counts.
	out=$(ip netns exec a ping -c 3 -i 0.2 -w 20 -I "$src" "$dst" 2>&1)
	wait
	n=$(grep -c "ESP(spi=0x$(printf '%08x' "$spi")" "$cap")
	m=$(grep -c "ESP(spi=0x$(printf '%08x' $((spi + 1)))" "$cap")
	echo "$name: $(echo "$out" | grep -o '[0-9]* received'), ESP on the link: $n a->b, $m b->a"
	echo "$out" | grep -q ' 3 received' || { cat "$cap"; fail "$name: ping"; }
	[ "$n" = 3 ] && [ "$m" = 3 ] || { cat "$cap"; fail "$name: ESP on the link"; }
	esp_no_errors "$name"
	rm -f "$cap" "$cap.err"
	esp_flush
	spi=$((spi + 16))
}

# wide NAME ...: as run, on the stock kernel only. These combinations take
# no path through oxfrm that another run here does not also take (only
# the crypto API's transform, key or ICV length differs), and under KASAN
# each run costs about 17 s.
wide() {
	[ "$GUEST_KERNEL" = debug ] || run "$@"
}

K24=0x18191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f
K19=0x131415161718191a1b1c1d1e1f202122232425
K28=0x1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637
K36=0x2425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f4041424344454647
K48=0x303132333435363738393a3b3c3d3e3f404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f
K64=0x404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f
CBC="enc cbc(aes) $K16 auth-trunc hmac(sha256) $K32 128"

# Every mode and family combination.
run "transport v4 gcm" transport 4 4 $GCM
run "transport v6 gcm" transport 6 6 $GCM
run "tunnel 4in4 gcm" tunnel 4 4 $GCM
run "tunnel 6in6 gcm" tunnel 6 6 $GCM
run "tunnel 4in6 gcm" tunnel 6 4 $GCM
run "tunnel 6in4 gcm" tunnel 4 6 $GCM
wide "transport v4 cbc-sha256" transport 4 4 $CBC
run "transport v6 cbc-sha256" transport 6 6 $CBC
wide "tunnel 4in6 cbc-sha256" tunnel 6 4 $CBC
run "tunnel 6in4 cbc-sha256" tunnel 4 6 $CBC

# Every algorithm (tunnel 4in4).
wide "gcm-192 icv 8" tunnel 4 4 aead "rfc4106(gcm(aes))" $K28 64
wide "gcm-256 icv 12" tunnel 4 4 aead "rfc4106(gcm(aes))" $K36 96
run "gmac (rfc4543)" tunnel 4 4 aead "rfc4543(gcm(aes))" $K20 128
run "ccm-128 icv 8" tunnel 4 4 aead "rfc4309(ccm(aes))" $K19 64
wide "ccm-128 icv 16" tunnel 4 4 aead "rfc4309(ccm(aes))" $K19 128
run "chacha20-poly1305" tunnel 4 4 aead "rfc7539esp(chacha20,poly1305)" $K36 128
wide "cbc-sha1" tunnel 4 4 enc "cbc(aes)" $K16 auth-trunc "hmac(sha1)" $K20 96
wide "cbc-256 sha384" tunnel 4 4 enc "cbc(aes)" $K32 auth-trunc "hmac(sha384)" $K48 192
wide "cbc-sha512" tunnel 4 4 enc "cbc(aes)" $K16 auth-trunc "hmac(sha512)" $K64 256
wide "ctr-sha256" tunnel 4 4 enc "rfc3686(ctr(aes))" $K20 auth-trunc "hmac(sha256)" $K32 128
run "null-sha256" tunnel 4 4 enc "ecb(cipher_null)" "" auth-trunc "hmac(sha256)" $K32 128
run "3des-md5 (any authenc pair)" tunnel 4 4 enc "cbc(des3_ede)" $K24 auth "hmac(md5)" $K16

# ESN: the high sequence bits in the ICV (authencesn, and AEAD's AAD).
run "gcm esn" tunnel 4 4 $GCM flag esn replay-window 128
run "cbc-sha256 esn" tunnel 6 6 $CBC flag esn replay-window 64
run "chacha esn window 4096" transport 4 4 aead "rfc7539esp(chacha20,poly1305)" $K36 128 flag esn replay-window 4096
oxfrm_unload
