// SPDX-License-Identifier: GPL-2.0
/*
 * nt_tun: the peers' commands of the nt_tun family (see netlink.h): a
 * request's peer parsed into a struct nt_tun_peer_cfg for peer.c, a peer
 * filled into a message, and its events.
 */
#include <linux/in.h>
#include <linux/in6.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include "nt_nl.h"
#include "netlink.h"

static const struct nla_policy nt_tun_aip_policy[NT_TUN_AIP_A_MAX + 1] = {
	[NT_TUN_AIP_A_FAMILY] = { .type = NLA_U16 },
	[NT_TUN_AIP_A_ADDR] = NLA_POLICY_RANGE(NLA_BINARY, 4, 16),
	[NT_TUN_AIP_A_CIDR] = NLA_POLICY_MAX(NLA_U8, 128),
};

const struct nla_policy nt_tun_peer_policy[NT_TUN_PEER_A_MAX + 1] = {
	[NT_TUN_PEER_A_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[NT_TUN_PEER_A_ENDPOINT] =
		NLA_POLICY_RANGE(NLA_BINARY, sizeof(struct sockaddr_in),
				 sizeof(struct sockaddr_in6)),
	[NT_TUN_PEER_A_KEEPALIVE] = NLA_POLICY_MAX(NLA_U16,
						   NT_TUN_KEEPALIVE_MAX),
	[NT_TUN_PEER_A_ALLOWEDIPS] = NLA_POLICY_NESTED_ARRAY(nt_tun_aip_policy),
	[NT_TUN_PEER_A_RX_PACKETS] = { .type = NLA_REJECT },
	[NT_TUN_PEER_A_RX_BYTES] = { .type = NLA_REJECT },
	[NT_TUN_PEER_A_TX_PACKETS] = { .type = NLA_REJECT },
	[NT_TUN_PEER_A_TX_BYTES] = { .type = NLA_REJECT },
	[NT_TUN_PEER_A_LAST_RX] = { .type = NLA_REJECT },
	[NT_TUN_PEER_A_DROPS] = { .type = NLA_REJECT },
};

/* An endpoint as netlink carries it: a sockaddr_in or sockaddr_in6. */
static int nt_tun_put_ep(struct sk_buff *skb, const struct nt_tun_ep *ep)
{
	union {
		struct sockaddr_in sin;
		struct sockaddr_in6 sin6;
	} sa = {};

	if (ep->addr.family == AF_INET) {
		sa.sin.sin_family = AF_INET;
		sa.sin.sin_port = ep->port;
		sa.sin.sin_addr.s_addr = ep->addr.ip4;
		return nla_put(skb, NT_TUN_PEER_A_ENDPOINT, sizeof(sa.sin),
			       &sa.sin);
	}
	sa.sin6.sin6_family = AF_INET6;
	sa.sin6.sin6_port = ep->port;
	sa.sin6.sin6_addr = ep->addr.ip6;
	return nla_put(skb, NT_TUN_PEER_A_ENDPOINT, sizeof(sa.sin6), &sa.sin6);
}

/* ... and an endpoint from netlink, into @ep's address and port. */
static int nt_tun_parse_ep(struct nlattr *a, struct nt_tun_ep *ep,
			   struct netlink_ext_ack *extack)
{
	const struct sockaddr *sa = nla_data(a);
	bool bad;

	memset(ep, 0, sizeof(*ep));
	if (sa->sa_family == AF_INET &&
	    nla_len(a) == sizeof(struct sockaddr_in)) {
		const struct sockaddr_in *sin = nla_data(a);

		ep->addr.family = AF_INET;
		ep->addr.ip4 = sin->sin_addr.s_addr;
		ep->port = sin->sin_port;
		bad = ipv4_is_multicast(ep->addr.ip4) || !ep->addr.ip4;
	} else if (sa->sa_family == AF_INET6 &&
		   nla_len(a) == sizeof(struct sockaddr_in6)) {
		const struct sockaddr_in6 *sin6 = nla_data(a);

		ep->addr.family = AF_INET6;
		ep->addr.ip6 = sin6->sin6_addr;
		ep->port = sin6->sin6_port;
		bad = ipv6_addr_is_multicast(&ep->addr.ip6) ||
		      ipv6_addr_any(&ep->addr.ip6);
	} else {
		NL_SET_ERR_MSG_ATTR(extack, a,
				    "endpoint must be a sockaddr_in (16 bytes) or sockaddr_in6 (28 bytes)");
		return -EINVAL;
	}
	if (!ep->port) {
		NL_SET_ERR_MSG_ATTR(extack, a, "endpoint port must be 1..65535");
		return -EINVAL;
	}
	if (bad) {
		NL_SET_ERR_MSG_ATTR(extack, a,
				    "endpoint address must be a unicast address");
		return -EINVAL;
	}
	return 0;
}

/* Check every allowed-ip of @list (validated nests) into @out[]. */
static int nt_tun_parse_aips(struct nlattr *list, struct nt_prefix **out,
			     unsigned int *n, struct netlink_ext_ack *extack)
{
	struct nlattr *tb[NT_TUN_AIP_A_MAX + 1], *a;
	unsigned int count = 0;
	struct nt_prefix *p;
	int rem, err;

	*out = NULL;
	*n = 0;
	if (!list)
		return 0;
	/*
	 * At most 65,535 bytes of nests (a u16 length): about 2,300
	 * prefixes, or 16,383 empty nests, which the first parse refuses.
	 * The limit, max_allowedips, is the device's, checked by peer.c.
	 */
	nla_for_each_nested(a, list, rem)
		count++;
	p = kvcalloc(count ? : 1, sizeof(*p), GFP_KERNEL_ACCOUNT);
	if (!p)
		return -ENOMEM;
	nla_for_each_nested(a, list, rem) {
		struct nt_prefix *q = &p[*n];

		err = nla_parse_nested(tb, NT_TUN_AIP_A_MAX, a,
				       nt_tun_aip_policy, extack);
		if (err)
			goto err_aips;
		err = nt_nl_get_prefix(q, a, tb, NT_TUN_AIP_A_FAMILY,
				       NT_TUN_AIP_A_ADDR, NT_TUN_AIP_A_CIDR,
				       extack);
		if (err)
			goto err_aips;
		(*n)++;
	}
	*out = p;
	return 0;
err_aips:
	kvfree(p);
	return err;
}

struct nt_tun_peer_req {
	struct nlattr *tb[NT_TUN_PEER_A_MAX + 1];
	struct nt_tun_ep ep;
	struct nt_prefix *aips;
	unsigned int naips;
	u32 id;
};

static int nt_tun_peer_parse(struct genl_info *info, struct nt_tun_peer_req *r,
			     bool need_ep)
{
	struct nlattr *pa = info->attrs[NT_TUN_A_PEER];
	int err;

	memset(r, 0, sizeof(*r));
	if (NT_NL_MISSING(info->extack, NULL, info->attrs, NT_TUN_A_PEER,
			  "the peer (NT_TUN_A_PEER) is required"))
		return -EINVAL;
	err = nla_parse_nested(r->tb, NT_TUN_PEER_A_MAX, pa,
			       nt_tun_peer_policy, info->extack);
	if (err)
		return err;
	if (NT_NL_MISSING(info->extack, pa, r->tb, NT_TUN_PEER_A_ID,
			  "peer id (NT_TUN_PEER_A_ID, 1..4294967295) is required"))
		return -EINVAL;
	r->id = nla_get_u32(r->tb[NT_TUN_PEER_A_ID]);
	if (need_ep &&
	    NT_NL_MISSING(info->extack, pa, r->tb, NT_TUN_PEER_A_ENDPOINT,
			  "peer endpoint (NT_TUN_PEER_A_ENDPOINT, a sockaddr_in/in6) is required"))
		return -EINVAL;
	if (r->tb[NT_TUN_PEER_A_ENDPOINT]) {
		err = nt_tun_parse_ep(r->tb[NT_TUN_PEER_A_ENDPOINT], &r->ep,
				      info->extack);
		if (err)
			return err;
	}
	return nt_tun_parse_aips(r->tb[NT_TUN_PEER_A_ALLOWEDIPS], &r->aips,
			     &r->naips, info->extack);
}

/* The change @r asks for, in the terms of peer.c. */
static void nt_tun_req_cfg(struct nt_tun_peer_req *r, struct nt_tun_peer_cfg *cfg)
{
	struct nlattr *ka = r->tb[NT_TUN_PEER_A_KEEPALIVE];

	cfg->id = r->id;
	cfg->ep = r->tb[NT_TUN_PEER_A_ENDPOINT] ? &r->ep : NULL;
	cfg->aips = r->aips;
	cfg->naips = r->naips;
	cfg->set_aips = r->tb[NT_TUN_PEER_A_ALLOWEDIPS];
	cfg->keepalive = ka ? nla_get_u16(ka) : -1;
}

/*
 * A peer message. @aip_skip: allowed-ips already sent (updated); with
 * @aips false, none are sent (events). Returns 0 when the peer is
 * complete, 1 when the message is full and the peer continues in the
 * next one, -EMSGSIZE when nothing of it fitted.
 */
static int nt_tun_fill_peer(struct sk_buff *skb, struct nt_tun_peer *peer,
			    u32 portid, u32 seq, int flags, u8 cmd,
			unsigned long *aip_skip, bool aips)
{
	const struct nt_tun_ep *ep = rcu_dereference_protected(peer->ep, 1);
	struct nlattr *pn, *list;
	struct nt_tun_aip *aip;
	unsigned long i = 0, skip = aip_skip ? *aip_skip : 0;
	bool partial = false, some = false;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &nt_tun_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, NT_TUN_A_IFINDEX, peer->nt->dev->ifindex))
		goto cancel;
	pn = nla_nest_start(skb, NT_TUN_A_PEER);
	if (!pn || nla_put_u32(skb, NT_TUN_PEER_A_ID, peer->id))
		goto cancel;
	if (!skip) {
		struct nt_tun_peer_pcpu s;

		nt_tun_peer_stats(peer, &s);
		if (nt_tun_put_ep(skb, ep) ||
		    nla_put_u16(skb, NT_TUN_PEER_A_KEEPALIVE, peer->keepalive))
			goto cancel;
		if (aips &&
		    (nla_put_u64_64bit(skb, NT_TUN_PEER_A_RX_PACKETS,
				       s.rx_packets, NT_TUN_PEER_A_PAD) ||
		     nla_put_u64_64bit(skb, NT_TUN_PEER_A_RX_BYTES,
				       s.rx_bytes, NT_TUN_PEER_A_PAD) ||
		     nla_put_u64_64bit(skb, NT_TUN_PEER_A_TX_PACKETS,
				       s.tx_packets, NT_TUN_PEER_A_PAD) ||
		     nla_put_u64_64bit(skb, NT_TUN_PEER_A_TX_BYTES,
				       s.tx_bytes, NT_TUN_PEER_A_PAD) ||
		     nla_put_u64_64bit(skb, NT_TUN_PEER_A_LAST_RX,
				       READ_ONCE(peer->last_rx),
				       NT_TUN_PEER_A_PAD) ||
		     nt_tun_put_drops(skb, NT_TUN_PEER_A_DROPS, s.drops)))
			goto cancel;
	}
	if (!aips)
		goto done;
	list = nla_nest_start(skb, NT_TUN_PEER_A_ALLOWEDIPS);
	if (!list)
		goto cancel;
	list_for_each_entry(aip, &peer->aips, list) {
		const struct nt_prefix *p = &aip->pfx;
		struct nlattr *an;

		if (i++ < skip)
			continue;
		an = nla_nest_start(skb, NT_TUN_PEER_A_ALLOWEDIP);
		if (!an || nt_nl_put_prefix(skb, NT_TUN_AIP_A_FAMILY,
					    NT_TUN_AIP_A_ADDR,
					    NT_TUN_AIP_A_CIDR, p)) {
			if (an)
				nla_nest_cancel(skb, an);
			partial = true;
			break;
		}
		nla_nest_end(skb, an);
		some = true;
		(*aip_skip)++;
	}
	if (partial && !some && skip) {
		/* not one more allowed-ip fitted: retry in the next skb */
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, list);
done:
	nla_nest_end(skb, pn);
	genlmsg_end(skb, hdr);
	return partial ? 1 : 0;
cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

static void nt_tun_notify_peer(struct nt_tun_peer *peer, u8 cmd, gfp_t gfp)
{
	struct sk_buff *skb = genlmsg_new(NLMSG_GOODSIZE, gfp);

	nt_nl_notify(&nt_tun_family, dev_net(peer->nt->dev),
		     NT_TUN_MCGRP_EVENTS, skb,
		     skb ? nt_tun_fill_peer(skb, peer, 0, 0, 0, cmd, NULL, false) : 0,
		     gfp);
}

void nt_tun_notify_contact(struct nt_tun_peer *peer)
{
	nt_tun_notify_peer(peer, NT_TUN_CMD_PEER_CONTACT, GFP_ATOMIC);
}

/* A peer change a dump of the device's peers may have missed. */
static void nt_tun_dump_changed(struct nt_tun_dev *nt)
{
	nt->dump_gen = nt->dump_gen + 1 ? : 1;
}

/* The peer the request names, on the device pre_doit found. */
static struct nt_tun_peer *nt_tun_peer_find(struct genl_info *info, u32 id)
{
	struct nt_tun_dev *nt = info->user_ptr[0];
	struct nt_tun_peer *peer = xa_load(&nt->peers, id);

	if (!peer)
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[NT_TUN_A_PEER],
				    "no such peer id on this device");
	return peer;
}

/* PEER_NEW (@create) and PEER_SET: a peer changed whole or not at all. */
static int nt_tun_peer_change(struct genl_info *info, bool create)
{
	struct nt_tun_dev *nt = info->user_ptr[0];
	struct nt_tun_peer_cfg cfg;
	struct nt_tun_peer *peer;
	struct nt_tun_peer_req r;
	int err;

	err = nt_tun_peer_parse(info, &r, create);
	if (err)
		return err;
	nt_tun_req_cfg(&r, &cfg);
	if (create) {
		peer = nt_tun_peer_new(nt, &cfg, info->extack);
		err = PTR_ERR_OR_ZERO(peer);
	} else {
		peer = nt_tun_peer_find(info, r.id);
		err = peer ? nt_tun_peer_set(peer, &cfg, info->extack) : -ENOENT;
	}
	kvfree(r.aips);
	if (err)
		return err;
	nt_tun_notify_peer(peer, create ? NT_TUN_CMD_PEER_NEW :
				       NT_TUN_CMD_PEER_SET, GFP_KERNEL);
	nt_tun_dump_changed(nt);
	return 0;
}

int nt_tun_peer_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	return nt_tun_peer_change(info, true);
}

int nt_tun_peer_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	return nt_tun_peer_change(info, false);
}

int nt_tun_peer_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nt_tun_peer *peer;
	struct nt_tun_peer_req r;
	int err;

	err = nt_tun_peer_parse(info, &r, false);
	kvfree(r.aips);
	if (err)
		return err;
	peer = nt_tun_peer_find(info, r.id);
	if (!peer)
		return -ENOENT;
	nt_tun_notify_peer(peer, NT_TUN_CMD_PEER_DEL, GFP_KERNEL);
	nt_tun_dump_changed(peer->nt);
	nt_tun_peer_del(peer);
	return 0;
}

/*
 * args[0]: the next peer id, args[1]: allowed-ips of it already sent,
 * args[2]: 1 once the dump is over.
 */
int nt_tun_peer_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct nlattr **attrs = nt_genl_dump_attrs(cb);
	struct nt_tun_peer *peer;
	struct nt_tun_dev *nt;
	unsigned long id, last = ULONG_MAX;
	int ret = 0;

	if (cb->args[2])
		return 0;
	if (attrs[NT_TUN_A_PEER]) {
		struct nlattr *tb[NT_TUN_PEER_A_MAX + 1];

		ret = nla_parse_nested(tb, NT_TUN_PEER_A_MAX,
				       attrs[NT_TUN_A_PEER],
				       nt_tun_peer_policy, cb->extack);
		if (ret)
			return ret;
		if (tb[NT_TUN_PEER_A_ID]) {
			last = nla_get_u32(tb[NT_TUN_PEER_A_ID]);
			if (cb->args[0] < last)
				cb->args[0] = last;
		}
	}
	rtnl_lock();
	nt = nt_tun_lookup(sock_net(skb->sk), attrs, cb->extack);
	if (IS_ERR(nt)) {
		rtnl_unlock();
		return PTR_ERR(nt);
	}
	mutex_lock(&nt->lock);
	cb->seq = nt->dump_gen;
	id = cb->args[0];
	xa_for_each_range(&nt->peers, id, peer, cb->args[0], last) {
		unsigned int off = skb->len;

		ret = nt_tun_fill_peer(skb, peer, NETLINK_CB(cb->skb).portid,
				       cb->nlh->nlmsg_seq, NLM_F_MULTI,
				   NT_TUN_CMD_PEER_GET,
				   (unsigned long *)&cb->args[1], true);
		if (ret >= 0)
			nt_tun_dump_check(cb, skb, off);
		if (ret)
			break;
		cb->args[0] = id + 1;
		cb->args[1] = 0;
	}
	mutex_unlock(&nt->lock);
	rtnl_unlock();
	if (!ret)
		cb->args[2] = 1;
	return skb->len;
}
