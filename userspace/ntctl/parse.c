// SPDX-License-Identifier: GPL-2.0
/* ntctl: parsers for the values users type, with iproute2's units. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

static int fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/*
 * Strict unsigned decimal, or hex after 0x; the whole string, no sign, no
 * blanks. A leading zero is decimal ("024" is 24), unlike strtoul's base 0.
 */
static int strict_u64(const char *s, uint64_t *v)
{
	unsigned long long x;
	int base = 10;
	char *end;

	/* plain decimal without strtoull: the common case, and a quick one */
	if (*s >= '0' && *s <= '9' && s[1] != 'x' && s[1] != 'X') {
		for (x = 0; *s >= '0' && *s <= '9'; s++) {
			if (x > (UINT64_MAX - (*s - '0')) / 10)
				return -1;
			x = x * 10 + (*s - '0');
		}
		if (*s)
			return -1;
		*v = x;
		return 0;
	}
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!*s || !isxdigit((unsigned char)*s) ||
	    (base == 10 && !isdigit((unsigned char)*s)))
		return -1;
	errno = 0;
	x = strtoull(s, &end, base);
	if (errno || *end)
		return -1;
	*v = x;
	return 0;
}

int parse_u64(const char *s, uint64_t *v, char *err, size_t errlen)
{
	if (strict_u64(s, v))
		return fail(err, errlen,
			    "\"%s\" is not a number (0 to %" PRIu64 ")", s,
			    UINT64_MAX);
	return 0;
}

int parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *v,
	      char *err, size_t errlen)
{
	uint64_t x;

	if (strict_u64(s, &x) || x < min || x > max)
		return fail(err, errlen, "\"%s\" is not a number from %u to %u",
			    s, min, max);
	*v = x;
	return 0;
}

static void mask_prefix(struct nt_addr_prefix *p, bool *host_bits)
{
	unsigned int i, bits = p->family == AF_INET ? 32 : 128;

	*host_bits = false;
	for (i = p->len; i < bits; i++) {
		uint8_t m = 0x80 >> (i % 8);

		if (p->addr.bytes[i / 8] & m)
			*host_bits = true;
		p->addr.bytes[i / 8] &= ~m;
	}
}

int parse_addr(const char *s, struct nt_addr_prefix *p, char *err,
	       size_t errlen)
{
	memset(p, 0, sizeof(*p));
	if (inet_pton(AF_INET, s, &p->addr.v4) == 1) {
		p->family = AF_INET;
		p->len = 32;
		return 0;
	}
	if (inet_pton(AF_INET6, s, &p->addr.v6) == 1) {
		p->family = AF_INET6;
		p->len = 128;
		return 0;
	}
	return fail(err, errlen,
		    "\"%s\" is not an IPv4 or IPv6 address", s);
}

int parse_prefix(const char *s, struct nt_addr_prefix *p, char *err,
		 size_t errlen)
{
	char buf[INET6_ADDRSTRLEN + 8];
	const char *slash = strchr(s, '/');
	unsigned int max;
	bool host_bits;
	uint64_t len;
	size_t n;

	n = slash ? (size_t)(slash - s) : strlen(s);
	if (n >= INET6_ADDRSTRLEN)
		return fail(err, errlen, "\"%s\" is not a prefix (ADDR[/LEN])",
			    s);
	memcpy(buf, s, n);
	buf[n] = 0;
	if (parse_addr(buf, p, NULL, 0))
		return fail(err, errlen,
			    "\"%s\" is not a prefix (ADDR[/LEN], IPv4 or IPv6)",
			    s);
	if (!slash)
		return 0;
	max = p->family == AF_INET ? 32 : 128;
	if (strict_u64(slash + 1, &len) || len > max)
		return fail(err, errlen,
			    "\"%s\": prefix length must be 0 to %u", s, max);
	p->len = len;
	mask_prefix(p, &host_bits);
	if (host_bits)
		return fail(err, errlen,
			    "\"%s\": address has bits set past /%u", s, p->len);
	return 0;
}

int parse_port_range(const char *s, uint16_t *lo, uint16_t *hi, char *err,
		     size_t errlen)
{
	const char *dash = strchr(s, '-');
	char a[8];
	uint64_t x, y;
	size_t n;

	n = dash ? (size_t)(dash - s) : strlen(s);
	if (n == 0 || n >= sizeof(a))
		goto bad;
	memcpy(a, s, n);
	a[n] = 0;
	if (strict_u64(a, &x) || x > 65535)
		goto bad;
	y = x;
	if (dash && (strict_u64(dash + 1, &y) || y > 65535 || y < x))
		goto bad;
	*lo = x;
	*hi = y;
	return 0;
bad:
	return fail(err, errlen,
		    "\"%s\" is not a port or range (0-65535, LOW-HIGH with LOW <= HIGH)",
		    s);
}

struct unit {
	const char *name;
	uint64_t mul;	/* multiplier */
	uint64_t div;	/* then divisor */
	int kind;	/* rate: enum rate_unit */
};

/* Split "10mbit" into 10 and "mbit"; decimals like 1.5mbit are allowed. */
static int split_number(const char *s, long double *num, const char **suffix)
{
	char *end;

	if (!*s || !(isdigit((unsigned char)*s) || *s == '.'))
		return -1;
	errno = 0;
	*num = strtold(s, &end);
	if (errno || end == s || *num < 0)
		return -1;
	*suffix = end;
	return 0;
}

static int apply_units(const char *s, const struct unit *units, size_t n,
		       const char *dflt, uint64_t *v, int *kind)
{
	const char *suffix;
	long double num, r;
	size_t i;

	if (split_number(s, &num, &suffix))
		return -1;
	if (!*suffix)
		suffix = dflt;
	for (i = 0; i < n; i++) {
		if (strcasecmp(suffix, units[i].name))
			continue;
		r = num * units[i].mul / units[i].div;
		if (r >= 18446744073709551615.0L)
			return -2;
		/* Round to nearest; a fraction that names nothing is refused. */
		*v = (uint64_t)(r + 0.5L);
		if (num > 0 && *v == 0)
			return -2;
		if (kind)
			*kind = units[i].kind;
		return 0;
	}
	return -1;
}

#define K 1000ULL
#define KI 1024ULL

static const struct unit rate_units[] = {
	{ "bit", 1, 8, RATE_BYTES },
	{ "kbit", K, 8, RATE_BYTES },
	{ "mbit", K * K, 8, RATE_BYTES },
	{ "gbit", K * K * K, 8, RATE_BYTES },
	{ "tbit", K * K * K * K, 8, RATE_BYTES },
	{ "kibit", KI, 8, RATE_BYTES },
	{ "mibit", KI * KI, 8, RATE_BYTES },
	{ "gibit", KI * KI * KI, 8, RATE_BYTES },
	{ "bps", 1, 1, RATE_BYTES },
	{ "kbps", K, 1, RATE_BYTES },
	{ "mbps", K * K, 1, RATE_BYTES },
	{ "gbps", K * K * K, 1, RATE_BYTES },
	{ "pps", 1, 1, RATE_PACKETS },
	{ "kpps", K, 1, RATE_PACKETS },
	{ "mpps", K * K, 1, RATE_PACKETS },
};

static const struct unit size_units[] = {
	{ "b", 1, 1, 0 },
	{ "k", KI, 1, 0 },
	{ "kb", KI, 1, 0 },
	{ "m", KI * KI, 1, 0 },
	{ "mb", KI * KI, 1, 0 },
	{ "g", KI * KI * KI, 1, 0 },
	{ "gb", KI * KI * KI, 1, 0 },
	{ "kbit", KI, 8, 0 },
	{ "mbit", KI * KI, 8, 0 },
	{ "gbit", KI * KI * KI, 8, 0 },
};

static const struct unit time_units[] = {
	{ "ns", 1, 1, 0 },
	{ "us", K, 1, 0 },
	{ "usec", K, 1, 0 },
	{ "ms", K * K, 1, 0 },
	{ "msec", K * K, 1, 0 },
	{ "s", K * K * K, 1, 0 },
	{ "sec", K * K * K, 1, 0 },
	{ "m", 60 * K * K * K, 1, 0 },
	{ "min", 60 * K * K * K, 1, 0 },
	{ "h", 3600 * K * K * K, 1, 0 },
};

struct unit_table {
	const struct unit *units;
	size_t n;
	const char *dflt;	/* the unit of a bare number */
	const char *what;
	const char *form;	/* for the error message */
};

#define TABLE(u, d, w, f) { u, sizeof(u) / sizeof(u[0]), d, w, f }

static const struct unit_table rates =
	TABLE(rate_units, "bit", "rate",
	      "NUM[bit|kbit|mbit|gbit|tbit|bps|kbps|mbps|gbps|pps|kpps|mpps]");
static const struct unit_table sizes =
	TABLE(size_units, "b", "size", "NUM[b|k|kb|m|mb|g|gb|kbit|mbit|gbit]");
static const struct unit_table durations =
	TABLE(time_units, "s", "duration", "NUM[ns|us|ms|s|m|h]");

static int parse_units(const char *s, const struct unit_table *t,
		       uint64_t *v, int *kind, char *err, size_t errlen)
{
	int r = apply_units(s, t->units, t->n, t->dflt, v, kind);

	if (r == -2)
		return fail(err, errlen, "\"%s\": %s out of range", s, t->what);
	if (r)
		return fail(err, errlen, "\"%s\" is not a %s (%s)", s, t->what,
			    t->form);
	return 0;
}

int parse_rate(const char *s, uint64_t *v, enum rate_unit *unit, char *err,
	       size_t errlen)
{
	int kind = RATE_BYTES;

	if (parse_units(s, &rates, v, &kind, err, errlen))
		return -1;
	*unit = kind;
	return 0;
}

int parse_size(const char *s, uint64_t *v, char *err, size_t errlen)
{
	return parse_units(s, &sizes, v, NULL, err, errlen);
}

int parse_duration(const char *s, uint64_t *ns, char *err, size_t errlen)
{
	return parse_units(s, &durations, ns, NULL, err, errlen);
}

const char *format_prefix(const struct nt_addr_prefix *p, char *buf,
			  size_t len)
{
	char a[INET6_ADDRSTRLEN];

	if (!inet_ntop(p->family, p->addr.bytes, a, sizeof(a)))
		snprintf(a, sizeof(a), "?");
	snprintf(buf, len, "%s/%u", a, p->len);
	return buf;
}

const char *format_rate(uint64_t v, enum rate_unit unit, char *buf,
			size_t len)
{
	static const char *const bit[] = { "bit", "kbit", "mbit", "gbit",
					   "tbit" };
	static const char *const pkt[] = { "pps", "kpps", "mpps" };
	const char *const *names = unit == RATE_PACKETS ? pkt : bit;
	unsigned int i = 0, n = unit == RATE_PACKETS ? 3 : 5;
	long double x = unit == RATE_PACKETS ? v : (long double)v * 8;

	while (i + 1 < n && x >= 1000 && (uint64_t)x % 1000 == 0) {
		x /= 1000;
		i++;
	}
	snprintf(buf, len, "%.0Lf%s", x, names[i]);
	return buf;
}

const char *format_duration(uint64_t ns, char *buf, size_t len)
{
	if (ns && ns % 1000000000ULL == 0)
		snprintf(buf, len, "%" PRIu64 "s", (uint64_t)(ns / 1000000000ULL));
	else if (ns && ns % 1000000ULL == 0)
		snprintf(buf, len, "%" PRIu64 "ms", (uint64_t)(ns / 1000000ULL));
	else if (ns && ns % 1000ULL == 0)
		snprintf(buf, len, "%" PRIu64 "us", (uint64_t)(ns / 1000ULL));
	else
		snprintf(buf, len, "%" PRIu64 "ns", ns);
	return buf;
}

/* Characters split_words() must look at: NUL, blanks, quotes, backslash. */
static const bool special_char[256] = {
	[0 ... ' '] = true, ['"'] = true, ['\''] = true, ['\\'] = true,
};

static bool word_special(unsigned char c)
{
	return special_char[c];
}

/*
 * Split a batch line into words: blanks separate, "..." and '...' quote,
 * backslash escapes the next character, # starts a comment.
 */
int split_words(char *line, char **argv, int max)
{
	char *r = line, *w = line;
	int argc = 0;

	for (;;) {
		char quote = 0;

		while (*r == ' ' || *r == '\t' || *r == '\n' || *r == '\r')
			r++;
		if (!*r || *r == '#')
			return argc;
		if (argc == max)
			return -1;
		argv[argc++] = w;
		/* nothing escaped or quoted yet: the word is already in place */
		if (w == r) {
			while (!word_special(*r))
				r++;
			w = r;
		}
		for (; *r; r++) {
			/* the common case: plain characters outside quotes */
			while (!quote && !word_special(*r))
				*w++ = *r++;
			if (!*r)
				break;
			if (quote) {
				if (*r == quote)
					quote = 0;
				else if (quote == '"' && *r == '\\' && r[1])
					*w++ = *++r;
				else
					*w++ = *r;
			} else if (*r == '"' || *r == '\'') {
				quote = *r;
			} else if (*r == '\\' && r[1]) {
				*w++ = *++r;
			} else if (*r == ' ' || *r == '\t' || *r == '\n' ||
				   *r == '\r') {
				break;
			} else {
				*w++ = *r;
			}
		}
		if (quote)
			return -2;
		if (*r)
			r++;
		*w++ = 0;
	}
}

int split_words_grow(char *line, char ***argv, size_t *cap)
{
	/* a word is one character at least, and a blank ends it */
	size_t need = strlen(line) / 2 + 2;

	if (need > INT_MAX)
		return -2;
	if (*cap < need) {
		char **v = realloc(*argv, need * sizeof(*v));

		if (!v) {
			fprintf(stderr, "Error: out of memory.\n");
			exit(1);
		}
		*argv = v;
		*cap = need;
	}
	return split_words(line, *argv, need);
}

static const struct { const char *name; uint8_t bit; } tcp_flag_names[] = {
	{ "fin", 0x01 }, { "syn", 0x02 }, { "rst", 0x04 }, { "psh", 0x08 },
	{ "ack", 0x10 }, { "urg", 0x20 }, { "ece", 0x40 }, { "cwr", 0x80 },
};
#define N_TCP_FLAGS (sizeof(tcp_flag_names) / sizeof(tcp_flag_names[0]))

/* A comma-separated list of flag names from @s up to @end. */
static int tcp_flag_list(const char *s, const char *end, uint8_t *out)
{
	*out = 0;
	while (s < end) {
		const char *comma = memchr(s, ',', end - s);
		size_t len = (comma ? comma : end) - s;
		unsigned int i;

		for (i = 0; i < N_TCP_FLAGS; i++)
			if (strlen(tcp_flag_names[i].name) == len &&
			    !strncmp(s, tcp_flag_names[i].name, len))
				break;
		if (i == N_TCP_FLAGS)
			return -1;
		*out |= tcp_flag_names[i].bit;
		if (!comma)
			return 0;
		s = comma + 1;
		if (s == end)
			return -1;	/* a trailing comma */
	}
	return -1;			/* empty */
}

int parse_tcp_flags(const char *s, uint8_t *flags, uint8_t *mask,
		    bool *has_mask, char *err, size_t errlen)
{
	const char *slash = strchr(s, '/'), *end = s + strlen(s);

	*has_mask = slash != NULL;
	*flags = 0;
	/* "/MASK" alone: none of MASK's flags set (as show writes it) */
	if ((slash != s && tcp_flag_list(s, slash ? slash : end, flags)) ||
	    (slash && tcp_flag_list(slash + 1, end, mask))) {
		snprintf(err, errlen,
			 "FLAG[,FLAG]...[/MASK], FLAG := fin|syn|rst|psh|ack|urg|ece|cwr");
		return -1;
	}
	return 0;
}

const char *format_tcp_flags(uint8_t f, char *buf, size_t len)
{
	size_t n = 0;
	unsigned int i;

	if (len)
		buf[0] = 0;
	for (i = 0; i < N_TCP_FLAGS && len; i++)
		if (f & tcp_flag_names[i].bit) {
			int w = snprintf(buf + n, len - n, "%s%s", n ? "," : "",
					 tcp_flag_names[i].name);

			if (w < 0 || (size_t)w >= len - n) {
				buf[n] = 0;	/* no part of a name */
				break;
			}
			n += w;
		}
	return buf;
}

/* "A:P" or "[A6]:P" into a sockaddr. Returns its length or 0. */
socklen_t parse_endpoint(const char *s, struct sockaddr_storage *ss)
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

const char *format_endpoint(const void *data, size_t len, char *buf,
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
