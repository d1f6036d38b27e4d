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
#include "policy_int.h"
#include "json.h"
#include "nl.h"
#include "parse.h"

static const struct nl_object *const obj = &nl_objects[NL_OBJ_POLICY];

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

struct show_arg {
	bool stats, counters;
	uint64_t generation;
};

static int rule_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *tb[NT_POL_A_MAX + 1] = {};
	struct show_arg *sa = arg;

	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), pol_top_cb, tb);
	if (tb[NT_POL_A_GENERATION])
		sa->generation = mnl_attr_get_u64(tb[NT_POL_A_GENERATION]);
	if (tb[NT_POL_A_RULE])
		pol_print_rule(tb[NT_POL_A_RULE], sa->stats, sa->counters);
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
		    is_abbrev(*argv, "stats")) {
			sa.stats = true;
		} else if (is_abbrev(*argv, "hook") && argc > 1) {
			hook = pol_parse_hook(argv[1]);
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

	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), pol_top_cb, tb);
	if (!tb[NT_POL_A_HOOK])
		return;
	mnl_attr_parse_nested(tb[NT_POL_A_HOOK], pol_attr_cb, h);
	if (!h[NT_POL_HOOK_A_HOOK] || !h[NT_POL_HOOK_A_PRIORITY] ||
	    !h[NT_POL_HOOK_A_POLICY])
		return;
	hook = mnl_attr_get_u8(h[NT_POL_HOOK_A_HOOK]) % (NT_POL_HOOK_MAX + 1);
	prio = (int32_t)mnl_attr_get_u32(h[NT_POL_HOOK_A_PRIORITY]);
	pol = mnl_attr_get_u8(h[NT_POL_HOOK_A_POLICY]);
	if (export) {
		if (prio != NT_POL_PRIO_DEFAULT || pol)
			printf("hook set %s priority %d policy %s\n",
			       pol_hook_names[hook], prio, pol ? "drop" : "accept");
		return;
	}
	if (obj)
		jp_open_object(NULL);
	jp_string("hook", "hook %s ", pol_hook_names[hook]);
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
int pol_put_hook_set(struct nl_req *r, int argc, char **argv)
{
	bool prio = false, policy = false;
	char err[128];
	int hook;

	if (argc < 1)
		return usage_error("hook set needs a HOOK");
	hook = pol_parse_hook(argv[0]);
	if (hook < 0)
		return usage_error("unknown hook \"%s\"", argv[0]);
	nl_nest_start(r, NT_POL_A_HOOK);
	nl_put_u8(r, NT_POL_HOOK_A_HOOK, hook);
	for (argc--, argv++; argc > 0; argc -= 2, argv += 2) {
		if (argc < 2)
			return usage_error("%s needs a value", argv[0]);
		if (is_abbrev(argv[0], "priority") || is_abbrev(argv[0], "prio")) {
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
		} else if (is_abbrev(argv[0], "policy")) {
			if (policy)
				return usage_error("policy given twice");
			policy = true;
			if (is_abbrev(argv[1], "accept"))
				nl_put_u8(r, NT_POL_HOOK_A_POLICY, 0);
			else if (is_abbrev(argv[1], "drop"))
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

	if (argc < 1 || is_abbrev(*argv, "show") || is_abbrev(*argv, "list")) {
		jp_open_array(NULL);
		ret = hook_dump(f, false);
		jp_close_array();
		return ret;
	}
	if (!is_abbrev(*argv, "set"))
		return usage_error("usage: ntctl policy hook { show | set HOOK ... }");
	nl_object_req(&r, buf, sizeof(buf), f, NT_POL_CMD_HOOK_SET, 0);
	if (pol_put_hook_set(&r, argc - 1, argv + 1))
		return EXIT_USAGE;
	return nl_object_talk(obj, &r, NULL, NULL);
}

static int stats_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *tb[NT_POL_A_MAX + 1] = {};

	(void)arg;
	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), pol_top_cb, tb);
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

void policy_print_event(const struct nlmsghdr *nlh, const struct nl_event *ev)
{
	if (ev->cmd == NT_POL_CMD_COMMIT)
		pol_commit_fields(nlh);
	else
		hook_fields(nlh, false, false);
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

	if (argc > 0 && is_abbrev(*argv, "help")) {
		policy_usage(stdout);
		return EXIT_OK;
	}
	for (i = 0; argc > 0 && i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (is_abbrev(*argv, cmds[i]))
			break;
	if (argc > 0 && i == sizeof(cmds) / sizeof(cmds[0]))
		return usage_error("unknown policy command \"%s\", try \"ntctl policy help\"",
				   *argv);
	if (nl_object_family(obj, &f))
		return EXIT_KERNEL;
	if (argc < 1 || is_abbrev(*argv, "show") || is_abbrev(*argv, "list"))
		return policy_show(&f, argc - (argc > 0), argv + (argc > 0),
				   false);
	if (is_abbrev(*argv, "add")) {
		nl_object_req(&r, buf, sizeof(buf), &f, NT_POL_CMD_RULE_ADD, 0);
		if (pol_put_rule(&r, argc - 1, argv + 1))
			return EXIT_USAGE;
		return nl_object_talk(obj, &r, NULL, NULL);
	}
	if (is_abbrev(*argv, "del") || is_abbrev(*argv, "delete")) {
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
	if (is_abbrev(*argv, "flush")) {
		nl_object_req(&r, buf, sizeof(buf), &f, NT_POL_CMD_FLUSH, 0);
		if (argc == 3 && is_abbrev(argv[1], "hook")) {
			int h = pol_parse_hook(argv[2]);

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
	if (is_abbrev(*argv, "commit"))
		return pol_commit(&f, argc - 1, argv + 1);
	if (is_abbrev(*argv, "export")) {
		if (argc != 1)
			return usage_error("usage: ntctl policy export");
		if (opts.json)
			return usage_error("export prints a commit file: no -j");
		printf("# ntctl policy export: ntctl policy commit FILE restores it\n");
		ret = hook_dump(&f, true);
		return ret ? ret : policy_show(&f, 0, NULL, true);
	}
	if (is_abbrev(*argv, "stats"))
		return policy_stats(&f);
	return policy_hook(&f, argc - 1, argv + 1);
}
