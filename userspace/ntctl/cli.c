// SPDX-License-Identifier: GPL-2.0
/*
 * ntctl: one command line or a batch file of them, to the object that
 * runs it. Apart from main() (ntctl.c), so that the unit tests and the
 * fuzzer drive the same path.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "ntctl.h"
#include "cc.h"
#include "tunnel.h"
#include "policy.h"
#include "json.h"
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

void ntctl_usage(FILE *f)
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
	ntctl_usage(stdout);
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

int ntctl_run(int argc, char **argv)
{
	unsigned int i;
	int ret;

	if (argc < 1) {
		ntctl_usage(stderr);
		return EXIT_USAGE;
	}
	for (i = 0; i < sizeof(objects) / sizeof(objects[0]); i++) {
		if (!is_abbrev(argv[0], objects[i].name))
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

/*
 * -batch FILE: one command a line, run as it is read. A line of any length
 * is split whole; a NUL byte (it would cut the line short) and a read error
 * (a directory, an I/O error) stop the batch with an error.
 */
int ntctl_batch(const char *name, bool force)
{
	FILE *f = strcmp(name, "-") ? fopen(name, "r") : stdin;
	char *line = NULL, **argv = NULL;
	unsigned long lineno = 0;
	int argc, ret, worst = EXIT_OK;
	size_t cap = 0, acap = 0;
	ssize_t got;

	if (!f) {
		fprintf(stderr, "Error: cannot open batch file \"%s\": %s.\n",
			name, strerror(errno));
		return EXIT_USAGE;
	}
	while ((got = getline(&line, &cap, f)) >= 0) {
		lineno++;
		if (strlen(line) != (size_t)got) {
			fprintf(stderr, "Error: %s:%lu: a NUL byte in the line.\n",
				name, lineno);
			ret = EXIT_USAGE;
		} else {
			argc = split_words_grow(line, &argv, &acap);
			if (argc == 0)
				continue;
			if (argc < 0) {
				fprintf(stderr, "Error: %s:%lu: unterminated quote.\n",
					name, lineno);
				ret = EXIT_USAGE;
			} else {
				ret = ntctl_run(argc, argv);
			}
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
	if (ferror(f)) {
		fprintf(stderr, "Error: cannot read batch file \"%s\": %s.\n",
			name, strerror(errno));
		if (worst < EXIT_USAGE)
			worst = EXIT_USAGE;
	}
	free(line);
	free(argv);
	if (f != stdin)
		fclose(f);
	return worst;
}
