// SPDX-License-Identifier: GPL-2.0
/*
 * ntctl policy: a rule, both ways. The words of `policy add` and of a
 * commit file's lines into an NT_POL_A_RULE nest, and such a nest back
 * into the same words (show, export) or a JSON object, so that an export
 * commits back to the same ruleset.
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
#include "policy_int.h"
#include "json.h"
#include "nl.h"
#include "parse.h"

const char *const pol_hook_names[NT_POL_HOOK_MAX + 1] = {
	"prerouting", "input", "forward", "output", "postrouting",
};
static const char *const family_names[NT_POL_FAMILY_MAX + 1] = {
	"inet", "ip", "ip6",
};
static const char *const action_names[NT_POL_ACT_MAX + 1] = {
	"accept", "drop", "reject", "mark", "dscp", "police", "meter", "log",
	"count",
};
static const struct { const char *name; uint8_t proto; } proto_names[] = {
	{ "tcp", IPPROTO_TCP }, { "udp", IPPROTO_UDP },
	{ "icmp", IPPROTO_ICMP }, { "icmpv6", IPPROTO_ICMPV6 },
	{ "sctp", IPPROTO_SCTP }, { "udplite", IPPROTO_UDPLITE },
	{ "gre", IPPROTO_GRE }, { "esp", IPPROTO_ESP },
};

/* The attributes' names, for the kernel's errors and ntctl's own. */
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

_Static_assert(NT_POL_RULE_A_MAX < 64, "put_rule's seen mask");

int pol_keyword(const char *s, const char *const *names, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (names[i] && is_abbrev(s, names[i]))
			return i;
	return -1;
}

int pol_parse_hook(const char *s)
{
	return pol_keyword(s, pol_hook_names, NT_POL_HOOK_MAX + 1);
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

	if (*argc < 3 || !is_abbrev((*argv)[1], "burst"))
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
	int act = pol_keyword((*argv)[0], action_names, NT_POL_ACT_MAX + 1);
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
		if (*argc < 3 || !is_abbrev((*argv)[1], "by"))
			return usage_error("expected meter by { src | dst }[/LEN] RATE burst BURST [ size N ]");
		snprintf(word, sizeof(word), "%s", (*argv)[2]);
		slash = strchr(word, '/');
		if (slash)
			*slash = 0;
		if (is_abbrev(word, "src"))
			v = NT_POL_METER_SRC;
		else if (is_abbrev(word, "dst"))
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
		if (*argc >= 3 && is_abbrev((*argv)[1], "size")) {
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
		return is_abbrev(kw, "action") ? NT_POL_RULE_A_ACTION : -1;
	case 'i':
		if (!strcmp(kw, "id"))
			return NT_POL_RULE_A_ID;
		return is_abbrev(kw, "iif") ? NT_POL_RULE_A_IIF : -1;
	case 'p':
		if (is_abbrev(kw, "priority") || is_abbrev(kw, "prio"))
			return NT_POL_RULE_A_PRIORITY;
		return is_abbrev(kw, "proto") ? NT_POL_RULE_A_PROTO : -1;
	case 'h':
		return is_abbrev(kw, "hook") ? NT_POL_RULE_A_HOOK : -1;
	case 'f':
		return is_abbrev(kw, "family") ? NT_POL_RULE_A_FAMILY : -1;
	case 's':
		if (is_abbrev(kw, "src"))
			return NT_POL_RULE_A_SRC;
		return is_abbrev(kw, "sport") ? NT_POL_RULE_A_SPORT_MIN : -1;
	case 'd':
		if (is_abbrev(kw, "dst"))
			return NT_POL_RULE_A_DST;
		if (is_abbrev(kw, "dport"))
			return NT_POL_RULE_A_DPORT_MIN;
		return is_abbrev(kw, "dscp") ? NT_POL_RULE_A_DSCP : -1;
	case 't':
		return is_abbrev(kw, "tcp-flags") ? NT_POL_RULE_A_TCP_FLAGS : -1;
	case 'o':
		return is_abbrev(kw, "oif") ? NT_POL_RULE_A_OIF : -1;
	}
	return -1;
}

/*
 * One rule from words into an NT_POL_A_RULE nest of @r. A keyword given
 * twice is refused, as ip does: which of the two was meant is a guess.
 */
int pol_put_rule(struct nl_req *r, int argc, char **argv)
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
			k = pol_parse_hook(val);
			if (k < 0)
				return usage_error("unknown hook \"%s\"", val);
			nl_put_u8(r, NT_POL_RULE_A_HOOK, k);
			have_hook = true;
		} else if (key == NT_POL_RULE_A_FAMILY) {
			k = pol_keyword(val, family_names, NT_POL_FAMILY_MAX + 1);
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
			uint8_t f, m;
			bool has_mask;

			if (parse_tcp_flags(val, &f, &m, &has_mask, err,
					    sizeof(err)))
				return usage_error("tcp-flags: %s", err);
			nl_put_u8(r, NT_POL_RULE_A_TCP_FLAGS, f);
			if (has_mask)
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

int pol_attr_cb(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;

	if (mnl_attr_get_type(a) <= NT_POL_RULE_A_MAX)
		tb[mnl_attr_get_type(a)] = a;
	return MNL_CB_OK;
}

int pol_top_cb(const struct nlattr *a, void *data)
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
void pol_print_rule(const struct nlattr *nest, bool stats, bool counters)
{
	const struct nlattr *tb[NT_POL_RULE_A_MAX + 1] = {};
	char buf[64], b2[32];
	uint8_t act, unit = NT_POL_UNIT_BYTES;

	mnl_attr_parse_nested(nest, pol_attr_cb, tb);
	if (!tb[NT_POL_RULE_A_ID] || !tb[NT_POL_RULE_A_HOOK] ||
	    !tb[NT_POL_RULE_A_ACTION])
		return;
	jp_open_object(NULL);
	jp_uint("id", "id %" PRIu64 " ", mnl_attr_get_u32(tb[NT_POL_RULE_A_ID]));
	jp_uint("priority", "prio %" PRIu64 " ",
		tb[NT_POL_RULE_A_PRIORITY] ? mnl_attr_get_u32(tb[NT_POL_RULE_A_PRIORITY]) : 0);
	jp_string("hook", "hook %s ",
		  pol_hook_names[mnl_attr_get_u8(tb[NT_POL_RULE_A_HOOK]) % (NT_POL_HOOK_MAX + 1)]);
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

		format_tcp_flags(f, fb, sizeof(fb));
		format_tcp_flags(m, mb, sizeof(mb));
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
