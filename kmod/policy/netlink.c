// SPDX-License-Identifier: GPL-2.0
/*
 * nt_policy: the nt_policy generic netlink family. The API is described
 * in uapi/linux/nt_policy.h; commits are multicast on "events".
 */
#include <linux/in.h>
#include <linux/if.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include "policy.h"

static struct netlink_range_validation nt_pol_rate_range = {
	.min = 1, .max = NT_POL_RATE_MAX,
};

static struct netlink_range_validation nt_pol_burst_range = {
	.min = 1, .max = NT_POL_BURST_MAX,
};

static struct netlink_range_validation nt_pol_msize_range = {
	.min = 1, .max = NT_POL_METER_SIZE_MAX,
};

static const struct nla_policy nt_pol_rule_policy[NT_POL_RULE_A_MAX + 1] = {
	[NT_POL_RULE_A_ID] = { .type = NLA_U32 },
	[NT_POL_RULE_A_PRIORITY] = { .type = NLA_U32 },
	[NT_POL_RULE_A_HOOK] = NLA_POLICY_MAX(NLA_U8, NT_POL_HOOK_MAX),
	[NT_POL_RULE_A_FAMILY] = NLA_POLICY_MAX(NLA_U8, NT_POL_FAMILY_MAX),
	[NT_POL_RULE_A_SRC] = NLA_POLICY_RANGE(NLA_BINARY, 4, 16),
	[NT_POL_RULE_A_SRC_LEN] = NLA_POLICY_MAX(NLA_U8, 128),
	[NT_POL_RULE_A_DST] = NLA_POLICY_RANGE(NLA_BINARY, 4, 16),
	[NT_POL_RULE_A_DST_LEN] = NLA_POLICY_MAX(NLA_U8, 128),
	[NT_POL_RULE_A_PROTO] = { .type = NLA_U8 },
	[NT_POL_RULE_A_SPORT_MIN] = { .type = NLA_U16 },
	[NT_POL_RULE_A_SPORT_MAX] = { .type = NLA_U16 },
	[NT_POL_RULE_A_DPORT_MIN] = { .type = NLA_U16 },
	[NT_POL_RULE_A_DPORT_MAX] = { .type = NLA_U16 },
	[NT_POL_RULE_A_TCP_FLAGS] = { .type = NLA_U8 },
	[NT_POL_RULE_A_TCP_FLAGS_MASK] = { .type = NLA_U8 },
	[NT_POL_RULE_A_IIF] = { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
	[NT_POL_RULE_A_OIF] = { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
	[NT_POL_RULE_A_DSCP] = NLA_POLICY_MAX(NLA_U8, 63),
	[NT_POL_RULE_A_ACTION] = NLA_POLICY_MAX(NLA_U8, NT_POL_ACT_MAX),
	[NT_POL_RULE_A_MARK] = { .type = NLA_U32 },
	[NT_POL_RULE_A_MARK_MASK] = { .type = NLA_U32 },
	[NT_POL_RULE_A_SET_DSCP] = NLA_POLICY_MAX(NLA_U8, 63),
	[NT_POL_RULE_A_RATE] = NLA_POLICY_FULL_RANGE(NLA_U64,
						     &nt_pol_rate_range),
	[NT_POL_RULE_A_BURST] = NLA_POLICY_FULL_RANGE(NLA_U64,
						      &nt_pol_burst_range),
	[NT_POL_RULE_A_UNIT] = NLA_POLICY_MAX(NLA_U8, NT_POL_UNIT_MAX),
	[NT_POL_RULE_A_METER_KEY] = NLA_POLICY_MAX(NLA_U8, NT_POL_METER_MAX),
	[NT_POL_RULE_A_METER_LEN] = NLA_POLICY_RANGE(NLA_U8, 1, 128),
	[NT_POL_RULE_A_METER_SIZE] = NLA_POLICY_FULL_RANGE(NLA_U32,
							   &nt_pol_msize_range),
	[NT_POL_RULE_A_PACKETS] = { .type = NLA_REJECT },
	[NT_POL_RULE_A_BYTES] = { .type = NLA_REJECT },
	[NT_POL_RULE_A_OVER] = { .type = NLA_REJECT },
	[NT_POL_RULE_A_METER_ENTRIES] = { .type = NLA_REJECT },
};

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

static bool nt_pol_has_ports(u8 proto)
{
	return proto == IPPROTO_TCP || proto == IPPROTO_UDP ||
	       proto == IPPROTO_UDPLITE || proto == IPPROTO_SCTP;
}

/*
 * A prefix from the address attribute tb[@aaddr] and its length
 * tb[@aaddr + 1] (default: the whole address). Returns 1 if given, 0 if
 * not, or an error; *@l3 records the family and must agree across calls.
 */
static int nt_pol_parse_addr(struct nlattr **tb, int aaddr,
			     union nt_pol_addr *addr, u8 *len, u8 *l3,
			     struct netlink_ext_ack *extack)
{
	struct nlattr *a = tb[aaddr], *la = tb[aaddr + 1];
	int alen, max;
	u8 fam;

	if (!a) {
		if (!la)
			return 0;
		if (aaddr == NT_POL_RULE_A_SRC)
			NL_SET_ERR_MSG_ATTR(extack, la,
					    "NT_POL_RULE_A_SRC_LEN needs NT_POL_RULE_A_SRC");
		else
			NL_SET_ERR_MSG_ATTR(extack, la,
					    "NT_POL_RULE_A_DST_LEN needs NT_POL_RULE_A_DST");
		return -EINVAL;
	}
	alen = nla_len(a);
	if (alen != 4 && alen != 16) {
		NL_SET_ERR_MSG_ATTR(extack, a,
				    "an address is 4 (IPv4) or 16 (IPv6) bytes");
		return -EINVAL;
	}
	fam = alen == 4 ? 1 + NT_POL_L3_IP : 1 + NT_POL_L3_IP6;
	if (*l3 && *l3 != fam) {
		NL_SET_ERR_MSG_ATTR(extack, a,
				    "source and destination are of different families");
		return -EINVAL;
	}
	*l3 = fam;
	max = alen * 8;
	memset(addr, 0, sizeof(*addr));
	nla_memcpy(addr, a, alen);
	*len = la ? nla_get_u8(la) : max;
	if (*len > max) {
		NL_SET_ERR_MSG_ATTR(extack, la,
				    "an IPv4 prefix length is 0..32");
		return -ERANGE;
	}
	return 1;
}

static_assert(NT_POL_RULE_A_SRC_LEN - NT_POL_RULE_A_SRC == 1);
static_assert(NT_POL_RULE_A_DST_LEN - NT_POL_RULE_A_DST == 1);

/*
 * A port range from tb[@amin] and tb[@amin + 1] (MIN, MAX; either alone is
 * MIN..MIN or 0..MAX). Returns 1 if given, 0 if not, or an error.
 */
static int nt_pol_parse_ports(struct nlattr **tb, int amin, u16 *lo, u16 *hi,
			      struct netlink_ext_ack *extack)
{
	struct nlattr *a = tb[amin] ? : tb[amin + 1];

	if (!a)
		return 0;
	*lo = tb[amin] ? nla_get_u16(tb[amin]) : 0;
	*hi = tb[amin + 1] ? nla_get_u16(tb[amin + 1]) : *lo;
	if (*lo > *hi) {
		NL_SET_ERR_MSG_ATTR(extack, a,
				    "port range: MIN must not exceed MAX");
		return -EINVAL;
	}
	return 1;
}

static_assert(NT_POL_RULE_A_SPORT_MAX - NT_POL_RULE_A_SPORT_MIN == 1);
static_assert(NT_POL_RULE_A_DPORT_MAX - NT_POL_RULE_A_DPORT_MIN == 1);

/*
 * Fill @r from the NT_POL_A_RULE nest @nest and check it as a whole. The
 * nest comes from a request genetlink has already validated against
 * nt_pol_policy (every NT_POL_A_RULE in it, with nt_pol_rule_policy), so
 * it is only split here, not validated a second time.
 */
static int nt_pol_parse_rule(struct nlattr *nest, struct nt_pol_rule *r,
			     struct netlink_ext_ack *extack)
{
	struct nlattr *tb[NT_POL_RULE_A_MAX + 1], *a;
	int err;

	err = __nla_parse(tb, NT_POL_RULE_A_MAX, nla_data(nest), nla_len(nest),
			  NULL, NL_VALIDATE_STRICT, extack);
	if (err)
		return err;
	memset(r, 0, sizeof(*r));
	if (NL_REQ_ATTR_CHECK(extack, nest, tb, NT_POL_RULE_A_HOOK) ||
	    NL_REQ_ATTR_CHECK(extack, nest, tb, NT_POL_RULE_A_ACTION)) {
		NL_SET_ERR_MSG(extack, "a rule needs a hook and an action");
		return -EINVAL;
	}
	if (tb[NT_POL_RULE_A_ID])
		r->id = nla_get_u32(tb[NT_POL_RULE_A_ID]);
	if (tb[NT_POL_RULE_A_PRIORITY])
		r->prio = nla_get_u32(tb[NT_POL_RULE_A_PRIORITY]);
	r->hook = nla_get_u8(tb[NT_POL_RULE_A_HOOK]);
	r->action = nla_get_u8(tb[NT_POL_RULE_A_ACTION]);
	r->family = tb[NT_POL_RULE_A_FAMILY] ?
		    nla_get_u8(tb[NT_POL_RULE_A_FAMILY]) : NT_POL_FAMILY_INET;

	err = nt_pol_parse_addr(tb, NT_POL_RULE_A_SRC, &r->src, &r->src_len,
				&r->l3, extack);
	if (err < 0)
		return err;
	if (err)
		r->match |= NT_POL_M_SRC;
	err = nt_pol_parse_addr(tb, NT_POL_RULE_A_DST, &r->dst, &r->dst_len,
				&r->l3, extack);
	if (err < 0)
		return err;
	if (err)
		r->match |= NT_POL_M_DST;
	if (r->l3 && r->family != NT_POL_FAMILY_INET &&
	    r->family - NT_POL_FAMILY_IP != r->l3 - 1) {
		NL_SET_ERR_MSG_ATTR(extack, tb[NT_POL_RULE_A_FAMILY],
				    "the family differs from the addresses'");
		return -EINVAL;
	}
	if (tb[NT_POL_RULE_A_PROTO]) {
		r->proto = nla_get_u8(tb[NT_POL_RULE_A_PROTO]);
		r->match |= NT_POL_M_PROTO;
	}
	err = nt_pol_parse_ports(tb, NT_POL_RULE_A_SPORT_MIN, &r->sport_lo,
				 &r->sport_hi, extack);
	if (err < 0)
		return err;
	if (err)
		r->match |= NT_POL_M_SPORT;
	err = nt_pol_parse_ports(tb, NT_POL_RULE_A_DPORT_MIN, &r->dport_lo,
				 &r->dport_hi, extack);
	if (err < 0)
		return err;
	if (err)
		r->match |= NT_POL_M_DPORT;
	if ((r->match & (NT_POL_M_SPORT | NT_POL_M_DPORT)) &&
	    !((r->match & NT_POL_M_PROTO) && nt_pol_has_ports(r->proto))) {
		NL_SET_ERR_MSG_ATTR(extack, tb[NT_POL_RULE_A_PROTO] ? :
				    tb[NT_POL_RULE_A_SPORT_MIN] ? :
				    tb[NT_POL_RULE_A_SPORT_MAX] ? :
				    tb[NT_POL_RULE_A_DPORT_MIN] ? :
				    tb[NT_POL_RULE_A_DPORT_MAX],
				    "ports need NT_POL_RULE_A_PROTO tcp (6), udp (17), sctp (132) or udplite (136)");
		return -EINVAL;
	}
	if (tb[NT_POL_RULE_A_TCP_FLAGS] || tb[NT_POL_RULE_A_TCP_FLAGS_MASK]) {
		a = tb[NT_POL_RULE_A_TCP_FLAGS] ? :
		    tb[NT_POL_RULE_A_TCP_FLAGS_MASK];
		if (!(r->match & NT_POL_M_PROTO) || r->proto != IPPROTO_TCP) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "TCP flags need NT_POL_RULE_A_PROTO tcp (6)");
			return -EINVAL;
		}
		r->tcpf_val = tb[NT_POL_RULE_A_TCP_FLAGS] ?
			      nla_get_u8(tb[NT_POL_RULE_A_TCP_FLAGS]) : 0;
		r->tcpf_mask = tb[NT_POL_RULE_A_TCP_FLAGS_MASK] ?
			       nla_get_u8(tb[NT_POL_RULE_A_TCP_FLAGS_MASK]) :
			       r->tcpf_val;
		if (r->tcpf_val & ~r->tcpf_mask) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "TCP flags: VALUE has bits outside MASK");
			return -EINVAL;
		}
		r->match |= NT_POL_M_TCPFLAGS;
	}
	if (tb[NT_POL_RULE_A_IIF]) {
		if (r->hook == NT_POL_HOOK_OUTPUT ||
		    r->hook == NT_POL_HOOK_POSTROUTING) {
			NL_SET_ERR_MSG_ATTR(extack, tb[NT_POL_RULE_A_IIF],
					    "an input interface is known at prerouting, input and forward only");
			return -EINVAL;
		}
		nla_strscpy(r->iif, tb[NT_POL_RULE_A_IIF], IFNAMSIZ);
		r->match |= NT_POL_M_IIF;
	}
	if (tb[NT_POL_RULE_A_OIF]) {
		if (r->hook == NT_POL_HOOK_PREROUTING ||
		    r->hook == NT_POL_HOOK_INPUT) {
			NL_SET_ERR_MSG_ATTR(extack, tb[NT_POL_RULE_A_OIF],
					    "an output interface is known at forward, output and postrouting only");
			return -EINVAL;
		}
		nla_strscpy(r->oif, tb[NT_POL_RULE_A_OIF], IFNAMSIZ);
		r->match |= NT_POL_M_OIF;
	}
	if (tb[NT_POL_RULE_A_DSCP]) {
		r->dscp = nla_get_u8(tb[NT_POL_RULE_A_DSCP]);
		r->match |= NT_POL_M_DSCP;
	}

	/* the action's arguments, and no other */
	r->mark_mask = U32_MAX;
	switch (r->action) {
	case NT_POL_ACT_MARK:
		if (NL_REQ_ATTR_CHECK(extack, nest, tb, NT_POL_RULE_A_MARK)) {
			NL_SET_ERR_MSG(extack, "action mark needs NT_POL_RULE_A_MARK");
			return -EINVAL;
		}
		r->mark = nla_get_u32(tb[NT_POL_RULE_A_MARK]);
		if (tb[NT_POL_RULE_A_MARK_MASK])
			r->mark_mask = nla_get_u32(tb[NT_POL_RULE_A_MARK_MASK]);
		break;
	case NT_POL_ACT_DSCP:
		if (NL_REQ_ATTR_CHECK(extack, nest, tb,
				      NT_POL_RULE_A_SET_DSCP)) {
			NL_SET_ERR_MSG(extack,
				       "action dscp needs NT_POL_RULE_A_SET_DSCP (0..63)");
			return -EINVAL;
		}
		r->set_dscp = nla_get_u8(tb[NT_POL_RULE_A_SET_DSCP]);
		break;
	case NT_POL_ACT_METER:
		r->meter_key = tb[NT_POL_RULE_A_METER_KEY] ?
			       nla_get_u8(tb[NT_POL_RULE_A_METER_KEY]) :
			       NT_POL_METER_SRC;
		r->meter_len = tb[NT_POL_RULE_A_METER_LEN] ?
			       nla_get_u8(tb[NT_POL_RULE_A_METER_LEN]) : 128;
		r->meter_size = tb[NT_POL_RULE_A_METER_SIZE] ?
				nla_get_u32(tb[NT_POL_RULE_A_METER_SIZE]) :
				65536;
		nt_pol_meter_masks(r);
		fallthrough;
	case NT_POL_ACT_POLICE:
		if (NL_REQ_ATTR_CHECK(extack, nest, tb, NT_POL_RULE_A_RATE) ||
		    NL_REQ_ATTR_CHECK(extack, nest, tb, NT_POL_RULE_A_BURST)) {
			NL_SET_ERR_MSG(extack,
				       "police and meter need NT_POL_RULE_A_RATE and NT_POL_RULE_A_BURST");
			return -EINVAL;
		}
		r->rate = nla_get_u64(tb[NT_POL_RULE_A_RATE]);
		r->burst = nla_get_u64(tb[NT_POL_RULE_A_BURST]);
		r->unit = tb[NT_POL_RULE_A_UNIT] ?
			  nla_get_u8(tb[NT_POL_RULE_A_UNIT]) :
			  NT_POL_UNIT_BYTES;
		err = nt_pol_tb_init(&r->tb, r->rate, r->burst);
		if (err) {
			NL_SET_ERR_MSG_ATTR(extack, tb[NT_POL_RULE_A_RATE],
					    "rate 1..50000000000 per second, burst 1..4294967295");
			return err;
		}
		break;
	default:
		break;
	}
	return 0;
}

static int nt_pol_put_rule(struct sk_buff *skb, const struct nt_pol_rule *r)
{
	struct nlattr *nest = nla_nest_start(skb, NT_POL_A_RULE);
	int alen = r->l3 == 1 + NT_POL_L3_IP ? 4 : 16;
	u64 pk, by, ov;

	if (!nest)
		return -EMSGSIZE;
	nt_pol_ctr_sum(r, &pk, &by, &ov);
	if (nla_put_u32(skb, NT_POL_RULE_A_ID, r->id) ||
	    nla_put_u32(skb, NT_POL_RULE_A_PRIORITY, r->prio) ||
	    nla_put_u8(skb, NT_POL_RULE_A_HOOK, r->hook) ||
	    nla_put_u8(skb, NT_POL_RULE_A_FAMILY, r->family) ||
	    nla_put_u8(skb, NT_POL_RULE_A_ACTION, r->action))
		goto fail;
	if ((r->match & NT_POL_M_SRC) &&
	    (nla_put(skb, NT_POL_RULE_A_SRC, alen, &r->src) ||
	     nla_put_u8(skb, NT_POL_RULE_A_SRC_LEN, r->src_len)))
		goto fail;
	if ((r->match & NT_POL_M_DST) &&
	    (nla_put(skb, NT_POL_RULE_A_DST, alen, &r->dst) ||
	     nla_put_u8(skb, NT_POL_RULE_A_DST_LEN, r->dst_len)))
		goto fail;
	if ((r->match & NT_POL_M_PROTO) &&
	    nla_put_u8(skb, NT_POL_RULE_A_PROTO, r->proto))
		goto fail;
	if ((r->match & NT_POL_M_SPORT) &&
	    (nla_put_u16(skb, NT_POL_RULE_A_SPORT_MIN, r->sport_lo) ||
	     nla_put_u16(skb, NT_POL_RULE_A_SPORT_MAX, r->sport_hi)))
		goto fail;
	if ((r->match & NT_POL_M_DPORT) &&
	    (nla_put_u16(skb, NT_POL_RULE_A_DPORT_MIN, r->dport_lo) ||
	     nla_put_u16(skb, NT_POL_RULE_A_DPORT_MAX, r->dport_hi)))
		goto fail;
	if ((r->match & NT_POL_M_TCPFLAGS) &&
	    (nla_put_u8(skb, NT_POL_RULE_A_TCP_FLAGS, r->tcpf_val) ||
	     nla_put_u8(skb, NT_POL_RULE_A_TCP_FLAGS_MASK, r->tcpf_mask)))
		goto fail;
	if ((r->match & NT_POL_M_IIF) &&
	    nla_put_string(skb, NT_POL_RULE_A_IIF, r->iif))
		goto fail;
	if ((r->match & NT_POL_M_OIF) &&
	    nla_put_string(skb, NT_POL_RULE_A_OIF, r->oif))
		goto fail;
	if ((r->match & NT_POL_M_DSCP) &&
	    nla_put_u8(skb, NT_POL_RULE_A_DSCP, r->dscp))
		goto fail;
	switch (r->action) {
	case NT_POL_ACT_MARK:
		if (nla_put_u32(skb, NT_POL_RULE_A_MARK, r->mark) ||
		    nla_put_u32(skb, NT_POL_RULE_A_MARK_MASK, r->mark_mask))
			goto fail;
		break;
	case NT_POL_ACT_DSCP:
		if (nla_put_u8(skb, NT_POL_RULE_A_SET_DSCP, r->set_dscp))
			goto fail;
		break;
	case NT_POL_ACT_METER:
		if (nla_put_u8(skb, NT_POL_RULE_A_METER_KEY, r->meter_key) ||
		    nla_put_u8(skb, NT_POL_RULE_A_METER_LEN, r->meter_len) ||
		    nla_put_u32(skb, NT_POL_RULE_A_METER_SIZE, r->meter_size) ||
		    nla_put_u32(skb, NT_POL_RULE_A_METER_ENTRIES,
				atomic_read(&r->st->meter->count)))
			goto fail;
		fallthrough;
	case NT_POL_ACT_POLICE:
		if (nla_put_u64_64bit(skb, NT_POL_RULE_A_RATE, r->rate,
				      NT_POL_RULE_A_PAD) ||
		    nla_put_u64_64bit(skb, NT_POL_RULE_A_BURST, r->burst,
				      NT_POL_RULE_A_PAD) ||
		    nla_put_u8(skb, NT_POL_RULE_A_UNIT, r->unit) ||
		    nla_put_u64_64bit(skb, NT_POL_RULE_A_OVER, ov,
				      NT_POL_RULE_A_PAD))
			goto fail;
		break;
	default:
		break;
	}
	if (nla_put_u64_64bit(skb, NT_POL_RULE_A_PACKETS, pk,
			      NT_POL_RULE_A_PAD) ||
	    nla_put_u64_64bit(skb, NT_POL_RULE_A_BYTES, by, NT_POL_RULE_A_PAD))
		goto fail;
	nla_nest_end(skb, nest);
	return 0;
fail:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

static struct nt_pol_ruleset *nt_pol_active(struct nt_pol_net *pn)
{
	return rcu_dereference_protected(pn->active,
					 lockdep_is_held(&pn->lock));
}

void nt_pol_notify_commit(struct nt_pol_net *pn)
{
	struct nt_pol_ruleset *rs = nt_pol_active(pn);
	struct sk_buff *skb;
	void *hdr;

	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!skb)
		return;
	hdr = genlmsg_put(skb, 0, 0, &nt_pol_family, 0, NT_POL_CMD_COMMIT);
	if (!hdr ||
	    nla_put_u64_64bit(skb, NT_POL_A_GENERATION, pn->generation,
			      NT_POL_A_PAD) ||
	    nla_put_u32(skb, NT_POL_A_RULES, rs ? rs->nrules : 0)) {
		nlmsg_free(skb);
		return;
	}
	genlmsg_end(skb, hdr);
	genlmsg_multicast_netns(&nt_pol_family, pn->net, skb, 0,
				NT_POL_MCGRP_EVENTS, GFP_KERNEL);
}

/*
 * A copy of the active rules without those @drop says, plus @extra room,
 * charged to the budget (*@charge bytes; nt_pol_copy_free() returns
 * them), or an ERR_PTR with the extack message set.
 */
static struct nt_pol_rule *nt_pol_copy(struct nt_pol_net *pn, u32 extra,
				       bool (*drop)(const struct nt_pol_rule *,
						    u32),
				       u32 arg, u32 *n, size_t *charge,
				       struct netlink_ext_ack *extack)
{
	struct nt_pol_ruleset *rs = nt_pol_active(pn);
	u32 have = rs ? rs->nrules : 0, i;
	struct nt_pol_rule *rules;
	size_t cost;

	nt_pol_credit_open(pn);
	cost = (size_t)max(have + extra, 1U) * sizeof(*rules);
	if (nt_pol_charge(pn->budget, cost)) {
		NL_SET_ERR_MSG_MOD(extack, NT_POL_MEM_MSG);
		return ERR_PTR(-ENOSPC);
	}
	rules = kvmalloc_array(max(have + extra, 1U), sizeof(*rules),
			       NT_POL_GFP);
	if (!rules) {
		nt_pol_uncharge(pn->budget, cost);
		NL_SET_ERR_MSG_MOD(extack, "out of memory copying the ruleset");
		return ERR_PTR(-ENOMEM);
	}
	*charge = cost;
	*n = 0;
	for (i = 0; i < have; i++)
		if (!drop || !drop(&rs->store[i], arg))
			rules[(*n)++] = rs->store[i];
	return rules;
}

static void nt_pol_copy_free(struct nt_pol_net *pn, struct nt_pol_rule *rules,
			     size_t charge)
{
	nt_pol_credit_close(pn);
	if (IS_ERR_OR_NULL(rules))
		return;
	kvfree(rules);
	nt_pol_uncharge(pn->budget, charge);
}

static int nt_pol_rule_add_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nt_pol_net *pn = nt_pol_pernet(genl_info_net(info));
	struct nlattr *a;
	struct nt_pol_rule *r, *rules = NULL;
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
			r = nt_pol_txn_slot(pn->txn);
			err = PTR_ERR_OR_ZERO(r);
			if (!err)
				err = nt_pol_parse_rule(a, r, info->extack);
			if (!err)
				err = nt_pol_txn_push(pn->txn);
			if (err == -EEXIST) {
				NL_SET_ERR_MSG_ATTR(info->extack, a,
						    "this rule id is already in the transaction");
			} else if (err == -ENOSPC) {
				NL_SET_ERR_MSG_ATTR(info->extack, a,
						    "too many rules: the limit is the max_rules module parameter (default 200000)");
			} else if (err == -ENOBUFS) {
				NL_SET_ERR_MSG_ATTR(info->extack, a,
						    NT_POL_MEM_MSG);
				err = -ENOSPC;
			}
			if (err)
				break;
		}
		goto out;
	}
	rules = nt_pol_copy(pn, nadd, NULL, 0, &n, &charge, info->extack);
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
	if (!err)
		rules = NULL;
out:
	nt_pol_copy_free(pn, rules, charge);
	mutex_unlock(&pn->lock);
	return err;
}

static bool nt_pol_drop_id(const struct nt_pol_rule *r, u32 id)
{
	return r->id == id;
}

static bool nt_pol_drop_hook(const struct nt_pol_rule *r, u32 hook)
{
	return hook > NT_POL_HOOK_MAX || r->hook == hook;
}

static int nt_pol_rule_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nt_pol_net *pn = nt_pol_pernet(genl_info_net(info));
	struct nlattr *tb[NT_POL_RULE_A_MAX + 1];
	struct nt_pol_rule *rules = NULL;
	size_t charge = 0;
	u32 id, n;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, NT_POL_A_RULE))
		return -EINVAL;
	err = nla_parse_nested(tb, NT_POL_RULE_A_MAX, info->attrs[NT_POL_A_RULE],
			       nt_pol_rule_policy, info->extack);
	if (err)
		return err;
	if (NL_REQ_ATTR_CHECK(info->extack, info->attrs[NT_POL_A_RULE], tb,
			      NT_POL_RULE_A_ID))
		return -EINVAL;
	id = nla_get_u32(tb[NT_POL_RULE_A_ID]);
	mutex_lock(&pn->lock);
	if (!nt_pol_ruleset_find(nt_pol_active(pn), id)) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[NT_POL_RULE_A_ID],
				    "no rule with this id");
		err = -ENOENT;
		goto out;
	}
	rules = nt_pol_copy(pn, 0, nt_pol_drop_id, id, &n, &charge,
			    info->extack);
	err = PTR_ERR_OR_ZERO(rules);
	if (!err)
		err = nt_pol_commit(pn, rules, n, charge, info->extack);
	if (!err)
		rules = NULL;
out:
	nt_pol_copy_free(pn, rules, charge);
	mutex_unlock(&pn->lock);
	return err;
}

static int nt_pol_hook_attr(struct genl_info *info, struct nlattr **tb)
{
	if (GENL_REQ_ATTR_CHECK(info, NT_POL_A_HOOK))
		return -EINVAL;
	return nla_parse_nested(tb, NT_POL_HOOK_A_MAX,
				info->attrs[NT_POL_A_HOOK], nt_pol_hook_policy,
				info->extack);
}

static int nt_pol_flush_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nt_pol_net *pn = nt_pol_pernet(genl_info_net(info));
	struct nlattr *tb[NT_POL_HOOK_A_MAX + 1];
	struct nt_pol_rule *rules;
	u32 hook = U32_MAX, n;
	size_t charge = 0;
	int err;

	if (info->attrs[NT_POL_A_HOOK]) {
		err = nt_pol_hook_attr(info, tb);
		if (err)
			return err;
		if (NL_REQ_ATTR_CHECK(info->extack, info->attrs[NT_POL_A_HOOK],
				      tb, NT_POL_HOOK_A_HOOK))
			return -EINVAL;
		hook = nla_get_u8(tb[NT_POL_HOOK_A_HOOK]);
	}
	mutex_lock(&pn->lock);
	rules = nt_pol_copy(pn, 0, nt_pol_drop_hook, hook, &n, &charge,
			    info->extack);
	err = PTR_ERR_OR_ZERO(rules);
	if (!err)
		err = nt_pol_commit(pn, rules, n, charge, info->extack);
	if (err)
		nt_pol_copy_free(pn, rules, charge);
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
	struct nlattr *tb[NT_POL_RULE_A_MAX + 1];
	const struct nt_pol_rule *r;
	struct sk_buff *msg;
	void *hdr;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, NT_POL_A_RULE))
		return -EINVAL;
	err = nla_parse_nested(tb, NT_POL_RULE_A_MAX, info->attrs[NT_POL_A_RULE],
			       nt_pol_rule_policy, info->extack);
	if (err)
		return err;
	if (NL_REQ_ATTR_CHECK(info->extack, info->attrs[NT_POL_A_RULE], tb,
			      NT_POL_RULE_A_ID))
		return -EINVAL;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&pn->lock);
	r = nt_pol_ruleset_find(nt_pol_active(pn),
				nla_get_u32(tb[NT_POL_RULE_A_ID]));
	if (!r) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[NT_POL_RULE_A_ID],
				    "no rule with this id");
		err = -ENOENT;
		goto fail;
	}
	hdr = genlmsg_put_reply(msg, info, &nt_pol_family, 0,
				NT_POL_CMD_RULE_GET);
	err = -EMSGSIZE;
	if (!hdr ||
	    nla_put_u64_64bit(msg, NT_POL_A_GENERATION, pn->generation,
			      NT_POL_A_PAD) ||
	    nt_pol_put_rule(msg, r))
		goto fail;
	mutex_unlock(&pn->lock);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
fail:
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
	const struct genl_dumpit_info *di = genl_dumpit_info(cb);
	struct nt_pol_net *pn = nt_pol_pernet(sock_net(skb->sk));
	const struct nt_pol_ruleset *rs;
	u32 i, end;
	void *hdr;

	if (!cb->args[2]) {
		struct nlattr *ha = di->attrs[NT_POL_A_HOOK];
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

static int nt_pol_put_hook(struct sk_buff *skb, struct nt_pol_net *pn, int h)
{
	const struct nt_pol_ruleset *rs = nt_pol_active(pn);
	struct nlattr *nest = nla_nest_start(skb, NT_POL_A_HOOK);
	u64 pk = 0, df = 0;
	int cpu;

	if (!nest)
		return -EMSGSIZE;
	for_each_possible_cpu(cpu) {
		const struct nt_pol_hookstat *s = per_cpu_ptr(pn->hstat[h], cpu);
		unsigned int start;
		u64 a, b;

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			a = u64_stats_read(&s->packets);
			b = u64_stats_read(&s->dflt);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		pk += a;
		df += b;
	}
	if (nla_put_u8(skb, NT_POL_HOOK_A_HOOK, h) ||
	    nla_put_s32(skb, NT_POL_HOOK_A_PRIORITY, pn->hook_prio[h]) ||
	    nla_put_u8(skb, NT_POL_HOOK_A_POLICY, pn->hook_policy[h]) ||
	    nla_put_u32(skb, NT_POL_HOOK_A_RULES,
			rs ? rs->hook_first[h + 1] - rs->hook_first[h] : 0) ||
	    nla_put_u64_64bit(skb, NT_POL_HOOK_A_PACKETS, pk,
			      NT_POL_HOOK_A_PAD) ||
	    nla_put_u64_64bit(skb, NT_POL_HOOK_A_DEFAULT, df,
			      NT_POL_HOOK_A_PAD) ||
	    nla_put_u8(skb, NT_POL_HOOK_A_REGISTERED,
		       pn->reg[h][0] || pn->reg[h][1])) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int nt_pol_hook_get_dumpit(struct sk_buff *skb,
				  struct netlink_callback *cb)
{
	struct nt_pol_net *pn = nt_pol_pernet(sock_net(skb->sk));
	int h;
	void *hdr;

	mutex_lock(&pn->lock);
	for (h = cb->args[0]; h < NT_POL_HOOKS; h++) {
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &nt_pol_family,
				  NLM_F_MULTI, NT_POL_CMD_HOOK_GET);
		if (!hdr)
			break;
		if (nt_pol_put_hook(skb, pn, h)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
	}
	mutex_unlock(&pn->lock);
	cb->args[0] = h;
	return skb->len;
}

static int nt_pol_hook_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nt_pol_net *pn = nt_pol_pernet(genl_info_net(info));
	struct nlattr *tb[NT_POL_HOOK_A_MAX + 1];
	struct sk_buff *ev;
	u8 old_policy;
	int h, err;
	s32 prio;
	void *hdr;

	err = nt_pol_hook_attr(info, tb);
	if (err)
		return err;
	if (NL_REQ_ATTR_CHECK(info->extack, info->attrs[NT_POL_A_HOOK], tb,
			      NT_POL_HOOK_A_HOOK))
		return -EINVAL;
	h = nla_get_u8(tb[NT_POL_HOOK_A_HOOK]);
	mutex_lock(&pn->lock);
	old_policy = pn->hook_policy[h];
	prio = tb[NT_POL_HOOK_A_PRIORITY] ?
	       nla_get_s32(tb[NT_POL_HOOK_A_PRIORITY]) : pn->hook_prio[h];
	if (prio != pn->hook_prio[h] && nt_pol_hook_stateful(pn, h)) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[NT_POL_HOOK_A_PRIORITY],
				    "priority: cannot change while the hook has police or meter rules (a packet would be charged twice); remove them first");
		err = -EBUSY;
		goto out;
	}
	if (tb[NT_POL_HOOK_A_POLICY])
		WRITE_ONCE(pn->hook_policy[h],
			   nla_get_u8(tb[NT_POL_HOOK_A_POLICY]));
	err = nt_pol_hooks_sync(pn, h, prio);
	if (err) {
		WRITE_ONCE(pn->hook_policy[h], old_policy);
		nt_pol_hooks_sync(pn, h, pn->hook_prio[h]);
		GENL_SET_ERR_MSG(info, "cannot register the netfilter hook");
		goto out;
	}
	pn->hook_prio[h] = prio;
	ev = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (ev) {
		hdr = genlmsg_put(ev, 0, 0, &nt_pol_family, 0,
				  NT_POL_CMD_HOOK_SET);
		if (hdr && !nt_pol_put_hook(ev, pn, h)) {
			genlmsg_end(ev, hdr);
			genlmsg_multicast_netns(&nt_pol_family, pn->net, ev, 0,
						NT_POL_MCGRP_EVENTS,
						GFP_KERNEL);
		} else {
			nlmsg_free(ev);
		}
	}
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
