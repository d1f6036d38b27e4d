// SPDX-License-Identifier: GPL-2.0
/*
 * ntctl: configure the ntkit modules, in the manner of ip(8).
 *
 *   ntctl [OPTIONS] OBJECT { COMMAND | help }
 *
 * Keywords may be abbreviated to any unique-by-order prefix, as in ip.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ntctl.h"
#include "nl.h"

static int enter_netns(const char *name)
{
	char path[PATH_MAX];
	int fd;

	if (strchr(name, '/'))
		snprintf(path, sizeof(path), "%s", name);
	else
		snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "Error: cannot open network namespace \"%s\": %s.\n",
			name, strerror(errno));
		return -1;
	}
	if (setns(fd, CLONE_NEWNET)) {
		fprintf(stderr, "Error: cannot enter network namespace \"%s\": %s.\n",
			name, strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "pretty", no_argument, NULL, 'p' },
		{ "netns", required_argument, NULL, 'n' },
		{ "batch", required_argument, NULL, 'b' },
		{ "force", no_argument, NULL, 'f' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *batch_file = NULL, *netns = NULL;
	bool force = false;
	int c, ret;

	/* "+": options end at the object, as in ip. */
	while ((c = getopt_long_only(argc, argv, "+jpn:b:fVh", longopts,
				     NULL)) != -1) {
		switch (c) {
		case 'j':
			opts.json = true;
			break;
		case 'p':
			opts.pretty = true;
			break;
		case 'n':
			netns = optarg;
			break;
		case 'b':
			batch_file = optarg;
			break;
		case 'f':
			force = true;
			break;
		case 'V':
			printf("ntctl %s\n", NTCTL_VERSION);
			return EXIT_OK;
		case 'h':
			ntctl_usage(stdout);
			return EXIT_OK;
		default:
			ntctl_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (netns && enter_netns(netns))
		return EXIT_USAGE;
	if (batch_file) {
		if (optind != argc)
			return usage_error("-batch takes no OBJECT");
		ret = ntctl_batch(batch_file, force);
	} else {
		ret = ntctl_run(argc - optind, argv + optind);
	}
	nl_close();
	return ret;
}
