#!/bin/bash
# Two hosts over a veth pair, in namespaces a and b, each with its own
# oxfrm (per-namespace SPD and SAD), for ESP traffic tests.
#
#   outer (the link):  a 192.0.2.1, 2001:db8::1    b 192.0.2.2, 2001:db8::2
#   inner (tunnels):   a 10.1.0.1, fd01::1         b 10.2.0.1, fd02::1
#
# esp_topology                 builds it (oxfrm must be loaded)
# esp_pair MODE OUTER INNER SPI ALG...
#                              SAs both ways and policies on both hosts:
#                              MODE tunnel|transport, OUTER/INNER 4|6
#                              (transport: INNER = OUTER), SPI the a->b SPI
#                              (b->a gets SPI+1), ALG the `ip xfrm state`
#                              algorithm words (keys included)
# esp_flush                    removes every SA and policy
# esp_addr HOST ROLE FAMILY    prints an address (ROLE outer|inner)
# esp_errors NS                the counters of NS that are not zero
# esp_no_errors NAME           fails NAME unless a's and b's counters are all 0
# provoke NS "COUNTER=N ..." CMD...
#                              runs CMD; fails unless exactly those counters
#                              of NS moved, by those amounts
#
# in_a CMD..., in_b CMD...      CMD in namespace a or b
#
# K16, K20, K32: keys of those many bytes for the tests' SAs; GCM: the
# `ip xfrm state` words of an AES-GCM-128 SA with the K20 key.

K16=0x10171e252c333a41484f565d646b7279
K20=0x141b222930373e454c535a61686f767d848b9299
K32=0x20272e353c434a51585f666d747b828990979ea5acb3bac1c8cfd6dde4ebf2f9
GCM="aead rfc4106(gcm(aes)) $K20 128"

in_a() { ip netns exec a "$@"; }
in_b() { ip netns exec b "$@"; }

esp_errors() {
	ip netns exec "$1" awk '$2 != 0 { print }' /proc/net/oxfrm_stat
}

esp_no_errors() {
	local ns
	for ns in a b; do
		[ -z "$(esp_errors $ns)" ] ||
			fail "$1: counters in $ns: $(esp_errors $ns)"
	done
}

esp_topology() {
	local ns
	for ns in a b; do
		ip netns add $ns || fail "netns add $ns"
		ip netns exec $ns ip link set lo up
		ip netns exec $ns sysctl -qw net.ipv6.conf.all.accept_dad=0
		ip netns exec $ns sysctl -qw net.ipv6.conf.default.accept_dad=0
	done
	ip link add va netns a type veth peer name vb netns b ||
		fail "veth"
	ip netns exec a ip link set va up
	ip netns exec b ip link set vb up
	ip netns exec a ip addr add 192.0.2.1/24 dev va
	ip netns exec b ip addr add 192.0.2.2/24 dev vb
	ip netns exec a ip addr add 2001:db8::1/64 dev va nodad
	ip netns exec b ip addr add 2001:db8::2/64 dev vb nodad
	for ns in a b; do
		ip netns exec $ns ip link add inner type dummy
		ip netns exec $ns ip link set inner up
	done
	ip netns exec a ip addr add 10.1.0.1/32 dev inner
	ip netns exec a ip addr add fd01::1/128 dev inner nodad
	ip netns exec b ip addr add 10.2.0.1/32 dev inner
	ip netns exec b ip addr add fd02::1/128 dev inner nodad
	# The inner routes point at the link; oxfrm takes the packets
	# before any neighbour is looked for.
	ip netns exec a ip route add 10.2.0.0/24 dev va src 10.1.0.1
	ip netns exec b ip route add 10.1.0.0/24 dev vb src 10.2.0.1
	ip netns exec a ip -6 route add fd02::/64 dev va src fd01::1
	ip netns exec b ip -6 route add fd01::/64 dev vb src fd02::1
}

esp_addr() {
	case $1$2$3 in
	aouter4) echo 192.0.2.1 ;;
	bouter4) echo 192.0.2.2 ;;
	aouter6) echo 2001:db8::1 ;;
	bouter6) echo 2001:db8::2 ;;
	ainner4) echo 10.1.0.1 ;;
	binner4) echo 10.2.0.1 ;;
	ainner6) echo fd01::1 ;;
	binner6) echo fd02::1 ;;
	esac
}

# esp_policies NS SELF PEER MODE OUTER INNER REQID
esp_policies() {
	local ns=$1 self=$2 peer=$3 mode=$4 outer=$5 inner=$6 reqid=$7
	local si sp tmpl_out tmpl_in plen
	si=$(esp_addr "$self" inner "$inner")
	sp=$(esp_addr "$peer" inner "$inner")
	plen=32
	[ "$inner" = 6 ] && plen=128
	if [ "$mode" = transport ]; then
		si=$(esp_addr "$self" outer "$outer")
		sp=$(esp_addr "$peer" outer "$outer")
		tmpl_out="tmpl proto esp reqid $reqid mode transport"
		tmpl_in=$tmpl_out
	else
		tmpl_out="tmpl src $(esp_addr "$self" outer "$outer") dst $(esp_addr "$peer" outer "$outer") proto esp reqid $reqid mode tunnel"
		tmpl_in="tmpl src $(esp_addr "$peer" outer "$outer") dst $(esp_addr "$self" outer "$outer") proto esp reqid $reqid mode tunnel"
	fi
	# shellcheck disable=SC2086
	ip netns exec "$ns" ip xfrm policy add src "$si/$plen" dst "$sp/$plen" dir out $tmpl_out ||
		fail "policy out in $ns"
	# shellcheck disable=SC2086
	ip netns exec "$ns" ip xfrm policy add src "$sp/$plen" dst "$si/$plen" dir in $tmpl_in ||
		fail "policy in in $ns"
}

esp_pair() {
	local mode=$1 outer=$2 inner=$3 spi=$4 ns oa ob af=
	shift 4
	oa=$(esp_addr a outer "$outer")
	ob=$(esp_addr b outer "$outer")
	# An SA's selector has its family unless told otherwise (as with
	# the stock kernel): one carrying the other family must say so.
	[ "$outer" = "$inner" ] || af="flag af-unspec"
	for ns in a b; do
		# shellcheck disable=SC2086
		ip netns exec $ns ip xfrm state add src "$oa" dst "$ob" proto esp spi "$spi" reqid 1 mode "$mode" "$@" $af ||
			fail "state a->b in $ns: $*"
		# shellcheck disable=SC2086
		ip netns exec $ns ip xfrm state add src "$ob" dst "$oa" proto esp spi $((spi + 1)) reqid 1 mode "$mode" "$@" $af ||
			fail "state b->a in $ns: $*"
	done
	esp_policies a a b "$mode" "$outer" "$inner" 1
	esp_policies b b a "$mode" "$outer" "$inner" 1
}

esp_flush() {
	local ns
	for ns in a b; do
		ip netns exec $ns ip xfrm state flush
		ip netns exec $ns ip xfrm policy flush
	done
}

snapshot() {
	ip netns exec "$1" cat /proc/net/oxfrm_stat
}

# moved BEFORE AFTER: "Name=delta" for each counter that changed.
moved() {
	awk 'NR == FNR { a[$1] = $2; next }
		$2 != a[$1] { printf "%s%s=%d", sep, $1, $2 - a[$1]; sep = " " }' \
		<(echo "$1") <(echo "$2")
}

# provoke NS "COUNTER=N ..." CMD...: runs CMD; then exactly those counters
# of NS moved, by those amounts.
provoke() {
	local ns=$1 want=$2 before after moved
	shift 2
	before=$(snapshot "$ns")
	"$@" >/dev/null 2>&1
	sleep 0.5
	after=$(snapshot "$ns")
	moved=$(moved "$before" "$after")
	echo "$want: ${moved:-nothing moved}"
	[ "$moved" = "$want" ] || fail "after '$*' in $ns: moved '$moved', want '$want'"
}
