// SPDX-License-Identifier: GPL-2.0
/*
 * nt_policy token buckets: police (one bucket per rule) and meters (one
 * bucket per key in a bounded table).
 *
 * A bucket is GCRA in its virtual-scheduling form (ITU-T I.371): it
 * keeps one number, the theoretical arrival time (tat, ns). A packet of
 * c units costs c * ns_per_unit; it conforms when
 *	max(tat, now) + cost - now <= tau	(tau = burst * ns_per_unit)
 * and then tat becomes max(tat, now) + cost. That is the token bucket of
 * rate r and depth burst, kept in one 64-bit word updated with cmpxchg:
 * correct when every CPU takes from it at once, and no lock.
 *
 * ns_per_unit is kept as a 32.32 fixed-point multiplier: 1 unit/s up to
 * 5e10 units/s (400 Gbit/s in bytes) with 128-bit products, no overflow.
 *
 * Meter: keys (masked addresses) hash into RCU lists; a known key costs a
 * lookup and a cmpxchg. A new key is inserted under one of 64 bucket
 * locks (new keys only, never per packet of a known key). An entry whose
 * bucket is full again (tat <= now) carries no information and is evicted
 * when its hash bucket needs room; when the table holds @size busy keys, a
 * new key is not metered (counted in @full), as nftables' dynamic sets do
 * when full; a key that finds no room is not allocated at all.
 *
 * Memory: the table and room for @size keys are charged to the
 * namespace's budget at commit (nt_pol_meter_cost()). Entries are
 * allocated on the packet path, where there is no caller to charge: they
 * are charged to the memory cgroup of the task that committed the rule,
 * as BPF maps charge theirs, so a tenant pays for the keys its meters
 * hold and cannot go past its cgroup's limit (a key that does not fit is
 * not metered: GFP_NOWAIT, not GFP_ATOMIC, whose __GFP_HIGH lets a charge
 * through past the limit).
 */
#include <linux/jhash.h>
#include <linux/math64.h>
#include <linux/memcontrol.h>
#include <linux/random.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include "policy.h"

int nt_pol_tb_init(struct nt_pol_tb *tb, u64 rate, u64 burst)
{
	if (!rate || rate > NT_POL_RATE_MAX || !burst ||
	    burst > NT_POL_BURST_MAX)
		return -ERANGE;
	/* NSEC_PER_SEC << 32 < 2^62: no overflow; >= 1 for rate <= 2^62 */
	tb->mult = div64_u64((u64)NSEC_PER_SEC << 32, rate);
	tb->tau = mul_u64_u64_shr(burst, tb->mult, 32);
	return 0;
}

bool nt_pol_tb_take(const struct nt_pol_tb *tb, atomic64_t *tat, u64 now,
		    u64 units)
{
	u64 cost = mul_u64_u64_shr(units, tb->mult, 32);
	s64 old = atomic64_read(tat);
	u64 next;

	do {
		next = max_t(u64, old, now) + cost;
		if (next - now > tb->tau)
			return false;
	} while (!atomic64_try_cmpxchg(tat, &old, next));
	return true;
}

/* Bytes a meter of @size keys may take: its table and every entry. */
size_t nt_pol_meter_cost(u32 size)
{
	return sizeof(struct nt_pol_meter) +
	       roundup_pow_of_two(size) * sizeof(struct hlist_head) +
	       (size_t)size *
	       kmalloc_size_roundup(sizeof(struct nt_pol_mentry));
}

/* A meter charged to @b; ERR_PTR(-ENOSPC) past it, -ENOMEM. */
struct nt_pol_meter *nt_pol_meter_alloc(u32 size, struct nt_pol_budget *b,
					gfp_t gfp)
{
	size_t cost = nt_pol_meter_cost(size);
	u32 nb = roundup_pow_of_two(size), i;
	struct nt_pol_meter *m;
	int err;

	err = nt_pol_charge(b, cost);
	if (err)
		return ERR_PTR(err);
	m = kzalloc(sizeof(*m), gfp);
	if (!m)
		goto err_uncharge;
	m->buckets = kvcalloc(nb, sizeof(*m->buckets), gfp);
	if (!m->buckets) {
		kfree(m);
		goto err_uncharge;
	}
	m->size = size;
	m->mask = nb - 1;
	m->seed = get_random_u32();
	m->budget = b;
	m->charge = cost;
	m->memcg = get_mem_cgroup_from_mm(current->mm);
	for (i = 0; i < NT_POL_METER_LOCKS; i++)
		spin_lock_init(&m->locks[i]);
	return m;
err_uncharge:
	nt_pol_uncharge(b, cost);
	return ERR_PTR(-ENOMEM);
}

/* After a grace period: no reader left. */
void nt_pol_meter_free(struct nt_pol_meter *m)
{
	struct nt_pol_mentry *e;
	struct hlist_node *tmp;
	u32 i;

	if (!m)
		return;
	for (i = 0; i <= m->mask; i++)
		hlist_for_each_entry_safe(e, tmp, &m->buckets[i], node)
			kfree(e);
	kvfree(m->buckets);
	mem_cgroup_put(m->memcg);
	nt_pol_uncharge(m->budget, m->charge);
	kfree(m);
}

bool nt_pol_meter_take(struct nt_pol_meter *m, const struct nt_pol_tb *tb,
		       const u32 *key, u64 now, u64 units)
{
	u32 h = jhash2(key, 4, m->seed) & m->mask;
	struct hlist_head *b = &m->buckets[h];
	spinlock_t *lock = &m->locks[h % NT_POL_METER_LOCKS];
	struct nt_pol_mentry *e, *idle = NULL, *n;
	struct mem_cgroup *old;
	bool room = false;

	hlist_for_each_entry_rcu(e, b, node) {
		if (!memcmp(e->key, key, sizeof(e->key)))
			return nt_pol_tb_take(tb, &e->tat, now, units);
		room |= (u64)atomic64_read(&e->tat) <= now;
	}
	/* full, and nothing idle to evict here: no allocation */
	if (!room && atomic_read(&m->count) >= m->size) {
		atomic64_inc(&m->full);
		return true;
	}

	old = set_active_memcg(m->memcg);
	n = kmalloc(sizeof(*n), GFP_NOWAIT | __GFP_ACCOUNT | __GFP_NOWARN);
	set_active_memcg(old);
	if (!n) {
		atomic64_inc(&m->full);
		return true;
	}
	memcpy(n->key, key, sizeof(n->key));
	atomic64_set(&n->tat, now);

	spin_lock_bh(lock);
	hlist_for_each_entry(e, b, node) {
		if (!memcmp(e->key, key, sizeof(e->key))) {
			/* another CPU inserted it meanwhile */
			spin_unlock_bh(lock);
			kfree(n);
			return nt_pol_tb_take(tb, &e->tat, now, units);
		}
		if (!idle && (u64)atomic64_read(&e->tat) <= now)
			idle = e;
	}
	if (idle) {
		hlist_replace_rcu(&idle->node, &n->node);
		kfree_rcu(idle, rcu);
	} else if (atomic_inc_return(&m->count) <= m->size) {
		hlist_add_head_rcu(&n->node, b);
	} else {
		atomic_dec(&m->count);
		spin_unlock_bh(lock);
		kfree(n);
		atomic64_inc(&m->full);
		return true;
	}
	spin_unlock_bh(lock);
	return nt_pol_tb_take(tb, &n->tat, now, units);
}

/*
 * What the packet path reads of a police or meter rule, built from its
 * arguments: the bucket's constants and the meter's key masks.
 */
int nt_pol_rule_buckets(struct nt_pol_rule *r)
{
	if (r->action == NT_POL_ACT_METER) {
		nt_pol_prefix_mask(&r->meter_mask4, 1, r->meter_len);
		nt_pol_prefix_mask(r->meter_mask6, 4, r->meter_len);
	}
	return nt_pol_tb_init(&r->tb, r->rate, r->burst);
}
