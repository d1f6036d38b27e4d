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
#include "json.h"
#include "nl.h"
#include "parse.h"

static const struct nl_object *const obj = &nl_objects[NL_OBJ_TUNNEL];

#define BIG_BUF (1 << 20)	/* a peer with many allowed-ips */

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

static void tunnel_usage(FILE *f)
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

static int check_dev(const char *dev)
{
	if (!*dev || strlen(dev) >= IFNAMSIZ)
		return usage_error("device name \"%s\" must be 1..%d characters",
				   dev, IFNAMSIZ - 1);
	return EXIT_OK;
}

/* "A:P" or "[A6]:P" into a sockaddr. Returns its length or 0. */
static socklen_t parse_endpoint(const char *s, struct sockaddr_storage *ss)
{
	char host[INET6_ADDRSTRLEN + 2], err[128];
	const char *colon;
	uint32_t port;
	size_t n;

	memset(ss, 0, sizeof(*ss));
	if (*s == '[') {
		const char *end = strchr(s, ']');

		if (!end || end[1] != ':')
			return 0;
		n = end - s - 1;
		colon = end + 1;
		if (n >= sizeof(host))
			return 0;
		memcpy(host, s + 1, n);
	} else {
		colon = strrchr(s, ':');
		if (!colon)
			return 0;
		n = colon - s;
		if (n >= sizeof(host))
			return 0;
		memcpy(host, s, n);
	}
	host[n] = 0;
	if (parse_u32(colon + 1, 0, 65535, &port, err, sizeof(err)))
		return 0;
	if (*s != '[') {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;

		if (inet_pton(AF_INET, host, &sin->sin_addr) != 1)
			return 0;
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		return sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

		if (inet_pton(AF_INET6, host, &sin6->sin6_addr) != 1)
			return 0;
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		return sizeof(*sin6);
	}
}

static const char *format_endpoint(const void *data, size_t len, char *buf,
				   size_t blen)
{
	const struct sockaddr *sa = data;
	char a[INET6_ADDRSTRLEN];

	if (len == sizeof(struct sockaddr_in) && sa->sa_family == AF_INET) {
		const struct sockaddr_in *sin = data;

		inet_ntop(AF_INET, &sin->sin_addr, a, sizeof(a));
		snprintf(buf, blen, "%s:%u", a, ntohs(sin->sin_port));
	} else if (len == sizeof(struct sockaddr_in6) &&
		   sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *sin6 = data;

		inet_ntop(AF_INET6, &sin6->sin6_addr, a, sizeof(a));
		snprintf(buf, blen, "[%s]:%u", a, ntohs(sin6->sin6_port));
	} else {
		snprintf(buf, blen, "?");
	}
	return buf;
}

static int tb_cb(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(a);

	if (type > 0 && type <= 31)
		tb[type] = a;
	return MNL_CB_OK;
}

static void print_drops(const struct nlattr *nest, bool all)
{
	const struct nlattr *tb[32] = {};
	char fmt[48];
	int i;

	if (!nest)
		return;
	mnl_attr_parse_nested(nest, tb_cb, tb);
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

	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), tb_cb, tb);
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
	print_drops(tb[NT_TUN_A_DROPS], false);
}

/* ---- peers: collected first, as one may span several messages ---- */

struct tpeer {
	uint32_t id;
	char ep[64];
	bool have_ep, have_stats;
	uint16_t keepalive;
	uint64_t rxp, rxb, txp, txb, last_rx;
	const struct nlattr *drops;
	void *drops_copy;
	char **aips;
	size_t naips, cap;
};

struct tpeers {
	struct tpeer *v;
	size_t n, cap;
};

static struct tpeer *peer_slot(struct tpeers *ps, uint32_t id)
{
	if (ps->n && ps->v[ps->n - 1].id == id)
		return &ps->v[ps->n - 1];
	if (ps->n == ps->cap) {
		ps->cap = ps->cap ? ps->cap * 2 : 16;
		ps->v = realloc(ps->v, ps->cap * sizeof(*ps->v));
		if (!ps->v) {
			perror("ntctl");
			exit(EXIT_KERNEL);
		}
	}
	memset(&ps->v[ps->n], 0, sizeof(ps->v[0]));
	ps->v[ps->n].id = id;
	return &ps->v[ps->n++];
}

static void peer_add_aip(struct tpeer *p, const struct nlattr *nest)
{
	const struct nlattr *tb[32] = {};
	struct nt_addr_prefix pfx = {};
	char s[64];

	mnl_attr_parse_nested(nest, tb_cb, tb);
	if (!tb[NT_TUN_AIP_A_FAMILY] || !tb[NT_TUN_AIP_A_ADDR] ||
	    !tb[NT_TUN_AIP_A_CIDR])
		return;
	pfx.family = mnl_attr_get_u16(tb[NT_TUN_AIP_A_FAMILY]);
	if (mnl_attr_get_payload_len(tb[NT_TUN_AIP_A_ADDR]) !=
	    (pfx.family == AF_INET ? 4u : 16u))
		return;
	memcpy(pfx.addr.bytes, mnl_attr_get_payload(tb[NT_TUN_AIP_A_ADDR]),
	       pfx.family == AF_INET ? 4 : 16);
	pfx.len = mnl_attr_get_u8(tb[NT_TUN_AIP_A_CIDR]);
	if (p->naips == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 4;
		p->aips = realloc(p->aips, p->cap * sizeof(*p->aips));
		if (!p->aips) {
			perror("ntctl");
			exit(EXIT_KERNEL);
		}
	}
	p->aips[p->naips++] = strdup(format_prefix(&pfx, s, sizeof(s)));
}

static void peer_collect(struct tpeers *ps, const struct nlattr *peer)
{
	const struct nlattr *tb[32] = {}, *a;
	struct tpeer *p;

	mnl_attr_parse_nested(peer, tb_cb, tb);
	if (!tb[NT_TUN_PEER_A_ID])
		return;
	p = peer_slot(ps, mnl_attr_get_u32(tb[NT_TUN_PEER_A_ID]));
	if (tb[NT_TUN_PEER_A_ENDPOINT]) {
		format_endpoint(mnl_attr_get_payload(tb[NT_TUN_PEER_A_ENDPOINT]),
				mnl_attr_get_payload_len(tb[NT_TUN_PEER_A_ENDPOINT]),
				p->ep, sizeof(p->ep));
		p->have_ep = true;
	}
	if (tb[NT_TUN_PEER_A_KEEPALIVE])
		p->keepalive = mnl_attr_get_u16(tb[NT_TUN_PEER_A_KEEPALIVE]);
	if (tb[NT_TUN_PEER_A_RX_PACKETS]) {
		p->have_stats = true;
		p->rxp = mnl_attr_get_u64(tb[NT_TUN_PEER_A_RX_PACKETS]);
		p->rxb = tb[NT_TUN_PEER_A_RX_BYTES] ?
			 mnl_attr_get_u64(tb[NT_TUN_PEER_A_RX_BYTES]) : 0;
		p->txp = tb[NT_TUN_PEER_A_TX_PACKETS] ?
			 mnl_attr_get_u64(tb[NT_TUN_PEER_A_TX_PACKETS]) : 0;
		p->txb = tb[NT_TUN_PEER_A_TX_BYTES] ?
			 mnl_attr_get_u64(tb[NT_TUN_PEER_A_TX_BYTES]) : 0;
		p->last_rx = tb[NT_TUN_PEER_A_LAST_RX] ?
			     mnl_attr_get_u64(tb[NT_TUN_PEER_A_LAST_RX]) : 0;
	}
	if (tb[NT_TUN_PEER_A_DROPS]) {
		size_t len = mnl_attr_get_len(tb[NT_TUN_PEER_A_DROPS]);

		p->drops_copy = malloc(len);
		if (p->drops_copy) {
			memcpy(p->drops_copy, tb[NT_TUN_PEER_A_DROPS], len);
			p->drops = p->drops_copy;
		}
	}
	if (tb[NT_TUN_PEER_A_ALLOWEDIPS])
		mnl_attr_for_each_nested(a, tb[NT_TUN_PEER_A_ALLOWEDIPS])
			peer_add_aip(p, a);
}

static void print_peer(const struct tpeer *p, bool full)
{
	size_t i;

	jp_uint("id", "peer %" PRIu64, p->id);
	if (p->have_ep)
		jp_string("endpoint", " endpoint %s", p->ep);
	if (full || p->naips) {
		jp_open_array("allowed_ips");
		jp_text(" allowed-ips ");
		for (i = 0; i < p->naips; i++)
			jp_string(NULL, i ? ",%s" : "%s", p->aips[i]);
		if (!p->naips)
			jp_text("none");
		jp_close_array();
	}
	jp_uint("keepalive", " keepalive %" PRIu64, p->keepalive);
	if (!p->have_stats)
		return;
	jp_text("\n   ");
	jp_uint("rx_packets", " rx %" PRIu64 " packets", p->rxp);
	jp_uint("rx_bytes", " %" PRIu64 " bytes", p->rxb);
	jp_uint("tx_packets", " tx %" PRIu64 " packets", p->txp);
	jp_uint("tx_bytes", " %" PRIu64 " bytes", p->txb);
	if (jp_json()) {
		if (p->last_rx)
			jp_uint("last_rx_ns", NULL, p->last_rx);
		else
			jp_null("last_rx_ns", NULL);
	} else if (p->last_rx) {
		struct timespec now;
		uint64_t n;

		clock_gettime(CLOCK_REALTIME, &now);
		n = (uint64_t)now.tv_sec * 1000000000ull + now.tv_nsec;
		jp_text(" last-rx %llus ago", (unsigned long long)
			(n > p->last_rx ? (n - p->last_rx) / 1000000000ull : 0));
	} else {
		jp_text(" last-rx never");
	}
	print_drops(p->drops, false);
}

static void free_peers(struct tpeers *ps)
{
	size_t i, j;

	for (i = 0; i < ps->n; i++) {
		for (j = 0; j < ps->v[i].naips; j++)
			free(ps->v[i].aips[j]);
		free(ps->v[i].aips);
		free(ps->v[i].drops_copy);
	}
	free(ps->v);
	memset(ps, 0, sizeof(*ps));
}

static int peers_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *tb[32] = {};

	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), tb_cb, tb);
	if (tb[NT_TUN_A_PEER])
		peer_collect(arg, tb[NT_TUN_A_PEER]);
	return 0;
}

static int fetch_peers(const struct nl_family *f, const char *dev,
		       uint32_t ifindex, uint32_t id, struct tpeers *ps)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nl_req r;

	nl_object_req(&r, buf, sizeof(buf), f, NT_TUN_CMD_PEER_GET, NLM_F_DUMP);
	if (ifindex)
		nl_put_u32(&r, NT_TUN_A_IFINDEX, ifindex);
	else
		nl_put_strz(&r, NT_TUN_A_IFNAME, dev);
	if (id) {
		nl_nest_start(&r, NT_TUN_A_PEER);
		nl_put_u32(&r, NT_TUN_PEER_A_ID, id);
		nl_nest_end(&r);
	}
	return nl_object_talk(obj, &r, peers_cb, ps);
}

static void print_peers(const struct tpeers *ps)
{
	size_t i;

	jp_open_array("peers");
	for (i = 0; i < ps->n; i++) {
		jp_open_object(NULL);
		jp_text("  ");
		print_peer(&ps->v[i], true);
		jp_text("\n");
		jp_close_object();
	}
	jp_close_array();
}

struct dev_list {
	struct { uint32_t ifindex; struct nlmsghdr *msg; } *v;
	size_t n;
};

static int devs_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *tb[32] = {};
	struct dev_list *dl = arg;

	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), tb_cb, tb);
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
		if (check_dev(dev))
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

		ret = fetch_peers(f, NULL, dl.v[i].ifindex, 0, &ps);
		jp_open_object(NULL);
		print_dev(dl.v[i].msg, false);
		jp_text("\n");
		print_peers(&ps);
		jp_close_object();
		free_peers(&ps);
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
	if (matches(kw, "listen-port") || matches(kw, "port"))
		return SET_PORT;
	if (matches(kw, "fwmark"))
		return SET_FWMARK;
	if (matches(kw, "ttl"))
		return SET_TTL;
	if (matches(kw, "dscp"))
		return SET_DSCP;
	if (matches(kw, "vni"))
		return SET_VNI;
	if (matches(kw, "sport-range"))
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
	if (check_dev(argv[0]))
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
			if (matches(val, "inherit"))
				v = 0;
			else if (parse_u32(val, 1, 255, &v, err, sizeof(err)))
				return usage_error("ttl: %s, or inherit", err);
			nl_put_u8(&r, NT_TUN_A_TTL, v);
			break;
		case SET_DSCP:
			/* NT_TUN_DSCP_INHERIT is only ever spelt "inherit" */
			if (matches(val, "inherit"))
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

/*
 * PFX[,PFX]... or "none" into an ALLOWEDIPS nest. Every element must be a
 * prefix: an empty one ("a,", ",,", "") is a typo, not a shorter list.
 */
static int put_aips(struct nl_req *r, const char *list)
{
	struct nt_addr_prefix p;
	const char *tok, *end;
	char one[INET6_ADDRSTRLEN + 8], err[160];
	size_t n;

	nl_nest_start(r, NT_TUN_PEER_A_ALLOWEDIPS);
	if (strcmp(list, "none")) {
		for (tok = list;; tok = end + 1) {
			end = strchr(tok, ',');
			n = end ? (size_t)(end - tok) : strlen(tok);
			if (!n)
				return usage_error("allowed-ips: an empty element in \"%s\" (PREFIX[,PREFIX]... or none)",
						   list);
			if (n >= sizeof(one)) {
				snprintf(err, sizeof(err),
					 "\"%.*s...\" is not a prefix (ADDR[/LEN])",
					 20, tok);
				return usage_error("allowed-ips: %s", err);
			}
			memcpy(one, tok, n);
			one[n] = 0;
			if (parse_prefix(one, &p, err, sizeof(err)))
				return usage_error("allowed-ips: %s", err);
			nl_nest_start(r, NT_TUN_PEER_A_ALLOWEDIP);
			nl_put_u16(r, NT_TUN_AIP_A_FAMILY, p.family);
			nl_put(r, NT_TUN_AIP_A_ADDR,
			       p.family == AF_INET ? 4 : 16, p.addr.bytes);
			nl_put_u8(r, NT_TUN_AIP_A_CIDR, p.len);
			nl_nest_end(r);
			if (!end)
				break;
		}
	}
	nl_nest_end(r);
	return EXIT_OK;
}

static int tunnel_peer(const struct nl_family *f, int argc, char **argv)
{
	struct sockaddr_storage ss;
	struct nl_req r;
	uint32_t id = 0, v;
	char err[128], *buf;
	const char *dev;
	socklen_t sl;
	uint8_t cmd;
	bool ep = false, idset = false, aips = false, ka = false;
	int ret, i;

	if (argc < 1 || matches(*argv, "help")) {
		tunnel_usage(argc < 1 ? stderr : stdout);
		return argc < 1 ? EXIT_USAGE : EXIT_OK;
	}
	if (matches(*argv, "show") || matches(*argv, "list")) {
		struct tpeers ps = {};

		if (argc < 2)
			return usage_error("tunnel peer show needs a DEV");
		if (check_dev(argv[1]))
			return EXIT_USAGE;
		if (argc == 4 && matches(argv[2], "id")) {
			if (parse_u32(argv[3], 1, UINT32_MAX, &id, err,
				      sizeof(err)))
				return usage_error("id: %s", err);
		} else if (argc != 2) {
			return usage_error("usage: ntctl tunnel peer show DEV [ id ID ]");
		}
		ret = fetch_peers(f, argv[1], 0, id, &ps);
		if (!ret) {
			if (id && ps.n == 0) {
				fprintf(stderr, "Error: no peer %u on %s.\n", id,
					argv[1]);
				ret = EXIT_KERNEL;
			} else {
				jp_open_array(NULL);
				for (size_t k = 0; k < ps.n; k++) {
					jp_open_object(NULL);
					print_peer(&ps.v[k], true);
					jp_text("\n");
					jp_close_object();
				}
				jp_close_array();
			}
		}
		free_peers(&ps);
		return ret;
	}
	if (matches(*argv, "add"))
		cmd = NT_TUN_CMD_PEER_NEW;
	else if (matches(*argv, "set") || matches(*argv, "change"))
		cmd = NT_TUN_CMD_PEER_SET;
	else if (matches(*argv, "delete"))
		cmd = NT_TUN_CMD_PEER_DEL;
	else
		return usage_error("unknown command \"%s\" to tunnel peer, try \"ntctl tunnel help\"",
				   *argv);
	if (argc < 2)
		return usage_error("tunnel peer %s needs a DEV", argv[0]);
	dev = argv[1];
	if (check_dev(dev))
		return EXIT_USAGE;
	buf = malloc(BIG_BUF);
	if (!buf)
		return EXIT_KERNEL;
	nl_object_req(&r, buf, BIG_BUF, f, cmd, 0);
	nl_put_strz(&r, NT_TUN_A_IFNAME, dev);
	nl_nest_start(&r, NT_TUN_A_PEER);
	ret = EXIT_OK;
	for (i = 2; i < argc && !ret; i += 2) {
		const char *kw = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
		bool *seen = matches(kw, "id") ? &idset :
			     matches(kw, "endpoint") ? &ep :
			     matches(kw, "allowed-ips") ? &aips :
			     matches(kw, "keepalive") ? &ka : NULL;

		if (seen && *seen) {
			ret = usage_error("%s given twice",
					  seen == &idset ? "id" :
					  seen == &ep ? "endpoint" :
					  seen == &aips ? "allowed-ips" :
					  "keepalive");
		} else if (!val) {
			ret = usage_error("%s needs a value", kw);
		} else if (seen == &idset) {
			if (parse_u32(val, 1, UINT32_MAX, &id, err, sizeof(err)))
				ret = usage_error("id: %s", err);
			else
				nl_put_u32(&r, NT_TUN_PEER_A_ID, id);
			idset = true;
		} else if (cmd == NT_TUN_CMD_PEER_DEL) {
			ret = usage_error("tunnel peer del takes DEV id ID only");
		} else if (seen == &ep) {
			sl = parse_endpoint(val, &ss);
			if (!sl)
				ret = usage_error("endpoint \"%s\": expected ADDR:PORT or [ADDR6]:PORT",
						  val);
			else
				nl_put(&r, NT_TUN_PEER_A_ENDPOINT, sl, &ss);
			ep = true;
		} else if (seen == &aips) {
			ret = put_aips(&r, val);
			aips = true;
		} else if (seen == &ka) {
			if (parse_u32(val, 0, 65535, &v, err, sizeof(err)))
				ret = usage_error("keepalive: %s", err);
			else
				nl_put_u16(&r, NT_TUN_PEER_A_KEEPALIVE, v);
			ka = true;
		} else {
			ret = usage_error("unknown peer setting \"%s\", try \"ntctl tunnel help\"",
					  kw);
		}
	}
	if (!ret && !idset)
		ret = usage_error("tunnel peer %s needs \"id ID\"", argv[0]);
	if (!ret && cmd == NT_TUN_CMD_PEER_NEW && !ep)
		ret = usage_error("tunnel peer add needs \"endpoint ADDR:PORT\"");
	if (!ret) {
		nl_nest_end(&r);
		ret = nl_object_talk(obj, &r, NULL, NULL);
	}
	free(buf);
	return ret;
}

void tunnel_print_event(const struct nlmsghdr *nlh)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[32] = {};
	static const struct { uint8_t cmd; const char *ev; } ev[] = {
		{ NT_TUN_CMD_DEV_SET, "set" },
		{ NT_TUN_CMD_PEER_NEW, "add" },
		{ NT_TUN_CMD_PEER_SET, "set" },
		{ NT_TUN_CMD_PEER_DEL, "del" },
		{ NT_TUN_CMD_PEER_CONTACT, "contact" },
	};
	char name[IF_NAMESIZE] = "?";
	struct tpeers ps = {};
	unsigned int i;

	for (i = 0; i < sizeof(ev) / sizeof(ev[0]); i++)
		if (ev[i].cmd == g->cmd)
			break;
	if (i == sizeof(ev) / sizeof(ev[0]))
		return;
	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), tb_cb, tb);
	jp_open_object(NULL);
	if (g->cmd == NT_TUN_CMD_DEV_SET) {
		jp_string("object", "tunnel ", "tunnel");
		jp_string("event", "%s ", ev[i].ev);
		print_dev(nlh, true);
	} else {
		if (tb[NT_TUN_A_IFINDEX])
			if_indextoname(mnl_attr_get_u32(tb[NT_TUN_A_IFINDEX]), name);
		jp_string("object", "tunnel %s ", "peer");
		jp_string("event", "%s ", ev[i].ev);
		jp_string("dev", "%s ", name);
		if (tb[NT_TUN_A_PEER]) {
			peer_collect(&ps, tb[NT_TUN_A_PEER]);
			if (ps.n)
				print_peer(&ps.v[0], false);
			free_peers(&ps);
		}
	}
	jp_text("\n");
	jp_close_object();
}

int do_tunnel(int argc, char **argv)
{
	struct nl_family f;

	if (argc > 0 && matches(*argv, "help")) {
		tunnel_usage(stdout);
		return EXIT_OK;
	}
	if (argc > 0 && !matches(*argv, "show") && !matches(*argv, "list") &&
	    !matches(*argv, "set") && !matches(*argv, "peer"))
		return usage_error("unknown tunnel command \"%s\", try \"ntctl tunnel help\"",
				   *argv);
	if (nl_object_family(obj, &f))
		return EXIT_KERNEL;
	if (argc < 1 || matches(*argv, "show") || matches(*argv, "list")) {
		if (argc > 2)
			return usage_error("usage: ntctl tunnel show [ DEV ]");
		return tunnel_show(&f, argc > 1 ? argv[1] : NULL);
	}
	if (matches(*argv, "set"))
		return tunnel_set(&f, argc - 1, argv + 1);
	return tunnel_peer(&f, argc - 1, argv + 1);
}
