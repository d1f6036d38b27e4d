// SPDX-License-Identifier: GPL-2.0
/*
 * ntkit prefix table: a path-compressed binary trie per address family.
 *
 * Every node holds a prefix (key, cidr). A child's prefix extends its
 * parent's, and the child sits on the side given by the child's bit at
 * position parent->cidr. A node either holds a value (an entry) or is an
 * internal "glue" node that exists only because two subtrees diverge at
 * its prefix length; a glue node always has two children, so the trie has
 * fewer than two nodes per entry and its depth is at most the number of
 * distinct prefix lengths, 33 or 129.
 *
 * Keys are kept as two host-order u64 words, most significant bit first;
 * an IPv4 address fills the top 32 bits of the first word. Comparing a
 * prefix is then two XORs and a find-last-set.
 *
 * Writers hold the caller's mutex. They build a node completely before
 * publishing it with rcu_assign_pointer(), and unlink before freeing with
 * kfree_rcu(), so a reader walking concurrently sees either the old or the
 * new shape, both of which answer every lookup correctly.
 */
#include <linux/export.h>
#include <linux/slab.h>
#include <linux/bitops.h>
#include <linux/errno.h>
#include <linux/in6.h>
#include <linux/lockdep.h>
#include <linux/minmax.h>
#include "nt_compat.h"

#include "nt_prefix.h"

struct nt_prefix_node {
	struct nt_prefix_node __rcu *child[2];
	struct nt_prefix_node *parent;	/* writer side only */
	void __rcu *value;		/* NULL in glue nodes */
	u64 key[2];
	u8 cidr;
	u8 family;
	struct rcu_head rcu;
};

#define wderef(t, p) rcu_dereference_protected(p, lockdep_is_held((t)->lock))

static void nt_pfx_key_load(int family, const void *addr, u64 key[2])
{
	if (family == AF_INET) {
		key[0] = (u64)get_unaligned_be32(addr) << 32;
		key[1] = 0;
	} else {
		key[0] = get_unaligned_be64(addr);
		key[1] = get_unaligned_be64((const u8 *)addr + 8);
	}
}

static void nt_pfx_key_store(int family, const u64 key[2], struct nt_prefix *p)
{
	memset(&p->addr, 0, sizeof(p->addr));
	if (family == AF_INET) {
		put_unaligned_be32(key[0] >> 32, p->addr.bytes);
	} else {
		put_unaligned_be64(key[0], p->addr.bytes);
		put_unaligned_be64(key[1], p->addr.bytes + 8);
	}
}

static void nt_pfx_key_mask(u64 key[2], unsigned int cidr)
{
	if (cidr == 0) {
		key[0] = 0;
		key[1] = 0;
	} else if (cidr <= 64) {
		key[0] &= ~0ULL << (64 - cidr);
		key[1] = 0;
	} else {
		key[1] &= ~0ULL << (128 - cidr);
	}
}

/* Number of leading bits @a and @b share, at most @max. */
static unsigned int nt_pfx_common_bits(const u64 a[2], const u64 b[2],
				       unsigned int max)
{
	u64 x = a[0] ^ b[0];
	unsigned int n;

	if (x) {
		n = 64 - fls64(x);
	} else {
		x = a[1] ^ b[1];
		n = x ? 128 - fls64(x) : 128;
	}
	return min(n, max);
}

/* Bit @b (0 = most significant) of @key, for b < 128. */
static unsigned int nt_pfx_key_bit(const u64 key[2], unsigned int b)
{
	if (b < 64)
		return (key[0] >> (63 - b)) & 1;
	return (key[1] >> (127 - b)) & 1;
}

static bool nt_pfx_prefix_valid(const struct nt_prefix *p)
{
	unsigned int max = nt_prefix_max_cidr(p->family);

	return max && p->cidr <= max;
}

static struct nt_prefix_node __rcu **root_slot(struct nt_prefix_table *t,
					       int family)
{
	return family == AF_INET ? &t->root4 : &t->root6;
}

void nt_prefix_table_init(struct nt_prefix_table *t, struct mutex *lock)
{
	RCU_INIT_POINTER(t->root4, NULL);
	RCU_INIT_POINTER(t->root6, NULL);
	t->lock = lock;
	t->entries = 0;
	t->nodes = 0;
	t->generation = 0;
}
EXPORT_SYMBOL_NS_GPL(nt_prefix_table_init, NTKIT);

int nt_prefix_reserve(struct nt_prefix_reserve *r, unsigned int inserts,
		      gfp_t gfp)
{
	unsigned long want = 2UL * inserts;
	struct nt_prefix_node *n;

	while (r->count < want) {
		n = kzalloc(sizeof(*n), gfp);
		if (!n)
			return -ENOMEM;
		RCU_INIT_POINTER(n->child[0], r->free);
		r->free = n;
		r->count++;
	}
	return 0;
}
EXPORT_SYMBOL_NS_GPL(nt_prefix_reserve, NTKIT);

void nt_prefix_reserve_free(struct nt_prefix_reserve *r)
{
	struct nt_prefix_node *n;

	while ((n = r->free)) {
		r->free = rcu_dereference_protected(n->child[0], 1);
		kfree(n);
	}
	r->count = 0;
}
EXPORT_SYMBOL_NS_GPL(nt_prefix_reserve_free, NTKIT);

/* A zeroed node from @r if there is one, else from the allocator. */
static struct nt_prefix_node *nt_pfx_node_alloc(struct nt_prefix_reserve *r,
						gfp_t gfp)
{
	struct nt_prefix_node *n;

	if (!r)
		return kzalloc(sizeof(*n), gfp);
	n = r->free;
	if (!n)
		return NULL;
	r->free = rcu_dereference_protected(n->child[0], 1);
	r->count--;
	memset(n, 0, sizeof(*n));
	return n;
}

/* Give back a node that was never published. */
static void nt_pfx_node_unalloc(struct nt_prefix_reserve *r, struct nt_prefix_node *n)
{
	if (!r) {
		kfree(n);
		return;
	}
	RCU_INIT_POINTER(n->child[0], r->free);
	r->free = n;
	r->count++;
}

static struct nt_prefix_node *nt_pfx_node_new(const u64 key[2], unsigned int cidr,
					      int family, void *value, gfp_t gfp,
				       struct nt_prefix_reserve *r)
{
	struct nt_prefix_node *n = nt_pfx_node_alloc(r, gfp);

	if (!n)
		return NULL;
	n->key[0] = key[0];
	n->key[1] = key[1];
	nt_pfx_key_mask(n->key, cidr);
	n->cidr = cidr;
	n->family = family;
	RCU_INIT_POINTER(n->value, value);
	return n;
}

/* The node holding exactly @key/@cidr, glue or not, or NULL. */
static struct nt_prefix_node *nt_pfx_find_exact(struct nt_prefix_table *t,
						int family, const u64 key[2],
					 unsigned int cidr)
{
	struct nt_prefix_node *node;

	node = rcu_dereference_check(*root_slot(t, family),
				     lockdep_is_held(t->lock));
	while (node && node->cidr <= cidr) {
		if (nt_pfx_common_bits(key, node->key, node->cidr) != node->cidr)
			return NULL;
		if (node->cidr == cidr)
			return node;
		node = rcu_dereference_check(node->child[nt_pfx_key_bit(key, node->cidr)],
					     lockdep_is_held(t->lock));
	}
	return NULL;
}

static int nt_pfx_insert(struct nt_prefix_table *t, const struct nt_prefix *p,
			 void *value, bool noreplace, void **old, gfp_t gfp,
		  struct nt_prefix_reserve *r)
{
	struct nt_prefix_node __rcu **slot;
	struct nt_prefix_node *node, *parent = NULL, *n, *glue;
	unsigned int common = 0, cidr = p->cidr;
	u64 key[2];

	if (old)
		*old = NULL;
	if (!nt_pfx_prefix_valid(p) || !value)
		return -EINVAL;
	nt_pfx_key_load(p->family, p->addr.bytes, key);
	nt_pfx_key_mask(key, cidr);

	slot = root_slot(t, p->family);
	node = wderef(t, *slot);
	while (node) {
		common = nt_pfx_common_bits(key, node->key, min_t(unsigned int, cidr,
								  node->cidr));
		if (common != node->cidr)
			break;
		if (node->cidr == cidr) {
			void *prev = wderef(t, node->value);

			if (prev && noreplace)
				return -EEXIST;
			rcu_assign_pointer(node->value, value);
			if (!prev)
				t->entries++;
			if (old)
				*old = prev;
			t->generation++;
			return 0;
		}
		parent = node;
		slot = &node->child[nt_pfx_key_bit(key, node->cidr)];
		node = wderef(t, *slot);
	}

	n = nt_pfx_node_new(key, cidr, p->family, value, gfp, r);
	if (!n)
		return -ENOMEM;
	n->parent = parent;

	if (!node) {
		/* An empty slot below the longest prefix covering ours. */
		rcu_assign_pointer(*slot, n);
	} else if (common == cidr) {
		/* Ours is shorter and covers @node: it goes in between. */
		RCU_INIT_POINTER(n->child[nt_pfx_key_bit(node->key, cidr)], node);
		node->parent = n;
		rcu_assign_pointer(*slot, n);
	} else {
		/* Ours and @node diverge at bit @common: join them by glue. */
		glue = nt_pfx_node_new(key, common, p->family, NULL, gfp, r);
		if (!glue) {
			nt_pfx_node_unalloc(r, n);
			return -ENOMEM;
		}
		glue->parent = parent;
		RCU_INIT_POINTER(glue->child[nt_pfx_key_bit(key, common)], n);
		RCU_INIT_POINTER(glue->child[nt_pfx_key_bit(node->key, common)], node);
		n->parent = glue;
		node->parent = glue;
		rcu_assign_pointer(*slot, glue);
		t->nodes++;
	}
	t->nodes++;
	t->entries++;
	t->generation++;
	return 0;
}

int nt_prefix_insert(struct nt_prefix_table *t, const struct nt_prefix *p,
		     void *value, bool noreplace, void **old, gfp_t gfp)
{
	return nt_pfx_insert(t, p, value, noreplace, old, gfp, NULL);
}
EXPORT_SYMBOL_NS_GPL(nt_prefix_insert, NTKIT);

int nt_prefix_insert_reserved(struct nt_prefix_table *t,
			      const struct nt_prefix *p, void *value,
			      bool noreplace, void **old,
			      struct nt_prefix_reserve *r)
{
	return nt_pfx_insert(t, p, value, noreplace, old, 0, r);
}
EXPORT_SYMBOL_NS_GPL(nt_prefix_insert_reserved, NTKIT);

static struct nt_prefix_node __rcu **parent_slot(struct nt_prefix_table *t,
						 struct nt_prefix_node *node)
{
	struct nt_prefix_node *p = node->parent;

	if (!p)
		return root_slot(t, node->family);
	if (rcu_access_pointer(p->child[0]) == node)
		return &p->child[0];
	return &p->child[1];
}

/* Unlink @node, which holds no value, if it no longer joins two subtrees. */
static void nt_pfx_prune(struct nt_prefix_table *t, struct nt_prefix_node *node)
{
	struct nt_prefix_node *c0, *c1, *child, *parent;

	while (node && !rcu_access_pointer(node->value)) {
		c0 = wderef(t, node->child[0]);
		c1 = wderef(t, node->child[1]);
		if (c0 && c1)
			return;
		child = c0 ? c0 : c1;
		parent = node->parent;
		if (child)
			child->parent = parent;
		rcu_assign_pointer(*parent_slot(t, node), child);
		kfree_rcu(node, rcu);
		t->nodes--;
		/* A glue parent left with one child goes too. */
		node = child ? NULL : parent;
	}
}

void *nt_prefix_delete(struct nt_prefix_table *t, const struct nt_prefix *p)
{
	struct nt_prefix_node *node;
	void *value;
	u64 key[2];

	if (!nt_pfx_prefix_valid(p))
		return NULL;
	nt_pfx_key_load(p->family, p->addr.bytes, key);
	nt_pfx_key_mask(key, p->cidr);
	node = nt_pfx_find_exact(t, p->family, key, p->cidr);
	if (!node)
		return NULL;
	value = wderef(t, node->value);
	if (!value)
		return NULL;
	RCU_INIT_POINTER(node->value, NULL);
	t->entries--;
	t->generation++;
	nt_pfx_prune(t, node);
	return value;
}
EXPORT_SYMBOL_NS_GPL(nt_prefix_delete, NTKIT);

void *nt_prefix_get(struct nt_prefix_table *t, const struct nt_prefix *p)
{
	struct nt_prefix_node *node;
	u64 key[2];

	if (!nt_pfx_prefix_valid(p))
		return NULL;
	nt_pfx_key_load(p->family, p->addr.bytes, key);
	nt_pfx_key_mask(key, p->cidr);
	node = nt_pfx_find_exact(t, p->family, key, p->cidr);
	if (!node)
		return NULL;
	return rcu_dereference_check(node->value, lockdep_is_held(t->lock));
}
EXPORT_SYMBOL_NS_GPL(nt_prefix_get, NTKIT);

void *nt_prefix_lookup(const struct nt_prefix_table *t, int family,
		       const void *addr, u8 *cidr)
{
	const struct nt_prefix_node *node;
	void *best = NULL, *v;
	u8 best_cidr = 0;
	u64 key[2];

	if (family == AF_INET)
		node = rcu_dereference(t->root4);
	else if (family == AF_INET6)
		node = rcu_dereference(t->root6);
	else
		return NULL;
	nt_pfx_key_load(family, addr, key);

	while (node) {
		if (nt_pfx_common_bits(key, node->key, node->cidr) != node->cidr)
			break;
		v = rcu_dereference(node->value);
		if (v) {
			best = v;
			best_cidr = node->cidr;
		}
		if (node->cidr == nt_prefix_max_cidr(family))
			break;
		node = rcu_dereference(node->child[nt_pfx_key_bit(key, node->cidr)]);
	}
	if (cidr)
		*cidr = best_cidr;
	return best;
}
EXPORT_SYMBOL_NS_GPL(nt_prefix_lookup, NTKIT);

/* The next node in walk order that is not under @node; writer side. */
static struct nt_prefix_node *nt_pfx_walk_up(struct nt_prefix_table *t,
					     struct nt_prefix_node *node)
{
	struct nt_prefix_node *c, *p;

	for (p = node->parent; p; node = p, p = p->parent) {
		if (wderef(t, p->child[0]) == node) {
			c = wderef(t, p->child[1]);
			if (c)
				return c;
		}
	}
	return NULL;
}

/* Pre-order successor of @node; writer side (uses parent pointers). */
static struct nt_prefix_node *nt_pfx_walk_next(struct nt_prefix_table *t,
					       struct nt_prefix_node *node)
{
	struct nt_prefix_node *c;

	c = wderef(t, node->child[0]);
	if (c)
		return c;
	c = wderef(t, node->child[1]);
	if (c)
		return c;
	return nt_pfx_walk_up(t, node);
}

/*
 * The first node under @node that comes after @key/@cidr in walk order,
 * which is (key, cidr) order: a subtree is one interval of it, so one
 * descent finds the place, whether @key/@cidr is in the trie or not.
 */
static struct nt_prefix_node *nt_pfx_walk_seek(struct nt_prefix_table *t,
					       struct nt_prefix_node *node,
					const u64 key[2], unsigned int cidr)
{
	struct nt_prefix_node *c;
	unsigned int common, len;
	bool bit;

	while (node) {
		len = min_t(unsigned int, cidr, node->cidr);
		common = nt_pfx_common_bits(key, node->key, len);
		if (common < len) {
			/* They diverge: the subtree is wholly on one side. */
			if (nt_pfx_key_bit(node->key, common))
				return node;
			return nt_pfx_walk_up(t, node);
		}
		if (node->cidr > cidr)
			return node;		/* it extends @key/@cidr */
		if (node->cidr == cidr)
			return nt_pfx_walk_next(t, node);
		/* It covers @key/@cidr, so comes first: go down. */
		bit = nt_pfx_key_bit(key, node->cidr);
		c = wderef(t, node->child[bit]);
		if (c) {
			node = c;
			continue;
		}
		if (!bit) {
			c = wderef(t, node->child[1]);
			if (c)
				return c;
		}
		return nt_pfx_walk_up(t, node);
	}
	return NULL;
}

int nt_prefix_walk(struct nt_prefix_table *t, int family,
		   const struct nt_prefix *after, nt_prefix_walk_fn fn,
		   void *arg)
{
	static const int families[] = { AF_INET, AF_INET6 };
	struct nt_prefix_node *node;
	struct nt_prefix p;
	unsigned int i;
	u64 key[2];
	void *v;
	int ret;

	if (after && !nt_pfx_prefix_valid(after))
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(families); i++) {
		if (family != AF_UNSPEC && family != families[i])
			continue;
		/* IPv4 comes before IPv6 */
		if (after && after->family == AF_INET6 &&
		    families[i] == AF_INET)
			continue;
		node = wderef(t, *root_slot(t, families[i]));
		if (after && after->family == families[i]) {
			nt_pfx_key_load(after->family, after->addr.bytes, key);
			nt_pfx_key_mask(key, after->cidr);
			node = nt_pfx_walk_seek(t, node, key, after->cidr);
		}
		for (; node; node = nt_pfx_walk_next(t, node)) {
			v = wderef(t, node->value);
			if (!v)
				continue;
			p.family = node->family;
			p.cidr = node->cidr;
			nt_pfx_key_store(node->family, node->key, &p);
			ret = fn(&p, v, arg);
			if (ret)
				return ret;
		}
	}
	return 0;
}
EXPORT_SYMBOL_NS_GPL(nt_prefix_walk, NTKIT);

static struct nt_prefix_node *nt_pfx_first_leaf(struct nt_prefix_table *t,
						struct nt_prefix_node *node)
{
	struct nt_prefix_node *c;

	for (;;) {
		c = wderef(t, node->child[0]);
		if (!c)
			c = wderef(t, node->child[1]);
		if (!c)
			return node;
		node = c;
	}
}

static void nt_pfx_flush_root(struct nt_prefix_table *t,
			      struct nt_prefix_node __rcu **root,
		       void (*fn)(void *value, void *arg), void *arg)
{
	struct nt_prefix_node *node = wderef(t, *root), *p, *next, *c1;
	void *v;

	if (!node)
		return;
	RCU_INIT_POINTER(*root, NULL);
	/*
	 * Post-order over the detached trie, without touching it: readers
	 * that entered before the unlink may still walk it, and they must
	 * keep seeing the whole of it until the grace period ends.
	 */
	node = nt_pfx_first_leaf(t, node);
	while (node) {
		p = node->parent;
		next = p;
		if (p && wderef(t, p->child[0]) == node) {
			c1 = wderef(t, p->child[1]);
			if (c1)
				next = nt_pfx_first_leaf(t, c1);
		}
		v = wderef(t, node->value);
		if (v && fn)
			fn(v, arg);
		kfree_rcu(node, rcu);
		node = next;
	}
}

void nt_prefix_flush(struct nt_prefix_table *t,
		     void (*fn)(void *value, void *arg), void *arg)
{
	nt_pfx_flush_root(t, &t->root4, fn, arg);
	nt_pfx_flush_root(t, &t->root6, fn, arg);
	t->entries = 0;
	t->nodes = 0;
	t->generation++;
}
EXPORT_SYMBOL_NS_GPL(nt_prefix_flush, NTKIT);
