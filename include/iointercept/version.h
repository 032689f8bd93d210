/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* One version for iointercept.ko and ioctl-cli; bumped together. */
#ifndef _IOINTERCEPT_VERSION_H
#define _IOINTERCEPT_VERSION_H

#define IOI_VERSION "0.1.0"

#endif
