// SPDX-License-Identifier: GPL-2.0
/* ntctl: generic netlink over libmnl, with extack reporting. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/netlink.h>

#include "nl.h"

#ifndef NLM_F_ACK_TLVS
#define NLM_F_ACK_TLVS 0x200
#endif
#ifndef NLM_F_CAPPED
#define NLM_F_CAPPED 0x100
#endif

static struct mnl_socket *nl_sock;
static uint32_t nl_portid;
static uint32_t nl_seq;
static char *nl_rxbuf;
#define NL_RXBUF_SIZE (MNL_SOCKET_BUFFER_SIZE * 8)

#define FAMILY_CACHE 8
static struct nl_family family_cache[FAMILY_CACHE];
static unsigned int family_cached;

int nl_open(void)
{
	int one = 1;

	if (nl_sock)
		return 0;
	nl_sock = mnl_socket_open(NETLINK_GENERIC);
	if (!nl_sock)
		return -errno;
	mnl_socket_setsockopt(nl_sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl_sock, NETLINK_CAP_ACK, &one, sizeof(one));
	if (mnl_socket_bind(nl_sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		int err = -errno;

		mnl_socket_close(nl_sock);
		nl_sock = NULL;
		return err;
	}
	nl_portid = mnl_socket_get_portid(nl_sock);
	nl_seq = time(NULL);
	nl_rxbuf = malloc(NL_RXBUF_SIZE);
	if (!nl_rxbuf)
		return -ENOMEM;
	return 0;
}

void nl_close(void)
{
	if (nl_sock)
		mnl_socket_close(nl_sock);
	nl_sock = NULL;
	free(nl_rxbuf);
	nl_rxbuf = NULL;
	family_cached = 0;
}

struct nlmsghdr *nl_msg(void *buf, uint16_t family, uint8_t version,
			uint8_t cmd, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = family;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = version;
	return nlh;
}

static int parse_op(const struct nlattr *a, struct nl_family *f)
{
	const struct nlattr *x;
	uint32_t cmd = 0, flags = 0;

	mnl_attr_for_each_nested(x, a) {
		if (mnl_attr_get_type(x) == CTRL_ATTR_OP_ID &&
		    !mnl_attr_validate(x, MNL_TYPE_U32))
			cmd = mnl_attr_get_u32(x);
		else if (mnl_attr_get_type(x) == CTRL_ATTR_OP_FLAGS &&
			 !mnl_attr_validate(x, MNL_TYPE_U32))
			flags = mnl_attr_get_u32(x);
	}
	if (f->n_ops < NL_MAX_OPS) {
		f->ops[f->n_ops].cmd = cmd;
		f->ops[f->n_ops].flags = flags;
		f->n_ops++;
	}
	return 0;
}

static int parse_group(const struct nlattr *a, struct nl_family *f)
{
	const struct nlattr *x;

	if (f->n_groups >= NL_MAX_GROUPS)
		return 0;
	mnl_attr_for_each_nested(x, a) {
		if (mnl_attr_get_type(x) == CTRL_ATTR_MCAST_GRP_NAME &&
		    !mnl_attr_validate(x, MNL_TYPE_NUL_STRING))
			snprintf(f->groups[f->n_groups].name, GENL_NAMSIZ, "%s",
				 mnl_attr_get_str(x));
		else if (mnl_attr_get_type(x) == CTRL_ATTR_MCAST_GRP_ID &&
			 !mnl_attr_validate(x, MNL_TYPE_U32))
			f->groups[f->n_groups].id = mnl_attr_get_u32(x);
	}
	f->n_groups++;
	return 0;
}

int nl_parse_family(const struct nlmsghdr *nlh, struct nl_family *f)
{
	const struct nlattr *a, *x;

	memset(f, 0, sizeof(*f));
	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		switch (mnl_attr_get_type(a)) {
		case CTRL_ATTR_FAMILY_NAME:
			if (!mnl_attr_validate(a, MNL_TYPE_NUL_STRING))
				snprintf(f->name, sizeof(f->name), "%s",
					 mnl_attr_get_str(a));
			break;
		case CTRL_ATTR_FAMILY_ID:
			if (!mnl_attr_validate(a, MNL_TYPE_U16))
				f->id = mnl_attr_get_u16(a);
			break;
		case CTRL_ATTR_VERSION:
			if (!mnl_attr_validate(a, MNL_TYPE_U32))
				f->version = mnl_attr_get_u32(a);
			break;
		case CTRL_ATTR_HDRSIZE:
			if (!mnl_attr_validate(a, MNL_TYPE_U32))
				f->hdrsize = mnl_attr_get_u32(a);
			break;
		case CTRL_ATTR_MAXATTR:
			if (!mnl_attr_validate(a, MNL_TYPE_U32))
				f->maxattr = mnl_attr_get_u32(a);
			break;
		case CTRL_ATTR_OPS:
			mnl_attr_for_each_nested(x, a)
				parse_op(x, f);
			break;
		case CTRL_ATTR_MCAST_GROUPS:
			mnl_attr_for_each_nested(x, a)
				parse_group(x, f);
			break;
		}
	}
	return f->id ? 0 : -EINVAL;
}

static int talk(struct nlmsghdr *req, nl_msg_cb cb, void *arg,
		const struct nl_attr_desc *names, unsigned int n_names,
		bool report);

static int family_cb(const struct nlmsghdr *nlh, void *arg)
{
	return nl_parse_family(nlh, arg);
}

int nl_family(const char *name, struct nl_family *out)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	unsigned int i;
	int err;

	for (i = 0; i < family_cached; i++) {
		if (!strcmp(family_cache[i].name, name)) {
			*out = family_cache[i];
			return 0;
		}
	}
	err = nl_open();
	if (err)
		return err;
	nlh = nl_msg(buf, GENL_ID_CTRL, 1, CTRL_CMD_GETFAMILY, NLM_F_ACK);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, name);
	/* A missing family is not an error to print: the caller says it. */
	err = talk(nlh, family_cb, out, NULL, 0, false);
	if (err)
		return err;
	if (family_cached < FAMILY_CACHE)
		family_cache[family_cached++] = *out;
	return 0;
}

int nl_attr_path(const struct nlmsghdr *req, uint32_t off,
		 const struct nl_attr_desc *names, unsigned int n_names,
		 char *buf, size_t len)
{
	const char *start = (const char *)req;
	const char *p = start + NLMSG_HDRLEN + GENL_HDRLEN;
	const char *end = start + req->nlmsg_len;
	size_t used = 0;
	bool first = true;

	if (off > req->nlmsg_len)
		return -1;
	buf[0] = 0;
	for (;;) {
		const struct nlattr *a = NULL;
		const char *q;

		/* Find the attribute at this level that holds @off. */
		for (q = p; q + sizeof(struct nlattr) <= end;) {
			const struct nlattr *x = (const struct nlattr *)q;
			size_t l = x->nla_len;

			if (l < sizeof(struct nlattr) || q + l > end)
				return -1;
			if ((size_t)(start + off - q) < l ||
			    start + off == q) {
				a = x;
				break;
			}
			q += MNL_ALIGN(l);
		}
		if (!a)
			return -1;
		{
			unsigned int type = a->nla_type & NLA_TYPE_MASK;
			const struct nl_attr_desc *d =
				names && type < n_names ? &names[type] : NULL;
			int n;

			if (d && d->name)
				n = snprintf(buf + used, len - used, "%s%s",
					     first ? "" : ".", d->name);
			else
				n = snprintf(buf + used, len - used, "%s%u",
					     first ? "" : ".", type);
			if (n < 0 || (size_t)n >= len - used)
				return 0;
			used += n;
			first = false;
			if ((const char *)a == start + off)
				return 0;
			/* Inside it: descend as a nest. */
			p = (const char *)a + MNL_ATTR_HDRLEN;
			end = (const char *)a + a->nla_len;
			names = d ? d->nested : NULL;
			n_names = d ? d->n_nested : 0;
		}
	}
}

static void format_policy(const struct nlattr *pol, char *buf, size_t len)
{
	const struct nlattr *x;
	bool has_min = false, has_max = false, has_lmin = false,
	     has_lmax = false, sgn = false;
	uint64_t umin = 0, umax = 0;
	int64_t smin = 0, smax = 0;
	uint32_t lmin = 0, lmax = 0;

	buf[0] = 0;
	mnl_attr_for_each_nested(x, pol) {
		switch (mnl_attr_get_type(x)) {
		case NL_POLICY_TYPE_ATTR_MIN_VALUE_U:
			umin = mnl_attr_get_u64(x);
			has_min = true;
			break;
		case NL_POLICY_TYPE_ATTR_MAX_VALUE_U:
			umax = mnl_attr_get_u64(x);
			has_max = true;
			break;
		case NL_POLICY_TYPE_ATTR_MIN_VALUE_S:
			smin = (int64_t)mnl_attr_get_u64(x);
			has_min = sgn = true;
			break;
		case NL_POLICY_TYPE_ATTR_MAX_VALUE_S:
			smax = (int64_t)mnl_attr_get_u64(x);
			has_max = sgn = true;
			break;
		case NL_POLICY_TYPE_ATTR_MIN_LENGTH:
			lmin = mnl_attr_get_u32(x);
			has_lmin = true;
			break;
		case NL_POLICY_TYPE_ATTR_MAX_LENGTH:
			lmax = mnl_attr_get_u32(x);
			has_lmax = true;
			break;
		}
	}
	if (has_min && has_max && sgn)
		snprintf(buf, len, ", allowed %" PRId64 "..%" PRId64, smin,
			 smax);
	else if (has_min && has_max)
		snprintf(buf, len, ", allowed %" PRIu64 "..%" PRIu64, umin,
			 umax);
	else if (has_lmin || has_lmax)
		snprintf(buf, len, ", length %u..%u bytes", lmin, lmax);
}

long nl_err_offset = -1;

int nl_format_error(const struct nlmsghdr *nlh, const struct nlmsghdr *req,
		    const struct nl_attr_desc *names, unsigned int n_names,
		    char *buf, size_t len)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[NLMSGERR_ATTR_MAX + 1] = {};
	const struct nlattr *a;
	char path[128] = "", pol[96] = "";
	const char *msg = NULL;
	unsigned int hlen;
	int error = e->error;

	if (nlh->nlmsg_type == NLMSG_DONE) {
		/* A dump that failed: the error is the payload's int. */
		error = *(const int *)mnl_nlmsg_get_payload(nlh);
		hlen = sizeof(int);
	} else {
		hlen = sizeof(*e);
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
			hlen += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
	}
	if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) &&
	    mnl_nlmsg_get_payload_len(nlh) > hlen) {
		mnl_attr_for_each(a, nlh, hlen) {
			if (mnl_attr_get_type(a) <= NLMSGERR_ATTR_MAX)
				tb[mnl_attr_get_type(a)] = a;
		}
	}
	if (tb[NLMSGERR_ATTR_MSG] &&
	    !mnl_attr_validate(tb[NLMSGERR_ATTR_MSG], MNL_TYPE_NUL_STRING))
		msg = mnl_attr_get_str(tb[NLMSGERR_ATTR_MSG]);
	if (tb[NLMSGERR_ATTR_OFFS] && req &&
	    !mnl_attr_validate(tb[NLMSGERR_ATTR_OFFS], MNL_TYPE_U32)) {
		char p[100];

		nl_err_offset = mnl_attr_get_u32(tb[NLMSGERR_ATTR_OFFS]);
		if (!nl_attr_path(req, mnl_attr_get_u32(tb[NLMSGERR_ATTR_OFFS]),
				  names, n_names, p, sizeof(p)))
			snprintf(path, sizeof(path), "attribute %s", p);
	}
	if (tb[NLMSGERR_ATTR_MISS_TYPE] &&
	    !mnl_attr_validate(tb[NLMSGERR_ATTR_MISS_TYPE], MNL_TYPE_U32)) {
		uint32_t t = mnl_attr_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]);

		if (names && t < n_names && names[t].name)
			snprintf(path, sizeof(path), "missing attribute %s",
				 names[t].name);
		else
			snprintf(path, sizeof(path), "missing attribute %u", t);
	}
	if (tb[NLMSGERR_ATTR_POLICY])
		format_policy(tb[NLMSGERR_ATTR_POLICY], pol, sizeof(pol));
	if (!msg && error == -EPERM)
		msg = "Operation not permitted: it needs CAP_NET_ADMIN in the user namespace of this network namespace";
	if (!msg)
		msg = strerror(-error);
	if (path[0])
		return snprintf(buf, len, "%s (%s%s)", msg, path, pol);
	if (pol[0])
		return snprintf(buf, len, "%s (%s)", msg, pol + 2);
	return snprintf(buf, len, "%s", msg);
}

static int talk(struct nlmsghdr *req, nl_msg_cb cb, void *arg,
		const struct nl_attr_desc *names, unsigned int n_names,
		bool report)
{
	/* NLM_F_DUMP is two bits; NLM_F_REPLACE alone shares one of them */
	bool dump = (req->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;
	uint32_t seq;
	ssize_t n;
	int err;

	nl_err_offset = -1;
	err = nl_open();
	if (err)
		return err;
	seq = ++nl_seq;
	req->nlmsg_seq = seq;
	req->nlmsg_flags |= NLM_F_ACK;
	if (mnl_socket_sendto(nl_sock, req, req->nlmsg_len) < 0)
		return -errno;

	for (;;) {
		const struct nlmsghdr *nlh;
		int len;

		n = mnl_socket_recvfrom(nl_sock, nl_rxbuf, NL_RXBUF_SIZE);
		if (n < 0)
			return -errno;
		len = n;
		for (nlh = (const struct nlmsghdr *)nl_rxbuf;
		     mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
			if (nlh->nlmsg_seq != seq ||
			    nlh->nlmsg_pid != nl_portid)
				continue;
			if (nlh->nlmsg_type == NLMSG_ERROR ||
			    (nlh->nlmsg_type == NLMSG_DONE &&
			     mnl_nlmsg_get_payload_len(nlh) >= sizeof(int) &&
			     *(const int *)mnl_nlmsg_get_payload(nlh))) {
				const struct nlmsgerr *e =
					mnl_nlmsg_get_payload(nlh);
				int error = nlh->nlmsg_type == NLMSG_DONE ?
					*(const int *)e : e->error;
				char msg[512];

				if (!error) {
					if (!dump)
						return 0;
					continue;
				}
				if (report) {
					nl_format_error(nlh, req, names,
							n_names, msg,
							sizeof(msg));
					fprintf(stderr, "Error: %s.\n", msg);
				}
				return error;
			}
			if (nlh->nlmsg_type == NLMSG_DONE)
				return 0;
			if (nlh->nlmsg_type == NLMSG_NOOP ||
			    nlh->nlmsg_type == NLMSG_OVERRUN)
				continue;
			if (cb) {
				err = cb(nlh, arg);
				if (err)
					return err;
			}
		}
	}
}

int nl_talk(struct nlmsghdr *req, nl_msg_cb cb, void *arg,
	    const struct nl_attr_desc *names, unsigned int n_names)
{
	return talk(req, cb, arg, names, n_names, true);
}

int nl_listen(const uint32_t *groups, unsigned int n, nl_msg_cb cb, void *arg)
{
	unsigned int i;
	ssize_t len;
	int err;

	err = nl_open();
	if (err)
		return err;
	for (i = 0; i < n; i++)
		if (mnl_socket_setsockopt(nl_sock, NETLINK_ADD_MEMBERSHIP,
					  (void *)&groups[i],
					  sizeof(groups[i])) < 0)
			return -errno;
	for (;;) {
		const struct nlmsghdr *nlh;
		int left;

		len = mnl_socket_recvfrom(nl_sock, nl_rxbuf, NL_RXBUF_SIZE);
		if (len < 0)
			return -errno;
		left = len;
		for (nlh = (const struct nlmsghdr *)nl_rxbuf;
		     mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left)) {
			/* events come from the kernel, unsolicited */
			if (nlh->nlmsg_pid || nlh->nlmsg_type < NLMSG_MIN_TYPE)
				continue;
			err = cb(nlh, arg);
			if (err)
				return err;
		}
	}
}
