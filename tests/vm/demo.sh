# SPDX-License-Identifier: GPL-2.0
# What `make demo` shows: the module loaded in a VM and ioctl-cli talking to it.
set -e
step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; "$@"; }

echo
echo "=== iointercept demo: Debian's kernel $(uname -r) under qemu ==="
step grep iointercept /proc/modules
step ioctl-cli version
step ioctl-cli status
step ioctl-cli status --json
step ls /sys/kernel/iointercept /sys/kernel/iointercept/stats
step cat /sys/kernel/iointercept/version
echo
echo "=== demo done ==="
