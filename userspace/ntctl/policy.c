// SPDX-License-Identifier: GPL-2.0
/*
 * ntctl policy: the nt_policy ruleset, over the nt_policy family.
 *
 *   ntctl policy add RULE
 *   ntctl policy del id N
 *   ntctl policy flush [ hook HOOK ]
 *   ntctl policy show [ hook HOOK ] [ id N ] [ -s ]
 *   ntctl policy commit FILE [ generation N ]
 *   ntctl policy export
 *   ntctl policy stats
 *   ntctl policy hook show
 *   ntctl policy hook set HOOK [ priority P ] [ policy accept|drop ]
 *
 * A rule is written the same way in `add`, in a commit file, and in what
 * `show` and `export` print, so that an export commits back to the same
 * ruleset.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <netinet/in.h>

#include <linux/nt_policy.h>

#include "ntctl.h"
#include "policy.h"
#include "json.h"
#include "nl.h"
#include "parse.h"

static const struct nl_object *const obj = &nl_objects[NL_OBJ_POLICY];

#define MSG_BUF		(64 * 1024)
#define MSG_FILL	(MSG_BUF - 2048)	/* room for one more rule */

static const char *const hook_names[NT_POL_HOOK_MAX + 1] = {
	"prerouting", "input", "forward", "output", "postrouting",
};
static const char *const family_names[NT_POL_FAMILY_MAX + 1] = {
	"inet", "ip", "ip6",
};
static const char *const action_names[NT_POL_ACT_MAX + 1] = {
	"accept", "drop", "reject", "mark", "dscp", "police", "meter", "log",
	"count",
};
static const struct { const char *name; uint8_t bit; } tcp_flag_names[] = {
	{ "fin", 0x01 }, { "syn", 0x02 }, { "rst", 0x04 }, { "psh", 0x08 },
	{ "ack", 0x10 }, { "urg", 0x20 }, { "ece", 0x40 }, { "cwr", 0x80 },
};
static const struct { const char *name; uint8_t proto; } proto_names[] = {
	{ "tcp", IPPROTO_TCP }, { "udp", IPPROTO_UDP },
	{ "icmp", IPPROTO_ICMP }, { "icmpv6", IPPROTO_ICMPV6 },
	{ "sctp", IPPROTO_SCTP }, { "udplite", IPPROTO_UDPLITE },
	{ "gre", IPPROTO_GRE }, { "esp", IPPROTO_ESP },
};

static const struct nl_attr_desc rule_names[NT_POL_RULE_A_MAX + 1] = {
	[NT_POL_RULE_A_ID] = { "id" },
	[NT_POL_RULE_A_PRIORITY] = { "prio" },
	[NT_POL_RULE_A_HOOK] = { "hook" },
	[NT_POL_RULE_A_FAMILY] = { "family" },
	[NT_POL_RULE_A_SRC] = { "src" },
	[NT_POL_RULE_A_SRC_LEN] = { "src (prefix length)" },
	[NT_POL_RULE_A_DST] = { "dst" },
	[NT_POL_RULE_A_DST_LEN] = { "dst (prefix length)" },
	[NT_POL_RULE_A_PROTO] = { "proto" },
	[NT_POL_RULE_A_SPORT_MIN] = { "sport" },
	[NT_POL_RULE_A_SPORT_MAX] = { "sport" },
	[NT_POL_RULE_A_DPORT_MIN] = { "dport" },
	[NT_POL_RULE_A_DPORT_MAX] = { "dport" },
	[NT_POL_RULE_A_TCP_FLAGS] = { "tcp-flags" },
	[NT_POL_RULE_A_TCP_FLAGS_MASK] = { "tcp-flags (mask)" },
	[NT_POL_RULE_A_IIF] = { "iif" },
	[NT_POL_RULE_A_OIF] = { "oif" },
	[NT_POL_RULE_A_DSCP] = { "dscp" },
	[NT_POL_RULE_A_ACTION] = { "action" },
	[NT_POL_RULE_A_MARK] = { "mark" },
	[NT_POL_RULE_A_MARK_MASK] = { "mark (mask)" },
	[NT_POL_RULE_A_SET_DSCP] = { "action dscp" },
	[NT_POL_RULE_A_RATE] = { "rate" },
	[NT_POL_RULE_A_BURST] = { "burst" },
	[NT_POL_RULE_A_UNIT] = { "rate (unit)" },
	[NT_POL_RULE_A_METER_KEY] = { "meter by" },
	[NT_POL_RULE_A_METER_LEN] = { "meter by (prefix length)" },
	[NT_POL_RULE_A_METER_SIZE] = { "meter size" },
};
static const struct nl_attr_desc hook_attr_names[NT_POL_HOOK_A_MAX + 1] = {
	[NT_POL_HOOK_A_HOOK] = { "hook" },
	[NT_POL_HOOK_A_PRIORITY] = { "priority" },
	[NT_POL_HOOK_A_POLICY] = { "policy" },
};
const struct nl_attr_desc policy_attr_names[NT_POL_A_MAX + 1] = {
	[NT_POL_A_GENERATION] = { "generation" },
	[NT_POL_A_RULE] = { "rule", rule_names, NT_POL_RULE_A_MAX + 1 },
	[NT_POL_A_HOOK] = { "hook", hook_attr_names, NT_POL_HOOK_A_MAX + 1 },
};
const unsigned int policy_n_attr_names = NT_POL_A_MAX + 1;

static void policy_usage(FILE *f)
{
	fprintf(f,
		"Usage: ntctl policy add RULE\n"
		"       ntctl policy del id ID\n"
		"       ntctl policy flush [ hook HOOK ]\n"
		"       ntctl policy show [ hook HOOK ] [ id ID ] [ -s ]\n"
		"       ntctl policy commit FILE [ generation N ]\n"
		"       ntctl policy export\n"
		"       ntctl policy stats\n"
		"       ntctl policy hook show\n"
		"       ntctl policy hook set HOOK [ priority %d..%d ] [ policy { accept | drop } ]\n"
		"where  RULE := [ id ID ] [ prio N ] hook HOOK [ family { inet | ip | ip6 } ]\n"
		"               [ src PREFIX ] [ dst PREFIX ] [ proto { tcp | udp | icmp | icmpv6 | sctp | udplite | 0..255 } ]\n"
		"               [ sport P[-P] ] [ dport P[-P] ] [ tcp-flags FLAGS[/MASK] ]\n"
		"               [ iif NAME ] [ oif NAME ] [ dscp 0..63 ] action ACTION\n"
		"       HOOK := { prerouting | input | forward | output | postrouting }\n"
		"       ACTION := { accept | drop | reject | log | count | mark VALUE[/MASK] | dscp 0..63 |\n"
		"                   police RATE burst BURST |\n"
		"                   meter by { src | dst }[/LEN] RATE burst BURST [ size 1..%u ] }\n"
		"       FLAGS := FLAG[,FLAG]..., FLAG := { fin | syn | rst | psh | ack | urg | ece | cwr }\n"
		"       RATE := 10mbit | 1gbit | 125kbps (bytes/s) | 100pps | 2kpps; BURST: bytes, or\n"
		"               packets for a pps RATE\n"
		"       A commit FILE holds one RULE per line (# comments) and\n"
		"       \"hook set ...\" lines; it replaces the whole ruleset atomically.\n",
		NT_POL_PRIO_MIN, NT_POL_PRIO_MAX, NT_POL_METER_SIZE_MAX);
}



_Static_assert(NT_POL_RULE_A_MAX < 64, "put_rule's seen mask");

static int keyword(const char *s, const char *const *names, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (names[i] && matches(s, names[i]))
			return i;
	return -1;
}

static int parse_hook(const char *s)
{
	return keyword(s, hook_names, NT_POL_HOOK_MAX + 1);
}

static int parse_tcp_flags(const char *s, uint8_t *out)
{
	char *copy = strdup(s), *tok, *save = NULL;
	int ret = 0;

	*out = 0;
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		unsigned int i;

		for (i = 0; i < sizeof(tcp_flag_names) / sizeof(tcp_flag_names[0]); i++)
			if (!strcmp(tok, tcp_flag_names[i].name))
				break;
		if (i == sizeof(tcp_flag_names) / sizeof(tcp_flag_names[0])) {
			ret = -1;
			break;
		}
		*out |= tcp_flag_names[i].bit;
	}
	free(copy);
	return ret;
}

/* "A[-B]" ports; writes MIN and MAX attributes. */
static int put_ports(struct nl_req *r, const char *kw, const char *s,
		     int amin, int amax)
{
	char err[128];
	uint16_t lo, hi;

	if (parse_port_range(s, &lo, &hi, err, sizeof(err)))
		return usage_error("%s: %s", kw, err);
	nl_put_u16(r, amin, lo);
	nl_put_u16(r, amax, hi);
	return 0;
}

static int put_prefix(struct nl_req *r, const char *kw, const char *s,
		      int aaddr, int alen)
{
	struct nt_addr_prefix p;
	char err[128];

	if (parse_prefix(s, &p, err, sizeof(err)))
		return usage_error("%s: %s", kw, err);
	nl_put(r, aaddr, p.family == AF_INET ? 4 : 16, p.addr.bytes);
	nl_put_u8(r, alen, p.len);
	return 0;
}

/* RATE burst BURST: bytes/s or packets/s. */
static int put_rate(struct nl_req *r, int *argc, char ***argv)
{
	enum rate_unit unit;
	uint64_t rate, burst;
	char err[128];

	if (*argc < 3 || !matches((*argv)[1], "burst"))
		return usage_error("expected RATE burst BURST");
	if (parse_rate((*argv)[0], &rate, &unit, err, sizeof(err)))
		return usage_error("rate: %s", err);
	if (unit == RATE_PACKETS) {
		if (parse_u64((*argv)[2], &burst, err, sizeof(err)))
			return usage_error("burst: %s (packets)", err);
	} else if (parse_size((*argv)[2], &burst, err, sizeof(err))) {
		return usage_error("burst: %s", err);
	}
	nl_put_u64(r, NT_POL_RULE_A_RATE, rate);
	nl_put_u64(r, NT_POL_RULE_A_BURST, burst);
	nl_put_u8(r, NT_POL_RULE_A_UNIT, unit == RATE_PACKETS ?
			NT_POL_UNIT_PACKETS : NT_POL_UNIT_BYTES);
	*argc -= 2;
	*argv += 2;
	return 0;
}

static int put_action(struct nl_req *r, int *argc, char ***argv)
{
	char err[128], word[64], *slash;
	int act = keyword((*argv)[0], action_names, NT_POL_ACT_MAX + 1);
	uint32_t v;

	if (act < 0)
		return usage_error("unknown action \"%s\"", (*argv)[0]);
	nl_put_u8(r, NT_POL_RULE_A_ACTION, act);
	switch (act) {
	case NT_POL_ACT_MARK:
		if (*argc < 2)
			return usage_error("action mark needs VALUE[/MASK]");
		(*argc)--;
		(*argv)++;
		snprintf(word, sizeof(word), "%s", (*argv)[0]);
		slash = strchr(word, '/');
		if (slash)
			*slash = 0;
		if (parse_u32(word, 0, UINT32_MAX, &v, err, sizeof(err)))
			return usage_error("mark: %s", err);
		nl_put_u32(r, NT_POL_RULE_A_MARK, v);
		if (slash) {
			if (parse_u32(slash + 1, 0, UINT32_MAX, &v, err,
				      sizeof(err)))
				return usage_error("mark mask: %s", err);
			nl_put_u32(r, NT_POL_RULE_A_MARK_MASK, v);
		}
		break;
	case NT_POL_ACT_DSCP:
		if (*argc < 2)
			return usage_error("action dscp needs a value 0..63");
		(*argc)--;
		(*argv)++;
		if (parse_u32((*argv)[0], 0, 255, &v, err, sizeof(err)))
			return usage_error("action dscp: %s", err);
		nl_put_u8(r, NT_POL_RULE_A_SET_DSCP, v);
		break;
	case NT_POL_ACT_POLICE:
		(*argc)--;
		(*argv)++;
		if (put_rate(r, argc, argv))
			return EXIT_USAGE;
		break;
	case NT_POL_ACT_METER:
		if (*argc < 3 || !matches((*argv)[1], "by"))
			return usage_error("expected meter by { src | dst }[/LEN] RATE burst BURST [ size N ]");
		snprintf(word, sizeof(word), "%s", (*argv)[2]);
		slash = strchr(word, '/');
		if (slash)
			*slash = 0;
		if (matches(word, "src"))
			v = NT_POL_METER_SRC;
		else if (matches(word, "dst"))
			v = NT_POL_METER_DST;
		else
			return usage_error("meter by: src or dst, not \"%s\"", word);
		nl_put_u8(r, NT_POL_RULE_A_METER_KEY, v);
		if (slash) {
			if (parse_u32(slash + 1, 0, 255, &v, err, sizeof(err)))
				return usage_error("meter by: prefix length: %s", err);
			nl_put_u8(r, NT_POL_RULE_A_METER_LEN, v);
		}
		*argc -= 3;
		*argv += 3;
		if (put_rate(r, argc, argv))
			return EXIT_USAGE;
		if (*argc >= 3 && matches((*argv)[1], "size")) {
			if (parse_u32((*argv)[2], 0, UINT32_MAX, &v, err,
				      sizeof(err)))
				return usage_error("meter size: %s", err);
			nl_put_u32(r, NT_POL_RULE_A_METER_SIZE, v);
			*argc -= 2;
			*argv += 2;
		}
		break;
	default:
		break;
	}
	return 0;
}

/*
 * A rule keyword, as the attribute it sets; matched as a prefix in the
 * order "action id priority prio hook family src dst proto sport dport
 * tcp-flags iif oif dscp" ("id" only whole). A prefix shares its first
 * letter with its keyword, so the switch keeps that order's choices.
 */
static int rule_keyword(const char *kw)
{
	switch (kw[0]) {
	case 'a':
		return matches(kw, "action") ? NT_POL_RULE_A_ACTION : -1;
	case 'i':
		if (!strcmp(kw, "id"))
			return NT_POL_RULE_A_ID;
		return matches(kw, "iif") ? NT_POL_RULE_A_IIF : -1;
	case 'p':
		if (matches(kw, "priority") || matches(kw, "prio"))
			return NT_POL_RULE_A_PRIORITY;
		return matches(kw, "proto") ? NT_POL_RULE_A_PROTO : -1;
	case 'h':
		return matches(kw, "hook") ? NT_POL_RULE_A_HOOK : -1;
	case 'f':
		return matches(kw, "family") ? NT_POL_RULE_A_FAMILY : -1;
	case 's':
		if (matches(kw, "src"))
			return NT_POL_RULE_A_SRC;
		return matches(kw, "sport") ? NT_POL_RULE_A_SPORT_MIN : -1;
	case 'd':
		if (matches(kw, "dst"))
			return NT_POL_RULE_A_DST;
		if (matches(kw, "dport"))
			return NT_POL_RULE_A_DPORT_MIN;
		return matches(kw, "dscp") ? NT_POL_RULE_A_DSCP : -1;
	case 't':
		return matches(kw, "tcp-flags") ? NT_POL_RULE_A_TCP_FLAGS : -1;
	case 'o':
		return matches(kw, "oif") ? NT_POL_RULE_A_OIF : -1;
	}
	return -1;
}

/*
 * One rule from words into an NT_POL_A_RULE nest of @r. A keyword given
 * twice is refused, as ip does: which of the two was meant is a guess.
 */
static int put_rule(struct nl_req *r, int argc, char **argv)
{
	bool have_hook = false, have_action = false;
	uint64_t seen = 0;
	char err[128];
	uint32_t v;

	nl_nest_start(r, NT_POL_A_RULE);
	for (; argc > 0; argc--, argv++) {
		const char *kw = argv[0], *val = argc > 1 ? argv[1] : NULL;
		int key = rule_keyword(kw), k;

		if (key >= 0) {
			if (seen & (1ULL << key))
				return usage_error("%s given twice",
						   rule_names[key].name);
			seen |= 1ULL << key;
		}
		if (!val)
			return usage_error("%s needs a value", kw);
		if (key == NT_POL_RULE_A_ACTION) {
			argc--;
			argv++;
			if (put_action(r, &argc, &argv))
				return EXIT_USAGE;
			have_action = true;
			continue;
		}
		argc--;
		argv++;
		if (key == NT_POL_RULE_A_ID) {
			if (parse_u32(val, 1, UINT32_MAX, &v, err, sizeof(err)))
				return usage_error("id: %s", err);
			nl_put_u32(r, NT_POL_RULE_A_ID, v);
		} else if (key == NT_POL_RULE_A_PRIORITY) {
			if (parse_u32(val, 0, UINT32_MAX, &v, err, sizeof(err)))
				return usage_error("prio: %s", err);
			nl_put_u32(r, NT_POL_RULE_A_PRIORITY, v);
		} else if (key == NT_POL_RULE_A_HOOK) {
			k = parse_hook(val);
			if (k < 0)
				return usage_error("unknown hook \"%s\"", val);
			nl_put_u8(r, NT_POL_RULE_A_HOOK, k);
			have_hook = true;
		} else if (key == NT_POL_RULE_A_FAMILY) {
			k = keyword(val, family_names, NT_POL_FAMILY_MAX + 1);
			if (k < 0)
				return usage_error("family: inet, ip or ip6, not \"%s\"", val);
			/* "ip" is a prefix of "ip6": exact words win */
			if (!strcmp(val, "ip"))
				k = NT_POL_FAMILY_IP;
			nl_put_u8(r, NT_POL_RULE_A_FAMILY, k);
		} else if (key == NT_POL_RULE_A_SRC) {
			if (put_prefix(r, kw, val, NT_POL_RULE_A_SRC,
				       NT_POL_RULE_A_SRC_LEN))
				return EXIT_USAGE;
		} else if (key == NT_POL_RULE_A_DST) {
			if (put_prefix(r, kw, val, NT_POL_RULE_A_DST,
				       NT_POL_RULE_A_DST_LEN))
				return EXIT_USAGE;
		} else if (key == NT_POL_RULE_A_PROTO) {
			unsigned int i;

			for (i = 0; i < sizeof(proto_names) / sizeof(proto_names[0]); i++)
				if (!strcmp(val, proto_names[i].name))
					break;
			if (i < sizeof(proto_names) / sizeof(proto_names[0]))
				v = proto_names[i].proto;
			else if (parse_u32(val, 0, 255, &v, err, sizeof(err)))
				return usage_error("proto: a name or 0..255, not \"%s\"", val);
			nl_put_u8(r, NT_POL_RULE_A_PROTO, v);
		} else if (key == NT_POL_RULE_A_SPORT_MIN) {
			if (put_ports(r, kw, val, NT_POL_RULE_A_SPORT_MIN,
				      NT_POL_RULE_A_SPORT_MAX))
				return EXIT_USAGE;
		} else if (key == NT_POL_RULE_A_DPORT_MIN) {
			if (put_ports(r, kw, val, NT_POL_RULE_A_DPORT_MIN,
				      NT_POL_RULE_A_DPORT_MAX))
				return EXIT_USAGE;
		} else if (key == NT_POL_RULE_A_TCP_FLAGS) {
			char *copy = strdup(val), *slash = strchr(copy, '/');
			uint8_t f, m;

			if (slash)
				*slash = 0;
			if (parse_tcp_flags(copy, &f) ||
			    (slash && parse_tcp_flags(slash + 1, &m))) {
				free(copy);
				return usage_error("tcp-flags: FLAG[,FLAG]...[/MASK], FLAG := fin|syn|rst|psh|ack|urg|ece|cwr");
			}
			free(copy);
			nl_put_u8(r, NT_POL_RULE_A_TCP_FLAGS, f);
			if (slash)
				nl_put_u8(r, NT_POL_RULE_A_TCP_FLAGS_MASK, m);
		} else if (key == NT_POL_RULE_A_IIF || key == NT_POL_RULE_A_OIF) {
			if (!*val || strlen(val) >= IFNAMSIZ)
				return usage_error("%s: an interface name of 1..%d characters",
						   kw, IFNAMSIZ - 1);
			nl_put_strz(r, kw[0] == 'i' ? NT_POL_RULE_A_IIF :
					  NT_POL_RULE_A_OIF, val);
		} else if (key == NT_POL_RULE_A_DSCP) {
			if (parse_u32(val, 0, 255, &v, err, sizeof(err)))
				return usage_error("dscp: %s", err);
			nl_put_u8(r, NT_POL_RULE_A_DSCP, v);
		} else {
			return usage_error("unknown rule keyword \"%s\", try \"ntctl policy help\"",
					   kw);
		}
	}
	if (!have_hook)
		return usage_error("a rule needs a hook (hook HOOK)");
	if (!have_action)
		return usage_error("a rule needs an action (action ACTION)");
	nl_nest_end(r);
	return 0;
}

/* Printing */

struct rule_tb {
	const struct nlattr *tb[NT_POL_RULE_A_MAX + 1];
};

static int attr_cb(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;

	if (mnl_attr_get_type(a) <= NT_POL_RULE_A_MAX)
		tb[mnl_attr_get_type(a)] = a;
	return MNL_CB_OK;
}

static int top_cb(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;

	if (mnl_attr_get_type(a) <= NT_POL_A_MAX)
		tb[mnl_attr_get_type(a)] = a;
	return MNL_CB_OK;
}

static void print_addr(const char *key, const struct nlattr *a,
		       const struct nlattr *len)
{
	struct nt_addr_prefix p = {};
	char buf[64], fmt[16];

	p.family = mnl_attr_get_payload_len(a) == 4 ? AF_INET : AF_INET6;
	memcpy(p.addr.bytes, mnl_attr_get_payload(a),
	       p.family == AF_INET ? 4 : 16);
	p.len = len ? mnl_attr_get_u8(len) : (p.family == AF_INET ? 32 : 128);
	snprintf(fmt, sizeof(fmt), "%s %%s ", key);
	jp_string(key, fmt, format_prefix(&p, buf, sizeof(buf)));
}

static void print_ports(const char *key, const struct nlattr *lo,
			const struct nlattr *hi)
{
	char buf[16], fmt[16];
	unsigned int a = mnl_attr_get_u16(lo), b = mnl_attr_get_u16(hi);

	if (a == b)
		snprintf(buf, sizeof(buf), "%u", a);
	else
		snprintf(buf, sizeof(buf), "%u-%u", a, b);
	snprintf(fmt, sizeof(fmt), "%s %%s ", key);
	jp_string(key, fmt, buf);
}

static void flags_str(uint8_t f, char *buf, size_t len)
{
	unsigned int i;

	buf[0] = 0;
	for (i = 0; i < sizeof(tcp_flag_names) / sizeof(tcp_flag_names[0]); i++)
		if (f & tcp_flag_names[i].bit)
			snprintf(buf + strlen(buf), len - strlen(buf), "%s%s",
				 buf[0] ? "," : "", tcp_flag_names[i].name);
}

static const char *proto_str(uint8_t p, char *buf, size_t len)
{
	unsigned int i;

	for (i = 0; i < sizeof(proto_names) / sizeof(proto_names[0]); i++)
		if (proto_names[i].proto == p)
			return proto_names[i].name;
	snprintf(buf, len, "%u", p);
	return buf;
}

/* One rule, in `add` syntax (text) or as an object (JSON). */
static void print_rule(const struct nlattr *nest, bool stats, bool counters)
{
	const struct nlattr *tb[NT_POL_RULE_A_MAX + 1] = {};
	char buf[64], b2[32];
	uint8_t act, unit = NT_POL_UNIT_BYTES;

	mnl_attr_parse_nested(nest, attr_cb, tb);
	if (!tb[NT_POL_RULE_A_ID] || !tb[NT_POL_RULE_A_HOOK] ||
	    !tb[NT_POL_RULE_A_ACTION])
		return;
	jp_open_object(NULL);
	jp_uint("id", "id %" PRIu64 " ", mnl_attr_get_u32(tb[NT_POL_RULE_A_ID]));
	jp_uint("priority", "prio %" PRIu64 " ",
		tb[NT_POL_RULE_A_PRIORITY] ? mnl_attr_get_u32(tb[NT_POL_RULE_A_PRIORITY]) : 0);
	jp_string("hook", "hook %s ",
		  hook_names[mnl_attr_get_u8(tb[NT_POL_RULE_A_HOOK]) % (NT_POL_HOOK_MAX + 1)]);
	jp_string("family", "family %s ",
		  family_names[(tb[NT_POL_RULE_A_FAMILY] ?
				mnl_attr_get_u8(tb[NT_POL_RULE_A_FAMILY]) : 0) %
			       (NT_POL_FAMILY_MAX + 1)]);
	if (tb[NT_POL_RULE_A_SRC])
		print_addr("src", tb[NT_POL_RULE_A_SRC], tb[NT_POL_RULE_A_SRC_LEN]);
	if (tb[NT_POL_RULE_A_DST])
		print_addr("dst", tb[NT_POL_RULE_A_DST], tb[NT_POL_RULE_A_DST_LEN]);
	if (tb[NT_POL_RULE_A_PROTO])
		jp_string("proto", "proto %s ",
			  proto_str(mnl_attr_get_u8(tb[NT_POL_RULE_A_PROTO]),
				    buf, sizeof(buf)));
	if (tb[NT_POL_RULE_A_SPORT_MIN] && tb[NT_POL_RULE_A_SPORT_MAX])
		print_ports("sport", tb[NT_POL_RULE_A_SPORT_MIN],
			    tb[NT_POL_RULE_A_SPORT_MAX]);
	if (tb[NT_POL_RULE_A_DPORT_MIN] && tb[NT_POL_RULE_A_DPORT_MAX])
		print_ports("dport", tb[NT_POL_RULE_A_DPORT_MIN],
			    tb[NT_POL_RULE_A_DPORT_MAX]);
	if (tb[NT_POL_RULE_A_TCP_FLAGS]) {
		uint8_t f = mnl_attr_get_u8(tb[NT_POL_RULE_A_TCP_FLAGS]);
		uint8_t m = tb[NT_POL_RULE_A_TCP_FLAGS_MASK] ?
			    mnl_attr_get_u8(tb[NT_POL_RULE_A_TCP_FLAGS_MASK]) : f;
		char fb[48], mb[48], all[100];

		flags_str(f, fb, sizeof(fb));
		flags_str(m, mb, sizeof(mb));
		if (f == m)
			snprintf(all, sizeof(all), "%s", fb);
		else
			snprintf(all, sizeof(all), "%s/%s", f ? fb : "", mb);
		jp_string("tcp_flags", "tcp-flags %s ", all);
	}
	if (tb[NT_POL_RULE_A_IIF])
		jp_string("iif", "iif %s ", mnl_attr_get_str(tb[NT_POL_RULE_A_IIF]));
	if (tb[NT_POL_RULE_A_OIF])
		jp_string("oif", "oif %s ", mnl_attr_get_str(tb[NT_POL_RULE_A_OIF]));
	if (tb[NT_POL_RULE_A_DSCP])
		jp_uint("dscp", "dscp %" PRIu64 " ", mnl_attr_get_u8(tb[NT_POL_RULE_A_DSCP]));
	act = mnl_attr_get_u8(tb[NT_POL_RULE_A_ACTION]) % (NT_POL_ACT_MAX + 1);
	jp_string("action", "action %s ", action_names[act]);
	if (tb[NT_POL_RULE_A_UNIT])
		unit = mnl_attr_get_u8(tb[NT_POL_RULE_A_UNIT]);
	switch (act) {
	case NT_POL_ACT_MARK:
		if (tb[NT_POL_RULE_A_MARK] && tb[NT_POL_RULE_A_MARK_MASK]) {
			uint32_t m = mnl_attr_get_u32(tb[NT_POL_RULE_A_MARK_MASK]);

			if (jp_json()) {
				jp_uint("mark", NULL, mnl_attr_get_u32(tb[NT_POL_RULE_A_MARK]));
				jp_uint("mark_mask", NULL, m);
			} else if (m == UINT32_MAX) {
				jp_text("0x%x ", mnl_attr_get_u32(tb[NT_POL_RULE_A_MARK]));
			} else {
				jp_text("0x%x/0x%x ",
					mnl_attr_get_u32(tb[NT_POL_RULE_A_MARK]), m);
			}
		}
		break;
	case NT_POL_ACT_DSCP:
		if (tb[NT_POL_RULE_A_SET_DSCP])
			jp_uint("set_dscp", "%" PRIu64 " ",
				mnl_attr_get_u8(tb[NT_POL_RULE_A_SET_DSCP]));
		break;
	case NT_POL_ACT_METER:
		if (tb[NT_POL_RULE_A_METER_KEY] && tb[NT_POL_RULE_A_METER_LEN]) {
			const char *by = mnl_attr_get_u8(tb[NT_POL_RULE_A_METER_KEY]) ==
					 NT_POL_METER_DST ? "dst" : "src";

			if (jp_json()) {
				jp_string("meter_by", NULL, by);
				jp_uint("meter_len", NULL,
					mnl_attr_get_u8(tb[NT_POL_RULE_A_METER_LEN]));
			} else {
				jp_text("by %s/%u ", by,
					mnl_attr_get_u8(tb[NT_POL_RULE_A_METER_LEN]));
			}
		}
		/* fall through */
	case NT_POL_ACT_POLICE:
		if (tb[NT_POL_RULE_A_RATE] && tb[NT_POL_RULE_A_BURST]) {
			uint64_t r = mnl_attr_get_u64(tb[NT_POL_RULE_A_RATE]);
			uint64_t b = mnl_attr_get_u64(tb[NT_POL_RULE_A_BURST]);

			if (jp_json()) {
				jp_uint("rate", NULL, r);
				jp_string("unit", NULL, unit == NT_POL_UNIT_PACKETS ?
					  "packets" : "bytes");
				jp_uint("burst", NULL, b);
			} else {
				jp_text("%s burst %" PRIu64 " ",
					format_rate(r, unit == NT_POL_UNIT_PACKETS ?
						    RATE_PACKETS : RATE_BYTES,
						    b2, sizeof(b2)), b);
			}
		}
		if (act == NT_POL_ACT_METER && tb[NT_POL_RULE_A_METER_SIZE])
			jp_uint("meter_size", "size %" PRIu64 " ",
				mnl_attr_get_u32(tb[NT_POL_RULE_A_METER_SIZE]));
		break;
	default:
		break;
	}
	if (counters) {
		uint64_t pk = tb[NT_POL_RULE_A_PACKETS] ?
			      mnl_attr_get_u64(tb[NT_POL_RULE_A_PACKETS]) : 0;
		uint64_t by = tb[NT_POL_RULE_A_BYTES] ?
			      mnl_attr_get_u64(tb[NT_POL_RULE_A_BYTES]) : 0;

		if (jp_json() || stats) {
			jp_uint("packets", "\n    packets %" PRIu64, pk);
			jp_uint("bytes", " bytes %" PRIu64, by);
			if (tb[NT_POL_RULE_A_OVER])
				jp_uint("over", " over-limit %" PRIu64,
					mnl_attr_get_u64(tb[NT_POL_RULE_A_OVER]));
			if (tb[NT_POL_RULE_A_METER_ENTRIES])
				jp_uint("meter_entries", " meter-entries %" PRIu64,
					mnl_attr_get_u32(tb[NT_POL_RULE_A_METER_ENTRIES]));
		}
	}
	jp_text("\n");
	jp_close_object();
}

struct show_arg {
	bool stats, counters;
	uint64_t generation;
};

static int rule_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *tb[NT_POL_A_MAX + 1] = {};
	struct show_arg *sa = arg;

	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), top_cb, tb);
	if (tb[NT_POL_A_GENERATION])
		sa->generation = mnl_attr_get_u64(tb[NT_POL_A_GENERATION]);
	if (tb[NT_POL_A_RULE])
		print_rule(tb[NT_POL_A_RULE], sa->stats, sa->counters);
	return 0;
}

static int policy_show(const struct nl_family *f, int argc, char **argv,
		       bool export)
{
	char buf[MNL_SOCKET_BUFFER_SIZE], err[128];
	struct show_arg sa = { .counters = !export };
	struct nl_req r;
	int hook = -1, ret;
	uint32_t id = 0;

	for (; argc > 0; argc--, argv++) {
		if (!strcmp(*argv, "-s") || !strcmp(*argv, "-stats") ||
		    matches(*argv, "stats")) {
			sa.stats = true;
		} else if (matches(*argv, "hook") && argc > 1) {
			hook = parse_hook(argv[1]);
			if (hook < 0)
				return usage_error("unknown hook \"%s\"", argv[1]);
			argc--;
			argv++;
		} else if (!strcmp(*argv, "id") && argc > 1) {
			if (parse_u32(argv[1], 1, UINT32_MAX, &id, err, sizeof(err)))
				return usage_error("id: %s", err);
			argc--;
			argv++;
		} else {
			return usage_error("usage: ntctl policy show [ hook HOOK ] [ id ID ] [ -s ]");
		}
	}
	nl_object_req(&r, buf, sizeof(buf), f, NT_POL_CMD_RULE_GET, id ? 0 : NLM_F_DUMP);
	if (id) {
		nl_nest_start(&r, NT_POL_A_RULE);
		nl_put_u32(&r, NT_POL_RULE_A_ID, id);
		nl_nest_end(&r);
	} else if (hook >= 0) {
		nl_nest_start(&r, NT_POL_A_HOOK);
		nl_put_u8(&r, NT_POL_HOOK_A_HOOK, hook);
		nl_nest_end(&r);
	}
	if (export)
		return nl_object_talk(obj, &r, rule_cb, &sa);
	jp_open_array(NULL);
	ret = nl_object_talk(obj, &r, rule_cb, &sa);
	jp_close_array();
	return ret;
}

/* A hook's settings and counters; in export form if @export. */
static void hook_fields(const struct nlmsghdr *nlh, bool export, bool obj)
{
	const struct nlattr *tb[NT_POL_A_MAX + 1] = {};
	const struct nlattr *h[NT_POL_HOOK_A_MAX + 1] = {};
	uint8_t hook, pol;
	int32_t prio;

	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), top_cb, tb);
	if (!tb[NT_POL_A_HOOK])
		return;
	mnl_attr_parse_nested(tb[NT_POL_A_HOOK], attr_cb, h);
	if (!h[NT_POL_HOOK_A_HOOK] || !h[NT_POL_HOOK_A_PRIORITY] ||
	    !h[NT_POL_HOOK_A_POLICY])
		return;
	hook = mnl_attr_get_u8(h[NT_POL_HOOK_A_HOOK]) % (NT_POL_HOOK_MAX + 1);
	prio = (int32_t)mnl_attr_get_u32(h[NT_POL_HOOK_A_PRIORITY]);
	pol = mnl_attr_get_u8(h[NT_POL_HOOK_A_POLICY]);
	if (export) {
		if (prio != NT_POL_PRIO_DEFAULT || pol)
			printf("hook set %s priority %d policy %s\n",
			       hook_names[hook], prio, pol ? "drop" : "accept");
		return;
	}
	if (obj)
		jp_open_object(NULL);
	jp_string("hook", "hook %s ", hook_names[hook]);
	jp_int("priority", "priority %" PRId64 " ", prio);
	jp_string("policy", "policy %s ", pol ? "drop" : "accept");
	if (h[NT_POL_HOOK_A_RULES])
		jp_uint("rules", "rules %" PRIu64 " ",
			mnl_attr_get_u32(h[NT_POL_HOOK_A_RULES]));
	if (h[NT_POL_HOOK_A_REGISTERED])
		jp_bool("registered", "registered %s ",
			mnl_attr_get_u8(h[NT_POL_HOOK_A_REGISTERED]));
	if (h[NT_POL_HOOK_A_PACKETS])
		jp_uint("packets", "packets %" PRIu64 " ",
			mnl_attr_get_u64(h[NT_POL_HOOK_A_PACKETS]));
	if (h[NT_POL_HOOK_A_DEFAULT])
		jp_uint("default_verdicts", "default-verdicts %" PRIu64,
			mnl_attr_get_u64(h[NT_POL_HOOK_A_DEFAULT]));
	if (obj) {
		jp_text("\n");
		jp_close_object();
	}
}

static int hook_cb(const struct nlmsghdr *nlh, void *arg)
{
	hook_fields(nlh, arg != NULL, true);
	return 0;
}

static int hook_dump(const struct nl_family *f, bool export)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nl_req r;

	nl_object_req(&r, buf, sizeof(buf), f, NT_POL_CMD_HOOK_GET, NLM_F_DUMP);
	return nl_object_talk(obj, &r, hook_cb, export ? (void *)1 : NULL);
}

/* hook set HOOK [priority P] [policy accept|drop] into @nlh. */
static int put_hook_set(struct nl_req *r, int argc, char **argv)
{
	bool prio = false, policy = false;
	char err[128];
	int hook;

	if (argc < 1)
		return usage_error("hook set needs a HOOK");
	hook = parse_hook(argv[0]);
	if (hook < 0)
		return usage_error("unknown hook \"%s\"", argv[0]);
	nl_nest_start(r, NT_POL_A_HOOK);
	nl_put_u8(r, NT_POL_HOOK_A_HOOK, hook);
	for (argc--, argv++; argc > 0; argc -= 2, argv += 2) {
		if (argc < 2)
			return usage_error("%s needs a value", argv[0]);
		if (matches(argv[0], "priority") || matches(argv[0], "prio")) {
			if (prio)
				return usage_error("priority given twice");
			prio = true;
			char *end;
			long v;

			errno = 0;
			v = strtol(argv[1], &end, 0);
			if (errno || *end || end == argv[1] || v < INT32_MIN ||
			    v > INT32_MAX) {
				snprintf(err, sizeof(err), "priority: %s is not a number", argv[1]);
				return usage_error("%s", err);
			}
			nl_put_u32(r, NT_POL_HOOK_A_PRIORITY, (uint32_t)(int32_t)v);
		} else if (matches(argv[0], "policy")) {
			if (policy)
				return usage_error("policy given twice");
			policy = true;
			if (matches(argv[1], "accept"))
				nl_put_u8(r, NT_POL_HOOK_A_POLICY, 0);
			else if (matches(argv[1], "drop"))
				nl_put_u8(r, NT_POL_HOOK_A_POLICY, 1);
			else
				return usage_error("policy: accept or drop, not \"%s\"", argv[1]);
		} else {
			return usage_error("unknown hook setting \"%s\"", argv[0]);
		}
	}
	nl_nest_end(r);
	return 0;
}

static int policy_hook(const struct nl_family *f, int argc, char **argv)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nl_req r;
	int ret;

	if (argc < 1 || matches(*argv, "show") || matches(*argv, "list")) {
		jp_open_array(NULL);
		ret = hook_dump(f, false);
		jp_close_array();
		return ret;
	}
	if (!matches(*argv, "set"))
		return usage_error("usage: ntctl policy hook { show | set HOOK ... }");
	nl_object_req(&r, buf, sizeof(buf), f, NT_POL_CMD_HOOK_SET, 0);
	if (put_hook_set(&r, argc - 1, argv + 1))
		return EXIT_USAGE;
	return nl_object_talk(obj, &r, NULL, NULL);
}

static int simple(const struct nl_family *f, uint8_t cmd)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nl_req r;

	nl_object_req(&r, buf, sizeof(buf), f, cmd, 0);
	return nl_object_talk(obj, &r, NULL, NULL);
}

/* A "hook set" line of a commit file, applied after the rules. */
struct commit_line {
	int lineno;
	char **words;
	int n;
	char *text;
};

/* One RULE_ADD message of a commit, and the file lines of its rules. */
#define BATCH_RULES	1024
struct batch {
	char *buf;
	struct nl_req r;
	size_t k;			/* rules */
	uint32_t offs[BATCH_RULES];	/* where each rule's nest starts */
	int lineno[BATCH_RULES];	/* its line */
};

/* A commit file, read and turned into messages before any is sent. */
struct commit_job {
	const struct nl_family *f;
	FILE *in;
	const char *name;
	struct commit_line *hooks;
	size_t nhooks, hcap;
	struct batch **msgs;
	size_t nb, mcap;
};

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (!p) {
		fprintf(stderr, "Error: out of memory.\n");
		exit(EXIT_USAGE);
	}
	return p;
}

/* "hook set" lines are checked now and kept for after the commit. */
static int commit_hook_line(struct commit_job *c, const char *line,
			    int lineno)
{
	struct commit_line *h;
	char buf[1024];
	struct nl_req r;
	size_t cap = 0;
	int ret;

	if (c->nhooks == c->hcap) {
		c->hcap = c->hcap ? c->hcap * 2 : 8;
		c->hooks = xrealloc(c->hooks, c->hcap * sizeof(*c->hooks));
	}
	h = &c->hooks[c->nhooks];
	h->text = xrealloc(NULL, strlen(line) + 1);
	strcpy(h->text, line);
	h->words = NULL;
	h->n = split_words_grow(h->text, &h->words, &cap);
	h->lineno = lineno;
	c->nhooks++;
	nl_object_req(&r, buf, sizeof(buf), c->f, NT_POL_CMD_HOOK_SET, 0);
	ret = put_hook_set(&r, h->n - 2, h->words + 2);
	if (!ret && r.err) {
		char msg[256];

		nl_req_error(&r, policy_attr_names, policy_n_attr_names, msg,
			     sizeof(msg));
		ret = usage_error("%s", msg);
	}
	return ret;
}

static struct batch *commit_new_msg(struct commit_job *c)
{
	struct batch *m = xrealloc(NULL, sizeof(*m));

	m->k = 0;
	m->buf = xrealloc(NULL, MSG_BUF);
	nl_object_req(&m->r, m->buf, MSG_BUF, c->f, NT_POL_CMD_RULE_ADD, 0);
	if (c->nb == c->mcap) {
		c->mcap = c->mcap ? c->mcap * 2 : 64;
		c->msgs = xrealloc(c->msgs, c->mcap * sizeof(*c->msgs));
	}
	c->msgs[c->nb++] = m;
	return m;
}

/*
 * Read the whole file into messages. A line that does not parse, a NUL
 * byte (the rest of its line would be lost), or a read error (a directory,
 * an I/O error: getline() alone cannot tell them from the end of the file)
 * fails the commit before anything is sent.
 */
static int commit_read(struct commit_job *c)
{
	struct batch *m = NULL;
	char *line = NULL, *copy = NULL, **words = NULL;
	size_t len = 0, clen = 0, wcap = 0;
	int lineno = 0, ret = EXIT_OK;
	ssize_t got;

	while ((got = getline(&line, &len, c->in)) >= 0) {
		int n;

		lineno++;
		if (strlen(line) != (size_t)got) {
			fprintf(stderr, "Error: %s:%d: a NUL byte in the line.\n",
				c->name, lineno);
			ret = EXIT_USAGE;
			goto out;
		}
		if ((size_t)got >= clen) {
			clen = got + 1;
			copy = xrealloc(copy, clen);
		}
		memcpy(copy, line, got + 1);
		n = split_words_grow(copy, &words, &wcap);
		if (n < 0) {
			fprintf(stderr, "Error: %s:%d: unterminated quote.\n",
				c->name, lineno);
			ret = EXIT_USAGE;
			goto out;
		}
		if (!n)
			continue;
		if (n >= 2 && !strcmp(words[0], "hook") &&
		    matches(words[1], "set")) {
			if (commit_hook_line(c, line, lineno)) {
				ret = EXIT_USAGE;
				goto bad_line;
			}
			continue;
		}
		if (!m || m->r.nlh->nlmsg_len >= MSG_FILL ||
		    m->k == BATCH_RULES)
			m = commit_new_msg(c);
		m->offs[m->k] = m->r.nlh->nlmsg_len;
		m->lineno[m->k] = lineno;
		if (put_rule(&m->r, n, words)) {
			ret = EXIT_USAGE;
			goto bad_line;
		}
		if (m->r.err) {
			char msg[256];

			nl_req_error(&m->r, policy_attr_names,
				     policy_n_attr_names, msg, sizeof(msg));
			ret = usage_error("%s", msg);
			goto bad_line;
		}
		m->k++;
	}
	if (ferror(c->in)) {
		fprintf(stderr, "Error: cannot read \"%s\": %s; nothing changed.\n",
			c->name, strerror(errno));
		ret = EXIT_USAGE;
	}
	goto out;
bad_line:
	fprintf(stderr, "Error: %s:%d: the line above is not valid.\n",
		c->name, lineno);
out:
	free(line);
	free(copy);
	free(words);
	return ret;
}

static void commit_fields(const struct nlmsghdr *nlh)
{
	const struct nlattr *tb[NT_POL_A_MAX + 1] = {};

	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), top_cb, tb);
	if (tb[NT_POL_A_GENERATION])
		jp_uint("generation", "generation %" PRIu64 " ",
			mnl_attr_get_u64(tb[NT_POL_A_GENERATION]));
	if (tb[NT_POL_A_RULES])
		jp_uint("rules", "rules %" PRIu64,
			mnl_attr_get_u32(tb[NT_POL_A_RULES]));
}

static int commit_reply_cb(const struct nlmsghdr *nlh, void *arg)
{
	(void)arg;
	jp_open_object(NULL);
	commit_fields(nlh);
	jp_text("\n");
	jp_close_object();
	return 0;
}

/* Send the messages of a commit, inside BEGIN ... */
static int commit_send(struct commit_job *c)
{
	size_t i, j;

	for (i = 0; i < c->nb; i++) {
		struct batch *m = c->msgs[i];

		if (!nl_object_talk(obj, &m->r, NULL, NULL))
			continue;
		for (j = m->k; j-- > 0;)
			if (nl_err_offset >= (long)m->offs[j])
				break;
		if (nl_err_offset >= 0 && j < m->k)
			fprintf(stderr, "Error: %s:%d: that rule was refused; nothing changed.\n",
				c->name, m->lineno[j]);
		else
			fprintf(stderr, "Error: rules of lines %d..%d refused; nothing changed.\n",
				m->lineno[0], m->lineno[m->k - 1]);
		return EXIT_KERNEL;
	}
	return EXIT_OK;
}

/*
 * commit FILE: the whole file is read and parsed first; then BEGIN, the
 * rules in messages of up to 64 KiB, COMMIT; then the file's hook
 * settings. A file that cannot be read whole, or a bad line, sends
 * nothing; an error after BEGIN aborts the transaction. Either way nothing
 * changes. A rule the kernel refuses is named by its line, from the
 * extack offset.
 */
static int policy_commit(const struct nl_family *f, int argc, char **argv)
{
	struct commit_job c = { .f = f, .name = argv[0] };
	char buf[1024], err[128];
	uint64_t gen = 0;
	bool have_gen = false;
	int ret = EXIT_OK;
	struct nl_req r;
	size_t i;

	if (argc < 1)
		return usage_error("usage: ntctl policy commit FILE [ generation N ]");
	if (argc == 3 && matches(argv[1], "generation")) {
		if (parse_u64(argv[2], &gen, err, sizeof(err)))
			return usage_error("generation: %s", err);
		have_gen = true;
	} else if (argc != 1) {
		return usage_error("usage: ntctl policy commit FILE [ generation N ]");
	}
	c.in = strcmp(argv[0], "-") ? fopen(argv[0], "r") : stdin;
	if (!c.in) {
		fprintf(stderr, "Error: cannot open \"%s\": %s.\n", argv[0],
			strerror(errno));
		return EXIT_USAGE;
	}
	ret = commit_read(&c);
	if (ret)
		goto out;
	ret = simple(f, NT_POL_CMD_BEGIN);
	if (ret)
		goto out;
	ret = commit_send(&c);
	if (ret) {
		simple(f, NT_POL_CMD_ABORT);
		goto out;
	}
	nl_object_req(&r, buf, sizeof(buf), f, NT_POL_CMD_COMMIT, 0);
	if (have_gen)
		nl_put_u64(&r, NT_POL_A_GENERATION, gen);
	ret = nl_object_talk(obj, &r, commit_reply_cb, NULL);
	if (ret)
		goto out;
	for (i = 0; i < c.nhooks; i++) {
		struct commit_line *h = &c.hooks[i];

		nl_object_req(&r, buf, sizeof(buf), f, NT_POL_CMD_HOOK_SET, 0);
		put_hook_set(&r, h->n - 2, h->words + 2);
		if (nl_object_talk(obj, &r, NULL, NULL)) {
			fprintf(stderr, "Error: %s:%d: hook setting refused (the rules are committed).\n",
				argv[0], h->lineno);
			ret = EXIT_KERNEL;
			goto out;
		}
	}
out:
	for (i = 0; i < c.nb; i++) {
		free(c.msgs[i]->buf);
		free(c.msgs[i]);
	}
	free(c.msgs);
	for (i = 0; i < c.nhooks; i++) {
		free(c.hooks[i].words);
		free(c.hooks[i].text);
	}
	free(c.hooks);
	if (c.in != stdin)
		fclose(c.in);
	return ret;
}

static int stats_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *tb[NT_POL_A_MAX + 1] = {};

	(void)arg;
	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), top_cb, tb);
	if (tb[NT_POL_A_GENERATION])
		jp_uint("generation", "generation %" PRIu64 "\n",
			mnl_attr_get_u64(tb[NT_POL_A_GENERATION]));
	if (tb[NT_POL_A_RULES])
		jp_uint("rules", "rules %" PRIu64, mnl_attr_get_u32(tb[NT_POL_A_RULES]));
	if (tb[NT_POL_A_MAX_RULES])
		jp_uint("max_rules", " (max %" PRIu64 ")\n",
			mnl_attr_get_u32(tb[NT_POL_A_MAX_RULES]));
	if (tb[NT_POL_A_TUPLES])
		jp_uint("tuples", "classifier tuples %" PRIu64 "\n",
			mnl_attr_get_u32(tb[NT_POL_A_TUPLES]));
	if (tb[NT_POL_A_MEMORY])
		jp_uint("memory", "memory %" PRIu64 " bytes\n",
			mnl_attr_get_u64(tb[NT_POL_A_MEMORY]));
	return 0;
}

static int policy_stats(const struct nl_family *f)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nl_req r;
	int ret;

	jp_open_object(NULL);
	nl_object_req(&r, buf, sizeof(buf), f, NT_POL_CMD_STATS_GET, 0);
	ret = nl_object_talk(obj, &r, stats_cb, NULL);
	if (!ret) {
		jp_open_array("hooks");
		ret = hook_dump(f, false);
		jp_close_array();
	}
	jp_close_object();
	return ret;
}

void policy_print_event(const struct nlmsghdr *nlh)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);

	if (g->cmd != NT_POL_CMD_COMMIT && g->cmd != NT_POL_CMD_HOOK_SET)
		return;
	jp_open_object(NULL);
	if (g->cmd == NT_POL_CMD_COMMIT) {
		jp_string("object", "policy ", "policy");
		jp_string("event", "%s ", "commit");
		commit_fields(nlh);
	} else {
		jp_string("object", "policy %s ", "hook");
		jp_string("event", "%s ", "set");
		hook_fields(nlh, false, false);
	}
	jp_text("\n");
	jp_close_object();
}

int do_policy(int argc, char **argv)
{
	static const char *const cmds[] = { "add", "del", "delete", "flush",
		"show", "list", "commit", "export", "stats", "hook" };
	char buf[MSG_BUF], err[128];
	struct nl_family f;
	struct nl_req r;
	unsigned int i;
	uint32_t id;
	int ret;

	if (argc > 0 && matches(*argv, "help")) {
		policy_usage(stdout);
		return EXIT_OK;
	}
	for (i = 0; argc > 0 && i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (matches(*argv, cmds[i]))
			break;
	if (argc > 0 && i == sizeof(cmds) / sizeof(cmds[0]))
		return usage_error("unknown policy command \"%s\", try \"ntctl policy help\"",
				   *argv);
	if (nl_object_family(obj, &f))
		return EXIT_KERNEL;
	if (argc < 1 || matches(*argv, "show") || matches(*argv, "list"))
		return policy_show(&f, argc - (argc > 0), argv + (argc > 0),
				   false);
	if (matches(*argv, "add")) {
		nl_object_req(&r, buf, sizeof(buf), &f, NT_POL_CMD_RULE_ADD, 0);
		if (put_rule(&r, argc - 1, argv + 1))
			return EXIT_USAGE;
		return nl_object_talk(obj, &r, NULL, NULL);
	}
	if (matches(*argv, "del") || matches(*argv, "delete")) {
		if (argc != 3 || strcmp(argv[1], "id"))
			return usage_error("usage: ntctl policy del id ID");
		if (parse_u32(argv[2], 1, UINT32_MAX, &id, err, sizeof(err)))
			return usage_error("id: %s", err);
		nl_object_req(&r, buf, sizeof(buf), &f, NT_POL_CMD_RULE_DEL, 0);
		nl_nest_start(&r, NT_POL_A_RULE);
		nl_put_u32(&r, NT_POL_RULE_A_ID, id);
		nl_nest_end(&r);
		return nl_object_talk(obj, &r, NULL, NULL);
	}
	if (matches(*argv, "flush")) {
		nl_object_req(&r, buf, sizeof(buf), &f, NT_POL_CMD_FLUSH, 0);
		if (argc == 3 && matches(argv[1], "hook")) {
			int h = parse_hook(argv[2]);

			if (h < 0)
				return usage_error("unknown hook \"%s\"", argv[2]);
			nl_nest_start(&r, NT_POL_A_HOOK);
			nl_put_u8(&r, NT_POL_HOOK_A_HOOK, h);
			nl_nest_end(&r);
		} else if (argc != 1) {
			return usage_error("usage: ntctl policy flush [ hook HOOK ]");
		}
		return nl_object_talk(obj, &r, NULL, NULL);
	}
	if (matches(*argv, "commit"))
		return policy_commit(&f, argc - 1, argv + 1);
	if (matches(*argv, "export")) {
		if (argc != 1)
			return usage_error("usage: ntctl policy export");
		if (opts.json)
			return usage_error("export prints a commit file: no -j");
		printf("# ntctl policy export: ntctl policy commit FILE restores it\n");
		ret = hook_dump(&f, true);
		return ret ? ret : policy_show(&f, 0, NULL, true);
	}
	if (matches(*argv, "stats"))
		return policy_stats(&f);
	return policy_hook(&f, argc - 1, argv + 1);
}
