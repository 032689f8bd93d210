# SPDX-License-Identifier: GPL-2.0
# Access control for a confined task, one syscall at a time, each with the
# errno it must get. The shell running this stays unconfined.
. /tests/lib.sh

mkdir -p /srv/sys /srv/ro /srv/rw/secret /srv/other /tmp/ioi
echo data > /srv/sys/f
printf '#!/bin/sh\necho hi\n' > /srv/sys/script
printf '#!/bin/sh\necho hi\n' > /tmp/ioi/script
chmod +x /srv/sys/script /tmp/ioi/script
echo data > /srv/ro/f
echo data > /srv/rw/f
echo key > /srv/rw/secret/k
echo data > /srv/other/f

load "mode enforce
scope cgroup /ioi-test
default deny
system /bin/**
system /usr/bin/**
system /lib/**
system /lib64/**
system /usr/lib/**
system /srv/sys/**
tmpfs /tmp/ioi/**
allow ro /srv/ro/**
deny /srv/rw/secret/**
allow rw /srv/rw/**"

# system: read and exec only
ctry ok read /srv/sys/f
ctry hi exec /srv/sys/script
ctry EACCES open /srv/sys/f w
ctry EACCES open /srv/sys/f trunc
ctry EACCES open /srv/sys/f rtrunc
ctry EACCES open /srv/sys/f a
ctry EACCES open /srv/sys/f acc3
ctry EACCES open /srv/sys/new creat
ctry EACCES mknod /srv/sys/fifo
ctry EACCES mkdir /srv/sys/d
ctry EACCES symlink /x /srv/sys/l
ctry EACCES unlink /srv/sys/f
ctry EACCES rename /srv/sys/f /srv/sys/g
ctry EACCES truncate /srv/sys/f 0
ctry EACCES chmod /srv/sys/f 600
ctry EACCES chown /srv/sys/f 0 0

# tmpfs: read, write, create, delete, setattr; no exec
ctry ok open /tmp/ioi/a creat
ctry ok open /tmp/ioi/a rw
ctry ok truncate /tmp/ioi/a 3
ctry ok chmod /tmp/ioi/a 600
ctry ok chown /tmp/ioi/a 0 0
ctry ok mkdir /tmp/ioi/d
ctry ok rename /tmp/ioi/a /tmp/ioi/d/b
ctry ok symlink /x /tmp/ioi/l
ctry ok mknod /tmp/ioi/fifo
ctry ok unlink /tmp/ioi/d/b
ctry ok rmdir /tmp/ioi/d
ctry EACCES exec /tmp/ioi/script
ctry EPERM mknod-dev /tmp/ioi/null

# executable mappings need the execute right too, not only execve()
ctry ok mmap-exec /srv/sys/f
ctry EACCES mmap-exec /tmp/ioi/script
ctry EACCES mprotect-exec /tmp/ioi/script
cp /usr/sbin/ioctl-cli /tmp/ioi/prog
expect_rc 0 /lib64/ld-linux-x86-64.so.2 /tmp/ioi/prog version
confined /lib64/ld-linux-x86-64.so.2 /tmp/ioi/prog version > $out 2>&1 &&
	fail "ld.so ran a program from a path without the execute right"

# allow ro / allow rw, and first match wins (deny before allow rw)
ctry ok read /srv/ro/f
ctry EACCES open /srv/ro/f w
ctry EACCES open /srv/ro/n creat
ctry EACCES unlink /srv/ro/f
ctry ok open /srv/rw/f rw
ctry ok open /srv/rw/f acc3
ctry ok open /srv/rw/f a
ctry ok open /srv/rw/n creat
ctry ok unlink /srv/rw/n
ctry EACCES read /srv/rw/secret/k
ctry EACCES open /srv/rw/secret/new creat

# default deny
ctry EACCES read /srv/other/f
ctry EACCES open /srv/other/n creat

# mount-namespace changes: EPERM, always
ctry EPERM mount-tmpfs /tmp/ioi
ctry EPERM bind /srv/sys /tmp/ioi
ctry EPERM umount /tmp
ctry EPERM chroot /tmp/ioi
ctry EPERM pivot /tmp/ioi /tmp/ioi

# counted
d0=$(stat_of denied)
a0=$(stat_of allowed)
ctry EACCES read /srv/other/f
ctry ok read /srv/ro/f
[ "$(stat_of denied)" -gt "$d0" ] || fail "stats/denied did not grow"
[ "$(stat_of allowed)" -gt "$a0" ] || fail "stats/allowed did not grow"

# an unconfined task is unaffected
try ok open /srv/sys/f w
try ok read /srv/other/f
try ok read /srv/rw/secret/k

expect_rc 0 ioctl-cli unload-policy
# without a policy nothing is confined
ctry ok read /srv/other/f
exit 0
