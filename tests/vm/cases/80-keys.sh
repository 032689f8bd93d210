# SPDX-License-Identifier: GPL-2.0
# Master keys over raw netlink: identifiers as docs/format.md derives them,
# no way to read a key back, strict requests, refused to confined tasks.
# requires: hostroot
. /tests/lib.sh

# The known-answer key of docs/format.md and its identifier.
key=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
kid=c7057dd824e7be1e73b5f7d36801d036

# KEY_ADD (5) answers with the identifier, never with the key.
expect_rc 0 genl 5 6:bin:$key
expect_out "attr 7 16 $kid"
expect_no_out "$key"
expect_rc 1 genl 5 6:bin:$key
expect_out "error EEXIST this key is already loaded"

# Bad requests change nothing.
expect_rc 1 genl 5
expect_out "error EINVAL KEY_ADD needs IOI_A_KEY_RAW"
expect_rc 1 genl 5 6:bin:0001
expect_out "error ERANGE binary attribute size out of range"
expect_rc 1 genl 5 6:bin:${key}00
expect_out "error ERANGE binary attribute size out of range"
expect_rc 1 genl 5 7:bin:$kid
expect_out "error EINVAL KEY_ADD takes IOI_A_KEY_RAW only"
expect_rc 1 genl 8 7:bin:00
expect_out "error ERANGE binary attribute size out of range"
expect_rc 1 genl 7 6:bin:$key
expect_out "error EINVAL this command takes no attributes"

# KEY_LIST (7): one key, active, not generated.
expect_rc 0 genl 7
expect_out "reply cmd=7"
# IOI_A_KEYS > IOI_KEY_A_ENTRY (nested) > ID (2), ACTIVE (3) = 1,
# GENERATED (4) = 0
expect_out "attr 8 40 2800018014000200${kid}05000300010000000500040000000000"

# KEY_GENERATE (6): a new key from the kernel's RNG becomes the active one.
expect_rc 0 genl 6
expect_out "attr 7 16 "
gid=$(sed -n 's/^attr 7 16 //p' $out)
[ ${#gid} -eq 32 ] && [ "$gid" != "$kid" ] || fail "generated id '$gid'"
expect_rc 0 genl 7
expect_out "attr 8 80 2800018014000200${gid}050003000100000005000400010000002800018014000200${kid}05000300000000000500040000000000"

# KEY_REMOVE (8)
expect_rc 1 genl 8 7:bin:00000000000000000000000000000000
expect_out "error ENOKEY no key with this identifier is loaded"
expect_rc 0 genl 8 7:bin:$gid
# IOI_A_KEY_OPEN_FILES (18): no file is open with it.
expect_out "attr 18 4 00000000"
expect_rc 0 genl 7
expect_out "attr 8 40 2800018014000200${kid}05000300010000000500040000000000"
expect_rc 1 genl 8 7:bin:$gid
expect_out "error ENOKEY"

# Only CAP_NET_ADMIN, and never a confined task.
expect_rc 1 hostrun setpriv --reuid=65534 --regid=65534 --clear-groups \
	python3 - 7 < /tests/genl.py
expect_out "error EPERM"
load "scope cgroup /ioi-test
default allow"
# (genl.py joins the confined cgroup itself, once inside the host's root)
expect_rc 1 genl --cgroup-fd 4 6 4> $CG/cgroup.procs
expect_out "error EPERM a confined task cannot change the policy or the keys"
expect_rc 1 genl --cgroup-fd 4 8 7:bin:$kid 4> $CG/cgroup.procs
expect_out "error EPERM a confined task cannot change the policy or the keys"
expect_rc 0 ioctl-cli unload-policy
expect_rc 0 genl 8 7:bin:$kid

# Keys are wiped when the module goes (kmemleak and the log are checked).
expect_rc 0 genl 5 6:bin:$key
expect_rc 0 rmmod iointercept
expect_rc 0 modprobe iointercept
expect_rc 0 genl 7
expect_out "attr 8 0 "
exit 0
