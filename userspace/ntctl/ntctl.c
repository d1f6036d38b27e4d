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
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ntctl.h"
#include "cc.h"
#include "tunnel.h"
#include "policy.h"
#include "json.h"
#include "nl.h"
#include "parse.h"

struct ntctl_opts opts;

int usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("Error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs(".\n", stderr);
	return EXIT_USAGE;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: ntctl [ OPTIONS ] OBJECT { COMMAND | help }\n"
		"       ntctl [ -force ] -batch FILENAME\n"
		"where  OBJECT := { status | cc | policy | tunnel | monitor | help }\n"
		"       OPTIONS := { -V[ersion] | -j[son] | -p[retty] |\n"
		"                    -n[etns] NAME | -b[atch] FILE | -f[orce] }\n");
}

static int do_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	usage(stdout);
	return EXIT_OK;
}

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
} objects[] = {
	{ "status", do_status },
	{ "cc", do_cc },
	{ "policy", do_policy },
	{ "tunnel", do_tunnel },
	{ "monitor", do_monitor },
	{ "help", do_help },
};

static int run(int argc, char **argv)
{
	unsigned int i;
	int ret;

	if (argc < 1) {
		usage(stderr);
		return EXIT_USAGE;
	}
	for (i = 0; i < sizeof(objects) / sizeof(objects[0]); i++) {
		if (!matches(argv[0], objects[i].name))
			continue;
		jp_init(stdout, opts.json, opts.pretty);
		ret = objects[i].fn(argc - 1, argv + 1);
		if (jp_finish() && ret == EXIT_OK)
			ret = EXIT_KERNEL;
		return ret;
	}
	return usage_error("object \"%s\" is unknown, try \"ntctl help\"",
			   argv[0]);
}

static int batch(const char *name, bool force)
{
	FILE *f = strcmp(name, "-") ? fopen(name, "r") : stdin;
	char *line = NULL, *argv[256];
	unsigned long lineno = 0;
	int argc, ret, worst = EXIT_OK;
	size_t cap = 0;

	if (!f) {
		fprintf(stderr, "Error: cannot open batch file \"%s\": %s.\n",
			name, strerror(errno));
		return EXIT_USAGE;
	}
	while (getline(&line, &cap, f) >= 0) {
		lineno++;
		argc = split_words(line, argv, sizeof(argv) / sizeof(argv[0]));
		if (argc == 0)
			continue;
		if (argc < 0) {
			fprintf(stderr, "Error: %s:%lu: %s.\n", name, lineno,
				argc == -1 ? "too many words" :
					     "unterminated quote");
			ret = EXIT_USAGE;
		} else {
			ret = run(argc, argv);
		}
		if (ret != EXIT_OK) {
			fprintf(stderr, "Command failed %s:%lu\n", name,
				lineno);
			if (ret > worst)
				worst = ret;
			if (!force)
				break;
		}
	}
	free(line);
	if (f != stdin)
		fclose(f);
	return worst;
}

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
			usage(stdout);
			return EXIT_OK;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (netns && enter_netns(netns))
		return EXIT_USAGE;
	if (batch_file) {
		if (optind != argc)
			return usage_error("-batch takes no OBJECT");
		ret = batch(batch_file, force);
	} else {
		ret = run(argc - optind, argv + optind);
	}
	nl_close();
	return ret;
}
