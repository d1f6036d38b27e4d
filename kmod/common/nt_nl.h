/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ntkit netlink helpers: a prefix to and from its three attributes, as
 * tcp_nt's routes and nt_tun's allowed-ips carry it (exported by
 * nt_common.ko, namespace NTKIT), and how the families report a missing
 * attribute.
 */
#ifndef _NT_NL_H
#define _NT_NL_H

#include <net/genetlink.h>
#include <net/netlink.h>
#include "nt_compat.h"
#include "nt_prefix.h"

/*
 * The prefix of attributes @tb[@afamily] (u16: AF_INET or AF_INET6),
 * @tb[@aaddr] (4 or 16 bytes, by the family) and @tb[@acidr] (u8: up to
 * 32 or 128), validated for their types already, into @p. A missing one
 * is reported as missing from @nest (NULL: the message); a bad one with
 * a message that names it and the allowed values. 0, -EINVAL or
 * -EAFNOSUPPORT.
 */
int nt_nl_get_prefix(struct nt_prefix *p, const struct nlattr *nest,
		     struct nlattr **tb, int afamily, int aaddr, int acidr,
		     struct netlink_ext_ack *extack);

/*
 * Whether the required attribute @tb[@type] is missing: the one way the
 * ntkit families report it. If it is, the extended ack names it by type
 * (NLMSGERR_ATTR_MISS_TYPE, in @nest, NULL for the top level: ntctl
 * prints its name) and says @msg, a literal that names it in words with
 * the values it takes.
 */
#define NT_NL_MISSING(extack, nest, tb, type, msg) ({			\
	struct netlink_ext_ack *__ack = (extack);			\
	bool __missing = NL_REQ_ATTR_CHECK(__ack, nest, tb, type);	\
									\
	if (__missing)							\
		NL_SET_ERR_MSG(__ack, msg);				\
	__missing;							\
})

/*
 * Multicast @skb, an event of @family, to @family's multicast group
 * @group in @net; or free it if @err (it could not be filled). Nothing if
 * @skb is NULL (no memory): an event may be lost, as rtnetlink's may; a
 * listener that must not miss one reads the state again with a dump.
 */
void nt_nl_notify(const struct genl_family *family, struct net *net,
		  unsigned int group, struct sk_buff *skb, int err, gfp_t gfp);

/* @p as those three attributes; 0 or -EMSGSIZE. */
int nt_nl_put_prefix(struct sk_buff *skb, int afamily, int aaddr, int acidr,
		     const struct nt_prefix *p);

#endif /* _NT_NL_H */
