// SPDX-License-Identifier: GPL-2.0
/*
 * ntctl monitor [ all | cc | policy | tunnel ]...: print the changes the
 * ntkit modules announce on their "events" multicast groups, one line (or
 * one JSON object per line with -j) per event, as `ip monitor` does. What
 * each family announces, and its names, are in objects.c.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <linux/ntkit.h>

#include "ntctl.h"
#include "json.h"
#include "nl.h"
#include "parse.h"

/* The objects of nl_objects[], as this monitor asks for them. */
struct mon_family {
	uint16_t id;
	bool wanted;
	bool named;	/* asked for by name: must exist */
	bool present;
};

static struct mon_family fams[NL_N_OBJECTS];
#define N_FAMS (sizeof(fams) / sizeof(fams[0]))

/* "OBJECT EVENT FIELDS", by the table of the object's events. */
static void print_event(const struct nl_object *o, const struct nlmsghdr *nlh)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	const struct nl_event *ev;
	char fmt[32] = "%s ";
	unsigned int i;

	for (i = 0; i < o->n_events; i++)
		if (o->events[i].cmd == g->cmd)
			break;
	if (i == o->n_events)
		return;
	ev = &o->events[i];
	if (strcmp(ev->object, o->object))
		snprintf(fmt, sizeof(fmt), "%s %%s ", o->object);
	jp_init(stdout, opts.json, opts.pretty);
	jp_open_object(NULL);
	jp_string("object", fmt, ev->object);
	jp_string("event", "%s ", ev->event);
	o->print_event(nlh, ev);
	jp_text("\n");
	jp_close_object();
	jp_finish();
	fflush(stdout);
}

static int event_cb(const struct nlmsghdr *nlh, void *arg)
{
	unsigned int i;

	(void)arg;
	for (i = 0; i < N_FAMS; i++)
		if (fams[i].present && nlh->nlmsg_type == fams[i].id)
			print_event(&nl_objects[i], nlh);
	return 0;
}

static void monitor_usage(FILE *f)
{
	fprintf(f, "Usage: ntctl monitor [ all | cc | policy | tunnel ]...\n"
		   "Prints each change to the ntkit modules' state as it happens.\n");
}

int do_monitor(int argc, char **argv)
{
	uint32_t groups[N_FAMS];
	unsigned int i, j, n = 0;
	struct nl_family f;
	int err;

	if (argc > 0 && is_abbrev(*argv, "help")) {
		monitor_usage(stdout);
		return EXIT_OK;
	}
	for (i = 0; i < N_FAMS; i++)
		fams[i].wanted = argc == 0;
	for (; argc > 0; argc--, argv++) {
		bool known = false;

		if (is_abbrev(*argv, "all")) {
			for (i = 0; i < N_FAMS; i++)
				fams[i].wanted = true;
			continue;
		}
		for (i = 0; i < N_FAMS; i++) {
			if (is_abbrev(*argv, nl_objects[i].object)) {
				fams[i].wanted = true;
				fams[i].named = true;
				known = true;
			}
		}
		if (!known) {
			monitor_usage(stderr);
			return usage_error("unknown object \"%s\" to monitor", *argv);
		}
	}
	for (i = 0; i < N_FAMS; i++) {
		if (!fams[i].wanted)
			continue;
		err = nl_family(nl_objects[i].family, &f);
		if (err && !fams[i].named)
			continue;	/* "all": the modules that are there */
		if (err) {
			fprintf(stderr, "Error: family %s is not in this kernel.\n",
				nl_objects[i].family);
			return EXIT_KERNEL;
		}
		for (j = 0; j < f.n_groups; j++) {
			if (!strcmp(f.groups[j].name, NTKIT_MCGRP_EVENTS)) {
				groups[n++] = f.groups[j].id;
				fams[i].id = f.id;
				fams[i].present = true;
			}
		}
	}
	/* no array around the stream: one object per line */
	jp_finish();
	err = nl_listen(groups, n, event_cb, NULL);
	fprintf(stderr, "Error: monitor: %s.\n", strerror(-err));
	return EXIT_KERNEL;
}
