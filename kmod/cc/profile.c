// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_nt profiles and routes, per network namespace (see profile.h).
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/rcupdate.h>
#include <linux/string.h>
#include <linux/stringify.h>
#include <net/netns/generic.h>
#include "profile.h"

unsigned int nt_cc_net_id __read_mostly;

unsigned int nt_cc_max_routes __read_mostly = 65536;
module_param_named(max_routes, nt_cc_max_routes, uint, 0644);
MODULE_PARM_DESC(max_routes, "routes per network namespace (default 65536)");

/*
 * The last reference: no version of @p is left, so no socket counts in
 * its stats and they go now; an RCU reader that found @p (by a route or
 * as default) may still read p->cur, so @p goes after a grace period. By
 * kfree_rcu(), not a callback of ours: this last put may run in a
 * version's RCU callback during the rcu_barrier() at unload, and what it
 * queues there runs after the barrier, maybe after the module is gone.
 */
static void nt_cc_profile_put(struct nt_cc_profile *p)
{
	if (refcount_dec_and_test(&p->ref)) {
		free_percpu(p->stats);
		kfree_rcu(p, rcu);
	}
}

static void nt_cc_version_free_rcu(struct rcu_head *rcu)
{
	struct nt_cc_version *v = container_of(rcu, struct nt_cc_version, rcu);

	nt_cc_profile_put(v->prof);
	kfree(v);
}

void nt_cc_version_put(struct nt_cc_version *v)
{
	if (refcount_dec_and_test(&v->ref))
		call_rcu(&v->rcu, nt_cc_version_free_rcu);
}

/* A change a dump may have missed: see nt_cc_net.dump_gen. */
static void nt_cc_changed(struct nt_cc_net *nn)
{
	nn->dump_gen = nn->dump_gen + 1 ? : 1;
}

/* A version of @p with @conf; the caller publishes it. */
static struct nt_cc_version *nt_cc_version_new(struct nt_cc_profile *p,
					       const struct nt_cc_conf *conf)
{
	struct nt_cc_version *v = kzalloc(sizeof(*v), GFP_KERNEL_ACCOUNT);

	if (!v)
		return NULL;
	refcount_set(&v->ref, 1);
	refcount_inc(&p->ref);
	v->prof = p;
	v->conf = *conf;
	nt_conf_derive(&v->conf);
	return v;
}

/* Take a reference on @p's current version, or NULL if @p was deleted. */
static struct nt_cc_version *nt_cc_version_try(struct nt_cc_profile *p)
{
	struct nt_cc_version *v;

	if (!p)
		return NULL;	/* default, once the namespace is gone */
	for (;;) {
		v = rcu_dereference(p->cur);
		if (!v)
			return NULL;
		if (refcount_inc_not_zero(&v->ref))
			return v;
		/* replaced under us: the new version is published already */
		cpu_relax();
	}
}

struct nt_cc_version *nt_cc_version_default(struct net *net)
{
	struct nt_cc_version *v;

	rcu_read_lock();
	v = nt_cc_version_try(READ_ONCE(nt_cc_net(net)->dflt));
	rcu_read_unlock();
	return v;
}

struct nt_cc_version *nt_cc_version_for(struct net *net, int family,
					const void *daddr)
{
	struct nt_cc_net *nn = nt_cc_net(net);
	struct nt_cc_profile *p;
	struct nt_cc_version *v = NULL;

	rcu_read_lock();
	p = nt_prefix_lookup(&nn->routes, family, daddr, NULL);
	if (p)
		v = nt_cc_version_try(p);
	if (!v)
		v = nt_cc_version_try(READ_ONCE(nn->dflt));
	rcu_read_unlock();
	return v;
}

struct nt_cc_profile *nt_cc_profile_find(struct nt_cc_net *nn,
					 const char *name)
{
	struct nt_cc_profile *p;

	lockdep_assert_held(&nn->lock);
	list_for_each_entry(p, &nn->profiles, list)
		if (!strcmp(p->name, name))
			return p;
	return NULL;
}

static struct nt_cc_profile *nt_cc_profile_new(const char *name,
					       const struct nt_cc_conf *conf)
{
	struct nt_cc_profile *p = kzalloc(sizeof(*p), GFP_KERNEL_ACCOUNT);
	struct nt_cc_version *v;

	if (!p)
		return NULL;
	p->stats = alloc_percpu_gfp(struct nt_cc_pcpu, GFP_KERNEL_ACCOUNT);
	if (!p->stats) {
		kfree(p);
		return NULL;
	}
	refcount_set(&p->ref, 1);
	strscpy(p->name, name, sizeof(p->name));
	v = nt_cc_version_new(p, conf);
	if (!v) {
		free_percpu(p->stats);
		kfree(p);
		return NULL;
	}
	RCU_INIT_POINTER(p->cur, v);
	return p;
}

int nt_cc_profile_add(struct nt_cc_net *nn, const char *name,
		      const struct nt_cc_conf *conf,
		      struct netlink_ext_ack *extack)
{
	struct nt_cc_profile *p;

	lockdep_assert_held(&nn->lock);
	if (nt_cc_profile_find(nn, name)) {
		NL_SET_ERR_MSG_MOD(extack, "profile exists");
		return -EEXIST;
	}
	if (nn->nprofiles >= NT_CC_MAX_PROFILES) {
		NL_SET_ERR_MSG_MOD(extack,
				   "too many profiles (at most "
				   __stringify(NT_CC_MAX_PROFILES)
				   " per namespace)");
		return -ENOSPC;
	}
	p = nt_cc_profile_new(name, conf);
	if (!p)
		return -ENOMEM;
	list_add_tail(&p->list, &nn->profiles);
	nn->nprofiles++;
	nt_cc_changed(nn);
	return 0;
}

int nt_cc_profile_set(struct nt_cc_net *nn, struct nt_cc_profile *p,
		      const struct nt_cc_conf *conf)
{
	struct nt_cc_version *v, *old;

	lockdep_assert_held(&nn->lock);
	v = nt_cc_version_new(p, conf);
	if (!v)
		return -ENOMEM;
	old = rcu_replace_pointer(p->cur, v, lockdep_is_held(&nn->lock));
	nt_cc_version_put(old);
	nt_cc_changed(nn);
	return 0;
}

static void nt_cc_profile_unlink(struct nt_cc_net *nn, struct nt_cc_profile *p,
				 bool dead)
{
	struct nt_cc_version *old;

	WRITE_ONCE(p->dead, dead);
	old = rcu_replace_pointer(p->cur, NULL, lockdep_is_held(&nn->lock));
	list_del(&p->list);
	nn->nprofiles--;
	nt_cc_changed(nn);
	nt_cc_version_put(old);
	nt_cc_profile_put(p);
}

int nt_cc_profile_del(struct nt_cc_net *nn, struct nt_cc_profile *p,
		      struct netlink_ext_ack *extack)
{
	lockdep_assert_held(&nn->lock);
	if (p == nn->dflt) {
		NL_SET_ERR_MSG_MOD(extack, "profile default cannot be deleted");
		return -EPERM;
	}
	if (p->routes) {
		NL_SET_ERR_MSG_MOD(extack,
				   "profile is used by routes; delete them first");
		return -EBUSY;
	}
	nt_cc_profile_unlink(nn, p, true);
	return 0;
}

int nt_cc_route_add(struct nt_cc_net *nn, const struct nt_prefix *pfx,
		    struct nt_cc_profile *p, bool replace,
		    struct netlink_ext_ack *extack)
{
	void *old = NULL;
	int err;

	lockdep_assert_held(&nn->lock);
	if (!nt_prefix_get(&nn->routes, pfx) &&
	    nn->routes.entries >= READ_ONCE(nt_cc_max_routes)) {
		NL_SET_ERR_MSG_MOD(extack,
				   "too many routes (module parameter max_routes)");
		return -ENOSPC;
	}
	refcount_inc(&p->ref);
	err = nt_prefix_insert(&nn->routes, pfx, p, !replace, &old,
			       GFP_KERNEL_ACCOUNT);
	if (err) {
		nt_cc_profile_put(p);
		if (err == -EEXIST)
			NL_SET_ERR_MSG_MOD(extack, "route exists");
		return err;
	}
	p->routes++;
	nt_cc_changed(nn);
	if (old) {
		struct nt_cc_profile *o = old;

		o->routes--;
		nt_cc_profile_put(o);	/* freed after a grace period */
	}
	return 0;
}

int nt_cc_route_del(struct nt_cc_net *nn, const struct nt_prefix *pfx)
{
	struct nt_cc_profile *p;

	lockdep_assert_held(&nn->lock);
	p = nt_prefix_delete(&nn->routes, pfx);
	if (!p)
		return -ENOENT;
	p->routes--;
	nt_cc_profile_put(p);
	nt_cc_changed(nn);
	return 0;
}

void nt_cc_profile_stats(const struct nt_cc_profile *p, struct nt_cc_pcpu *sum)
{
	int cpu;

	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		const struct nt_cc_pcpu *s = per_cpu_ptr(p->stats, cpu);

		sum->conns += READ_ONCE(s->conns);
		sum->bytes += READ_ONCE(s->bytes);
		sum->recoveries += READ_ONCE(s->recoveries);
		sum->ce_acks += READ_ONCE(s->ce_acks);
		sum->probe_rtts += READ_ONCE(s->probe_rtts);
	}
}

static void nt_cc_flush_route(void *value, void *arg)
{
	nt_cc_profile_put(value);
}

static int __net_init nt_cc_net_init(struct net *net)
{
	struct nt_cc_net *nn = nt_cc_net(net);
	struct nt_cc_conf conf;

	mutex_init(&nn->lock);
	INIT_LIST_HEAD(&nn->profiles);
	nt_prefix_table_init(&nn->routes, &nn->lock);
	nn->net = net;
	nn->dump_gen = 1;
	nt_conf_defaults(&conf);
	nn->dflt = nt_cc_profile_new(NT_CC_DEFAULT_PROFILE, &conf);
	if (!nn->dflt)
		return -ENOMEM;
	list_add_tail(&nn->dflt->list, &nn->profiles);
	nn->nprofiles = 1;
	return 0;
}

static void __net_exit nt_cc_net_exit(struct net *net)
{
	struct nt_cc_net *nn = nt_cc_net(net);
	struct nt_cc_profile *p, *tmp;

	mutex_lock(&nn->lock);
	nt_prefix_flush(&nn->routes, nt_cc_flush_route, NULL);
	/*
	 * Not marked dead: a socket of this namespace that still holds a
	 * version (a kernel socket) keeps it and never looks for default.
	 */
	/*
	 * A socket starting now (a kernel one) finds no default, built-in;
	 * cleared before the unlink may free it.
	 */
	WRITE_ONCE(nn->dflt, NULL);
	list_for_each_entry_safe(p, tmp, &nn->profiles, list)
		nt_cc_profile_unlink(nn, p, false);
	mutex_unlock(&nn->lock);
}

static struct pernet_operations nt_cc_net_ops = {
	.init = nt_cc_net_init,
	.exit = nt_cc_net_exit,
	.id = &nt_cc_net_id,
	.size = sizeof(struct nt_cc_net),
};

int nt_cc_profiles_init(void)
{
	return register_pernet_subsys(&nt_cc_net_ops);
}

void nt_cc_profiles_exit(void)
{
	unregister_pernet_subsys(&nt_cc_net_ops);
	/* the versions' frees: they queue only kfree_rcu() */
	rcu_barrier();
}
