/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcp_nt profiles and routes, per network namespace.
 *
 * A profile (struct nt_cc_profile) is a name, per-CPU counters and an RCU
 * pointer to its current version (struct nt_cc_version: the parameters,
 * immutable once published). A socket holds a reference to the version it
 * started with; PROFILE_SET publishes a new version, so that it applies to
 * connections that start afterwards. PROFILE_DEL marks the profile dead:
 * sockets holding one of its versions notice at their next ACK and move to
 * "default". Routes are a prefix table whose values are profiles (each
 * route holds a reference). Every final put frees after an RCU grace
 * period, so a reader that found a pointer under rcu_read_lock() may still
 * try refcount_inc_not_zero() on it. A version's free is the only RCU
 * callback of ours; the profile it releases goes by kfree_rcu(), so that
 * the rcu_barrier() at unload leaves nothing of ours to run.
 *
 * Writers hold nt_cc_net.lock; sockets only read, under RCU or through
 * their reference.
 */
#ifndef _NT_CC_PROFILE_H
#define _NT_CC_PROFILE_H

#include <linux/list.h>
#include <linux/refcount.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <linux/nt_cc.h>
#include "nt_prefix.h"
#include "model.h"

struct nt_cc_pcpu {
	u64 conns;
	u64 bytes;
	u64 recoveries;
	u64 ce_acks;
	u64 probe_rtts;
};

struct nt_cc_profile {
	struct list_head list;			/* nt_cc_net.profiles */
	struct nt_cc_version __rcu *cur;
	struct nt_cc_pcpu __percpu *stats;
	refcount_t ref;		/* the list, each version, each route */
	u32 routes;		/* routes naming it, under the lock */
	bool dead;		/* deleted: its sockets move to default */
	char name[NT_CC_PROFILE_NAME_MAX];
	struct rcu_head rcu;
};

struct nt_cc_version {
	refcount_t ref;		/* the profile while current, each socket */
	struct nt_cc_profile *prof;	/* holds a reference */
	struct nt_cc_conf conf;
	struct rcu_head rcu;
};

struct nt_cc_net {
	struct mutex lock;		/* writers: profiles and routes */
	struct list_head profiles;
	unsigned int nprofiles;
	struct nt_cc_profile *dflt;	/* NULL once the namespace exits */
	struct nt_prefix_table routes;
	u32 dump_gen;		/* bumped by every change; never 0 */
	struct net *net;
};

extern unsigned int nt_cc_net_id;
extern unsigned int nt_cc_max_routes;

static inline struct nt_cc_net *nt_cc_net(const struct net *net)
{
	return net_generic(net, nt_cc_net_id);
}

int nt_cc_profiles_init(void);
void nt_cc_profiles_exit(void);

/* Sockets: the version for a new connection to @daddr, with a reference. */
struct nt_cc_version *nt_cc_version_for(struct net *net, int family,
					const void *daddr);
struct nt_cc_version *nt_cc_version_default(struct net *net);
void nt_cc_version_put(struct nt_cc_version *v);

/* Writers, under nt_cc_net.lock. */
struct nt_cc_profile *nt_cc_profile_find(struct nt_cc_net *nn,
					 const char *name);
int nt_cc_profile_add(struct nt_cc_net *nn, const char *name,
		      const struct nt_cc_conf *conf,
		      struct netlink_ext_ack *extack);
int nt_cc_profile_set(struct nt_cc_net *nn, struct nt_cc_profile *p,
		      const struct nt_cc_conf *conf);
int nt_cc_profile_del(struct nt_cc_net *nn, struct nt_cc_profile *p,
		      struct netlink_ext_ack *extack);
int nt_cc_route_add(struct nt_cc_net *nn, const struct nt_prefix *pfx,
		    struct nt_cc_profile *p, bool replace,
		    struct netlink_ext_ack *extack);
int nt_cc_route_del(struct nt_cc_net *nn, const struct nt_prefix *pfx);

void nt_cc_profile_stats(const struct nt_cc_profile *p, struct nt_cc_pcpu *sum);

#endif /* _NT_CC_PROFILE_H */
