# SPDX-License-Identifier: GPL-2.0
# Attribute changes that the 6.1 path hooks do not see: utimes (vfs_utimes)
# and xattrs (the syscall wrappers of module/xattr.c), on ext4, which keeps
# user.* xattrs; the mount API syscalls; and a tmpfs rule over a place that
# is no longer tmpfs.
# requires: disk
. /tests/lib.sh

d=/mnt/disk/attrs
mkdir -p $d/sys $d/rw $d/other /tmp/scratch
echo data > $d/sys/f
echo data > $d/rw/f
echo data > $d/other/f
ln -sf $d/sys/f $d/rw/to-sys
base="scope cgroup /ioi-test
default deny
system /bin/**
system /usr/bin/**
system /lib/**
system /lib64/**
system $d/sys/**
allow rw $d/rw/**
tmpfs /tmp/scratch/**"
load "$base"

# utimes needs the setattr right
ctry EACCES utimes $d/sys/f
ctry EACCES utimes $d/other/f
ctry ok utimes $d/rw/f

# xattrs: by path, by path without following, by descriptor
for op in setxattr lsetxattr fsetxattr; do
	ctry EACCES $op $d/sys/f user.k v
	ctry EACCES $op $d/other/f user.k v
	ctry ok $op $d/rw/f user.k v
done
try ok setxattr $d/sys/f user.k v
for op in removexattr lremovexattr fremovexattr; do
	ctry EACCES $op $d/sys/f user.k
	try ok setxattr $d/rw/f user.k v
	ctry ok $op $d/rw/f user.k
done
# a symlink in a writable place decides nothing: its target does
ctry EACCES setxattr $d/rw/to-sys user.k v
# the kernel's own answer still comes through on an allowed file
ctry ENODATA removexattr $d/rw/f user.absent
ctry EOPNOTSUPP setxattr $d/rw/f bogus.k v
# an unconfined task is unaffected
try ok setxattr $d/other/f user.k v
try ok removexattr $d/other/f user.k

# counted; allowed and counted in audit mode
n0=$(stat_of denied)
ctry EACCES setxattr $d/sys/f user.k v
[ "$(stat_of denied)" -gt "$n0" ] || fail "a refused setxattr was not counted"
load "mode audit
$base"
a0=$(stat_of audited)
ctry ok setxattr $d/sys/f user.k w
ctry ok utimes $d/sys/f
[ "$(stat_of audited)" -ge $((a0 + 2)) ] || fail "audit mode did not count"
load "$base"

# the new mount API and mount_setattr: EPERM, like mount(2)
ctry EPERM mount-setattr /tmp/scratch
ctry EPERM fsopen tmpfs
ctry EPERM fspick /tmp/scratch
ctry EPERM open-tree-clone /tmp/scratch
try ok open-tree-clone /tmp/scratch

# a tmpfs rule grants nothing where a disk is mounted now
ctry ok open /tmp/scratch/f creat
expect_rc 0 mount --bind $d/rw /tmp/scratch
ctry EACCES open /tmp/scratch/f rw
ctry EACCES open /tmp/scratch/new creat
ctry EACCES setxattr /tmp/scratch/f user.k v
expect_rc 0 umount /tmp/scratch
ctry ok open /tmp/scratch/f rw

expect_rc 0 ioctl-cli unload-policy
rm -rf $d
exit 0
