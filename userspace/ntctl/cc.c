// SPDX-License-Identifier: GPL-2.0
/*
 * ntctl cc: tcp_nt's profiles, routes and counters over the nt_cc family.
 *
 *   ntctl cc profile { add | set } NAME [ PARAM VALUE ]...
 *   ntctl cc profile del NAME
 *   ntctl cc profile show [ NAME ]
 *   ntctl cc route { add | replace } PREFIX profile NAME
 *   ntctl cc route del PREFIX
 *   ntctl cc route show
 *   ntctl cc stats [ profile NAME ]
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/nt_cc.h>

#include "ntctl.h"
#include "cc.h"
#include "json.h"
#include "nl.h"
#include "parse.h"

static const struct nl_object *const obj = &nl_objects[NL_OBJ_CC];

/* The parameters, in uapi units, with the kernel's ranges (for help). */
static const struct cc_param {
	const char *kw;		/* ntctl keyword */
	const char *json;	/* JSON key */
	int attr;
	const char *unit;
	uint32_t min, max, def;
	bool ms;		/* accepts a duration ("5s") */
} params[] = {
/* a unit's words, its JSON key's suffix, and whether it takes "5s" */
#define CC_UNIT_PCT "%", "", false
#define CC_UNIT_MS "ms", "_ms", true
#define CC_UNIT_PERMILLE "per mille", "", false
#define CC_UNIT_PACKETS "packets", "", false
#define CC_PARAM(kw, f, A, unit, json_sfx, ms, lo, hi, d)		\
	{ kw, #f json_sfx, NT_CC_A_##A, unit, lo, hi, d, ms },
#define CC_PARAM_(...) CC_PARAM(__VA_ARGS__)
#define NT_CC_PARAM(A, f, kw, u, lo, hi, d)				\
	CC_PARAM_(kw, f, A, CC_UNIT_##u, lo, hi, d)
#include <linux/nt_cc_params.h>
};
#define N_PARAMS (sizeof(params) / sizeof(params[0]))

static const char *const ecn_modes[] = { "off", "dctcp" };

static const struct nl_attr_desc stats_names[NT_CC_STATS_MAX + 1] = {
	[NT_CC_STATS_CONNS] = { "conns" },
	[NT_CC_STATS_BYTES] = { "bytes" },
	[NT_CC_STATS_RECOVERIES] = { "recoveries" },
	[NT_CC_STATS_CE_ACKS] = { "ce-acks" },
	[NT_CC_STATS_PROBE_RTTS] = { "probe-rtts" },
};

const struct nl_attr_desc cc_attr_names[NT_CC_A_MAX + 1] = {
	[NT_CC_A_PROFILE_NAME] = { "profile" },
#define NT_CC_PARAM(A, f, kw, u, lo, hi, d) [NT_CC_A_##A] = { kw },
#include <linux/nt_cc_params.h>
	[NT_CC_A_ECN_MODE] = { "ecn" },
	[NT_CC_A_ROUTES] = { "routes" },
	[NT_CC_A_STATS] = { "stats", stats_names, NT_CC_STATS_MAX + 1 },
	[NT_CC_A_ROUTE_FAMILY] = { "family" },
	[NT_CC_A_ROUTE_ADDR] = { "prefix" },
	[NT_CC_A_ROUTE_CIDR] = { "prefix-length" },
};
const unsigned int cc_n_attr_names = NT_CC_A_MAX + 1;

static void cc_usage(FILE *f)
{
	unsigned int i;

	fprintf(f,
		"Usage: ntctl cc profile { add | set } NAME [ PARAM VALUE ]...\n"
		"       ntctl cc profile del NAME\n"
		"       ntctl cc profile show [ NAME ]\n"
		"       ntctl cc route { add | replace } PREFIX profile NAME\n"
		"       ntctl cc route del PREFIX\n"
		"       ntctl cc route show\n"
		"       ntctl cc stats [ profile NAME ]\n"
		"where  PARAM := {");
	for (i = 0; i < N_PARAMS; i++)
		fprintf(f, "%s %s", i ? " |" : "", params[i].kw);
	fprintf(f, " | ecn }\n"
		"       NAME := 1..15 characters of [A-Za-z0-9_.-]\n"
		"Values and ranges (default):\n");
	for (i = 0; i < N_PARAMS; i++)
		fprintf(f, "       %-19s %" PRIu32 "..%" PRIu32 " %s (%" PRIu32 ")\n",
			params[i].kw, params[i].min, params[i].max,
			params[i].unit, params[i].def);
	fprintf(f, "       %-19s off | dctcp (off)\n", "ecn");
}

static int check_name(const char *name)
{
	if (!*name || strlen(name) >= NT_CC_PROFILE_NAME_MAX)
		return usage_error("profile name \"%s\" must be 1..%d characters",
				   name, NT_CC_PROFILE_NAME_MAX - 1);
	return EXIT_OK;
}

/* PARAM VALUE pairs into attributes. */
static int put_params(struct nl_req *r, int argc, char **argv)
{
	bool seen[N_PARAMS + 1] = {};	/* the last: ecn */
	char err[128];
	unsigned int i;
	uint32_t v;

	while (argc > 0) {
		if (is_abbrev(*argv, "ecn")) {
			if (seen[N_PARAMS])
				return usage_error("ecn given twice");
			seen[N_PARAMS] = true;
			if (argc < 2)
				return usage_error("ecn needs a value: off | dctcp");
			for (i = 0; i < 2; i++)
				if (is_abbrev(argv[1], ecn_modes[i]))
					break;
			if (i == 2)
				return usage_error("ecn \"%s\": expected off | dctcp",
						   argv[1]);
			nl_put_u8(r, NT_CC_A_ECN_MODE, i);
			argc -= 2;
			argv += 2;
			continue;
		}
		for (i = 0; i < N_PARAMS; i++)
			if (is_abbrev(*argv, params[i].kw))
				break;
		if (i == N_PARAMS)
			return usage_error("unknown parameter \"%s\", try \"ntctl cc help\"",
					   *argv);
		if (seen[i])
			return usage_error("%s given twice", params[i].kw);
		seen[i] = true;
		if (argc < 2)
			return usage_error("%s needs a value", params[i].kw);
		if (params[i].ms && strpbrk(argv[1], "mnus")) {
			uint64_t ns;

			if (parse_duration(argv[1], &ns, err, sizeof(err)))
				return usage_error("%s: %s", params[i].kw, err);
			if (ns % 1000000 || ns / 1000000 > UINT32_MAX)
				return usage_error("%s: \"%s\" is not a whole number of milliseconds",
						   params[i].kw, argv[1]);
			v = ns / 1000000;
		} else if (parse_u32(argv[1], 0, UINT32_MAX, &v, err,
				     sizeof(err))) {
			return usage_error("%s: %s", params[i].kw, err);
		}
		nl_put_u32(r, params[i].attr, v);
		argc -= 2;
		argv += 2;
	}
	return EXIT_OK;
}

struct cc_show {
	bool stats;	/* the counters instead of the parameters */
	const char *only;	/* one profile */
	bool found;
};

static int attr_cb(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(a);

	if (type > 0 && type <= NT_CC_A_MAX)
		tb[type] = a;
	return MNL_CB_OK;
}

static int stats_cb(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(a);

	if (type > 0 && type <= NT_CC_STATS_MAX &&
	    mnl_attr_get_payload_len(a) == sizeof(uint64_t))
		tb[type] = a;
	return MNL_CB_OK;
}

static void print_stats(const struct nlattr *nest)
{
	const struct nlattr *tb[NT_CC_STATS_MAX + 1] = {};
	static const struct { int t; const char *json, *kw; } s[] = {
		{ NT_CC_STATS_CONNS, "conns", "conns" },
		{ NT_CC_STATS_BYTES, "bytes", "bytes" },
		{ NT_CC_STATS_RECOVERIES, "recoveries", "recoveries" },
		{ NT_CC_STATS_CE_ACKS, "ce_acks", "ce-acks" },
		{ NT_CC_STATS_PROBE_RTTS, "probe_rtts", "probe-rtts" },
	};
	char fmt[48];
	unsigned int i;

	mnl_attr_parse_nested(nest, stats_cb, tb);
	jp_open_object("stats");
	for (i = 0; i < sizeof(s) / sizeof(s[0]); i++) {
		snprintf(fmt, sizeof(fmt), " %s %%" PRIu64, s[i].kw);
		jp_uint(s[i].json, fmt, tb[s[i].t] ? mnl_attr_get_u64(tb[s[i].t]) : 0);
	}
	jp_close_object();
}

/* One profile, as a show line or an event. */
void cc_print_profile(const struct nlmsghdr *nlh, bool stats)
{
	const struct nlattr *tb[NT_CC_A_MAX + 1] = {};
	char fmt[48];
	unsigned int i;

	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), attr_cb, tb);
	jp_string("name", "profile %s",
		  tb[NT_CC_A_PROFILE_NAME] ?
		  mnl_attr_get_str(tb[NT_CC_A_PROFILE_NAME]) : "?");
	if (stats) {
		if (tb[NT_CC_A_STATS])
			print_stats(tb[NT_CC_A_STATS]);
		return;
	}
	for (i = 0; i < N_PARAMS; i++) {
		if (!tb[params[i].attr])
			continue;
		snprintf(fmt, sizeof(fmt), " %s %%" PRIu64, params[i].kw);
		jp_uint(params[i].json, fmt, mnl_attr_get_u32(tb[params[i].attr]));
	}
	if (tb[NT_CC_A_ECN_MODE]) {
		uint8_t m = mnl_attr_get_u8(tb[NT_CC_A_ECN_MODE]);

		jp_string("ecn", " ecn %s", m < 2 ? ecn_modes[m] : "?");
	}
	if (tb[NT_CC_A_ROUTES])
		jp_uint("routes", " routes %" PRIu64,
			mnl_attr_get_u32(tb[NT_CC_A_ROUTES]));
}

static int profile_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct cc_show *show = arg;
	const struct nlattr *tb[NT_CC_A_MAX + 1] = {};

	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), attr_cb, tb);
	if (show->only && (!tb[NT_CC_A_PROFILE_NAME] ||
			   strcmp(mnl_attr_get_str(tb[NT_CC_A_PROFILE_NAME]),
				  show->only)))
		return 0;
	show->found = true;
	jp_open_object(NULL);
	cc_print_profile(nlh, show->stats);
	jp_text("\n");
	jp_close_object();
	return 0;	/* nl_talk: 0 reads on */
}

static int profile_show(const struct nl_family *f, const char *name, bool stats)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct cc_show show = { .stats = stats, .only = name };
	struct nl_req r;
	int ret;

	if (name) {
		if (check_name(name))
			return EXIT_USAGE;
		nl_object_req(&r, buf, sizeof(buf), f, NT_CC_CMD_PROFILE_GET, 0);
		nl_put_strz(&r, NT_CC_A_PROFILE_NAME, name);
	} else {
		nl_object_req(&r, buf, sizeof(buf), f, NT_CC_CMD_PROFILE_GET,
		       NLM_F_DUMP);
	}
	jp_open_array(NULL);
	ret = nl_object_talk(obj, &r, profile_cb, &show);
	jp_close_array();
	return ret;
}

static int do_profile(const struct nl_family *f, int argc, char **argv)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nl_req r;
	uint8_t cmd;
	int ret;

	if (argc < 1 || is_abbrev(*argv, "show") || is_abbrev(*argv, "list"))
		return profile_show(f, argc > 1 ? argv[1] : NULL, false);
	if (is_abbrev(*argv, "help")) {
		cc_usage(stdout);
		return EXIT_OK;
	}
	if (is_abbrev(*argv, "add"))
		cmd = NT_CC_CMD_PROFILE_NEW;
	else if (is_abbrev(*argv, "set") || is_abbrev(*argv, "change"))
		cmd = NT_CC_CMD_PROFILE_SET;
	else if (is_abbrev(*argv, "delete"))
		cmd = NT_CC_CMD_PROFILE_DEL;
	else
		return usage_error("unknown command \"%s\" to cc profile, try \"ntctl cc help\"",
				   *argv);
	if (argc < 2)
		return usage_error("cc profile %s needs a profile NAME", *argv);
	if (check_name(argv[1]))
		return EXIT_USAGE;
	nl_object_req(&r, buf, sizeof(buf), f, cmd, 0);
	nl_put_strz(&r, NT_CC_A_PROFILE_NAME, argv[1]);
	if (cmd == NT_CC_CMD_PROFILE_DEL) {
		if (argc > 2)
			return usage_error("unexpected \"%s\" after cc profile del NAME",
					   argv[2]);
	} else {
		ret = put_params(&r, argc - 2, argv + 2);
		if (ret)
			return ret;
		if (cmd == NT_CC_CMD_PROFILE_SET && argc == 2)
			return usage_error("cc profile set NAME needs a PARAM VALUE");
	}
	return nl_object_talk(obj, &r, NULL, NULL);
}

static int get_prefix(const struct nlattr **tb, struct nt_addr_prefix *p)
{
	memset(p, 0, sizeof(*p));
	if (!tb[NT_CC_A_ROUTE_FAMILY] || !tb[NT_CC_A_ROUTE_ADDR] ||
	    !tb[NT_CC_A_ROUTE_CIDR])
		return -1;
	p->family = mnl_attr_get_u16(tb[NT_CC_A_ROUTE_FAMILY]);
	p->len = mnl_attr_get_u8(tb[NT_CC_A_ROUTE_CIDR]);
	if (mnl_attr_get_payload_len(tb[NT_CC_A_ROUTE_ADDR]) !=
	    (p->family == AF_INET ? 4U : 16U))
		return -1;
	memcpy(p->addr.bytes, mnl_attr_get_payload(tb[NT_CC_A_ROUTE_ADDR]),
	       p->family == AF_INET ? 4 : 16);
	return 0;
}

/* One route, as a show line or an event. */
void cc_print_route(const struct nlmsghdr *nlh)
{
	const struct nlattr *tb[NT_CC_A_MAX + 1] = {};
	struct nt_addr_prefix p;
	char s[64];

	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), attr_cb, tb);
	if (get_prefix(tb, &p)) {
		jp_null("prefix", "?");
		return;
	}
	jp_string("prefix", "%s", format_prefix(&p, s, sizeof(s)));
	jp_string("family", NULL, p.family == AF_INET ? "inet" : "inet6");
	if (tb[NT_CC_A_PROFILE_NAME])
		jp_string("profile", " profile %s",
			  mnl_attr_get_str(tb[NT_CC_A_PROFILE_NAME]));
}

void cc_print_event(const struct nlmsghdr *nlh, const struct nl_event *ev)
{
	if (ev->cmd == NT_CC_CMD_ROUTE_NEW || ev->cmd == NT_CC_CMD_ROUTE_DEL)
		cc_print_route(nlh);
	else
		cc_print_profile(nlh, false);
}

static int route_cb(const struct nlmsghdr *nlh, void *arg)
{
	(void)arg;
	jp_open_object(NULL);
	cc_print_route(nlh);
	jp_text("\n");
	jp_close_object();
	return 0;
}

static int do_route(const struct nl_family *f, int argc, char **argv)
{
	char buf[MNL_SOCKET_BUFFER_SIZE], err[128];
	struct nt_addr_prefix p;
	struct nl_req r;
	const char *profile = NULL;
	uint16_t flags = 0;
	uint8_t cmd;
	int ret, i;

	if (argc < 1 || is_abbrev(*argv, "show") || is_abbrev(*argv, "list")) {
		if (argc > 1)
			return usage_error("unexpected \"%s\" after cc route show",
					   argv[1]);
		nl_object_req(&r, buf, sizeof(buf), f, NT_CC_CMD_ROUTE_GET,
		       NLM_F_DUMP);
		jp_open_array(NULL);
		ret = nl_object_talk(obj, &r, route_cb, NULL);
		jp_close_array();
		return ret;
	}
	if (is_abbrev(*argv, "help")) {
		cc_usage(stdout);
		return EXIT_OK;
	}
	if (is_abbrev(*argv, "add")) {
		cmd = NT_CC_CMD_ROUTE_NEW;
	} else if (is_abbrev(*argv, "replace")) {
		cmd = NT_CC_CMD_ROUTE_NEW;
		flags = NLM_F_REPLACE;
	} else if (is_abbrev(*argv, "delete")) {
		cmd = NT_CC_CMD_ROUTE_DEL;
	} else {
		return usage_error("unknown command \"%s\" to cc route, try \"ntctl cc help\"",
				   *argv);
	}
	if (argc < 2)
		return usage_error("cc route %s needs a PREFIX", *argv);
	if (parse_prefix(argv[1], &p, err, sizeof(err)))
		return usage_error("%s", err);
	for (i = 2; i < argc; i += 2) {
		if (!is_abbrev(argv[i], "profile") || cmd == NT_CC_CMD_ROUTE_DEL)
			return usage_error("unexpected \"%s\" in cc route %s",
					   argv[i], argv[0]);
		if (i + 1 >= argc)
			return usage_error("profile needs a NAME");
		if (profile)
			return usage_error("profile given twice");
		profile = argv[i + 1];
		if (check_name(profile))
			return EXIT_USAGE;
	}
	if (cmd == NT_CC_CMD_ROUTE_NEW && !profile)
		return usage_error("cc route %s PREFIX needs \"profile NAME\"",
				   argv[0]);
	nl_object_req(&r, buf, sizeof(buf), f, cmd, flags);
	nl_put_u16(&r, NT_CC_A_ROUTE_FAMILY, p.family);
	nl_put(&r, NT_CC_A_ROUTE_ADDR, p.family == AF_INET ? 4 : 16,
	       p.addr.bytes);
	nl_put_u8(&r, NT_CC_A_ROUTE_CIDR, p.len);
	if (profile)
		nl_put_strz(&r, NT_CC_A_PROFILE_NAME, profile);
	return nl_object_talk(obj, &r, NULL, NULL);
}

static int do_stats(const struct nl_family *f, int argc, char **argv)
{
	if (argc == 0)
		return profile_show(f, NULL, true);
	if (is_abbrev(*argv, "help")) {
		cc_usage(stdout);
		return EXIT_OK;
	}
	if (!is_abbrev(*argv, "profile") || argc != 2)
		return usage_error("usage: ntctl cc stats [ profile NAME ]");
	return profile_show(f, argv[1], true);
}

int do_cc(int argc, char **argv)
{
	struct nl_family f;

	if (argc < 1 || is_abbrev(*argv, "help")) {
		cc_usage(argc < 1 ? stderr : stdout);
		return argc < 1 ? EXIT_USAGE : EXIT_OK;
	}
	if (!is_abbrev(*argv, "profile") && !is_abbrev(*argv, "route") &&
	    !is_abbrev(*argv, "stats"))
		return usage_error("unknown cc object \"%s\", try \"ntctl cc help\"",
				   *argv);
	if (nl_object_family(obj, &f))
		return EXIT_KERNEL;
	if (is_abbrev(*argv, "profile"))
		return do_profile(&f, argc - 1, argv + 1);
	if (is_abbrev(*argv, "route"))
		return do_route(&f, argc - 1, argv + 1);
	return do_stats(&f, argc - 1, argv + 1);
}
