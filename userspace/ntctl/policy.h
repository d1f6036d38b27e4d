/* SPDX-License-Identifier: GPL-2.0 */
/* ntctl policy: the nt_policy ruleset. */
#ifndef NTCTL_POLICY_H
#define NTCTL_POLICY_H

#include <libmnl/libmnl.h>
#include "nl.h"

int do_policy(int argc, char **argv);
void policy_print_event(const struct nlmsghdr *nlh,
			const struct nl_event *ev);

extern const struct nl_attr_desc policy_attr_names[];
extern const unsigned int policy_n_attr_names;

#endif
