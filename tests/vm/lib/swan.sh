#!/bin/bash
# strongSwan in the guest: Debian's unmodified charon and swanctl, one
# instance per network namespace, each with its own files under
# /tmp/swan-NS (strongswan.conf, swanctl/, the vici socket, charon.log)
# and its own /run (charon's pid file is compiled in as /run/charon.pid).
#
# swan_start NS          writes /tmp/swan-NS/strongswan.conf and starts
#                        charon in NS; oxfrm (or the stock kernel's
#                        xfrm_user) must already own NETLINK_XFRM there
# swan_stop NS [SIGNAL]  stops it (TERM: charon removes its SAs and
#                        policies; KILL: a crash that leaves them)
# swanctl_in NS ARGS...  swanctl against NS's charon
# swan_load NS           writes nothing: loads /tmp/swan-NS/swanctl/
#                        (swanctl.conf, x509/, private/, x509ca/)
# swan_child NS CHILD    "STATE BYTES_IN PACKETS_IN BYTES_OUT PACKETS_OUT"
#                        of CHILD's newest CHILD_SA ("none" without one)
# swan_ike NS IKE        the state of IKE's IKE_SA ("none" without one)
# swan_wait_child NS CHILD [SECONDS]
#                        waits until CHILD is INSTALLED
# swan_up NS [CONF]      writes CONF (if given) as NS's swanctl.conf,
#                        starts charon and loads it
# swan_psk_secrets SECRET ID...
#                        the secrets section: one PSK for all those IDs
# swan_psk_conf SELF PEER CONN CHILD CONN_OPTS CHILD_OPTS
#                        a swanctl.conf: IKE_SA CONN between 192.0.2.SELF
#                        and 192.0.2.PEER (PSK, ids hostN.oxfrm.test) with
#                        one CHILD_SA CHILD; the options are swanctl.conf
#                        lines (one per line) for the two sections
# swan_pair_up CONF_A CONF_B
#                        writes those swanctl.conf files for a and b,
#                        starts both charons and loads them
# swan_pki DIR CN...     a CA and one RSA certificate per CN, made with
#                        strongSwan's pki: DIR/ca.pem, DIR/CN.pem,
#                        DIR/CN.key
#
# IKE proposals use what Debian's plugins offer without openssl:
# aes128-sha256-modp2048. ESP proposals are the kernel's (oxfrm's).

SWAN_IKE_PROPOSAL=aes128-sha256-modp2048

swan_dir() { echo "/tmp/swan-$1"; }

swanctl_in() {
	local ns=$1 d
	d=$(swan_dir "$ns")
	shift
	ip netns exec "$ns" env STRONGSWAN_CONF="$d/strongswan.conf" \
		SWANCTL_DIR="$d/swanctl" swanctl "$@"
}

swan_start() {
	local ns=$1 d i
	d=$(swan_dir "$ns")
	mkdir -p "$d/swanctl"/{x509,x509ca,x509ocsp,x509aa,x509ac,x509crl} \
		"$d/swanctl"/{pubkey,private,rsa,ecdsa,bliss,pkcs8,pkcs12}
	rm -f "$d/charon.vici" "$d/charon.log"
	cat >"$d/strongswan.conf" <<EOT
charon {
	load_modular = no
	load = random drbg nonce aes sha1 sha2 hmac kdf gmp pem pkcs1 pkcs8 x509 pubkey constraints kernel-netlink socket-default vici
	install_routes = no
	install_virtual_ip = no
	retransmit_timeout = 2
	retransmit_base = 1.4
	retransmit_tries = 4
	plugins {
		vici {
			socket = unix://$d/charon.vici
		}
	}
	filelog {
		log {
			path = $d/charon.log
			time_format = %T
			flush_line = yes
			default = 1
			ike = 2
			knl = 2
			cfg = 1
		}
	}
	syslog {
		daemon {
			default = -1
		}
	}
}
swanctl {
	load = random drbg sha1 sha2 hmac gmp pem pkcs1 pkcs8 x509 pubkey constraints
	socket = unix://$d/charon.vici
}
EOT
	ip netns exec "$ns" sh -c \
		"mount -t tmpfs none /run && exec env STRONGSWAN_CONF=$d/strongswan.conf /usr/lib/ipsec/charon" \
		>"$d/charon.out" 2>&1 &
	echo $! >"$d/pid"
	disown
	for i in $(seq 1 100); do
		[ -S "$d/charon.vici" ] && return 0
		sleep 0.2
	done
	cat "$d/charon.out" "$d/charon.log" 2>/dev/null | tail -n 20
	fail "charon in $ns did not start"
}

# The pid is ip's, which exec()s sh, which exec()s charon: the same process.
swan_stop() {
	local ns=$1 sig=${2:-TERM} d pid i
	d=$(swan_dir "$ns")
	[ -f "$d/pid" ] || return 0
	pid=$(cat "$d/pid")
	rm -f "$d/pid"
	kill -"$sig" "$pid" 2>/dev/null || return 0
	for i in $(seq 1 100); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null
	fail "charon in $ns did not stop on SIG$sig"
}

# Every test stops its charons, even when it fails: a charon left running
# keeps its namespace, and with it oxfrm, alive.
swan_stop_all() {
	local d
	for d in /tmp/swan-*; do
		[ -f "$d/pid" ] && kill -KILL "$(cat "$d/pid")" 2>/dev/null
		rm -f "$d/pid"
	done
	sleep 0.5
}

swan_load() {
	local out
	out=$(swanctl_in "$1" --load-all --noprompt 2>&1) ||
		{ echo "$out"; fail "swanctl --load-all in $1"; }
}

swan_child() {
	local ns=$1 child=$2 raw
	raw=$(swanctl_in "$ns" --list-sas --raw 2>/dev/null)
	# Each CHILD_SA is "KEY {name=CHILD uniqueid=N ... state=S ...}",
	# one per line after the split; the last one listed is the newest.
	echo "$raw" | tr '{}' '\n\n' | grep "^name=$child " | tail -n 1 |
		awk '{
			for (i = 1; i <= NF; i++) {
				split($i, kv, "=")
				v[kv[1]] = kv[2]
			}
			printf "%s %d %d %d %d\n", v["state"], v["bytes-in"],
				v["packets-in"], v["bytes-out"], v["packets-out"]
		}' | grep . || echo none
}

swan_ike() {
	local ns=$1 ike=$2 raw
	raw=$(swanctl_in "$ns" --list-sas --ike "$ike" --raw 2>/dev/null)
	echo "$raw" | grep -o 'state=[A-Z_]*' | head -n 1 | cut -d= -f2 |
		grep . || echo none
}

swan_wait_child() {
	local ns=$1 child=$2 secs=${3:-30} i
	for i in $(seq 1 $((secs * 2))); do
		[ "$(swan_child "$ns" "$child" | cut -d' ' -f1)" = INSTALLED ] &&
			return 0
		sleep 0.5
	done
	swanctl_in "$ns" --list-sas
	tail -n 30 "$(swan_dir "$ns")/charon.log"
	fail "$child in $ns not INSTALLED after ${secs}s"
}

swan_psk_conf() {
	cat <<EOT
connections {
	$3 {
		local_addrs = 192.0.2.$1
		remote_addrs = 192.0.2.$2
		proposals = $SWAN_IKE_PROPOSAL
$5
		local {
			auth = psk
			id = host$1.oxfrm.test
		}
		remote {
			auth = psk
			id = host$2.oxfrm.test
		}
		children {
			$4 {
$6
			}
		}
	}
}
$(swan_psk_secrets "oxfrm $3 test key" host1.oxfrm.test host2.oxfrm.test)
EOT
}

swan_psk_secrets() {
	local secret=$1 id i=0
	shift
	printf 'secrets {\n\tike-all {\n'
	for id in "$@"; do
		i=$((i + 1))
		printf '\t\tid-%d = %s\n' "$i" "$id"
	done
	printf '\t\tsecret = "%s"\n\t}\n}\n' "$secret"
}

swan_up() {
	local d
	d=$(swan_dir "$1")/swanctl
	if [ -n "${2:-}" ]; then
		mkdir -p "$d"
		echo "$2" >"$d/swanctl.conf"
	fi
	swan_start "$1"
	swan_load "$1"
}

swan_pair_up() {
	swan_up a "$1"
	swan_up b "$2"
}

# pki with only the plugins the guest has; what it says goes to DIR/pki.err.
swan_pki_run() {
	STRONGSWAN_CONF=$PKI_DIR/strongswan.conf pki "$@" 2>>"$PKI_DIR/pki.err"
}

swan_pki() {
	local cn
	PKI_DIR=$1
	shift
	mkdir -p "$PKI_DIR"
	cat >"$PKI_DIR/strongswan.conf" <<EOT
pki {
	load = random drbg sha1 sha2 hmac gmp pem pkcs1 pkcs8 x509 pubkey constraints
}
EOT
	swan_pki_run --gen --type rsa --size 2048 --outform pem >"$PKI_DIR/ca.key" ||
		{ cat "$PKI_DIR/pki.err"; fail "pki --gen (CA)"; }
	swan_pki_run --self --ca --lifetime 30 --in "$PKI_DIR/ca.key" --type rsa \
		--dn "C=CH, O=oxfrm, CN=oxfrm test CA" --outform pem \
		>"$PKI_DIR/ca.pem" || { cat "$PKI_DIR/pki.err"; fail "pki --self"; }
	for cn in "$@"; do
		swan_pki_run --gen --type rsa --size 2048 --outform pem \
			>"$PKI_DIR/$cn.key" ||
			{ cat "$PKI_DIR/pki.err"; fail "pki --gen ($cn)"; }
		swan_pki_run --req --type rsa --in "$PKI_DIR/$cn.key" \
			--dn "C=CH, O=oxfrm, CN=$cn" --san "$cn" --outform pem |
			swan_pki_run --issue --cacert "$PKI_DIR/ca.pem" \
				--cakey "$PKI_DIR/ca.key" --type pkcs10 \
				--lifetime 30 --san "$cn" --outform pem \
				>"$PKI_DIR/$cn.pem" ||
			{ cat "$PKI_DIR/pki.err"; fail "pki --issue ($cn)"; }
	done
}

# swan_install_cert NS PKIDIR CN: NS's charon gets CN's key and
# certificate and trusts the CA.
swan_install_cert() {
	local d
	d=$(swan_dir "$1")/swanctl
	mkdir -p "$d"/{x509,x509ca,private}
	cp "$2/ca.pem" "$d/x509ca/ca.pem"
	cp "$2/$3.pem" "$d/x509/$3.pem"
	cp "$2/$3.key" "$d/private/$3.key"
}
