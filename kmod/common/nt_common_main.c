// SPDX-License-Identifier: GPL-2.0
/*
 * nt_common: code every ntkit module shares, exported in the NTKIT symbol
 * namespace: the prefix table (nt_prefix.c) and netlink helpers (nt_nl.c).
 *
 * One small core module rather than a copy in each module, as the kernel
 * does with udp_tunnel or ip_tunnel: one binary for the KUnit suite and
 * the fleet to agree on, one place to fix. modprobe (and so autoload by
 * sysctl, setsockopt or a route's congctl) loads it first through the
 * symbol dependency; nothing in it holds state, so it has no init or exit
 * work and stays loaded only while a user module holds its symbols.
 */
#include <linux/module.h>

MODULE_DESCRIPTION("ntkit shared code: longest-prefix-match table, netlink helpers");
MODULE_LICENSE("GPL");
MODULE_VERSION(NTKIT_VERSION);
