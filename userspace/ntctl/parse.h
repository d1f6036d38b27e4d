/* SPDX-License-Identifier: GPL-2.0 */
/* ntctl: parsers for the values users type (prefixes, ports, rates ...). */
#ifndef NTCTL_PARSE_H
#define NTCTL_PARSE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include <netinet/in.h>

/*
 * True if @arg is a non-empty prefix of @keyword: the abbreviations
 * iproute2 takes. (iproute2's matches() is the same test with strcmp()'s
 * sense, 0 for a match; this one is named for what it answers.)
 * Inline: a commit file's rules go through it a dozen times each.
 */
static inline bool is_abbrev(const char *arg, const char *keyword)
{
	if (!*arg)
		return false;
	while (*arg && *arg == *keyword) {
		arg++;
		keyword++;
	}
	return !*arg;
}

struct nt_addr_prefix {
	int family;		/* AF_INET or AF_INET6 */
	unsigned int len;	/* prefix length */
	union {
		struct in_addr v4;
		struct in6_addr v6;
		uint8_t bytes[16];
	} addr;
};

/*
 * Each parser returns 0 on success or -1 and writes a one-line reason into
 * @err (at most @errlen bytes) that names the allowed form or range.
 */
int parse_prefix(const char *s, struct nt_addr_prefix *p, char *err,
		 size_t errlen);
int parse_addr(const char *s, struct nt_addr_prefix *p, char *err,
	       size_t errlen);
int parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *v,
	      char *err, size_t errlen);
int parse_u64(const char *s, uint64_t *v, char *err, size_t errlen);
int parse_port_range(const char *s, uint16_t *lo, uint16_t *hi, char *err,
		     size_t errlen);

/*
 * TCP flags "FLAG[,FLAG]...[/MASK]" or "/MASK" (FLAG := fin|syn|rst|psh|
 * ack|urg|ece|cwr; MASK the same list): *@flags (none for "/MASK"), and
 * *@mask if given (*@has_mask).
 */
int parse_tcp_flags(const char *s, uint8_t *flags, uint8_t *mask,
		    bool *has_mask, char *err, size_t errlen);

enum rate_unit { RATE_BYTES, RATE_PACKETS };
/* 10mbit, 1gbit, 125kbps (bytes/s), 1500 (bit/s), 1kpps, 10pps. */
int parse_rate(const char *s, uint64_t *v, enum rate_unit *unit, char *err,
	       size_t errlen);
/* Sizes in bytes: 1500, 1500b, 64k, 64kb, 1m, 1mbit (bits / 8). */
int parse_size(const char *s, uint64_t *v, char *err, size_t errlen);
/* Durations in ns: 10ms, 1s, 500us, 2m, 1h, 100ns; a bare number is s. */
int parse_duration(const char *s, uint64_t *ns, char *err, size_t errlen);

/*
 * Split @line in place into at most @max words: blanks separate, "..." and
 * '...' quote, a backslash escapes the next character, # starts a comment.
 * Returns the word count, -1 for too many words, -2 for an open quote.
 */
int split_words(char *line, char **argv, int max);
/*
 * split_words() into *@argv, grown (realloc) to hold every word a line of
 * that length can have; *@cap is its size. Returns the word count, or -2
 * for an open quote.
 */
int split_words_grow(char *line, char ***argv, size_t *cap);

/*
 * A UDP endpoint "A:P" or "[A6]:P" (P 0..65535) into @ss; returns the
 * sockaddr's length, or 0 if @s is not one.
 */
socklen_t parse_endpoint(const char *s, struct sockaddr_storage *ss);
/* A sockaddr_in or _in6 of @len bytes as parse_endpoint() reads it. */
const char *format_endpoint(const void *data, size_t len, char *buf,
			    size_t blen);

/* Formatting for show output. */
const char *format_prefix(const struct nt_addr_prefix *p, char *buf,
			  size_t len);
const char *format_rate(uint64_t v, enum rate_unit unit, char *buf,
			size_t len);
const char *format_duration(uint64_t ns, char *buf, size_t len);
/* TCP flags as parse_tcp_flags() reads them ("syn,ack"; "" for none). */
const char *format_tcp_flags(uint8_t f, char *buf, size_t len);

#endif
