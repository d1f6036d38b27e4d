// SPDX-License-Identifier: GPL-2.0
/*
 * nt_policy transactions: the rules a socket sends between BEGIN and
 * COMMIT, with their ids checked for duplicates as they arrive (so that
 * the error names the rule), the max_rules limit applied and the rules'
 * array charged to the namespace's budget.
 */
#include <linux/slab.h>
#include <linux/xarray.h>
#include "policy.h"

struct nt_pol_txn *nt_pol_txn_alloc(u32 portid, struct nt_pol_budget *b)
{
	struct nt_pol_txn *t = kzalloc(sizeof(*t), GFP_KERNEL_ACCOUNT);

	if (!t)
		return NULL;
	t->portid = portid;
	t->budget = b;
	xa_init(&t->ids);
	return t;
}

void nt_pol_txn_free(struct nt_pol_txn *t)
{
	if (!t)
		return;
	xa_destroy(&t->ids);
	kvfree(t->rules);
	nt_pol_uncharge(t->budget, t->charge);
	kfree(t);
}

/*
 * The slot the next rule is parsed into (not counted until pushed), so a
 * rule is written once, not parsed on the stack and copied. -ENOSPC past
 * max_rules, -ENOBUFS past max_memory.
 */
struct nt_pol_rule *nt_pol_txn_slot(struct nt_pol_txn *t)
{
	if (t->n >= nt_pol_max_rules)
		return ERR_PTR(-ENOSPC);
	if (t->n == t->cap) {
		u32 cap = min(max(64U, t->cap * 2),
			      max(READ_ONCE(nt_pol_max_rules), t->n + 1));
		size_t cost = (size_t)cap * sizeof(struct nt_pol_rule);
		struct nt_pol_rule *n;

		/* the old array and the new one, for a while */
		if (nt_pol_charge(t->budget, cost))
			return ERR_PTR(-ENOBUFS);
		n = kvmalloc_array(cap, sizeof(*n), NT_POL_GFP);
		if (!n) {
			nt_pol_uncharge(t->budget, cost);
			return ERR_PTR(-ENOMEM);
		}
		if (t->n)
			memcpy(n, t->rules, t->n * sizeof(*n));
		kvfree(t->rules);
		nt_pol_uncharge(t->budget, t->charge);
		t->rules = n;
		t->cap = cap;
		t->charge = cost;
	}
	return &t->rules[t->n];
}

/* Count the rule in the slot, unless its id is taken. */
int nt_pol_txn_push(struct nt_pol_txn *t)
{
	u32 id = t->rules[t->n].id;
	int err;

	if (id) {
		err = xa_insert(&t->ids, id, xa_mk_value(1),
				GFP_KERNEL_ACCOUNT);
		if (err)
			return err == -EBUSY ? -EEXIST : err;
	}
	t->n++;
	return 0;
}

/*
 * -EEXIST: the id is taken in the transaction; -ENOSPC: max_rules;
 * -ENOBUFS: max_memory.
 */
int nt_pol_txn_add(struct nt_pol_txn *t, const struct nt_pol_rule *r)
{
	struct nt_pol_rule *slot = nt_pol_txn_slot(t);

	if (IS_ERR(slot))
		return PTR_ERR(slot);
	*slot = *r;
	return nt_pol_txn_push(t);
}
