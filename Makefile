# SPDX-License-Identifier: GPL-2.0
# The thin wrapper people run; kbuild logic lives in Kbuild.
#
#   make                     module for the running kernel (or KERNELRELEASE=)
#                            and ioctl-cli
#   make check               every test: ctl unit tests, VM tests on Debian's
#                            kernel, KUnit and VM tests on the test kernel
#   make demo                boot a VM and show the module at work
#   make bench               benchmarks against the plain file systems and
#                            eCryptfs, gocryptfs, fscrypt; results in
#                            bench/results/ (docs/performance.md)
#   make bench-smoke         the same with tiny sizes (part of make check)
#   make vm-test T=20-status KERNEL=stock|test   one VM test case
#   make sign [MOK_KEY=] [MOK_CERT=]   sign iointercept.ko for Secure Boot
#                            (docs/secure-boot.md)
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

bench-smoke: deps
	tests/bench/run --smoke

vm-test: deps
	set -f; tests/vm/run --kernel $(KERNEL) $(T)

test-kernel: deps
	tests/kernel/build

# make sign: sign the built module in place with a Machine Owner Key, as DKMS
# does on Debian. A signature already there is removed first, so signing
# twice leaves one signature (the last key's).
MOK_KEY ?= /var/lib/dkms/mok.key
MOK_CERT ?= /var/lib/dkms/mok.pub
KO ?= iointercept.ko
SIGN_FILE ?= $(KERNELDIR)/scripts/sign-file
SIGN_HASH ?= $(or $(shell sed -n 's/^CONFIG_MODULE_SIG_HASH="\(.*\)"$$/\1/p' \
	"$(KERNELDIR)/.config" 2>/dev/null),sha256)
# A signed module ends in struct module_signature (12 bytes: id_type at
# byte 2, 2 for PKCS#7; the signature's length big-endian at bytes 8-11)
# and this marker, "~Module signature appended~\n", in hex.
SIG_MARKER := 7e4d6f64756c65207369676e617475726520617070656e6465647e0a

sign:
	@test -f "$(KO)" || { echo "sign: $(KO) is not built: run make module first" >&2; exit 1; }
	@test -x "$(SIGN_FILE)" || { echo "sign: no $(SIGN_FILE): install" \
		"linux-headers-$(KERNELRELEASE), or pass KERNELDIR= or SIGN_FILE=" >&2; exit 1; }
	@test -r "$(MOK_KEY)" || { echo "sign: cannot read the private key $(MOK_KEY):" \
		"create a MOK pair (docs/secure-boot.md) or pass MOK_KEY=" >&2; exit 1; }
	@test -r "$(MOK_CERT)" || { echo "sign: cannot read the certificate $(MOK_CERT):" \
		"create a MOK pair (docs/secure-boot.md) or pass MOK_CERT=" >&2; exit 1; }
	@set -e; PATH=$$PATH:/usr/sbin:/sbin; ko='$(KO)'; \
	t=$$(tail -c 40 "$$ko" | od -An -v -tx1 | tr -d ' \n'); \
	if [ "$$(echo $$t | cut -c25-)" = $(SIG_MARKER) ]; then \
		size=$$(stat -c %s "$$ko"); \
		n=$$((0x$$(echo $$t | cut -c17-24) + 40)); \
		if [ "$$(echo $$t | cut -c5-6)" != 02 ] || [ $$n -ge $$size ]; then \
			echo "sign: $$ko ends in a malformed signature: rebuild it" >&2; exit 1; \
		fi; \
		echo "sign: removing the signature by '$$(modinfo -F signer "$$ko")'"; \
		truncate -s $$((size - n)) "$$ko"; \
	fi; \
	"$(SIGN_FILE)" $(SIGN_HASH) "$(MOK_KEY)" "$(MOK_CERT)" "$$ko"; \
	echo "sign: $$ko signed ($(SIGN_HASH)) by '$$(modinfo -F signer "$$ko")'"

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

.PHONY: all module ctl deps check demo bench bench-smoke vm-test test-kernel sign install uninstall clean
