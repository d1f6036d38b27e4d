// SPDX-License-Identifier: GPL-2.0
/*
 * ntctl policy commit: a commit file read whole and turned into RULE_ADD
 * messages before anything is sent, then BEGIN, the messages, COMMIT and
 * the file's "hook set" lines. A file that cannot be read whole, or a
 * line that does not parse, changes nothing.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <netinet/in.h>

#include <linux/nt_policy.h>

#include "ntctl.h"
#include "policy.h"
#include "policy_int.h"
#include "json.h"
#include "nl.h"
#include "parse.h"

static const struct nl_object *const obj = &nl_objects[NL_OBJ_POLICY];

/* A command without attributes (BEGIN, ABORT). */
static int pol_simple(const struct nl_family *f, uint8_t cmd)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nl_req r;

	nl_object_req(&r, buf, sizeof(buf), f, cmd, 0);
	return nl_object_talk(obj, &r, NULL, NULL);
}

/* A "hook set" line of a commit file, applied after the rules. */
struct commit_line {
	int lineno;
	char **words;
	int n;
	char *text;
};

/* One RULE_ADD message of a commit, and the file lines of its rules. */
#define BATCH_RULES	1024
struct batch {
	char *buf;
	struct nl_req r;
	size_t k;			/* rules */
	uint32_t offs[BATCH_RULES];	/* where each rule's nest starts */
	int lineno[BATCH_RULES];	/* its line */
};

/* A commit file, read and turned into messages before any is sent. */
struct commit_job {
	const struct nl_family *f;
	FILE *in;
	const char *name;
	struct commit_line *hooks;
	size_t nhooks, hcap;
	struct batch **msgs;
	size_t nb, mcap;
};

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (!p) {
		fprintf(stderr, "Error: out of memory.\n");
		exit(EXIT_USAGE);
	}
	return p;
}

/* "hook set" lines are checked now and kept for after the commit. */
static int commit_hook_line(struct commit_job *c, const char *line,
			    int lineno)
{
	struct commit_line *h;
	char buf[1024];
	struct nl_req r;
	size_t cap = 0;
	int ret;

	if (c->nhooks == c->hcap) {
		c->hcap = c->hcap ? c->hcap * 2 : 8;
		c->hooks = xrealloc(c->hooks, c->hcap * sizeof(*c->hooks));
	}
	h = &c->hooks[c->nhooks];
	h->text = xrealloc(NULL, strlen(line) + 1);
	strcpy(h->text, line);
	h->words = NULL;
	h->n = split_words_grow(h->text, &h->words, &cap);
	h->lineno = lineno;
	c->nhooks++;
	nl_object_req(&r, buf, sizeof(buf), c->f, NT_POL_CMD_HOOK_SET, 0);
	ret = pol_put_hook_set(&r, h->n - 2, h->words + 2);
	if (!ret && r.err) {
		char msg[256];

		nl_req_error(&r, policy_attr_names, policy_n_attr_names, msg,
			     sizeof(msg));
		ret = usage_error("%s", msg);
	}
	return ret;
}

static struct batch *commit_new_msg(struct commit_job *c)
{
	struct batch *m = xrealloc(NULL, sizeof(*m));

	m->k = 0;
	m->buf = xrealloc(NULL, MSG_BUF);
	nl_object_req(&m->r, m->buf, MSG_BUF, c->f, NT_POL_CMD_RULE_ADD, 0);
	if (c->nb == c->mcap) {
		c->mcap = c->mcap ? c->mcap * 2 : 64;
		c->msgs = xrealloc(c->msgs, c->mcap * sizeof(*c->msgs));
	}
	c->msgs[c->nb++] = m;
	return m;
}

/*
 * Read the whole file into messages. A line that does not parse, a NUL
 * byte (the rest of its line would be lost), or a read error (a directory,
 * an I/O error: getline() alone cannot tell them from the end of the file)
 * fails the commit before anything is sent.
 */
static int commit_read(struct commit_job *c)
{
	struct batch *m = NULL;
	char *line = NULL, *copy = NULL, **words = NULL;
	size_t len = 0, clen = 0, wcap = 0;
	int lineno = 0, ret = EXIT_OK;
	ssize_t got;

	while ((got = getline(&line, &len, c->in)) >= 0) {
		int n;

		lineno++;
		if (strlen(line) != (size_t)got) {
			fprintf(stderr, "Error: %s:%d: a NUL byte in the line.\n",
				c->name, lineno);
			ret = EXIT_USAGE;
			goto out;
		}
		if ((size_t)got >= clen) {
			clen = got + 1;
			copy = xrealloc(copy, clen);
		}
		memcpy(copy, line, got + 1);
		n = split_words_grow(copy, &words, &wcap);
		if (n < 0) {
			fprintf(stderr, "Error: %s:%d: unterminated quote.\n",
				c->name, lineno);
			ret = EXIT_USAGE;
			goto out;
		}
		if (!n)
			continue;
		if (n >= 2 && !strcmp(words[0], "hook") &&
		    is_abbrev(words[1], "set")) {
			if (commit_hook_line(c, line, lineno)) {
				ret = EXIT_USAGE;
				goto bad_line;
			}
			continue;
		}
		if (!m || m->r.nlh->nlmsg_len >= MSG_FILL ||
		    m->k == BATCH_RULES)
			m = commit_new_msg(c);
		m->offs[m->k] = m->r.nlh->nlmsg_len;
		m->lineno[m->k] = lineno;
		if (pol_put_rule(&m->r, n, words)) {
			ret = EXIT_USAGE;
			goto bad_line;
		}
		if (m->r.err) {
			char msg[256];

			nl_req_error(&m->r, policy_attr_names,
				     policy_n_attr_names, msg, sizeof(msg));
			ret = usage_error("%s", msg);
			goto bad_line;
		}
		m->k++;
	}
	if (ferror(c->in)) {
		fprintf(stderr, "Error: cannot read \"%s\": %s; nothing changed.\n",
			c->name, strerror(errno));
		ret = EXIT_USAGE;
	}
	goto out;
bad_line:
	fprintf(stderr, "Error: %s:%d: the line above is not valid.\n",
		c->name, lineno);
out:
	free(line);
	free(copy);
	free(words);
	return ret;
}

void pol_commit_fields(const struct nlmsghdr *nlh)
{
	const struct nlattr *tb[NT_POL_A_MAX + 1] = {};

	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), pol_top_cb, tb);
	if (tb[NT_POL_A_GENERATION])
		jp_uint("generation", "generation %" PRIu64 " ",
			mnl_attr_get_u64(tb[NT_POL_A_GENERATION]));
	if (tb[NT_POL_A_RULES])
		jp_uint("rules", "rules %" PRIu64,
			mnl_attr_get_u32(tb[NT_POL_A_RULES]));
}

static int commit_reply_cb(const struct nlmsghdr *nlh, void *arg)
{
	(void)arg;
	jp_open_object(NULL);
	pol_commit_fields(nlh);
	jp_text("\n");
	jp_close_object();
	return 0;
}

/* Send the messages of a commit, inside BEGIN ... */
static int commit_send(struct commit_job *c)
{
	size_t i, j;

	for (i = 0; i < c->nb; i++) {
		struct batch *m = c->msgs[i];

		if (!nl_object_talk(obj, &m->r, NULL, NULL))
			continue;
		for (j = m->k; j-- > 0;)
			if (nl_err_offset >= (long)m->offs[j])
				break;
		if (nl_err_offset >= 0 && j < m->k)
			fprintf(stderr, "Error: %s:%d: that rule was refused; nothing changed.\n",
				c->name, m->lineno[j]);
		else
			fprintf(stderr, "Error: rules of lines %d..%d refused; nothing changed.\n",
				m->lineno[0], m->lineno[m->k - 1]);
		return EXIT_KERNEL;
	}
	return EXIT_OK;
}

/*
 * commit FILE: the whole file is read and parsed first; then BEGIN, the
 * rules in messages of up to 64 KiB, COMMIT; then the file's hook
 * settings. A file that cannot be read whole, or a bad line, sends
 * nothing; an error after BEGIN aborts the transaction. Either way nothing
 * changes. A rule the kernel refuses is named by its line, from the
 * extack offset.
 */
/*
 * The priorities of the file's "hook set" lines, before BEGIN: a hook
 * that polices or meters keeps its priority (EBUSY), and such a refusal
 * then comes before any rule changes. (In a new namespace no rule is in
 * force yet, so a restored export gets its priorities.) Their policies
 * wait for the rules, after COMMIT.
 */
static int commit_priorities(struct commit_job *c)
{
	char buf[1024];
	struct nl_req r;
	size_t i;
	int k;

	for (i = 0; i < c->nhooks; i++) {
		struct commit_line *h = &c->hooks[i];
		char **w = h->words + 2;
		int n = h->n - 2;
		char *prio[3];

		for (k = 1; k + 1 < n; k += 2)
			if (is_abbrev(w[k], "priority") || is_abbrev(w[k], "prio"))
				break;
		if (k + 1 >= n)
			continue;
		prio[0] = w[0];
		prio[1] = w[k];
		prio[2] = w[k + 1];
		nl_object_req(&r, buf, sizeof(buf), c->f, NT_POL_CMD_HOOK_SET, 0);
		pol_put_hook_set(&r, 3, prio);
		if (nl_object_talk(obj, &r, NULL, NULL)) {
			fprintf(stderr, "Error: %s:%d: hook priority refused; no rule changed.\n",
				c->name, h->lineno);
			return EXIT_KERNEL;
		}
	}
	return EXIT_OK;
}

int pol_commit(const struct nl_family *f, int argc, char **argv)
{
	struct commit_job c = { .f = f, .name = argv[0] };
	char buf[1024], err[128];
	uint64_t gen = 0;
	bool have_gen = false;
	int ret = EXIT_OK;
	struct nl_req r;
	size_t i;

	if (argc < 1)
		return usage_error("usage: ntctl policy commit FILE [ generation N ]");
	if (argc == 3 && is_abbrev(argv[1], "generation")) {
		if (parse_u64(argv[2], &gen, err, sizeof(err)))
			return usage_error("generation: %s", err);
		have_gen = true;
	} else if (argc != 1) {
		return usage_error("usage: ntctl policy commit FILE [ generation N ]");
	}
	c.in = strcmp(argv[0], "-") ? fopen(argv[0], "r") : stdin;
	if (!c.in) {
		fprintf(stderr, "Error: cannot open \"%s\": %s.\n", argv[0],
			strerror(errno));
		return EXIT_USAGE;
	}
	ret = commit_read(&c);
	if (ret)
		goto out;
	ret = commit_priorities(&c);
	if (ret)
		goto out;
	ret = pol_simple(f, NT_POL_CMD_BEGIN);
	if (ret)
		goto out;
	ret = commit_send(&c);
	if (ret) {
		pol_simple(f, NT_POL_CMD_ABORT);
		goto out;
	}
	nl_object_req(&r, buf, sizeof(buf), f, NT_POL_CMD_COMMIT, 0);
	if (have_gen)
		nl_put_u64(&r, NT_POL_A_GENERATION, gen);
	ret = nl_object_talk(obj, &r, commit_reply_cb, NULL);
	if (ret)
		goto out;
	for (i = 0; i < c.nhooks; i++) {
		struct commit_line *h = &c.hooks[i];

		nl_object_req(&r, buf, sizeof(buf), f, NT_POL_CMD_HOOK_SET, 0);
		pol_put_hook_set(&r, h->n - 2, h->words + 2);
		if (nl_object_talk(obj, &r, NULL, NULL)) {
			fprintf(stderr, "Error: %s:%d: hook setting refused (the rules are committed).\n",
				argv[0], h->lineno);
			ret = EXIT_KERNEL;
			goto out;
		}
	}
out:
	for (i = 0; i < c.nb; i++) {
		free(c.msgs[i]->buf);
		free(c.msgs[i]);
	}
	free(c.msgs);
	for (i = 0; i < c.nhooks; i++) {
		free(c.hooks[i].words);
		free(c.hooks[i].text);
	}
	free(c.hooks);
	if (c.in != stdin)
		fclose(c.in);
	return ret;
}
