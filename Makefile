# SPDX-License-Identifier: GPL-2.0
# The thin wrapper people run; kbuild logic lives in Kbuild.
#
#   make                     module for the running kernel (or KERNELRELEASE=)
#                            and ioctl-cli
#   make check               every test: ctl unit tests, VM tests on Debian's
#                            kernel, KUnit and VM tests on the test kernel
#   make lint                static analysis: sparse, checkpatch, cppcheck,
#                            clang-tidy, -Wall -Wextra -Werror builds
#   make fuzz [FUZZ_TIME=60] libFuzzer on the policy parser, the file
#                            format decoder and the decoders of the
#                            kernel's netlink messages, FUZZ_TIME s each
#   make demo                boot a VM and show the module at work
#   make bench               benchmarks against the plain file systems and
#                            eCryptfs, gocryptfs, fscrypt; results in
#                            bench/results/ (docs/performance.md)
#   make bench-smoke         the same with tiny sizes (part of make check)
#   make vm-test T=20-status KERNEL=stock|test   one VM test case
#   make crash [CRASH_ROUNDS=3] [KERNEL=stock|test]   crash consistency:
#                            writes to encrypted files cut by a reset,
#                            checked after a reboot (tests/vm/crash/run)
#   make stress [STRESS_SECONDS=60] [STRESS_PROCS=16] [STRESS_KERNELS=]
#                            the 94-stress case at full length, on
#                            Debian's kernel, then on the test kernel
#                            (docs/testing.md)
#   make sign [MOK_KEY=] [MOK_CERT=]   sign iointercept.ko for Secure Boot
#                            (docs/secure-boot.md)
#   make install [DESTDIR=] [PREFIX=/usr] [KERNELRELEASE=]   as root:
#                            module, ioctl-cli, man page, bash completion,
#                            iointercept.service, /etc/iointercept/policy.conf
#   make install-tools       the same but the module (with DKMS)
#   make uninstall [DESTDIR=] [PREFIX=/usr] [KERNELRELEASE=]
#   make clean

KERNELRELEASE ?= $(shell uname -r)
KERNELDIR ?= /lib/modules/$(KERNELRELEASE)/build
PREFIX ?= /usr
DESTDIR ?=
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
UNITDIR ?= $(PREFIX)/lib/systemd/system
DOCDIR ?= $(PREFIX)/share/doc/iointercept
SYSCONFDIR ?= /etc
MODDIR ?= /lib/modules/$(KERNELRELEASE)/updates
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

lint: deps
	tests/lint

FUZZ_TIME ?= 60
fuzz: deps
	tests/fuzz/run --time $(FUZZ_TIME)

demo: deps
	tests/vm/run --kernel stock --demo

bench: deps
	tests/bench/run

bench-smoke: deps
	tests/bench/run --smoke

vm-test: deps
	set -f; tests/vm/run --kernel $(KERNEL) $(T)

CRASH_ROUNDS ?= 3
crash: deps
	tests/vm/crash/run --kernel $(KERNEL) --rounds $(CRASH_ROUNDS)

# The case runs 8 s in make check; here as long as asked, with room for
# it inside the guest's per-case limit.
# Both kernels run even if the first fails.
STRESS_SECONDS ?= 60
STRESS_PROCS ?= 16
STRESS_KERNELS ?= stock test
STRESS_APPEND = IOI_STRESS_SECONDS=$(STRESS_SECONDS) \
	IOI_STRESS_PROCS=$(STRESS_PROCS) \
	IOI_CASE_TIMEOUT=$$(( 3 * $(STRESS_SECONDS) + 300 ))
stress: deps
	rc=0; for k in $(STRESS_KERNELS); do \
		tests/vm/run --kernel $$k --append "$(STRESS_APPEND)" 94-stress || rc=1; \
	done; exit $$rc

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

# make install: what a package would install, by hand: install-module
# and install-tools. The module goes to updates/ (ahead of an in-tree
# module of the same name) and depmod runs, unless DESTDIR is set (a staged
# tree is for a package, whose installation runs it). With DKMS, which
# installs the module itself, use install-tools. The existing policy.conf
# is never replaced, and the service is installed but not enabled. KO=
# installs a module built elsewhere as it is (tests/install-layout);
# otherwise the module is built first, or found up to date (kbuild does not
# relink it, so a signature from make sign stays).
EXAMPLES := $(wildcard docs/examples/*)
INSTALL_DATA := install -D -m 0644

install: install-module install-tools

install-module: $(if $(filter file,$(origin KO)),module)
	@test -f "$(KO)" || { echo "install: no module $(KO)" >&2; exit 1; }
	@rel=$$(PATH=$$PATH:/usr/sbin:/sbin modinfo -F vermagic "$(KO)" | cut -d' ' -f1) && \
	if [ "$$rel" != "$(KERNELRELEASE)" ]; then \
		echo "install: $(KO) is built for kernel '$$rel', not $(KERNELRELEASE):" \
			"make KERNELRELEASE=$(KERNELRELEASE) first" >&2; exit 1; \
	fi
	$(INSTALL_DATA) "$(KO)" "$(DESTDIR)$(MODDIR)/iointercept.ko"
ifeq ($(DESTDIR),)
	PATH=$$PATH:/usr/sbin:/sbin depmod -a $(KERNELRELEASE)
else
	@echo "install: depmod not run for DESTDIR: run 'depmod -a $(KERNELRELEASE)' where the files land"
endif

install-tools: ctl
	install -D -m 0755 ctl/ioctl-cli "$(DESTDIR)$(SBINDIR)/ioctl-cli"
	$(INSTALL_DATA) docs/ioctl-cli.8 "$(DESTDIR)$(MANDIR)/man8/ioctl-cli.8"
	$(INSTALL_DATA) ctl/system/ioctl-cli.bash "$(DESTDIR)$(BASHCOMPDIR)/ioctl-cli"
	install -d -m 0755 "$(DESTDIR)$(UNITDIR)"
	sed -e 's|@SBINDIR@|$(SBINDIR)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' -e 's|@DOCDIR@|$(DOCDIR)|g' \
		ctl/system/iointercept.service.in > "$(DESTDIR)$(UNITDIR)/iointercept.service"
	chmod 0644 "$(DESTDIR)$(UNITDIR)/iointercept.service"
	install -d -m 0755 "$(DESTDIR)$(SYSCONFDIR)/iointercept"
	@if [ -e "$(DESTDIR)$(SYSCONFDIR)/iointercept/policy.conf" ]; then \
		echo "install: keeping the existing $(DESTDIR)$(SYSCONFDIR)/iointercept/policy.conf"; \
	else \
		echo "install -m 0644 ctl/system/policy.conf $(DESTDIR)$(SYSCONFDIR)/iointercept/policy.conf"; \
		install -m 0644 ctl/system/policy.conf "$(DESTDIR)$(SYSCONFDIR)/iointercept/policy.conf"; \
	fi
	install -d -m 0755 "$(DESTDIR)$(DOCDIR)/examples"
	install -m 0644 $(EXAMPLES) "$(DESTDIR)$(DOCDIR)/examples/"
ifeq ($(DESTDIR),)
	@if [ -d /run/systemd/system ]; then echo "systemctl daemon-reload"; systemctl daemon-reload; fi
endif

# make uninstall: removes what make install put there, except a policy.conf
# that was changed since (it says so), and directories others may share.
uninstall: uninstall-module uninstall-tools

uninstall-module:
	rm -f "$(DESTDIR)$(MODDIR)/iointercept.ko"
ifeq ($(DESTDIR),)
	PATH=$$PATH:/usr/sbin:/sbin depmod -a $(KERNELRELEASE)
endif

uninstall-tools:
ifeq ($(DESTDIR),)
	@if command -v systemctl >/dev/null && [ -e "$(UNITDIR)/iointercept.service" ]; then \
		echo "systemctl disable iointercept.service"; \
		systemctl disable --quiet iointercept.service 2>/dev/null || true; \
	fi
endif
	rm -f "$(DESTDIR)$(SBINDIR)/ioctl-cli"
	rm -f "$(DESTDIR)$(MANDIR)/man8/ioctl-cli.8"
	rm -f "$(DESTDIR)$(BASHCOMPDIR)/ioctl-cli"
	rm -f "$(DESTDIR)$(UNITDIR)/iointercept.service"
	cd "$(DESTDIR)$(DOCDIR)/examples" 2>/dev/null && rm -f $(notdir $(EXAMPLES)) || true
	@rmdir "$(DESTDIR)$(DOCDIR)/examples" "$(DESTDIR)$(DOCDIR)" 2>/dev/null || true
	@p="$(DESTDIR)$(SYSCONFDIR)/iointercept/policy.conf"; \
	if cmp -s ctl/system/policy.conf "$$p"; then \
		echo "rm -f $$p"; rm -f "$$p"; \
		rmdir "$(DESTDIR)$(SYSCONFDIR)/iointercept" 2>/dev/null || true; \
	elif [ -e "$$p" ]; then \
		echo "uninstall: keeping $$p: it is not the one make install put there"; \
	fi
ifeq ($(DESTDIR),)
	@if [ -d /run/systemd/system ]; then echo "systemctl daemon-reload"; systemctl daemon-reload; fi
endif

clean:
	@if [ -d "$(KERNELDIR)" ]; then $(MAKE) -C "$(KERNELDIR)" M="$(CURDIR)" clean; fi
	$(MAKE) -C ctl clean
	rm -rf build

.PHONY: all module ctl deps check lint fuzz demo bench bench-smoke vm-test crash stress test-kernel sign install uninstall \
	install-module install-tools uninstall-module uninstall-tools clean
