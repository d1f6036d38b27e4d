/* SPDX-License-Identifier: GPL-2.0 */
/* ntctl: shared state of the command line tool. */
#ifndef NTCTL_H
#define NTCTL_H

#include <stdbool.h>
#include <stdio.h>

/* from dkms.conf's PACKAGE_VERSION, by the Makefile */
#ifndef NTCTL_VERSION
#error "NTCTL_VERSION is not defined: build with userspace/ntctl/Makefile"
#endif

/* Exit statuses, as iproute2: 0 done, 1 usage, 2 the kernel refused. */
enum { EXIT_OK = 0, EXIT_USAGE = 1, EXIT_KERNEL = 2 };

struct ntctl_opts {
	bool json;
	bool pretty;
};

extern struct ntctl_opts opts;

/* Print "Error: ..." to stderr and return EXIT_USAGE. */
int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Run one command (OBJECT ...), or each line of a batch file. */
int ntctl_run(int argc, char **argv);
int ntctl_batch(const char *name, bool force);
void ntctl_usage(FILE *f);

int do_status(int argc, char **argv);
int do_monitor(int argc, char **argv);

#endif
