/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * ntkit: what every ntkit generic netlink family has in common.
 *
 * Each module has one family, version NTKIT_GENL_VERSION, usable in every
 * network namespace, with a multicast group NTKIT_MCGRP_EVENTS on which it
 * announces changes. Every change needs CAP_NET_ADMIN in the user namespace
 * that owns the network namespace. Reading nt_cc is open, as routes and
 * sysctls are; reading nt_policy and nt_tun (rules with their counters,
 * peers with their endpoints) and listening to their events need it too,
 * as nft list and wg show do.
 * Every attribute has a strict policy: an unknown or malformed attribute
 * is refused with an extended ACK message naming it and its range.
 *
 *   family         module        header
 *   nt_cc          tcp_nt        linux/nt_cc.h
 *   nt_policy      nt_policy     linux/nt_policy.h
 *   nt_tun         nt_tun        linux/nt_tun.h
 *
 * Userspace resolves a family's id by name through nlctrl
 * (CTRL_CMD_GETFAMILY), as `ntctl status` shows.
 */
#ifndef _UAPI_LINUX_NTKIT_H
#define _UAPI_LINUX_NTKIT_H

#define NTKIT_GENL_VERSION	1
#define NTKIT_MCGRP_EVENTS	"events"

#define NT_CC_GENL_NAME		"nt_cc"
#define NT_POLICY_GENL_NAME	"nt_policy"
#define NT_TUN_GENL_NAME	"nt_tun"

#endif /* _UAPI_LINUX_NTKIT_H */
