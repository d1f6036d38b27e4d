// SPDX-License-Identifier: GPL-2.0
/*
 * nft_bulk: load N rules "ip saddr PREFIX tcp dport PORT drop" into an
 * existing nftables chain through libnftnl, a thousand rules per batch
 * (one sendmsg), the way nft itself talks to the kernel, instead of one
 * `nft` process per rule. For bench-policy's linear-chain case.
 *
 *   nft_bulk TABLE CHAIN < rules      (family ip; lines "ADDR LEN PORT")
 *
 * The expressions are those nft generates for that rule: payload load of
 * the source address, bitwise mask (prefixes), cmp, meta l4proto, cmp,
 * payload load of the destination port, cmp, immediate drop.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <netinet/in.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <libmnl/libmnl.h>
#include <libnftnl/common.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>

#define PER_BATCH	1000
#define BUF_SIZE	(8 << 20)

static struct nftnl_expr *expr(const char *name)
{
	struct nftnl_expr *e = nftnl_expr_alloc(name);

	if (!e) {
		perror("nftnl_expr_alloc");
		exit(1);
	}
	return e;
}

static void add_payload(struct nftnl_rule *r, uint32_t base, uint32_t off,
			uint32_t len)
{
	struct nftnl_expr *e = expr("payload");

	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_BASE, base);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_OFFSET, off);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_LEN, len);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_DREG, NFT_REG_1);
	nftnl_rule_add_expr(r, e);
}

static void add_cmp(struct nftnl_rule *r, const void *data, uint32_t len)
{
	struct nftnl_expr *e = expr("cmp");

	nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_SREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_OP, NFT_CMP_EQ);
	nftnl_expr_set(e, NFTNL_EXPR_CMP_DATA, data, len);
	nftnl_rule_add_expr(r, e);
}

static struct nftnl_rule *make_rule(const char *table, const char *chain,
				    struct in_addr a, unsigned int plen,
				    uint16_t port)
{
	struct nftnl_rule *r = nftnl_rule_alloc();
	uint32_t mask = plen ? htonl(~0U << (32 - plen)) : 0, zero = 0;
	uint16_t p = htons(port);
	uint8_t tcp = IPPROTO_TCP;
	struct nftnl_expr *e;

	nftnl_rule_set_str(r, NFTNL_RULE_TABLE, table);
	nftnl_rule_set_str(r, NFTNL_RULE_CHAIN, chain);
	nftnl_rule_set_u32(r, NFTNL_RULE_FAMILY, NFPROTO_IPV4);
	add_payload(r, NFT_PAYLOAD_NETWORK_HEADER, 12, 4);
	if (plen < 32) {
		e = expr("bitwise");
		nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_SREG, NFT_REG_1);
		nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_DREG, NFT_REG_1);
		nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_LEN, 4);
		nftnl_expr_set(e, NFTNL_EXPR_BITWISE_MASK, &mask, 4);
		nftnl_expr_set(e, NFTNL_EXPR_BITWISE_XOR, &zero, 4);
		nftnl_rule_add_expr(r, e);
		a.s_addr &= mask;
	}
	add_cmp(r, &a.s_addr, 4);
	e = expr("meta");
	nftnl_expr_set_u32(e, NFTNL_EXPR_META_KEY, NFT_META_L4PROTO);
	nftnl_expr_set_u32(e, NFTNL_EXPR_META_DREG, NFT_REG_1);
	nftnl_rule_add_expr(r, e);
	add_cmp(r, &tcp, 1);
	add_payload(r, NFT_PAYLOAD_TRANSPORT_HEADER, 2, 2);
	add_cmp(r, &p, 2);
	e = expr("immediate");
	nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_DREG, NFT_REG_VERDICT);
	nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_VERDICT, NF_DROP);
	nftnl_rule_add_expr(r, e);
	return r;
}

/* Read the acks of @n requests; returns the first error or 0. */
static int read_acks(struct mnl_socket *nl, char *buf, unsigned int n)
{
	unsigned int got = 0;
	int err = 0;

	while (got < n) {
		ssize_t len = mnl_socket_recvfrom(nl, buf, BUF_SIZE);
		const struct nlmsghdr *h;
		int rem;

		if (len < 0)
			return -errno;
		rem = len;
		for (h = (const struct nlmsghdr *)buf; mnl_nlmsg_ok(h, rem);
		     h = mnl_nlmsg_next(h, &rem)) {
			if (h->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = mnl_nlmsg_get_payload(h);

				if (e->error && !err)
					err = e->error;
				got++;
			}
		}
	}
	return err;
}

int main(int argc, char **argv)
{
	char *buf = malloc(BUF_SIZE), *rx = malloc(BUF_SIZE), line[128];
	unsigned int total = 0, in_batch = 0, one = 1;
	int size = BUF_SIZE;
	struct mnl_nlmsg_batch *b;
	struct mnl_socket *nl;
	struct timespec t0, t1;
	uint32_t seq = time(NULL);
	int err;

	if (argc != 3 || !buf || !rx) {
		fprintf(stderr, "usage: nft_bulk TABLE CHAIN < \"ADDR LEN PORT\" lines\n");
		return 2;
	}
	nl = mnl_socket_open(NETLINK_NETFILTER);
	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		perror("netlink");
		return 1;
	}
	setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_SNDBUFFORCE, &size,
		   sizeof(size));
	setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_RCVBUFFORCE, &size,
		   sizeof(size));
	mnl_socket_setsockopt(nl, NETLINK_CAP_ACK, &one, sizeof(one));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	b = mnl_nlmsg_batch_start(buf, BUF_SIZE);
	nftnl_batch_begin(mnl_nlmsg_batch_current(b), seq++);
	mnl_nlmsg_batch_next(b);
	for (;;) {
		bool eof = !fgets(line, sizeof(line), stdin);
		char addr[64];
		unsigned int plen, port;
		struct in_addr a;

		if (!eof) {
			struct nftnl_rule *r;
			struct nlmsghdr *nlh;

			if (sscanf(line, "%63s %u %u", addr, &plen, &port) != 3 ||
			    inet_pton(AF_INET, addr, &a) != 1 || plen > 32 ||
			    port > 65535) {
				fprintf(stderr, "nft_bulk: bad line: %s", line);
				return 2;
			}
			r = make_rule(argv[1], argv[2], a, plen, port);
			nlh = nftnl_rule_nlmsg_build_hdr(mnl_nlmsg_batch_current(b),
							 NFT_MSG_NEWRULE, NFPROTO_IPV4,
							 NLM_F_APPEND | NLM_F_CREATE |
							 NLM_F_ACK, seq++);
			nftnl_rule_nlmsg_build_payload(nlh, r);
			nftnl_rule_free(r);
			mnl_nlmsg_batch_next(b);
			in_batch++;
			total++;
		}
		if (in_batch == PER_BATCH || (eof && in_batch)) {
			nftnl_batch_end(mnl_nlmsg_batch_current(b), seq++);
			mnl_nlmsg_batch_next(b);
			if (mnl_socket_sendto(nl, mnl_nlmsg_batch_head(b),
					      mnl_nlmsg_batch_size(b)) < 0) {
				perror("sendto");
				return 1;
			}
			err = read_acks(nl, rx, in_batch);
			if (err) {
				fprintf(stderr, "nft_bulk: rule refused: %s\n",
					strerror(-err));
				return 1;
			}
			mnl_nlmsg_batch_reset(b);
			nftnl_batch_begin(mnl_nlmsg_batch_current(b), seq++);
			mnl_nlmsg_batch_next(b);
			in_batch = 0;
		}
		if (eof)
			break;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("%u rules in %.3f s\n", total, (t1.tv_sec - t0.tv_sec) +
	       (t1.tv_nsec - t0.tv_nsec) / 1e9);
	mnl_nlmsg_batch_stop(b);
	mnl_socket_close(nl);
	return 0;
}
