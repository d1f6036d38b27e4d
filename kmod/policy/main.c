// SPDX-License-Identifier: GPL-2.0
/*
 * nt_policy: the module and its namespaces. Module parameters, the
 * per-namespace state's life (hooks, ruleset, transaction), the end of a
 * transaction whose socket closes, and module init and exit.
 */
#include <linux/module.h>
#include <linux/netlink.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include "policy.h"

unsigned int nt_pol_max_rules = 200000;
module_param_named(max_rules, nt_pol_max_rules, uint, 0644);
MODULE_PARM_DESC(max_rules, "rules per network namespace (default 200000)");

unsigned long nt_pol_max_memory = NT_POL_MAX_MEMORY_DEFAULT;
module_param_named(max_memory, nt_pol_max_memory, ulong, 0644);
MODULE_PARM_DESC(max_memory, "bytes of rules, counters, classifiers, meters and transaction per network namespace (default 268435456)");

static unsigned int nt_pol_net_id __read_mostly;
struct workqueue_struct *nt_pol_wq;

struct nt_pol_net *nt_pol_pernet(struct net *net)
{
	return net_generic(net, nt_pol_net_id);
}

/* The pernet part */

static int __net_init nt_pol_net_init(struct net *net)
{
	struct nt_pol_net *pn = nt_pol_pernet(net);
	int h;

	pn->net = net;
	mutex_init(&pn->lock);
	pn->budget = nt_pol_budget_new();
	if (!pn->budget)
		return -ENOMEM;
	for (h = 0; h < NT_POL_HOOKS; h++) {
		pn->hook_prio[h] = NT_POL_PRIO_DEFAULT;
		pn->hstat[h] = alloc_percpu_gfp(struct nt_pol_hookstat,
						GFP_KERNEL_ACCOUNT);
		if (!pn->hstat[h])
			goto err_hstat;
	}
	return 0;
err_hstat:
	while (h--)
		free_percpu(pn->hstat[h]);
	nt_pol_budget_put(pn->budget);
	return -ENOMEM;
}

/*
 * Netns exit comes in two steps, so that a batch of namespaces waits for
 * one grace period, the core's between the steps, and not one each: the
 * hooks go first; then, once no packet can be in them, what they read.
 */
static void __net_exit nt_pol_net_pre_exit(struct net *net)
{
	struct nt_pol_net *pn = nt_pol_pernet(net);

	mutex_lock(&pn->lock);
	nt_pol_hooks_unregister(pn);
	mutex_unlock(&pn->lock);
}

static void __net_exit nt_pol_net_exit(struct net *net)
{
	struct nt_pol_net *pn = nt_pol_pernet(net);
	struct nt_pol_ruleset *rs;
	int h;

	mutex_lock(&pn->lock);
	nt_pol_hooks_free(pn);
	rs = nt_pol_active(pn);
	RCU_INIT_POINTER(pn->active, NULL);
	nt_pol_txn_free(pn->txn);
	pn->txn = NULL;
	WRITE_ONCE(pn->txn_portid, 0);
	mutex_unlock(&pn->lock);
	if (rs)
		queue_rcu_work(nt_pol_wq, &rs->free_work);
	for (h = 0; h < NT_POL_HOOKS; h++)
		free_percpu(pn->hstat[h]);
	nt_pol_budget_put(pn->budget);
}

static struct pernet_operations nt_pol_net_ops = {
	.init = nt_pol_net_init,
	.pre_exit = nt_pol_net_pre_exit,
	.exit = nt_pol_net_exit,
	.id = &nt_pol_net_id,
	.size = sizeof(struct nt_pol_net),
};

/* A transaction dies with the socket that opened it. */
static int nt_pol_netlink_event(struct notifier_block *nb, unsigned long ev,
				void *ptr)
{
	struct netlink_notify *n = ptr;
	struct nt_pol_net *pn;

	if (ev != NETLINK_URELEASE || n->protocol != NETLINK_GENERIC)
		return NOTIFY_DONE;
	pn = nt_pol_pernet(n->net);
	/*
	 * Every generic netlink socket of the namespace that closes comes
	 * here: only the one with the open transaction waits for the lock
	 * (a commit of 100k rules holds it a while).
	 */
	if (READ_ONCE(pn->txn_portid) != n->portid)
		return NOTIFY_DONE;
	mutex_lock(&pn->lock);
	if (pn->txn && pn->txn->portid == n->portid) {
		nt_pol_txn_free(pn->txn);
		pn->txn = NULL;
		WRITE_ONCE(pn->txn_portid, 0);
	}
	mutex_unlock(&pn->lock);
	return NOTIFY_DONE;
}

static struct notifier_block nt_pol_netlink_nb = {
	.notifier_call = nt_pol_netlink_event,
};

static int __init nt_pol_init(void)
{
	int err;

	nt_pol_wq = alloc_workqueue("nt_policy", WQ_UNBOUND, 0);
	if (!nt_pol_wq)
		return -ENOMEM;
	err = register_pernet_subsys(&nt_pol_net_ops);
	if (err)
		goto err_wq;
	err = netlink_register_notifier(&nt_pol_netlink_nb);
	if (err)
		goto err_pernet;
	err = nt_pol_genl_init();
	if (err)
		goto err_notifier;
	return 0;
err_notifier:
	netlink_unregister_notifier(&nt_pol_netlink_nb);
err_pernet:
	unregister_pernet_subsys(&nt_pol_net_ops);
err_wq:
	destroy_workqueue(nt_pol_wq);
	return err;
}

static void __exit nt_pol_exit(void)
{
	nt_pol_genl_exit();
	netlink_unregister_notifier(&nt_pol_netlink_nb);
	unregister_pernet_subsys(&nt_pol_net_ops);
	rcu_barrier();		/* queue_rcu_work callbacks */
	destroy_workqueue(nt_pol_wq);	/* drains the frees */
}

module_init(nt_pol_init);
module_exit(nt_pol_exit);
MODULE_LICENSE("GPL");
MODULE_VERSION(NTKIT_VERSION);
MODULE_DESCRIPTION("ntkit traffic policy: match, drop, mark, police, meter at 100k rules, changed atomically");
MODULE_IMPORT_NS(NTKIT);
