/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ntctl: one printer behind every show. Each call names a JSON key and a
 * printf format for text mode; in JSON mode the format is ignored, in text
 * mode the key is (a NULL format prints nothing). As in iproute2, a show
 * is written once and prints both ways.
 */
#ifndef NTCTL_JSON_H
#define NTCTL_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

void jp_init(FILE *out, bool json, bool pretty);
bool jp_json(void);
void jp_open_object(const char *key);
void jp_close_object(void);
void jp_open_array(const char *key);
void jp_close_array(void);
void jp_string(const char *key, const char *fmt, const char *value);
void jp_uint(const char *key, const char *fmt, uint64_t value);
void jp_int(const char *key, const char *fmt, int64_t value);
void jp_bool(const char *key, const char *fmt, bool value);
void jp_null(const char *key, const char *fmt);
void jp_text(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Ends the document: a newline after JSON; checks nesting is closed. */
int jp_finish(void);
/* Writes @s as a JSON string literal (with quotes) to @out. */
void jp_escape(FILE *out, const char *s);

#endif
