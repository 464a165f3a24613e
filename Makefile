# SPDX-License-Identifier: GPL-2.0
#
#   make            build oxfrm.ko against KDIR, with W=1
#   make check      checkpatch --strict and sparse over the sources
#   make test       everything: setup, builds, KUnit, guest tests (README)
#   make demo       the main job: a guest that loads oxfrm (README)
#   make clean

KDIR ?= $(shell scripts/kdir.sh)

all: modules

modules:
	@test -n "$(KDIR)" || { echo "no kernel headers: run scripts/deps.sh"; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=1 modules

check:
	scripts/check.sh

test:
	scripts/test.sh

demo:
	scripts/demo.sh

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	rm -rf build

.PHONY: all modules check test demo clean
