#!/bin/bash
# Rekeying on oxfrm's soft expiries, with traffic, and hard expiry when the
# peer is gone. Two oxfrm gateways (namespaces a and b) run charon with one
# CHILD_SA covering everything, 0.0.0.0/0 <=> 0.0.0.0/0: IKE itself passes
# only through charon's per-socket bypass policies. a's CHILD_SA has
# rekey_time 8s and life_time 12s, so oxfrm's soft EXPIRE makes charon
# rekey it every 7 to 8 seconds; a's IKE_SA rekeys after 20s. A ping at
# 20 per second runs across five CHILD_SA rekeys and the IKE_SA rekey and
# must lose nothing. Then b's charon is killed (it cannot delete
# anything); a's charon fails to rekey, and oxfrm's hard expiry removes
# a's SAs.
# timeout: 300
. /oxfrm/tests/vm/lib/lib.sh
. /oxfrm/tests/vm/lib/esp.sh
. /oxfrm/tests/vm/lib/swan.sh
trap swan_stop_all EXIT

oxfrm_load
esp_topology

# conn_opts IKE_REKEY, child_opts CHILD_REKEY CHILD_LIFE
conn_opts() {
	printf '\t\trekey_time = %s\n\t\trand_time = 0s\n' "$1"
}
child_opts() {
	cat <<EOT
				esp_proposals = aes128gcm16
				local_ts = 0.0.0.0/0
				remote_ts = 0.0.0.0/0
				rekey_time = $1
				life_time = $2
				rand_time = 1s
EOT
}

# Only a rekeys (b's times are long): no rekey collisions to muddle the
# count.
swan_pair_up "$(swan_psk_conf 1 2 all all "$(conn_opts 20s)" "$(child_opts 8s 12s)")" \
	"$(swan_psk_conf 2 1 all all "$(conn_opts 0)" "$(child_opts 300s 360s)")"
out=$(swanctl_in a --initiate --child all --timeout 60 2>&1) ||
	{ echo "$out" | tail -n 20; fail "initiate"; }
swan_wait_child b all
in_a ip -o xfrm policy list | grep -E 'src 0.0.0.0/0 dst 0.0.0.0/0.*dir out' ||
	fail "no 0.0.0.0/0 policy in a"
# charon's IKE sockets bypass it with policies of their own.
echo "charon's socket policies in a: $(in_a ip -o xfrm policy list | grep -c 'socket \(in\|out\)')"
[ "$(in_a ip -o xfrm policy list | grep -c 'socket \(in\|out\)')" -ge 4 ] ||
	fail "no socket policies from charon"
ike0=$(swanctl_in a --list-sas --raw | grep -o 'uniqueid=[0-9]*' | head -n 1)

# The ping is ESP on the link: the policy covers the link addresses.
in_a tcpdump -l -n -i va -c 4 esp >/tmp/esp.cap 2>/dev/null &
start=$(date +%s)
# -w: a reply that comes late still counts (under KASAN an SA's install can
# stall a packet for longer than ping's usual wait).
in_a ping -c 900 -i 0.05 -w 120 192.0.2.2 >/tmp/ping.out 2>&1
took=$(($(date +%s) - start))
sent=$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' /tmp/ping.out)
got=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' /tmp/ping.out)
echo "ping: $sent sent, $got received, in ${took}s"
[ "$(grep -c 'ESP(spi=' /tmp/esp.cap)" = 4 ] || fail "the ping was not ESP"

alog=$(swan_dir a)/charon.log
# One soft EXPIRE per SA, two per CHILD_SA: count the inbound ones (to a).
soft=$(grep -c 'creating rekey job for CHILD_SA ESP/0x[0-9a-f]*/192.0.2.1$' "$alog")
# A rekeyed CHILD_SA is "inbound ... established", then "outbound ...".
rekeys=$(grep -c 'outbound CHILD_SA all{[0-9]*} established' "$alog")
ike_rekeys=$(grep -c 'IKE_SA all\[[0-9]*\] rekeyed' "$alog")
ike1=$(swanctl_in a --list-sas --raw | grep -o 'uniqueid=[0-9]*' | head -n 1)
echo "a: $soft soft expiries of inbound SAs, $rekeys CHILD_SA rekeys, $ike_rekeys IKE_SA rekeys ($ike0 -> $ike1)"
grep 'rekey job.*192.0.2.1$\|outbound CHILD_SA\|IKE_SA all\[[0-9]*\] rekeyed' "$alog" | cut -c1-90
[ "$soft" -ge 5 ] || fail "fewer than 5 soft expiries from oxfrm"
[ "$rekeys" -ge 5 ] || fail "fewer than 5 CHILD_SA rekeys"
[ "$ike_rekeys" -ge 1 ] && [ "$ike0" != "$ike1" ] || fail "the IKE_SA was not rekeyed"
echo "counters: a: $(esp_errors a | tr -s ' \t\n' ' '); b: $(esp_errors b | tr -s ' \t\n' ' ')"
[ "$sent" = 900 ] && [ "$got" = 900 ] || {
	echo "missing: $(awk -F'icmp_seq=' 'NF > 1 { split($2, f, " "); got[f[1]] = 1 }
		END { for (i = 1; i <= 900; i++) if (!(i in got)) printf "%d ", i }' /tmp/ping.out)"
	grep -i 'delet\|error\|fail' "$alog" | cut -c1-120 | head -n 20
	fail "packets lost across the rekeys"
}
# Rekeyed SAs were deleted: a holds one CHILD_SA's pair, plus at most one
# pair being replaced.
n=$(in_a ip -o xfrm state list | wc -l)
echo "SAs in a: $n"
[ "$n" -ge 2 ] && [ "$n" -le 4 ] || fail "a holds $n SAs"
esp_no_errors "swan_rekey"

echo "# b's charon killed: a's SAs end on oxfrm's hard expiry"
spis=$(in_a ip -o xfrm state list | grep -o 'spi 0x[0-9a-f]*' | awk '{ print $2 }')
swan_stop b KILL
sleep 14
left=0
for spi in $spis; do
	in_a ip -o xfrm state list | grep -q "spi $spi" && left=$((left + 1))
done
grep -c 'creating delete job for CHILD_SA' "$alog" | sed 's/^/hard expiries heard by a: /'
expect_eq "a's SAs left after their hard expiry" "$left" 0
grep -q 'creating delete job for CHILD_SA' "$alog" ||
	fail "a's charon heard no hard EXPIRE"
