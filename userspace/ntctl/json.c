// SPDX-License-Identifier: GPL-2.0
/* ntctl: the JSON/text printer. */
#include <stdarg.h>
#include <inttypes.h>
#include <string.h>

#include "json.h"

#define JP_MAX_DEPTH 32

static struct {
	FILE *out;
	bool json;
	bool pretty;
	int depth;
	bool first[JP_MAX_DEPTH];
	bool error;
} jp;

void jp_init(FILE *out, bool json, bool pretty)
{
	memset(&jp, 0, sizeof(jp));
	jp.out = out;
	jp.json = json;
	jp.pretty = pretty;
	jp.first[0] = true;
}

bool jp_json(void)
{
	return jp.json;
}

void jp_escape(FILE *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', out);
	for (; *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", out);
			break;
		case '\\':
			fputs("\\\\", out);
			break;
		case '\n':
			fputs("\\n", out);
			break;
		case '\r':
			fputs("\\r", out);
			break;
		case '\t':
			fputs("\\t", out);
			break;
		default:
			if (*p < 0x20)
				fprintf(out, "\\u%04x", *p);
			else
				fputc(*p, out);
		}
	}
	fputc('"', out);
}

static void indent(void)
{
	int i;

	if (!jp.pretty)
		return;
	fputc('\n', jp.out);
	for (i = 0; i < jp.depth; i++)
		fputs("    ", jp.out);
}

/* Separator and key before a member or element. */
static void member(const char *key)
{
	if (!jp.first[jp.depth])
		fputc(',', jp.out);
	jp.first[jp.depth] = false;
	if (jp.depth)
		indent();
	if (key) {
		jp_escape(jp.out, key);
		fputs(jp.pretty ? ": " : ":", jp.out);
	}
}

static void open_nest(const char *key, char c)
{
	if (!jp.json)
		return;
	member(key);
	fputc(c, jp.out);
	if (jp.depth + 1 >= JP_MAX_DEPTH) {
		jp.error = true;
		return;
	}
	jp.depth++;
	jp.first[jp.depth] = true;
}

static void close_nest(char c)
{
	bool empty;

	if (!jp.json)
		return;
	if (jp.depth == 0) {
		jp.error = true;
		return;
	}
	empty = jp.first[jp.depth];
	jp.depth--;
	if (!empty)
		indent();
	fputc(c, jp.out);
}

void jp_open_object(const char *key)
{
	open_nest(key, '{');
}

void jp_close_object(void)
{
	close_nest('}');
}

void jp_open_array(const char *key)
{
	open_nest(key, '[');
}

void jp_close_array(void)
{
	close_nest(']');
}

/*
 * The text format takes the value through printf, and the compiler cannot
 * check a format chosen by the caller. Most callers pass literals; cc.c,
 * tunnel.c and monitor.c build some at run time from their own tables,
 * each with exactly one conversion of the value's type.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
void jp_string(const char *key, const char *fmt, const char *value)
{
	if (jp.json) {
		member(key);
		if (value)
			jp_escape(jp.out, value);
		else
			fputs("null", jp.out);
	} else if (fmt) {
		fprintf(jp.out, fmt, value ? value : "-");
	}
}

void jp_uint(const char *key, const char *fmt, uint64_t value)
{
	if (jp.json) {
		member(key);
		fprintf(jp.out, "%" PRIu64, value);
	} else if (fmt) {
		fprintf(jp.out, fmt, value);
	}
}

void jp_int(const char *key, const char *fmt, int64_t value)
{
	if (jp.json) {
		member(key);
		fprintf(jp.out, "%" PRId64, value);
	} else if (fmt) {
		fprintf(jp.out, fmt, value);
	}
}

void jp_bool(const char *key, const char *fmt, bool value)
{
	if (jp.json) {
		member(key);
		fputs(value ? "true" : "false", jp.out);
	} else if (fmt) {
		fprintf(jp.out, fmt, value ? "yes" : "no");
	}
}

void jp_null(const char *key, const char *fmt)
{
	if (jp.json) {
		member(key);
		fputs("null", jp.out);
	} else if (fmt) {
		fputs(fmt, jp.out);
	}
}

void jp_text(const char *fmt, ...)
{
	va_list ap;

	if (jp.json)
		return;
	va_start(ap, fmt);
	vfprintf(jp.out, fmt, ap);
	va_end(ap);
}
#pragma GCC diagnostic pop

int jp_finish(void)
{
	if (jp.json && (jp.depth || jp.error)) {
		jp.error = true;
		return -1;
	}
	if (jp.json && !jp.first[0])
		fputc('\n', jp.out);
	fflush(jp.out);
	return jp.error ? -1 : 0;
}
