# SPDX-License-Identifier: GPL-2.0
#
# How to compile ioctl-cli's objects; included by ctl/Makefile and by
# tests/unit/Makefile so both build the same objects with the same flags.
#
# The pattern checker module/match.c is compiled here too, into ctl/match.o,
# so the tool accepts exactly the patterns the module does. MATCH_SRC can
# point elsewhere for experiments. module/ comes last in the search path
# (-idirafter) so that only the headers ctl does not have are taken from it
# ("match.h"), never module/policy.h in place of ctl/policy.h.

CTL_DIR := $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))
IOI_INCLUDE := $(abspath $(CTL_DIR)/../include)
IOI_MODULE := $(abspath $(CTL_DIR)/../module)
MATCH_SRC ?= $(IOI_MODULE)/match.c

PKG_CONFIG ?= pkg-config
CC ?= cc
CFLAGS ?= -O2 -g
WARNFLAGS ?= -Wall -Wextra -Werror

IOI_CPPFLAGS := -std=gnu11 -D_GNU_SOURCE \
	-I$(IOI_INCLUDE)/uapi -I$(IOI_INCLUDE) -idirafter $(IOI_MODULE) \
	$(shell $(PKG_CONFIG) --cflags libmnl json-c libcrypto)
IOI_LDLIBS := $(shell $(PKG_CONFIG) --libs libmnl json-c libcrypto)

CTL_SRCS := $(filter-out $(CTL_DIR)/main.c,$(wildcard $(CTL_DIR)/*.c))
CTL_OBJS := $(CTL_SRCS:.c=.o) $(CTL_DIR)/match.o

$(CTL_DIR)/%.o: $(CTL_DIR)/%.c
	$(CC) $(IOI_CPPFLAGS) $(CPPFLAGS) $(WARNFLAGS) $(CFLAGS) -MMD -MP \
		-c -o $@ $<

$(CTL_DIR)/match.o: $(MATCH_SRC)
	$(CC) $(IOI_CPPFLAGS) $(CPPFLAGS) $(WARNFLAGS) $(CFLAGS) -MMD -MP \
		-c -o $@ $<

-include $(wildcard $(CTL_DIR)/*.d)
