// SPDX-License-Identifier: GPL-2.0
/*
 * nt_policy: rulesets, per network namespace, and their edits.
 *
 * A commit builds a whole new ruleset off the packet path (rules sorted
 * by hook, priority and id; one classifier per hook and family; counters
 * and token buckets, handed over from the rule of the same id in the
 * ruleset being replaced), registers any hook it needs, publishes it
 * with rcu_assign_pointer() and frees the old one after a grace period.
 * Nothing is changed in place, so a packet is judged by one ruleset.
 * An edit (add, delete, flush) is a commit of a changed copy.
 */
#include <linux/bsearch.h>
#include <linux/module.h>
#include <linux/netfilter.h>
#include <linux/netlink.h>
#include <linux/sched.h>
#include <linux/sort.h>
#include <linux/slab.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include "nt_stats.h"
#include "policy.h"

/* Rulesets */

void nt_pol_ctr_sum(const struct nt_pol_rule *r, u64 *pk, u64 *by, u64 *ov)
{
	u64 v[3] = {};

	NT_STATS_SUM(r->st->ctr, struct nt_pol_ctr, packets, 3, v);
	*pk = v[0];
	*by = v[1];
	*ov = v[2];
}

static void nt_pol_state_free(struct nt_pol_state *st)
{
	struct nt_pol_ctrblk *b;

	if (!st)
		return;
	b = st->blk;
	nt_pol_meter_free(st->meter);
	if (atomic_dec_and_test(&b->refs)) {
		free_percpu(b->base);
		nt_pol_uncharge(b->budget, b->charge);
		kvfree(b);
	}
}

/*
 * New state for @r, in *@blk (a new block when full), charged to @bud. A
 * block is only made for a state that takes it at once, so its references
 * never drop to nothing while it is being filled.
 */
static struct nt_pol_state *nt_pol_state_alloc(const struct nt_pol_rule *r,
					       struct nt_pol_ctrblk **blk,
					       struct nt_pol_budget *bud)
{
	size_t cost = sizeof(**blk) + (size_t)num_possible_cpus() *
		      NT_POL_CTR_BLOCK * sizeof(struct nt_pol_ctr);
	struct nt_pol_ctrblk *b = *blk;
	struct nt_pol_meter *m = NULL;
	struct nt_pol_state *st;
	int err;

	if (r->action == NT_POL_ACT_METER) {
		m = nt_pol_meter_alloc(r->meter_size, bud, NT_POL_GFP);
		if (IS_ERR(m))
			return ERR_CAST(m);
	}
	if (!b || b->used == NT_POL_CTR_BLOCK) {
		err = nt_pol_charge(bud, cost);
		if (err)
			goto err_meter;
		err = -ENOMEM;
		b = kvzalloc(sizeof(*b), NT_POL_GFP);
		if (!b)
			goto err_uncharge;
		b->base = __alloc_percpu_gfp(NT_POL_CTR_BLOCK *
					     sizeof(struct nt_pol_ctr),
					     __alignof__(struct nt_pol_ctr),
					     GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
		if (!b->base) {
			kvfree(b);
			goto err_uncharge;
		}
		b->budget = bud;
		b->charge = cost;
		*blk = b;
	}
	st = &b->st[b->used];
	st->ctr = b->base + b->used++;
	st->blk = b;
	st->meter = m;
	atomic_inc(&b->refs);
	return st;
err_uncharge:
	nt_pol_uncharge(bud, cost);
err_meter:
	nt_pol_meter_free(m);
	return ERR_PTR(err);
}

static void nt_pol_ruleset_destroy(struct nt_pol_ruleset *rs)
{
	u32 i;
	int h;

	if (!rs)
		return;
	for (i = 0; i < rs->nrules; i++) {
		if (rs->store[i].owns_state)
			nt_pol_state_free(rs->store[i].st);
		cond_resched();
	}
	for (h = 0; h < NT_POL_HOOKS; h++) {
		nt_pol_cls_free(rs->cls[h][0]);
		nt_pol_cls_free(rs->cls[h][1]);
	}
	kvfree(rs->by_id);
	kvfree(rs->order);
	kvfree(rs->store);
	nt_pol_uncharge(rs->budget, rs->charge);
	nt_pol_budget_put(rs->budget);
	kfree(rs);
}

static void nt_pol_ruleset_free_work(struct work_struct *w)
{
	nt_pol_ruleset_destroy(container_of(to_rcu_work(w),
					    struct nt_pol_ruleset, free_work));
}

static int nt_pol_cmp_order(const void *a, const void *b)
{
	const struct nt_pol_rule *x = *(const struct nt_pol_rule **)a;
	const struct nt_pol_rule *y = *(const struct nt_pol_rule **)b;

	if (x->hook != y->hook)
		return x->hook < y->hook ? -1 : 1;
	if (x->prio != y->prio)
		return x->prio < y->prio ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static int nt_pol_cmp_id(const void *a, const void *b)
{
	const struct nt_pol_rule *x = *(const struct nt_pol_rule **)a;
	const struct nt_pol_rule *y = *(const struct nt_pol_rule **)b;

	return x->id < y->id ? -1 : x->id > y->id;
}

static int nt_pol_key_id(const void *key, const void *elt)
{
	u32 id = *(const u32 *)key;
	const struct nt_pol_rule *y = *(const struct nt_pol_rule **)elt;

	return id < y->id ? -1 : id > y->id;
}

/*
 * Sort @v unless it is in order already: the common case, where ids were
 * assigned in file order and the file has one priority per hook.
 */
static void nt_pol_sort(struct nt_pol_rule **v, u32 n, cmp_func_t cmp)
{
	u32 i;

	for (i = 1; i < n; i++)
		if (cmp(&v[i - 1], &v[i]) > 0) {
			sort(v, n, sizeof(*v), cmp, NULL);
			return;
		}
}

/* The rule @id of @rs, or NULL. */
struct nt_pol_rule *nt_pol_ruleset_find(const struct nt_pol_ruleset *rs,
					u32 id)
{
	struct nt_pol_rule **p;

	if (!rs || !rs->nrules)
		return NULL;
	p = bsearch(&id, rs->by_id, rs->nrules, sizeof(*p), nt_pol_key_id);
	return p ? *p : NULL;
}

/* May @r take over @old's counters and bucket as they are? */
static bool nt_pol_state_fits(const struct nt_pol_rule *r,
			      const struct nt_pol_rule *old)
{
	bool m = r->action == NT_POL_ACT_METER;
	bool om = old->action == NT_POL_ACT_METER;

	if (m != om)
		return false;
	return !m ||
	       (r->meter_size == old->meter_size &&
		r->meter_key == old->meter_key &&
		r->meter_len == old->meter_len);
}

/*
 * Build a ruleset from @rules (@n of them, a kvmalloc'd array that the
 * ruleset takes over on success), next to @old, charged to @bud (what
 * @rules take is not: the caller hands that charge over). Ids of 0 are
 * assigned.
 */
static struct nt_pol_ruleset *
nt_pol_ruleset_build(struct nt_pol_rule *rules, u32 n,
		     const struct nt_pol_ruleset *old,
		     struct nt_pol_budget *bud,
		     struct netlink_ext_ack *extack)
{
	size_t pred_cost = (size_t)n * sizeof(struct nt_pol_rule *);
	size_t cost = sizeof(struct nt_pol_ruleset) + 2 * pred_cost;
	struct nt_pol_rule **pred = NULL;
	struct nt_pol_ctrblk *blk = NULL;
	struct nt_pol_ruleset *rs;
	u32 i, j, next_id = 0;
	int h, err;

	if (n > nt_pol_max_rules) {
		NL_SET_ERR_MSG_MOD(extack,
				   "too many rules: the limit is the max_rules module parameter (default 200000)");
		return ERR_PTR(-ENOSPC);
	}
	if (nt_pol_charge(bud, cost)) {
		NL_SET_ERR_MSG_MOD(extack, NT_POL_MEM_MSG);
		return ERR_PTR(-ENOSPC);
	}
	rs = kzalloc(sizeof(*rs), NT_POL_GFP);
	if (!rs) {
		nt_pol_uncharge(bud, cost);
		NL_SET_ERR_MSG_MOD(extack, "out of memory building the ruleset");
		return ERR_PTR(-ENOMEM);
	}
	INIT_RCU_WORK(&rs->free_work, nt_pol_ruleset_free_work);
	refcount_inc(&bud->ref);
	rs->budget = bud;
	rs->charge = cost;
	rs->store = rules;
	rs->nrules = n;
	if (!n)
		return rs;
	/*
	 * State comes from the predecessors below, or is new: nothing that
	 * came with @rules is freed on the way out (an edit's copy of the
	 * rules in force points at their live state).
	 */
	for (i = 0; i < n; i++) {
		rules[i].st = NULL;
		rules[i].owns_state = false;
		next_id = max(next_id, rules[i].id);
	}
	err = -ENOMEM;
	rs->order = kvmalloc_array(n, sizeof(*rs->order), NT_POL_GFP);
	rs->by_id = kvmalloc_array(n, sizeof(*rs->by_id), NT_POL_GFP);
	if (!rs->order || !rs->by_id)
		goto err_build;
	for (i = 0; i < n; i++) {
		if (!rules[i].id) {
			if (next_id == U32_MAX) {
				NL_SET_ERR_MSG_MOD(extack,
						   "no rule id left to assign");
				err = -ENOSPC;
				goto err_build;
			}
			rules[i].id = ++next_id;
		}
		rs->order[i] = &rules[i];
		rs->by_id[i] = &rules[i];
	}
	rs->max_id = next_id;
	nt_pol_sort(rs->by_id, n, nt_pol_cmp_id);
	for (i = 1; i < n; i++)
		if (rs->by_id[i]->id == rs->by_id[i - 1]->id) {
			NL_SET_ERR_MSG_MOD(extack, "a rule id is used twice");
			err = -EEXIST;
			goto err_build;
		}
	nt_pol_sort(rs->order, n, nt_pol_cmp_order);
	for (i = 0, h = 0; i < n; i++) {
		while (h <= rs->order[i]->hook)
			rs->hook_first[h++] = i;
		rs->order[i]->rank = i - rs->hook_first[rs->order[i]->hook];
		if (rs->order[i]->action == NT_POL_ACT_POLICE ||
		    rs->order[i]->action == NT_POL_ACT_METER)
			rs->stateful[rs->order[i]->hook] = true;
	}
	while (h <= NT_POL_HOOKS)
		rs->hook_first[h++] = n;

	/* each rule's predecessor of the same id: one walk of both id orders */
	err = nt_pol_charge(bud, pred_cost);
	if (err)
		goto err_build;
	pred = kvcalloc(n, sizeof(*pred), NT_POL_GFP);
	if (!pred) {
		nt_pol_uncharge(bud, pred_cost);
		err = -ENOMEM;
		goto err_build;
	}
	for (i = 0, j = 0; old && i < n; i++) {
		struct nt_pol_rule *r = rs->by_id[i];

		while (j < old->nrules && old->by_id[j]->id < r->id)
			j++;
		if (j < old->nrules && old->by_id[j]->id == r->id)
			pred[r - rules] = old->by_id[j];
	}
	/* new state for every rule that cannot take its predecessor's */
	for (i = 0; i < n; i++) {
		struct nt_pol_rule *r = &rules[i];
		const struct nt_pol_rule *o = pred[i];

		cond_resched();
		if (o && nt_pol_state_fits(r, o))
			continue;
		r->st = nt_pol_state_alloc(r, &blk, bud);
		if (IS_ERR(r->st)) {
			err = PTR_ERR(r->st);
			r->st = NULL;
			goto err_build;
		}
		r->owns_state = true;
		if (o) {
			/* same id, another kind of bucket: counters go on */
			u64 pk, by, ov;
			struct nt_pol_ctr *c = per_cpu_ptr(r->st->ctr, 0);

			nt_pol_ctr_sum(o, &pk, &by, &ov);
			u64_stats_set(&c->packets, pk);
			u64_stats_set(&c->bytes, by);
			u64_stats_set(&c->over, ov);
		}
	}
	for (h = 0; h < NT_POL_HOOKS; h++) {
		u32 f = rs->hook_first[h], cnt = rs->hook_first[h + 1] - f;
		int l3;

		for (l3 = 0; l3 < 2; l3++) {
			struct nt_pol_cls *c;

			if (!cnt)
				continue;
			c = nt_pol_cls_build(rs->order + f, cnt, l3, bud,
					     NT_POL_GFP);
			if (IS_ERR(c)) {
				err = PTR_ERR(c);
				goto err_build;
			}
			rs->cls[h][l3] = c;
			rs->proto_only[h][l3] =
				nt_pol_cls_protos(c, rs->protos[h][l3]);
		}
	}
	/* nothing fails from here: take the predecessors' state */
	for (i = 0; i < n; i++) {
		struct nt_pol_rule *r = &rules[i], *o;

		if (r->st)
			continue;
		o = pred[i];
		r->st = o->st;
		r->owns_state = true;
		o->owns_state = false;
	}
	kvfree(pred);
	nt_pol_uncharge(bud, pred_cost);
	return rs;
err_build:
	if (pred) {
		kvfree(pred);
		nt_pol_uncharge(bud, pred_cost);
	}
	for (i = 0; i < n; i++) {
		if (rules[i].owns_state)
			nt_pol_state_free(rules[i].st);
		rules[i].owns_state = false;
		rules[i].st = NULL;
	}
	rs->store = NULL;
	rs->nrules = 0;
	nt_pol_ruleset_destroy(rs);
	if (err == -ENOMEM)
		NL_SET_ERR_MSG_MOD(extack, "out of memory building the ruleset");
	else if (err == -ENOSPC && extack && !extack->_msg)
		NL_SET_ERR_MSG_MOD(extack, NT_POL_MEM_MSG);
	return ERR_PTR(err);
}

/* Register the hooks @rs needs that are not registered yet. */
static int nt_pol_hooks_prepare(struct nt_pol_net *pn,
				const struct nt_pol_ruleset *rs)
{
	struct nf_hook_ops *ops;
	int h, l3;

	for (h = 0; h < NT_POL_HOOKS; h++)
		for (l3 = 0; l3 < 2; l3++) {
			if (!rs->cls[h][l3] || pn->reg[h][l3])
				continue;
			ops = nt_pol_hook_register(pn, h, l3, pn->hook_prio[h]);
			if (IS_ERR(ops))
				return PTR_ERR(ops);
			/* passes every packet until @rs is in force */
			pn->reg[h][l3] = ops;
		}
	return 0;
}

/* What @rs holds alone: its arrays, @store included, and classifiers. */
static size_t nt_pol_ruleset_own(const struct nt_pol_ruleset *rs)
{
	size_t n = rs->charge;
	int h;

	for (h = 0; h < NT_POL_HOOKS; h++)
		n += nt_pol_cls_charge(rs->cls[h][0]) +
		     nt_pol_cls_charge(rs->cls[h][1]);
	return n;
}

/*
 * A commit starts building: lend it what the ruleset in force holds alone,
 * and room for the build's scratch arrays (predecessors, and each
 * classifier's entry index) as long as it.
 */
void nt_pol_credit_open(struct nt_pol_net *pn)
{
	struct nt_pol_ruleset *rs;

	rs = nt_pol_active(pn);
	WRITE_ONCE(pn->budget->credit, rs ? nt_pol_ruleset_own(rs) +
		   (size_t)rs->nrules * (sizeof(struct nt_pol_rule *) +
					 sizeof(u32)) : 0);
}

/* ... and it is over, in force or not. */
void nt_pol_credit_close(struct nt_pol_net *pn)
{
	lockdep_assert_held(&pn->lock);
	WRITE_ONCE(pn->budget->credit, 0);
}

/*
 * Replace the ruleset with @rules, for which @charge bytes of the budget
 * are taken: both are taken over on success. Under pn->lock.
 */
int nt_pol_commit(struct nt_pol_net *pn, struct nt_pol_rule *rules, u32 n,
		  size_t charge, struct netlink_ext_ack *extack)
{
	struct nt_pol_ruleset *old, *rs;
	int err;

	old = nt_pol_active(pn);
	rs = nt_pol_ruleset_build(rules, n, old, pn->budget, extack);
	/* built or not, nothing more is charged for this commit */
	nt_pol_credit_close(pn);
	if (IS_ERR(rs))
		return PTR_ERR(rs);
	err = nt_pol_hooks_prepare(pn, rs);
	if (err) {
		/* undo: hand the state back, drop the extra hooks */
		u32 i;

		for (i = 0; i < n; i++) {
			struct nt_pol_rule *o;

			if (!rules[i].owns_state)
				continue;
			o = nt_pol_ruleset_find(old, rules[i].id);
			if (o && o->st == rules[i].st) {
				o->owns_state = true;
				rules[i].owns_state = false;
			}
		}
		rs->store = NULL;
		for (i = 0; i < n; i++)
			if (rules[i].owns_state)
				nt_pol_state_free(rules[i].st);
		rs->nrules = 0;
		nt_pol_ruleset_destroy(rs);
		nt_pol_hooks_sync(pn, -1, 0, 0);
		NL_SET_ERR_MSG_MOD(extack, "cannot register a netfilter hook");
		return err;
	}
	rs->charge += charge;
	rs->generation = ++pn->generation;
	rcu_assign_pointer(pn->active, rs);
	if (old)
		queue_rcu_work(nt_pol_wq, &old->free_work);
	/* only unregistrations are left: they do not fail */
	nt_pol_hooks_sync(pn, -1, 0, 0);
	return 0;
}

/*
 * Ruleset edits: a copy of the active rules without those @drop says,
 * plus @extra room,
 * charged to the budget (*@charge bytes; nt_pol_copy_free() returns
 * them), or an ERR_PTR with the extack message set.
 */
static struct nt_pol_rule *
nt_pol_copy_drop(struct nt_pol_net *pn, u32 extra,
		 bool (*drop)(const struct nt_pol_rule *, u32), u32 arg, u32 *n,
		 size_t *charge, struct netlink_ext_ack *extack)
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
	for (i = 0; i < have; i++) {
		if (drop && drop(&rs->store[i], arg))
			continue;
		/* the copy owns no state: the build finds it in @rs by id */
		rules[*n] = rs->store[i];
		rules[*n].st = NULL;
		rules[*n].owns_state = false;
		(*n)++;
	}
	return rules;
}

void nt_pol_copy_free(struct nt_pol_net *pn, struct nt_pol_rule *rules,
		      size_t charge)
{
	nt_pol_credit_close(pn);
	if (IS_ERR_OR_NULL(rules))
		return;
	kvfree(rules);
	nt_pol_uncharge(pn->budget, charge);
}

/* A copy of the active rules with room for @extra more (rule add). */
struct nt_pol_rule *nt_pol_copy(struct nt_pol_net *pn, u32 extra, u32 *n,
				size_t *charge, struct netlink_ext_ack *extack)
{
	return nt_pol_copy_drop(pn, extra, NULL, 0, n, charge, extack);
}

static bool nt_pol_drop_id(const struct nt_pol_rule *r, u32 id)
{
	return r->id == id;
}

static bool nt_pol_drop_hook(const struct nt_pol_rule *r, u32 hook)
{
	return hook > NT_POL_HOOK_MAX || r->hook == hook;
}

/* Commit the active rules less those @drop says. Under pn->lock. */
static int nt_pol_commit_without(struct nt_pol_net *pn,
				 bool (*drop)(const struct nt_pol_rule *, u32),
				 u32 arg, struct netlink_ext_ack *extack)
{
	struct nt_pol_rule *rules;
	size_t charge = 0;
	u32 n;
	int err;

	rules = nt_pol_copy_drop(pn, 0, drop, arg, &n, &charge, extack);
	err = PTR_ERR_OR_ZERO(rules);
	if (!err)
		err = nt_pol_commit(pn, rules, n, charge, extack);
	if (!err)
		rules = NULL;
	nt_pol_copy_free(pn, rules, charge);
	return err;
}

/* Remove rule @id, which the caller found. Under pn->lock. */
int nt_pol_del(struct nt_pol_net *pn, u32 id, struct netlink_ext_ack *extack)
{
	return nt_pol_commit_without(pn, nt_pol_drop_id, id, extack);
}

/* Remove the rules of @hook, every rule if U32_MAX. Under pn->lock. */
int nt_pol_flush(struct nt_pol_net *pn, u32 hook,
		 struct netlink_ext_ack *extack)
{
	return nt_pol_commit_without(pn, nt_pol_drop_hook, hook, extack);
}
