// SPDX-License-Identifier: GPL-2.0
/*
 * nt_policy: the packet path. A netfilter hook per (hook, family) that
 * has rules (or a drop default), registered in the namespace alone.
 *
 * Per packet: read the fields the rules match on once, then ask the
 * hook's classifier for the first matching rule, act, and ask again past
 * it while the action lets the packet go on. Under RCU (netfilter hooks
 * run in an RCU read-side section), no lock, no sleeping allocation.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <net/dsfield.h>
#include <net/inet_ecn.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/netfilter/ipv4/nf_reject.h>
#include <net/netfilter/ipv6/nf_reject.h>
#include "policy.h"

#define CREATE_TRACE_POINTS
#include "trace.h"

const char *const nt_pol_hook_names[NT_POL_HOOKS] = {
	[NT_POL_HOOK_PREROUTING] = "prerouting",
	[NT_POL_HOOK_INPUT] = "input",
	[NT_POL_HOOK_FORWARD] = "forward",
	[NT_POL_HOOK_OUTPUT] = "output",
	[NT_POL_HOOK_POSTROUTING] = "postrouting",
};

static_assert((int)NT_POL_HOOK_PREROUTING == (int)NF_INET_PRE_ROUTING);
static_assert((int)NT_POL_HOOK_INPUT == (int)NF_INET_LOCAL_IN);
static_assert((int)NT_POL_HOOK_FORWARD == (int)NF_INET_FORWARD);
static_assert((int)NT_POL_HOOK_OUTPUT == (int)NF_INET_LOCAL_OUT);
static_assert((int)NT_POL_HOOK_POSTROUTING == (int)NF_INET_POST_ROUTING);

/* Ports and TCP flags at @thoff, if the packet holds them. */
static void nt_pol_read_l4(const struct sk_buff *skb, unsigned int thoff,
			   struct nt_pol_pkt *p)
{
	u8 buf[14];
	const u8 *h;
	unsigned int need;

	switch (p->proto) {
	case IPPROTO_TCP:
		need = 14;
		break;
	case IPPROTO_UDP:
	case IPPROTO_UDPLITE:
	case IPPROTO_SCTP:
		need = 4;
		break;
	default:
		return;
	}
	h = skb_header_pointer(skb, thoff, need, buf);
	if (!h)
		return;
	p->sport = get_unaligned_be16(h);
	p->dport = get_unaligned_be16(h + 2);
	if (p->proto == IPPROTO_TCP)
		p->tcpflags = h[13];
	p->has_ports = true;
}

static bool nt_pol_parse4(const struct sk_buff *skb, struct nt_pol_pkt *p)
{
	const struct iphdr *iph;
	struct iphdr buf;
	unsigned int off = skb_network_offset(skb);

	iph = skb_header_pointer(skb, off, sizeof(buf), &buf);
	if (!iph || iph->version != 4 || iph->ihl < 5)
		return false;
	p->l3 = NT_POL_L3_IP;
	p->src.ip4 = iph->saddr;
	p->dst.ip4 = iph->daddr;
	p->dscp = ipv4_get_dsfield(iph) >> 2;
	p->proto = iph->protocol;
	p->has_proto = true;
	if (!(ntohs(iph->frag_off) & IP_OFFSET))
		nt_pol_read_l4(skb, off + iph->ihl * 4, p);
	return true;
}

static bool nt_pol_parse6(struct sk_buff *skb, struct nt_pol_pkt *p)
{
	const struct ipv6hdr *ip6;
	struct ipv6hdr buf;
	unsigned int thoff = 0;
	unsigned short fragoff = 0;
	int proto;

	ip6 = skb_header_pointer(skb, skb_network_offset(skb), sizeof(buf),
				 &buf);
	if (!ip6 || ip6->version != 6)
		return false;
	p->l3 = NT_POL_L3_IP6;
	p->src.ip6 = ip6->saddr;
	p->dst.ip6 = ip6->daddr;
	p->dscp = ipv6_get_dsfield(ip6) >> 2;
	proto = ipv6_find_hdr(skb, &thoff, -1, &fragoff, NULL);
	if (proto < 0)
		return true;	/* malformed: addresses only */
	p->proto = proto;
	p->has_proto = true;
	if (!fragoff)
		nt_pol_read_l4(skb, thoff, p);
	return true;
}

static void nt_pol_count(const struct nt_pol_rule *r, unsigned int len,
			 bool over)
{
	struct nt_pol_ctr *c = this_cpu_ptr(r->st->ctr);

	u64_stats_update_begin(&c->syncp);
	u64_stats_inc(&c->packets);
	u64_stats_add(&c->bytes, len);
	if (over)
		u64_stats_inc(&c->over);
	u64_stats_update_end(&c->syncp);
}

static void nt_pol_log(const struct nt_pol_rule *r, const struct nt_pol_pkt *p,
		       unsigned int len)
{
	if (!net_ratelimit())
		return;
	if (p->l3 == NT_POL_L3_IP)
		pr_info("rule %u hook %s IN=%s OUT=%s SRC=%pI4 DST=%pI4 LEN=%u PROTO=%u SPT=%u DPT=%u\n",
			r->id, nt_pol_hook_names[r->hook],
			p->in ? p->in->name : "", p->out ? p->out->name : "",
			&p->src.ip4, &p->dst.ip4, len, p->proto, p->sport,
			p->dport);
	else
		pr_info("rule %u hook %s IN=%s OUT=%s SRC=%pI6c DST=%pI6c LEN=%u PROTO=%u SPT=%u DPT=%u\n",
			r->id, nt_pol_hook_names[r->hook],
			p->in ? p->in->name : "", p->out ? p->out->name : "",
			&p->src.ip6, &p->dst.ip6, len, p->proto, p->sport,
			p->dport);
}

static void nt_pol_set_dscp(struct sk_buff *skb, const struct nt_pol_pkt *p,
			    u8 dscp)
{
	unsigned int off = skb_network_offset(skb);

	if (p->l3 == NT_POL_L3_IP) {
		if (skb_ensure_writable(skb, off + sizeof(struct iphdr)))
			return;
		ipv4_change_dsfield(ip_hdr(skb), INET_ECN_MASK, dscp << 2);
	} else {
		if (skb_ensure_writable(skb, off + sizeof(struct ipv6hdr)))
			return;
		ipv6_change_dsfield(ipv6_hdr(skb), INET_ECN_MASK, dscp << 2);
	}
}

static void nt_pol_reject(struct sk_buff *skb, const struct nt_pol_pkt *p,
			  const struct nf_hook_state *state)
{
	bool tcp = p->has_ports && p->proto == IPPROTO_TCP;

	if (p->l3 == NT_POL_L3_IP) {
		if (tcp)
			nf_send_reset(state->net, state->sk, skb, state->hook);
		else
			nf_send_unreach(skb, ICMP_PORT_UNREACH, state->hook);
	} else {
		if (tcp)
			nf_send_reset6(state->net, state->sk, skb,
				       state->hook);
		else
			nf_send_unreach6(state->net, skb, ICMPV6_PORT_UNREACH,
					 state->hook);
	}
}

/* The meter key: the chosen address masked to the meter's length. */
static void nt_pol_meter_key(const struct nt_pol_rule *r,
			     const struct nt_pol_pkt *p, u32 *key)
{
	const union nt_pol_addr *a = r->meter_key == NT_POL_METER_SRC ?
				     &p->src : &p->dst;
	unsigned int i;

	if (p->l3 == NT_POL_L3_IP) {
		key[0] = a->w[0] & r->meter_mask4;
		key[1] = 0;
		key[2] = 0;
		key[3] = 4;	/* keeps IPv4 keys apart from IPv6 ones */
		return;
	}
	for (i = 0; i < 4; i++)
		key[i] = a->w[i] & r->meter_mask6[i];
}

static unsigned int __nt_pol_hookfn(void *priv, struct sk_buff *skb,
				    const struct nf_hook_state *state)
{
	struct nt_pol_net *pn = priv;
	const struct nt_pol_ruleset *rs = rcu_dereference(pn->active);
	unsigned int hook = state->hook;
	const struct nt_pol_rule *r;
	const struct nt_pol_cls *cls;
	struct nt_pol_hookstat *hs;
	struct nt_pol_pkt p = {};
	u32 rank = U32_MAX;
	bool ok;

	if (hook >= NT_POL_HOOKS)
		return NF_ACCEPT;
	hs = this_cpu_ptr(pn->hstat[hook]);
	u64_stats_update_begin(&hs->syncp);
	u64_stats_inc(&hs->packets);
	u64_stats_update_end(&hs->syncp);

	ok = state->pf == NFPROTO_IPV4 ? nt_pol_parse4(skb, &p) :
					 nt_pol_parse6(skb, &p);
	cls = rs && ok ? rs->cls[hook][p.l3] : NULL;
	if (cls && rs->proto_only[hook][p.l3] &&
	    (!p.has_proto || !nt_pol_bit(rs->protos[hook][p.l3], p.proto)))
		cls = NULL;	/* no rule names its protocol */
	p.in = state->in;
	p.out = state->out;
	while (cls && (r = nt_pol_cls_lookup(cls, &p, rank))) {
		u64 units = r->unit == NT_POL_UNIT_PACKETS ? 1 : skb->len;
		bool conform;
		u32 key[4];

		rank = r->rank;
		switch (r->action) {
		case NT_POL_ACT_ACCEPT:
			nt_pol_count(r, skb->len, false);
			return NF_ACCEPT;
		case NT_POL_ACT_DROP:
			nt_pol_count(r, skb->len, false);
			trace_nt_policy_verdict(hook, r->id, NT_POL_V_DROP, &p);
			return NF_DROP;
		case NT_POL_ACT_REJECT:
			nt_pol_count(r, skb->len, false);
			trace_nt_policy_verdict(hook, r->id, NT_POL_V_REJECT,
						&p);
			nt_pol_reject(skb, &p, state);
			return NF_DROP;
		case NT_POL_ACT_MARK:
			skb->mark = (skb->mark & ~r->mark_mask) |
				    (r->mark & r->mark_mask);
			break;
		case NT_POL_ACT_DSCP:
			nt_pol_set_dscp(skb, &p, r->set_dscp);
			break;
		case NT_POL_ACT_LOG:
			nt_pol_log(r, &p, skb->len);
			break;
		case NT_POL_ACT_POLICE:
		case NT_POL_ACT_METER:
			if (r->action == NT_POL_ACT_POLICE) {
				conform = nt_pol_tb_take(&r->tb, &r->st->tat,
							 ktime_get_ns(), units);
			} else {
				nt_pol_meter_key(r, &p, key);
				conform = nt_pol_meter_take(r->st->meter,
							    &r->tb, key,
							    ktime_get_ns(),
							    units);
			}
			nt_pol_count(r, skb->len, !conform);
			if (!conform) {
				trace_nt_policy_verdict(hook, r->id,
							NT_POL_V_OVER, &p);
				return NF_DROP;
			}
			continue;
		default:
			break;
		}
		nt_pol_count(r, skb->len, false);
	}
	u64_stats_update_begin(&hs->syncp);
	u64_stats_inc(&hs->dflt);
	u64_stats_update_end(&hs->syncp);
	return READ_ONCE(pn->hook_policy[hook]) ? NF_DROP : NF_ACCEPT;
}

/*
 * Output hooks run in process context with bottom halves on: keep the
 * per-CPU counters and the meter's locks to one CPU and one context, as
 * nftables' counters do. Received packets are judged in softirq context,
 * where bottom halves are off already.
 */
static unsigned int nt_pol_hookfn(void *priv, struct sk_buff *skb,
				  const struct nf_hook_state *state)
{
	unsigned int verdict;

	if (in_softirq())
		return __nt_pol_hookfn(priv, skb, state);
	local_bh_disable();
	verdict = __nt_pol_hookfn(priv, skb, state);
	local_bh_enable();
	return verdict;
}

/*
 * A registration. The hook list's readers (packets in nf_hook_slow(),
 * nfnetlink_hook's dumps) may still see one after it is unregistered:
 * it is freed after a grace period, which no one waits for.
 */
struct nt_pol_reg {
	struct nf_hook_ops ops;
	struct rcu_head rcu;
};

static void nt_pol_unreg(struct nt_pol_net *pn, struct nf_hook_ops *ops)
{
	struct nt_pol_reg *reg = container_of(ops, struct nt_pol_reg, ops);

	nf_unregister_net_hook(pn->net, ops);
	/* packets still in the hook may judge with @pn, which outlives them */
	kfree_rcu(reg, rcu);
}

/*
 * A new registration of (@hook, @l3) at @prio, live in the hook list when
 * this returns; the caller files it in pn->reg (or drops it with
 * nt_pol_unreg()).
 */
struct nf_hook_ops *nt_pol_hook_register(struct nt_pol_net *pn, int hook,
					 int l3, s32 prio)
{
	struct nt_pol_reg *reg = kzalloc(sizeof(*reg), GFP_KERNEL_ACCOUNT);
	struct nf_hook_ops *ops;
	int err;

	if (!reg)
		return ERR_PTR(-ENOMEM);
	ops = &reg->ops;
	ops->hook = nt_pol_hookfn;
	ops->priv = pn;
	ops->pf = l3 == NT_POL_L3_IP ? NFPROTO_IPV4 : NFPROTO_IPV6;
	ops->hooknum = hook;
	ops->priority = prio;
	err = nf_register_net_hook(pn->net, ops);
	if (err) {
		kfree(reg);
		return ERR_PTR(err);
	}
	return ops;
}

/*
 * Whether moving @hook to @prio would move a registration of a hook whose
 * rules police or meter. Such a hook keeps its priority: while it moves,
 * both registrations are in the hook list, and a packet that passes both
 * would be charged twice (no per-packet mark tells the second that the
 * first judged it). nftables refuses to move a base chain's priority at
 * all. Under pn->lock.
 */
bool nt_pol_hook_moves(struct nt_pol_net *pn, int hook, s32 prio)
{
	const struct nt_pol_ruleset *rs = nt_pol_active(pn);
	int l3;

	if (!rs || !rs->stateful[hook])
		return false;
	for (l3 = 0; l3 < 2; l3++)
		if (pn->reg[hook][l3] && pn->reg[hook][l3]->priority != prio)
			return true;
	return false;
}

/*
 * Make the registrations of @hook (all hooks if -1, at their own
 * priorities and default verdicts) what the active ruleset and the
 * settings ask for: hooked where there are rules or a drop default, at
 * priority @prio, @hook's default verdict then being @policy. All or
 * nothing: every new registration is made first, and if one fails, those
 * made are dropped and nothing changed; only then are the old ones
 * removed, which cannot fail. A new priority is thus registered before
 * the old one goes, so that no packet goes unjudged. Under pn->lock.
 */
int nt_pol_hooks_sync(struct nt_pol_net *pn, int hook, s32 prio, u8 policy)
{
	const struct nt_pol_ruleset *rs = nt_pol_active(pn);
	struct nf_hook_ops *fresh[NT_POL_HOOKS][2] = {};
	bool want[NT_POL_HOOKS][2];
	int h, l3, err;

	for (h = 0; h < NT_POL_HOOKS; h++) {
		if (hook >= 0 && h != hook)
			continue;
		for (l3 = 0; l3 < 2; l3++) {
			struct nf_hook_ops *old = pn->reg[h][l3], *ops;
			s32 p = h == hook ? prio : pn->hook_prio[h];

			want[h][l3] = (h == hook ? policy : pn->hook_policy[h]) ||
				      (rs && rs->cls[h][l3]);
			if (!want[h][l3] || (old && old->priority == p))
				continue;
			ops = nt_pol_hook_register(pn, h, l3, p);
			if (IS_ERR(ops)) {
				err = PTR_ERR(ops);
				goto err_undo;
			}
			fresh[h][l3] = ops;
		}
	}
	for (h = 0; h < NT_POL_HOOKS; h++) {
		if (hook >= 0 && h != hook)
			continue;
		for (l3 = 0; l3 < 2; l3++) {
			struct nf_hook_ops *old = pn->reg[h][l3];

			if (!fresh[h][l3] && (want[h][l3] || !old))
				continue;
			pn->reg[h][l3] = fresh[h][l3];
			if (old)
				nt_pol_unreg(pn, old);
		}
	}
	return 0;
err_undo:
	for (h = 0; h < NT_POL_HOOKS; h++)
		for (l3 = 0; l3 < 2; l3++)
			if (fresh[h][l3])
				nt_pol_unreg(pn, fresh[h][l3]);
	return err;
}

/*
 * Netns exit, first step (pre_exit): unregister everything. The
 * registrations stay in pn->reg until nt_pol_hooks_free(), which the
 * exit step calls after the grace period that the netns core waits for
 * between the two steps, once for a whole batch of namespaces.
 */
void nt_pol_hooks_unregister(struct nt_pol_net *pn)
{
	int h, l3;

	for (h = 0; h < NT_POL_HOOKS; h++)
		for (l3 = 0; l3 < 2; l3++)
			if (pn->reg[h][l3])
				nf_unregister_net_hook(pn->net, pn->reg[h][l3]);
}

void nt_pol_hooks_free(struct nt_pol_net *pn)
{
	int h, l3;

	for (h = 0; h < NT_POL_HOOKS; h++)
		for (l3 = 0; l3 < 2; l3++) {
			if (pn->reg[h][l3])
				kfree(container_of(pn->reg[h][l3],
						   struct nt_pol_reg, ops));
			pn->reg[h][l3] = NULL;
		}
}
