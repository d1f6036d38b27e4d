/* SPDX-License-Identifier: GPL-2.0 */
/* ntctl cc: tcp_nt's profiles and routes (cc.c), shared with monitor. */
#ifndef NTCTL_CC_H
#define NTCTL_CC_H

#include <stdbool.h>
#include <libmnl/libmnl.h>
#include "nl.h"

int do_cc(int argc, char **argv);
void cc_print_profile(const struct nlmsghdr *nlh, bool stats);
void cc_print_route(const struct nlmsghdr *nlh);
void cc_print_event(const struct nlmsghdr *nlh, const struct nl_event *ev);

extern const struct nl_attr_desc cc_attr_names[];
extern const unsigned int cc_n_attr_names;

#endif
