// SPDX-License-Identifier: GPL-2.0
/*
 * nt_policy transactions: the rules a socket sends between BEGIN and
 * COMMIT, with their ids checked for duplicates as they arrive (so that
 * the error names the rule) and the max_rules limit applied.
 */
#include <linux/slab.h>
#include <linux/xarray.h>
#include "policy.h"

struct nt_pol_txn *nt_pol_txn_alloc(u32 portid)
{
	struct nt_pol_txn *t = kzalloc(sizeof(*t), GFP_KERNEL_ACCOUNT);

	if (!t)
		return NULL;
	t->portid = portid;
	xa_init(&t->ids);
	return t;
}

void nt_pol_txn_free(struct nt_pol_txn *t)
{
	if (!t)
		return;
	xa_destroy(&t->ids);
	kvfree(t->rules);
	kfree(t);
}

/*
 * The slot the next rule is parsed into (not counted until pushed), so a
 * rule is written once, not parsed on the stack and copied.
 */
struct nt_pol_rule *nt_pol_txn_slot(struct nt_pol_txn *t)
{
	if (t->n >= nt_pol_max_rules)
		return ERR_PTR(-ENOSPC);
	if (t->n == t->cap) {
		u32 cap = max(64U, t->cap * 2);
		struct nt_pol_rule *n;

		n = kvmalloc_array(cap, sizeof(*n), GFP_KERNEL_ACCOUNT);
		if (!n)
			return ERR_PTR(-ENOMEM);
		if (t->n)
			memcpy(n, t->rules, t->n * sizeof(*n));
		kvfree(t->rules);
		t->rules = n;
		t->cap = cap;
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

/* -EEXIST: the id is taken in the transaction; -ENOSPC: max_rules. */
int nt_pol_txn_add(struct nt_pol_txn *t, const struct nt_pol_rule *r)
{
	struct nt_pol_rule *slot = nt_pol_txn_slot(t);

	if (IS_ERR(slot))
		return PTR_ERR(slot);
	*slot = *r;
	return nt_pol_txn_push(t);
}
