# SPDX-License-Identifier: GPL-2.0
#
# ntkit: out-of-tree kernel modules and ntctl.
#
#   make                 modules (W=1, -Werror) against KDIR, and ntctl
#   make check           everything: deps, builds, lint, unit tests, KUnit,
#                        selftests on Debian's and the debug kernel (root)
#   make demo            the suite at work in a VM
#   make bench-cc        tcp_nt vs bbr vs cubic (RESULTS=DIR, BENCH_ARGS=...)
#   make bench-tunnel    nt_tun vs veth, FOU, VXLAN, Geneve, WireGuard
#   make bench-policy    nt_policy vs nftables (chain, set), iptables
#   make lint            checkpatch --strict and sparse
#   make deps            install the Debian packages in scripts/deps.txt
#   make install         modules under /lib/modules/REL/updates/ntkit, ntctl
#                        and ntctl.8 under $(PREFIX)
#   make dkms-install    register with DKMS (rebuilt on kernel upgrades)

# The kernel to build for: KDIR=/path/to/build-tree or KVER=RELEASE (its
# /lib/modules/RELEASE/build); by default the running kernel if its
# headers are installed and its line supported, else the newest headers
# of a supported line (scripts/kernels: Debian 12's 6.1 and 6.12).
ifdef KVER
KDIR ?= /lib/modules/$(KVER)/build
endif
ifndef KDIR
KDIR := $(shell scripts/kernels default)
endif
PREFIX ?= /usr/local
DESTDIR ?=
VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)
KREL = $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"$$/\1/p' \
	 $(KDIR)/include/generated/utsrelease.h)

all: modules ntctl

modules:
	@scripts/kbuild "$(KDIR)" modules >/dev/null

ntctl:
	$(MAKE) -C userspace/ntctl

check:
	scripts/check

lint:
	scripts/lint "$(KDIR)"

deps:
	scripts/deps

demo: all
	scripts/demo

# Benchmarks: never part of make check; RESULTS is where the tables go.
RESULTS ?= results/$(shell date +%Y%m%d-%H%M%S)
bench-cc: all
	selftests/bench/cc $(RESULTS) $(BENCH_ARGS)

bench-tunnel: all
	selftests/bench/tunnel $(RESULTS) $(BENCH_ARGS)

selftest-modules:
	@scripts/kbuild "$(KDIR)" selftest-modules >/dev/null

bench-policy: all selftest-modules
	selftests/bench/policy $(RESULTS) $(BENCH_ARGS)

install: modules ntctl
	install -d $(DESTDIR)/lib/modules/$(KREL)/updates/ntkit
	find build/modules-$(KREL) -name '*.ko' ! -name '*_kunit.ko' \
		-exec install -m 644 {} $(DESTDIR)/lib/modules/$(KREL)/updates/ntkit/ \;
	if [ -z "$(DESTDIR)" ]; then depmod -a $(KREL); fi
	install -D -m 755 userspace/ntctl/ntctl $(DESTDIR)$(PREFIX)/sbin/ntctl
	install -D -m 644 Documentation/ntctl.8 \
		$(DESTDIR)$(PREFIX)/share/man/man8/ntctl.8

uninstall:
	rm -rf $(DESTDIR)/lib/modules/$(KREL)/updates/ntkit
	if [ -z "$(DESTDIR)" ]; then depmod -a $(KREL); fi
	rm -f $(DESTDIR)$(PREFIX)/sbin/ntctl \
		$(DESTDIR)$(PREFIX)/share/man/man8/ntctl.8

dkms-install:
	rm -rf /usr/src/ntkit-$(VERSION)
	mkdir -p /usr/src/ntkit-$(VERSION)
	git ls-files -co --exclude-standard -- Kbuild dkms.conf kmod uapi | \
		tar -cf - -T - | tar -C /usr/src/ntkit-$(VERSION) -xf -
	dkms install -m ntkit -v $(VERSION)

clean:
	rm -rf build
	$(MAKE) -C userspace/ntctl clean

.PHONY: all modules selftest-modules ntctl check lint deps demo bench-cc bench-tunnel bench-policy install uninstall \
	dkms-install clean
