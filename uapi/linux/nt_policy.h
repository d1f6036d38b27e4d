/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * nt_policy: the generic netlink family of the ntkit traffic-policy engine.
 *
 * Family NT_POLICY_GENL_NAME ("nt_policy"), version NTKIT_GENL_VERSION, per
 * network namespace, multicast group "events". Every command, reading
 * too, and the events need CAP_NET_ADMIN in the namespace's user namespace
 * (a ruleset with its counters is as private as nft list ruleset).
 *
 * A namespace holds one ruleset: rules ordered by (priority, id), each with
 * a hook, a family, matches and one action. The ruleset changes only as a
 * whole (a transaction), so a packet is judged by the old ruleset or the
 * new one, never a mix. Every change bumps the generation.
 *
 * NT_POL_CMD_RULE_GET
 *   doit   NT_POL_A_RULE { ID }                         one rule
 *   dumpit optional NT_POL_A_HOOK { HOOK }              every rule (of a hook)
 *   reply: NT_POL_A_GENERATION NLA_U64, and
 *     NT_POL_A_RULE                     NLA_NESTED
 *       NT_POL_RULE_A_ID                NLA_U32, 1..2^32-1 (0 or absent on
 *                                       add: the kernel assigns one)
 *       NT_POL_RULE_A_PRIORITY          NLA_U32, lower first, ties by id
 *                                       (default 0)
 *       NT_POL_RULE_A_HOOK              NLA_U8, enum nt_pol_hook (required)
 *       NT_POL_RULE_A_FAMILY            NLA_U8, enum nt_pol_family
 *                                       (default inet; an address match
 *                                       narrows it to the address's family)
 *       NT_POL_RULE_A_SRC, _DST         NLA_BINARY, 4 or 16 bytes, with
 *       NT_POL_RULE_A_SRC_LEN, _DST_LEN NLA_U8, 0..32 or 0..128 (default
 *                                       the full length)
 *       NT_POL_RULE_A_PROTO             NLA_U8, L4 protocol (absent: any)
 *       NT_POL_RULE_A_SPORT_MIN, _MAX   NLA_U16, port ranges (MAX defaults
 *       NT_POL_RULE_A_DPORT_MIN, _MAX   to MIN); need PROTO tcp, udp, sctp
 *                                       or udplite
 *       NT_POL_RULE_A_TCP_FLAGS         NLA_U8, value, and
 *       NT_POL_RULE_A_TCP_FLAGS_MASK    NLA_U8, mask (default: value):
 *                                       (flags & mask) == value; PROTO tcp
 *       NT_POL_RULE_A_IIF, _OIF         NLA_NUL_STRING, interface name
 *                                       (exact, IFNAMSIZ - 1 at most)
 *       NT_POL_RULE_A_DSCP              NLA_U8, 0..63
 *       NT_POL_RULE_A_ACTION            NLA_U8, enum nt_pol_action (required)
 *       NT_POL_RULE_A_MARK              NLA_U32 \ mark: new = (old & ~MASK)
 *       NT_POL_RULE_A_MARK_MASK         NLA_U32 /       | (MARK & MASK)
 *       NT_POL_RULE_A_SET_DSCP          NLA_U8, 0..63 (action dscp)
 *       NT_POL_RULE_A_RATE              NLA_U64, per second, 1..
 *                                       NT_POL_RATE_MAX (police, meter)
 *       NT_POL_RULE_A_BURST             NLA_U64, 1..NT_POL_BURST_MAX
 *       NT_POL_RULE_A_UNIT              NLA_U8, enum nt_pol_unit (bytes)
 *       NT_POL_RULE_A_METER_KEY         NLA_U8, enum nt_pol_meter_key
 *       NT_POL_RULE_A_METER_LEN         NLA_U8, key prefix length 1..128
 *                                       (IPv4 uses at most 32)
 *       NT_POL_RULE_A_METER_SIZE        NLA_U32, 1..NT_POL_METER_SIZE_MAX
 *       NT_POL_RULE_A_PACKETS, _BYTES   NLA_U64, matched (read only)
 *       NT_POL_RULE_A_OVER              NLA_U64, over-limit packets (read
 *                                       only; police and meter)
 *       NT_POL_RULE_A_METER_ENTRIES     NLA_U32, keys in the meter (read only)
 *
 * NT_POL_CMD_RULE_ADD     one or more NT_POL_A_RULE. On a socket with an
 *                         open transaction the rules join it; otherwise
 *                         they are added to the ruleset at once (a
 *                         transaction of their own).
 * NT_POL_CMD_RULE_DEL     NT_POL_A_RULE { ID }: -ENOENT if absent.
 * NT_POL_CMD_FLUSH        every rule, or those of NT_POL_A_HOOK { HOOK }.
 * NT_POL_CMD_BEGIN        opens a transaction on this socket: an empty
 *                         ruleset that RULE_ADD fills. One transaction per
 *                         namespace at a time (-EBUSY); one left open by a
 *                         socket that closes is discarded.
 * NT_POL_CMD_COMMIT       optional NT_POL_A_GENERATION: -ESTALE if the
 *                         ruleset changed since. Replaces the ruleset with
 *                         the transaction's; packet and byte counters of
 *                         rules whose id (and action) survives carry over.
 *                         A failed commit leaves the old ruleset in force.
 *                         Reply: NT_POL_CMD_COMMIT with GENERATION, RULES.
 * NT_POL_CMD_ABORT        discards this socket's transaction.
 * NT_POL_CMD_HOOK_GET     dumpit: one message per hook:
 *     NT_POL_A_HOOK                     NLA_NESTED
 *       NT_POL_HOOK_A_HOOK              NLA_U8, enum nt_pol_hook
 *       NT_POL_HOOK_A_PRIORITY          NLA_S32, netfilter priority,
 *                                       NT_POL_PRIO_MIN..NT_POL_PRIO_MAX
 *                                       (default NT_POL_PRIO_DEFAULT: after
 *                                       raw, before conntrack)
 *       NT_POL_HOOK_A_POLICY            NLA_U8, default verdict: 0 accept,
 *                                       1 drop (default accept)
 *       NT_POL_HOOK_A_RULES             NLA_U32, rules on the hook (read only)
 *       NT_POL_HOOK_A_PACKETS           NLA_U64, packets judged (read only)
 *       NT_POL_HOOK_A_DEFAULT           NLA_U64, given the default (read only)
 *       NT_POL_HOOK_A_REGISTERED        NLA_U8, 1 if hooked now (read only)
 * NT_POL_CMD_HOOK_SET     NT_POL_A_HOOK { HOOK, and PRIORITY and/or POLICY }
 *                         A new PRIORITY is refused (EBUSY) while the hook
 *                         has police or meter rules: during the move both
 *                         registrations judge some packets (rule and hook
 *                         counters may count those twice).
 * NT_POL_CMD_STATS_GET    doit: GENERATION, RULES (NLA_U32), TUPLES
 *                         (NLA_U32, classifier tuples), MEMORY (NLA_U64,
 *                         bytes of the namespace's memory budget in use,
 *                         see Limits), MAX_RULES (NLA_U32)
 *
 * Events: every change is multicast on "events" as NT_POL_CMD_COMMIT with
 * GENERATION and RULES; HOOK_SET as NT_POL_CMD_HOOK_SET with the hook.
 *
 * Limits, per namespace, each refused with -ENOSPC and a message naming
 * it, the old ruleset untouched:
 *   max_rules   module parameter, default 200000 rules (in a ruleset or a
 *               transaction).
 *   max_memory  module parameter, default 268435456 bytes: what rules,
 *               their counters (24 bytes per possible CPU each), the
 *               classifiers, meters and the open transaction take,
 *               checked before each allocation. A meter counts its table
 *               (8 bytes per slot, its size rounded up to a power of two)
 *               and room for all its keys (64 bytes each): 4.5 MiB at the
 *               default size of 65536. During a commit both rulesets
 *               count, and a replaced one until it is freed after an RCU
 *               grace period. STATS_GET's MEMORY is the figure in use.
 * Memory is also charged to the committing task's memory cgroup, meter
 * keys (allocated as packets come) included; a key that does not fit its
 * cgroup is not metered, as when its table is full.
 *
 * Verdicts: accept, drop and reject end the walk, as does police or meter
 * over its limit (the packet is dropped); mark, dscp, log, count and a
 * conforming police or meter go on to the next matching rule. When no
 * rule ends the walk, the hook's default verdict applies. An IPv6 packet's
 * L4 header is found past its extension headers; a non-first fragment
 * matches on its L4 protocol but never a port or TCP-flag rule; a packet
 * too short or malformed for a field matches no rule on that field.
 */
#ifndef _UAPI_LINUX_NT_POLICY_H
#define _UAPI_LINUX_NT_POLICY_H

#include <linux/ntkit.h>

#define NT_POL_RATE_MAX		50000000000ULL	/* 400 Gbit/s in bytes/s */
#define NT_POL_BURST_MAX	4294967295ULL
#define NT_POL_METER_SIZE_MAX	1048576
#define NT_POL_PRIO_MIN		(-1000)
#define NT_POL_PRIO_MAX		1000
#define NT_POL_PRIO_DEFAULT	(-250)

enum nt_pol_hook {
	NT_POL_HOOK_PREROUTING,
	NT_POL_HOOK_INPUT,
	NT_POL_HOOK_FORWARD,
	NT_POL_HOOK_OUTPUT,
	NT_POL_HOOK_POSTROUTING,
	__NT_POL_HOOK_MAX,
};

#define NT_POL_HOOK_MAX (__NT_POL_HOOK_MAX - 1)

enum nt_pol_family {
	NT_POL_FAMILY_INET,	/* IPv4 and IPv6 */
	NT_POL_FAMILY_IP,
	NT_POL_FAMILY_IP6,
	__NT_POL_FAMILY_MAX,
};

#define NT_POL_FAMILY_MAX (__NT_POL_FAMILY_MAX - 1)

enum nt_pol_action {
	NT_POL_ACT_ACCEPT,
	NT_POL_ACT_DROP,
	NT_POL_ACT_REJECT,	/* TCP RST, else ICMP/ICMPv6 port unreachable */
	NT_POL_ACT_MARK,
	NT_POL_ACT_DSCP,
	NT_POL_ACT_POLICE,
	NT_POL_ACT_METER,
	NT_POL_ACT_LOG,		/* kernel log, rate-limited */
	NT_POL_ACT_COUNT,
	__NT_POL_ACT_MAX,
};

#define NT_POL_ACT_MAX (__NT_POL_ACT_MAX - 1)

enum nt_pol_unit {
	NT_POL_UNIT_BYTES,
	NT_POL_UNIT_PACKETS,
	__NT_POL_UNIT_MAX,
};

#define NT_POL_UNIT_MAX (__NT_POL_UNIT_MAX - 1)

enum nt_pol_meter_key {
	NT_POL_METER_SRC,
	NT_POL_METER_DST,
	__NT_POL_METER_MAX,
};

#define NT_POL_METER_MAX (__NT_POL_METER_MAX - 1)

enum nt_pol_cmd {
	NT_POL_CMD_UNSPEC,
	NT_POL_CMD_RULE_GET,
	NT_POL_CMD_RULE_ADD,
	NT_POL_CMD_RULE_DEL,
	NT_POL_CMD_FLUSH,
	NT_POL_CMD_BEGIN,
	NT_POL_CMD_COMMIT,
	NT_POL_CMD_ABORT,
	NT_POL_CMD_HOOK_GET,
	NT_POL_CMD_HOOK_SET,
	NT_POL_CMD_STATS_GET,
	__NT_POL_CMD_MAX,
};

#define NT_POL_CMD_MAX (__NT_POL_CMD_MAX - 1)

enum nt_pol_attr {
	NT_POL_A_UNSPEC,
	NT_POL_A_GENERATION,
	NT_POL_A_RULE,
	NT_POL_A_HOOK,
	NT_POL_A_RULES,
	NT_POL_A_TUPLES,
	NT_POL_A_MEMORY,
	NT_POL_A_MAX_RULES,
	NT_POL_A_PAD,
	__NT_POL_A_MAX,
};

#define NT_POL_A_MAX (__NT_POL_A_MAX - 1)

enum nt_pol_rule_attr {
	NT_POL_RULE_A_UNSPEC,
	NT_POL_RULE_A_ID,
	NT_POL_RULE_A_PRIORITY,
	NT_POL_RULE_A_HOOK,
	NT_POL_RULE_A_FAMILY,
	NT_POL_RULE_A_SRC,
	NT_POL_RULE_A_SRC_LEN,
	NT_POL_RULE_A_DST,
	NT_POL_RULE_A_DST_LEN,
	NT_POL_RULE_A_PROTO,
	NT_POL_RULE_A_SPORT_MIN,
	NT_POL_RULE_A_SPORT_MAX,
	NT_POL_RULE_A_DPORT_MIN,
	NT_POL_RULE_A_DPORT_MAX,
	NT_POL_RULE_A_TCP_FLAGS,
	NT_POL_RULE_A_TCP_FLAGS_MASK,
	NT_POL_RULE_A_IIF,
	NT_POL_RULE_A_OIF,
	NT_POL_RULE_A_DSCP,
	NT_POL_RULE_A_ACTION,
	NT_POL_RULE_A_MARK,
	NT_POL_RULE_A_MARK_MASK,
	NT_POL_RULE_A_SET_DSCP,
	NT_POL_RULE_A_RATE,
	NT_POL_RULE_A_BURST,
	NT_POL_RULE_A_UNIT,
	NT_POL_RULE_A_METER_KEY,
	NT_POL_RULE_A_METER_LEN,
	NT_POL_RULE_A_METER_SIZE,
	NT_POL_RULE_A_PACKETS,
	NT_POL_RULE_A_BYTES,
	NT_POL_RULE_A_OVER,
	NT_POL_RULE_A_METER_ENTRIES,
	NT_POL_RULE_A_PAD,
	__NT_POL_RULE_A_MAX,
};

#define NT_POL_RULE_A_MAX (__NT_POL_RULE_A_MAX - 1)

enum nt_pol_hook_attr {
	NT_POL_HOOK_A_UNSPEC,
	NT_POL_HOOK_A_HOOK,
	NT_POL_HOOK_A_PRIORITY,
	NT_POL_HOOK_A_POLICY,
	NT_POL_HOOK_A_RULES,
	NT_POL_HOOK_A_PACKETS,
	NT_POL_HOOK_A_DEFAULT,
	NT_POL_HOOK_A_REGISTERED,
	NT_POL_HOOK_A_PAD,
	__NT_POL_HOOK_A_MAX,
};

#define NT_POL_HOOK_A_MAX (__NT_POL_HOOK_A_MAX - 1)

#endif /* _UAPI_LINUX_NT_POLICY_H */
