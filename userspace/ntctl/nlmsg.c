// SPDX-License-Identifier: GPL-2.0
/*
 * ntctl: netlink requests as bytes: building them with a check of the room
 * left, naming their attributes, formatting extack replies. No socket here
 * (that is nl.c), so the unit tests and the fuzzer link this alone.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netlink.h>

#include "nl.h"

#ifndef NLM_F_ACK_TLVS
#define NLM_F_ACK_TLVS 0x200
#endif
#ifndef NLM_F_CAPPED
#define NLM_F_CAPPED 0x100
#endif

struct nlmsghdr *nl_req_init(struct nl_req *r, void *buf, size_t size,
			     uint16_t family, uint8_t version, uint8_t cmd,
			     uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;

	memset(r, 0, sizeof(*r));
	r->nlh = nlh;
	r->size = size;

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

/* nl_attr_path(), and in *@last the description of the attribute found. */
static int attr_path(const struct nlmsghdr *req, uint32_t off,
		     const struct nl_attr_desc *names, unsigned int n_names,
		     char *buf, size_t len, const struct nl_attr_desc **last)
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
			if ((const char *)a == start + off) {
				*last = d;
				return 0;
			}
			/* Inside it: descend as a nest. */
			p = (const char *)a + MNL_ATTR_HDRLEN;
			end = (const char *)a + a->nla_len;
			names = d ? d->nested : NULL;
			n_names = d ? d->n_nested : 0;
		}
	}
}

int nl_attr_path(const struct nlmsghdr *req, uint32_t off,
		 const struct nl_attr_desc *names, unsigned int n_names,
		 char *buf, size_t len)
{
	const struct nl_attr_desc *last;

	return attr_path(req, off, names, n_names, buf, len, &last);
}

/*
 * The name of attribute type @type missing from the nest at @nest_off
 * of @req (top level if @nest_off is -1): "PEER.ENDPOINT", or numbers
 * where the names run out.
 */
static void missing_name(const struct nlmsghdr *req, long nest_off,
			 uint32_t type, const struct nl_attr_desc *names,
			 unsigned int n_names, char *buf, size_t len)
{
	const struct nl_attr_desc *d = NULL;
	char nest[100] = "";

	if (nest_off >= 0) {
		if (!req || attr_path(req, nest_off, names, n_names, nest,
				      sizeof(nest), &d) || !nest[0])
			snprintf(nest, sizeof(nest), "?");
		names = d ? d->nested : NULL;
		n_names = d ? d->n_nested : 0;
	}
	if (names && type < n_names && names[type].name)
		snprintf(buf, len, "missing attribute %s%s%s", nest,
			 nest[0] ? "." : "", names[type].name);
	else
		snprintf(buf, len, "missing attribute %s%s%u", nest,
			 nest[0] ? "." : "", type);
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
		long nest = -1;

		if (tb[NLMSGERR_ATTR_MISS_NEST] &&
		    !mnl_attr_validate(tb[NLMSGERR_ATTR_MISS_NEST],
				       MNL_TYPE_U32))
			nest = mnl_attr_get_u32(tb[NLMSGERR_ATTR_MISS_NEST]);
		missing_name(req, nest,
			     mnl_attr_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]),
			     names, n_names, path, sizeof(path));
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

bool nl_req_fail(struct nl_req *r, uint16_t type, int err)
{
	unsigned int i;

	if (r->err)
		return false;
	r->err = err;
	for (i = 0; i < r->depth && i < NL_MAX_DEPTH; i++)
		r->err_path[i] = r->nest_type[i] & NLA_TYPE_MASK;
	r->err_path[i] = type & NLA_TYPE_MASK;
	r->err_depth = i + 1;
	return false;
}

int nl_req_error(const struct nl_req *r, const struct nl_attr_desc *names,
		 unsigned int n_names, char *buf, size_t len)
{
	char path[128];
	size_t used = 0;
	unsigned int i;

	path[0] = 0;
	for (i = 0; i < r->err_depth && used < sizeof(path); i++) {
		unsigned int t = r->err_path[i];
		const struct nl_attr_desc *d =
			names && t < n_names && names[t].name ? &names[t] : NULL;
		int n;

		if (d)
			n = snprintf(path + used, sizeof(path) - used, "%s%s",
				     i ? "." : "", d->name);
		else
			n = snprintf(path + used, sizeof(path) - used, "%s%u",
				     i ? "." : "", t);
		if (n < 0)
			break;
		used += n;
		names = d ? d->nested : NULL;
		n_names = d ? d->n_nested : 0;
	}
	if (r->err == -EINVAL)
		return snprintf(buf, len, "internal error: request %s malformed",
				path);
	if (r->err == -E2BIG)
		return snprintf(buf, len,
				"command too long: attribute %s would pass the 65535 bytes a netlink attribute holds",
				path);
	return snprintf(buf, len,
			"command too long: attribute %s does not fit in the %zu bytes of one request",
			path, r->size);
}

int nl_req_refuse(struct nl_req *r, const struct nl_attr_desc *names,
		  unsigned int n_names)
{
	char msg[256];

	if (!r->err && !r->depth)
		return 0;
	if (!r->err)
		nl_req_fail(r, 0, -EINVAL);	/* a nest left open */
	nl_req_error(r, names, n_names, msg, sizeof(msg));
	fprintf(stderr, "Error: %s.\n", msg);
	return r->err;
}
