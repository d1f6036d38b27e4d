/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * nt_cc: the generic netlink family of tcp_nt, the ntkit congestion control.
 *
 * Family NT_CC_GENL_NAME ("nt_cc"), version NTKIT_GENL_VERSION, per network
 * namespace, multicast group "events". Reading is open; commands that
 * change state need CAP_NET_ADMIN in the namespace's user namespace.
 *
 * A profile is a named set of parameters. Profile "default" always exists,
 * can be changed and cannot be deleted. A route maps a destination prefix
 * to a profile: a new connection takes the profile of the longest route
 * matching its peer address (or "default") when tcp_nt starts on it, and
 * keeps that version of the profile for its life. NT_CC_CMD_PROFILE_SET
 * applies to connections that start afterwards. A connection whose
 * profile is deleted falls back to "default" at its next ACK.
 *
 * NT_CC_CMD_PROFILE_GET
 *   doit  NT_CC_A_PROFILE_NAME                           one profile
 *   dumpit (no attributes)                               every profile
 *   reply:
 *     NT_CC_A_PROFILE_NAME          NLA_NUL_STRING, 1..15 bytes [a-zA-Z0-9_.-]
 *     NT_CC_A_STARTUP_GAIN          NLA_U32, see linux/nt_cc_params.h
 *     NT_CC_A_DRAIN_GAIN            NLA_U32, see linux/nt_cc_params.h
 *     NT_CC_A_CWND_GAIN             NLA_U32, see linux/nt_cc_params.h
 *     NT_CC_A_PROBE_UP_GAIN         NLA_U32, see linux/nt_cc_params.h
 *     NT_CC_A_PROBE_DOWN_GAIN       NLA_U32, see linux/nt_cc_params.h
 *     NT_CC_A_PROBE_RTT_INTERVAL    NLA_U32, see linux/nt_cc_params.h
 *     NT_CC_A_PROBE_RTT_TIME        NLA_U32, see linux/nt_cc_params.h
 *     NT_CC_A_LOSS_THRESH           NLA_U32, see linux/nt_cc_params.h
 *     NT_CC_A_ECN_MODE              NLA_U8, enum nt_cc_ecn_mode  (default off)
 *     NT_CC_A_CE_THRESH             NLA_U32, see linux/nt_cc_params.h
 *     NT_CC_A_MIN_CWND              NLA_U32, see linux/nt_cc_params.h
 *     NT_CC_A_ROUTES                NLA_U32, routes naming this profile
 *     NT_CC_A_STATS                 NLA_NESTED
 *       NT_CC_STATS_CONNS           NLA_U64, connections started
 *       NT_CC_STATS_BYTES           NLA_U64, bytes delivered (acknowledged)
 *       NT_CC_STATS_RECOVERIES      NLA_U64, loss-recovery episodes
 *       NT_CC_STATS_CE_ACKS         NLA_U64, ACKs echoing CE (ECE)
 *       NT_CC_STATS_PROBE_RTTS      NLA_U64, PROBE_RTT entries
 *
 * NT_CC_CMD_PROFILE_NEW   NT_CC_A_PROFILE_NAME and any parameters; the rest
 *                         take their defaults. -EEXIST if the name is taken,
 *                         -ENOSPC past NT_CC_MAX_PROFILES.
 * NT_CC_CMD_PROFILE_SET   NT_CC_A_PROFILE_NAME and the parameters to change.
 * NT_CC_CMD_PROFILE_DEL   NT_CC_A_PROFILE_NAME. -EBUSY while routes name it,
 *                         -EPERM for "default".
 *
 * NT_CC_CMD_ROUTE_GET     dumpit: every route, IPv4 then IPv6
 *   NT_CC_A_ROUTE_FAMILY    NLA_U16, AF_INET or AF_INET6
 *   NT_CC_A_ROUTE_ADDR      NLA_BINARY, 4 or 16 bytes, network order
 *   NT_CC_A_ROUTE_CIDR      NLA_U8, 0..32 or 0..128
 *   NT_CC_A_PROFILE_NAME    the profile
 * NT_CC_CMD_ROUTE_NEW     the four attributes above; NLM_F_REPLACE replaces
 *                         an existing route, otherwise -EEXIST. -ENOSPC past
 *                         the module parameter max_routes.
 * NT_CC_CMD_ROUTE_DEL     family, address and prefix length.
 *
 * Events: every successful NEW, SET and DEL is multicast on "events" as a
 * message of the same command carrying the object (a deleted profile or
 * route carries its name or prefix only).
 */
#ifndef _UAPI_LINUX_NT_CC_H
#define _UAPI_LINUX_NT_CC_H

#include <linux/ntkit.h>

#define NT_CC_PROFILE_NAME_MAX	16	/* with the NUL */
#define NT_CC_MAX_PROFILES	64	/* per network namespace */
#define NT_CC_DEFAULT_PROFILE	"default"

enum nt_cc_ecn_mode {
	NT_CC_ECN_OFF,		/* CE feedback is ignored */
	NT_CC_ECN_DCTCP,	/* a DCTCP-style alpha bounds inflight */
	__NT_CC_ECN_MAX,
};

#define NT_CC_ECN_MAX (__NT_CC_ECN_MAX - 1)

enum nt_cc_cmd {
	NT_CC_CMD_UNSPEC,
	NT_CC_CMD_PROFILE_GET,
	NT_CC_CMD_PROFILE_NEW,
	NT_CC_CMD_PROFILE_SET,
	NT_CC_CMD_PROFILE_DEL,
	NT_CC_CMD_ROUTE_GET,
	NT_CC_CMD_ROUTE_NEW,
	NT_CC_CMD_ROUTE_DEL,
	__NT_CC_CMD_MAX,
};

#define NT_CC_CMD_MAX (__NT_CC_CMD_MAX - 1)

enum nt_cc_attr {
	NT_CC_A_UNSPEC,
	NT_CC_A_PAD,
	NT_CC_A_PROFILE_NAME,
	NT_CC_A_STARTUP_GAIN,
	NT_CC_A_DRAIN_GAIN,
	NT_CC_A_CWND_GAIN,
	NT_CC_A_PROBE_UP_GAIN,
	NT_CC_A_PROBE_DOWN_GAIN,
	NT_CC_A_PROBE_RTT_INTERVAL,
	NT_CC_A_PROBE_RTT_TIME,
	NT_CC_A_LOSS_THRESH,
	NT_CC_A_ECN_MODE,
	NT_CC_A_CE_THRESH,
	NT_CC_A_MIN_CWND,
	NT_CC_A_ROUTES,
	NT_CC_A_STATS,
	NT_CC_A_ROUTE_FAMILY,
	NT_CC_A_ROUTE_ADDR,
	NT_CC_A_ROUTE_CIDR,
	__NT_CC_A_MAX,
};

#define NT_CC_A_MAX (__NT_CC_A_MAX - 1)

enum nt_cc_stats_attr {
	NT_CC_STATS_UNSPEC,
	NT_CC_STATS_PAD,
	NT_CC_STATS_CONNS,
	NT_CC_STATS_BYTES,
	NT_CC_STATS_RECOVERIES,
	NT_CC_STATS_CE_ACKS,
	NT_CC_STATS_PROBE_RTTS,
	__NT_CC_STATS_MAX,
};

#define NT_CC_STATS_MAX (__NT_CC_STATS_MAX - 1)

#endif /* _UAPI_LINUX_NT_CC_H */
