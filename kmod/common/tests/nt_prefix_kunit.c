// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for the ntkit prefix table: the trie against a brute-force
 * longest-prefix reference on thousands of random, overlapping prefixes of
 * both families, the edges (/0, /32, /128, replacement, delete-all), the
 * shape invariants, resumable walks, lookups racing with writers, and
 * inserts from a reserve of nodes (enough, and too few).
 */
#include <kunit/test.h>
#include <linux/kthread.h>
#include <linux/prandom.h>
#include <linux/delay.h>
#include <linux/atomic.h>
#include <linux/inet.h>

/*
 * The table's own source, for its internals (node shape, key helpers);
 * without its exports, so that nt_common.ko can be loaded beside it.
 */
#include <linux/export.h>
#undef EXPORT_SYMBOL_NS_GPL
#define EXPORT_SYMBOL_NS_GPL(sym, ns)
#include "../nt_prefix.c"

#define REF_MAX		6000
#define SEEDS		12

struct ref_entry {
	u64 key[2];
	u8 cidr;
	u8 family;
	bool live;
	unsigned long value;
};

struct ref {
	struct ref_entry *e;
	unsigned int n;
};

static void *val(unsigned long v)
{
	return (void *)v;
}

static void make_prefix(struct nt_prefix *p, int family, const char *s,
			unsigned int cidr)
{
	memset(p, 0, sizeof(*p));
	p->family = family;
	p->cidr = cidr;
	if (family == AF_INET)
		WARN_ON(!in4_pton(s, -1, p->addr.bytes, -1, NULL));
	else
		WARN_ON(!in6_pton(s, -1, p->addr.bytes, -1, NULL));
}

static void prefix_from_key(struct nt_prefix *p, int family, const u64 key[2],
			    unsigned int cidr)
{
	nt_pfx_key_store(family, key, p);
	p->family = family;
	p->cidr = cidr;
}

/* Brute force: the longest live entry covering @key. */
static unsigned long ref_lookup(const struct ref *r, int family,
				const u64 key[2], unsigned int *cidr)
{
	unsigned long best = 0;
	int best_cidr = -1;
	unsigned int i;

	for (i = 0; i < r->n; i++) {
		const struct ref_entry *e = &r->e[i];
		u64 k[2] = { key[0], key[1] };

		if (!e->live || e->family != family || e->cidr <= best_cidr)
			continue;
		nt_pfx_key_mask(k, e->cidr);
		if (k[0] == e->key[0] && k[1] == e->key[1]) {
			best = e->value;
			best_cidr = e->cidr;
		}
	}
	*cidr = best_cidr < 0 ? 0 : best_cidr;
	return best;
}

static struct ref_entry *ref_find(struct ref *r, int family, const u64 key[2],
				  unsigned int cidr)
{
	unsigned int i;

	for (i = 0; i < r->n; i++) {
		struct ref_entry *e = &r->e[i];

		if (e->family == family && e->cidr == cidr &&
		    e->key[0] == key[0] && e->key[1] == key[1])
			return e;
	}
	return NULL;
}

/* Check parent links, prefix nesting, glue shape; return the node count. */
static unsigned int check_shape(struct kunit *test, struct nt_prefix_table *t,
				struct nt_prefix_node *node,
				struct nt_prefix_node *parent, int side,
				unsigned int *entries)
{
	unsigned int n = 1, i;
	u64 k[2];

	if (!node)
		return 0;
	KUNIT_EXPECT_PTR_EQ(test, node->parent, parent);
	k[0] = node->key[0];
	k[1] = node->key[1];
	nt_pfx_key_mask(k, node->cidr);
	KUNIT_EXPECT_TRUE(test, k[0] == node->key[0] && k[1] == node->key[1]);
	if (parent) {
		KUNIT_EXPECT_GT(test, node->cidr, parent->cidr);
		KUNIT_EXPECT_EQ(test, nt_pfx_common_bits(node->key, parent->key,
							 parent->cidr),
				(unsigned int)parent->cidr);
		KUNIT_EXPECT_EQ(test, nt_pfx_key_bit(node->key, parent->cidr),
				(unsigned int)side);
	}
	if (rcu_access_pointer(node->value))
		(*entries)++;
	else
		KUNIT_EXPECT_TRUE(test, rcu_access_pointer(node->child[0]) &&
				  rcu_access_pointer(node->child[1]));
	for (i = 0; i < 2; i++)
		n += check_shape(test, t, wderef(t, node->child[i]), node, i,
				 entries);
	return n;
}

static void check_table(struct kunit *test, struct nt_prefix_table *t,
			const struct ref *r)
{
	unsigned int entries = 0, nodes, live = 0, i;

	nodes = check_shape(test, t, wderef(t, t->root4), NULL, 0, &entries);
	nodes += check_shape(test, t, wderef(t, t->root6), NULL, 0, &entries);
	for (i = 0; i < r->n; i++)
		live += r->e[i].live;
	KUNIT_EXPECT_EQ(test, entries, live);
	KUNIT_EXPECT_EQ(test, t->entries, live);
	KUNIT_EXPECT_EQ(test, t->nodes, nodes);
	KUNIT_EXPECT_LE(test, nodes, live ? 2 * live - 1 : 0);
}

static void random_key(struct rnd_state *rnd, const u64 seeds[][2],
		       int family, u64 key[2])
{
	unsigned int max = nt_prefix_max_cidr(family);
	unsigned int keep = prandom_u32_state(rnd) % (max + 1);
	const u64 *s = seeds[prandom_u32_state(rnd) % SEEDS];
	u64 r[2];

	/* A seed's first @keep bits, random bits after: prefixes overlap. */
	r[0] = ((u64)prandom_u32_state(rnd) << 32) | prandom_u32_state(rnd);
	r[1] = ((u64)prandom_u32_state(rnd) << 32) | prandom_u32_state(rnd);
	key[0] = s[0];
	key[1] = s[1];
	nt_pfx_key_mask(key, keep);
	if (keep < 64) {
		key[0] |= r[0] & (keep ? ~(~0ULL << (64 - keep)) : ~0ULL);
		key[1] = r[1];
	} else if (keep < 128) {
		key[1] |= r[1] & (keep > 64 ? ~(~0ULL << (128 - keep)) :
				  ~0ULL);
	}
	if (family == AF_INET) {
		key[0] &= ~0ULL << 32;
		key[1] = 0;
	}
}

static unsigned int random_cidr(struct rnd_state *rnd, int family)
{
	unsigned int max = nt_prefix_max_cidr(family);
	u32 x = prandom_u32_state(rnd);

	/* Mostly real-world lengths, sometimes anything, /0 and /max. */
	switch (x % 8) {
	case 0:
		return 0;
	case 1:
		return max;
	case 2:
	case 3:
		return (x >> 8) % (max + 1);
	default:
		return family == AF_INET ? 8 + (x >> 8) % 17 :
					   16 + (x >> 8) % 49;
	}
}

static void compare_lookups(struct kunit *test, struct nt_prefix_table *t,
			    const struct ref *r, struct rnd_state *rnd,
			    const u64 seeds[2][SEEDS][2], unsigned int count)
{
	unsigned int i, want_cidr, bad = 0;
	unsigned long want;
	struct nt_prefix p;
	void *got;
	u8 got_cidr;
	u64 key[2];
	int family;

	for (i = 0; i < count; i++) {
		family = (i & 1) ? AF_INET6 : AF_INET;
		if (r->n && (i & 2)) {
			/* An address inside a known prefix. */
			const struct ref_entry *e =
				&r->e[prandom_u32_state(rnd) % r->n];

			family = e->family;
			random_key(rnd, seeds[family == AF_INET6], family,
				   key);
			if (e->cidr) {
				u64 k[2] = { key[0], key[1] };
				u64 m[2] = { ~0ULL, ~0ULL };

				nt_pfx_key_mask(m, e->cidr);
				key[0] = e->key[0] | (k[0] & ~m[0]);
				key[1] = e->key[1] | (k[1] & ~m[1]);
				if (family == AF_INET) {
					key[0] &= ~0ULL << 32;
					key[1] = 0;
				}
			}
		} else {
			random_key(rnd, seeds[family == AF_INET6], family,
				   key);
		}
		prefix_from_key(&p, family, key, 0);
		want = ref_lookup(r, family, key, &want_cidr);
		rcu_read_lock();
		got = nt_prefix_lookup(t, family, p.addr.bytes, &got_cidr);
		rcu_read_unlock();
		if (got != val(want) || (want && got_cidr != want_cidr)) {
			if (bad++ < 5)
				KUNIT_FAIL(test,
					   "lookup %s %pI6c: got %lu/%u want %lu/%u",
					   family == AF_INET ? "v4" : "v6",
					   p.addr.bytes, (unsigned long)got,
					   got_cidr, want, want_cidr);
		}
	}
	KUNIT_EXPECT_EQ(test, bad, 0U);
}

struct walk_ctx {
	struct kunit *test;
	const struct ref *r;
	unsigned int seen;
	unsigned long prev_value;
	struct nt_prefix first;
};

static int walk_check(const struct nt_prefix *p, void *value, void *arg)
{
	struct walk_ctx *w = arg;
	struct ref_entry *e;
	u64 key[2];

	nt_pfx_key_load(p->family, p->addr.bytes, key);
	e = ref_find((struct ref *)w->r, p->family, key, p->cidr);
	KUNIT_EXPECT_TRUE(w->test, e && e->live);
	if (e)
		KUNIT_EXPECT_PTR_EQ(w->test, value, val(e->value));
	if (!w->seen)
		w->first = *p;
	w->seen++;
	return 0;
}

static int walk_stop_at_first(const struct nt_prefix *p, void *value,
			      void *arg)
{
	*(struct nt_prefix *)arg = *p;
	return 1;
}

/* Walk order by brute force: IPv4 first, then (address, cidr). */
static int prefix_cmp(const struct nt_prefix *a, const struct nt_prefix *b)
{
	u64 ka[2], kb[2];

	if (a->family != b->family)
		return a->family == AF_INET ? -1 : 1;
	nt_pfx_key_load(a->family, a->addr.bytes, ka);
	nt_pfx_key_mask(ka, a->cidr);
	nt_pfx_key_load(b->family, b->addr.bytes, kb);
	nt_pfx_key_mask(kb, b->cidr);
	if (ka[0] != kb[0])
		return ka[0] < kb[0] ? -1 : 1;
	if (ka[1] != kb[1])
		return ka[1] < kb[1] ? -1 : 1;
	return (int)a->cidr - (int)b->cidr;
}

struct walk_list {
	struct nt_prefix *p;
	unsigned int n;
	unsigned int max;
};

static int walk_collect(const struct nt_prefix *p, void *value, void *arg)
{
	struct walk_list *l = arg;

	if (l->n == l->max)
		return -ENOSPC;
	l->p[l->n++] = *p;
	return 0;
}

/*
 * The walk is in (family, address, cidr) order, and a walk after any
 * prefix, in the table or not, yields exactly the entries after it: what a
 * dump resumed after its last prefix must send, even if that prefix was
 * deleted meanwhile.
 */
static void check_resume(struct kunit *test, struct nt_prefix_table *t,
			 struct rnd_state *rnd,
			 const u64 seeds[2][SEEDS][2])
{
	struct walk_list all = { .max = t->entries + 1 };
	struct walk_list part = { .max = t->entries + 1 };
	struct nt_prefix after;
	unsigned int i, k, want;
	u64 key[2];
	int family;

	all.p = kunit_kcalloc(test, all.max, sizeof(*all.p), GFP_KERNEL);
	part.p = kunit_kcalloc(test, part.max, sizeof(*part.p), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, all.p);
	KUNIT_ASSERT_NOT_NULL(test, part.p);
	KUNIT_ASSERT_EQ(test, nt_prefix_walk(t, AF_UNSPEC, NULL, walk_collect,
					     &all), 0);
	KUNIT_ASSERT_EQ(test, all.n, t->entries);
	for (i = 1; i < all.n; i++)
		KUNIT_EXPECT_LT(test, prefix_cmp(&all.p[i - 1], &all.p[i]), 0);

	for (k = 0; k < 100; k++) {
		if (k % 2 && all.n) {
			after = all.p[prandom_u32_state(rnd) % all.n];
		} else {
			family = prandom_u32_state(rnd) % 2 ? AF_INET6 : AF_INET;
			random_key(rnd, seeds[family == AF_INET6], family, key);
			prefix_from_key(&after, family, key,
					prandom_u32_state(rnd) %
					(nt_prefix_max_cidr(family) + 1));
		}
		for (want = 0; want < all.n; want++)
			if (prefix_cmp(&all.p[want], &after) > 0)
				break;
		part.n = 0;
		KUNIT_ASSERT_EQ(test, nt_prefix_walk(t, AF_UNSPEC, &after,
						     walk_collect, &part), 0);
		KUNIT_EXPECT_EQ(test, part.n, all.n - want);
		for (i = 0; i < part.n && i + want < all.n; i++)
			if (prefix_cmp(&part.p[i], &all.p[want + i]))
				break;
		KUNIT_EXPECT_EQ(test, i, part.n);
	}
	after.family = AF_INET;
	after.cidr = 33;
	KUNIT_EXPECT_EQ(test, nt_prefix_walk(t, AF_UNSPEC, &after,
					     walk_collect, &part), -EINVAL);
}

static void random_round(struct kunit *test, struct nt_prefix_table *t,
			 struct ref *r, struct rnd_state *rnd,
			 const u64 seeds[2][SEEDS][2], unsigned int ops,
			 unsigned long *next_value)
{
	unsigned int i, cidr;
	struct ref_entry *e;
	struct nt_prefix p;
	void *old;
	u64 key[2];
	int family, err;

	for (i = 0; i < ops; i++) {
		u32 op = prandom_u32_state(rnd) % 10;

		if (op < 2 && r->n) {
			/* Delete a random reference entry (maybe absent). */
			e = &r->e[prandom_u32_state(rnd) % r->n];
			prefix_from_key(&p, e->family, e->key, e->cidr);
			old = nt_prefix_delete(t, &p);
			KUNIT_EXPECT_PTR_EQ(test, old,
					    e->live ? val(e->value) : NULL);
			e->live = false;
			continue;
		}
		family = (prandom_u32_state(rnd) & 1) ? AF_INET6 : AF_INET;
		random_key(rnd, seeds[family == AF_INET6], family, key);
		cidr = random_cidr(rnd, family);
		prefix_from_key(&p, family, key, cidr);
		nt_pfx_key_mask(key, cidr);
		e = ref_find(r, family, key, cidr);
		if (!e) {
			if (r->n == REF_MAX)
				continue;
			e = &r->e[r->n++];
			e->key[0] = key[0];
			e->key[1] = key[1];
			e->cidr = cidr;
			e->family = family;
			e->live = false;
		}
		err = nt_prefix_insert(t, &p, val(*next_value), false, &old,
				       GFP_KERNEL);
		KUNIT_ASSERT_EQ(test, err, 0);
		KUNIT_EXPECT_PTR_EQ(test, old, e->live ? val(e->value) : NULL);
		e->live = true;
		e->value = (*next_value)++;
	}
}

static void nt_prefix_test_random(struct kunit *test)
{
	static u64 seeds[2][SEEDS][2];
	unsigned long next_value = 1;
	struct nt_prefix_table t;
	struct walk_ctx w = { .test = test };
	struct nt_prefix first;
	struct rnd_state rnd;
	struct mutex lock;	/* the table's writer lock */
	struct ref r = {};
	unsigned int round, i, live;

	prandom_seed_state(&rnd, 0x6e746b6974ULL);
	for (i = 0; i < SEEDS; i++) {
		random_key(&rnd, seeds[0], AF_INET6, seeds[1][i]);
		seeds[0][i][0] = seeds[1][i][0] & (~0ULL << 32);
		seeds[0][i][1] = 0;
	}
	r.e = kunit_kcalloc(test, REF_MAX, sizeof(*r.e), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r.e);
	mutex_init(&lock);
	mutex_lock(&lock);
	nt_prefix_table_init(&t, &lock);

	for (round = 0; round < 4; round++) {
		random_round(test, &t, &r, &rnd, seeds, 1500, &next_value);
		check_table(test, &t, &r);
		compare_lookups(test, &t, &r, &rnd, seeds, 6000);

		w.r = &r;
		w.seen = 0;
		nt_prefix_walk(&t, AF_UNSPEC, NULL, walk_check, &w);
		KUNIT_EXPECT_EQ(test, w.seen, t.entries);
		if (t.entries) {
			nt_prefix_walk(&t, AF_UNSPEC, NULL, walk_stop_at_first,
				       &first);
			KUNIT_EXPECT_EQ(test, prefix_cmp(&first, &w.first), 0);
		}
		check_resume(test, &t, &rnd, seeds);
	}
	KUNIT_EXPECT_GT(test, t.entries, 1000U);

	/* Delete everything in random order: nothing may stay behind. */
	live = t.entries;
	for (i = 0; i < r.n * 2 && live; i++) {
		struct ref_entry *e = &r.e[prandom_u32_state(&rnd) % r.n];
		struct nt_prefix p;

		if (!e->live)
			continue;
		prefix_from_key(&p, e->family, e->key, e->cidr);
		KUNIT_EXPECT_PTR_EQ(test, nt_prefix_delete(&t, &p),
				    val(e->value));
		e->live = false;
		live--;
		if (live % 500 == 0) {
			check_table(test, &t, &r);
			compare_lookups(test, &t, &r, &rnd, seeds, 1000);
		}
	}
	for (i = 0; i < r.n; i++) {
		struct ref_entry *e = &r.e[i];
		struct nt_prefix p;

		if (!e->live)
			continue;
		prefix_from_key(&p, e->family, e->key, e->cidr);
		KUNIT_EXPECT_PTR_EQ(test, nt_prefix_delete(&t, &p),
				    val(e->value));
		e->live = false;
	}
	KUNIT_EXPECT_EQ(test, t.entries, 0U);
	KUNIT_EXPECT_EQ(test, t.nodes, 0U);
	KUNIT_EXPECT_NULL(test, rcu_access_pointer(t.root4));
	KUNIT_EXPECT_NULL(test, rcu_access_pointer(t.root6));
	compare_lookups(test, &t, &r, &rnd, seeds, 1000);
	mutex_unlock(&lock);
}

/* nt_prefix_mask(): host bits cleared, the prefix's kept, both families. */
static void nt_prefix_test_mask(struct kunit *test)
{
	static const struct {
		int family;
		const char *in, *out;
		unsigned int cidr;
	} c[] = {
		{ AF_INET, "10.1.2.3", "10.0.0.0", 8 },
		{ AF_INET, "10.1.2.3", "10.1.2.3", 32 },
		{ AF_INET, "10.1.2.255", "10.1.2.128", 25 },
		{ AF_INET, "255.255.255.255", "0.0.0.0", 0 },
		{ AF_INET6, "2001:db8:ffff::1", "2001:db8:ff00::", 40 },
		{ AF_INET6, "2001:db8::ffff:1", "2001:db8::", 64 },
		{ AF_INET6, "2001:db8::ffff:1", "2001:db8::ffff:1", 128 },
		{ AF_INET6, "ffff::", "8000::", 1 },
	};
	struct nt_prefix p, want;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(c); i++) {
		make_prefix(&p, c[i].family, c[i].in, c[i].cidr);
		make_prefix(&want, c[i].family, c[i].out, c[i].cidr);
		/* what lies past an IPv4 address is cleared too */
		if (c[i].family == AF_INET)
			memset(p.addr.bytes + 4, 0xa5, 12);
		nt_prefix_mask(&p);
		KUNIT_EXPECT_EQ_MSG(test, memcmp(p.addr.bytes, want.addr.bytes,
						 16), 0, "%s/%u", c[i].in,
				    c[i].cidr);
	}
}

static void nt_prefix_test_edges(struct kunit *test)
{
	struct nt_prefix_table t;
	struct nt_prefix p;
	struct mutex lock;	/* the table's writer lock */
	u8 addr[16], cidr;
	void *old;

	mutex_init(&lock);
	mutex_lock(&lock);
	nt_prefix_table_init(&t, &lock);

	/* /0 of each family matches only its own family. */
	make_prefix(&p, AF_INET, "0.0.0.0", 0);
	KUNIT_ASSERT_EQ(test, nt_prefix_insert(&t, &p, val(1), false, NULL,
					       GFP_KERNEL), 0);
	rcu_read_lock();
	in4_pton("203.0.113.9", -1, addr, -1, NULL);
	KUNIT_EXPECT_PTR_EQ(test, nt_prefix_lookup(&t, AF_INET, addr, &cidr),
			    val(1));
	KUNIT_EXPECT_EQ(test, cidr, 0);
	in6_pton("2001:db8::1", -1, addr, -1, NULL);
	KUNIT_EXPECT_NULL(test, nt_prefix_lookup(&t, AF_INET6, addr, NULL));
	rcu_read_unlock();

	make_prefix(&p, AF_INET6, "::", 0);
	KUNIT_ASSERT_EQ(test, nt_prefix_insert(&t, &p, val(2), false, NULL,
					       GFP_KERNEL), 0);
	/* /32 host route and /128 host route. */
	make_prefix(&p, AF_INET, "203.0.113.9", 32);
	KUNIT_ASSERT_EQ(test, nt_prefix_insert(&t, &p, val(3), false, NULL,
					       GFP_KERNEL), 0);
	make_prefix(&p, AF_INET6, "2001:db8::1", 128);
	KUNIT_ASSERT_EQ(test, nt_prefix_insert(&t, &p, val(4), false, NULL,
					       GFP_KERNEL), 0);
	make_prefix(&p, AF_INET6, "2001:db8::", 127);
	KUNIT_ASSERT_EQ(test, nt_prefix_insert(&t, &p, val(5), false, NULL,
					       GFP_KERNEL), 0);

	rcu_read_lock();
	in4_pton("203.0.113.9", -1, addr, -1, NULL);
	KUNIT_EXPECT_PTR_EQ(test, nt_prefix_lookup(&t, AF_INET, addr, &cidr),
			    val(3));
	KUNIT_EXPECT_EQ(test, cidr, 32);
	in4_pton("203.0.113.8", -1, addr, -1, NULL);
	KUNIT_EXPECT_PTR_EQ(test, nt_prefix_lookup(&t, AF_INET, addr, NULL),
			    val(1));
	in6_pton("2001:db8::1", -1, addr, -1, NULL);
	KUNIT_EXPECT_PTR_EQ(test, nt_prefix_lookup(&t, AF_INET6, addr, &cidr),
			    val(4));
	KUNIT_EXPECT_EQ(test, cidr, 128);
	in6_pton("2001:db8::", -1, addr, -1, NULL);
	KUNIT_EXPECT_PTR_EQ(test, nt_prefix_lookup(&t, AF_INET6, addr, &cidr),
			    val(5));
	KUNIT_EXPECT_EQ(test, cidr, 127);
	in6_pton("2001:db8::2", -1, addr, -1, NULL);
	KUNIT_EXPECT_PTR_EQ(test, nt_prefix_lookup(&t, AF_INET6, addr, NULL),
			    val(2));
	rcu_read_unlock();

	/* Host bits past the prefix length are ignored: same prefix. */
	make_prefix(&p, AF_INET, "10.1.2.3", 8);
	KUNIT_EXPECT_EQ(test, nt_prefix_insert(&t, &p, val(6), false, NULL,
					       GFP_KERNEL), 0);
	make_prefix(&p, AF_INET, "10.0.0.0", 8);
	KUNIT_EXPECT_EQ(test, nt_prefix_insert(&t, &p, val(7), true, NULL,
					       GFP_KERNEL), -EEXIST);
	KUNIT_EXPECT_EQ(test, nt_prefix_insert(&t, &p, val(7), false, &old,
					       GFP_KERNEL), 0);
	KUNIT_EXPECT_PTR_EQ(test, old, val(6));
	KUNIT_EXPECT_PTR_EQ(test, nt_prefix_get(&t, &p), val(7));
	KUNIT_EXPECT_EQ(test, t.entries, 6U);

	/* Bad input is refused, never a crash. */
	make_prefix(&p, AF_INET, "10.0.0.0", 33);
	KUNIT_EXPECT_EQ(test, nt_prefix_insert(&t, &p, val(8), false, NULL,
					       GFP_KERNEL), -EINVAL);
	make_prefix(&p, AF_INET6, "::", 129);
	KUNIT_EXPECT_EQ(test, nt_prefix_insert(&t, &p, val(8), false, NULL,
					       GFP_KERNEL), -EINVAL);
	KUNIT_EXPECT_NULL(test, nt_prefix_delete(&t, &p));
	p.family = AF_UNSPEC;
	p.cidr = 0;
	KUNIT_EXPECT_EQ(test, nt_prefix_insert(&t, &p, val(8), false, NULL,
					       GFP_KERNEL), -EINVAL);
	make_prefix(&p, AF_INET, "10.0.0.0", 8);
	KUNIT_EXPECT_EQ(test, nt_prefix_insert(&t, &p, NULL, false, NULL,
					       GFP_KERNEL), -EINVAL);
	/* Deleting a glue node's prefix is a miss, not a removal. */
	make_prefix(&p, AF_INET6, "2001:db8::", 126);
	KUNIT_EXPECT_NULL(test, nt_prefix_delete(&t, &p));
	KUNIT_EXPECT_EQ(test, t.entries, 6U);

	/* Deleting the /0 leaves the host routes working. */
	make_prefix(&p, AF_INET, "0.0.0.0", 0);
	KUNIT_EXPECT_PTR_EQ(test, nt_prefix_delete(&t, &p), val(1));
	rcu_read_lock();
	in4_pton("203.0.113.8", -1, addr, -1, NULL);
	KUNIT_EXPECT_NULL(test, nt_prefix_lookup(&t, AF_INET, addr, NULL));
	in4_pton("203.0.113.9", -1, addr, -1, NULL);
	KUNIT_EXPECT_PTR_EQ(test, nt_prefix_lookup(&t, AF_INET, addr, NULL),
			    val(3));
	rcu_read_unlock();
	nt_prefix_flush(&t, NULL, NULL);
	KUNIT_EXPECT_EQ(test, t.nodes, 0U);
	mutex_unlock(&lock);
}

static void count_value(void *value, void *arg)
{
	(*(unsigned long *)arg) += (unsigned long)value;
}

static void nt_prefix_test_flush(struct kunit *test)
{
	struct nt_prefix_table t;
	unsigned long sum = 0, want = 0;
	struct nt_prefix p;
	struct mutex lock;	/* the table's writer lock */
	unsigned int i;
	u8 addr[16];

	mutex_init(&lock);
	mutex_lock(&lock);
	nt_prefix_table_init(&t, &lock);
	for (i = 0; i < 200; i++) {
		memset(&p, 0, sizeof(p));
		p.family = (i & 1) ? AF_INET6 : AF_INET;
		p.cidr = i % (p.family == AF_INET ? 33 : 129);
		p.addr.bytes[0] = i;
		p.addr.bytes[1] = i * 7;
		p.addr.bytes[3] = i * 13;
		if (nt_prefix_get(&t, &p))
			continue;
		KUNIT_ASSERT_EQ(test, nt_prefix_insert(&t, &p, val(i + 1),
						       true, NULL, GFP_KERNEL),
				0);
		want += i + 1;
	}
	nt_prefix_flush(&t, count_value, &sum);
	KUNIT_EXPECT_EQ(test, sum, want);
	KUNIT_EXPECT_EQ(test, t.entries, 0U);
	KUNIT_EXPECT_NULL(test, rcu_access_pointer(t.root4));
	rcu_read_lock();
	memset(addr, 0, sizeof(addr));
	KUNIT_EXPECT_NULL(test, nt_prefix_lookup(&t, AF_INET, addr, NULL));
	rcu_read_unlock();
	mutex_unlock(&lock);
}

/*
 * Readers race with a writer that keeps inserting and deleting prefixes
 * around a fixed set. Whatever the writer is doing, a lookup must find a
 * fixed entry at least as long as the longest fixed prefix covering the
 * address, and whatever it returns must cover the address. Under KASAN a
 * node freed too early shows up as a use-after-free.
 */
struct race {
	struct nt_prefix_table *t;
	atomic_t failures;
	atomic_long_t lookups;
};

/* Fixed entries: value = cidr + 1, prefix 10.0.0.0/cidr. */
static int race_reader(void *arg)
{
	struct race *rc = arg;
	u32 x = 12345;
	u8 addr[4];
	void *v;
	u8 cidr;

	while (!kthread_should_stop()) {
		x = x * 1103515245 + 12345;
		/* 10.0.x.y: covered by the fixed /8 and /16. */
		addr[0] = 10;
		addr[1] = 0;
		addr[2] = x >> 16;
		addr[3] = x >> 8;
		rcu_read_lock();
		v = nt_prefix_lookup(rc->t, AF_INET, addr, &cidr);
		rcu_read_unlock();
		if (!v || cidr < 16 ||
		    ((unsigned long)v != cidr + 1 && (unsigned long)v < 1000))
			atomic_inc(&rc->failures);
		atomic_long_inc(&rc->lookups);
		cond_resched();
	}
	return 0;
}

static void nt_prefix_test_rcu_race(struct kunit *test)
{
	struct task_struct *readers[2];
	struct nt_prefix_table t;
	struct race rc = {};
	struct nt_prefix p;
	struct mutex lock;	/* the table's writer lock */
	unsigned int i, j;
	u32 x = 42;

	mutex_init(&lock);
	nt_prefix_table_init(&t, &lock);
	rc.t = &t;
	mutex_lock(&lock);
	make_prefix(&p, AF_INET, "10.0.0.0", 8);
	nt_prefix_insert(&t, &p, val(9), false, NULL, GFP_KERNEL);
	make_prefix(&p, AF_INET, "10.0.0.0", 16);
	nt_prefix_insert(&t, &p, val(17), false, NULL, GFP_KERNEL);
	mutex_unlock(&lock);

	for (i = 0; i < ARRAY_SIZE(readers); i++) {
		readers[i] = kthread_run(race_reader, &rc, "nt_prefix_rd%u", i);
		KUNIT_ASSERT_FALSE(test, IS_ERR(readers[i]));
	}
	for (i = 0; i < 200; i++) {
		mutex_lock(&lock);
		/* Transient prefixes below the /16, values >= 1000. */
		for (j = 0; j < 40; j++) {
			x = x * 1103515245 + 12345;
			memset(&p, 0, sizeof(p));
			p.family = AF_INET;
			p.addr.bytes[0] = 10;
			p.addr.bytes[2] = x >> 16;
			p.addr.bytes[3] = x >> 8;
			p.cidr = 17 + (x >> 24) % 16;
			if (x & 1)
				nt_prefix_insert(&t, &p, val(1000 + j), false,
						 NULL, GFP_KERNEL);
			else
				nt_prefix_delete(&t, &p);
		}
		mutex_unlock(&lock);
		usleep_range(100, 200);
	}
	for (i = 0; i < ARRAY_SIZE(readers); i++)
		kthread_stop(readers[i]);
	mutex_lock(&lock);
	nt_prefix_flush(&t, NULL, NULL);
	mutex_unlock(&lock);
	synchronize_rcu();
	KUNIT_EXPECT_GT(test, atomic_long_read(&rc.lookups), 0L);
	kunit_info(test, "%ld lookups raced with the writer",
		   atomic_long_read(&rc.lookups));
	KUNIT_EXPECT_EQ(test, atomic_read(&rc.failures), 0);
}

/*
 * Reserved inserts: with nothing reserved an insert that needs a node fails
 * and leaves the table as it was; a replacement needs none; and a reserve
 * for N inserts carries any N random inserts, checked against the
 * reference.
 */
static void nt_prefix_test_reserve(struct kunit *test)
{
	static u64 seeds[2][SEEDS][2];
	struct nt_prefix_reserve res = {};
	unsigned int i, cidr, before;
	unsigned long next_value = 1;
	struct nt_prefix_table t;
	struct rnd_state rnd;
	struct mutex lock;	/* the table's writer lock */
	struct ref_entry *e;
	struct nt_prefix p;
	struct ref r = {};
	u8 addr[4];
	void *old;
	u64 key[2];
	int family;

	prandom_seed_state(&rnd, 0x72657365ULL);
	for (i = 0; i < SEEDS; i++) {
		random_key(&rnd, seeds[0], AF_INET6, seeds[1][i]);
		seeds[0][i][0] = seeds[1][i][0] & (~0ULL << 32);
		seeds[0][i][1] = 0;
	}
	r.e = kunit_kcalloc(test, REF_MAX, sizeof(*r.e), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r.e);
	mutex_init(&lock);
	mutex_lock(&lock);
	nt_prefix_table_init(&t, &lock);

	make_prefix(&p, AF_INET, "10.0.0.0", 8);
	KUNIT_EXPECT_EQ(test, nt_prefix_insert_reserved(&t, &p, val(1), false,
							&old, &res), -ENOMEM);
	KUNIT_EXPECT_EQ(test, t.entries, 0U);
	KUNIT_EXPECT_EQ(test, t.nodes, 0U);
	KUNIT_EXPECT_NULL(test, rcu_access_pointer(t.root4));

	KUNIT_ASSERT_EQ(test, nt_prefix_reserve(&res, 1, GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, res.count, 2U);
	KUNIT_EXPECT_EQ(test, nt_prefix_insert_reserved(&t, &p, val(1), false,
							&old, &res), 0);
	KUNIT_EXPECT_EQ(test, res.count, 1U);
	/* 11/8 beside 10/8 needs a node and a glue node: one is too few. */
	make_prefix(&p, AF_INET, "11.0.0.0", 8);
	KUNIT_EXPECT_EQ(test, nt_prefix_insert_reserved(&t, &p, val(2), false,
							&old, &res), -ENOMEM);
	KUNIT_EXPECT_EQ(test, res.count, 1U);
	KUNIT_EXPECT_EQ(test, t.entries, 1U);
	KUNIT_EXPECT_EQ(test, t.nodes, 1U);
	in4_pton("11.1.1.1", -1, addr, -1, NULL);
	rcu_read_lock();
	KUNIT_EXPECT_NULL(test, nt_prefix_lookup(&t, AF_INET, addr, NULL));
	rcu_read_unlock();
	make_prefix(&p, AF_INET, "10.0.0.0", 8);
	KUNIT_EXPECT_EQ(test, nt_prefix_insert_reserved(&t, &p, val(3), false,
							&old, &res), 0);
	KUNIT_EXPECT_PTR_EQ(test, old, val(1));
	KUNIT_EXPECT_EQ(test, res.count, 1U);
	nt_prefix_flush(&t, NULL, NULL);

	KUNIT_ASSERT_EQ(test, nt_prefix_reserve(&res, 2000, GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, res.count, 4000U);
	for (i = 0; i < 2000; i++) {
		family = (prandom_u32_state(&rnd) & 1) ? AF_INET6 : AF_INET;
		random_key(&rnd, seeds[family == AF_INET6], family, key);
		cidr = random_cidr(&rnd, family);
		nt_pfx_key_mask(key, cidr);
		prefix_from_key(&p, family, key, cidr);
		before = t.nodes;
		KUNIT_ASSERT_EQ(test, nt_prefix_insert_reserved(&t, &p,
								val(next_value),
								false, &old,
								&res), 0);
		KUNIT_EXPECT_LE(test, t.nodes - before, 2U);
		e = ref_find(&r, family, key, cidr);
		if (!e) {
			e = &r.e[r.n++];
			e->key[0] = key[0];
			e->key[1] = key[1];
			e->cidr = cidr;
			e->family = family;
		}
		KUNIT_EXPECT_PTR_EQ(test, old, e->live ? val(e->value) : NULL);
		e->live = true;
		e->value = next_value++;
	}
	KUNIT_EXPECT_EQ(test, res.count, 4000U - t.nodes);
	check_table(test, &t, &r);
	compare_lookups(test, &t, &r, &rnd, seeds, 4000);
	nt_prefix_flush(&t, NULL, NULL);
	nt_prefix_reserve_free(&res);
	KUNIT_EXPECT_EQ(test, res.count, 0U);
	KUNIT_EXPECT_NULL(test, res.free);
	mutex_unlock(&lock);
}

static struct kunit_case nt_prefix_cases[] = {
	KUNIT_CASE(nt_prefix_test_mask),
	KUNIT_CASE(nt_prefix_test_edges),
	KUNIT_CASE(nt_prefix_test_flush),
	KUNIT_CASE(nt_prefix_test_random),
	KUNIT_CASE(nt_prefix_test_rcu_race),
	KUNIT_CASE(nt_prefix_test_reserve),
	{}
};

static struct kunit_suite nt_prefix_suite = {
	.name = "nt_prefix",
	.test_cases = nt_prefix_cases,
};

kunit_test_suite(nt_prefix_suite);

MODULE_DESCRIPTION("KUnit tests for the ntkit prefix table");
MODULE_LICENSE("GPL");
