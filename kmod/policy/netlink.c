// SPDX-License-Identifier: GPL-2.0
/*
 * nt_policy: the nt_policy generic netlink family. The API is described
 * in uapi/linux/nt_policy.h; commits are multicast on "events".
 */
#include <linux/in.h>
#include <linux/if.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include "nt_stats.h"
#include "policy.h"

static const struct nla_policy nt_pol_hook_policy[NT_POL_HOOK_A_MAX + 1] = {
	[NT_POL_HOOK_A_HOOK] = NLA_POLICY_MAX(NLA_U8, NT_POL_HOOK_MAX),
	[NT_POL_HOOK_A_PRIORITY] = NLA_POLICY_RANGE(NLA_S32, NT_POL_PRIO_MIN,
						    NT_POL_PRIO_MAX),
	[NT_POL_HOOK_A_POLICY] = NLA_POLICY_MAX(NLA_U8, 1),
	[NT_POL_HOOK_A_RULES] = { .type = NLA_REJECT },
	[NT_POL_HOOK_A_PACKETS] = { .type = NLA_REJECT },
	[NT_POL_HOOK_A_DEFAULT] = { .type = NLA_REJECT },
	[NT_POL_HOOK_A_REGISTERED] = { .type = NLA_REJECT },
};

static const struct nla_policy nt_pol_policy[NT_POL_A_MAX + 1] = {
	[NT_POL_A_GENERATION] = { .type = NLA_U64 },
	[NT_POL_A_RULE] = NLA_POLICY_NESTED(nt_pol_rule_policy),
	[NT_POL_A_HOOK] = NLA_POLICY_NESTED(nt_pol_hook_policy),
	[NT_POL_A_RULES] = { .type = NLA_REJECT },
	[NT_POL_A_TUPLES] = { .type = NLA_REJECT },
	[NT_POL_A_MEMORY] = { .type = NLA_REJECT },
	[NT_POL_A_MAX_RULES] = { .type = NLA_REJECT },
};

static struct genl_family nt_pol_family;

enum { NT_POL_MCGRP_EVENTS };

static const struct genl_multicast_group nt_pol_mcgrps[] = {
	[NT_POL_MCGRP_EVENTS] = { .name = NTKIT_MCGRP_EVENTS,
				  .flags = GENL_MCAST_CAP_NET_ADMIN },
};

static int nt_pol_fill_commit(struct sk_buff *skb, struct nt_pol_net *pn)
{
	struct nt_pol_ruleset *rs = nt_pol_active(pn);
	void *hdr;

	hdr = genlmsg_put(skb, 0, 0, &nt_pol_family, 0, NT_POL_CMD_COMMIT);
	if (!hdr ||
	    nla_put_u64_64bit(skb, NT_POL_A_GENERATION, pn->generation,
			      NT_POL_A_PAD) ||
	    nla_put_u32(skb, NT_POL_A_RULES, rs ? rs->nrules : 0))
		return -EMSGSIZE;
	genlmsg_end(skb, hdr);
	return 0;
}

void nt_pol_notify_commit(struct nt_pol_net *pn)
{
	struct sk_buff *skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);

	nt_nl_notify(&nt_pol_family, pn->net, NT_POL_MCGRP_EVENTS, skb,
		     skb ? nt_pol_fill_commit(skb, pn) : 0, GFP_KERNEL);
}

static int nt_pol_rule_add_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nt_pol_net *pn = nt_pol_pernet(genl_info_net(info));
	struct nt_pol_rule *rules = NULL;
	struct nlattr *a;
	u32 n = 0, nadd = 0;
	size_t charge = 0;
	int rem, err = 0;

	nlmsg_for_each_attr(a, info->nlhdr, GENL_HDRLEN, rem)
		nadd += nla_type(a) == NT_POL_A_RULE;
	if (!nadd) {
		GENL_SET_ERR_MSG(info, "no rule (NT_POL_A_RULE) given");
		return -EINVAL;
	}
	mutex_lock(&pn->lock);
	if (pn->txn && pn->txn->portid == info->snd_portid) {
		nlmsg_for_each_attr(a, info->nlhdr, GENL_HDRLEN, rem) {
			if (nla_type(a) != NT_POL_A_RULE)
				continue;
			err = nt_pol_txn_add_rule(pn->txn, a, info->extack);
			if (err)
				break;
		}
		goto out;
	}
	rules = nt_pol_copy(pn, nadd, &n, &charge, info->extack);
	if (IS_ERR(rules)) {
		err = PTR_ERR(rules);
		goto out;
	}
	nlmsg_for_each_attr(a, info->nlhdr, GENL_HDRLEN, rem) {
		const struct nt_pol_ruleset *rs = nt_pol_active(pn);

		if (nla_type(a) != NT_POL_A_RULE)
			continue;
		err = nt_pol_parse_rule(a, &rules[n], info->extack);
		if (err)
			goto out;
		if (rules[n].id && nt_pol_ruleset_find(rs, rules[n].id)) {
			NL_SET_ERR_MSG_ATTR(info->extack, a,
					    "a rule with this id exists");
			err = -EEXIST;
			goto out;
		}
		n++;
	}
	err = nt_pol_commit(pn, rules, n, charge, info->extack);
	if (!err) {
		rules = NULL;
		nt_pol_notify_commit(pn);
	}
out:
	nt_pol_copy_free(pn, rules, charge);
	mutex_unlock(&pn->lock);
	return err;
}

/* Under pn->lock: the rule in force whose id the request gives. */
static struct nt_pol_rule *nt_pol_req_rule(struct nt_pol_net *pn,
					   struct genl_info *info)
{
	struct nlattr *tb[NT_POL_RULE_A_MAX + 1];
	struct nt_pol_rule *r;
	int err;

	if (NT_NL_MISSING(info->extack, NULL, info->attrs, NT_POL_A_RULE,
			  "the rule (NT_POL_A_RULE) is required"))
		return ERR_PTR(-EINVAL);
	err = nla_parse_nested(tb, NT_POL_RULE_A_MAX, info->attrs[NT_POL_A_RULE],
			       nt_pol_rule_policy, info->extack);
	if (err)
		return ERR_PTR(err);
	if (NT_NL_MISSING(info->extack, info->attrs[NT_POL_A_RULE], tb,
			  NT_POL_RULE_A_ID,
			  "the rule's id (NT_POL_RULE_A_ID, 1..4294967295) is required"))
		return ERR_PTR(-EINVAL);
	r = nt_pol_ruleset_find(nt_pol_active(pn),
				nla_get_u32(tb[NT_POL_RULE_A_ID]));
	if (!r) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[NT_POL_RULE_A_ID],
				    "no rule with this id");
		return ERR_PTR(-ENOENT);
	}
	return r;
}

static int nt_pol_rule_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nt_pol_net *pn = nt_pol_pernet(genl_info_net(info));
	struct nt_pol_rule *r;
	int err;

	mutex_lock(&pn->lock);
	r = nt_pol_req_rule(pn, info);
	err = IS_ERR(r) ? PTR_ERR(r) : nt_pol_del(pn, r->id, info->extack);
	if (!err)
		nt_pol_notify_commit(pn);
	mutex_unlock(&pn->lock);
	return err;
}

static int nt_pol_hook_attr(struct genl_info *info, struct nlattr **tb)
{
	if (NT_NL_MISSING(info->extack, NULL, info->attrs, NT_POL_A_HOOK,
			  "the hook (NT_POL_A_HOOK) is required"))
		return -EINVAL;
	return nla_parse_nested(tb, NT_POL_HOOK_A_MAX,
				info->attrs[NT_POL_A_HOOK], nt_pol_hook_policy,
				info->extack);
}

static int nt_pol_flush_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nt_pol_net *pn = nt_pol_pernet(genl_info_net(info));
	struct nlattr *tb[NT_POL_HOOK_A_MAX + 1];
	u32 hook = U32_MAX;
	int err;

	if (info->attrs[NT_POL_A_HOOK]) {
		err = nt_pol_hook_attr(info, tb);
		if (err)
			return err;
		if (NT_NL_MISSING(info->extack, info->attrs[NT_POL_A_HOOK],
				  tb, NT_POL_HOOK_A_HOOK, NT_POL_HOOK_MISSING))
			return -EINVAL;
		hook = nla_get_u8(tb[NT_POL_HOOK_A_HOOK]);
	}
	mutex_lock(&pn->lock);
	err = nt_pol_flush(pn, hook, info->extack);
	if (!err)
		nt_pol_notify_commit(pn);
	mutex_unlock(&pn->lock);
	return err;
}

static int nt_pol_begin_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nt_pol_net *pn = nt_pol_pernet(genl_info_net(info));
	int err = 0;

	mutex_lock(&pn->lock);
	if (pn->txn && pn->txn->portid == info->snd_portid) {
		GENL_SET_ERR_MSG(info, "this socket has a transaction open already");
		err = -EBUSY;
	} else if (pn->txn) {
		GENL_SET_ERR_MSG(info, "another socket has a transaction open (one per namespace)");
		err = -EBUSY;
	} else {
		pn->txn = nt_pol_txn_alloc(info->snd_portid, pn->budget);
		if (!pn->txn)
			err = -ENOMEM;
		else
			WRITE_ONCE(pn->txn_portid, info->snd_portid);
	}
	mutex_unlock(&pn->lock);
	return err;
}

static struct nt_pol_txn *nt_pol_my_txn(struct nt_pol_net *pn,
					struct genl_info *info)
{
	if (pn->txn && pn->txn->portid == info->snd_portid)
		return pn->txn;
	GENL_SET_ERR_MSG(info, "no transaction open on this socket (NT_POL_CMD_BEGIN)");
	return NULL;
}

static int nt_pol_commit_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nt_pol_net *pn = nt_pol_pernet(genl_info_net(info));
	struct nlattr *ga = info->attrs[NT_POL_A_GENERATION];
	struct nt_pol_txn *t;
	struct sk_buff *msg;
	void *hdr;
	int err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&pn->lock);
	t = nt_pol_my_txn(pn, info);
	if (!t) {
		err = -ENOENT;
		goto out;
	}
	pn->txn = NULL;
	WRITE_ONCE(pn->txn_portid, 0);
	if (ga && nla_get_u64(ga) != pn->generation) {
		NL_SET_ERR_MSG_ATTR(info->extack, ga,
				    "the ruleset changed since this generation: transaction discarded");
		err = -ESTALE;
		goto out_txn;
	}
	nt_pol_credit_open(pn);
	err = nt_pol_commit(pn, t->rules, t->n, t->charge, info->extack);
	if (err)
		goto out_txn;
	nt_pol_notify_commit(pn);
	t->rules = NULL;
	t->charge = 0;
	hdr = genlmsg_put_reply(msg, info, &nt_pol_family, 0,
				NT_POL_CMD_COMMIT);
	if (hdr && !nla_put_u64_64bit(msg, NT_POL_A_GENERATION, pn->generation,
				      NT_POL_A_PAD) &&
	    !nla_put_u32(msg, NT_POL_A_RULES, t->n)) {
		genlmsg_end(msg, hdr);
		nt_pol_txn_free(t);
		mutex_unlock(&pn->lock);
		return genlmsg_reply(msg, info);
	}
out_txn:
	nt_pol_txn_free(t);
out:
	mutex_unlock(&pn->lock);
	nlmsg_free(msg);
	return err;
}

static int nt_pol_abort_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nt_pol_net *pn = nt_pol_pernet(genl_info_net(info));
	struct nt_pol_txn *t;

	mutex_lock(&pn->lock);
	t = nt_pol_my_txn(pn, info);
	if (t) {
		pn->txn = NULL;
		WRITE_ONCE(pn->txn_portid, 0);
	}
	mutex_unlock(&pn->lock);
	nt_pol_txn_free(t);
	return t ? 0 : -ENOENT;
}

static int nt_pol_rule_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nt_pol_net *pn = nt_pol_pernet(genl_info_net(info));
	const struct nt_pol_rule *r;
	struct sk_buff *msg;
	void *hdr;
	int err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&pn->lock);
	r = nt_pol_req_rule(pn, info);
	if (IS_ERR(r)) {
		err = PTR_ERR(r);
		goto err_unlock;
	}
	hdr = genlmsg_put_reply(msg, info, &nt_pol_family, 0,
				NT_POL_CMD_RULE_GET);
	err = -EMSGSIZE;
	if (!hdr ||
	    nla_put_u64_64bit(msg, NT_POL_A_GENERATION, pn->generation,
			      NT_POL_A_PAD) ||
	    nt_pol_put_rule(msg, r))
		goto err_unlock;
	mutex_unlock(&pn->lock);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
err_unlock:
	mutex_unlock(&pn->lock);
	nlmsg_free(msg);
	return err;
}

/*
 * Dump: rules in (hook, priority, id) order, several per message;
 * cb->args[0] is the next position, args[1] the hook filter + 1. A dump
 * that spans a commit is flagged NLM_F_DUMP_INTR.
 */
static int nt_pol_rule_get_dumpit(struct sk_buff *skb,
				  struct netlink_callback *cb)
{
	struct nlattr **attrs = nt_genl_dump_attrs(cb);
	struct nt_pol_net *pn = nt_pol_pernet(sock_net(skb->sk));
	const struct nt_pol_ruleset *rs;
	u32 i, end;
	void *hdr;

	if (!cb->args[2]) {
		struct nlattr *ha = attrs[NT_POL_A_HOOK];
		struct nlattr *tb[NT_POL_HOOK_A_MAX + 1];

		cb->args[2] = 1;
		if (ha) {
			int err = nla_parse_nested(tb, NT_POL_HOOK_A_MAX, ha,
						   nt_pol_hook_policy,
						   cb->extack);

			if (err)
				return err;
			if (tb[NT_POL_HOOK_A_HOOK])
				cb->args[1] = 1 + nla_get_u8(tb[NT_POL_HOOK_A_HOOK]);
		}
	}
	mutex_lock(&pn->lock);
	rs = nt_pol_active(pn);
	cb->seq = (u32)pn->generation + 1;
	i = cb->args[0];
	end = rs ? rs->nrules : 0;
	if (rs && cb->args[1]) {
		i = max_t(u32, i, rs->hook_first[cb->args[1] - 1]);
		end = rs->hook_first[cb->args[1]];
	}
	for (; i < end; i++) {
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &nt_pol_family,
				  NLM_F_MULTI, NT_POL_CMD_RULE_GET);
		if (!hdr)
			break;
		genl_dump_check_consistent(cb, hdr);
		if (nla_put_u64_64bit(skb, NT_POL_A_GENERATION, pn->generation,
				      NT_POL_A_PAD) ||
		    nt_pol_put_rule(skb, rs->order[i])) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
	}
	mutex_unlock(&pn->lock);
	cb->args[0] = i;
	return skb->len;
}

/* A message of hook @h's settings and counters. */
static int nt_pol_fill_hook(struct sk_buff *skb, struct nt_pol_net *pn, int h,
			    u32 portid, u32 seq, int flags, u8 cmd)
{
	const struct nt_pol_ruleset *rs = nt_pol_active(pn);
	struct nlattr *nest;
	u64 v[2] = {};
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &nt_pol_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	nest = nla_nest_start(skb, NT_POL_A_HOOK);
	if (!nest)
		goto cancel;
	NT_STATS_SUM(pn->hstat[h], struct nt_pol_hookstat, packets, 2, v);
	if (nla_put_u8(skb, NT_POL_HOOK_A_HOOK, h) ||
	    nla_put_s32(skb, NT_POL_HOOK_A_PRIORITY, pn->hook_prio[h]) ||
	    nla_put_u8(skb, NT_POL_HOOK_A_POLICY, pn->hook_policy[h]) ||
	    nla_put_u32(skb, NT_POL_HOOK_A_RULES,
			rs ? rs->hook_first[h + 1] - rs->hook_first[h] : 0) ||
	    nla_put_u64_64bit(skb, NT_POL_HOOK_A_PACKETS, v[0],
			      NT_POL_HOOK_A_PAD) ||
	    nla_put_u64_64bit(skb, NT_POL_HOOK_A_DEFAULT, v[1],
			      NT_POL_HOOK_A_PAD) ||
	    nla_put_u8(skb, NT_POL_HOOK_A_REGISTERED,
		       pn->reg[h][0] || pn->reg[h][1]))
		goto cancel;
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;
cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

static int nt_pol_hook_get_dumpit(struct sk_buff *skb,
				  struct netlink_callback *cb)
{
	struct nt_pol_net *pn = nt_pol_pernet(sock_net(skb->sk));
	int h;

	mutex_lock(&pn->lock);
	for (h = cb->args[0]; h < NT_POL_HOOKS; h++)
		if (nt_pol_fill_hook(skb, pn, h, NETLINK_CB(cb->skb).portid,
				     cb->nlh->nlmsg_seq, NLM_F_MULTI,
				     NT_POL_CMD_HOOK_GET))
			break;
	mutex_unlock(&pn->lock);
	cb->args[0] = h;
	return skb->len;
}

static int nt_pol_hook_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nt_pol_net *pn = nt_pol_pernet(genl_info_net(info));
	struct nlattr *tb[NT_POL_HOOK_A_MAX + 1];
	struct sk_buff *ev;
	u8 policy;
	int h, err;
	s32 prio;

	err = nt_pol_hook_attr(info, tb);
	if (err)
		return err;
	if (NT_NL_MISSING(info->extack, info->attrs[NT_POL_A_HOOK], tb,
			  NT_POL_HOOK_A_HOOK, NT_POL_HOOK_MISSING))
		return -EINVAL;
	h = nla_get_u8(tb[NT_POL_HOOK_A_HOOK]);
	mutex_lock(&pn->lock);
	policy = tb[NT_POL_HOOK_A_POLICY] ?
		 nla_get_u8(tb[NT_POL_HOOK_A_POLICY]) : pn->hook_policy[h];
	prio = tb[NT_POL_HOOK_A_PRIORITY] ?
	       nla_get_s32(tb[NT_POL_HOOK_A_PRIORITY]) : pn->hook_prio[h];
	if (nt_pol_hook_moves(pn, h, prio)) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[NT_POL_HOOK_A_PRIORITY],
				    "priority: cannot change while the hook has police or meter rules (a packet would be charged twice); remove them first");
		err = -EBUSY;
		goto out;
	}
	err = nt_pol_hooks_sync(pn, h, prio, policy);
	if (err) {
		/* nothing was registered or removed */
		GENL_SET_ERR_MSG(info, "cannot register the netfilter hook");
		goto out;
	}
	WRITE_ONCE(pn->hook_policy[h], policy);
	pn->hook_prio[h] = prio;
	ev = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	nt_nl_notify(&nt_pol_family, pn->net, NT_POL_MCGRP_EVENTS, ev,
		     ev ? nt_pol_fill_hook(ev, pn, h, 0, 0, 0,
					   NT_POL_CMD_HOOK_SET) : 0,
		     GFP_KERNEL);
out:
	mutex_unlock(&pn->lock);
	return err;
}

static int nt_pol_stats_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nt_pol_net *pn = nt_pol_pernet(genl_info_net(info));
	const struct nt_pol_ruleset *rs;
	struct sk_buff *msg;
	u32 tuples = 0;
	void *hdr;
	int h;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&pn->lock);
	rs = nt_pol_active(pn);
	for (h = 0; rs && h < NT_POL_HOOKS; h++)
		tuples += nt_pol_cls_tuples(rs->cls[h][0]) +
			  nt_pol_cls_tuples(rs->cls[h][1]);
	hdr = genlmsg_put_reply(msg, info, &nt_pol_family, 0,
				NT_POL_CMD_STATS_GET);
	if (!hdr ||
	    nla_put_u64_64bit(msg, NT_POL_A_GENERATION, pn->generation,
			      NT_POL_A_PAD) ||
	    nla_put_u32(msg, NT_POL_A_RULES, rs ? rs->nrules : 0) ||
	    nla_put_u32(msg, NT_POL_A_TUPLES, tuples) ||
	    nla_put_u64_64bit(msg, NT_POL_A_MEMORY,
			      atomic_long_read(&pn->budget->used),
			      NT_POL_A_PAD) ||
	    nla_put_u32(msg, NT_POL_A_MAX_RULES, READ_ONCE(nt_pol_max_rules))) {
		mutex_unlock(&pn->lock);
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	mutex_unlock(&pn->lock);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static const struct genl_small_ops nt_pol_ops[] = {
	{
		.cmd = NT_POL_CMD_RULE_GET,
		.doit = nt_pol_rule_get_doit,
		.dumpit = nt_pol_rule_get_dumpit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = NT_POL_CMD_RULE_ADD,
		.doit = nt_pol_rule_add_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = NT_POL_CMD_RULE_DEL,
		.doit = nt_pol_rule_del_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = NT_POL_CMD_FLUSH,
		.doit = nt_pol_flush_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = NT_POL_CMD_BEGIN,
		.doit = nt_pol_begin_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = NT_POL_CMD_COMMIT,
		.doit = nt_pol_commit_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = NT_POL_CMD_ABORT,
		.doit = nt_pol_abort_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = NT_POL_CMD_HOOK_GET,
		.dumpit = nt_pol_hook_get_dumpit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = NT_POL_CMD_HOOK_SET,
		.doit = nt_pol_hook_set_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = NT_POL_CMD_STATS_GET,
		.doit = nt_pol_stats_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
};

static struct genl_family nt_pol_family __ro_after_init = {
	.name = NT_POLICY_GENL_NAME,
	.version = NTKIT_GENL_VERSION,
	.maxattr = NT_POL_A_MAX,
	.policy = nt_pol_policy,
	.netnsok = true,
	.parallel_ops = true,
	.module = THIS_MODULE,
	.small_ops = nt_pol_ops,
	.n_small_ops = ARRAY_SIZE(nt_pol_ops),
	.resv_start_op = NT_POL_CMD_STATS_GET + 1,
	.mcgrps = nt_pol_mcgrps,
	.n_mcgrps = ARRAY_SIZE(nt_pol_mcgrps),
};

int nt_pol_genl_init(void)
{
	return genl_register_family(&nt_pol_family);
}

void nt_pol_genl_exit(void)
{
	genl_unregister_family(&nt_pol_family);
}

MODULE_ALIAS_GENL_FAMILY(NT_POLICY_GENL_NAME);
