/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nt_policy: rules, rulesets, the classifier and token buckets.
 * See Documentation/policy.rst.
 *
 * Locking: a namespace's ruleset, transaction and hook registrations change
 * under its mutex pn->lock. A ruleset is immutable once built: the packet
 * path reads it with rcu_dereference() (netfilter hooks run under RCU),
 * takes no lock, counts into per-CPU counters and updates token buckets
 * with cmpxchg. A replaced ruleset is freed after a grace period.
 */
#ifndef _NT_POLICY_H
#define _NT_POLICY_H

#include <linux/types.h>
#include <linux/atomic.h>
#include <linux/if.h>
#include <linux/refcount.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/rculist.h>
#include <linux/spinlock.h>
#include <linux/u64_stats_sync.h>
#include <linux/workqueue.h>
#include <net/netlink.h>
#include <linux/nt_policy.h>
#include "nt_nl.h"

#define NT_POL_HOOKS	(NT_POL_HOOK_MAX + 1)
#define NT_POL_L3_IP	0
#define NT_POL_L3_IP6	1

/* What a rule matches on, beyond its addresses (rule->match). */
#define NT_POL_M_PROTO		BIT(0)
#define NT_POL_M_SPORT		BIT(1)
#define NT_POL_M_DPORT		BIT(2)
#define NT_POL_M_TCPFLAGS	BIT(3)
#define NT_POL_M_IIF		BIT(4)
#define NT_POL_M_OIF		BIT(5)
#define NT_POL_M_DSCP		BIT(6)
#define NT_POL_M_SRC		BIT(7)
#define NT_POL_M_DST		BIT(8)

/*
 * A namespace's memory budget: every byte its rulesets, transaction and
 * meters take (meters with room for all their keys) is charged here before
 * it is allocated, and refused past the max_memory module parameter. A
 * budget lives while its namespace or a ruleset charged to it does.
 */
struct nt_pol_budget {
	refcount_t ref;
	atomic_long_t used;	/* bytes */
	/*
	 * While a commit builds (under the netns lock, and only then): what
	 * the ruleset in force holds alone (its arrays and classifiers), lent
	 * as room for its replacement, so that a namespace at its limit can
	 * still delete and flush. nt_pol_credit_open() and _close().
	 */
	unsigned long credit;
};

#define NT_POL_MAX_MEMORY_DEFAULT	(256UL << 20)
#define NT_POL_MEM_MSG	\
	"out of memory for rules: the limit is the max_memory module parameter (default 268435456 bytes per namespace)"

/* Messages for a missing attribute (NT_NL_MISSING) said in two places. */
#define NT_POL_HOOK_MISSING	\
	"the hook (NT_POL_HOOK_A_HOOK, 0..4: prerouting, input, forward, output, postrouting) is required"
#define NT_POL_RATE_MISSING	\
	"police and meter need NT_POL_RULE_A_RATE (1..50000000000 per second) and NT_POL_RULE_A_BURST (1..4294967295)"

/*
 * What a caller's allocations at commit use: charged to its memory
 * cgroup, and a clean failure (no OOM kill, no warning) when it is full.
 */
#define NT_POL_GFP	(GFP_KERNEL_ACCOUNT | __GFP_RETRY_MAYFAIL | __GFP_NOWARN)

extern unsigned long nt_pol_max_memory;

struct nt_pol_budget *nt_pol_budget_new(void);
void nt_pol_budget_put(struct nt_pol_budget *b);
int nt_pol_charge(struct nt_pol_budget *b, size_t bytes);
void nt_pol_uncharge(struct nt_pol_budget *b, size_t bytes);

union nt_pol_addr {
	__be32 ip4;
	struct in6_addr ip6;
	u32 w[4];
	u8 b[16];
};

struct nt_pol_ctr {
	u64_stats_t packets, bytes, over;	/* summed as one array */
	struct u64_stats_sync syncp;
};

static_assert(offsetof(struct nt_pol_ctr, over) ==
	      offsetof(struct nt_pol_ctr, packets) + 2 * sizeof(u64));

/*
 * A token bucket as GCRA (the virtual-scheduling form): @tat is the
 * theoretical arrival time in ns; a packet costing c conforms when
 * max(tat, now) + c - now <= tau, and then moves tat there with one
 * cmpxchg. No lock, exact under concurrency.
 */
struct nt_pol_tb {
	u64 mult;	/* ns per unit << 32 */
	u64 tau;	/* ns: the burst */
};

/* A meter: one bucket per key (masked source or destination). */
struct nt_pol_mentry {
	struct hlist_node node;
	u32 key[4];
	atomic64_t tat;
	struct rcu_head rcu;
};

#define NT_POL_METER_LOCKS	64

struct nt_pol_meter {
	u32 size;		/* entries at most */
	u32 mask;		/* buckets - 1 */
	atomic_t count;
	atomic64_t full;	/* packets not metered: table full */
	u32 seed;
	spinlock_t locks[NT_POL_METER_LOCKS];	/* insert and evict */
	struct hlist_head *buckets;
	struct nt_pol_budget *budget;
	size_t charge;		/* in @budget: the table and @size entries */
	struct mem_cgroup *memcg;	/* the committer's: pays for entries */
};

/* Runtime state a rule hands to its successor of the same id. */
struct nt_pol_state {
	struct nt_pol_ctr __percpu *ctr;	/* a slot of @blk */
	struct nt_pol_ctrblk *blk;
	atomic64_t tat;			/* police */
	struct nt_pol_meter *meter;	/* meter */
};

/*
 * Rule state and per-CPU counters come in blocks of NT_POL_CTR_BLOCK
 * rules: two allocations per block, not per rule (the percpu allocator is
 * slow at 100,000 small allocations, and so is a charged kzalloc each). A
 * block lives while a rule's state is in it.
 */
#define NT_POL_CTR_BLOCK	510	/* a block fits a 16 KiB allocation */

struct nt_pol_ctrblk {
	struct nt_pol_ctr __percpu *base;
	atomic_t refs;		/* states in use in this block */
	u32 used;
	struct nt_pol_budget *budget;
	size_t charge;
	struct nt_pol_state st[NT_POL_CTR_BLOCK];
};

static_assert(sizeof(struct nt_pol_ctrblk) <= 16384);

struct nt_pol_rule {
	u32 id, prio;
	u8 hook, family, action;
	u8 l3;			/* 0: any; 1 + NT_POL_L3_* from an address */
	u16 match;		/* NT_POL_M_* */
	u8 src_len, dst_len;
	u8 proto, tcpf_val, tcpf_mask, dscp;
	u16 sport_lo, sport_hi, dport_lo, dport_hi;
	u8 set_dscp, unit, meter_key, meter_len;
	u32 mark, mark_mask, meter_size;
	u64 rate, burst;
	struct nt_pol_tb tb;
	u32 meter_mask4, meter_mask6[4];	/* from meter_len */
	union nt_pol_addr src, dst;
	char iif[IFNAMSIZ], oif[IFNAMSIZ];
	/* set when the rule is in a ruleset */
	u32 rank;		/* position on its hook */
	bool owns_state;	/* false once a successor took @st */
	struct nt_pol_state *st;
};

/* A packet as the classifier sees it. */
struct nt_pol_pkt {
	u8 l3;			/* NT_POL_L3_* */
	u8 proto;
	bool has_proto;		/* L4 protocol known */
	bool has_ports;		/* ports (and TCP flags) read */
	u8 tcpflags, dscp;
	u16 sport, dport;
	union nt_pol_addr src, dst;
	const struct net_device *in, *out;
};

/*
 * A prefix mask of @len bits over @words big-endian 32-bit words (the
 * classifier's tuples, the meters' keys).
 */
static inline void nt_pol_prefix_mask(u32 *m, unsigned int words,
				      unsigned int len)
{
	unsigned int i;

	for (i = 0; i < words; i++) {
		unsigned int bits = len > 32 * i ? min(len - 32 * i, 32U) : 0;

		m[i] = bits ? (__force u32)cpu_to_be32(~0U << (32 - bits)) : 0;
	}
}

/*
 * Bit @b of @map, from one load and a shift: test_bit() is a bt on
 * memory, which costs a packet several times as much.
 */
static inline bool nt_pol_bit(const unsigned long *map, unsigned int b)
{
	return (map[BIT_WORD(b)] >> (b % BITS_PER_LONG)) & 1;
}

/* Classifier: tuple-space search, see classifier.c. */
struct nt_pol_cls;

struct nt_pol_cls *nt_pol_cls_build(struct nt_pol_rule **rules, u32 n,
				    int l3, struct nt_pol_budget *b,
				    gfp_t gfp);
void nt_pol_cls_free(struct nt_pol_cls *c);
size_t nt_pol_cls_charge(const struct nt_pol_cls *c);
const struct nt_pol_rule *nt_pol_cls_lookup(const struct nt_pol_cls *c,
					    const struct nt_pol_pkt *p,
					    u32 after);
bool nt_pol_rule_match(const struct nt_pol_rule *r,
		       const struct nt_pol_pkt *p);
u32 nt_pol_cls_tuples(const struct nt_pol_cls *c);
bool nt_pol_cls_protos(const struct nt_pol_cls *c, unsigned long *protos);
size_t nt_pol_cls_mem(const struct nt_pol_cls *c);

/* Token buckets, bucket.c. */
int nt_pol_tb_init(struct nt_pol_tb *tb, u64 rate, u64 burst);
int nt_pol_rule_buckets(struct nt_pol_rule *r);
bool nt_pol_tb_take(const struct nt_pol_tb *tb, atomic64_t *tat, u64 now,
		    u64 units);
size_t nt_pol_meter_cost(u32 size);
struct nt_pol_meter *nt_pol_meter_alloc(u32 size, struct nt_pol_budget *b,
					gfp_t gfp);
void nt_pol_meter_free(struct nt_pol_meter *m);
/* true: conforms (or not metered: table full); false: over the limit */
bool nt_pol_meter_take(struct nt_pol_meter *m, const struct nt_pol_tb *tb,
		       const u32 *key, u64 now, u64 units);

/* A whole ruleset: immutable once published. */
struct nt_pol_ruleset {
	u64 generation;
	u32 nrules;
	u32 max_id;
	struct nt_pol_rule *store;	/* nrules rules */
	struct nt_pol_rule **order;	/* by hook, priority, id */
	struct nt_pol_rule **by_id;	/* by id */
	u32 hook_first[NT_POL_HOOKS + 1];	/* hook h: order[first[h]..] */
	struct nt_pol_cls *cls[NT_POL_HOOKS][2];
	/*
	 * When every rule of a classifier names a protocol (proto_only),
	 * the protocols they name: a packet of another protocol is judged
	 * by the hook's default without a lookup.
	 */
	bool proto_only[NT_POL_HOOKS][2];
	bool stateful[NT_POL_HOOKS];	/* a police or meter rule there */
	unsigned long protos[NT_POL_HOOKS][2][BITS_TO_LONGS(256)];
	struct nt_pol_budget *budget;
	size_t charge;		/* in @budget, @store's included */
	struct rcu_work free_work;
};

/* A transaction: rules as received, built at commit. */
struct nt_pol_txn {
	u32 portid;
	u32 n, cap;
	struct nt_pol_rule *rules;
	struct nt_pol_budget *budget;
	size_t charge;		/* in @budget: @rules */
	struct xarray ids;
};

struct nt_pol_hookstat {
	u64_stats_t packets, dflt;	/* summed as one array */
	struct u64_stats_sync syncp;
};

static_assert(offsetof(struct nt_pol_hookstat, dflt) ==
	      offsetof(struct nt_pol_hookstat, packets) + sizeof(u64));

struct nt_pol_net {
	struct net *net;
	struct mutex lock;	/* ruleset, transaction, hooks, settings */
	struct nt_pol_ruleset __rcu *active;
	struct nt_pol_budget *budget;
	u64 generation;
	struct nt_pol_txn *txn;
	u32 txn_portid;		/* txn's socket, 0: none; read locklessly */
	struct nf_hook_ops *reg[NT_POL_HOOKS][2];	/* registered ops */
	s32 hook_prio[NT_POL_HOOKS];
	u8 hook_policy[NT_POL_HOOKS];	/* read with READ_ONCE */
	struct nt_pol_hookstat __percpu *hstat[NT_POL_HOOKS];
};

extern unsigned int nt_pol_max_rules;
extern struct workqueue_struct *nt_pol_wq;	/* frees rulesets */

struct nt_pol_net *nt_pol_pernet(struct net *net);
void nt_pol_credit_open(struct nt_pol_net *pn);
void nt_pol_credit_close(struct nt_pol_net *pn);
int nt_pol_commit(struct nt_pol_net *pn, struct nt_pol_rule *rules, u32 n,
		  size_t charge, struct netlink_ext_ack *extack);
struct nt_pol_rule *nt_pol_copy(struct nt_pol_net *pn, u32 extra, u32 *n,
				size_t *charge, struct netlink_ext_ack *extack);
void nt_pol_copy_free(struct nt_pol_net *pn, struct nt_pol_rule *rules,
		      size_t charge);
int nt_pol_del(struct nt_pol_net *pn, u32 id, struct netlink_ext_ack *extack);
int nt_pol_flush(struct nt_pol_net *pn, u32 hook,
		 struct netlink_ext_ack *extack);
int nt_pol_hooks_sync(struct nt_pol_net *pn, int hook, s32 prio, u8 policy);
bool nt_pol_hook_moves(struct nt_pol_net *pn, int hook, s32 prio);
void nt_pol_hooks_unregister(struct nt_pol_net *pn);
void nt_pol_hooks_free(struct nt_pol_net *pn);
struct nf_hook_ops *nt_pol_hook_register(struct nt_pol_net *pn, int hook,
					 int l3, s32 prio);
struct nt_pol_rule *nt_pol_ruleset_find(const struct nt_pol_ruleset *rs,
					u32 id);
struct nt_pol_rule *nt_pol_txn_slot(struct nt_pol_txn *t);
int nt_pol_txn_push(struct nt_pol_txn *t);
int nt_pol_txn_add(struct nt_pol_txn *t, const struct nt_pol_rule *r);
void nt_pol_txn_free(struct nt_pol_txn *t);
struct nt_pol_txn *nt_pol_txn_alloc(u32 portid, struct nt_pol_budget *b);
void nt_pol_ctr_sum(const struct nt_pol_rule *r, u64 *pk, u64 *by, u64 *ov);
void nt_pol_notify_commit(struct nt_pol_net *pn);

/* A rule's netlink attributes, rule.c. */
extern const struct nla_policy nt_pol_rule_policy[NT_POL_RULE_A_MAX + 1];
int nt_pol_parse_rule(struct nlattr *nest, struct nt_pol_rule *r,
		      struct netlink_ext_ack *extack);
int nt_pol_put_rule(struct sk_buff *skb, const struct nt_pol_rule *r);
int nt_pol_txn_add_rule(struct nt_pol_txn *t, struct nlattr *a,
			struct netlink_ext_ack *extack);

int nt_pol_genl_init(void);
void nt_pol_genl_exit(void);

extern const char *const nt_pol_hook_names[NT_POL_HOOKS];

/* The ruleset in force, for its editors: under pn->lock. */
static inline struct nt_pol_ruleset *nt_pol_active(struct nt_pol_net *pn)
{
	return rcu_dereference_protected(pn->active,
					 lockdep_is_held(&pn->lock));
}

#endif /* _NT_POLICY_H */
