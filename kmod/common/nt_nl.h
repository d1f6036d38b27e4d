/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ntkit netlink helpers, exported by nt_common.ko (namespace NTKIT): a
 * prefix to and from its three attributes, as tcp_nt's routes and
 * nt_tun's allowed-ips carry it.
 */
#ifndef _NT_NL_H
#define _NT_NL_H

#include <net/netlink.h>
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

/* @p as those three attributes; 0 or -EMSGSIZE. */
int nt_nl_put_prefix(struct sk_buff *skb, int afamily, int aaddr, int acidr,
		     const struct nt_prefix *p);

#endif /* _NT_NL_H */
