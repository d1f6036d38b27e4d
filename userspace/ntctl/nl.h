/* SPDX-License-Identifier: GPL-2.0 */
/* ntctl: generic netlink over libmnl, with extack reporting. */
#ifndef NTCTL_NL_H
#define NTCTL_NL_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include <string.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>

#define NL_MAX_OPS	64
#define NL_MAX_GROUPS	8

struct nl_family {
	char name[GENL_NAMSIZ];
	uint16_t id;
	uint32_t version;
	uint32_t hdrsize;
	uint32_t maxattr;
	unsigned int n_ops;
	struct { uint32_t cmd, flags; } ops[NL_MAX_OPS];
	unsigned int n_groups;
	struct { char name[GENL_NAMSIZ]; uint32_t id; } groups[NL_MAX_GROUPS];
};

/* Names of a family's attributes, for error messages: indexed by type. */
struct nl_attr_desc {
	const char *name;
	const struct nl_attr_desc *nested;	/* NULL: not nested */
	unsigned int n_nested;
};

int nl_open(void);
void nl_close(void);

/*
 * Resolve a family by name through nlctrl, cached for the process.
 * Returns 0, or -ENOENT when the running kernel does not have it.
 */
int nl_family(const char *name, struct nl_family *out);

/* Parse one CTRL_CMD_NEWFAMILY message into @f. */
int nl_parse_family(const struct nlmsghdr *nlh, struct nl_family *f);

/* Start a request for @family (resolved) with @cmd in @buf. */
struct nlmsghdr *nl_msg(void *buf, uint16_t family, uint8_t version,
			uint8_t cmd, uint16_t flags);

typedef int (*nl_msg_cb)(const struct nlmsghdr *nlh, void *arg);

/*
 * Send @req and read replies until the ack or the end of the dump, calling
 * @cb on each data message. A kernel error is printed as
 * "Error: MSG (attribute NAME, allowed MIN..MAX)" with the attribute taken
 * from the extack offset and @names; returns 0 or a negative errno.
 */
int nl_talk(struct nlmsghdr *req, nl_msg_cb cb, void *arg,
	    const struct nl_attr_desc *names, unsigned int n_names);

/*
 * The dotted name of the attribute starting at byte @off of the genl
 * request @req (e.g. "PROFILE.CWND_GAIN"); unknown types print as
 * numbers. Returns 0, or -1 if no attribute starts there.
 */
int nl_attr_path(const struct nlmsghdr *req, uint32_t off,
		 const struct nl_attr_desc *names, unsigned int n_names,
		 char *buf, size_t len);

/*
 * The extack offset of the last error nl_talk() reported (bytes from the
 * start of the request), or -1.
 */
extern long nl_err_offset;

/* Format an extack error reply for @req into @buf (for tests as well). */
int nl_format_error(const struct nlmsghdr *err_nlh,
		    const struct nlmsghdr *req,
		    const struct nl_attr_desc *names, unsigned int n_names,
		    char *buf, size_t len);


/*
 * Join the multicast groups @groups (ids) and call @cb on every message
 * that arrives, until @cb returns non-zero or the socket fails. Returns
 * the callback's value or a negative errno.
 */
int nl_listen(const uint32_t *groups, unsigned int n, nl_msg_cb cb, void *arg);

/*
 * Attribute writers with libmnl's layout, inline: a commit file of 100k
 * rules writes 700k attributes, and a call through the PLT for each costs
 * more than the write itself in an emulated guest. Like mnl_attr_put(),
 * they trust the caller to leave room.
 */
static inline void nl_put(struct nlmsghdr *nlh, uint16_t type, size_t len,
			  const void *data)
{
	struct nlattr *a = (struct nlattr *)((char *)nlh +
					     MNL_ALIGN(nlh->nlmsg_len));
	size_t alen = MNL_ATTR_HDRLEN + len;

	a->nla_type = type;
	a->nla_len = alen;
	memcpy((char *)a + MNL_ATTR_HDRLEN, data, len);
	memset((char *)a + alen, 0, MNL_ALIGN(alen) - alen);
	nlh->nlmsg_len = MNL_ALIGN(nlh->nlmsg_len) + MNL_ALIGN(alen);
}

static inline void nl_put_u8(struct nlmsghdr *nlh, uint16_t type, uint8_t v)
{
	nl_put(nlh, type, sizeof(v), &v);
}

static inline void nl_put_u16(struct nlmsghdr *nlh, uint16_t type,
			      uint16_t v)
{
	nl_put(nlh, type, sizeof(v), &v);
}

static inline void nl_put_u32(struct nlmsghdr *nlh, uint16_t type,
			      uint32_t v)
{
	nl_put(nlh, type, sizeof(v), &v);
}

static inline void nl_put_u64(struct nlmsghdr *nlh, uint16_t type,
			      uint64_t v)
{
	nl_put(nlh, type, sizeof(v), &v);
}

static inline void nl_put_strz(struct nlmsghdr *nlh, uint16_t type,
			       const char *s)
{
	nl_put(nlh, type, strlen(s) + 1, s);
}

static inline struct nlattr *nl_nest_start(struct nlmsghdr *nlh,
					   uint16_t type)
{
	struct nlattr *a = (struct nlattr *)((char *)nlh +
					     MNL_ALIGN(nlh->nlmsg_len));

	a->nla_type = NLA_F_NESTED | type;
	a->nla_len = MNL_ATTR_HDRLEN;
	nlh->nlmsg_len = MNL_ALIGN(nlh->nlmsg_len) + MNL_ATTR_HDRLEN;
	return a;
}

static inline void nl_nest_end(struct nlmsghdr *nlh, struct nlattr *a)
{
	a->nla_len = (char *)nlh + nlh->nlmsg_len - (char *)a;
}

#endif
