/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ntctl policy, inside: what policy.c (the commands), policy_rule.c (a
 * rule both ways) and policy_commit.c (commit files) share.
 */
#ifndef NTCTL_POLICY_INT_H
#define NTCTL_POLICY_INT_H

#include <stdbool.h>
#include <libmnl/libmnl.h>
#include "nl.h"

#define MSG_BUF		(64 * 1024)
#define MSG_FILL	(MSG_BUF - 2048)	/* room for one more rule */

extern const char *const pol_hook_names[];

/* The index of the name @s prefix-matches in @names[0..@n), or -1. */
int pol_keyword(const char *s, const char *const *names, int n);
/* A hook's name into NT_POL_HOOK_*, or -1. */
int pol_parse_hook(const char *s);
/* mnl_attr_parse() callbacks: attributes into a table by type, the top
 * level (NT_POL_A_*) and a nest's (at most NT_POL_RULE_A_MAX) */
int pol_top_cb(const struct nlattr *a, void *data);
int pol_attr_cb(const struct nlattr *a, void *data);

/* The words of a RULE into an NT_POL_A_RULE nest; an exit status. */
int pol_put_rule(struct nl_req *r, int argc, char **argv);
/* An NT_POL_A_RULE nest as `add` words (text) or an object (JSON). */
void pol_print_rule(const struct nlattr *nest, bool stats, bool counters);

/* hook set HOOK [priority P] [policy accept|drop] into @r. */
int pol_put_hook_set(struct nl_req *r, int argc, char **argv);

/* ntctl policy commit FILE [generation N]. */
int pol_commit(const struct nl_family *f, int argc, char **argv);
/* A commit's generation and rule count (reply or event). */
void pol_commit_fields(const struct nlmsghdr *nlh);

#endif
