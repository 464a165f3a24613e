#!/bin/bash
# The configurations of the interoperability test: one host runs oxfrm
# (side a, the driver, tests/vm/interop.sh), the other the stock kernel's
# XFRM (side b, tests/vm/peer/interop.sh), in two QEMU guests joined by a
# socket netdev. Both install every configuration at once, each with its
# own SPIs, reqid and addresses, from the same table, with the same
# `ip xfrm` commands.
#
#   link:      a 192.0.2.1, 2001:db8::1         b 192.0.2.2, 2001:db8::2
#   control:   a 198.51.100.1                   b 198.51.100.2 (no policy)
#   config i, tunnel:    inner a 10.1.i.1 / fd01::i:1, b 10.2.i.1 / fd02::i:1
#   config i, transport: outer a 192.0.2.(10+i) / 2001:db8::(10+i),
#                              b 192.0.2.(100+i) / 2001:db8::(100+i)

IK20=0x1415161718191a1b1c1d1e1f2021222324252627
IK16=0x101112131415161718191a1b1c1d1e1f
IK32=0x202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
IK19=0x131415161718191a1b1c1d1e1f202122232425
IK28=0x1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637
IK36=0x2425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f4041424344454647
IK48=0x303132333435363738393a3b3c3d3e3f404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f
IK64=0x404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f

# One configuration per line: NAME MODE OUTER INNER ALG...
interop_configs() {
	local gcm="aead rfc4106(gcm(aes)) $IK20 128"
	local cbc="enc cbc(aes) $IK16 auth-trunc hmac(sha256) $IK32 128"
	cat <<EOT
gcm-transport-v4 transport 4 4 $gcm
gcm-transport-v6 transport 6 6 $gcm
gcm-4in4 tunnel 4 4 $gcm
gcm-6in6 tunnel 6 6 $gcm
gcm-4in6 tunnel 6 4 $gcm
gcm-6in4 tunnel 4 6 $gcm
cbc-sha256-transport-v4 transport 4 4 $cbc
cbc-sha256-transport-v6 transport 6 6 $cbc
cbc-sha256-4in4 tunnel 4 4 $cbc
cbc-sha256-6in6 tunnel 6 6 $cbc
cbc-sha256-4in6 tunnel 6 4 $cbc
cbc-sha256-6in4 tunnel 4 6 $cbc
gcm-192-icv8 tunnel 4 4 aead rfc4106(gcm(aes)) $IK28 64
gcm-256-icv12 tunnel 4 4 aead rfc4106(gcm(aes)) $IK36 96
gmac tunnel 4 4 aead rfc4543(gcm(aes)) $IK20 128
ccm-icv8 tunnel 4 4 aead rfc4309(ccm(aes)) $IK19 64
ccm-icv16 tunnel 6 6 aead rfc4309(ccm(aes)) $IK19 128
chacha20-poly1305 tunnel 4 4 aead rfc7539esp(chacha20,poly1305) $IK36 128
cbc-sha1 tunnel 4 4 enc cbc(aes) $IK16 auth-trunc hmac(sha1) $IK20 96
cbc-256-sha384 tunnel 4 4 enc cbc(aes) $IK32 auth-trunc hmac(sha384) $IK48 192
cbc-sha512 tunnel 6 6 enc cbc(aes) $IK16 auth-trunc hmac(sha512) $IK64 256
ctr-sha256 tunnel 4 4 enc rfc3686(ctr(aes)) $IK20 auth-trunc hmac(sha256) $IK32 128
3des-md5 tunnel 4 4 enc cbc(des3_ede) 0x18191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f auth hmac(md5) $IK16
gcm-esn tunnel 4 4 $gcm flag esn replay-window 128
cbc-sha256-esn tunnel 6 6 $cbc flag esn replay-window 64
chacha-esn-transport transport 4 4 aead rfc7539esp(chacha20,poly1305) $IK36 128 flag esn replay-window 1024
natt-gcm-4in4 tunnel 4 4 $gcm encap espinudp 4500 4500 0.0.0.0
natt-gcm-6in6 tunnel 6 6 $gcm encap espinudp 4500 4500 0.0.0.0
natt-cbc-sha256-transport-v4 transport 4 4 $cbc encap espinudp 4500 4500 0.0.0.0
natt-chacha-transport-v6 transport 6 6 aead rfc7539esp(chacha20,poly1305) $IK36 128 encap espinudp 4500 4500 0.0.0.0
EOT
}

# interop_addr SIDE ROLE FAMILY I: an address of config I.
interop_addr() {
	local side=$1 role=$2 fam=$3 i=$4 n
	case $role in
	outer)
		if [ "$side" = a ]; then n=$((10 + i)); else n=$((100 + i)); fi
		if [ "$fam" = 4 ]; then echo "192.0.2.$n"; else echo "2001:db8::$n"; fi ;;
	link)
		if [ "$side" = a ]; then n=1; else n=2; fi
		if [ "$fam" = 4 ]; then echo "192.0.2.$n"; else echo "2001:db8::$n"; fi ;;
	inner)
		if [ "$side" = a ]; then n=1; else n=2; fi
		if [ "$fam" = 4 ]; then echo "10.$n.$i.1"; else echo "fd0$n::$i:1"; fi ;;
	esac
}

# interop_setup SIDE DEV: addresses, routes, SAs and policies of every
# configuration on this side (a or b), the link on DEV.
interop_setup() {
	local side=$1 dev=$2 peer i=0 name mode outer inner alg
	local src dst ssrc sdst la lb af plen tmplo tmpli
	[ "$side" = a ] && peer=b || peer=a
	ip link set "$dev" up
	ip addr add "$(interop_addr "$side" link 4 0)/24" dev "$dev"
	ip addr add "$(interop_addr "$side" link 6 0)/64" dev "$dev" nodad
	if [ "$side" = a ]; then
		ip addr add 198.51.100.1/24 dev "$dev"
	else
		ip addr add 198.51.100.2/24 dev "$dev"
	fi
	ip link add inner type dummy
	ip link set inner up
	while read -r name mode outer inner alg; do
		i=$((i + 1))
		af=
		[ "$outer" = "$inner" ] || af="flag af-unspec"
		if [ "$mode" = transport ]; then
			la=$(interop_addr a outer "$outer" $i)
			lb=$(interop_addr b outer "$outer" $i)
			ip addr add "$(interop_addr "$side" outer "$outer" $i)" dev "$dev" nodad 2>/dev/null ||
				ip addr add "$(interop_addr "$side" outer "$outer" $i)" dev "$dev"
			ssrc=$(interop_addr "$side" outer "$outer" $i)
			sdst=$(interop_addr "$peer" outer "$outer" $i)
			tmplo="tmpl proto esp reqid $i mode transport"
			tmpli=$tmplo
		else
			la=$(interop_addr a link "$outer" $i)
			lb=$(interop_addr b link "$outer" $i)
			ssrc=$(interop_addr "$side" inner "$inner" $i)
			sdst=$(interop_addr "$peer" inner "$inner" $i)
			if [ "$inner" = 4 ]; then
				ip addr add "$ssrc/32" dev inner
				ip route add "$sdst/32" dev "$dev" src "$ssrc"
			else
				ip addr add "$ssrc/128" dev inner nodad
				ip -6 route add "$sdst/128" dev "$dev" src "$ssrc"
			fi
			if [ "$side" = a ]; then src=$la dst=$lb; else src=$lb dst=$la; fi
			tmplo="tmpl src $src dst $dst proto esp reqid $i mode tunnel"
			tmpli="tmpl src $dst dst $src proto esp reqid $i mode tunnel"
		fi
		plen=32
		[ "$inner" = 6 ] && plen=128
		# shellcheck disable=SC2086
		ip xfrm state add src "$la" dst "$lb" proto esp spi $((0x1000 + 2 * i)) reqid $i mode "$mode" $alg $af ||
			echo "interop: config $name: state a->b refused"
		# shellcheck disable=SC2086
		ip xfrm state add src "$lb" dst "$la" proto esp spi $((0x1001 + 2 * i)) reqid $i mode "$mode" $alg $af ||
			echo "interop: config $name: state b->a refused"
		# shellcheck disable=SC2086
		ip xfrm policy add src "$ssrc/$plen" dst "$sdst/$plen" dir out $tmplo
		# shellcheck disable=SC2086
		ip xfrm policy add src "$sdst/$plen" dst "$ssrc/$plen" dir in $tmpli
	done < <(interop_configs)
}
