/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nt_tun: a device, its settings, its peers. See Documentation/tunnel.rst.
 *
 * Locking: configuration (settings, peers, allowed-ips, sockets) changes
 * under RTNL and the device's mutex @lock, in that order. The packet path
 * takes no lock: it reads sockets, peers, endpoints and allowed-ips under
 * RCU, settings with READ_ONCE, and counts into per-CPU counters.
 */
#ifndef _NT_TUN_DEVICE_H
#define _NT_TUN_DEVICE_H

#include <linux/netdevice.h>
#include <linux/rhashtable.h>
#include <linux/xarray.h>
#include <linux/u64_stats_sync.h>
#include <net/gro_cells.h>
#include <net/dst_cache.h>
#include <linux/nt_tun.h>
#include "nt_compat.h"
#include "nt_prefix.h"

struct nt_tun_drops {
	u64 n[NT_TUN_DROP_MAX + 1];
	struct u64_stats_sync syncp;
};

/*
 * The address of an endpoint: the key of the device's endpoint table,
 * which finds peers by address. Zero padded, an IPv4 address in @ip4.
 */
struct nt_tun_addr {
	u16 family;
	u16 zero;
	union {
		__be32 ip4;
		struct in6_addr ip6;
	};
};

struct nt_tun_peer;

/*
 * An endpoint, in the one shape it has from netlink to the socket: an
 * address and a port. A peer's is replaced as a whole when it changes;
 * one that a request carries (struct nt_tun_peer_cfg) is not in a table.
 */
struct nt_tun_ep {
	struct rhlist_head node;
	struct nt_tun_addr addr;
	__be16 port;
	struct nt_tun_peer *peer;
	struct rcu_head rcu;
};

/* One allowed-ip: the value of the device's prefix table. */
struct nt_tun_aip {
	struct nt_tun_peer *peer;
	struct list_head list;		/* the peer's, under nt->lock */
	struct nt_prefix pfx;
	struct rcu_head rcu;
};

struct nt_tun_peer_pcpu {
	/* the counters: summed as one array of NT_TUN_PEER_COUNTERS */
	u64 rx_packets, rx_bytes, tx_packets, tx_bytes;
	u64 drops[NT_TUN_DROP_MAX + 1];
	struct u64_stats_sync syncp;
};

#define NT_TUN_PEER_COUNTERS	(4 + NT_TUN_DROP_MAX + 1)
static_assert(offsetof(struct nt_tun_peer_pcpu, syncp) ==
	      offsetof(struct nt_tun_peer_pcpu, rx_packets) +
	      NT_TUN_PEER_COUNTERS * sizeof(u64));

struct nt_tun_dev;

struct nt_tun_peer {
	struct nt_tun_dev *nt;
	u32 id;
	struct nt_tun_ep __rcu *ep;
	struct list_head aips;		/* struct nt_tun_aip, under nt->lock */
	unsigned int naips;
	u16 keepalive;			/* seconds, 0 = off */
	unsigned long last_tx;		/* jiffies */
	u64 last_rx;			/* ns, CLOCK_REALTIME; 0 = never */
	struct timer_list timer;	/* keepalive */
	struct dst_cache dst_cache;
	struct nt_tun_peer_pcpu __percpu *stats;
	struct rcu_head rcu;
};

struct nt_tun_dev {
	struct net_device *dev;
	struct net *net;		/* where the UDP sockets live */
	struct list_head list;		/* nt_tun_devs, under RTNL */
	struct mutex lock;
	struct sock __rcu *sock4;
	struct sock __rcu *sock6;
	u16 listen_port;		/* configured; 0 = any */
	u16 bound_port;			/* in use while up */
	u32 fwmark;
	u8 ttl;				/* 0 = inherit */
	u8 dscp;			/* NT_TUN_DSCP_INHERIT or 0..63 */
	u32 vni;
	u32 sport_range;		/* min << 16 | max, read as one */
	struct nt_prefix_table aips;
	struct xarray peers;		/* by id */
	struct rhltable eps;		/* struct nt_tun_ep by address */
	unsigned int npeers;
	unsigned int naips;
	u32 dump_gen;			/* peer changes, never 0; under lock */
	struct gro_cells gro_cells;
	struct nt_tun_drops __percpu *drops;
};

extern unsigned int nt_tun_max_peers;
extern unsigned int nt_tun_max_allowedips;
extern const struct rhashtable_params nt_tun_ep_params;

/* device.c */
struct nt_tun_dev *nt_tun_dev_get(struct net *net, int ifindex,
				  const char *name);	/* under RTNL */
bool nt_tun_is_dev(const struct net_device *dev);
void nt_tun_count_drop(struct nt_tun_dev *nt, struct nt_tun_peer *peer,
		       enum nt_tun_drop why);
/* The device's drops by reason, summed over the CPUs. */
void nt_tun_dev_drops(struct nt_tun_dev *nt, u64 sum[NT_TUN_DROP_MAX + 1]);

/* socket.c */
int nt_tun_socks_open(struct nt_tun_dev *nt, u16 port);
void nt_tun_socks_close(struct nt_tun_dev *nt);
void nt_tun_drop_skb(struct nt_tun_dev *nt, struct nt_tun_peer *peer,
		     enum nt_tun_drop why, struct sk_buff *skb);

/* A peer's packets, counted on this CPU (per packet: inline). */
static inline void nt_tun_peer_count(struct nt_tun_peer *peer, bool rx,
				     unsigned int pkts, unsigned int bytes)
{
	struct nt_tun_peer_pcpu *s = this_cpu_ptr(peer->stats);

	u64_stats_update_begin(&s->syncp);
	if (rx) {
		s->rx_packets += pkts;
		s->rx_bytes += bytes;
	} else {
		s->tx_packets += pkts;
		s->tx_bytes += bytes;
	}
	u64_stats_update_end(&s->syncp);
}

/* xmit.c */
netdev_tx_t nt_tun_xmit(struct sk_buff *skb, struct net_device *dev);
void nt_tun_send_keepalive(struct nt_tun_peer *peer);

/* peer.c */

/* A peer as PEER_NEW or PEER_SET asks for it: what is unset stays. */
struct nt_tun_peer_cfg {
	u32 id;
	const struct nt_tun_ep *ep;	/* NULL: unchanged */
	struct nt_prefix *aips;		/* masked in place */
	unsigned int naips;
	bool set_aips;			/* @aips replaces the whole list */
	int keepalive;			/* seconds, or -1: unchanged */
};

/*
 * Both all or nothing, under RTNL and nt->lock: on an error (with a
 * message in @extack) no peer has changed.
 */
struct nt_tun_peer *nt_tun_peer_new(struct nt_tun_dev *nt,
				    const struct nt_tun_peer_cfg *cfg,
				    struct netlink_ext_ack *extack);
int nt_tun_peer_set(struct nt_tun_peer *peer, const struct nt_tun_peer_cfg *cfg,
		    struct netlink_ext_ack *extack);
void nt_tun_peer_set_keepalive(struct nt_tun_peer *peer, u16 secs);
void nt_tun_peer_del(struct nt_tun_peer *peer);
void nt_tun_peers_flush(struct nt_tun_dev *nt);
void nt_tun_peer_stats(const struct nt_tun_peer *peer,
		       struct nt_tun_peer_pcpu *sum);
void nt_tun_peer_contact(struct nt_tun_peer *peer);

/* netlink.c */
int nt_tun_genl_init(void);
void nt_tun_genl_exit(void);
void nt_tun_notify_contact(struct nt_tun_peer *peer);

#endif /* _NT_TUN_DEVICE_H */
