// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for nt_policy's pure logic: the tuple-space classifier
 * against a brute-force first-match walk on random rulesets (every match
 * kind, overlapping prefixes and port ranges, priority ties) and random
 * packets; GCRA token-bucket arithmetic from 1 unit/s to 400 Gbit/s
 * without overflow, and its long-run rate; meters (bounded table, idle
 * eviction); transaction validation (duplicate ids, the rule limit).
 */
#include <kunit/test.h>
#include <linux/math64.h>
#include <linux/prandom.h>
#include <linux/sort.h>
#include "../classifier.c"
#include "../bucket.c"
#include "../txn.c"
#include "../budget.c"

unsigned int nt_pol_max_rules = 1000;
unsigned long nt_pol_max_memory = NT_POL_MAX_MEMORY_DEFAULT;

static struct rnd_state nt_rnd;

static u32 rnd(u32 n)
{
	return n ? prandom_u32_state(&nt_rnd) % n : 0;
}

/* Few base addresses and lengths, so that prefixes overlap a lot. */
static void rnd_addr(int l3, union nt_pol_addr *a)
{
	static const u8 base4[][4] = { { 10, 0, 0, 0 }, { 10, 1, 2, 0 },
				       { 192, 168, 1, 0 }, { 10, 1, 0, 0 } };
	unsigned int i;

	memset(a, 0, sizeof(*a));
	if (l3 == NT_POL_L3_IP) {
		memcpy(a->b, base4[rnd(ARRAY_SIZE(base4))], 4);
		a->b[2] ^= rnd(2);
		a->b[3] = rnd(4);
		return;
	}
	a->b[0] = 0x20;
	a->b[1] = 0x01;
	a->b[2] = 0x0d;
	a->b[3] = 0xb8;
	for (i = 4; i < 16; i++)
		a->b[i] = rnd(3) ? 0 : rnd(3);
}

static u8 rnd_len(int l3)
{
	static const u8 l4[] = { 0, 16, 23, 24, 32 };
	static const u8 l6[] = { 0, 48, 64, 127, 128 };

	return l3 == NT_POL_L3_IP ? l4[rnd(ARRAY_SIZE(l4))] :
				    l6[rnd(ARRAY_SIZE(l6))];
}

static const char *const ifnames[] = { "eth0", "eth1", "veth-a" };
static const u8 protos[] = { IPPROTO_TCP, IPPROTO_UDP, IPPROTO_ICMP,
			     IPPROTO_SCTP };

static void rnd_ports(u16 *lo, u16 *hi)
{
	switch (rnd(3)) {
	case 0:		/* exact */
		*lo = *hi = 20 + rnd(8);
		break;
	case 1:		/* a range around the exact ones */
		*lo = 18 + rnd(6);
		*hi = *lo + rnd(6);
		break;
	default:	/* wide */
		*lo = rnd(30);
		*hi = 1000 + rnd(60000);
		break;
	}
}

static void rnd_rule(int l3, u32 id, struct nt_pol_rule *r)
{
	int fam_l3 = rnd(4) ? l3 : !l3;	/* some rules of the other family */

	memset(r, 0, sizeof(*r));
	r->id = id;
	r->prio = rnd(4);		/* many ties: order by id */
	r->family = rnd(3);
	if (r->family == NT_POL_FAMILY_IP)
		fam_l3 = NT_POL_L3_IP;
	else if (r->family == NT_POL_FAMILY_IP6)
		fam_l3 = NT_POL_L3_IP6;
	r->action = NT_POL_ACT_COUNT;
	if (rnd(3)) {
		rnd_addr(fam_l3, &r->src);
		r->src_len = rnd_len(fam_l3);
		r->match |= NT_POL_M_SRC;
		r->l3 = 1 + fam_l3;
	}
	if (rnd(2)) {
		rnd_addr(fam_l3, &r->dst);
		r->dst_len = rnd_len(fam_l3);
		r->match |= NT_POL_M_DST;
		r->l3 = 1 + fam_l3;
	}
	if (rnd(3)) {
		r->proto = protos[rnd(ARRAY_SIZE(protos))];
		r->match |= NT_POL_M_PROTO;
		if (r->proto != IPPROTO_ICMP && rnd(2)) {
			rnd_ports(&r->sport_lo, &r->sport_hi);
			r->match |= NT_POL_M_SPORT;
		}
		if (r->proto != IPPROTO_ICMP && rnd(2)) {
			rnd_ports(&r->dport_lo, &r->dport_hi);
			r->match |= NT_POL_M_DPORT;
		}
		if (r->proto == IPPROTO_TCP && !rnd(4)) {
			r->tcpf_mask = 0x12;
			r->tcpf_val = rnd(2) ? 0x02 : 0x12;
			r->match |= NT_POL_M_TCPFLAGS;
		}
	}
	if (!rnd(8)) {
		strscpy(r->iif, ifnames[rnd(ARRAY_SIZE(ifnames))], IFNAMSIZ);
		r->match |= NT_POL_M_IIF;
	}
	if (!rnd(8)) {
		strscpy(r->oif, ifnames[rnd(ARRAY_SIZE(ifnames))], IFNAMSIZ);
		r->match |= NT_POL_M_OIF;
	}
	if (!rnd(8)) {
		r->dscp = rnd(3);
		r->match |= NT_POL_M_DSCP;
	}
}

static void rnd_pkt(int l3, struct net_device **devs, struct nt_pol_pkt *p)
{
	memset(p, 0, sizeof(*p));
	p->l3 = l3;
	rnd_addr(l3, &p->src);
	rnd_addr(l3, &p->dst);
	p->has_proto = rnd(10);		/* else malformed: no L4 at all */
	p->proto = protos[rnd(ARRAY_SIZE(protos))];
	p->has_ports = p->has_proto && p->proto != IPPROTO_ICMP && rnd(8);
	if (p->has_ports) {		/* else a non-first fragment */
		p->sport = rnd(4) ? 18 + rnd(12) : rnd(65536);
		p->dport = rnd(4) ? 18 + rnd(12) : rnd(65536);
		p->tcpflags = rnd(256);
	}
	p->dscp = rnd(3);
	p->in = rnd(4) ? devs[rnd(ARRAY_SIZE(ifnames))] : NULL;
	p->out = rnd(4) ? devs[rnd(ARRAY_SIZE(ifnames))] : NULL;
}

static int cmp_rank(const void *a, const void *b)
{
	const struct nt_pol_rule *x = *(const struct nt_pol_rule **)a;
	const struct nt_pol_rule *y = *(const struct nt_pol_rule **)b;

	if (x->prio != y->prio)
		return x->prio < y->prio ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/*
 * For each ruleset size and family: each packet's walk from the
 * classifier (its first match, then "the next match after that one", up
 * to NT_WALK matches) equals the matching rules a linear scan in rank
 * order finds, and ends where the scan does.
 */
#define NT_WALK 6

static void nt_cls_vs_bruteforce(struct kunit *test)
{
	/* rulesets and packets per family: 102,000 packets in all */
	static const struct { u32 rules, pkts; } cfg[] = {
		{ 1, 12000 }, { 7, 12000 }, { 60, 12000 }, { 400, 12000 },
		{ 2000, 3000 },
	};
	struct net_device *devs[ARRAY_SIZE(ifnames)];
	unsigned int s, i, l3, pkts = 0, matched = 0;

	prandom_seed_state(&nt_rnd, 42);
	for (i = 0; i < ARRAY_SIZE(ifnames); i++) {
		devs[i] = kunit_kzalloc(test, sizeof(*devs[i]), GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, devs[i]);
		strscpy(devs[i]->name, ifnames[i], IFNAMSIZ);
	}
	for (s = 0; s < ARRAY_SIZE(cfg); s++) {
		for (l3 = 0; l3 < 2; l3++) {
			u32 n = cfg[s].rules;
			struct nt_pol_rule *rules, **order;
			struct nt_pol_cls *c;

			rules = kvcalloc(n, sizeof(*rules), GFP_KERNEL);
			order = kvcalloc(n, sizeof(*order), GFP_KERNEL);
			KUNIT_ASSERT_NOT_NULL(test, rules);
			KUNIT_ASSERT_NOT_NULL(test, order);
			for (i = 0; i < n; i++) {
				rnd_rule(l3, 1 + i * 3 % (n * 3 + 1), &rules[i]);
				order[i] = &rules[i];
			}
			sort(order, n, sizeof(*order), cmp_rank, NULL);
			for (i = 0; i < n; i++)
				order[i]->rank = i;
			c = nt_pol_cls_build(order, n, l3, NULL, GFP_KERNEL);
			KUNIT_ASSERT_FALSE(test, IS_ERR(c));
			for (i = 0; i < cfg[s].pkts; i++) {
				const struct nt_pol_rule *got;
				struct nt_pol_pkt p;
				u32 after = U32_MAX, k, seen = 0;

				rnd_pkt(l3, devs, &p);
				pkts++;
				for (k = 0; k < n && seen < NT_WALK; k++) {
					if (!nt_pol_rule_match(order[k], &p))
						continue;
					seen++;
					got = c ? nt_pol_cls_lookup(c, &p, after) :
						  NULL;
					KUNIT_ASSERT_PTR_EQ_MSG(test, got, order[k],
								"n=%u l3=%u pkt %u: expected rule rank %u",
								n, l3, i, k);
					after = k;
				}
				matched += seen;
				if (seen < NT_WALK) {
					got = c ? nt_pol_cls_lookup(c, &p, after) :
						  NULL;
					KUNIT_ASSERT_NULL_MSG(test, got,
							      "n=%u l3=%u pkt %u: a rule past the last match",
							      n, l3, i);
				}
				cond_resched();
			}
			nt_pol_cls_free(c);
			kvfree(order);
			kvfree(rules);
		}
	}
	KUNIT_EXPECT_GE(test, pkts, 100000U);
	/* the random rules do match: the test is not vacuous */
	KUNIT_EXPECT_GT(test, matched, pkts);
}

/* A classifier never reports more tuples than there are kinds of rule. */
static void nt_cls_tuples(struct kunit *test)
{
	struct nt_pol_rule *rules, **order;
	struct nt_pol_cls *c;
	u32 i, n = 10000;

	rules = kvcalloc(n, sizeof(*rules), GFP_KERNEL);
	order = kvcalloc(n, sizeof(*order), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, rules);
	KUNIT_ASSERT_NOT_NULL(test, order);
	for (i = 0; i < n; i++) {
		struct nt_pol_rule *r = &rules[i];

		r->id = i + 1;
		r->rank = i;
		r->family = NT_POL_FAMILY_IP;
		r->l3 = 1 + NT_POL_L3_IP;
		r->match = NT_POL_M_SRC | NT_POL_M_PROTO | NT_POL_M_DPORT;
		r->src.ip4 = cpu_to_be32(0x0a000000 | i << 8);
		r->src_len = i % 2 ? 24 : 32;
		r->proto = IPPROTO_TCP;
		r->dport_lo = 1000 + i % 1000;
		r->dport_hi = r->dport_lo;
		order[i] = r;
	}
	c = nt_pol_cls_build(order, n, NT_POL_L3_IP, NULL, GFP_KERNEL);
	KUNIT_ASSERT_FALSE(test, IS_ERR_OR_NULL(c));
	KUNIT_EXPECT_EQ(test, nt_pol_cls_tuples(c), 2U);
	KUNIT_EXPECT_NULL(test, nt_pol_cls_build(order, n, NT_POL_L3_IP6,
						 NULL, GFP_KERNEL));
	nt_pol_cls_free(c);
	kvfree(order);
	kvfree(rules);
}

/*
 * Bucket arithmetic: from 1 unit/s to 400 Gbit/s (5e10 bytes/s) and
 * bursts up to 2^32-1, tau is burst * 1e9 / rate within the 32.32
 * fixed-point error, and a 64 KiB packet's cost as well; nothing wraps.
 */
static void nt_tb_arithmetic(struct kunit *test)
{
	static const u64 rates[] = { 1, 7, 1000, 125000, 1250000000ULL,
				     12500000000ULL, NT_POL_RATE_MAX };
	static const u64 bursts[] = { 1, 1500, 65536, 1000000,
				      NT_POL_BURST_MAX };
	unsigned int i, j;
	struct nt_pol_tb tb;

	KUNIT_EXPECT_EQ(test, nt_pol_tb_init(&tb, 0, 1), -ERANGE);
	KUNIT_EXPECT_EQ(test, nt_pol_tb_init(&tb, 1, 0), -ERANGE);
	KUNIT_EXPECT_EQ(test, nt_pol_tb_init(&tb, NT_POL_RATE_MAX + 1, 1),
			-ERANGE);
	KUNIT_EXPECT_EQ(test, nt_pol_tb_init(&tb, 1, NT_POL_BURST_MAX + 1),
			-ERANGE);
	for (i = 0; i < ARRAY_SIZE(rates); i++)
		for (j = 0; j < ARRAY_SIZE(bursts); j++) {
			u64 exact = mul_u64_u64_div_u64(bursts[j], NSEC_PER_SEC,
							rates[i]);
			/* error: < 1 ns per unit-ns of mult, i.e. burst / 2^32 */
			u64 slack = div64_u64(bursts[j], 1ULL << 31) + 2;
			u64 cost, exact_cost;

			KUNIT_ASSERT_EQ(test, nt_pol_tb_init(&tb, rates[i],
							     bursts[j]), 0);
			KUNIT_EXPECT_LE(test, tb.tau, exact + 1);
			KUNIT_EXPECT_GE(test, tb.tau + slack, exact);
			cost = mul_u64_u64_shr(65536, tb.mult, 32);
			exact_cost = mul_u64_u64_div_u64(65536, NSEC_PER_SEC,
							 rates[i]);
			KUNIT_EXPECT_LE(test, cost, exact_cost + 1);
			KUNIT_EXPECT_GE(test, cost + 2, exact_cost);
		}
}

/*
 * Offered twice the rate for 10 simulated seconds, a bucket passes
 * rate * 10 s + burst (within 0.1 % and a packet), from 10 kbit/s to
 * 400 Gbit/s.
 */
static void nt_tb_long_run(struct kunit *test)
{
	static const u64 rates[] = { 1250, 125000000ULL, NT_POL_RATE_MAX };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(rates); i++) {
		u64 rate = rates[i], pkt = max_t(u64, 1, div64_u64(rate, 10000));
		u64 step = div64_u64(pkt * NSEC_PER_SEC, 2 * rate);
		u64 burst = 3 * pkt, passed = 0, t0 = NSEC_PER_SEC, t, want;
		struct nt_pol_tb tb;
		atomic64_t tat;

		KUNIT_ASSERT_EQ(test, nt_pol_tb_init(&tb, rate, burst), 0);
		atomic64_set(&tat, t0);
		for (t = t0; t < t0 + 10 * NSEC_PER_SEC; t += step)
			passed += nt_pol_tb_take(&tb, &tat, t, pkt) ? pkt : 0;
		want = rate * 10 + burst;
		KUNIT_EXPECT_LE_MSG(test, passed, want + want / 1000 + pkt,
				    "rate %llu", rate);
		KUNIT_EXPECT_GE_MSG(test, passed + want / 1000 + pkt, want,
				    "rate %llu", rate);
	}
}

/* A meter keeps one bucket per key, at most @size, evicting idle ones. */
static void nt_meter_table(struct kunit *test)
{
	struct nt_pol_meter *m = nt_pol_meter_alloc(4, NULL, GFP_KERNEL);
	struct nt_pol_tb tb;
	u32 key[4] = {}, i;
	u64 now = 5 * NSEC_PER_SEC;

	KUNIT_ASSERT_FALSE(test, IS_ERR(m));
	KUNIT_ASSERT_EQ(test, nt_pol_tb_init(&tb, 10, 2), 0);	/* 10 pps */
	rcu_read_lock();
	/* key 1: two pass (burst), the third is over */
	key[0] = 1;
	KUNIT_EXPECT_TRUE(test, nt_pol_meter_take(m, &tb, key, now, 1));
	KUNIT_EXPECT_TRUE(test, nt_pol_meter_take(m, &tb, key, now, 1));
	KUNIT_EXPECT_FALSE(test, nt_pol_meter_take(m, &tb, key, now, 1));
	/* another key has its own bucket */
	key[0] = 2;
	KUNIT_EXPECT_TRUE(test, nt_pol_meter_take(m, &tb, key, now, 1));
	for (i = 3; i <= 40; i++) {
		key[0] = i;
		nt_pol_meter_take(m, &tb, key, now, 2);	/* busy keys */
	}
	KUNIT_EXPECT_LE(test, atomic_read(&m->count), 4);
	KUNIT_EXPECT_GT(test, atomic64_read(&m->full), 0);
	/* a second later every bucket is full again: keys evicted on need */
	now += NSEC_PER_SEC;
	for (i = 100; i < 140; i++) {
		key[0] = i;
		KUNIT_EXPECT_TRUE(test, nt_pol_meter_take(m, &tb, key, now, 1));
	}
	KUNIT_EXPECT_LE(test, atomic_read(&m->count), 4);
	rcu_read_unlock();
	synchronize_rcu();
	rcu_barrier();		/* evicted entries are kfree_rcu'd */
	nt_pol_meter_free(m);
}

/* Transactions: duplicate ids are refused as they arrive; the limit. */
static void nt_txn_validation(struct kunit *test)
{
	struct nt_pol_txn *t = nt_pol_txn_alloc(7, NULL);
	struct nt_pol_rule r = {};
	u32 i;

	KUNIT_ASSERT_NOT_NULL(test, t);
	r.id = 5;
	KUNIT_EXPECT_EQ(test, nt_pol_txn_add(t, &r), 0);
	KUNIT_EXPECT_EQ(test, nt_pol_txn_add(t, &r), -EEXIST);
	r.id = 0;	/* assigned at commit: never a duplicate */
	KUNIT_EXPECT_EQ(test, nt_pol_txn_add(t, &r), 0);
	KUNIT_EXPECT_EQ(test, nt_pol_txn_add(t, &r), 0);
	for (i = 3; i < nt_pol_max_rules; i++) {
		r.id = 100 + i;
		KUNIT_ASSERT_EQ(test, nt_pol_txn_add(t, &r), 0);
	}
	KUNIT_EXPECT_EQ(test, t->n, nt_pol_max_rules);
	r.id = 99999;
	KUNIT_EXPECT_EQ(test, nt_pol_txn_add(t, &r), -ENOSPC);
	KUNIT_EXPECT_EQ(test, t->rules[0].id, 5U);
	KUNIT_EXPECT_EQ(test, t->rules[t->n - 1].id, 100 + nt_pol_max_rules - 1);
	nt_pol_txn_free(t);
}

static struct kunit_case nt_policy_cases[] = {
	KUNIT_CASE(nt_cls_vs_bruteforce),
	KUNIT_CASE(nt_cls_tuples),
	KUNIT_CASE(nt_tb_arithmetic),
	KUNIT_CASE(nt_tb_long_run),
	KUNIT_CASE(nt_meter_table),
	KUNIT_CASE(nt_txn_validation),
	{}
};

static struct kunit_suite nt_policy_suite = {
	.name = "nt_policy",
	.test_cases = nt_policy_cases,
};

kunit_test_suite(nt_policy_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for nt_policy's classifier, token buckets and transactions");
