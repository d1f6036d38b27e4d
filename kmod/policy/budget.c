// SPDX-License-Identifier: GPL-2.0
/*
 * nt_policy memory budgets: one per network namespace, bounding in bytes
 * what a tenant's rules take. Every allocation a commit or a transaction
 * makes is charged here first and refused past max_memory, so a tenant
 * gets -ENOSPC and its ruleset stays as it was, before the kernel (or its
 * memory cgroup) runs out. A meter is charged for its table and for all
 * the keys it may hold, so packets never grow what a namespace was
 * granted at commit. While a commit builds, the ruleset it replaces
 * lends what it holds alone (b->credit): a namespace's rules take at most
 * max_memory, and during a commit, until RCU frees the rules it replaced,
 * at most twice that.
 */
#include <linux/slab.h>
#include "policy.h"

struct nt_pol_budget *nt_pol_budget_new(void)
{
	struct nt_pol_budget *b = kzalloc(sizeof(*b), GFP_KERNEL_ACCOUNT);

	if (b)
		refcount_set(&b->ref, 1);
	return b;
}

void nt_pol_budget_put(struct nt_pol_budget *b)
{
	if (b && refcount_dec_and_test(&b->ref)) {
		WARN_ON_ONCE(atomic_long_read(&b->used));
		kfree(b);
	}
}

/* Take @bytes of @b (NULL: no budget), or -ENOSPC past max_memory. */
int nt_pol_charge(struct nt_pol_budget *b, size_t bytes)
{
	unsigned long max;

	if (!b)
		return 0;
	max = READ_ONCE(nt_pol_max_memory);
	/* max_memory may be ULONG_MAX: no limit */
	max = max + READ_ONCE(b->credit) < max ? ULONG_MAX :
	      max + READ_ONCE(b->credit);
	if (bytes > max ||
	    (unsigned long)atomic_long_add_return(bytes, &b->used) > max) {
		if (bytes <= max)
			atomic_long_sub(bytes, &b->used);
		return -ENOSPC;
	}
	return 0;
}

void nt_pol_uncharge(struct nt_pol_budget *b, size_t bytes)
{
	if (b)
		atomic_long_sub(bytes, &b->used);
}
