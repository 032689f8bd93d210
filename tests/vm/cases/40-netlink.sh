# SPDX-License-Identifier: GPL-2.0
# The netlink family validates strictly and explains every refusal.
# requires: hostroot
. /tests/lib.sh

# STATUS_GET (1) with nothing else: a reply with the version string.
expect_rc 0 genl 1
expect_out "reply cmd=1 version=1"
hexver=$(printf '%s' "$(cat /sys/kernel/iointercept/version)" | hexdump -ve '1/1 "%02x"')
expect_out "attr 1 $(( ${#hexver} / 2 + 1 )) ${hexver}00"

# Any attribute is refused, by name of the reason.
expect_rc 1 genl 1 1:str:0.1.0
expect_out "error EINVAL this command takes no attributes"
expect_rc 1 genl 1 3:u8:1
expect_out "error EINVAL this command takes no attributes"
expect_rc 1 genl 1 200:u32:7
expect_out "error EINVAL Unknown attribute type"

# The genl header's reserved field must be zero.
expect_rc 1 genl --reserved 1 1
expect_out "error EINVAL genlmsghdr.reserved field is not 0"

# Unknown and reserved commands.
expect_rc 1 genl 99
expect_out "error EOPNOTSUPP"
expect_rc 1 genl 0
expect_out "error EOPNOTSUPP"

# Only CAP_NET_ADMIN may talk to the family.
expect_rc 1 hostrun setpriv --reuid=65534 --regid=65534 --clear-groups \
	python3 - 1 < /tests/genl.py
expect_out "error EPERM"

# Security events are for CAP_NET_ADMIN only.
expect_rc 0 genl --join events
expect_out "joined"
expect_rc 1 hostrun setpriv --reuid=65534 --regid=65534 --clear-groups \
	python3 - --join events < /tests/genl.py
expect_out "error EPERM"
exit 0
