#!/bin/bash
# ALLOCSPI, GETSA, DELSA, FLUSHSA and state dumps on larval states, and a
# larval state's expiry after acq_expires, differentially against the stock
# kernel's xfrm_user: same output, errors and monitor events.
# timeout: 300
. /oxfrm/tests/vm/lib/lib.sh
. /oxfrm/tests/vm/lib/diff.sh

script=$(mktemp)
cat >"$script" <<'EOT'
# larval states live net.core.xfrm_acq_expires seconds, on oxfrm too
# (net.oxfrm.acq_expires is 0): long enough here
sysctl -q -w net.core.xfrm_acq_expires=120
ip xfrm state allocspi src 10.0.0.1 dst 10.0.0.2 proto esp min 0x1000 max 0x1000
# the SPI is taken for ESP, whatever the destination; a failed allocation
# leaves a larval state with SPI 0
ip xfrm state allocspi src 10.0.0.1 dst 10.0.0.2 proto esp min 0x1000 max 0x1000
ip xfrm state allocspi src 10.0.0.5 dst 10.0.0.6 proto esp min 0x1000 max 0x1000
# ... which a later ALLOCSPI for the same parameters takes over
ip xfrm state allocspi src 10.0.0.5 dst 10.0.0.6 proto esp min 0x1001 max 0x1001
ip xfrm state allocspi src 10.0.0.5 dst 10.0.0.6 proto esp reqid 3 min 0x1000 max 0x1000
ip xfrm state allocspi src 10.0.0.1 dst 10.0.0.2 proto ah min 0x1000 max 0x1000
ip xfrm state allocspi src fd00::1 dst fd00::2 proto esp mode tunnel reqid 7 mark 5 mask 0xf min 0x2000 max 0x2000
ip xfrm state allocspi src 10.0.0.1 dst 10.0.0.2 proto comp min 0x100 max 0x100
ip xfrm state allocspi src 10.0.0.1 dst 10.0.0.2 proto esp min 0x10 max 0x5
ip xfrm state allocspi src 10.0.0.1 dst 10.0.0.2 proto comp min 0x1 max 0x10000
ip xfrm state allocspi src 10.0.0.7 dst 10.0.0.8 proto esp min 0xc0000000 max 0xcfffffff | sed -E 's/0xc[0-9a-f]{7}(\([0-9]+\))?/0xc-range/'
ip xfrm state list | sed -E 's/0xc[0-9a-f]{7}(\([0-9]+\))?/0xc-range/'
ip -s xfrm state list | sed -E 's/0xc[0-9a-f]{7}(\([0-9]+\))?/0xc-range/'
ip xfrm state list proto ah
ip xfrm state list src fd00::1
ip xfrm state get src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x1000
ip xfrm state get src 10.0.0.1 dst 10.0.0.9 proto esp spi 0x1000
ip xfrm state get src fd00::1 dst fd00::2 proto esp spi 0x2000
ip xfrm state get src fd00::1 dst fd00::2 proto esp spi 0x2000 mark 5 mask 0xf
ip xfrm state delete src 10.0.0.1 dst 10.0.0.2 proto ah spi 0x1000
ip xfrm state delete src 10.0.0.1 dst 10.0.0.2 proto ah spi 0x1000
ip xfrm state flush proto comp
ip xfrm state flush proto comp
ip xfrm state list | sed -E 's/0xc[0-9a-f]{7}(\([0-9]+\))?/0xc-range/'
ip xfrm state flush
ip xfrm state flush
ip xfrm state list
# a larval state expires after acq_expires, with a hard EXPIRE event
sysctl -q -w net.core.xfrm_acq_expires=3
ip xfrm state allocspi src 10.0.0.1 dst 10.0.0.2 proto esp reqid 9 min 0x4000 max 0x4000
ip xfrm state list
sleep 6
ip xfrm state list
EOT
xfrm_diff "$script"
