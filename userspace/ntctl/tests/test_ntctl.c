// SPDX-License-Identifier: GPL-2.0
/*
 * Host-side unit tests of ntctl's parsers, JSON printer and netlink error
 * formatting. TAP output; exit status 1 if any case failed.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netlink.h>

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>

#include "ntctl.h"
#include "parse.h"
#include "json.h"
#include "nl.h"
#include "fake_kernel.h"

static int tests, failed;

#define CHECK(cond, ...) check(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

static void check(int ok, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void check(int ok, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	tests++;
	printf("%s %d - ", ok ? "ok" : "not ok", tests);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!ok) {
		failed++;
		printf("#   failed at %s:%d\n", file, line);
	}
}

static void test_is_abbrev(void)
{
	CHECK(is_abbrev("st", "status"), "is_abbrev: prefix");
	CHECK(is_abbrev("status", "status"), "is_abbrev: whole word");
	CHECK(!is_abbrev("", "status"), "is_abbrev: empty never matches");
	CHECK(!is_abbrev("statusx", "status"), "is_abbrev: longer is no match");
	CHECK(!is_abbrev("sx", "status"), "is_abbrev: a differing letter is no match");
	CHECK(!is_abbrev("sx", "status"), "is_abbrev: other letters");
}

static void prefix_ok(const char *s, int family, unsigned int len,
		      const char *canon)
{
	struct nt_addr_prefix p;
	char err[200], buf[64];
	int r = parse_prefix(s, &p, err, sizeof(err));

	CHECK(r == 0 && p.family == family && p.len == len &&
	      !strcmp(format_prefix(&p, buf, sizeof(buf)), canon),
	      "prefix %s -> %s", s, r ? err : buf);
}

static void prefix_bad(const char *s, const char *needle)
{
	struct nt_addr_prefix p;
	char err[200] = "";

	CHECK(parse_prefix(s, &p, err, sizeof(err)) == -1 &&
	      strstr(err, needle), "prefix \"%s\" refused: %s", s, err);
}

static void test_prefix(void)
{
	prefix_ok("192.0.2.0/24", AF_INET, 24, "192.0.2.0/24");
	prefix_ok("192.0.2.1", AF_INET, 32, "192.0.2.1/32");
	prefix_ok("0.0.0.0/0", AF_INET, 0, "0.0.0.0/0");
	prefix_ok("10.0.0.0/024", AF_INET, 24, "10.0.0.0/24");
	prefix_ok("2001:db8::/32", AF_INET6, 32, "2001:db8::/32");
	prefix_ok("::/0", AF_INET6, 0, "::/0");
	prefix_ok("2001:db8::1", AF_INET6, 128, "2001:db8::1/128");
	prefix_ok("::ffff:192.0.2.1/128", AF_INET6, 128,
		  "::ffff:192.0.2.1/128");
	prefix_bad("192.0.2.0/33", "0 to 32");
	prefix_bad("2001:db8::/129", "0 to 128");
	prefix_bad("10.1.2.3/8", "bits set past /8");
	prefix_bad("192.0.2.0/", "0 to 32");
	prefix_bad("192.0.2.0/-1", "0 to 32");
	prefix_bad("192.0.2/24", "not a prefix");
	prefix_bad("", "not a prefix");
	prefix_bad("example.com/24", "not a prefix");
	prefix_bad("1.2.3.4/24 ", "0 to 32");
	prefix_bad("::1::2/64", "not a prefix");
}

static void port_case(const char *s, int ok, unsigned int lo, unsigned int hi)
{
	uint16_t a = 0, b = 0;
	char err[200] = "";
	int r = parse_port_range(s, &a, &b, err, sizeof(err));

	if (ok)
		CHECK(r == 0 && a == lo && b == hi, "port \"%s\" -> %u-%u", s,
		      a, b);
	else
		CHECK(r == -1 && strstr(err, "0-65535"),
		      "port \"%s\" refused: %s", s, err);
}

static void test_ports(void)
{
	port_case("22", 1, 22, 22);
	port_case("0", 1, 0, 0);
	port_case("65535", 1, 65535, 65535);
	port_case("1024-65535", 1, 1024, 65535);
	port_case("80-80", 1, 80, 80);
	port_case("65536", 0, 0, 0);
	port_case("20-10", 0, 0, 0);
	port_case("-5", 0, 0, 0);
	port_case("5-", 0, 0, 0);
	port_case("", 0, 0, 0);
	port_case("ssh", 0, 0, 0);
	port_case("1-2-3", 0, 0, 0);
}

static void rate_case(const char *s, int ok, uint64_t want,
		      enum rate_unit unit)
{
	enum rate_unit u = RATE_BYTES;
	char err[200] = "";
	uint64_t v = 0;
	int r = parse_rate(s, &v, &u, err, sizeof(err));

	if (ok)
		CHECK(r == 0 && v == want && u == unit,
		      "rate \"%s\" -> %" PRIu64 " %s", s, v,
		      u == RATE_PACKETS ? "pps" : "B/s");
	else
		CHECK(r == -1 && err[0], "rate \"%s\" refused: %s", s, err);
}

static void flags_case(const char *s, int ok, unsigned int f, int has_m,
		       unsigned int m)
{
	uint8_t a = 0, b = 0;
	bool hm = false;
	char err[200] = "", buf[64];
	int r = parse_tcp_flags(s, &a, &b, &hm, err, sizeof(err));

	if (ok)
		CHECK(r == 0 && a == f && hm == has_m && (!hm || b == m),
		      "tcp-flags \"%s\" -> 0x%x/0x%x (%d)", s, a, b, hm);
	else
		CHECK(r == -1 && strstr(err, "fin|syn"),
		      "tcp-flags \"%s\" refused: %s", s, err);
	if (ok && !has_m) {
		format_tcp_flags(a, buf, sizeof(buf));
		CHECK(!strcmp(buf, s), "tcp-flags 0x%x formats as \"%s\"", a,
		      buf);
	}
}

static void test_tcp_flags(void)
{
	char small[6];

	flags_case("syn", 1, 0x02, 0, 0);
	flags_case("syn,ack", 1, 0x12, 0, 0);
	flags_case("fin,syn,rst,psh,ack,urg,ece,cwr", 1, 0xff, 0, 0);
	flags_case("syn/syn,ack,rst", 1, 0x02, 1, 0x16);
	flags_case("/rst", 1, 0x00, 1, 0x04);	/* RST not set, as shown */
	flags_case("/", 0, 0, 0, 0);
	flags_case("", 0, 0, 0, 0);
	flags_case("syn,", 0, 0, 0, 0);
	flags_case(",syn", 0, 0, 0, 0);
	flags_case("syn,,ack", 0, 0, 0, 0);
	flags_case("syn/", 0, 0, 0, 0);
	flags_case("syn//ack", 0, 0, 0, 0);
	flags_case("synack", 0, 0, 0, 0);
	flags_case("SYN", 0, 0, 0, 0);
	/* a short buffer holds whole names only */
	format_tcp_flags(0x12, small, sizeof(small));
	CHECK(!strcmp(small, "syn"), "tcp-flags in 6 bytes: \"%s\"", small);
	format_tcp_flags(0, small, sizeof(small));
	CHECK(!strcmp(small, ""), "no tcp-flags: \"%s\"", small);
}

static void endpoint_case(const char *s, socklen_t want)
{
	struct sockaddr_storage ss;
	socklen_t n = parse_endpoint(s, &ss);
	char buf[80];

	CHECK(n == want, "endpoint \"%s\": length %u", s, (unsigned int)n);
	if (n && want) {
		format_endpoint(&ss, n, buf, sizeof(buf));
		CHECK(!strcmp(buf, s), "endpoint \"%s\" formats as \"%s\"", s,
		      buf);
	}
}

static void test_endpoints(void)
{
	char buf[80];
	struct sockaddr sa = { .sa_family = AF_UNIX };

	endpoint_case("192.0.2.1:5000", sizeof(struct sockaddr_in));
	endpoint_case("192.0.2.1:0", sizeof(struct sockaddr_in));
	endpoint_case("[fd00::1]:65535", sizeof(struct sockaddr_in6));
	endpoint_case("192.0.2.1:65536", 0);
	endpoint_case("192.0.2.1", 0);
	endpoint_case("192.0.2.1:", 0);
	endpoint_case(":5000", 0);
	endpoint_case("fd00::1:5000", 0);	/* IPv6 needs [] */
	endpoint_case("[192.0.2.1]:5000", 0);
	endpoint_case("[fd00::1]5000", 0);
	endpoint_case("[fd00::1", 0);
	endpoint_case("example.com:53", 0);
	endpoint_case("", 0);
	format_endpoint(&sa, sizeof(sa), buf, sizeof(buf));
	CHECK(!strcmp(buf, "?"), "a sockaddr of another family: \"%s\"", buf);
}

static void test_rates(void)
{
	char buf[32];

	rate_case("10mbit", 1, 1250000, RATE_BYTES);
	rate_case("1gbit", 1, 125000000, RATE_BYTES);
	rate_case("400gbit", 1, 50000000000ULL, RATE_BYTES);
	rate_case("1.5mbit", 1, 187500, RATE_BYTES);
	rate_case("8000", 1, 1000, RATE_BYTES);
	rate_case("125kbps", 1, 125000, RATE_BYTES);
	rate_case("1kpps", 1, 1000, RATE_PACKETS);
	rate_case("10pps", 1, 10, RATE_PACKETS);
	rate_case("1KPPS", 1, 1000, RATE_PACKETS);
	rate_case("10xbit", 0, 0, 0);
	rate_case("mbit", 0, 0, 0);
	rate_case("-1mbit", 0, 0, 0);
	rate_case("", 0, 0, 0);
	rate_case("1e30tbit", 0, 0, 0);
	rate_case("1bit", 0, 0, 0);
	CHECK(!strcmp(format_rate(1250000, RATE_BYTES, buf, sizeof(buf)),
		      "10mbit"), "format_rate 10mbit: %s", buf);
	CHECK(!strcmp(format_rate(1000, RATE_PACKETS, buf, sizeof(buf)),
		      "1kpps"), "format_rate 1kpps: %s", buf);
	CHECK(!strcmp(format_rate(1001, RATE_BYTES, buf, sizeof(buf)),
		      "8008bit"), "format_rate 8008bit: %s", buf);
}

static void size_case(const char *s, int ok, uint64_t want)
{
	char err[200] = "";
	uint64_t v = 0;
	int r = parse_size(s, &v, err, sizeof(err));

	if (ok)
		CHECK(r == 0 && v == want, "size \"%s\" -> %" PRIu64, s, v);
	else
		CHECK(r == -1 && err[0], "size \"%s\" refused: %s", s, err);
}

static void test_sizes(void)
{
	size_case("1500b", 1, 1500);
	size_case("1500", 1, 1500);
	size_case("64k", 1, 65536);
	size_case("64kb", 1, 65536);
	size_case("1m", 1, 1048576);
	size_case("1mbit", 1, 131072);
	size_case("1.5.5k", 0, 0);
	size_case("k", 0, 0);
	size_case("10 b", 0, 0);
}

static void duration_case(const char *s, int ok, uint64_t want)
{
	char err[200] = "";
	uint64_t v = 0;
	int r = parse_duration(s, &v, err, sizeof(err));

	if (ok)
		CHECK(r == 0 && v == want, "duration \"%s\" -> %" PRIu64 " ns",
		      s, v);
	else
		CHECK(r == -1 && err[0], "duration \"%s\" refused: %s", s,
		      err);
}

static void test_durations(void)
{
	char buf[32];

	duration_case("10ms", 1, 10000000ULL);
	duration_case("1s", 1, 1000000000ULL);
	duration_case("5", 1, 5000000000ULL);
	duration_case("500us", 1, 500000ULL);
	duration_case("100ns", 1, 100ULL);
	duration_case("2m", 1, 120000000000ULL);
	duration_case("1h", 1, 3600000000000ULL);
	duration_case("0.5s", 1, 500000000ULL);
	duration_case("10xs", 0, 0);
	duration_case("0.1ns", 0, 0);
	duration_case("ms", 0, 0);
	CHECK(!strcmp(format_duration(10000000, buf, sizeof(buf)), "10ms"),
	      "format_duration 10ms: %s", buf);
	CHECK(!strcmp(format_duration(1500, buf, sizeof(buf)), "1500ns"),
	      "format_duration 1500ns: %s", buf);
}

static void test_u32(void)
{
	char err[200];
	uint32_t v;

	CHECK(!parse_u32("42", 0, 100, &v, err, sizeof(err)) && v == 42,
	      "u32 42");
	CHECK(!parse_u32("0x2a", 0, 100, &v, err, sizeof(err)) && v == 42,
	      "u32 0x2a");
	CHECK(parse_u32("101", 0, 100, &v, err, sizeof(err)) &&
	      strstr(err, "from 0 to 100"), "u32 over max: %s", err);
	CHECK(parse_u32("4294967296", 0, UINT32_MAX, &v, err, sizeof(err)),
	      "u32 past 2^32 refused");
	CHECK(parse_u32("0x", 0, 100, &v, err, sizeof(err)), "u32 0x refused");
	CHECK(parse_u32("+1", 0, 100, &v, err, sizeof(err)), "u32 +1 refused");
	CHECK(!parse_u32("024", 0, 100, &v, err, sizeof(err)) && v == 24,
	      "u32 024 is decimal");
	CHECK(parse_u32("12a", 0, 1000, &v, err, sizeof(err)),
	      "u32 12a refused");
	CHECK(parse_u32("1x2", 0, 1000, &v, err, sizeof(err)),
	      "u32 1x2 refused");
	CHECK(parse_u32("", 0, 100, &v, err, sizeof(err)), "u32 empty refused");
	{
		uint64_t x;

		CHECK(!parse_u64("18446744073709551615", &x, err, sizeof(err)) &&
		      x == UINT64_MAX, "u64 2^64-1");
		CHECK(parse_u64("18446744073709551616", &x, err, sizeof(err)),
		      "u64 2^64 refused");
		CHECK(parse_u64("99999999999999999999", &x, err, sizeof(err)),
		      "u64 20 nines refused");
		CHECK(!parse_u64("0xffffffffffffffff", &x, err, sizeof(err)) &&
		      x == UINT64_MAX, "u64 hex 2^64-1");
	}
}

static void test_split(void)
{
	char line[] = "policy add 'a b' \"c\\\"d\" e\\ f # comment";
	char open_quote[] = "x \"y";
	char *argv[8];
	int n = split_words(line, argv, 8);

	CHECK(n == 5 && !strcmp(argv[2], "a b") && !strcmp(argv[3], "c\"d") &&
	      !strcmp(argv[4], "e f"), "split_words quotes and escapes (%d)",
	      n);
	{
		char mixed[] = "\tab\"c d\"e\tx'y'z\r\n";

		n = split_words(mixed, argv, 8);
		CHECK(n == 2 && !strcmp(argv[0], "abc de") &&
		      !strcmp(argv[1], "xyz"),
		      "split_words joins quoted parts of a word (%d)", n);
	}
	{
		char later[] = "plain wo\\rd 'q' x\"y z\" end";

		n = split_words(later, argv, 8);
		CHECK(n == 5 && !strcmp(argv[0], "plain") &&
		      !strcmp(argv[1], "word") && !strcmp(argv[2], "q") &&
		      !strcmp(argv[3], "xy z") && !strcmp(argv[4], "end"),
		      "split_words moves words after an escape (%d)", n);
	}
	CHECK(split_words(open_quote, argv, 8) == -2,
	      "split_words open quote refused");
	{
		char many[] = "a b c d e f g h i";

		CHECK(split_words(many, argv, 8) == -1,
		      "split_words too many words refused");
	}
}

static char *capture(void (*fn)(void), bool json, bool pretty)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	jp_init(f, json, pretty);
	fn();
	jp_finish();
	fclose(f);
	return buf;
}

static void json_doc(void)
{
	jp_open_array(NULL);
	jp_open_object(NULL);
	jp_string("name", "name %s", "a\"b\\c\n");
	jp_uint("n", " n %" PRIu64, 18446744073709551615ULL);
	jp_int("i", " i %" PRId64, -5);
	jp_bool("on", " on %s", true);
	jp_null("x", NULL);
	jp_open_array("list");
	jp_string(NULL, " %s", "p");
	jp_string(NULL, " %s", "q");
	jp_close_array();
	jp_open_array("empty");
	jp_close_array();
	jp_text("\n");
	jp_close_object();
	jp_close_array();
}

static void json_unbalanced(void)
{
	jp_open_array(NULL);
}

static void test_json(void)
{
	char *s;

	s = capture(json_doc, true, false);
	CHECK(!strcmp(s, "[{\"name\":\"a\\\"b\\\\c\\n\",\"n\":18446744073709551615,"
		      "\"i\":-5,\"on\":true,\"x\":null,\"list\":[\"p\",\"q\"],"
		      "\"empty\":[]}]\n"), "json compact: %s", s);
	free(s);
	s = capture(json_doc, true, true);
	CHECK(strstr(s, "[\n    {\n        \"name\": \"a\\\"b") != NULL &&
	      strstr(s, "\"empty\": []") != NULL, "json pretty");
	free(s);
	s = capture(json_doc, false, false);
	CHECK(!strcmp(s, "name a\"b\\c\n n 18446744073709551615 i -5 on yes p q\n"),
	      "text mode");
	free(s);
	{
		char *buf = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&buf, &len);

		jp_init(f, true, false);
		json_unbalanced();
		CHECK(jp_finish() == -1, "json unbalanced nesting detected");
		fclose(f);
		free(buf);
	}
}

/* A request: TOP_A u32, TOP_B nest { 1: u32, 2: u32 }, 9: u8. */
static const struct nl_attr_desc nested_names[] = {
	[1] = { "X" },
	[2] = { "Y" },
};
static const struct nl_attr_desc top_names[] = {
	[1] = { "A" },
	[2] = { "B", nested_names, 3 },
};

/* Start an extack error reply to @req with @error in @buf. */
static struct nlmsghdr *error_reply(char *buf, size_t len, int error,
				    const struct nlmsghdr *req)
{
	struct nlmsghdr *nlh;
	struct nlmsgerr *e;

	memset(buf, 0, len);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_flags = NLM_F_CAPPED | NLM_F_ACK_TLVS;
	e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e));
	e->error = error;
	e->msg = *req;
	return nlh;
}

static void test_attr_path(void)
{
	char buf[512], path[64], out[256];
	struct nlmsghdr *req, *err;
	struct nlattr *nest, *y, *unk;
	struct nl_req r;
	uint32_t off;

	memset(buf, 0, sizeof(buf));
	req = nl_req_init(&r, buf, sizeof(buf), 0x20, 1, 1, 0);
	mnl_attr_put_u32(req, 1, 7);
	nest = mnl_attr_nest_start(req, 2);
	mnl_attr_put_u32(req, 1, 8);
	y = mnl_nlmsg_get_payload_tail(req);
	mnl_attr_put_u32(req, 2, 9);
	mnl_attr_nest_end(req, nest);
	unk = mnl_nlmsg_get_payload_tail(req);
	mnl_attr_put_u8(req, 9, 1);

	off = (char *)y - (char *)req;
	CHECK(!nl_attr_path(req, off, top_names, 3, path, sizeof(path)) &&
	      !strcmp(path, "B.Y"), "attr path nested: %s", path);
	off = (char *)nest - (char *)req;
	CHECK(!nl_attr_path(req, off, top_names, 3, path, sizeof(path)) &&
	      !strcmp(path, "B"), "attr path top: %s", path);
	off = (char *)unk - (char *)req;
	CHECK(!nl_attr_path(req, off, top_names, 3, path, sizeof(path)) &&
	      !strcmp(path, "9"), "attr path unknown type: %s", path);
	CHECK(nl_attr_path(req, req->nlmsg_len + 4, top_names, 3, path,
			   sizeof(path)) == -1, "attr path past the end");

	/* An extack reply naming B.Y with its policy range. */
	{
		char ebuf[512];
		struct nlattr *pol;

		err = error_reply(ebuf, sizeof(ebuf), -34, req);
		mnl_attr_put_strz(err, NLMSGERR_ATTR_MSG, "gain out of range");
		mnl_attr_put_u32(err, NLMSGERR_ATTR_OFFS,
				 (char *)y - (char *)req);
		pol = mnl_attr_nest_start(err, NLMSGERR_ATTR_POLICY);
		mnl_attr_put_u64(err, NL_POLICY_TYPE_ATTR_MIN_VALUE_U, 1);
		mnl_attr_put_u64(err, NL_POLICY_TYPE_ATTR_MAX_VALUE_U, 100);
		mnl_attr_nest_end(err, pol);
		nl_format_error(err, req, top_names, 3, out, sizeof(out));
		CHECK(!strcmp(out,
			      "gain out of range (attribute B.Y, allowed 1..100)"),
		      "extack formatted: %s", out);

		/* No message: the errno's text, still with the attribute. */
		err = error_reply(ebuf, sizeof(ebuf), -22, req);
		mnl_attr_put_u32(err, NLMSGERR_ATTR_MISS_TYPE, 1);
		nl_format_error(err, req, top_names, 3, out, sizeof(out));
		CHECK(!strcmp(out, "Invalid argument (missing attribute A)"),
		      "extack missing attribute: %s", out);

		/* Missing from a nest: named in the nest's own names. */
		err = error_reply(ebuf, sizeof(ebuf), -22, req);
		mnl_attr_put_strz(err, NLMSGERR_ATTR_MSG, "Y is required");
		mnl_attr_put_u32(err, NLMSGERR_ATTR_MISS_TYPE, 2);
		mnl_attr_put_u32(err, NLMSGERR_ATTR_MISS_NEST,
				 (char *)nest - (char *)req);
		nl_format_error(err, req, top_names, 3, out, sizeof(out));
		CHECK(!strcmp(out, "Y is required (missing attribute B.Y)"),
		      "extack missing nested attribute: %s", out);

		/* ... a nest past the request: said, not guessed */
		err = error_reply(ebuf, sizeof(ebuf), -22, req);
		mnl_attr_put_u32(err, NLMSGERR_ATTR_MISS_TYPE, 2);
		mnl_attr_put_u32(err, NLMSGERR_ATTR_MISS_NEST, 9999);
		nl_format_error(err, req, top_names, 3, out, sizeof(out));
		CHECK(!strcmp(out, "Invalid argument (missing attribute ?.2)"),
		      "extack missing attribute of an unknown nest: %s", out);
	}
}

/* The inline writers lay attributes out exactly as libmnl does. */
static void test_nl_put(void)
{
	static char a[512], b[512];
	struct nlmsghdr *x, *y;
	struct nlattr *ny;
	struct nl_req rx = { .size = sizeof(a) };
	const uint8_t addr[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };

	memset(a, 0x5a, sizeof(a));	/* padding must not keep old bytes */
	memset(b, 0, sizeof(b));
	x = mnl_nlmsg_put_header(a);
	rx.nlh = x;
	y = mnl_nlmsg_put_header(b);
	nl_nest_start(&rx, 3);
	ny = mnl_attr_nest_start(y, 3);
	nl_put_u8(&rx, 1, 0xab);
	mnl_attr_put_u8(y, 1, 0xab);
	nl_put_u16(&rx, 2, 0x1234);
	mnl_attr_put_u16(y, 2, 0x1234);
	nl_put(&rx, 4, 4, addr);
	mnl_attr_put(y, 4, 4, addr);
	nl_put(&rx, 5, 16, addr);
	mnl_attr_put(y, 5, 16, addr);
	nl_put_u32(&rx, 6, 0xdeadbeef);
	mnl_attr_put_u32(y, 6, 0xdeadbeef);
	nl_put_u64(&rx, 7, 0x0102030405060708ULL);
	mnl_attr_put_u64(y, 7, 0x0102030405060708ULL);
	nl_put_strz(&rx, 8, "eth0");
	mnl_attr_put_strz(y, 8, "eth0");
	nl_nest_end(&rx);
	mnl_attr_nest_end(y, ny);
	/* libmnl 1.0.4 leaves padding as it was: b started zeroed */
	CHECK(x->nlmsg_len == y->nlmsg_len &&
	      !memcmp(a + sizeof(*x), b + sizeof(*y),
		      x->nlmsg_len - sizeof(*x)),
	      "nl_put* match libmnl's layout (%u vs %u bytes)",
	      x->nlmsg_len, y->nlmsg_len);
}


/* Writers never pass the buffer's end: the first that would marks it. */
static void test_nl_room(void)
{
	static char buf[64 + 16];
	struct nl_req r;
	char msg[256];
	unsigned int i, guard = 0;
	bool ok = true;

	memset(buf, 0xee, sizeof(buf));
	nl_req_init(&r, buf, 64, 0x20, 1, 1, 0);
	for (i = 0; i < 100 && ok; i++)
		ok = nl_put_u32(&r, 1, i);
	for (i = 64; i < sizeof(buf); i++)
		guard += (unsigned char)buf[i] != 0xee;
	CHECK(!ok && r.err == -EMSGSIZE && r.nlh->nlmsg_len <= 64 && !guard,
	      "nl_put stops at the buffer's end (%u bytes, err %d, %u guard bytes hit)",
	      r.nlh->nlmsg_len, r.err, guard);
	CHECK(!nl_put_u8(&r, 2, 1) && r.err == -EMSGSIZE,
	      "nl_put: a marked request takes no more writes");
	nl_req_error(&r, NULL, 0, msg, sizeof(msg));
	CHECK(strstr(msg, "command too long") && strstr(msg, "64 bytes"),
	      "nl_req_error: %s", msg);
	CHECK(nl_req_refuse(&r, NULL, 0) == -EMSGSIZE,
	      "a marked request is refused before sending");
}

static const struct nl_attr_desc in_names[] = { [1] = { "leaf" } };
static const struct nl_attr_desc out_names[] = {
	[5] = { "outer", in_names, 2 },
};

/* A nest past 65535 bytes is refused when it closes, not wrapped. */
static void test_nl_nest_bound(void)
{
	static char buf[1 << 17];
	static const char blob[1000];
	struct nl_req r;
	char msg[256];
	unsigned int i;
	bool ok;

	nl_req_init(&r, buf, sizeof(buf), 0x20, 1, 1, 0);
	nl_nest_start(&r, 5);
	for (i = 0; i < 70; i++)
		nl_put(&r, 1, sizeof(blob), blob);
	ok = nl_nest_end(&r);
	nl_req_error(&r, out_names, 6, msg, sizeof(msg));
	CHECK(!ok && r.err == -E2BIG && strstr(msg, "attribute outer would pass"),
	      "a nest over 65535 bytes refused: %s", msg);

	nl_req_init(&r, buf, sizeof(buf), 0x20, 1, 1, 0);
	nl_nest_start(&r, 5);
	for (i = 0; i < 65; i++)
		nl_put(&r, 1, sizeof(blob) - 100, blob);
	ok = nl_nest_end(&r);
	CHECK(ok && !r.err && !fake_check_tree(r.nlh),
	      "a nest under 65535 bytes closes (%u bytes)", r.nlh->nlmsg_len);
	ok = nl_put(&r, 2, 70000, buf);
	nl_req_error(&r, out_names, 6, msg, sizeof(msg));
	CHECK(!ok && r.err == -E2BIG && strstr(msg, "attribute 2"),
	      "an attribute over 65535 bytes refused: %s", msg);
}

/* Lines of an error as one, for a KTAP line. */
static void one_line(char *s)
{
	for (; *s; s++)
		if (*s == '\n')
			*s = '|';
}

/*
 * Run one ntctl command line against the fake kernel; its stderr into
 * @err. Words are split as a batch line is.
 */
static int cmd(const char *line, char *err, size_t errlen)
{
	char *copy = strdup(line), **argv = NULL;
	size_t cap = 0;
	int argc, ret, saved, fd;
	ssize_t n;
	FILE *tmp = tmpfile();

	fflush(stderr);
	fflush(stdout);
	saved = dup(2);
	fd = dup(1);
	dup2(fileno(tmp), 2);
	dup2(open("/dev/null", O_WRONLY | O_CLOEXEC), 1);
	fake_reset();
	argc = split_words_grow(copy, &argv, &cap);
	ret = ntctl_run(argc, argv);
	fflush(stderr);
	fflush(stdout);
	dup2(saved, 2);
	dup2(fd, 1);
	close(saved);
	close(fd);
	n = pread(fileno(tmp), err, errlen - 1, 0);
	err[n > 0 ? n : 0] = 0;
	if (n > 0 && err[n - 1] == '\n')
		err[n - 1] = 0;
	one_line(err);
	fclose(tmp);
	free(copy);
	free(argv);
	return ret;
}

/* @prefix then @word @n times, into a string to free. */
static char *repeat(const char *prefix, const char *word, unsigned int n)
{
	size_t len = strlen(prefix) + n * (strlen(word) + 1) + 1;
	char *s = malloc(len), *p = s;
	unsigned int i;

	p += sprintf(p, "%s", prefix);
	for (i = 0; i < n; i++)
		p += sprintf(p, " %s", word);
	return s;
}

static void refused(const char *line, const char *needle)
{
	char err[512];
	int ret = cmd(line, err, sizeof(err));

	CHECK(ret == EXIT_USAGE && strstr(err, needle) && fake.sent == 0,
	      "\"%.60s%s\" refused, nothing sent: %s", line,
	      strlen(line) > 60 ? "..." : "", err);
}

static void accepted(const char *line, unsigned int sent)
{
	char err[512];
	int ret = cmd(line, err, sizeof(err));

	CHECK(ret == EXIT_OK && fake.sent == sent,
	      "\"%.60s%s\" accepted, %u sent: %s", line,
	      strlen(line) > 60 ? "..." : "", fake.sent, err);
}

/* A keyword given twice is refused, however many times it repeats. */
static void test_twice(void)
{
	char *s;

	s = repeat("tunnel set nt0", "fwmark 1", 2000);
	refused(s, "fwmark given twice");
	free(s);
	s = repeat("cc profile set p1", "cwnd-gain 200", 2000);
	refused(s, "cwnd-gain given twice");
	free(s);
	refused("cc profile set p1 ecn off ecn dctcp", "ecn given twice");
	s = repeat("policy add hook input action drop", "prio 5", 2000);
	refused(s, "prio given twice");
	free(s);
	refused("policy add hook input src 10.0.0.0/8 src 10.1.0.0/16 action drop",
		"src given twice");
	refused("policy add hook input action drop action accept",
		"action given twice");
	refused("policy hook set input priority 1 priority 2",
		"priority given twice");
	s = repeat("tunnel peer set nt0 id 1", "allowed-ips 10.0.0.0/8,10.1.0.0/16",
		   500);
	refused(s, "allowed-ips given twice");
	free(s);
	refused("tunnel peer set nt0 id 1 id 2", "id given twice");
	refused("cc route add 10.0.0.0/8 profile a profile b",
		"profile given twice");
	accepted("policy add prio 5 hook input src 10.0.0.0/8 dst 10.1.0.0/16 proto tcp sport 1-2 dport 3 tcp-flags syn/syn,ack iif lo oif lo dscp 1 action police 1mbit burst 10k",
		 1);
}

/* IPv6 prefixes fd77:N::/32, N from 0, as "a,b,c". */
static char *prefixes(unsigned int n)
{
	char *s = malloc(n * 16 + 1), *p = s;
	unsigned int i;

	*s = 0;
	for (i = 0; i < n; i++)
		p += sprintf(p, "%sfd77:%x::/32", i ? "," : "", i);
	return s;
}

/* allowed-ips past 64 KiB, and the peer nest around them. */
static void test_aips_bound(void)
{
	char *list, *line;

	list = prefixes(1000);
	line = malloc(strlen(list) + 100);
	sprintf(line, "tunnel peer add nt0 id 1 endpoint 192.0.2.1:1 allowed-ips %s",
		list);
	accepted(line, 1);
	free(line);
	free(list);

	/* 1,638 fill the list's nest to 65,524 bytes; the peer's passes */
	list = prefixes(1638);
	line = malloc(strlen(list) + 100);
	sprintf(line, "tunnel peer add nt0 id 1 endpoint [2001:db8::1]:1 allowed-ips %s",
		list);
	refused(line, "attribute peer would pass the 65535 bytes");
	free(line);
	free(list);

	list = prefixes(5000);
	line = malloc(strlen(list) + 100);
	sprintf(line, "tunnel peer set nt0 id 1 allowed-ips %s", list);
	refused(line, "attribute peer.allowed-ips would pass the 65535 bytes");
	free(line);
	free(list);
}

static void test_tunnel_values(void)
{
	refused("tunnel set nt0 dscp 64", "from 0 to 63, or inherit");
	refused("tunnel set nt0 dscp 255", "from 0 to 63, or inherit");
	accepted("tunnel set nt0 dscp 63", 1);
	accepted("tunnel set nt0 dscp inherit", 1);
	refused("tunnel peer set nt0 id 1 allowed-ips 10.0.0.0/8,",
		"an empty element");
	refused("tunnel peer set nt0 id 1 allowed-ips ,,", "an empty element");
	refused("tunnel peer set nt0 id 1 allowed-ips ,10.0.0.0/8",
		"an empty element");
	refused("tunnel peer set nt0 id 1 allowed-ips ''", "an empty element");
	accepted("tunnel peer set nt0 id 1 allowed-ips 10.0.0.0/8,fd00::/8", 1);
	accepted("tunnel peer set nt0 id 1 allowed-ips none", 1);
	refused("tunnel peer set nt0 id x keepalive 1", "from 1 to 4294967295");
	refused("tunnel peer add nt0 id 0 endpoint 192.0.2.1:1",
		"from 1 to 4294967295");
	accepted("tunnel peer del nt0 id 4294967295", 1);
}

static char tmpdir[] = "/tmp/ntctl-test.XXXXXX";

static const char *write_file(const char *name, const char *data, size_t len)
{
	static char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	f = fopen(path, "w");
	fwrite(data, 1, len, f);
	fclose(f);
	return path;
}

/* A commit file that cannot be read whole changes nothing. */
static void test_commit_reads(void)
{
	static const char good[] =
		"hook input action drop\n"
		"# a comment\n"
		"hook output proto tcp dport 22 action accept\n"
		"hook set input policy drop\n";
	static const char nul[] =
		"hook input action drop\n"
		"hook output action accept\0 hook input action drop\n";
	char line[512], err[512];
	const char *path;
	char *big;
	size_t i, len;
	int ret;

	path = write_file("good", good, sizeof(good) - 1);
	snprintf(line, sizeof(line), "policy commit %s", path);
	ret = cmd(line, err, sizeof(err));
	/* BEGIN, RULE_ADD, COMMIT, HOOK_SET */
	CHECK(ret == EXIT_OK && fake.sent == 4,
	      "commit of a good file: %u requests (%s)", fake.sent, err);

	snprintf(line, sizeof(line), "policy commit %s", tmpdir);
	ret = cmd(line, err, sizeof(err));
	CHECK(ret == EXIT_USAGE && fake.sent == 0 &&
	      strstr(err, "Is a directory"),
	      "commit of a directory fails, nothing sent: %s", err);

	/* reading /proc/self/mem at 0 fails with EIO */
	ret = cmd("policy commit /proc/self/mem", err, sizeof(err));
	CHECK(ret == EXIT_USAGE && fake.sent == 0 &&
	      strstr(err, "Input/output error"),
	      "commit of a file that fails with EIO, nothing sent: %s", err);

	path = write_file("nul", nul, sizeof(nul) - 1);
	snprintf(line, sizeof(line), "policy commit %s", path);
	ret = cmd(line, err, sizeof(err));
	CHECK(ret == EXIT_USAGE && fake.sent == 0 && strstr(err, "nul:2: a NUL byte"),
	      "commit of a file with a NUL byte fails, nothing sent: %s", err);

	/* the bad line comes last: no transaction was begun for it */
	len = 3000 * 24 + 64;
	big = malloc(len);
	for (i = 0, *big = 0; i < 3000; i++)
		strcat(big, "hook input action drop\n");
	strcat(big, "hook input action frobnicate\n");
	path = write_file("late", big, strlen(big));
	free(big);
	snprintf(line, sizeof(line), "policy commit %s", path);
	ret = cmd(line, err, sizeof(err));
	CHECK(ret == EXIT_USAGE && fake.sent == 0 && strstr(err, "late:3001"),
	      "a bad last line: nothing sent, not even BEGIN (%u sent): %s",
	      fake.sent, err);
}

static int batch_file(const char *path, char *err, size_t errlen)
{
	int ret, saved = dup(2);
	FILE *tmp = tmpfile();
	ssize_t n;

	fflush(stderr);
	dup2(fileno(tmp), 2);
	fake_reset();
	ret = ntctl_batch(path, false);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	n = pread(fileno(tmp), err, errlen - 1, 0);
	err[n > 0 ? n : 0] = 0;
	one_line(err);
	fclose(tmp);
	return ret;
}

static void test_batch_reads(void)
{
	static const char nul[] = "tunnel set nt0 dscp 1\ntunnel set nt0\0 dscp 2\n";
	char err[1024], *big;
	const char *path;
	size_t i;
	int ret;

	ret = batch_file(tmpdir, err, sizeof(err));
	CHECK(ret == EXIT_USAGE && fake.sent == 0 && strstr(err, "Is a directory"),
	      "-b DIR fails: %s", err);
	ret = batch_file("/proc/self/mem", err, sizeof(err));
	CHECK(ret == EXIT_USAGE && strstr(err, "Input/output error"),
	      "-b of a file that fails with EIO fails: %s", err);
	path = write_file("bnul", nul, sizeof(nul) - 1);
	ret = batch_file(path, err, sizeof(err));
	CHECK(ret == EXIT_USAGE && fake.sent == 1 && strstr(err, "bnul:2: a NUL byte"),
	      "-b: a NUL byte fails its line: %s", err);

	/* a line of 300 words and 4 MB is split whole */
	big = malloc(4 << 20);
	strcpy(big, "tunnel set nt0");
	for (i = 0; i < 300; i++)
		strcat(big, " vni 1");
	memset(big + strlen(big), ' ', (4 << 20) - strlen(big) - 2);
	strcpy(big + (4 << 20) - 2, "\n");
	path = write_file("long", big, strlen(big));
	free(big);
	ret = batch_file(path, err, sizeof(err));
	CHECK(ret == EXIT_USAGE && fake.sent == 0 && strstr(err, "vni given twice"),
	      "-b: a 4 MB line of 300 words is read whole: %.80s", err);
}

int main(void)
{
	test_is_abbrev();
	test_prefix();
	test_ports();
	test_tcp_flags();
	test_endpoints();
	test_rates();
	test_sizes();
	test_durations();
	test_u32();
	test_split();
	test_json();
	test_attr_path();
	test_nl_put();
	test_nl_room();
	test_nl_nest_bound();
	test_twice();
	test_aips_bound();
	test_tunnel_values();
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	test_commit_reads();
	test_batch_reads();
	{
		char rm[64];

		snprintf(rm, sizeof(rm), "rm -rf %s", tmpdir);
		if (system(rm))
			printf("# could not remove %s\n", tmpdir);
	}
	printf("1..%d\n", tests);
	printf("# %d passed, %d failed\n", tests - failed, failed);
	return failed ? 1 : 0;
}
