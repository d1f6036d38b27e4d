// SPDX-License-Identifier: GPL-2.0
/*
 * ntctl status: which ntkit generic netlink families the running kernel
 * has, with their version, operations and multicast groups.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/ntkit.h>

#include "ntctl.h"
#include "json.h"
#include "nl.h"
#include "parse.h"

#define MAX_FAMILIES 32

struct found {
	struct nl_family f[MAX_FAMILIES];
	unsigned int n;
};

static int dump_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct found *found = arg;
	struct nl_family f;

	if (nl_parse_family(nlh, &f))
		return 0;
	/* The ntkit namespace: every family named nt_*. */
	if (strncmp(f.name, "nt_", 3) || found->n >= MAX_FAMILIES)
		return 0;
	found->f[found->n++] = f;
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct nl_family *)a)->name,
		      ((const struct nl_family *)b)->name);
}

static void print_flags(uint32_t flags)
{
	static const struct { uint32_t bit; const char *name; } names[] = {
		{ GENL_CMD_CAP_DO, "do" },
		{ GENL_CMD_CAP_DUMP, "dump" },
		{ GENL_CMD_CAP_HASPOL, "policy" },
		{ GENL_ADMIN_PERM, "admin" },
		{ GENL_UNS_ADMIN_PERM, "uns-admin" },
	};
	unsigned int i;

	jp_open_array("flags");
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (flags & names[i].bit)
			jp_string(NULL, NULL, names[i].name);
	jp_close_array();
}

static void print_family(const struct nl_family *f, const char *module)
{
	unsigned int i;

	jp_open_object(NULL);
	jp_string("family", "%-10s", f->name);
	jp_bool("loaded", NULL, true);
	jp_string("module", NULL, module);
	jp_uint("id", " id %" PRIu64, f->id);
	jp_uint("version", " version %" PRIu64, f->version);
	jp_uint("maxattr", " maxattr %" PRIu64, f->maxattr);
	jp_uint("n_ops", " ops %" PRIu64, f->n_ops);
	jp_open_array("ops");
	for (i = 0; i < f->n_ops; i++) {
		jp_open_object(NULL);
		jp_uint("cmd", NULL, f->ops[i].cmd);
		print_flags(f->ops[i].flags);
		jp_close_object();
	}
	jp_close_array();
	jp_text(" groups");
	jp_open_array("groups");
	for (i = 0; i < f->n_groups; i++) {
		jp_open_object(NULL);
		jp_string("name", " %s", f->groups[i].name);
		jp_uint("id", NULL, f->groups[i].id);
		jp_close_object();
	}
	if (!f->n_groups)
		jp_text(" none");
	jp_close_array();
	jp_text("\n");
	jp_close_object();
}

static void print_missing(const char *family, const char *module)
{
	jp_open_object(NULL);
	jp_string("family", "%-10s", family);
	jp_bool("loaded", NULL, false);
	jp_string("module", " not loaded (module %s)\n", module);
	jp_close_object();
}

static void status_usage(FILE *f)
{
	fprintf(f,
		"Usage: ntctl status [ FAMILY | help ]\n"
		"Shows the ntkit generic netlink families of the running kernel\n"
		"(nt_cc from tcp_nt, nt_policy, nt_tun and any other nt_*),\n"
		"or one FAMILY, which must be loaded.\n");
}

static const char *module_of(const char *family)
{
	unsigned int i;

	for (i = 0; i < NL_N_OBJECTS; i++)
		if (!strcmp(nl_objects[i].family, family))
			return nl_objects[i].module;
	return NULL;
}

/* One family, resolved by name (and cached) as every command does. */
static int status_one(const char *name)
{
	struct nl_family f;
	int err;

	if (strncmp(name, "nt_", 3) || strlen(name) >= GENL_NAMSIZ)
		return usage_error("\"%s\" is not an ntkit family name (nt_*)",
				   name);
	err = nl_family(name, &f);
	if (err == -ENOENT) {
		fprintf(stderr, "Error: family %s is not in this kernel%s%s%s.\n",
			name, module_of(name) ? " (is module " : "",
			module_of(name) ? module_of(name) : "",
			module_of(name) ? " loaded?)" : "");
		return EXIT_KERNEL;
	}
	if (err) {
		fprintf(stderr, "Error: cannot resolve family %s: %s.\n", name,
			strerror(-err));
		return EXIT_KERNEL;
	}
	jp_open_array(NULL);
	print_family(&f, module_of(name));
	jp_close_array();
	return EXIT_OK;
}

int do_status(int argc, char **argv)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct found *found;
	struct nl_req r;
	unsigned int i, j;
	bool seen;
	int err;

	if (argc > 0 && is_abbrev(argv[0], "help")) {
		status_usage(stdout);
		return EXIT_OK;
	}
	if (argc > 1) {
		status_usage(stderr);
		return usage_error("unknown argument \"%s\" to status",
				   argv[1]);
	}
	if (argc == 1)
		return status_one(argv[0]);

	found = calloc(1, sizeof(*found));
	if (!found)
		return EXIT_KERNEL;
	nl_req_init(&r, buf, sizeof(buf), GENL_ID_CTRL, 1, CTRL_CMD_GETFAMILY,
		    NLM_F_DUMP);
	err = nl_talk(&r, dump_cb, found, NULL, 0);
	if (err) {
		if (err != -EINTR)
			fprintf(stderr, "Error: cannot list families: %s.\n",
				strerror(-err));
		free(found);
		return EXIT_KERNEL;
	}
	qsort(found->f, found->n, sizeof(found->f[0]), by_name);

	jp_open_array(NULL);
	for (i = 0; i < NL_N_OBJECTS; i++) {
		seen = false;
		for (j = 0; j < found->n; j++) {
			if (!strcmp(found->f[j].name, nl_objects[i].family)) {
				print_family(&found->f[j], nl_objects[i].module);
				seen = true;
			}
		}
		if (!seen)
			print_missing(nl_objects[i].family, nl_objects[i].module);
	}
	for (j = 0; j < found->n; j++) {
		seen = false;
		for (i = 0; i < NL_N_OBJECTS; i++)
			seen |= !strcmp(found->f[j].name, nl_objects[i].family);
		if (!seen)
			print_family(&found->f[j], NULL);
	}
	jp_close_array();
	free(found);
	return EXIT_OK;
}
