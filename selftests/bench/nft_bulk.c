// SPDX-License-Identifier: GPL-2.0
/*
 * nft_bulk: load N matches "ip saddr PREFIX tcp dport PORT drop" into an
 * existing nftables chain through libnftnl, the way nft itself talks to the
 * kernel, instead of one `nft` process per rule. For bench-policy.
 *
 *   nft_bulk TABLE CHAIN < rules      (family ip; lines "ADDR LEN PORT")
 *	one rule per line, a thousand rules per batch (one sendmsg). The
 *	expressions are those nft generates for that rule: payload load of
 *	the source address, bitwise mask (prefixes), cmp, meta l4proto, cmp,
 *	payload load of the destination port, cmp, immediate drop.
 *
 *   nft_bulk -s TABLE CHAIN < rules
 *	the same matches as set elements, in one transaction: per prefix
 *	length L that occurs, a hash set "pL" of type ipv4_addr .
 *	inet_service holding "ADDR . PORT" and one rule
 *	"meta l4proto tcp ip saddr & MASK(L) . tcp dport @pL drop", so a
 *	packet costs one hash lookup per prefix length. (An interval set of
 *	prefix . port, the other way to write it, takes minutes to load at
 *	100k elements.)
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
#include <libnftnl/set.h>

#define PER_BATCH	1000
#define BUF_SIZE	(16 << 20)
#define MAX_LINES	1000000
/* nft's type numbers (datatype.h), concatenated in 6-bit fields */
#define TYPE_IPADDR	7
#define TYPE_INET_SERVICE 13

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
			uint32_t len, uint32_t dreg)
{
	struct nftnl_expr *e = expr("payload");

	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_BASE, base);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_OFFSET, off);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_LEN, len);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_DREG, dreg);
	nftnl_rule_add_expr(r, e);
}

/* @reg &= @mask (4 bytes, network order) */
static void add_mask(struct nftnl_rule *r, uint32_t reg, uint32_t mask)
{
	struct nftnl_expr *e = expr("bitwise");
	uint32_t zero = 0;

	nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_SREG, reg);
	nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_DREG, reg);
	nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_LEN, 4);
	nftnl_expr_set(e, NFTNL_EXPR_BITWISE_MASK, &mask, 4);
	nftnl_expr_set(e, NFTNL_EXPR_BITWISE_XOR, &zero, 4);
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

/* meta l4proto tcp */
static void add_l4_tcp(struct nftnl_rule *r)
{
	struct nftnl_expr *e = expr("meta");
	uint8_t tcp = IPPROTO_TCP;

	nftnl_expr_set_u32(e, NFTNL_EXPR_META_KEY, NFT_META_L4PROTO);
	nftnl_expr_set_u32(e, NFTNL_EXPR_META_DREG, NFT_REG_1);
	nftnl_rule_add_expr(r, e);
	add_cmp(r, &tcp, 1);
}

static void add_drop(struct nftnl_rule *r)
{
	struct nftnl_expr *e = expr("immediate");

	nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_DREG, NFT_REG_VERDICT);
	nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_VERDICT, NF_DROP);
	nftnl_rule_add_expr(r, e);
}

static struct nftnl_rule *new_rule(const char *table, const char *chain)
{
	struct nftnl_rule *r = nftnl_rule_alloc();

	if (!r) {
		perror("nftnl_rule_alloc");
		exit(1);
	}
	nftnl_rule_set_str(r, NFTNL_RULE_TABLE, table);
	nftnl_rule_set_str(r, NFTNL_RULE_CHAIN, chain);
	nftnl_rule_set_u32(r, NFTNL_RULE_FAMILY, NFPROTO_IPV4);
	return r;
}

static struct nftnl_rule *make_rule(const char *table, const char *chain,
				    struct in_addr a, unsigned int plen,
				    uint16_t port)
{
	struct nftnl_rule *r = new_rule(table, chain);
	uint32_t mask = plen ? htonl(~0U << (32 - plen)) : 0;
	uint16_t p = htons(port);

	add_payload(r, NFT_PAYLOAD_NETWORK_HEADER, 12, 4, NFT_REG_1);
	if (plen < 32) {
		add_mask(r, NFT_REG_1, mask);
		a.s_addr &= mask;
	}
	add_cmp(r, &a.s_addr, 4);
	add_l4_tcp(r);
	add_payload(r, NFT_PAYLOAD_TRANSPORT_HEADER, 2, 2, NFT_REG_1);
	add_cmp(r, &p, 2);
	add_drop(r);
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

static void die(const char *what)
{
	perror(what);
	exit(1);
}

/* Give the batch's current slot to the caller, or fail if it is full. */
static void next(struct mnl_nlmsg_batch *b)
{
	if (!mnl_nlmsg_batch_next(b)) {
		fprintf(stderr, "nft_bulk: batch buffer full\n");
		exit(1);
	}
}

struct match {
	uint32_t addr;		/* network order, masked */
	uint16_t port;		/* network order */
	uint8_t plen;
};

static struct nftnl_set *set_of(const char *table, unsigned int plen)
{
	struct nftnl_set *s = nftnl_set_alloc();
	char name[8];

	if (!s)
		die("nftnl_set_alloc");
	snprintf(name, sizeof(name), "p%u", plen);
	nftnl_set_set_str(s, NFTNL_SET_TABLE, table);
	nftnl_set_set_str(s, NFTNL_SET_NAME, name);
	nftnl_set_set_u32(s, NFTNL_SET_FAMILY, NFPROTO_IPV4);
	return s;
}

/* "meta l4proto tcp ip saddr & MASK . tcp dport @pPLEN drop" */
static struct nftnl_rule *set_rule(const char *table, const char *chain,
				   unsigned int plen)
{
	struct nftnl_rule *r = new_rule(table, chain);
	struct nftnl_expr *e;
	char name[8];

	snprintf(name, sizeof(name), "p%u", plen);
	add_l4_tcp(r);
	add_payload(r, NFT_PAYLOAD_NETWORK_HEADER, 12, 4, NFT_REG32_00);
	if (plen < 32)
		add_mask(r, NFT_REG32_00, plen ? htonl(~0U << (32 - plen)) : 0);
	/* the port is zero-padded to its 32-bit register, as in the key */
	add_payload(r, NFT_PAYLOAD_TRANSPORT_HEADER, 2, 2, NFT_REG32_01);
	e = expr("lookup");
	nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_SREG, NFT_REG32_00);
	nftnl_expr_set_str(e, NFTNL_EXPR_LOOKUP_SET, name);
	nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_SET_ID, plen + 1);
	nftnl_rule_add_expr(r, e);
	add_drop(r);
	return r;
}

/*
 * One transaction: the sets, their rules, then the elements a thousand per
 * NEWSETELEM message. Returns the number of requests that want an ack.
 */
static unsigned int build_sets(struct mnl_nlmsg_batch *b, uint32_t *seq,
			       const char *table, const char *chain,
			       const struct match *m, unsigned int n)
{
	unsigned int count[33] = { 0 }, acks = 0, plen, i;
	struct nlmsghdr *nlh;

	for (i = 0; i < n; i++)
		count[m[i].plen]++;
	for (plen = 0; plen <= 32; plen++) {
		struct nftnl_set *s;
		struct nftnl_rule *r;

		if (!count[plen])
			continue;
		s = set_of(table, plen);
		nftnl_set_set_u32(s, NFTNL_SET_KEY_LEN, 8);
		nftnl_set_set_u32(s, NFTNL_SET_KEY_TYPE,
				  TYPE_IPADDR << 6 | TYPE_INET_SERVICE);
		nftnl_set_set_u32(s, NFTNL_SET_ID, plen + 1);
		nftnl_set_set_u32(s, NFTNL_SET_DESC_SIZE, count[plen]);
		nlh = nftnl_nlmsg_build_hdr(mnl_nlmsg_batch_current(b),
					    NFT_MSG_NEWSET, NFPROTO_IPV4,
					    NLM_F_CREATE | NLM_F_ACK, (*seq)++);
		nftnl_set_nlmsg_build_payload(nlh, s);
		nftnl_set_free(s);
		next(b);
		r = set_rule(table, chain, plen);
		nlh = nftnl_rule_nlmsg_build_hdr(mnl_nlmsg_batch_current(b),
						 NFT_MSG_NEWRULE, NFPROTO_IPV4,
						 NLM_F_APPEND | NLM_F_CREATE |
						 NLM_F_ACK, (*seq)++);
		nftnl_rule_nlmsg_build_payload(nlh, r);
		nftnl_rule_free(r);
		next(b);
		acks += 2;
		for (i = 0; i < n;) {
			unsigned int k = 0;

			s = set_of(table, plen);
			for (; i < n && k < PER_BATCH; i++) {
				struct nftnl_set_elem *e;
				uint8_t key[8] = { 0 };

				if (m[i].plen != plen)
					continue;
				e = nftnl_set_elem_alloc();
				if (!e)
					die("nftnl_set_elem_alloc");
				memcpy(key, &m[i].addr, 4);
				memcpy(key + 4, &m[i].port, 2);
				nftnl_set_elem_set(e, NFTNL_SET_ELEM_KEY, key,
						   sizeof(key));
				nftnl_set_elem_add(s, e);
				k++;
			}
			if (k) {
				/* duplicates are fine: no NLM_F_EXCL */
				nlh = nftnl_nlmsg_build_hdr(mnl_nlmsg_batch_current(b),
							    NFT_MSG_NEWSETELEM,
							    NFPROTO_IPV4,
							    NLM_F_CREATE | NLM_F_ACK,
							    (*seq)++);
				nftnl_set_elems_nlmsg_build_payload(nlh, s);
				next(b);
				acks++;
			}
			nftnl_set_free(s);
		}
	}
	return acks;
}

static void load_sets(struct mnl_socket *nl, struct mnl_nlmsg_batch *b,
		      char *rx, uint32_t seq, const char *table,
		      const char *chain, unsigned int *total)
{
	struct match *m = calloc(MAX_LINES, sizeof(*m));
	unsigned int n = 0, plen, port, acks;
	char line[128], addr[64];
	struct in_addr a;
	int err;

	if (!m)
		die("calloc");
	while (fgets(line, sizeof(line), stdin)) {
		if (n == MAX_LINES ||
		    sscanf(line, "%63s %u %u", addr, &plen, &port) != 3 ||
		    inet_pton(AF_INET, addr, &a) != 1 || plen > 32 ||
		    port > 65535) {
			fprintf(stderr, "nft_bulk: bad line: %s", line);
			exit(2);
		}
		m[n].addr = a.s_addr & (plen ? htonl(~0U << (32 - plen)) : 0);
		m[n].port = htons(port);
		m[n].plen = plen;
		n++;
	}
	nftnl_batch_begin(mnl_nlmsg_batch_current(b), seq++);
	next(b);
	acks = build_sets(b, &seq, table, chain, m, n);
	nftnl_batch_end(mnl_nlmsg_batch_current(b), seq++);
	next(b);
	if (mnl_socket_sendto(nl, mnl_nlmsg_batch_head(b),
			      mnl_nlmsg_batch_size(b)) < 0)
		die("sendto");
	err = read_acks(nl, rx, acks);
	if (err) {
		fprintf(stderr, "nft_bulk: refused: %s\n", strerror(-err));
		exit(1);
	}
	free(m);
	*total = n;
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
	bool sets = argc == 4 && !strcmp(argv[1], "-s");
	int err;

	if (sets) {
		argv++;
		argc--;
	}
	if (argc != 3 || !buf || !rx) {
		fprintf(stderr, "usage: nft_bulk [-s] TABLE CHAIN < \"ADDR LEN PORT\" lines\n");
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
	if (sets) {
		load_sets(nl, b, rx, seq, argv[1], argv[2], &total);
		goto done;
	}
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
done:
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("%u %s in %.3f s\n", total, sets ? "set elements" : "rules",
	       (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	mnl_nlmsg_batch_stop(b);
	mnl_socket_close(nl);
	return 0;
}
