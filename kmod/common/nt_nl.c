// SPDX-License-Identifier: GPL-2.0
/*
 * ntkit netlink helpers (see nt_nl.h): a prefix and its attributes, for
 * tcp_nt's routes and nt_tun's allowed-ips alike, and the families' events.
 */
#include <linux/export.h>
#include <linux/socket.h>
#include <net/genetlink.h>
#include "nt_nl.h"

int nt_nl_get_prefix(struct nt_prefix *p, const struct nlattr *nest,
		     struct nlattr **tb, int afamily, int aaddr, int acidr,
		     struct netlink_ext_ack *extack)
{
	unsigned int alen;

	if (NT_NL_MISSING(extack, nest, tb, afamily,
			  "a prefix needs its family (AF_INET or AF_INET6)") ||
	    NT_NL_MISSING(extack, nest, tb, aaddr,
			  "a prefix needs its address (4 or 16 bytes)") ||
	    NT_NL_MISSING(extack, nest, tb, acidr,
			  "a prefix needs its length (0..32 or 0..128)"))
		return -EINVAL;
	memset(p, 0, sizeof(*p));
	p->family = nla_get_u16(tb[afamily]);
	if (p->family != AF_INET && p->family != AF_INET6) {
		NL_SET_ERR_MSG_ATTR(extack, tb[afamily],
				    "prefix family must be AF_INET (2) or AF_INET6 (10)");
		return -EAFNOSUPPORT;
	}
	alen = p->family == AF_INET ? 4 : 16;
	if (nla_len(tb[aaddr]) != alen) {
		NL_SET_ERR_MSG_ATTR(extack, tb[aaddr],
				    "prefix address must be 4 bytes (IPv4) or 16 bytes (IPv6)");
		return -EINVAL;
	}
	memcpy(p->addr.bytes, nla_data(tb[aaddr]), alen);
	p->cidr = nla_get_u8(tb[acidr]);
	if (p->cidr > alen * 8) {
		NL_SET_ERR_MSG_ATTR(extack, tb[acidr],
				    "prefix length must be 0..32 (IPv4) or 0..128 (IPv6)");
		return -EINVAL;
	}
	return 0;
}
EXPORT_SYMBOL_NS_GPL(nt_nl_get_prefix, NTKIT);

int nt_nl_put_prefix(struct sk_buff *skb, int afamily, int aaddr, int acidr,
		     const struct nt_prefix *p)
{
	if (nla_put_u16(skb, afamily, p->family) ||
	    nla_put(skb, aaddr, p->family == AF_INET ? 4 : 16, p->addr.bytes) ||
	    nla_put_u8(skb, acidr, p->cidr))
		return -EMSGSIZE;
	return 0;
}
EXPORT_SYMBOL_NS_GPL(nt_nl_put_prefix, NTKIT);

void nt_nl_notify(const struct genl_family *family, struct net *net,
		  unsigned int group, struct sk_buff *skb, int err, gfp_t gfp)
{
	if (!skb)
		return;
	if (err) {
		nlmsg_free(skb);
		return;
	}
	genlmsg_multicast_netns(family, net, skb, 0, group, gfp);
}
EXPORT_SYMBOL_NS_GPL(nt_nl_notify, NTKIT);
