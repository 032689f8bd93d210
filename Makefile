# SPDX-License-Identifier: GPL-2.0
# The thin wrapper people run; kbuild logic lives in Kbuild.
#
#   make                     module for the running kernel (or KERNELRELEASE=)
#                            and ioctl-cli
#   make check               every test: ctl unit tests, VM tests on Debian's
#                            kernel, KUnit and VM tests on the test kernel
#   make demo                boot a VM and show the module at work
#   make bench               deterministic benchmarks (docs/performance.md)
#   make vm-test T=20-status KERNEL=stock|test   one VM test case
#   make install [DESTDIR=] [PREFIX=/usr]
#   make clean

KERNELRELEASE ?= $(shell uname -r)
KERNELDIR ?= /lib/modules/$(KERNELRELEASE)/build
PREFIX ?= /usr
DESTDIR ?=
KERNEL ?= stock
T ?=

all: module ctl

module:
	@test -d "$(KERNELDIR)" || { \
		echo "No kernel build tree at $(KERNELDIR)."; \
		echo "Install linux-headers-$(KERNELRELEASE), or pass KERNELRELEASE= or KERNELDIR=."; \
		exit 1; }
	$(MAKE) -C "$(KERNELDIR)" M="$(CURDIR)" modules

ctl:
	$(MAKE) -C ctl

deps:
	@tests/deps

check: deps
	tests/check

demo: deps
	tests/vm/run --kernel stock --demo

bench: deps
	tests/bench/run

vm-test: deps
	set -f; tests/vm/run --kernel $(KERNEL) $(T)

test-kernel: deps
	tests/kernel/build

install: all
	$(MAKE) -C "$(KERNELDIR)" M="$(CURDIR)" INSTALL_MOD_DIR=updates \
		$(if $(DESTDIR),INSTALL_MOD_PATH="$(DESTDIR)") modules_install
	$(if $(DESTDIR),depmod -b "$(DESTDIR)" $(KERNELRELEASE),depmod -a $(KERNELRELEASE))
	install -D -m 0755 ctl/ioctl-cli "$(DESTDIR)$(PREFIX)/sbin/ioctl-cli"

uninstall:
	rm -f "$(DESTDIR)/lib/modules/$(KERNELRELEASE)/updates/iointercept.ko"
	$(if $(DESTDIR),,depmod -a $(KERNELRELEASE))
	rm -f "$(DESTDIR)$(PREFIX)/sbin/ioctl-cli"

clean:
	@if [ -d "$(KERNELDIR)" ]; then $(MAKE) -C "$(KERNELDIR)" M="$(CURDIR)" clean; fi
	$(MAKE) -C ctl clean
	rm -rf build

.PHONY: all module ctl deps check demo bench vm-test test-kernel install uninstall clean
