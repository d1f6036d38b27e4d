// SPDX-License-Identifier: GPL-2.0
/*
 * nt_policy classifier: tuple-space search (Srinivasan, Suri, Varghese,
 * "Packet classification using tuple space search", SIGCOMM 1999), with
 * tuples sorted by their best rule and early exit, as Open vSwitch's
 * classifier does.
 *
 * A tuple is a combination of what a rule's hashable fields look like:
 * (source prefix length, destination prefix length, protocol given or
 * not, source port exact or not, destination port exact or not). Every
 * rule belongs to exactly one tuple; within it, rules are in a hash table
 * keyed by their masked fields. A packet is looked up by masking it with
 * each tuple's masks and probing that tuple's table: one hash per tuple,
 * whatever the number of rules. Fields that do not hash (port ranges, TCP
 * flags, interfaces, DSCP) are compared on the rule found.
 *
 * Order: every rule has a rank (its position on the hook by priority,
 * then id). Chains are kept in rank order and tuples are visited in
 * order of their best (lowest) rank, so the walk stops as soon as the
 * next tuple's best rank cannot beat the rule already found. The caller
 * asks for "the first match after rank R" to continue past non-terminal
 * actions.
 *
 * A classifier is built once, off the packet path, and never changed:
 * the whole ruleset is replaced by RCU. Memory: one 56-byte entry per
 * rule and family, plus 8 to 16 bytes of bucket heads per rule.
 *
 * A bucket head holds, besides its chain, a 32-bit filter of the chain's
 * hashes (one bit each, chosen by the hash's top five bits). A packet
 * that matches no rule of a tuple, the common case, is then turned away
 * by the head alone nearly always, without reading a rule entry: those
 * lie in a table of 56 bytes a rule and cost a cache miss each. A tuple
 * whose rules name a protocol also keeps which ones, so that a packet of
 * another protocol (UDP against TCP port rules) skips it unhashed.
 */
#include <linux/jhash.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/xarray.h>
#include "policy.h"

#define NT_KF_PROTO	BIT(0)
#define NT_KF_SPORT	BIT(1)
#define NT_KF_DPORT	BIT(2)
#define NT_KEY_WORDS	10
#define NT_NONE		U32_MAX

struct nt_pol_entry {
	u32 key[NT_KEY_WORDS];
	u32 next;		/* entry index, NT_NONE ends the chain */
	u32 rank;
	const struct nt_pol_rule *r;
};

struct nt_pol_head {
	u32 first;		/* entry index, NT_NONE: empty */
	u32 filter;		/* bit (hash >> 27) of every entry's hash */
};

struct nt_pol_tuple {
	u32 min_rank;
	u32 n;
	u32 hmask;
	u8 src_len, dst_len, kf;
	u32 smask[4], dmask[4];
	/* with NT_KF_PROTO: the protocols its rules name */
	DECLARE_BITMAP(protos, 256);
	struct nt_pol_head *heads;
};

struct nt_pol_cls {
	u8 l3;
	u8 aw;			/* address words: 1 or 4 */
	u32 kw;			/* key words: 2 * aw + 2 */
	u32 seed;
	u32 ntuples, nentries;
	struct nt_pol_tuple *tuples;
	struct nt_pol_entry *entries;
	struct nt_pol_head *heads;
	size_t mem;
	struct nt_pol_budget *budget;
	size_t charge;		/* in @budget */
};

static bool nt_pol_rule_in(const struct nt_pol_rule *r, int l3)
{
	if (r->family == NT_POL_FAMILY_IP && l3 != NT_POL_L3_IP)
		return false;
	if (r->family == NT_POL_FAMILY_IP6 && l3 != NT_POL_L3_IP6)
		return false;
	return !r->l3 || r->l3 - 1 == l3;
}

static u8 nt_pol_rule_kf(const struct nt_pol_rule *r)
{
	u8 kf = 0;

	if (r->match & NT_POL_M_PROTO)
		kf |= NT_KF_PROTO;
	if ((r->match & NT_POL_M_SPORT) && r->sport_lo == r->sport_hi)
		kf |= NT_KF_SPORT;
	if ((r->match & NT_POL_M_DPORT) && r->dport_lo == r->dport_hi)
		kf |= NT_KF_DPORT;
	return kf;
}

static u32 nt_pol_sig(const struct nt_pol_rule *r)
{
	u8 sl = r->match & NT_POL_M_SRC ? r->src_len : 0;
	u8 dl = r->match & NT_POL_M_DST ? r->dst_len : 0;

	return (u32)sl << 16 | (u32)dl << 8 | nt_pol_rule_kf(r);
}

static void nt_pol_key(const struct nt_pol_cls *c, const struct nt_pol_tuple *t,
		       const union nt_pol_addr *src, const union nt_pol_addr *dst,
		   u16 sport, u16 dport, u8 proto, u32 *key)
{
	unsigned int i;

	for (i = 0; i < c->aw; i++) {
		key[i] = src->w[i] & t->smask[i];
		key[c->aw + i] = dst->w[i] & t->dmask[i];
	}
	key[2 * c->aw] = (t->kf & NT_KF_SPORT ? (u32)sport << 16 : 0) |
			 (t->kf & NT_KF_DPORT ? dport : 0);
	key[2 * c->aw + 1] = t->kf & NT_KF_PROTO ? proto : 0;
}

static int nt_pol_tuple_cmp(const void *a, const void *b)
{
	const struct nt_pol_tuple *x = a, *y = b;

	return x->min_rank < y->min_rank ? -1 : x->min_rank > y->min_rank;
}

void nt_pol_cls_free(struct nt_pol_cls *c)
{
	if (!c)
		return;
	kvfree(c->heads);
	kvfree(c->entries);
	kvfree(c->tuples);
	nt_pol_uncharge(c->budget, c->charge);
	kfree(c);
}

/* What @c takes of its budget (none for NULL). */
size_t nt_pol_cls_charge(const struct nt_pol_cls *c)
{
	return c ? c->charge : 0;
}

/* Charge @bytes more to @c's budget. */
static int nt_pol_cls_add_charge(struct nt_pol_cls *c, size_t bytes)
{
	int err = nt_pol_charge(c->budget, bytes);

	if (!err)
		c->charge += bytes;
	return err;
}

/*
 * Build the classifier of the rules of @l3 among @rules (in rank order,
 * rank set), charged to @b (NULL: none) before each allocation. NULL with
 * no rule of that family, ERR_PTR on failure (-ENOSPC: past the budget).
 * With a @gfp that may sleep it also lets others have the CPU between
 * rules, so a 100k-rule build does not hold it from start to end.
 */
struct nt_pol_cls *nt_pol_cls_build(struct nt_pol_rule **rules, u32 n,
				    int l3, struct nt_pol_budget *b,
				    gfp_t gfp)
{
	size_t tix_cost = 0;
	bool resched = gfpflags_allow_blocking(gfp);
	struct nt_pol_cls *c;
	struct xarray sigs;
	u32 i, ne = 0, nheads = 0, tcap = 8;
	int err = -ENOMEM;
	u32 *tix = NULL;

	xa_init(&sigs);
	err = nt_pol_charge(b, sizeof(*c));
	if (err)
		return ERR_PTR(err);
	c = kzalloc(sizeof(*c), gfp);
	if (!c) {
		nt_pol_uncharge(b, sizeof(*c));
		return ERR_PTR(-ENOMEM);
	}
	c->budget = b;
	c->charge = sizeof(*c);
	c->l3 = l3;
	c->aw = l3 == NT_POL_L3_IP ? 1 : 4;
	c->kw = 2 * c->aw + 2;
	c->seed = get_random_u32();
	for (i = 0; i < n; i++)
		ne += nt_pol_rule_in(rules[i], l3);
	if (!ne) {
		nt_pol_cls_free(c);
		return NULL;
	}
	err = nt_pol_cls_add_charge(c, (size_t)ne * sizeof(*c->entries) +
			    tcap * sizeof(*c->tuples));
	if (err)
		goto err_cls;
	/* @tix is charged while it lives, to the budget, not to @c */
	err = nt_pol_charge(b, (size_t)ne * sizeof(*tix));
	if (err)
		goto err_cls;
	tix_cost = (size_t)ne * sizeof(*tix);
	err = -ENOMEM;
	c->entries = kvcalloc(ne, sizeof(*c->entries), gfp);
	tix = kvcalloc(ne, sizeof(*tix), gfp);
	/* grown as tuples appear: rulesets have few */
	c->tuples = kvcalloc(tcap, sizeof(*c->tuples), gfp);
	if (!c->entries || !tix || !c->tuples)
		goto err_cls;

	/* assign tuples in rank order: a tuple's first rule is its best */
	for (i = 0, ne = 0; i < n; i++) {
		const struct nt_pol_rule *r = rules[i];
		struct nt_pol_tuple *t;
		void *v;
		u32 s;

		if (resched && !(i % 64))
			cond_resched();
		if (!nt_pol_rule_in(r, l3))
			continue;
		s = nt_pol_sig(r);
		v = xa_load(&sigs, s);
		if (v) {
			tix[ne] = xa_to_value(v);
		} else {
			if (c->ntuples == tcap) {
				err = nt_pol_cls_add_charge(c, tcap * sizeof(*t));
				if (err)
					goto err_cls;
				err = -ENOMEM;
				t = nt_kvrealloc(c->tuples, tcap * sizeof(*t),
						 2 * tcap * sizeof(*t), gfp);
				if (!t)
					goto err_cls;
				memset(t + tcap, 0, tcap * sizeof(*t));
				c->tuples = t;
				tcap *= 2;
			}
			tix[ne] = c->ntuples++;
			t = &c->tuples[tix[ne]];
			t->min_rank = r->rank;
			t->src_len = s >> 16;
			t->dst_len = (s >> 8) & 0xff;
			t->kf = s & 0xff;
			nt_pol_prefix_mask(t->smask, c->aw, t->src_len);
			nt_pol_prefix_mask(t->dmask, c->aw, t->dst_len);
			err = xa_err(xa_store(&sigs, s, xa_mk_value(tix[ne]),
					      gfp));
			if (err)
				goto err_cls;
			err = -ENOMEM;
		}
		c->tuples[tix[ne]].n++;
		if (r->match & NT_POL_M_PROTO)
			__set_bit(r->proto, c->tuples[tix[ne]].protos);
		c->entries[ne].r = r;
		c->entries[ne].rank = r->rank;
		ne++;
	}
	c->nentries = ne;
	for (i = 0; i < c->ntuples; i++) {
		struct nt_pol_tuple *t = &c->tuples[i];

		t->hmask = roundup_pow_of_two(t->n) - 1;
		nheads += t->hmask + 1;
	}
	err = nt_pol_cls_add_charge(c, (size_t)nheads * sizeof(*c->heads));
	if (err)
		goto err_cls;
	err = -ENOMEM;
	c->heads = kvmalloc_array(nheads, sizeof(*c->heads), gfp);
	if (!c->heads)
		goto err_cls;
	for (i = 0; i < nheads; i++) {
		c->heads[i].first = NT_NONE;
		c->heads[i].filter = 0;
	}
	for (i = 0, nheads = 0; i < c->ntuples; i++) {
		c->tuples[i].heads = c->heads + nheads;
		nheads += c->tuples[i].hmask + 1;
	}
	/* push in reverse rank order: every chain ends up in rank order */
	for (i = ne; i-- > 0;) {
		struct nt_pol_entry *e = &c->entries[i];
		const struct nt_pol_rule *r = e->r;
		struct nt_pol_tuple *t = &c->tuples[tix[i]];
		struct nt_pol_head *hd;
		u32 h;

		nt_pol_key(c, t, &r->src, &r->dst, r->sport_lo, r->dport_lo,
			   r->proto, e->key);
		h = jhash2(e->key, c->kw, c->seed);
		hd = &t->heads[h & t->hmask];
		e->next = hd->first;
		hd->first = i;
		hd->filter |= BIT(h >> 27);
		if (resched && !(i % 64))
			cond_resched();
	}
	/* heads point into c->heads, so sorting the tuples keeps them */
	sort(c->tuples, c->ntuples, sizeof(*c->tuples), nt_pol_tuple_cmp, NULL);
	c->mem = sizeof(*c) + (size_t)ne * sizeof(*c->entries) +
		 (size_t)c->ntuples * sizeof(*c->tuples) +
		 (size_t)nheads * sizeof(*c->heads);
	kvfree(tix);
	nt_pol_uncharge(b, tix_cost);
	xa_destroy(&sigs);
	return c;
err_cls:
	kvfree(tix);
	nt_pol_uncharge(b, tix_cost);
	xa_destroy(&sigs);
	nt_pol_cls_free(c);
	return ERR_PTR(err);
}

static bool nt_pol_pfx_eq(const union nt_pol_addr *a,
			  const union nt_pol_addr *b, unsigned int aw,
			  unsigned int len)
{
	u32 m[4];
	unsigned int i;

	nt_pol_prefix_mask(m, aw, len);
	for (i = 0; i < aw; i++)
		if ((a->w[i] ^ b->w[i]) & m[i])
			return false;
	return true;
}

/* The fields the tuple key does not decide. */
static bool nt_pol_match_rest(const struct nt_pol_rule *r,
			      const struct nt_pol_pkt *p)
{
	u16 m = r->match;

	if (m & (NT_POL_M_SPORT | NT_POL_M_DPORT | NT_POL_M_TCPFLAGS)) {
		if (!p->has_ports)
			return false;
		if ((m & NT_POL_M_SPORT) &&
		    (p->sport < r->sport_lo || p->sport > r->sport_hi))
			return false;
		if ((m & NT_POL_M_DPORT) &&
		    (p->dport < r->dport_lo || p->dport > r->dport_hi))
			return false;
		if ((m & NT_POL_M_TCPFLAGS) &&
		    (p->tcpflags & r->tcpf_mask) != r->tcpf_val)
			return false;
	}
	if ((m & NT_POL_M_DSCP) && p->dscp != r->dscp)
		return false;
	if ((m & NT_POL_M_IIF) &&
	    (!p->in || strncmp(p->in->name, r->iif, IFNAMSIZ)))
		return false;
	if ((m & NT_POL_M_OIF) &&
	    (!p->out || strncmp(p->out->name, r->oif, IFNAMSIZ)))
		return false;
	return true;
}

/*
 * The whole rule against the packet, field by field: the reference the
 * classifier is tested against (and what a linear chain would do).
 */
bool nt_pol_rule_match(const struct nt_pol_rule *r, const struct nt_pol_pkt *p)
{
	unsigned int aw = p->l3 == NT_POL_L3_IP ? 1 : 4;

	if (!nt_pol_rule_in(r, p->l3))
		return false;
	if ((r->match & NT_POL_M_SRC) &&
	    !nt_pol_pfx_eq(&r->src, &p->src, aw, r->src_len))
		return false;
	if ((r->match & NT_POL_M_DST) &&
	    !nt_pol_pfx_eq(&r->dst, &p->dst, aw, r->dst_len))
		return false;
	if ((r->match & NT_POL_M_PROTO) &&
	    (!p->has_proto || p->proto != r->proto))
		return false;
	return nt_pol_match_rest(r, p);
}

/* The matching rule of lowest rank above @after (U32_MAX: none yet). */
const struct nt_pol_rule *nt_pol_cls_lookup(const struct nt_pol_cls *c,
					    const struct nt_pol_pkt *p,
					    u32 after)
{
	const struct nt_pol_rule *best = NULL;
	u32 best_rank = U32_MAX, i;

	for (i = 0; i < c->ntuples; i++) {
		const struct nt_pol_tuple *t = &c->tuples[i];
		const struct nt_pol_head *hd;
		u32 key[NT_KEY_WORDS], e_ix, h;

		if (t->min_rank >= best_rank)
			break;
		if ((t->kf & NT_KF_PROTO) &&
		    (!p->has_proto || !nt_pol_bit(t->protos, p->proto)))
			continue;
		if ((t->kf & (NT_KF_SPORT | NT_KF_DPORT)) && !p->has_ports)
			continue;
		nt_pol_key(c, t, &p->src, &p->dst, p->sport, p->dport, p->proto,
			   key);
		h = jhash2(key, c->kw, c->seed);
		hd = &t->heads[h & t->hmask];
		if (!(hd->filter & BIT(h >> 27)))
			continue;
		e_ix = hd->first;
		while (e_ix != NT_NONE) {
			const struct nt_pol_entry *e = &c->entries[e_ix];

			e_ix = e->next;
			if (e->rank >= best_rank)
				break;
			if (after != U32_MAX && e->rank <= after)
				continue;
			if (memcmp(e->key, key, c->kw * sizeof(u32)) ||
			    !nt_pol_match_rest(e->r, p))
				continue;
			best = e->r;
			best_rank = e->rank;
			break;
		}
	}
	return best;
}

/*
 * Into @protos (256 bits), the protocols @c's rules name; false when a
 * rule names none, so that a packet of any protocol may match.
 */
bool nt_pol_cls_protos(const struct nt_pol_cls *c, unsigned long *protos)
{
	u32 i;

	bitmap_zero(protos, 256);
	for (i = 0; c && i < c->ntuples; i++) {
		if (!(c->tuples[i].kf & NT_KF_PROTO))
			return false;
		bitmap_or(protos, protos, c->tuples[i].protos, 256);
	}
	return true;
}

u32 nt_pol_cls_tuples(const struct nt_pol_cls *c)
{
	return c ? c->ntuples : 0;
}

size_t nt_pol_cls_mem(const struct nt_pol_cls *c)
{
	return c ? c->mem : 0;
}
