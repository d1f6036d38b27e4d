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
#include "netlink.h"

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

static const struct genl_multicast_group nt_tun_mcgrps[] = {
	[NT_TUN_MCGRP_EVENTS] = { .name = NTKIT_MCGRP_EVENTS,
				  .flags = GENL_MCAST_CAP_NET_ADMIN },
};

/* The device named by the request, under RTNL. */
struct nt_tun_dev *nt_tun_lookup(struct net *net, struct nlattr **attrs,
				 struct netlink_ext_ack *extack)
{
	struct nlattr *ia = attrs[NT_TUN_A_IFINDEX], *na = attrs[NT_TUN_A_IFNAME];
	struct nt_tun_dev *nt;

	if (!na && NT_NL_MISSING(extack, NULL, attrs, NT_TUN_A_IFINDEX,
				 "the device (NT_TUN_A_IFINDEX or NT_TUN_A_IFNAME) is required"))
		return ERR_PTR(-EINVAL);
	nt = nt_tun_dev_get(net, ia ? nla_get_u32(ia) : 0,
			    ia ? NULL : nla_data(na));
	if (!nt) {
		NL_SET_ERR_MSG_ATTR(extack, ia ? : na, "no such nttun device");
		return ERR_PTR(-ENODEV);
	}
	return nt;
}

int nt_tun_put_drops(struct sk_buff *skb, int type, const u64 *n)
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

static int nt_tun_fill_dev(struct sk_buff *skb, struct nt_tun_dev *nt, u32 portid,
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
	    nt_tun_put_drops(skb, NT_TUN_A_DROPS, drops)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/*
 * Every doit of the family acts on one device: pre_doit finds it (under
 * RTNL, which keeps it) and takes its lock, in the order of device.h;
 * post_doit lets go. Dumps find theirs themselves.
 */
static int nt_tun_pre_doit(const struct nt_genl_split_ops *ops,
			   struct sk_buff *skb, struct genl_info *info)
{
	struct nt_tun_dev *nt;

	rtnl_lock();
	nt = nt_tun_lookup(genl_info_net(info), info->attrs, info->extack);
	if (IS_ERR(nt)) {
		rtnl_unlock();
		return PTR_ERR(nt);
	}
	mutex_lock(&nt->lock);
	info->user_ptr[0] = nt;
	return 0;
}

static void nt_tun_post_doit(const struct nt_genl_split_ops *ops,
			     struct sk_buff *skb, struct genl_info *info)
{
	struct nt_tun_dev *nt = info->user_ptr[0];

	mutex_unlock(&nt->lock);
	rtnl_unlock();
}

static int nt_tun_dev_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nt_tun_dev *nt = info->user_ptr[0];
	struct sk_buff *msg;
	int err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	err = nt_tun_fill_dev(msg, nt, info->snd_portid, info->snd_seq, 0,
			      NT_TUN_CMD_DEV_GET);
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
void nt_tun_dump_check(struct netlink_callback *cb, struct sk_buff *skb,
		       unsigned int off)
{
	nl_dump_check_consistent(cb, (struct nlmsghdr *)(skb->data + off));
}

/* Devices come and go under RTNL, which dev_base_seq counts. */
static int nt_tun_dev_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
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
		err = nt_tun_fill_dev(skb, nt, NETLINK_CB(cb->skb).portid,
				      cb->nlh->nlmsg_seq, NLM_F_MULTI,
				  NT_TUN_CMD_DEV_GET);
		mutex_unlock(&nt->lock);
		if (err) {
			idx--;
			break;
		}
		nt_tun_dump_check(cb, skb, off);
	}
	rtnl_unlock();
	cb->args[0] = idx;
	return skb->len;
}

static int nt_tun_dev_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nt_tun_dev *nt = info->user_ptr[0];
	struct nlattr **a = info->attrs;
	struct nlattr *host;
	struct sk_buff *ev;
	u32 range;
	u16 lo, hi;
	int err = 0;

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
		return -EPERM;
	}
	range = nt->sport_range;
	lo = a[NT_TUN_A_SPORT_MIN] ? nla_get_u16(a[NT_TUN_A_SPORT_MIN]) :
				     range >> 16;
	hi = a[NT_TUN_A_SPORT_MAX] ? nla_get_u16(a[NT_TUN_A_SPORT_MAX]) :
				     range & 0xffff;
	if (lo > hi) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    a[NT_TUN_A_SPORT_MIN] ? : a[NT_TUN_A_SPORT_MAX],
				    "source port range must have min <= max (1..65535)");
		return -EINVAL;
	}
	if (a[NT_TUN_A_LISTEN_PORT]) {
		u16 port = nla_get_u16(a[NT_TUN_A_LISTEN_PORT]);

		if ((nt->dev->flags & IFF_UP) &&
		    (!port || port != READ_ONCE(nt->bound_port)))
			err = nt_tun_socks_open(nt, port);
		if (err) {
			NL_SET_ERR_MSG_ATTR(info->extack, a[NT_TUN_A_LISTEN_PORT],
					    "cannot bind the listen port");
			return err;
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
	nt_nl_notify(&nt_tun_family, dev_net(nt->dev), NT_TUN_MCGRP_EVENTS, ev,
		     ev ? nt_tun_fill_dev(ev, nt, 0, 0, 0, NT_TUN_CMD_DEV_SET) : 0,
		     GFP_KERNEL);
	return 0;
}

static const struct genl_small_ops nt_tun_ops[] = {
	{
		.cmd = NT_TUN_CMD_DEV_GET,
		.doit = nt_tun_dev_get_doit,
		.dumpit = nt_tun_dev_get_dumpit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = NT_TUN_CMD_DEV_SET,
		.doit = nt_tun_dev_set_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = NT_TUN_CMD_PEER_GET,
		.dumpit = nt_tun_peer_get_dumpit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = NT_TUN_CMD_PEER_NEW,
		.doit = nt_tun_peer_new_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = NT_TUN_CMD_PEER_SET,
		.doit = nt_tun_peer_set_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = NT_TUN_CMD_PEER_DEL,
		.doit = nt_tun_peer_del_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
};

struct genl_family nt_tun_family __ro_after_init = {
	.name = NT_TUN_GENL_NAME,
	.version = NTKIT_GENL_VERSION,
	.maxattr = NT_TUN_A_MAX,
	.policy = nt_tun_policy,
	.netnsok = true,
	.parallel_ops = true,
	.module = THIS_MODULE,
	.pre_doit = nt_tun_pre_doit,
	.post_doit = nt_tun_post_doit,
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
