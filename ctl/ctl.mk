# SPDX-License-Identifier: GPL-2.0
#
# How to compile ioctl-cli's objects; included by ctl/Makefile and by
# tests/unit/Makefile so both build the same objects with the same flags.

CTL_DIR := $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))
IOI_INCLUDE := $(abspath $(CTL_DIR)/../include)

PKG_CONFIG ?= pkg-config
CC ?= cc
CFLAGS ?= -O2 -g
WARNFLAGS ?= -Wall -Wextra -Werror

IOI_CPPFLAGS := -std=gnu11 -D_GNU_SOURCE \
	-I$(IOI_INCLUDE)/uapi -I$(IOI_INCLUDE) \
	$(shell $(PKG_CONFIG) --cflags libmnl json-c)
IOI_LDLIBS := $(shell $(PKG_CONFIG) --libs libmnl json-c)

CTL_SRCS := $(filter-out $(CTL_DIR)/main.c,$(wildcard $(CTL_DIR)/*.c))
CTL_OBJS := $(CTL_SRCS:.c=.o)

$(CTL_DIR)/%.o: $(CTL_DIR)/%.c
	$(CC) $(IOI_CPPFLAGS) $(CPPFLAGS) $(WARNFLAGS) $(CFLAGS) -MMD -MP \
		-c -o $@ $<

-include $(wildcard $(CTL_DIR)/*.d)
