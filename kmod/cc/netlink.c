// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_nt: the nt_cc generic netlink family. The API is described in
 * uapi/linux/nt_cc.h; every change is multicast on "events".
 */
#include <linux/module.h>
#include <linux/ctype.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include <linux/nt_cc.h>
#include "nt_nl.h"
#include "profile.h"
#include "netlink.h"

#define NT_CC_PARAM(A, f, kw, u, lo, hi, d)				\
	[NT_CC_A_##A] = NLA_POLICY_FULL_RANGE(NLA_U32,			\
					      &nt_conf_nla_ranges[NT_CC_A_##A]),
static const struct nla_policy nt_cc_policy[NT_CC_A_MAX + 1] = {
	[NT_CC_A_PROFILE_NAME] = { .type = NLA_NUL_STRING,
				   .len = NT_CC_PROFILE_NAME_MAX - 1 },
#include <linux/nt_cc_params.h>
	[NT_CC_A_ECN_MODE] = NLA_POLICY_MAX(NLA_U8, NT_CC_ECN_MAX),
	[NT_CC_A_ROUTE_FAMILY] = { .type = NLA_U16 },
	[NT_CC_A_ROUTE_ADDR] = NLA_POLICY_RANGE(NLA_BINARY, 4, 16),
	[NT_CC_A_ROUTE_CIDR] = NLA_POLICY_MAX(NLA_U8, 128),
};

static struct genl_family nt_cc_family;

enum { NT_CC_MCGRP_EVENTS };

static const struct genl_multicast_group nt_cc_mcgrps[] = {
	[NT_CC_MCGRP_EVENTS] = { .name = NTKIT_MCGRP_EVENTS },
};

/* Under nn->lock: the profile @name the request gives, or NULL (said). */
static struct nt_cc_profile *nt_profile_named(struct nt_cc_net *nn,
					      const char *name,
					      struct genl_info *info)
{
	struct nt_cc_profile *p = nt_cc_profile_find(nn, name);

	if (!p)
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[NT_CC_A_PROFILE_NAME],
				    "no such profile");
	return p;
}

static int nt_put_stats(struct sk_buff *skb, const struct nt_cc_profile *p)
{
	struct nt_cc_pcpu s;
	struct nlattr *nest;

	nt_cc_profile_stats(p, &s);
	nest = nla_nest_start(skb, NT_CC_A_STATS);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u64_64bit(skb, NT_CC_STATS_CONNS, s.conns,
			      NT_CC_STATS_PAD) ||
	    nla_put_u64_64bit(skb, NT_CC_STATS_BYTES, s.bytes,
			      NT_CC_STATS_PAD) ||
	    nla_put_u64_64bit(skb, NT_CC_STATS_RECOVERIES, s.recoveries,
			      NT_CC_STATS_PAD) ||
	    nla_put_u64_64bit(skb, NT_CC_STATS_CE_ACKS, s.ce_acks,
			      NT_CC_STATS_PAD) ||
	    nla_put_u64_64bit(skb, NT_CC_STATS_PROBE_RTTS, s.probe_rtts,
			      NT_CC_STATS_PAD)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/*
 * A profile message; @full: with its parameters and counters. @cb: in a
 * dump, whose message is flagged NLM_F_DUMP_INTR if the state changed
 * since the last one (checked once the message is kept).
 */
static int nt_fill_profile(struct sk_buff *skb, struct nt_cc_net *nn,
			   struct nt_cc_profile *p, u32 portid, u32 seq,
			   int flags, u8 cmd, bool full,
			   struct netlink_callback *cb)
{
	const struct nt_cc_version *v;
	const struct nt_cc_conf *c;
	unsigned int i;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &nt_cc_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_string(skb, NT_CC_A_PROFILE_NAME, p->name))
		goto cancel;
	if (!full)
		goto done;
	v = rcu_dereference_protected(p->cur, lockdep_is_held(&nn->lock));
	c = &v->conf;
	for (i = 0; i < nt_conf_nranges; i++) {
		const struct nt_conf_range *r = &nt_conf_ranges[i];

		if (nla_put_u32(skb, r->attr,
				*(const u32 *)((const u8 *)c + r->offset)))
			goto cancel;
	}
	if (nla_put_u8(skb, NT_CC_A_ECN_MODE, c->ecn_mode) ||
	    nla_put_u32(skb, NT_CC_A_ROUTES, p->routes) ||
	    nt_put_stats(skb, p))
		goto cancel;
done:
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	genlmsg_end(skb, hdr);
	return 0;
cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

static int nt_fill_route(struct sk_buff *skb, const struct nt_prefix *pfx,
			 const struct nt_cc_profile *p, u32 portid, u32 seq,
			 int flags, u8 cmd, struct netlink_callback *cb)
{
	void *hdr = genlmsg_put(skb, portid, seq, &nt_cc_family, flags, cmd);

	if (!hdr)
		return -EMSGSIZE;
	if (nt_nl_put_prefix(skb, NT_CC_A_ROUTE_FAMILY, NT_CC_A_ROUTE_ADDR,
			     NT_CC_A_ROUTE_CIDR, pfx) ||
	    (p && nla_put_string(skb, NT_CC_A_PROFILE_NAME, p->name))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	genlmsg_end(skb, hdr);
	return 0;
}

static void nt_notify_profile(struct nt_cc_net *nn, struct nt_cc_profile *p,
			      u8 cmd, bool full)
{
	struct sk_buff *skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);

	nt_nl_notify(&nt_cc_family, nn->net, NT_CC_MCGRP_EVENTS, skb,
		     skb ? nt_fill_profile(skb, nn, p, 0, 0, 0, cmd, full,
					   NULL) : 0, GFP_KERNEL);
}

static void nt_notify_route(struct nt_cc_net *nn, const struct nt_prefix *pfx,
			    const struct nt_cc_profile *p, u8 cmd)
{
	struct sk_buff *skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);

	nt_nl_notify(&nt_cc_family, nn->net, NT_CC_MCGRP_EVENTS, skb,
		     skb ? nt_fill_route(skb, pfx, p, 0, 0, 0, cmd, NULL) : 0,
		     GFP_KERNEL);
}

static bool nt_name_ok(struct genl_info *info, const char **name)
{
	struct nlattr *a = info->attrs[NT_CC_A_PROFILE_NAME];
	const char *s;

	if (NT_NL_MISSING(info->extack, NULL, info->attrs, NT_CC_A_PROFILE_NAME,
			  "profile name (NT_CC_A_PROFILE_NAME, 1..15 characters) is required"))
		return false;
	s = nla_data(a);
	if (!*s)
		goto bad;
	for (*name = s; *s; s++)
		if (!isalnum(*s) && *s != '_' && *s != '-' && *s != '.')
			goto bad;
	return true;
bad:
	NL_SET_ERR_MSG_ATTR(info->extack, a,
			    "profile name must be 1..15 characters of [A-Za-z0-9_.-]");
	return false;
}

/* Overlay the parameters present in @info on @c, then check the whole. */
static int nt_parse_conf(struct genl_info *info, struct nt_cc_conf *c)
{
	unsigned int i;
	int err;

	for (i = 0; i < nt_conf_nranges; i++) {
		const struct nt_conf_range *r = &nt_conf_ranges[i];

		if (info->attrs[r->attr])
			*(u32 *)((u8 *)c + r->offset) =
				nla_get_u32(info->attrs[r->attr]);
	}
	if (info->attrs[NT_CC_A_ECN_MODE])
		c->ecn_mode = nla_get_u8(info->attrs[NT_CC_A_ECN_MODE]);
	err = nt_conf_check(c, info->extack);
	if (err == -EINVAL)
		NL_SET_BAD_ATTR(info->extack,
				info->attrs[NT_CC_A_PROBE_RTT_TIME] ? :
				info->attrs[NT_CC_A_PROBE_RTT_INTERVAL]);
	if (!err)
		nt_conf_derive(c);
	return err;
}

static int nt_profile_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nt_cc_net *nn = nt_cc_net(genl_info_net(info));
	struct nt_cc_profile *p;
	struct sk_buff *msg;
	const char *name;
	int err;

	if (!nt_name_ok(info, &name))
		return -EINVAL;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&nn->lock);
	p = nt_profile_named(nn, name, info);
	if (!p) {
		err = -ENOENT;
	} else {
		err = nt_fill_profile(msg, nn, p, info->snd_portid,
				      info->snd_seq, 0, NT_CC_CMD_PROFILE_GET,
				      true, NULL);
	}
	mutex_unlock(&nn->lock);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

static int nt_profile_get_dumpit(struct sk_buff *skb,
				 struct netlink_callback *cb)
{
	struct nt_cc_net *nn = nt_cc_net(sock_net(skb->sk));
	struct nt_cc_profile *p;
	long idx = 0, skip = cb->args[0];

	mutex_lock(&nn->lock);
	cb->seq = nn->dump_gen;
	list_for_each_entry(p, &nn->profiles, list) {
		if (idx >= skip &&
		    nt_fill_profile(skb, nn, p, NETLINK_CB(cb->skb).portid,
				    cb->nlh->nlmsg_seq, NLM_F_MULTI,
				    NT_CC_CMD_PROFILE_GET, true, cb))
			break;
		idx++;
	}
	mutex_unlock(&nn->lock);
	cb->args[0] = idx;
	return skb->len;
}

static int nt_profile_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nt_cc_net *nn = nt_cc_net(genl_info_net(info));
	struct nt_cc_conf conf;
	const char *name;
	int err;

	if (!nt_name_ok(info, &name))
		return -EINVAL;
	nt_conf_defaults(&conf);
	err = nt_parse_conf(info, &conf);
	if (err)
		return err;
	mutex_lock(&nn->lock);
	err = nt_cc_profile_add(nn, name, &conf, info->extack);
	if (!err)
		nt_notify_profile(nn, nt_cc_profile_find(nn, name),
				  NT_CC_CMD_PROFILE_NEW, true);
	mutex_unlock(&nn->lock);
	return err;
}

static int nt_profile_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nt_cc_net *nn = nt_cc_net(genl_info_net(info));
	struct nt_cc_profile *p;
	struct nt_cc_conf conf;
	const char *name;
	int err;

	if (!nt_name_ok(info, &name))
		return -EINVAL;
	mutex_lock(&nn->lock);
	p = nt_profile_named(nn, name, info);
	if (!p) {
		err = -ENOENT;
		goto out;
	}
	conf = rcu_dereference_protected(p->cur,
					 lockdep_is_held(&nn->lock))->conf;
	err = nt_parse_conf(info, &conf);
	if (!err)
		err = nt_cc_profile_set(nn, p, &conf);
	if (!err)
		nt_notify_profile(nn, p, NT_CC_CMD_PROFILE_SET, true);
out:
	mutex_unlock(&nn->lock);
	return err;
}

static int nt_profile_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nt_cc_net *nn = nt_cc_net(genl_info_net(info));
	struct sk_buff *ev;
	struct nt_cc_profile *p;
	const char *name;
	int err, ev_err;

	if (!nt_name_ok(info, &name))
		return -EINVAL;
	mutex_lock(&nn->lock);
	p = nt_profile_named(nn, name, info);
	if (!p) {
		err = -ENOENT;
		goto out;
	}
	/* built first: the profile may be freed once deleted */
	ev = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	ev_err = ev ? nt_fill_profile(ev, nn, p, 0, 0, 0,
				      NT_CC_CMD_PROFILE_DEL, false, NULL) : 0;
	err = nt_cc_profile_del(nn, p, info->extack);
	if (err)
		NL_SET_BAD_ATTR(info->extack, info->attrs[NT_CC_A_PROFILE_NAME]);
	nt_nl_notify(&nt_cc_family, nn->net, NT_CC_MCGRP_EVENTS, ev,
		     err ? : ev_err, GFP_KERNEL);
out:
	mutex_unlock(&nn->lock);
	return err;
}

static int nt_parse_prefix(struct genl_info *info, struct nt_prefix *pfx)
{
	return nt_nl_get_prefix(pfx, NULL, info->attrs, NT_CC_A_ROUTE_FAMILY,
				NT_CC_A_ROUTE_ADDR, NT_CC_A_ROUTE_CIDR,
				info->extack);
}

/* A route dump resumes after the last prefix it sent, in cb->ctx. */
struct nt_route_dump_ctx {
	bool started;
	struct nt_prefix last;
};

struct nt_route_dump {
	struct sk_buff *skb;
	struct netlink_callback *cb;
	struct nt_route_dump_ctx *ctx;
};

static int nt_route_dump_one(const struct nt_prefix *pfx, void *value,
			     void *arg)
{
	struct nt_route_dump *d = arg;

	if (nt_fill_route(d->skb, pfx, value,
			  NETLINK_CB(d->cb->skb).portid,
			  d->cb->nlh->nlmsg_seq, NLM_F_MULTI,
			  NT_CC_CMD_ROUTE_GET, d->cb))
		return -EMSGSIZE;
	d->ctx->last = *pfx;
	d->ctx->started = true;
	return 0;
}

static int nt_route_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct nt_cc_net *nn = nt_cc_net(sock_net(skb->sk));
	struct nt_route_dump d = { .skb = skb, .cb = cb };
	int err;

	BUILD_BUG_ON(sizeof(struct nt_route_dump_ctx) > sizeof(cb->ctx));
	d.ctx = (struct nt_route_dump_ctx *)cb->ctx;
	mutex_lock(&nn->lock);
	cb->seq = nn->dump_gen;
	err = nt_prefix_walk(&nn->routes, AF_UNSPEC,
			     d.ctx->started ? &d.ctx->last : NULL,
			     nt_route_dump_one, &d);
	mutex_unlock(&nn->lock);
	if (err && err != -EMSGSIZE)
		return err;
	return skb->len;
}

static int nt_route_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nt_cc_net *nn = nt_cc_net(genl_info_net(info));
	bool replace = info->nlhdr->nlmsg_flags & NLM_F_REPLACE;
	struct nt_cc_profile *p;
	struct nt_prefix pfx;
	const char *name;
	int err;

	err = nt_parse_prefix(info, &pfx);
	if (err)
		return err;
	if (!nt_name_ok(info, &name))
		return -EINVAL;
	mutex_lock(&nn->lock);
	p = nt_profile_named(nn, name, info);
	if (!p) {
		err = -ENOENT;
		goto out;
	}
	err = nt_cc_route_add(nn, &pfx, p, replace, info->extack);
	if (!err)
		nt_notify_route(nn, &pfx, p, NT_CC_CMD_ROUTE_NEW);
out:
	mutex_unlock(&nn->lock);
	return err;
}

static int nt_route_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nt_cc_net *nn = nt_cc_net(genl_info_net(info));
	struct nt_prefix pfx;
	int err;

	err = nt_parse_prefix(info, &pfx);
	if (err)
		return err;
	mutex_lock(&nn->lock);
	err = nt_cc_route_del(nn, &pfx);
	if (err)
		NL_SET_ERR_MSG(info->extack, "no such route");
	else
		nt_notify_route(nn, &pfx, NULL, NT_CC_CMD_ROUTE_DEL);
	mutex_unlock(&nn->lock);
	return err;
}

static const struct genl_small_ops nt_cc_ops[] = {
	{
		.cmd = NT_CC_CMD_PROFILE_GET,
		.doit = nt_profile_get_doit,
		.dumpit = nt_profile_get_dumpit,
	},
	{
		.cmd = NT_CC_CMD_PROFILE_NEW,
		.doit = nt_profile_new_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = NT_CC_CMD_PROFILE_SET,
		.doit = nt_profile_set_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = NT_CC_CMD_PROFILE_DEL,
		.doit = nt_profile_del_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = NT_CC_CMD_ROUTE_GET,
		.dumpit = nt_route_get_dumpit,
	},
	{
		.cmd = NT_CC_CMD_ROUTE_NEW,
		.doit = nt_route_new_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = NT_CC_CMD_ROUTE_DEL,
		.doit = nt_route_del_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
};

static struct genl_family nt_cc_family __ro_after_init = {
	.name = NT_CC_GENL_NAME,
	.version = NTKIT_GENL_VERSION,
	.maxattr = NT_CC_A_MAX,
	.policy = nt_cc_policy,
	.netnsok = true,
	.parallel_ops = true,
	.module = THIS_MODULE,
	.small_ops = nt_cc_ops,
	.n_small_ops = ARRAY_SIZE(nt_cc_ops),
	.resv_start_op = NT_CC_CMD_ROUTE_DEL + 1,
	.mcgrps = nt_cc_mcgrps,
	.n_mcgrps = ARRAY_SIZE(nt_cc_mcgrps),
};

int nt_cc_genl_init(void)
{
	return genl_register_family(&nt_cc_family);
}

void nt_cc_genl_exit(void)
{
	genl_unregister_family(&nt_cc_family);
}

MODULE_ALIAS_GENL_FAMILY(NT_CC_GENL_NAME);
