/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A stand-in for nl.c's socket side, for the host tests and the fuzzer:
 * requests are checked for a well-formed attribute tree (abort() if not,
 * so the fuzzer sees a wrapped nest as a crash) and recorded, and every
 * one is acked.
 */
#ifndef NTCTL_FAKE_KERNEL_H
#define NTCTL_FAKE_KERNEL_H

#include <stdint.h>

#define FAKE_MAX_SENT	64

struct fake_kernel {
	unsigned int sent;			/* requests acked */
	uint8_t cmd[FAKE_MAX_SENT];		/* genl cmd of the first ones */
	uint32_t len[FAKE_MAX_SENT];		/* nlmsg_len of the first ones */
};

extern struct fake_kernel fake;

void fake_reset(void);

/* 0 if @nlh's attributes nest exactly within it, else -1. */
int fake_check_tree(const void *nlh);

#endif
