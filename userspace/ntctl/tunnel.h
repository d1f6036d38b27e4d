/* SPDX-License-Identifier: GPL-2.0 */
/* ntctl tunnel: nt_tun devices and peers (tunnel.c), shared with monitor. */
#ifndef NTCTL_TUNNEL_H
#define NTCTL_TUNNEL_H

#include <libmnl/libmnl.h>
#include "nl.h"

int do_tunnel(int argc, char **argv);
void tunnel_print_event(const struct nlmsghdr *nlh,
			const struct nl_event *ev);

extern const struct nl_attr_desc tunnel_attr_names[];
extern const unsigned int tunnel_n_attr_names;

#endif
