// SPDX-License-Identifier: GPL-2.0
/* ntctl's netlink socket side, faked for the host tests and the fuzzer. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nl.h"
#include "fake_kernel.h"

struct fake_kernel fake;

void fake_reset(void)
{
	memset(&fake, 0, sizeof(fake));
}

/* The attributes in @len bytes at @p, and those of every nest, exactly. */
static int check_attrs(const char *p, size_t len, int depth)
{
	if (depth > 16)
		return -1;
	while (len > 0) {
		const struct nlattr *a = (const struct nlattr *)p;
		size_t alen;

		if (len < sizeof(*a))
			return -1;
		alen = a->nla_len;
		if (alen < sizeof(*a) || alen > len)
			return -1;
		if ((a->nla_type & NLA_F_NESTED) &&
		    check_attrs(p + MNL_ATTR_HDRLEN, alen - MNL_ATTR_HDRLEN,
				depth + 1))
			return -1;
		alen = MNL_ALIGN(alen);
		if (alen > len)
			return -1;
		p += alen;
		len -= alen;
	}
	return 0;
}

int fake_check_tree(const void *buf)
{
	const struct nlmsghdr *nlh = buf;
	size_t hdr = MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(struct genlmsghdr));

	if (nlh->nlmsg_len < hdr)
		return -1;
	return check_attrs((const char *)nlh + hdr, nlh->nlmsg_len - hdr, 0);
}

int nl_open(void)
{
	return 0;
}

void nl_close(void)
{
}

int nl_family(const char *name, struct nl_family *out)
{
	memset(out, 0, sizeof(*out));
	snprintf(out->name, sizeof(out->name), "%s", name);
	out->id = 0x100 + (uint8_t)name[0];
	out->version = 1;
	return 0;
}

int nl_talk(struct nl_req *r, nl_msg_cb cb, void *arg,
	    const struct nl_attr_desc *names, unsigned int n_names)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(r->nlh);
	int err;

	(void)cb;
	(void)arg;
	nl_err_offset = -1;
	err = nl_req_refuse(r, names, n_names);
	if (err)
		return err;
	if (r->nlh->nlmsg_len > r->size || fake_check_tree(r->nlh)) {
		fprintf(stderr, "fake kernel: a malformed request\n");
		abort();
	}
	if (fake.sent < FAKE_MAX_SENT) {
		fake.cmd[fake.sent] = g->cmd;
		fake.len[fake.sent] = r->nlh->nlmsg_len;
	}
	fake.sent++;
	return 0;
}

int nl_listen(const uint32_t *groups, unsigned int n, nl_msg_cb cb, void *arg)
{
	(void)groups;
	(void)n;
	(void)cb;
	(void)arg;
	return -EOPNOTSUPP;
}
