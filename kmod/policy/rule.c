// SPDX-License-Identifier: GPL-2.0
/*
 * nt_policy: a rule and its netlink attributes (NT_POL_A_RULE), both
 * ways: the nest's policy, its parse into struct nt_pol_rule (matches,
 * then the action and its arguments) and the rule's dump.
 */
#include <linux/in.h>
#include <linux/if.h>
#include <net/genetlink.h>
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

const struct nla_policy nt_pol_rule_policy[NT_POL_RULE_A_MAX + 1] = {
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

/* The rule's matches, from its nest's attributes @tb. */
static int nt_pol_parse_matches(struct nlattr **tb, struct nt_pol_rule *r,
				struct netlink_ext_ack *extack)
{
	struct nlattr *a;
	int err;

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
	return 0;
}

/* The action's arguments, and no other, from @tb of the nest @nest. */
static int nt_pol_parse_action(struct nlattr *nest, struct nlattr **tb,
			       struct nt_pol_rule *r,
			       struct netlink_ext_ack *extack)
{
	int err;

	r->mark_mask = U32_MAX;
	switch (r->action) {
	case NT_POL_ACT_MARK:
		if (NT_NL_MISSING(extack, nest, tb, NT_POL_RULE_A_MARK,
				  "action mark needs NT_POL_RULE_A_MARK (0..4294967295)"))
			return -EINVAL;
		r->mark = nla_get_u32(tb[NT_POL_RULE_A_MARK]);
		if (tb[NT_POL_RULE_A_MARK_MASK])
			r->mark_mask = nla_get_u32(tb[NT_POL_RULE_A_MARK_MASK]);
		break;
	case NT_POL_ACT_DSCP:
		if (NT_NL_MISSING(extack, nest, tb, NT_POL_RULE_A_SET_DSCP,
				  "action dscp needs NT_POL_RULE_A_SET_DSCP (0..63)"))
			return -EINVAL;
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
		fallthrough;
	case NT_POL_ACT_POLICE:
		if (NT_NL_MISSING(extack, nest, tb, NT_POL_RULE_A_RATE,
				  NT_POL_RATE_MISSING) ||
		    NT_NL_MISSING(extack, nest, tb, NT_POL_RULE_A_BURST,
				  NT_POL_RATE_MISSING))
			return -EINVAL;
		r->rate = nla_get_u64(tb[NT_POL_RULE_A_RATE]);
		r->burst = nla_get_u64(tb[NT_POL_RULE_A_BURST]);
		r->unit = tb[NT_POL_RULE_A_UNIT] ?
			  nla_get_u8(tb[NT_POL_RULE_A_UNIT]) :
			  NT_POL_UNIT_BYTES;
		err = nt_pol_rule_buckets(r);
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

/*
 * Fill @r from the NT_POL_A_RULE nest @nest and check it as a whole. The
 * nest comes from a request genetlink has already validated against
 * nt_pol_policy (every NT_POL_A_RULE in it, with nt_pol_rule_policy), so
 * it is only split here, not validated a second time.
 */
int nt_pol_parse_rule(struct nlattr *nest, struct nt_pol_rule *r,
		      struct netlink_ext_ack *extack)
{
	struct nlattr *tb[NT_POL_RULE_A_MAX + 1];
	int err;

	err = __nla_parse(tb, NT_POL_RULE_A_MAX, nla_data(nest), nla_len(nest),
			  NULL, NL_VALIDATE_STRICT, extack);
	if (err)
		return err;
	memset(r, 0, sizeof(*r));
	if (NT_NL_MISSING(extack, nest, tb, NT_POL_RULE_A_HOOK,
			  "a rule needs a hook and an action") ||
	    NT_NL_MISSING(extack, nest, tb, NT_POL_RULE_A_ACTION,
			  "a rule needs a hook and an action"))
		return -EINVAL;
	if (tb[NT_POL_RULE_A_ID])
		r->id = nla_get_u32(tb[NT_POL_RULE_A_ID]);
	if (tb[NT_POL_RULE_A_PRIORITY])
		r->prio = nla_get_u32(tb[NT_POL_RULE_A_PRIORITY]);
	r->hook = nla_get_u8(tb[NT_POL_RULE_A_HOOK]);
	r->action = nla_get_u8(tb[NT_POL_RULE_A_ACTION]);
	r->family = tb[NT_POL_RULE_A_FAMILY] ?
		    nla_get_u8(tb[NT_POL_RULE_A_FAMILY]) : NT_POL_FAMILY_INET;
	err = nt_pol_parse_matches(tb, r, extack);
	if (err)
		return err;
	return nt_pol_parse_action(nest, tb, r, extack);
}

int nt_pol_put_rule(struct sk_buff *skb, const struct nt_pol_rule *r)
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
		goto nla_put_failure;
	if ((r->match & NT_POL_M_SRC) &&
	    (nla_put(skb, NT_POL_RULE_A_SRC, alen, &r->src) ||
	     nla_put_u8(skb, NT_POL_RULE_A_SRC_LEN, r->src_len)))
		goto nla_put_failure;
	if ((r->match & NT_POL_M_DST) &&
	    (nla_put(skb, NT_POL_RULE_A_DST, alen, &r->dst) ||
	     nla_put_u8(skb, NT_POL_RULE_A_DST_LEN, r->dst_len)))
		goto nla_put_failure;
	if ((r->match & NT_POL_M_PROTO) &&
	    nla_put_u8(skb, NT_POL_RULE_A_PROTO, r->proto))
		goto nla_put_failure;
	if ((r->match & NT_POL_M_SPORT) &&
	    (nla_put_u16(skb, NT_POL_RULE_A_SPORT_MIN, r->sport_lo) ||
	     nla_put_u16(skb, NT_POL_RULE_A_SPORT_MAX, r->sport_hi)))
		goto nla_put_failure;
	if ((r->match & NT_POL_M_DPORT) &&
	    (nla_put_u16(skb, NT_POL_RULE_A_DPORT_MIN, r->dport_lo) ||
	     nla_put_u16(skb, NT_POL_RULE_A_DPORT_MAX, r->dport_hi)))
		goto nla_put_failure;
	if ((r->match & NT_POL_M_TCPFLAGS) &&
	    (nla_put_u8(skb, NT_POL_RULE_A_TCP_FLAGS, r->tcpf_val) ||
	     nla_put_u8(skb, NT_POL_RULE_A_TCP_FLAGS_MASK, r->tcpf_mask)))
		goto nla_put_failure;
	if ((r->match & NT_POL_M_IIF) &&
	    nla_put_string(skb, NT_POL_RULE_A_IIF, r->iif))
		goto nla_put_failure;
	if ((r->match & NT_POL_M_OIF) &&
	    nla_put_string(skb, NT_POL_RULE_A_OIF, r->oif))
		goto nla_put_failure;
	if ((r->match & NT_POL_M_DSCP) &&
	    nla_put_u8(skb, NT_POL_RULE_A_DSCP, r->dscp))
		goto nla_put_failure;
	switch (r->action) {
	case NT_POL_ACT_MARK:
		if (nla_put_u32(skb, NT_POL_RULE_A_MARK, r->mark) ||
		    nla_put_u32(skb, NT_POL_RULE_A_MARK_MASK, r->mark_mask))
			goto nla_put_failure;
		break;
	case NT_POL_ACT_DSCP:
		if (nla_put_u8(skb, NT_POL_RULE_A_SET_DSCP, r->set_dscp))
			goto nla_put_failure;
		break;
	case NT_POL_ACT_METER:
		if (nla_put_u8(skb, NT_POL_RULE_A_METER_KEY, r->meter_key) ||
		    nla_put_u8(skb, NT_POL_RULE_A_METER_LEN, r->meter_len) ||
		    nla_put_u32(skb, NT_POL_RULE_A_METER_SIZE, r->meter_size) ||
		    nla_put_u32(skb, NT_POL_RULE_A_METER_ENTRIES,
				atomic_read(&r->st->meter->count)))
			goto nla_put_failure;
		fallthrough;
	case NT_POL_ACT_POLICE:
		if (nla_put_u64_64bit(skb, NT_POL_RULE_A_RATE, r->rate,
				      NT_POL_RULE_A_PAD) ||
		    nla_put_u64_64bit(skb, NT_POL_RULE_A_BURST, r->burst,
				      NT_POL_RULE_A_PAD) ||
		    nla_put_u8(skb, NT_POL_RULE_A_UNIT, r->unit) ||
		    nla_put_u64_64bit(skb, NT_POL_RULE_A_OVER, ov,
				      NT_POL_RULE_A_PAD))
			goto nla_put_failure;
		break;
	default:
		break;
	}
	if (nla_put_u64_64bit(skb, NT_POL_RULE_A_PACKETS, pk,
			      NT_POL_RULE_A_PAD) ||
	    nla_put_u64_64bit(skb, NT_POL_RULE_A_BYTES, by, NT_POL_RULE_A_PAD))
		goto nla_put_failure;
	nla_nest_end(skb, nest);
	return 0;
nla_put_failure:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

/* Rule @a into transaction @t, or nothing (then said in @extack). */
int nt_pol_txn_add_rule(struct nt_pol_txn *t, struct nlattr *a,
			struct netlink_ext_ack *extack)
{
	struct nt_pol_rule *r = nt_pol_txn_slot(t);
	int err = PTR_ERR_OR_ZERO(r);

	if (!err)
		err = nt_pol_parse_rule(a, r, extack);
	if (!err)
		err = nt_pol_txn_push(t);
	if (err == -EEXIST) {
		NL_SET_ERR_MSG_ATTR(extack, a,
				    "this rule id is already in the transaction");
	} else if (err == -ENOSPC) {
		NL_SET_ERR_MSG_ATTR(extack, a,
				    "too many rules: the limit is the max_rules module parameter (default 200000)");
	} else if (err == -ENOBUFS) {
		NL_SET_ERR_MSG_ATTR(extack, a, NT_POL_MEM_MSG);
		err = -ENOSPC;
	}
	return err;
}
