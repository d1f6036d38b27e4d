// SPDX-License-Identifier: GPL-2.0
/*
 * ntctl tunnel: nt_tun devices (made with `ip link add DEV type nttun`) and
 * their peers, over the nt_tun family.
 *
 *   ntctl tunnel show [ DEV ]
 *   ntctl tunnel set DEV [ listen-port P ] [ fwmark M ] [ ttl T | inherit ]
 *                        [ dscp D | inherit ] [ vni N ] [ sport-range LO-HI ]
 *   ntctl tunnel peer add DEV id N endpoint ADDR:PORT
 *                        [ allowed-ips PFX[,PFX]... ] [ keepalive S ]
 *   ntctl tunnel peer set DEV id N [ endpoint ADDR:PORT ]
 *                        [ allowed-ips PFX[,PFX]... | none ] [ keepalive S ]
 *   ntctl tunnel peer del DEV id N
 *   ntctl tunnel peer show DEV [ id N ]
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <linux/nt_tun.h>

#include "ntctl.h"
#include "tunnel.h"
#include "tunnel_int.h"
#include "json.h"
#include "nl.h"
#include "parse.h"

static const struct nl_object *const obj = &nl_objects[NL_OBJ_TUNNEL];

/* Drop reasons: ntctl keyword (text) and JSON key, by enum nt_tun_drop. */
static const char *const drop_kw[NT_TUN_DROP_MAX + 1] = {
	[NT_TUN_DROP_NO_PEER] = "no-peer",
	[NT_TUN_DROP_NO_ROUTE] = "no-route",
	[NT_TUN_DROP_TOO_BIG] = "too-big",
	[NT_TUN_DROP_BAD_INNER] = "bad-inner",
	[NT_TUN_DROP_UNKNOWN_SENDER] = "unknown-sender",
	[NT_TUN_DROP_WRONG_VNI] = "wrong-vni",
	[NT_TUN_DROP_BAD_HEADER] = "bad-header",
	[NT_TUN_DROP_SPOOFED] = "spoofed",
	[NT_TUN_DROP_ECN] = "ecn",
	[NT_TUN_DROP_NOMEM] = "nomem",
};
static const char *const drop_json[NT_TUN_DROP_MAX + 1] = {
	[NT_TUN_DROP_NO_PEER] = "no_peer",
	[NT_TUN_DROP_NO_ROUTE] = "no_route",
	[NT_TUN_DROP_TOO_BIG] = "too_big",
	[NT_TUN_DROP_BAD_INNER] = "bad_inner",
	[NT_TUN_DROP_UNKNOWN_SENDER] = "unknown_sender",
	[NT_TUN_DROP_WRONG_VNI] = "wrong_vni",
	[NT_TUN_DROP_BAD_HEADER] = "bad_header",
	[NT_TUN_DROP_SPOOFED] = "spoofed",
	[NT_TUN_DROP_ECN] = "ecn",
	[NT_TUN_DROP_NOMEM] = "nomem",
};

static const struct nl_attr_desc aip_names[NT_TUN_AIP_A_MAX + 1] = {
	[NT_TUN_AIP_A_FAMILY] = { "family" },
	[NT_TUN_AIP_A_ADDR] = { "address" },
	[NT_TUN_AIP_A_CIDR] = { "prefix-length" },
};
static const struct nl_attr_desc aips_names[2] = {
	[NT_TUN_PEER_A_ALLOWEDIP] = { "allowed-ip", aip_names,
				      NT_TUN_AIP_A_MAX + 1 },
};
static const struct nl_attr_desc peer_names[NT_TUN_PEER_A_MAX + 1] = {
	[NT_TUN_PEER_A_ID] = { "id" },
	[NT_TUN_PEER_A_ENDPOINT] = { "endpoint" },
	[NT_TUN_PEER_A_KEEPALIVE] = { "keepalive" },
	[NT_TUN_PEER_A_ALLOWEDIPS] = { "allowed-ips", aips_names, 2 },
};
const struct nl_attr_desc tunnel_attr_names[NT_TUN_A_MAX + 1] = {
	[NT_TUN_A_IFINDEX] = { "dev" },
	[NT_TUN_A_IFNAME] = { "dev" },
	[NT_TUN_A_LISTEN_PORT] = { "listen-port" },
	[NT_TUN_A_FWMARK] = { "fwmark" },
	[NT_TUN_A_TTL] = { "ttl" },
	[NT_TUN_A_DSCP] = { "dscp" },
	[NT_TUN_A_VNI] = { "vni" },
	[NT_TUN_A_SPORT_MIN] = { "sport-range" },
	[NT_TUN_A_SPORT_MAX] = { "sport-range" },
	[NT_TUN_A_PEER] = { "peer", peer_names, NT_TUN_PEER_A_MAX + 1 },
};
const unsigned int tunnel_n_attr_names = NT_TUN_A_MAX + 1;

void tun_usage(FILE *f)
{
	fprintf(f,
		"Usage: ntctl tunnel show [ DEV ]\n"
		"       ntctl tunnel set DEV [ listen-port PORT ] [ fwmark MARK ]\n"
		"                            [ ttl { 1..255 | inherit } ] [ dscp { 0..63 | inherit } ]\n"
		"                            [ vni 0..4294967295 ] [ sport-range LO-HI ]\n"
		"       ntctl tunnel peer add DEV id ID endpoint ADDR:PORT\n"
		"                            [ allowed-ips PREFIX[,PREFIX]... ] [ keepalive SECS ]\n"
		"       ntctl tunnel peer set DEV id ID [ endpoint ADDR:PORT ]\n"
		"                            [ allowed-ips { PREFIX[,PREFIX]... | none } ] [ keepalive SECS ]\n"
		"       ntctl tunnel peer del DEV id ID\n"
		"       ntctl tunnel peer show DEV [ id ID ]\n"
		"where  DEV is an nttun device (ip link add DEV type nttun)\n"
		"       ID := 1..4294967295, SECS := 0 (off)..%d\n"
		"       ADDR:PORT := 192.0.2.1:5555 | [2001:db8::1]:5555\n"
		"       \"peer set ... allowed-ips\" replaces the peer's whole list\n",
		NT_TUN_KEEPALIVE_MAX);
}

int tun_check_dev(const char *dev)
{
	if (!*dev || strlen(dev) >= IFNAMSIZ)
		return usage_error("device name \"%s\" must be 1..%d characters",
				   dev, IFNAMSIZ - 1);
	return EXIT_OK;
}

int tun_tb_cb(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(a);

	if (type > 0 && type <= 31)
		tb[type] = a;
	return MNL_CB_OK;
}

void tun_print_drops(const struct nlattr *nest, bool all)
{
	const struct nlattr *tb[32] = {};
	char fmt[48];
	int i;

	if (!nest)
		return;
	mnl_attr_parse_nested(nest, tun_tb_cb, tb);
	jp_open_object("drops");
	for (i = 1; i <= NT_TUN_DROP_MAX; i++) {
		uint64_t v = tb[i] && mnl_attr_get_payload_len(tb[i]) == 8 ?
			     mnl_attr_get_u64(tb[i]) : 0;

		snprintf(fmt, sizeof(fmt), " %s %%" PRIu64, drop_kw[i]);
		jp_uint(drop_json[i], v || all ? fmt : NULL, v);
	}
	jp_close_object();
}

/* ---- devices ---- */

static void print_dev(const struct nlmsghdr *nlh, bool event)
{
	const struct nlattr *tb[32] = {};
	char s[32];

	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), tun_tb_cb, tb);
	jp_string("dev", "%s:", tb[NT_TUN_A_IFNAME] ?
		  mnl_attr_get_str(tb[NT_TUN_A_IFNAME]) : "?");
	if (tb[NT_TUN_A_IFINDEX])
		jp_uint("ifindex", NULL, mnl_attr_get_u32(tb[NT_TUN_A_IFINDEX]));
	if (tb[NT_TUN_A_LISTEN_PORT])
		jp_uint("listen_port", " listen-port %" PRIu64,
			mnl_attr_get_u16(tb[NT_TUN_A_LISTEN_PORT]));
	if (tb[NT_TUN_A_BOUND_PORT])
		jp_uint("bound_port", " (bound %" PRIu64 ")",
			mnl_attr_get_u16(tb[NT_TUN_A_BOUND_PORT]));
	if (tb[NT_TUN_A_FWMARK])
		jp_uint("fwmark", " fwmark 0x%" PRIx64,
			mnl_attr_get_u32(tb[NT_TUN_A_FWMARK]));
	if (tb[NT_TUN_A_TTL]) {
		uint8_t t = mnl_attr_get_u8(tb[NT_TUN_A_TTL]);

		if (t)
			jp_uint("ttl", " ttl %" PRIu64, t);
		else
			jp_string("ttl", " ttl %s", "inherit");
	}
	if (tb[NT_TUN_A_DSCP]) {
		uint8_t d = mnl_attr_get_u8(tb[NT_TUN_A_DSCP]);

		if (d == NT_TUN_DSCP_INHERIT)
			jp_string("dscp", " dscp %s", "inherit");
		else
			jp_uint("dscp", " dscp %" PRIu64, d);
	}
	if (tb[NT_TUN_A_VNI])
		jp_uint("vni", " vni %" PRIu64, mnl_attr_get_u32(tb[NT_TUN_A_VNI]));
	if (tb[NT_TUN_A_SPORT_MIN] && tb[NT_TUN_A_SPORT_MAX]) {
		snprintf(s, sizeof(s), "%u-%u",
			 mnl_attr_get_u16(tb[NT_TUN_A_SPORT_MIN]),
			 mnl_attr_get_u16(tb[NT_TUN_A_SPORT_MAX]));
		jp_string("sport_range", " sport-range %s", s);
	}
	if (event)
		return;
	if (tb[NT_TUN_A_PEERS])
		jp_uint("peer_count", " peers %" PRIu64,
			mnl_attr_get_u32(tb[NT_TUN_A_PEERS]));
	if (tb[NT_TUN_A_ALLOWEDIPS])
		jp_uint("allowed_ip_count", " allowed-ips %" PRIu64,
			mnl_attr_get_u32(tb[NT_TUN_A_ALLOWEDIPS]));
	tun_print_drops(tb[NT_TUN_A_DROPS], false);
}

struct dev_list {
	struct { uint32_t ifindex; struct nlmsghdr *msg; } *v;
	size_t n;
};

static int devs_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *tb[32] = {};
	struct dev_list *dl = arg;

	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), tun_tb_cb, tb);
	if (!tb[NT_TUN_A_IFINDEX])
		return 0;
	dl->v = realloc(dl->v, (dl->n + 1) * sizeof(*dl->v));
	if (!dl->v)
		return -ENOMEM;
	dl->v[dl->n].ifindex = mnl_attr_get_u32(tb[NT_TUN_A_IFINDEX]);
	dl->v[dl->n].msg = malloc(nlh->nlmsg_len);
	if (!dl->v[dl->n].msg)
		return -ENOMEM;
	memcpy(dl->v[dl->n].msg, nlh, nlh->nlmsg_len);
	dl->n++;
	return 0;
}

static int tunnel_show(const struct nl_family *f, const char *dev)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct dev_list dl = {};
	struct nl_req r;
	size_t i;
	int ret;

	if (dev) {
		if (tun_check_dev(dev))
			return EXIT_USAGE;
		nl_object_req(&r, buf, sizeof(buf), f, NT_TUN_CMD_DEV_GET, 0);
		nl_put_strz(&r, NT_TUN_A_IFNAME, dev);
	} else {
		nl_object_req(&r, buf, sizeof(buf), f, NT_TUN_CMD_DEV_GET, NLM_F_DUMP);
	}
	ret = nl_object_talk(obj, &r, devs_cb, &dl);
	if (ret)
		return ret;
	jp_open_array(NULL);
	for (i = 0; i < dl.n && !ret; i++) {
		struct tpeers ps = {};

		ret = tun_fetch_peers(f, NULL, dl.v[i].ifindex, 0, &ps);
		jp_open_object(NULL);
		print_dev(dl.v[i].msg, false);
		jp_text("\n");
		tun_print_peers(&ps);
		jp_close_object();
		tun_free_peers(&ps);
		free(dl.v[i].msg);
	}
	jp_close_array();
	free(dl.v);
	return ret;
}

/* The keywords of tunnel set, in the order abbreviations pick them. */
enum { SET_PORT, SET_FWMARK, SET_TTL, SET_DSCP, SET_VNI, SET_SPORT, SET_N };

static int set_keyword(const char *kw)
{
	if (is_abbrev(kw, "listen-port") || is_abbrev(kw, "port"))
		return SET_PORT;
	if (is_abbrev(kw, "fwmark"))
		return SET_FWMARK;
	if (is_abbrev(kw, "ttl"))
		return SET_TTL;
	if (is_abbrev(kw, "dscp"))
		return SET_DSCP;
	if (is_abbrev(kw, "vni"))
		return SET_VNI;
	if (is_abbrev(kw, "sport-range"))
		return SET_SPORT;
	return -1;
}

static int tunnel_set(const struct nl_family *f, int argc, char **argv)
{
	static const char *const names[SET_N] = {
		"listen-port", "fwmark", "ttl", "dscp", "vni", "sport-range",
	};
	char buf[MNL_SOCKET_BUFFER_SIZE], err[128];
	bool seen[SET_N] = {};
	struct nl_req r;
	uint32_t v;
	int key;

	if (argc < 1)
		return usage_error("tunnel set needs a DEV");
	if (tun_check_dev(argv[0]))
		return EXIT_USAGE;
	nl_object_req(&r, buf, sizeof(buf), f, NT_TUN_CMD_DEV_SET, 0);
	nl_put_strz(&r, NT_TUN_A_IFNAME, argv[0]);
	for (argc--, argv++; argc > 0; argc -= 2, argv += 2) {
		const char *kw = argv[0], *val = argc > 1 ? argv[1] : NULL;

		key = set_keyword(kw);
		if (key < 0)
			return usage_error("unknown setting \"%s\", try \"ntctl tunnel help\"",
					   kw);
		if (seen[key])
			return usage_error("%s given twice", names[key]);
		seen[key] = true;
		if (!val)
			return usage_error("%s needs a value", kw);
		switch (key) {
		case SET_PORT:
			if (parse_u32(val, 0, 65535, &v, err, sizeof(err)))
				return usage_error("listen-port: %s", err);
			nl_put_u16(&r, NT_TUN_A_LISTEN_PORT, v);
			break;
		case SET_FWMARK:
			if (parse_u32(val, 0, UINT32_MAX, &v, err, sizeof(err)))
				return usage_error("fwmark: %s", err);
			nl_put_u32(&r, NT_TUN_A_FWMARK, v);
			break;
		case SET_TTL:
			if (is_abbrev(val, "inherit"))
				v = 0;
			else if (parse_u32(val, 1, 255, &v, err, sizeof(err)))
				return usage_error("ttl: %s, or inherit", err);
			nl_put_u8(&r, NT_TUN_A_TTL, v);
			break;
		case SET_DSCP:
			/* NT_TUN_DSCP_INHERIT is only ever spelt "inherit" */
			if (is_abbrev(val, "inherit"))
				v = NT_TUN_DSCP_INHERIT;
			else if (parse_u32(val, 0, NT_TUN_DSCP_INHERIT - 1, &v,
					   err, sizeof(err)))
				return usage_error("dscp: %s, or inherit", err);
			nl_put_u8(&r, NT_TUN_A_DSCP, v);
			break;
		case SET_VNI:
			if (parse_u32(val, 0, UINT32_MAX, &v, err, sizeof(err)))
				return usage_error("vni: %s", err);
			nl_put_u32(&r, NT_TUN_A_VNI, v);
			break;
		case SET_SPORT: {
			uint32_t a, b;
			char *dash = strchr(val, '-');

			/* the kernel checks the range: only the form here */
			if (!dash || (*dash = 0, parse_u32(val, 0, 65535, &a, err,
							   sizeof(err))) ||
			    parse_u32(dash + 1, 0, 65535, &b, err, sizeof(err)))
				return usage_error("sport-range: expected LO-HI, ports 1..65535");
			nl_put_u16(&r, NT_TUN_A_SPORT_MIN, a);
			nl_put_u16(&r, NT_TUN_A_SPORT_MAX, b);
			break;
		}
		}
	}
	return nl_object_talk(obj, &r, NULL, NULL);
}

/* The device of a tunnel event, or the peer (and its device) of a peer's. */
void tunnel_print_event(const struct nlmsghdr *nlh, const struct nl_event *ev)
{
	const struct nlattr *tb[32] = {};
	char name[IF_NAMESIZE] = "?";
	struct tpeers ps = {};

	if (ev->cmd == NT_TUN_CMD_DEV_SET) {
		print_dev(nlh, true);
		return;
	}
	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), tun_tb_cb, tb);
	if (tb[NT_TUN_A_IFINDEX])
		if_indextoname(mnl_attr_get_u32(tb[NT_TUN_A_IFINDEX]), name);
	jp_string("dev", "%s ", name);
	if (tb[NT_TUN_A_PEER]) {
		tun_peer_collect(&ps, tb[NT_TUN_A_PEER]);
		if (ps.n)
			tun_print_peer(&ps.v[0], false);
		tun_free_peers(&ps);
	}
}

int do_tunnel(int argc, char **argv)
{
	struct nl_family f;

	if (argc > 0 && is_abbrev(*argv, "help")) {
		tun_usage(stdout);
		return EXIT_OK;
	}
	if (argc > 0 && !is_abbrev(*argv, "show") && !is_abbrev(*argv, "list") &&
	    !is_abbrev(*argv, "set") && !is_abbrev(*argv, "peer"))
		return usage_error("unknown tunnel command \"%s\", try \"ntctl tunnel help\"",
				   *argv);
	if (nl_object_family(obj, &f))
		return EXIT_KERNEL;
	if (argc < 1 || is_abbrev(*argv, "show") || is_abbrev(*argv, "list")) {
		if (argc > 2)
			return usage_error("usage: ntctl tunnel show [ DEV ]");
		return tunnel_show(&f, argc > 1 ? argv[1] : NULL);
	}
	if (is_abbrev(*argv, "set"))
		return tunnel_set(&f, argc - 1, argv + 1);
	return tun_peer(&f, argc - 1, argv + 1);
}
