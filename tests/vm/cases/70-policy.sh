# SPDX-License-Identifier: GPL-2.0
# Loading, showing and unloading policies; bad policies change nothing.
# requires: hostroot
. /tests/lib.sh

mkdir -p /tmp/ioi
cat > /tmp/good.conf <<'P'
# a comment
mode audit
scope cgroup /ioi-test
default deny

system /bin/**
tmpfs /tmp/ioi/**
allow rw "/srv/My Data/**"    # trailing comment
deny /srv/**
encrypt wo /srv/**/*.log
P
expect_rc 0 ioctl-cli check-policy /tmp/good.conf
expect_out "ok, 4 access rules, 1 encrypt rules"
local_hash=$(sed -n 's/.*sha256 \([0-9a-f]*\).*/\1/p' $out)
[ ${#local_hash} = 64 ] || fail "check-policy printed no sha256"

expect_rc 0 ioctl-cli load-policy /tmp/good.conf
expect_out "policy loaded: sha256 $local_hash"
expect_rc 0 ioctl-cli status
expect_out "policy: loaded, sha256 $local_hash"
# While a policy is in force the module cannot be unloaded.
expect_rc 1 rmmod iointercept
module_loaded || fail "rmmod removed the module under a policy"
dmesg | grep -q "policy loaded: 4 access rules, 1 encrypt rules" ||
	fail "no policy-loaded line in the kernel log"

# show-policy prints the canonical text; loading it gives the same hash.
expect_rc 0 ioctl-cli show-policy
cp $out /tmp/shown.conf
expect_out 'allow rw "/srv/My Data/**"'
expect_out "scope cgroup /ioi-test"
expect_rc 0 ioctl-cli load-policy /tmp/shown.conf
expect_out "policy loaded: sha256 $local_hash"
expect_rc 0 ioctl-cli show-policy --json
hostrun python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["mode"] == "audit" and d["default"] == "deny", d
assert d["rules"][2] == {"kind": "allow", "access": "rw", "pattern": "/srv/My Data/**"}, d
assert d["encrypt"][0]["pattern"] == "/srv/**/*.log", d
assert d["sha256"] == sys.argv[1], d
' "$local_hash" < $out || fail "show-policy --json: $(cat $out)"

# The hash is SHA-256 of the canonical text, recomputable anywhere.
expect_rc 0 ioctl-cli check-policy --canonical /tmp/good.conf
expect_eq "$(sha256sum < $out | cut -d' ' -f1)" "$local_hash" "hash of the canonical text"

# Errors in the file: reported with file:line:column, nothing sent.
printf 'mode enforce\nallow rwz /srv/**\nsystem /usr/../etc\n' > /tmp/bad.conf
expect_rc 1 ioctl-cli load-policy /tmp/bad.conf
expect_out "/tmp/bad.conf:2:7: error: unknown access 'rwz'"
expect_out "/tmp/bad.conf:3:"
expect_out "'..' component"
expect_rc 0 ioctl-cli status
expect_out "policy: loaded, sha256 $local_hash"

# Errors only the kernel can see: the policy in force stays.
printf 'tmpfs /proc/**\n' > /tmp/notmpfs.conf
expect_rc 0 ioctl-cli check-policy /tmp/notmpfs.conf
expect_rc 1 ioctl-cli load-policy /tmp/notmpfs.conf
expect_out "/tmp/notmpfs.conf:1: error: tmpfs rule: the path is not on a tmpfs or ramfs"
printf 'scope cgroup /no-such-cgroup\n' > /tmp/nocg.conf
expect_rc 1 ioctl-cli load-policy /tmp/nocg.conf
expect_out "no such cgroup v2 directory"
expect_rc 0 ioctl-cli status
expect_out "policy: loaded, sha256 $local_hash"

# Malformed netlink: refused with a message, nothing changes.
expect_rc 1 genl 2
expect_out "error EINVAL POLICY_SET needs IOI_A_POLICY"
expect_rc 1 genl 2 1:str:x
expect_out "error EINVAL POLICY_SET takes IOI_A_POLICY, IOI_A_BUILD_ID and IOI_A_LOCK only"
# The module validates every attribute again, as if ioctl-cli were hostile.
# pol RULE...: a POLICY_SET nest (enforce, deny, all) holding RULE nests.
pol() {
	rules=
	for r in "$@"; do rules="$rules${rules:+,}[6,\"nest\",[$r]]"; done
	echo "4:json:[[1,\"u8\",0],[2,\"u8\",0],[3,\"u8\",0],[5,\"nest\",[$rules]]]"
}
bad() {
	msg=$1
	shift
	expect_rc 1 genl 2 "$@"
	expect_out "error EINVAL $msg"
}
long=$(printf '/%01100d' 0)
bad "'..' component" "$(pol '[1,"u8",3],[2,"u8",1],[3,"str","/srv/../etc"]')"
bad "" "$(pol '[1,"u8",3],[2,"u8",1],[3,"str","'$long'"]')"
bad "" "$(pol '[1,"u32",3],[2,"u8",1],[3,"str","/srv"]')"
expect_rc 1 genl 2 "$(pol '[1,"u8",9],[3,"str","/srv"]')"
expect_out "error ERANGE integer out of range"
bad "a rule needs a kind and a pattern" "$(pol '[1,"u8",4]')"
bad "allow and encrypt rules need an access mode" "$(pol '[1,"u8",3],[3,"str","/srv"]')"
bad "only allow and encrypt rules take an access mode" "$(pol '[1,"u8",4],[2,"u8",1],[3,"str","/srv"]')"
bad "encrypt rule: mode is rw or wo" "$(pol '[1,"u8",5],[2,"u8",3],[3,"str","/srv/*.pt"]')"
bad "a policy needs mode, default and scope" '4:json:[[1,"u8",0],[2,"u8",0]]'
bad "a cgroup path goes with scope cgroup, and only with it" '4:json:[[1,"u8",0],[2,"u8",0],[3,"u8",1]]'
for cg in ioi-test //ioi-test/ /ioi-* /a/../ioi-test; do
	bad "scope cgroup: not an absolute path without wildcards" \
		"4:json:[[1,\"u8\",0],[2,\"u8\",0],[3,\"u8\",1],[4,\"str\",\"$cg\"]]"
done
bad "rules go inside IOI_POLICY_A_RULES" '4:json:[[1,"u8",0],[2,"u8",0],[3,"u8",0],[6,"str","x"]]'
expect_rc 1 genl 2 '4:json:[[1,"u8",0],[2,"u8",0],[3,"u8",0],[5,"nest",[[1,"u8",4]]]]'
expect_out "error ERANGE Array element too short"
bad "" '4:u8:1'
expect_rc 0 ioctl-cli status
expect_out "policy: loaded, sha256 $local_hash"

expect_rc 1 hostrun setpriv --reuid=65534 --regid=65534 --clear-groups \
	python3 - 4 < /tests/genl.py
expect_out "error EPERM"
expect_rc 0 ioctl-cli status
expect_out "policy: loaded, sha256 $local_hash"

expect_rc 0 ioctl-cli unload-policy
expect_out "policy unloaded"
expect_rc 0 rmmod iointercept
expect_rc 0 modprobe iointercept
expect_rc 0 ioctl-cli status
expect_out "policy: not loaded"
expect_rc 1 ioctl-cli unload-policy
expect_out "no policy loaded"
expect_rc 1 ioctl-cli show-policy
expect_out "no policy loaded"
exit 0
