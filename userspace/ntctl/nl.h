/* SPDX-License-Identifier: GPL-2.0 */
/* ntctl: generic netlink over libmnl, with extack reporting. */
#ifndef NTCTL_NL_H
#define NTCTL_NL_H

#include <errno.h>
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

/*
 * A request being built: the buffer it lives in, and whether every write
 * fit. Each writer checks the room left in the buffer and the 64 KiB an
 * attribute can hold (nla_len is 16 bits, a nest included); the first write
 * that does not fit marks the request, every later one is dropped, and
 * nl_talk() refuses to send a marked request. Callers need no check of
 * their own, and a command of any length cannot overrun the buffer.
 */
#define NL_MAX_DEPTH	4

struct nl_req {
	struct nlmsghdr *nlh;
	size_t size;			/* bytes at nlh */
	int err;			/* 0, -EMSGSIZE (buffer full), -E2BIG */
	unsigned int depth;		/* open nests */
	uint32_t nest_off[NL_MAX_DEPTH];	/* where each starts */
	uint16_t nest_type[NL_MAX_DEPTH];
	uint16_t err_path[NL_MAX_DEPTH + 1];	/* types of what did not fit */
	unsigned int err_depth;
};

/* Start a request for @family (resolved) with @cmd in @buf of @size bytes. */
struct nlmsghdr *nl_req_init(struct nl_req *r, void *buf, size_t size,
			     uint16_t family, uint8_t version, uint8_t cmd,
			     uint16_t flags);

/* Mark @r as failed at attribute @type (inside the open nests). */
bool nl_req_fail(struct nl_req *r, uint16_t type, int err);

/*
 * "command too long: ..." for a marked request, naming the attribute that
 * did not fit from @names. Returns the snprintf() length.
 */
int nl_req_error(const struct nl_req *r, const struct nl_attr_desc *names,
		 unsigned int n_names, char *buf, size_t len);

/*
 * If @r was marked (or left a nest open), print its error and return it:
 * what nl_talk() does before it sends anything. 0 for a good request.
 */
int nl_req_refuse(struct nl_req *r, const struct nl_attr_desc *names,
		  unsigned int n_names);

typedef int (*nl_msg_cb)(const struct nlmsghdr *nlh, void *arg);

/*
 * Send @req and read replies until the ack or the end of the dump, calling
 * @cb on each data message. A kernel error is printed as
 * "Error: MSG (attribute NAME, allowed MIN..MAX)" with the attribute taken
 * from the extack offset and @names; returns 0 or a negative errno.
 * A request marked by a writer that did not fit is not sent: its error is
 * printed and returned (r->err).
 */
int nl_talk(struct nl_req *req, nl_msg_cb cb, void *arg,
	    const struct nl_attr_desc *names, unsigned int n_names);

/*
 * A command that a family also multicasts as an event, and how monitor
 * names it: "object" (in JSON; the text says "OBJECT-KEYWORD object"
 * when the two differ, "cc profile") and "event".
 */
struct nl_event {
	uint8_t cmd;
	const char *object;
	const char *event;
};

/*
 * An ntkit object (ntctl's OBJECT) and its family: the one table of them
 * is nl_objects[] (objects.c).
 */
struct nl_object {
	const char *object;			/* ntctl's keyword */
	const char *family;			/* NT_*_GENL_NAME */
	const char *module;			/* registers the family */
	const struct nl_attr_desc *names;	/* its attributes */
	unsigned int n_names;
	const struct nl_event *events;		/* what monitor prints */
	unsigned int n_events;
	/* the fields of event @ev (monitor has printed its names) */
	void (*print_event)(const struct nlmsghdr *nlh,
			    const struct nl_event *ev);
};

enum { NL_OBJ_CC, NL_OBJ_POLICY, NL_OBJ_TUNNEL, NL_N_OBJECTS };

extern const struct nl_object nl_objects[NL_N_OBJECTS];

/* Resolve @o's family into @f; says why not on stderr (-errno). */
int nl_object_family(const struct nl_object *o, struct nl_family *f);

/*
 * nl_talk() with @o's attribute names; returns an exit status: EXIT_OK,
 * EXIT_USAGE (the request did not fit: nothing sent) or EXIT_KERNEL.
 */
int nl_object_talk(const struct nl_object *o, struct nl_req *r, nl_msg_cb cb,
		   void *arg);

/* Start a request of command @cmd of family @f, at ntkit's version. */
struct nlmsghdr *nl_object_req(struct nl_req *r, void *buf, size_t size,
			       const struct nl_family *f, uint8_t cmd,
			       uint16_t flags);

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
 * more than the write itself in an emulated guest. Each checks the room
 * left; see struct nl_req. They return false when the write was dropped.
 */
static inline bool nl_put(struct nl_req *r, uint16_t type, size_t len,
			  const void *data)
{
	struct nlmsghdr *nlh = r->nlh;
	size_t off = MNL_ALIGN(nlh->nlmsg_len);
	size_t alen = MNL_ATTR_HDRLEN + len;
	struct nlattr *a;

	if (r->err)
		return false;
	if (alen > UINT16_MAX)
		return nl_req_fail(r, type, -E2BIG);
	if (off > r->size || MNL_ALIGN(alen) > r->size - off)
		return nl_req_fail(r, type, -EMSGSIZE);
	a = (struct nlattr *)((char *)nlh + off);
	a->nla_type = type;
	a->nla_len = alen;
	memcpy((char *)a + MNL_ATTR_HDRLEN, data, len);
	memset((char *)a + alen, 0, MNL_ALIGN(alen) - alen);
	nlh->nlmsg_len = off + MNL_ALIGN(alen);
	return true;
}

static inline bool nl_put_u8(struct nl_req *r, uint16_t type, uint8_t v)
{
	return nl_put(r, type, sizeof(v), &v);
}

static inline bool nl_put_u16(struct nl_req *r, uint16_t type, uint16_t v)
{
	return nl_put(r, type, sizeof(v), &v);
}

static inline bool nl_put_u32(struct nl_req *r, uint16_t type, uint32_t v)
{
	return nl_put(r, type, sizeof(v), &v);
}

static inline bool nl_put_u64(struct nl_req *r, uint16_t type, uint64_t v)
{
	return nl_put(r, type, sizeof(v), &v);
}

static inline bool nl_put_strz(struct nl_req *r, uint16_t type,
			       const char *s)
{
	return nl_put(r, type, strlen(s) + 1, s);
}

/*
 * Open a nest; nl_nest_end() closes the innermost. A nest whose content
 * grows past what nla_len holds marks the request when it closes, rather
 * than wrapping its length.
 */
static inline bool nl_nest_start(struct nl_req *r, uint16_t type)
{
	bool ok;

	if (r->depth == NL_MAX_DEPTH)
		return nl_req_fail(r, type, -E2BIG);
	r->nest_off[r->depth] = MNL_ALIGN(r->nlh->nlmsg_len);
	r->nest_type[r->depth] = type;
	ok = nl_put(r, NLA_F_NESTED | type, 0, "");
	r->depth++;
	return ok;
}

static inline bool nl_nest_end(struct nl_req *r)
{
	struct nlattr *a;
	size_t len;

	if (!r->depth)
		return nl_req_fail(r, 0, -EINVAL);
	r->depth--;
	if (r->err)
		return false;
	a = (struct nlattr *)((char *)r->nlh + r->nest_off[r->depth]);
	len = r->nlh->nlmsg_len - r->nest_off[r->depth];
	if (len > UINT16_MAX)
		return nl_req_fail(r, r->nest_type[r->depth], -E2BIG);
	a->nla_len = len;
	return true;
}

#endif
