// SPDX-License-Identifier: GPL-2.0
/*
 * nt_tun: the nt_tun generic netlink family. The API is described in
 * uapi/linux/nt_tun.h; changes are multicast on "events".
 */
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/if.h>
#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include "nt_nl.h"
#include "device.h"

static const struct nla_policy nt_tun_aip_policy[NT_TUN_AIP_A_MAX + 1] = {
	[NT_TUN_AIP_A_FAMILY] = { .type = NLA_U16 },
	[NT_TUN_AIP_A_ADDR] = NLA_POLICY_RANGE(NLA_BINARY, 4, 16),
	[NT_TUN_AIP_A_CIDR] = NLA_POLICY_MAX(NLA_U8, 128),
};

static const struct nla_policy nt_tun_peer_policy[NT_TUN_PEER_A_MAX + 1] = {
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

static const struct nla_policy nt_tun_policy[NT_TUN_A_MAX + 1] = {
	[NT_TUN_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[NT_TUN_A_IFNAME] = { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
	[NT_TUN_A_LISTEN_PORT] = { .type = NLA_U16 },
	[NT_TUN_A_BOUND_PORT] = { .type = NLA_REJECT },
	[NT_TUN_A_FWMARK] = { .type = NLA_U32 },
	[NT_TUN_A_TTL] = { .type = NLA_U8 },
	[NT_TUN_A_DSCP] = NLA_POLICY_MAX(NLA_U8, NT_TUN_DSCP_INHERIT),
	[NT_TUN_A_VNI] = { .type = NLA_U32 },
	[NT_TUN_A_SPORT_MIN] = NLA_POLICY_MIN(NLA_U16, 1),
	[NT_TUN_A_SPORT_MAX] = NLA_POLICY_MIN(NLA_U16, 1),
	[NT_TUN_A_PEERS] = { .type = NLA_REJECT },
	[NT_TUN_A_ALLOWEDIPS] = { .type = NLA_REJECT },
	[NT_TUN_A_DROPS] = { .type = NLA_REJECT },
	[NT_TUN_A_PEER] = NLA_POLICY_NESTED(nt_tun_peer_policy),
};

static struct genl_family nt_tun_family;

enum { NT_TUN_MCGRP_EVENTS };

static const struct genl_multicast_group nt_tun_mcgrps[] = {
	[NT_TUN_MCGRP_EVENTS] = { .name = NTKIT_MCGRP_EVENTS,
				  .flags = GENL_MCAST_CAP_NET_ADMIN },
};

/* The device named by the request, under RTNL. */
static struct nt_tun_dev *nt_tun_lookup(struct net *net, struct nlattr **attrs,
					struct netlink_ext_ack *extack)
{
	struct nlattr *ia = attrs[NT_TUN_A_IFINDEX], *na = attrs[NT_TUN_A_IFNAME];
	struct nt_tun_dev *nt;

	if (!ia && !na) {
		NL_SET_ERR_MSG(extack,
			       "the device (NT_TUN_A_IFINDEX or NT_TUN_A_IFNAME) is required");
		return ERR_PTR(-EINVAL);
	}
	nt = nt_tun_dev_get(net, ia ? nla_get_u32(ia) : 0,
			    ia ? NULL : nla_data(na));
	if (!nt) {
		NL_SET_ERR_MSG_ATTR(extack, ia ? : na, "no such nttun device");
		return ERR_PTR(-ENODEV);
	}
	return nt;
}

static int nt_put_drops(struct sk_buff *skb, int type, const u64 *n)
{
	struct nlattr *nest = nla_nest_start(skb, type);
	int i;

	if (!nest)
		return -EMSGSIZE;
	for (i = 1; i <= NT_TUN_DROP_MAX; i++)
		if (nla_put_u64_64bit(skb, i, n[i], 0)) {
			nla_nest_cancel(skb, nest);
			return -EMSGSIZE;
		}
	nla_nest_end(skb, nest);
	return 0;
}

static int nt_fill_dev(struct sk_buff *skb, struct nt_tun_dev *nt, u32 portid,
		       u32 seq, int flags, u8 cmd)
{
	u32 range = READ_ONCE(nt->sport_range);
	u64 drops[NT_TUN_DROP_MAX + 1];
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &nt_tun_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	nt_tun_dev_drops(nt, drops);
	if (nla_put_u32(skb, NT_TUN_A_IFINDEX, nt->dev->ifindex) ||
	    nla_put_string(skb, NT_TUN_A_IFNAME, nt->dev->name) ||
	    nla_put_u16(skb, NT_TUN_A_LISTEN_PORT, nt->listen_port) ||
	    nla_put_u16(skb, NT_TUN_A_BOUND_PORT, READ_ONCE(nt->bound_port)) ||
	    nla_put_u32(skb, NT_TUN_A_FWMARK, nt->fwmark) ||
	    nla_put_u8(skb, NT_TUN_A_TTL, nt->ttl) ||
	    nla_put_u8(skb, NT_TUN_A_DSCP, nt->dscp) ||
	    nla_put_u32(skb, NT_TUN_A_VNI, nt->vni) ||
	    nla_put_u16(skb, NT_TUN_A_SPORT_MIN, range >> 16) ||
	    nla_put_u16(skb, NT_TUN_A_SPORT_MAX, range & 0xffff) ||
	    nla_put_u32(skb, NT_TUN_A_PEERS, nt->npeers) ||
	    nla_put_u32(skb, NT_TUN_A_ALLOWEDIPS, nt->naips) ||
	    nt_put_drops(skb, NT_TUN_A_DROPS, drops)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

static int nt_put_ep(struct sk_buff *skb, const struct nt_tun_ep *ep)
{
	if (ep->key.family == AF_INET) {
		struct sockaddr_in sin = {
			.sin_family = AF_INET,
			.sin_port = ep->port,
			.sin_addr.s_addr = ep->key.addr.ip4,
		};

		return nla_put(skb, NT_TUN_PEER_A_ENDPOINT, sizeof(sin), &sin);
	}
	{
		struct sockaddr_in6 sin6 = {
			.sin6_family = AF_INET6,
			.sin6_port = ep->port,
			.sin6_addr = ep->key.addr.ip6,
		};

		return nla_put(skb, NT_TUN_PEER_A_ENDPOINT, sizeof(sin6), &sin6);
	}
}

/*
 * A peer message. @aip_skip: allowed-ips already sent (updated); with
 * @aips false, none are sent (events). Returns 0 when the peer is
 * complete, 1 when the message is full and the peer continues in the
 * next one, -EMSGSIZE when nothing of it fitted.
 */
static int nt_fill_peer(struct sk_buff *skb, struct nt_tun_peer *peer,
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
		if (nt_put_ep(skb, ep) ||
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
		     nt_put_drops(skb, NT_TUN_PEER_A_DROPS, s.drops)))
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

static void nt_notify(struct nt_tun_dev *nt, struct sk_buff *skb, gfp_t gfp)
{
	genlmsg_multicast_netns(&nt_tun_family, dev_net(nt->dev), skb, 0,
				NT_TUN_MCGRP_EVENTS, gfp);
}

static void nt_notify_peer(struct nt_tun_peer *peer, u8 cmd, gfp_t gfp)
{
	struct sk_buff *skb = genlmsg_new(NLMSG_GOODSIZE, gfp);

	if (!skb)
		return;
	if (nt_fill_peer(skb, peer, 0, 0, 0, cmd, NULL, false)) {
		nlmsg_free(skb);
		return;
	}
	nt_notify(peer->nt, skb, gfp);
}

void nt_tun_notify_contact(struct nt_tun_peer *peer)
{
	nt_notify_peer(peer, NT_TUN_CMD_PEER_CONTACT, GFP_ATOMIC);
}

static int nt_dev_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nt_tun_dev *nt;
	struct sk_buff *msg;
	int err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	rtnl_lock();
	nt = nt_tun_lookup(genl_info_net(info), info->attrs, info->extack);
	if (IS_ERR(nt)) {
		err = PTR_ERR(nt);
	} else {
		mutex_lock(&nt->lock);
		err = nt_fill_dev(msg, nt, info->snd_portid, info->snd_seq, 0,
				  NT_TUN_CMD_DEV_GET);
		mutex_unlock(&nt->lock);
	}
	rtnl_unlock();
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/*
 * In a dump, the message that starts at @off of @skb, just kept: flagged
 * NLM_F_DUMP_INTR if cb->seq changed since the previous one.
 */
static void nt_dump_check(struct netlink_callback *cb, struct sk_buff *skb,
			  unsigned int off)
{
	nl_dump_check_consistent(cb, (struct nlmsghdr *)(skb->data + off));
}

/* Devices come and go under RTNL, which dev_base_seq counts. */
static int nt_dev_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct net *net = sock_net(skb->sk);
	struct net_device *dev;
	long idx = 0;

	rtnl_lock();
	cb->seq = net->dev_base_seq;
	for_each_netdev(net, dev) {
		struct nt_tun_dev *nt;
		unsigned int off;
		int err;

		if (!nt_tun_is_dev(dev))
			continue;
		if (idx++ < cb->args[0])
			continue;
		nt = netdev_priv(dev);
		off = skb->len;
		mutex_lock(&nt->lock);
		err = nt_fill_dev(skb, nt, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, NLM_F_MULTI,
				  NT_TUN_CMD_DEV_GET);
		mutex_unlock(&nt->lock);
		if (err) {
			idx--;
			break;
		}
		nt_dump_check(cb, skb, off);
	}
	rtnl_unlock();
	cb->args[0] = idx;
	return skb->len;
}

static int nt_dev_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **a = info->attrs;
	struct nt_tun_dev *nt;
	struct nlattr *host;
	struct sk_buff *ev;
	u32 range;
	u16 lo, hi;
	int err = 0;

	rtnl_lock();
	nt = nt_tun_lookup(genl_info_net(info), a, info->extack);
	if (IS_ERR(nt)) {
		err = PTR_ERR(nt);
		goto out;
	}
	/*
	 * The UDP sockets and the outer packets live in the netns where the
	 * device was created, which may not be the one it is in now: binding
	 * a port there, and the mark (routing, netfilter), source ports, TTL
	 * and DSCP of the packets sent from there need CAP_NET_ADMIN over
	 * that netns too, as WireGuard checks for its port and fwmark.
	 */
	host = a[NT_TUN_A_LISTEN_PORT] ? : a[NT_TUN_A_FWMARK] ? :
	       a[NT_TUN_A_SPORT_MIN] ? : a[NT_TUN_A_SPORT_MAX] ? :
	       a[NT_TUN_A_TTL] ? : a[NT_TUN_A_DSCP];
	if (host && !netlink_ns_capable(skb, nt->net->user_ns, CAP_NET_ADMIN)) {
		NL_SET_ERR_MSG_ATTR(info->extack, host,
				    "listen-port, fwmark, sport-range, ttl and dscp act in the netns the device was created in: they need CAP_NET_ADMIN there");
		err = -EPERM;
		goto out;
	}
	mutex_lock(&nt->lock);
	range = nt->sport_range;
	lo = a[NT_TUN_A_SPORT_MIN] ? nla_get_u16(a[NT_TUN_A_SPORT_MIN]) :
				     range >> 16;
	hi = a[NT_TUN_A_SPORT_MAX] ? nla_get_u16(a[NT_TUN_A_SPORT_MAX]) :
				     range & 0xffff;
	if (lo > hi) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    a[NT_TUN_A_SPORT_MIN] ? : a[NT_TUN_A_SPORT_MAX],
				    "source port range must have min <= max (1..65535)");
		err = -EINVAL;
		goto unlock;
	}
	if (a[NT_TUN_A_LISTEN_PORT]) {
		u16 port = nla_get_u16(a[NT_TUN_A_LISTEN_PORT]);

		if ((nt->dev->flags & IFF_UP) &&
		    (!port || port != READ_ONCE(nt->bound_port)))
			err = nt_tun_socks_open(nt, port);
		if (err) {
			NL_SET_ERR_MSG_ATTR(info->extack, a[NT_TUN_A_LISTEN_PORT],
					    "cannot bind the listen port");
			goto unlock;
		}
		nt->listen_port = port;
	}
	if (a[NT_TUN_A_FWMARK]) {
		struct nt_tun_peer *peer;
		unsigned long id;

		WRITE_ONCE(nt->fwmark, nla_get_u32(a[NT_TUN_A_FWMARK]));
		xa_for_each(&nt->peers, id, peer)
			dst_cache_reset(&peer->dst_cache);
	}
	if (a[NT_TUN_A_TTL])
		WRITE_ONCE(nt->ttl, nla_get_u8(a[NT_TUN_A_TTL]));
	if (a[NT_TUN_A_DSCP])
		WRITE_ONCE(nt->dscp, nla_get_u8(a[NT_TUN_A_DSCP]));
	if (a[NT_TUN_A_VNI])
		WRITE_ONCE(nt->vni, nla_get_u32(a[NT_TUN_A_VNI]));
	WRITE_ONCE(nt->sport_range, (u32)lo << 16 | hi);
	ev = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (ev && nt_fill_dev(ev, nt, 0, 0, 0, NT_TUN_CMD_DEV_SET))
		nlmsg_free(ev);
	else if (ev)
		nt_notify(nt, ev, GFP_KERNEL);
unlock:
	mutex_unlock(&nt->lock);
out:
	rtnl_unlock();
	return err;
}

static int nt_parse_ep(struct nlattr *a, struct nt_tun_ep_key *key,
		       struct netlink_ext_ack *extack)
{
	const struct sockaddr *sa = nla_data(a);
	bool bad;

	memset(key, 0, sizeof(*key));
	if (sa->sa_family == AF_INET &&
	    nla_len(a) == sizeof(struct sockaddr_in)) {
		const struct sockaddr_in *sin = nla_data(a);

		key->family = AF_INET;
		key->port = sin->sin_port;
		key->addr.ip4 = sin->sin_addr.s_addr;
	} else if (sa->sa_family == AF_INET6 &&
		   nla_len(a) == sizeof(struct sockaddr_in6)) {
		const struct sockaddr_in6 *sin6 = nla_data(a);

		key->family = AF_INET6;
		key->port = sin6->sin6_port;
		key->addr.ip6 = sin6->sin6_addr;
	} else {
		NL_SET_ERR_MSG_ATTR(extack, a,
				    "endpoint must be a sockaddr_in (16 bytes) or sockaddr_in6 (28 bytes)");
		return -EINVAL;
	}
	if (!key->port) {
		NL_SET_ERR_MSG_ATTR(extack, a, "endpoint port must be 1..65535");
		return -EINVAL;
	}
	if (key->family == AF_INET)
		bad = ipv4_is_multicast(key->addr.ip4) || !key->addr.ip4;
	else
		bad = ipv6_addr_is_multicast(&key->addr.ip6) ||
		      ipv6_addr_any(&key->addr.ip6);
	if (bad) {
		NL_SET_ERR_MSG_ATTR(extack, a,
				    "endpoint address must be a unicast address");
		return -EINVAL;
	}
	return 0;
}

/* Check every allowed-ip of @list (validated nests) into @out[]. */
static int nt_parse_aips(struct nlattr *list, struct nt_prefix **out,
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
	nla_for_each_nested(a, list, rem)
		count++;
	if (count > nt_tun_max_allowedips) {
		NL_SET_ERR_MSG_ATTR(extack, list,
				    "too many allowed-ips (module parameter max_allowedips)");
		return -ENOSPC;
	}
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

struct nt_peer_req {
	struct nlattr *tb[NT_TUN_PEER_A_MAX + 1];
	struct nt_tun_ep_key ep;
	struct nt_prefix *aips;
	unsigned int naips;
	u32 id;
};

static int nt_peer_parse(struct genl_info *info, struct nt_peer_req *r,
			 bool need_ep)
{
	struct nlattr *pa = info->attrs[NT_TUN_A_PEER];
	int err;

	memset(r, 0, sizeof(*r));
	if (!pa) {
		NL_SET_ERR_MSG(info->extack,
			       "the peer (NT_TUN_A_PEER) is required");
		return -EINVAL;
	}
	err = nla_parse_nested(r->tb, NT_TUN_PEER_A_MAX, pa,
			       nt_tun_peer_policy, info->extack);
	if (err)
		return err;
	if (!r->tb[NT_TUN_PEER_A_ID]) {
		NL_SET_ERR_MSG_ATTR(info->extack, pa,
				    "peer id (NT_TUN_PEER_A_ID, 1..4294967295) is required");
		return -EINVAL;
	}
	r->id = nla_get_u32(r->tb[NT_TUN_PEER_A_ID]);
	if (need_ep && !r->tb[NT_TUN_PEER_A_ENDPOINT]) {
		NL_SET_ERR_MSG_ATTR(info->extack, pa,
				    "peer endpoint (NT_TUN_PEER_A_ENDPOINT) is required");
		return -EINVAL;
	}
	if (r->tb[NT_TUN_PEER_A_ENDPOINT]) {
		err = nt_parse_ep(r->tb[NT_TUN_PEER_A_ENDPOINT], &r->ep,
				  info->extack);
		if (err)
			return err;
	}
	return nt_parse_aips(r->tb[NT_TUN_PEER_A_ALLOWEDIPS], &r->aips,
			     &r->naips, info->extack);
}

/* The change @r asks for, in the terms of peer.c. */
static void nt_peer_cfg(struct nt_peer_req *r, struct nt_tun_peer_cfg *cfg)
{
	struct nlattr *ka = r->tb[NT_TUN_PEER_A_KEEPALIVE];

	cfg->id = r->id;
	cfg->ep = r->tb[NT_TUN_PEER_A_ENDPOINT] ? &r->ep : NULL;
	cfg->aips = r->aips;
	cfg->naips = r->naips;
	cfg->set_aips = r->tb[NT_TUN_PEER_A_ALLOWEDIPS];
	cfg->keepalive = ka ? nla_get_u16(ka) : -1;
}

/* A peer change a dump of the device's peers may have missed. */
static void nt_dump_changed(struct nt_tun_dev *nt)
{
	nt->dump_gen = nt->dump_gen + 1 ? : 1;
}

static int nt_peer_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nt_tun_peer_cfg cfg;
	struct nt_peer_req r;
	struct nt_tun_peer *peer;
	struct nt_tun_dev *nt;
	int err;

	err = nt_peer_parse(info, &r, true);
	if (err)
		return err;
	nt_peer_cfg(&r, &cfg);
	rtnl_lock();
	nt = nt_tun_lookup(genl_info_net(info), info->attrs, info->extack);
	if (IS_ERR(nt)) {
		err = PTR_ERR(nt);
		goto out;
	}
	mutex_lock(&nt->lock);
	peer = nt_tun_peer_new(nt, &cfg, info->extack);
	if (IS_ERR(peer)) {
		err = PTR_ERR(peer);
	} else {
		nt_notify_peer(peer, NT_TUN_CMD_PEER_NEW, GFP_KERNEL);
		nt_dump_changed(nt);
	}
	mutex_unlock(&nt->lock);
out:
	rtnl_unlock();
	kvfree(r.aips);
	return err;
}

static struct nt_tun_peer *nt_peer_find(struct nt_tun_dev *nt, u32 id,
					struct genl_info *info)
{
	struct nt_tun_peer *peer = xa_load(&nt->peers, id);

	if (!peer)
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[NT_TUN_A_PEER],
				    "no such peer id on this device");
	return peer;
}

static int nt_peer_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nt_tun_peer_cfg cfg;
	struct nt_tun_peer *peer;
	struct nt_peer_req r;
	struct nt_tun_dev *nt;
	int err;

	err = nt_peer_parse(info, &r, false);
	if (err)
		return err;
	nt_peer_cfg(&r, &cfg);
	rtnl_lock();
	nt = nt_tun_lookup(genl_info_net(info), info->attrs, info->extack);
	if (IS_ERR(nt)) {
		err = PTR_ERR(nt);
		goto out;
	}
	mutex_lock(&nt->lock);
	peer = nt_peer_find(nt, r.id, info);
	if (!peer)
		err = -ENOENT;
	else
		err = nt_tun_peer_set(peer, &cfg, info->extack);
	if (!err) {
		nt_notify_peer(peer, NT_TUN_CMD_PEER_SET, GFP_KERNEL);
		nt_dump_changed(nt);
	}
	mutex_unlock(&nt->lock);
out:
	rtnl_unlock();
	kvfree(r.aips);
	return err;
}

static int nt_peer_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nt_tun_peer *peer;
	struct nt_peer_req r;
	struct nt_tun_dev *nt;
	int err;

	err = nt_peer_parse(info, &r, false);
	kvfree(r.aips);
	if (err)
		return err;
	rtnl_lock();
	nt = nt_tun_lookup(genl_info_net(info), info->attrs, info->extack);
	if (IS_ERR(nt)) {
		err = PTR_ERR(nt);
		goto out;
	}
	mutex_lock(&nt->lock);
	peer = nt_peer_find(nt, r.id, info);
	if (!peer) {
		err = -ENOENT;
	} else {
		nt_notify_peer(peer, NT_TUN_CMD_PEER_DEL, GFP_KERNEL);
		nt_tun_peer_del(peer);
		nt_dump_changed(nt);
	}
	mutex_unlock(&nt->lock);
out:
	rtnl_unlock();
	return err;
}

/*
 * args[0]: the next peer id, args[1]: allowed-ips of it already sent,
 * args[2]: 1 once the dump is over.
 */
static int nt_peer_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	const struct genl_dumpit_info *di = genl_dumpit_info(cb);
	struct nlattr **attrs = di->attrs;
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

		ret = nt_fill_peer(skb, peer, NETLINK_CB(cb->skb).portid,
				   cb->nlh->nlmsg_seq, NLM_F_MULTI,
				   NT_TUN_CMD_PEER_GET,
				   (unsigned long *)&cb->args[1], true);
		if (ret >= 0)
			nt_dump_check(cb, skb, off);
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

static const struct genl_small_ops nt_tun_ops[] = {
	{
		.cmd = NT_TUN_CMD_DEV_GET,
		.doit = nt_dev_get_doit,
		.dumpit = nt_dev_get_dumpit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = NT_TUN_CMD_DEV_SET,
		.doit = nt_dev_set_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = NT_TUN_CMD_PEER_GET,
		.dumpit = nt_peer_get_dumpit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = NT_TUN_CMD_PEER_NEW,
		.doit = nt_peer_new_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = NT_TUN_CMD_PEER_SET,
		.doit = nt_peer_set_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = NT_TUN_CMD_PEER_DEL,
		.doit = nt_peer_del_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
};

static struct genl_family nt_tun_family __ro_after_init = {
	.name = NT_TUN_GENL_NAME,
	.version = NTKIT_GENL_VERSION,
	.maxattr = NT_TUN_A_MAX,
	.policy = nt_tun_policy,
	.netnsok = true,
	.parallel_ops = true,
	.module = THIS_MODULE,
	.small_ops = nt_tun_ops,
	.n_small_ops = ARRAY_SIZE(nt_tun_ops),
	.resv_start_op = NT_TUN_CMD_PEER_CONTACT + 1,
	.mcgrps = nt_tun_mcgrps,
	.n_mcgrps = ARRAY_SIZE(nt_tun_mcgrps),
};

int nt_tun_genl_init(void)
{
	return genl_register_family(&nt_tun_family);
}

void nt_tun_genl_exit(void)
{
	genl_unregister_family(&nt_tun_family);
}

MODULE_ALIAS_GENL_FAMILY(NT_TUN_GENL_NAME);
