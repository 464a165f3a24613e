#!/bin/bash
# Per-socket policies (setsockopt IP_XFRM_POLICY / IPV6_XFRM_POLICY, which
# strongSwan uses to exempt its IKE sockets) need a key manager: none is
# there without xfrm_user or oxfrm. oxfrm's must accept and refuse exactly
# what the stock kernel's does, and the kernel must enforce what it accepts.
# timeout: 300
. /oxfrm/tests/vm/lib/lib.sh
. /oxfrm/tests/vm/lib/diff.sh

expect_eq "without a key manager" "$(sockpol -d out -a allow)" "setsockopt: Invalid argument"

script=$(mktemp)
cat >"$script" <<'EOT'
# strongSwan's IKE bypass, both directions, both families
sockpol -d out -a allow
sockpol -d in -a allow
sockpol -6 -d out -a allow
sockpol -6 -d in -a allow
# the kernel enforces what was compiled
sockpol -d out -a allow -s
sockpol -d out -a block -s
sockpol -6 -d out -a block -s
# templates
sockpol -d out -a allow -t tunnel
sockpol -d in -a allow -t transport -O
sockpol -d out -a allow -t tunnel -O
sockpol -d out -a allow -t 9
# refused: forward, bad direction or action, short, bad prefix, wrong level
sockpol -d fwd -a allow
sockpol -d 7 -a allow
sockpol -d out -a 9
sockpol -d out -a allow -l 16
sockpol -d out -a allow -p 33
sockpol -6 -d out -a allow -p 129
sockpol -6 -o ip -d out -a allow
EOT
xfrm_diff "$script"

expect_eq "after unloading oxfrm" "$(sockpol -d out -a allow)" "setsockopt: Invalid argument"
