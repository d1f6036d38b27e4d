// SPDX-License-Identifier: GPL-2.0
/*
 * nt_tun: peers. A peer has an id (the xarray key), an endpoint (found on
 * receive through the device's endpoint table, by address), allowed-ips
 * (values of the device's prefix table, which point back at the peer),
 * a keepalive timer, a route cache and per-CPU counters. Changes run
 * under RTNL and nt->lock; a removed peer is freed after a grace period,
 * so the packet path may hold it for the length of an RCU read section.
 */
#include <linux/slab.h>
#include <linux/timer.h>
#include <linux/netlink.h>
#include "device.h"
#include "trace.h"

const struct rhashtable_params nt_tun_ep_params = {
	.key_len = sizeof(struct nt_tun_ep_key),
	.key_offset = offsetof(struct nt_tun_ep, key),
	.head_offset = offsetof(struct nt_tun_ep, node),
	.automatic_shrinking = true,
};

static void nt_tun_keepalive_fire(struct timer_list *t)
{
	struct nt_tun_peer *peer = from_timer(peer, t, timer);
	unsigned long ivl = READ_ONCE(peer->keepalive) * HZ;

	if (!ivl)
		return;
	/* Only when nothing else went out for a whole interval. */
	if (time_after_eq(jiffies, READ_ONCE(peer->last_tx) + ivl - HZ / 10))
		nt_tun_send_keepalive(peer);
	mod_timer(&peer->timer, jiffies + ivl);
}

/* Under the lock: is @key:@port some peer's endpoint already? */
static struct nt_tun_ep *nt_tun_ep_find(struct nt_tun_dev *nt,
					const struct nt_tun_ep_key *key)
{
	struct nt_tun_ep_key k = *key;
	struct rhlist_head *list, *pos;
	struct nt_tun_ep *ep;

	k.port = 0;
	rcu_read_lock();
	list = rhltable_lookup(&nt->eps, &k, nt_tun_ep_params);
	rhl_for_each_entry_rcu(ep, pos, list, node) {
		if (ep->port == key->port) {
			rcu_read_unlock();
			return ep;
		}
	}
	rcu_read_unlock();
	return NULL;
}

int nt_tun_peer_set_ep(struct nt_tun_peer *peer,
		       const struct nt_tun_ep_key *key,
		       struct netlink_ext_ack *extack)
{
	struct nt_tun_dev *nt = peer->nt;
	struct nt_tun_ep *old, *ep, *other;
	int err;

	lockdep_assert_held(&nt->lock);
	old = rcu_dereference_protected(peer->ep, lockdep_is_held(&nt->lock));
	other = nt_tun_ep_find(nt, key);
	if (other == old && old)
		return 0;
	if (other) {
		NL_SET_ERR_MSG(extack,
			       "endpoint (NT_TUN_PEER_A_ENDPOINT) is another peer's");
		return -EEXIST;
	}
	ep = kzalloc(sizeof(*ep), GFP_KERNEL_ACCOUNT);
	if (!ep)
		return -ENOMEM;
	ep->key = *key;
	ep->port = key->port;
	ep->key.port = 0;	/* found by address; the port picks among */
	ep->peer = peer;
	err = rhltable_insert(&nt->eps, &ep->node, nt_tun_ep_params);
	if (err) {
		kfree(ep);
		return err;
	}
	rcu_assign_pointer(peer->ep, ep);
	if (old) {
		rhltable_remove(&nt->eps, &old->node, nt_tun_ep_params);
		kfree_rcu(old, rcu);
	}
	dst_cache_reset(&peer->dst_cache);
	return 0;
}

struct nt_tun_peer *nt_tun_peer_new(struct nt_tun_dev *nt, u32 id,
				    const struct nt_tun_ep_key *key,
				    struct netlink_ext_ack *extack)
{
	struct nt_tun_peer *peer;
	int err, cpu;

	lockdep_assert_held(&nt->lock);
	if (xa_load(&nt->peers, id)) {
		NL_SET_ERR_MSG(extack, "peer id (NT_TUN_PEER_A_ID) exists");
		return ERR_PTR(-EEXIST);
	}
	if (nt->npeers >= nt_tun_max_peers) {
		NL_SET_ERR_MSG(extack,
			       "too many peers on this device (module parameter max_peers)");
		return ERR_PTR(-ENOSPC);
	}
	peer = kzalloc(sizeof(*peer), GFP_KERNEL_ACCOUNT);
	if (!peer)
		return ERR_PTR(-ENOMEM);
	peer->nt = nt;
	peer->id = id;
	INIT_LIST_HEAD(&peer->aips);
	peer->last_tx = jiffies;
	timer_setup(&peer->timer, nt_tun_keepalive_fire, 0);
	peer->stats = alloc_percpu_gfp(struct nt_tun_peer_pcpu,
				       GFP_KERNEL_ACCOUNT);
	if (!peer->stats)
		goto nomem;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(peer->stats, cpu)->syncp);
	if (dst_cache_init(&peer->dst_cache, GFP_KERNEL_ACCOUNT))
		goto nomem;
	err = nt_tun_peer_set_ep(peer, key, extack);
	if (err)
		goto fail;
	err = xa_insert(&nt->peers, id, peer, GFP_KERNEL_ACCOUNT);
	if (err) {
		struct nt_tun_ep *ep = rcu_dereference_protected(peer->ep, 1);

		rhltable_remove(&nt->eps, &ep->node, nt_tun_ep_params);
		kfree_rcu(ep, rcu);
		goto fail;
	}
	nt->npeers++;
	return peer;
nomem:
	err = -ENOMEM;
fail:
	dst_cache_destroy(&peer->dst_cache);
	free_percpu(peer->stats);
	kfree(peer);
	return ERR_PTR(err);
}

void nt_tun_peer_set_keepalive(struct nt_tun_peer *peer, u16 secs)
{
	WRITE_ONCE(peer->keepalive, secs);
	if (secs)
		mod_timer(&peer->timer, jiffies + secs * HZ);
	else
		del_timer(&peer->timer);
}

static void nt_tun_prefix_mask(struct nt_prefix *p)
{
	unsigned int i, bits = p->cidr, len = p->family == AF_INET ? 4 : 16;

	for (i = 0; i < len; i++, bits = bits > 8 ? bits - 8 : 0)
		p->addr.bytes[i] &= bits >= 8 ? 0xff : (u8)(0xff00 >> bits);
}

int nt_tun_peer_add_aip(struct nt_tun_peer *peer, const struct nt_prefix *p,
			struct netlink_ext_ack *extack)
{
	struct nt_tun_dev *nt = peer->nt;
	struct nt_tun_aip *aip, *old;
	void *prev;
	int err;

	lockdep_assert_held(&nt->lock);
	aip = nt_prefix_get(&nt->aips, p);
	if (aip && aip->peer == peer)
		return 0;
	if (!aip && nt->naips >= nt_tun_max_allowedips) {
		NL_SET_ERR_MSG(extack,
			       "too many allowed-ips on this device (module parameter max_allowedips)");
		return -ENOSPC;
	}
	aip = kzalloc(sizeof(*aip), GFP_KERNEL_ACCOUNT);
	if (!aip)
		return -ENOMEM;
	aip->peer = peer;
	aip->pfx = *p;
	nt_tun_prefix_mask(&aip->pfx);
	err = nt_prefix_insert(&nt->aips, &aip->pfx, aip, false, &prev,
			       GFP_KERNEL_ACCOUNT);
	if (err) {
		kfree(aip);
		return err;
	}
	old = prev;
	if (old) {
		/* held by another peer: it moves here */
		list_del(&old->list);
		old->peer->naips--;
		kfree_rcu(old, rcu);
	} else {
		nt->naips++;
	}
	list_add_tail(&aip->list, &peer->aips);
	peer->naips++;
	return 0;
}

void nt_tun_peer_clear_aips(struct nt_tun_peer *peer)
{
	struct nt_tun_dev *nt = peer->nt;
	struct nt_tun_aip *aip, *tmp;

	lockdep_assert_held(&nt->lock);
	list_for_each_entry_safe(aip, tmp, &peer->aips, list) {
		nt_prefix_delete(&nt->aips, &aip->pfx);
		list_del(&aip->list);
		kfree_rcu(aip, rcu);
		nt->naips--;
	}
	peer->naips = 0;
}

static void nt_tun_peer_free_rcu(struct rcu_head *head)
{
	struct nt_tun_peer *peer = container_of(head, struct nt_tun_peer, rcu);

	dst_cache_destroy(&peer->dst_cache);
	free_percpu(peer->stats);
	kfree(peer);
}

void nt_tun_peer_del(struct nt_tun_peer *peer)
{
	struct nt_tun_dev *nt = peer->nt;
	struct nt_tun_ep *ep;

	lockdep_assert_held(&nt->lock);
	xa_erase(&nt->peers, peer->id);
	ep = rcu_dereference_protected(peer->ep, lockdep_is_held(&nt->lock));
	rhltable_remove(&nt->eps, &ep->node, nt_tun_ep_params);
	kfree_rcu(ep, rcu);
	nt_tun_peer_clear_aips(peer);
	nt->npeers--;
	timer_shutdown_sync(&peer->timer);
	call_rcu(&peer->rcu, nt_tun_peer_free_rcu);
}

void nt_tun_peers_flush(struct nt_tun_dev *nt)
{
	struct nt_tun_peer *peer;
	unsigned long id;

	lockdep_assert_held(&nt->lock);
	xa_for_each(&nt->peers, id, peer)
		nt_tun_peer_del(peer);
}

void nt_tun_peer_stats(const struct nt_tun_peer *peer,
		       struct nt_tun_peer_pcpu *sum)
{
	int cpu, i;

	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		const struct nt_tun_peer_pcpu *s = per_cpu_ptr(peer->stats, cpu);
		struct nt_tun_peer_pcpu v;
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			v.rx_packets = s->rx_packets;
			v.rx_bytes = s->rx_bytes;
			v.tx_packets = s->tx_packets;
			v.tx_bytes = s->tx_bytes;
			for (i = 0; i <= NT_TUN_DROP_MAX; i++)
				v.drops[i] = s->drops[i];
		} while (u64_stats_fetch_retry(&s->syncp, start));
		sum->rx_packets += v.rx_packets;
		sum->rx_bytes += v.rx_bytes;
		sum->tx_packets += v.tx_packets;
		sum->tx_bytes += v.tx_bytes;
		for (i = 0; i <= NT_TUN_DROP_MAX; i++)
			sum->drops[i] += v.drops[i];
	}
}

/* A packet came from @peer: note the time; the first one is an event. */
void nt_tun_peer_contact(struct nt_tun_peer *peer)
{
	u64 now = ktime_get_real_ns(), last = READ_ONCE(peer->last_rx);

	if (likely(last)) {
		if (now - last > NSEC_PER_SEC / 10)
			WRITE_ONCE(peer->last_rx, now);
		return;
	}
	if (cmpxchg64(&peer->last_rx, 0, now) != 0)
		return;
	trace_nt_tun_contact(peer);
	nt_tun_notify_contact(peer);
}
