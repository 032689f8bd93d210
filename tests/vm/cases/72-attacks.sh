# SPDX-License-Identifier: GPL-2.0
# Ways around a path policy that must not work for a confined task.
. /tests/lib.sh

mkdir -p /srv/sys /srv/other /srv/scratch /tmp/ioi /srv/rw/secret
echo key > /srv/rw/secret/k
echo data > /srv/sys/f
echo data > /srv/sys/g
echo data > /srv/other/f
echo data > /srv/ro-f
echo data > /srv/scratch/f
# /srv/scratch is on the root tmpfs, like /srv/sys: one mount, so link and
# rename reach the hooks instead of failing with the kernel's own EXDEV.
load "scope cgroup /ioi-test
system /bin/**
system /usr/**
system /lib/**
system /lib64/**
system /srv/sys/**
deny /srv/rw/secret/**
allow rw /srv/rw/**
tmpfs /srv/scratch/**
tmpfs /tmp/ioi/**
allow ro /srv/ro-f"

# '..' out of an allowed directory: the hook sees the resolved path.
ctry EACCES read /tmp/ioi/../../srv/other/f
ctry EACCES open /srv/scratch/../sys/f w
ctry ok read /srv/scratch/../sys/f

# A symlink in an allowed directory to a system file, opened for writing.
ln -sf /srv/sys/f /srv/scratch/link
ctry EACCES open /srv/scratch/link w
ctry EACCES open /srv/scratch/link trunc
ctry ok read /srv/scratch/link
ln -sf /srv/other/f /tmp/ioi/link2
ctry EACCES read /tmp/ioi/link2

# A hard link to a system file, made where the task may write.
ctry EACCES link /srv/sys/f /srv/scratch/hard
# Renaming a system file into the scratch area.
ctry EACCES rename /srv/sys/f /srv/scratch/moved
ctry EACCES rename /srv/sys/g /srv/scratch/f exchange
[ -e /srv/sys/f ] || fail "the system file was moved"

# Reopening through /proc/self/fd with more rights than the first open.
ctry ok reopen /srv/ro-f r
ctry EACCES reopen /srv/ro-f w
ctry EACCES reopen /srv/sys/f rw
ctry EACCES reopen /srv/other/f r

# openat2 and its RESOLVE flags do not change the decision.
ctry EACCES openat2 /srv/sys/f w nosymlinks
ctry ok openat2 /srv/sys/f r nosymlinks
ctry EACCES openat2 /srv/other/f r noxdev

# Renaming a whole directory would carry the deny rule's files out from
# under it: refused with EXDEV (mv then moves file by file, each checked).
ctry EXDEV rename /srv/rw /srv/scratch/rw
ctry EACCES read /srv/rw/secret/k
ctry ok mkdir /srv/rw/plain
ctry ok rename /srv/rw/plain /srv/rw/plain2

# Taking over an unconfined process, unloading the module or the policy.
ctry EPERM ptrace 1
ctry EPERM delete-module iointercept
confined ioctl-cli unload-policy > $out 2>&1 && fail "a confined task unloaded the policy"
expect_out "a confined task cannot change the policy or the keys"
expect_rc 1 rmmod iointercept
module_loaded || fail "the module was unloaded under a policy"

# Escaping by changing the mount namespace or root: EPERM.
ctry EPERM bind /srv/other /srv/scratch
ctry EPERM chroot /srv/scratch

# None of this applies to an unconfined task.
try ok link /srv/sys/f /srv/scratch/hard
try ok open /srv/scratch/link w

expect_rc 0 ioctl-cli unload-policy
exit 0
