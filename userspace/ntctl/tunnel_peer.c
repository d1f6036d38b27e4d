// SPDX-License-Identifier: GPL-2.0
/*
 * ntctl tunnel peer: an nt_tun device's peers. Shown after being
 * collected whole (a peer with many allowed-ips spans several messages);
 * added, changed and deleted in one request each.
 *
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

	mnl_attr_parse_nested(nest, tun_tb_cb, tb);
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

void tun_peer_collect(struct tpeers *ps, const struct nlattr *peer)
{
	const struct nlattr *tb[32] = {}, *a;
	struct tpeer *p;

	mnl_attr_parse_nested(peer, tun_tb_cb, tb);
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

void tun_print_peer(const struct tpeer *p, bool full)
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
	tun_print_drops(p->drops, false);
}

void tun_free_peers(struct tpeers *ps)
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

	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), tun_tb_cb, tb);
	if (tb[NT_TUN_A_PEER])
		tun_peer_collect(arg, tb[NT_TUN_A_PEER]);
	return 0;
}

int tun_fetch_peers(const struct nl_family *f, const char *dev,
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

void tun_print_peers(const struct tpeers *ps)
{
	size_t i;

	jp_open_array("peers");
	for (i = 0; i < ps->n; i++) {
		jp_open_object(NULL);
		jp_text("  ");
		tun_print_peer(&ps->v[i], true);
		jp_text("\n");
		jp_close_object();
	}
	jp_close_array();
}

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

/* tunnel peer show DEV [ id ID ] */
static int peer_show(const struct nl_family *f, int argc, char **argv)
{
	struct tpeers ps = {};
	uint32_t id = 0;
	char err[128];
	int ret;

	if (argc < 1)
		return usage_error("tunnel peer show needs a DEV");
	if (tun_check_dev(argv[0]))
		return EXIT_USAGE;
	if (argc == 3 && is_abbrev(argv[1], "id")) {
		if (parse_u32(argv[2], 1, UINT32_MAX, &id, err, sizeof(err)))
			return usage_error("id: %s", err);
	} else if (argc != 1) {
		return usage_error("usage: ntctl tunnel peer show DEV [ id ID ]");
	}
	ret = tun_fetch_peers(f, argv[0], 0, id, &ps);
	if (!ret) {
		if (id && ps.n == 0) {
			fprintf(stderr, "Error: no peer %u on %s.\n", id, argv[0]);
			ret = EXIT_KERNEL;
		} else {
			jp_open_array(NULL);
			for (size_t k = 0; k < ps.n; k++) {
				jp_open_object(NULL);
				tun_print_peer(&ps.v[k], true);
				jp_text("\n");
				jp_close_object();
			}
			jp_close_array();
		}
	}
	tun_free_peers(&ps);
	return ret;
}

/* tunnel peer { add | set | del } DEV SETTING... as command @cmd */
static int peer_change(const struct nl_family *f, uint8_t cmd, int argc,
		       char **argv)
{
	struct sockaddr_storage ss;
	struct nl_req r;
	uint32_t id = 0, v;
	char err[128], *buf;
	const char *dev;
	socklen_t sl;
	bool ep = false, idset = false, aips = false, ka = false;
	int ret, i;

	if (argc < 2)
		return usage_error("tunnel peer %s needs a DEV", argv[0]);
	dev = argv[1];
	if (tun_check_dev(dev))
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
		bool *seen = is_abbrev(kw, "id") ? &idset :
			     is_abbrev(kw, "endpoint") ? &ep :
			     is_abbrev(kw, "allowed-ips") ? &aips :
			     is_abbrev(kw, "keepalive") ? &ka : NULL;

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

int tun_peer(const struct nl_family *f, int argc, char **argv)
{
	uint8_t cmd;

	if (argc < 1 || is_abbrev(*argv, "help")) {
		tun_usage(argc < 1 ? stderr : stdout);
		return argc < 1 ? EXIT_USAGE : EXIT_OK;
	}
	if (is_abbrev(*argv, "show") || is_abbrev(*argv, "list"))
		return peer_show(f, argc - 1, argv + 1);
	if (is_abbrev(*argv, "add"))
		cmd = NT_TUN_CMD_PEER_NEW;
	else if (is_abbrev(*argv, "set") || is_abbrev(*argv, "change"))
		cmd = NT_TUN_CMD_PEER_SET;
	else if (is_abbrev(*argv, "delete"))
		cmd = NT_TUN_CMD_PEER_DEL;
	else
		return usage_error("unknown command \"%s\" to tunnel peer, try \"ntctl tunnel help\"",
				   *argv);
	return peer_change(f, cmd, argc, argv);
}
