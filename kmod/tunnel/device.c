// SPDX-License-Identifier: GPL-2.0
/*
 * nt_tun: the net device (rtnl_link_ops kind "nttun") and the module.
 *
 * A layer-3 point-to-point device without ARP, carrying IPv4 and IPv6 to
 * peers chosen by inner destination (xmit.c). Its UDP sockets are
 * opened when it goes up, in the namespace where it was created; they
 * stay there when the device moves to another namespace, and the device
 * is deleted when that namespace goes away. Settings and peers are set
 * through the nt_tun generic netlink family (netlink.c).
 */
#include <linux/module.h>
#include <linux/if_arp.h>
#include <linux/rtnetlink.h>
#include <net/rtnetlink.h>
#include <net/net_namespace.h>
#include <net/ip.h>
#include <net/ip_tunnels.h>
#include "nt_stats.h"
#include "device.h"

#define CREATE_TRACE_POINTS
#include "trace.h"

unsigned int nt_tun_max_peers = 65536;
module_param_named(max_peers, nt_tun_max_peers, uint, 0644);
MODULE_PARM_DESC(max_peers, "peers per device (default 65536)");

unsigned int nt_tun_max_allowedips = 262144;
module_param_named(max_allowedips, nt_tun_max_allowedips, uint, 0644);
MODULE_PARM_DESC(max_allowedips, "allowed-ips per device (default 262144)");

/* Every nttun device, under RTNL: a dying namespace deletes its own. */
static LIST_HEAD(nt_tun_devs);

/* Outer IPv6 + UDP + our header: the default MTU fits any underlay. */
#define NT_TUN_OVERHEAD (40 + 8 + NT_TUN_HDR_LEN)

static const struct net_device_ops nt_tun_netdev_ops;

bool nt_tun_is_dev(const struct net_device *dev)
{
	return dev->netdev_ops == &nt_tun_netdev_ops;
}

struct nt_tun_dev *nt_tun_dev_get(struct net *net, int ifindex,
				  const char *name)
{
	struct net_device *dev;

	ASSERT_RTNL();
	dev = ifindex ? __dev_get_by_index(net, ifindex) :
			__dev_get_by_name(net, name);
	if (!dev || !nt_tun_is_dev(dev))
		return NULL;
	return netdev_priv(dev);
}

void nt_tun_count_drop(struct nt_tun_dev *nt, struct nt_tun_peer *peer,
		       enum nt_tun_drop why)
{
	struct nt_tun_drops *d = this_cpu_ptr(nt->drops);

	u64_stats_update_begin(&d->syncp);
	d->n[why]++;
	u64_stats_update_end(&d->syncp);
	if (peer) {
		struct nt_tun_peer_pcpu *s = this_cpu_ptr(peer->stats);

		u64_stats_update_begin(&s->syncp);
		s->drops[why]++;
		u64_stats_update_end(&s->syncp);
	}
}

static bool nt_tun_drop_is_rx(int why)
{
	return why >= NT_TUN_DROP_UNKNOWN_SENDER && why <= NT_TUN_DROP_ECN;
}

void nt_tun_dev_drops(struct nt_tun_dev *nt, u64 sum[NT_TUN_DROP_MAX + 1])
{
	memset(sum, 0, sizeof(u64) * (NT_TUN_DROP_MAX + 1));
	NT_STATS_SUM(nt->drops, struct nt_tun_drops, n, NT_TUN_DROP_MAX + 1, sum);
}

static void nt_tun_get_stats64(struct net_device *dev,
			       struct rtnl_link_stats64 *st)
{
	struct nt_tun_dev *nt = netdev_priv(dev);
	u64 n[NT_TUN_DROP_MAX + 1];
	int i;

	dev_get_tstats64(dev, st);
	nt_tun_dev_drops(nt, n);
	for (i = 1; i <= NT_TUN_DROP_MAX; i++) {
		if (nt_tun_drop_is_rx(i))
			st->rx_dropped += n[i];
		else
			st->tx_dropped += n[i];
	}
}

static int nt_tun_open(struct net_device *dev)
{
	struct nt_tun_dev *nt = netdev_priv(dev);

	return nt_tun_socks_open(nt, nt->listen_port);
}

static int nt_tun_stop(struct net_device *dev)
{
	struct nt_tun_dev *nt = netdev_priv(dev);
	struct nt_tun_peer *peer;
	unsigned long id;

	nt_tun_socks_close(nt);
	mutex_lock(&nt->lock);
	xa_for_each(&nt->peers, id, peer)
		dst_cache_reset(&peer->dst_cache);
	mutex_unlock(&nt->lock);
	return 0;
}

static int nt_tun_init(struct net_device *dev)
{
	struct nt_tun_dev *nt = netdev_priv(dev);
	int cpu, err;

	/* charged to the creator's memory cgroup, as the device itself */
	dev->tstats = __netdev_alloc_pcpu_stats(struct pcpu_sw_netstats,
						GFP_KERNEL_ACCOUNT);
	if (!dev->tstats)
		return -ENOMEM;
	nt->drops = alloc_percpu_gfp(struct nt_tun_drops, GFP_KERNEL_ACCOUNT);
	if (!nt->drops)
		goto err_nomem;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(nt->drops, cpu)->syncp);
	err = rhltable_init(&nt->eps, &nt_tun_ep_params);
	if (err)
		goto err_stats;
	err = gro_cells_init(&nt->gro_cells, dev);
	if (err) {
		rhltable_destroy(&nt->eps);
		goto err_stats;
	}
	/*
	 * Listed last, when nothing here can fail any more: register may
	 * still fail after this (a clashing ifindex), and then calls
	 * nt_tun_uninit(), which unlists the device.
	 */
	list_add(&nt->list, &nt_tun_devs);
	return 0;
err_nomem:
	err = -ENOMEM;
err_stats:
	free_percpu(nt->drops);
	nt->drops = NULL;
	free_percpu(dev->tstats);
	dev->tstats = NULL;
	return err;
}

static void nt_tun_uninit(struct net_device *dev)
{
	struct nt_tun_dev *nt = netdev_priv(dev);

	list_del(&nt->list);
	mutex_lock(&nt->lock);
	nt_tun_peers_flush(nt);
	mutex_unlock(&nt->lock);
	gro_cells_destroy(&nt->gro_cells);
	rhltable_destroy(&nt->eps);
	xa_destroy(&nt->peers);
}

/*
 * The counters go last: packets on other CPUs may count into them until
 * the grace period the core waits for once per batch, after every
 * device's ndo_uninit (one more here would hold RTNL for a grace period
 * per device, on top of the one that closing an up device's sockets
 * takes). The core calls this after that wait, or at once if
 * register_netdevice() failed after ndo_init, before the device could
 * carry a packet.
 */
static void nt_tun_destruct(struct net_device *dev)
{
	struct nt_tun_dev *nt = netdev_priv(dev);

	free_percpu(nt->drops);
	free_percpu(dev->tstats);
}

static const struct net_device_ops nt_tun_netdev_ops = {
	.ndo_init = nt_tun_init,
	.ndo_uninit = nt_tun_uninit,
	.ndo_open = nt_tun_open,
	.ndo_stop = nt_tun_stop,
	.ndo_start_xmit = nt_tun_xmit,
	.ndo_get_stats64 = nt_tun_get_stats64,
};

static void nt_tun_setup(struct net_device *dev)
{
	struct nt_tun_dev *nt = netdev_priv(dev);
	const netdev_features_t feat = NETIF_F_SG | NETIF_F_HW_CSUM |
				       NETIF_F_RXCSUM | NETIF_F_HIGHDMA |
				       NETIF_F_GSO_SOFTWARE;

	dev->netdev_ops = &nt_tun_netdev_ops;
	dev->type = ARPHRD_NONE;
	dev->flags = IFF_POINTOPOINT | IFF_NOARP;
	dev->priv_flags |= IFF_NO_QUEUE;
	dev->hard_header_len = 0;
	dev->addr_len = 0;
	dev->needed_headroom = LL_MAX_HEADER + NT_TUN_OVERHEAD;
	dev->mtu = ETH_DATA_LEN - NT_TUN_OVERHEAD;
	dev->min_mtu = IPV4_MIN_MTU;
	dev->max_mtu = IP_MAX_MTU - NT_TUN_OVERHEAD;
	dev->features |= feat;
	nt_netdev_lltx(dev);
	dev->hw_features |= feat;
	dev->hw_enc_features |= feat;
	dev->needs_free_netdev = true;
	dev->priv_destructor = nt_tun_destruct;
	netif_keep_dst(dev);

	memset(nt, 0, sizeof(*nt));
	nt->dev = dev;
	mutex_init(&nt->lock);
	xa_init(&nt->peers);
	nt_prefix_table_init(&nt->aips, &nt->lock);
	nt->dscp = NT_TUN_DSCP_INHERIT;
	nt->dump_gen = 1;
	nt->sport_range = NT_TUN_SPORT_MIN_DEFAULT << 16 |
			  NT_TUN_SPORT_MAX_DEFAULT;
}

static int nt_tun_newlink(struct net *src_net, struct net_device *dev,
			  struct nlattr *tb[], struct nlattr *data[],
			  struct netlink_ext_ack *extack)
{
	struct nt_tun_dev *nt = netdev_priv(dev);

	nt->net = src_net;
	return register_netdevice(dev);
}

static int nt_tun_validate(struct nlattr *tb[], struct nlattr *data[],
			   struct netlink_ext_ack *extack)
{
	if (tb[IFLA_ADDRESS]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[IFLA_ADDRESS],
				    "an nttun device has no link-layer address");
		return -EINVAL;
	}
	return 0;
}

static struct rtnl_link_ops nt_tun_link_ops __read_mostly = {
	.kind = NT_TUN_LINK_KIND,
	.priv_size = sizeof(struct nt_tun_dev),
	.setup = nt_tun_setup,
	.validate = nt_tun_validate,
	.newlink = nt_tun_newlink,
};

/* The sockets' namespace is going: delete the devices that use it. */
static void nt_tun_net_pre_exit(struct net *net)
{
	struct nt_tun_dev *nt, *tmp;
	LIST_HEAD(kill);

	rtnl_lock();
	list_for_each_entry_safe(nt, tmp, &nt_tun_devs, list)
		if (nt->net == net)
			unregister_netdevice_queue(nt->dev, &kill);
	unregister_netdevice_many(&kill);
	rtnl_unlock();
}

static struct pernet_operations nt_tun_net_ops = {
	.pre_exit = nt_tun_net_pre_exit,
};

static int __init nt_tun_mod_init(void)
{
	int err;

	err = register_pernet_device(&nt_tun_net_ops);
	if (err)
		return err;
	err = rtnl_link_register(&nt_tun_link_ops);
	if (err)
		goto err_pernet;
	err = nt_tun_genl_init();
	if (err)
		goto err_link;
	return 0;
err_link:
	rtnl_link_unregister(&nt_tun_link_ops);
err_pernet:
	unregister_pernet_device(&nt_tun_net_ops);
	return err;
}

static void __exit nt_tun_mod_exit(void)
{
	nt_tun_genl_exit();
	rtnl_link_unregister(&nt_tun_link_ops);
	unregister_pernet_device(&nt_tun_net_ops);
	rcu_barrier();
}

module_init(nt_tun_mod_init);
module_exit(nt_tun_mod_exit);
MODULE_LICENSE("GPL");
MODULE_VERSION(NTKIT_VERSION);
MODULE_DESCRIPTION("ntkit UDP tunnel device: many peers routed by inner prefix");
MODULE_ALIAS_RTNL_LINK(NT_TUN_LINK_KIND);
MODULE_IMPORT_NS(NTKIT);
