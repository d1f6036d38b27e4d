// SPDX-License-Identifier: GPL-2.0
/*
 * nt_tun: peers. A peer has an id (the xarray key), an endpoint (found on
 * receive through the device's endpoint table, by address), allowed-ips
 * (values of the device's prefix table, which point back at the peer),
 * a keepalive timer, a route cache and per-CPU counters. Changes run
 * under RTNL and nt->lock and are all or nothing (see struct
 * nt_tun_change); a removed peer is freed after a grace period, so the
 * packet path may hold it for the length of an RCU read section.
 */
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/bitmap.h>
#include <linux/timer.h>
#include <linux/netlink.h>
#include "nt_stats.h"
#include "device.h"
#include "trace.h"

const struct rhashtable_params nt_tun_ep_params = {
	.key_len = sizeof(struct nt_tun_addr),
	.key_offset = offsetof(struct nt_tun_ep, addr),
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

/* Under the lock: is @ep (address and port) some peer's endpoint? */
static struct nt_tun_ep *nt_tun_ep_find(struct nt_tun_dev *nt,
					const struct nt_tun_ep *ep)
{
	struct rhlist_head *list, *pos;
	struct nt_tun_ep *other;

	rcu_read_lock();
	list = rhltable_lookup(&nt->eps, &ep->addr, nt_tun_ep_params);
	rhl_for_each_entry_rcu(other, pos, list, node) {
		if (other->port == ep->port) {
			rcu_read_unlock();
			return other;
		}
	}
	rcu_read_unlock();
	return NULL;
}

/*
 * A peer change is built whole before anything readers see is touched:
 * the new endpoint (not yet in the table), the new allowed-ips in the
 * order asked and without duplicates (existing objects, the peer's own or
 * another peer's that move here, and new ones whose trie nodes are
 * reserved), and every limit checked. Applying it can then fail only in
 * the endpoint table insert, which goes first.
 */
struct nt_tun_change {
	struct nt_tun_ep *ep;		/* new endpoint; NULL: unchanged */
	struct nt_tun_aip **aips;	/* the new list; a new one's peer is NULL */
	unsigned int naips;
	unsigned int added;		/* new to the device */
	unsigned int removed;		/* the peer's, not in the new list */
	struct nt_prefix_reserve res;
};

/* Prefix order, then place in the request: the first of equals first. */
static int nt_tun_prefix_cmp(const void *a, const void *b)
{
	const struct nt_prefix *x = *(const struct nt_prefix * const *)a;
	const struct nt_prefix *y = *(const struct nt_prefix * const *)b;
	int c;

	if (x->family != y->family)
		return x->family < y->family ? -1 : 1;
	if (x->cidr != y->cidr)
		return x->cidr < y->cidr ? -1 : 1;
	c = memcmp(x->addr.bytes, y->addr.bytes, sizeof(x->addr.bytes));
	if (c)
		return c;
	return x < y ? -1 : x > y;
}

/* Mask @p[], and mark in @dup every prefix asked for earlier in it. */
static int nt_tun_prefix_dups(struct nt_prefix *p, unsigned int n,
			      unsigned long *dup)
{
	struct nt_prefix **v;
	unsigned int i;

	if (n < 2) {
		if (n)
			nt_prefix_mask(p);
		return 0;
	}
	v = kvmalloc_array(n, sizeof(*v), GFP_KERNEL_ACCOUNT);
	if (!v)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		nt_prefix_mask(&p[i]);
		v[i] = &p[i];
	}
	sort(v, n, sizeof(*v), nt_tun_prefix_cmp, NULL);
	for (i = 1; i < n; i++)
		if (v[i]->family == v[i - 1]->family &&
		    v[i]->cidr == v[i - 1]->cidr &&
		    !memcmp(v[i]->addr.bytes, v[i - 1]->addr.bytes,
			    sizeof(v[i]->addr.bytes)))
			__set_bit(v[i] - p, dup);
	kvfree(v);
	return 0;
}

static void nt_tun_change_free(struct nt_tun_change *c)
{
	unsigned int i;

	kfree(c->ep);
	for (i = 0; c->aips && i < c->naips; i++)
		if (c->aips[i] && !c->aips[i]->peer)
			kfree(c->aips[i]);
	kvfree(c->aips);
	nt_prefix_reserve_free(&c->res);
}

/* The allowed-ips part of a change of @peer (NULL: a new peer). */
static int nt_tun_change_aips(struct nt_tun_dev *nt, struct nt_tun_peer *peer,
			      const struct nt_tun_peer_cfg *cfg,
			      struct nt_tun_change *c,
			      struct netlink_ext_ack *extack)
{
	unsigned int i, j, kept = 0, n = cfg->naips;
	struct nt_tun_aip *aip;
	unsigned long *dup;
	int err;

	dup = bitmap_zalloc(n ? : 1, GFP_KERNEL_ACCOUNT);
	c->aips = kvcalloc(n ? : 1, sizeof(*c->aips), GFP_KERNEL_ACCOUNT);
	err = -ENOMEM;
	if (!dup || !c->aips)
		goto out;
	err = nt_tun_prefix_dups(cfg->aips, n, dup);
	if (err)
		goto out;
	for (i = 0; i < n; i++) {
		if (test_bit(i, dup))
			continue;
		aip = nt_prefix_get(&nt->aips, &cfg->aips[i]);
		if (!aip)
			c->added++;
		else if (aip->peer == peer)
			kept++;
		c->aips[c->naips++] = aip;
	}
	c->removed = peer ? peer->naips - kept : 0;
	if (nt->naips + c->added - c->removed > nt_tun_max_allowedips) {
		NL_SET_ERR_MSG(extack,
			       "too many allowed-ips on this device (module parameter max_allowedips)");
		err = -ENOSPC;
		goto out;
	}
	/* Only now the new ones: a refusal above allocated nothing per ip. */
	for (i = 0, j = 0; i < c->naips; i++, j++) {
		while (test_bit(j, dup))
			j++;
		if (c->aips[i])
			continue;
		aip = kzalloc(sizeof(*aip), GFP_KERNEL_ACCOUNT);
		if (!aip) {
			err = -ENOMEM;
			goto out;
		}
		aip->pfx = cfg->aips[j];
		c->aips[i] = aip;
	}
	err = nt_prefix_reserve(&c->res, c->added, GFP_KERNEL_ACCOUNT);
out:
	bitmap_free(dup);
	return err;
}

/* Build the change @cfg asks of @peer (NULL: a new peer) into @c. */
static int nt_tun_change_prepare(struct nt_tun_dev *nt,
				 struct nt_tun_peer *peer,
				 const struct nt_tun_peer_cfg *cfg,
				 struct nt_tun_change *c,
				 struct netlink_ext_ack *extack)
{
	struct nt_tun_ep *other;
	int err;

	lockdep_assert_held(&nt->lock);
	memset(c, 0, sizeof(*c));
	if (cfg->ep) {
		other = nt_tun_ep_find(nt, cfg->ep);
		if (other && (!peer || other->peer != peer)) {
			NL_SET_ERR_MSG(extack,
				       "endpoint (NT_TUN_PEER_A_ENDPOINT) is another peer's");
			return -EEXIST;
		}
		if (!other) {
			c->ep = kzalloc(sizeof(*c->ep), GFP_KERNEL_ACCOUNT);
			if (!c->ep)
				return -ENOMEM;
			c->ep->addr = cfg->ep->addr;
			c->ep->port = cfg->ep->port;
		}
	}
	if (cfg->set_aips) {
		err = nt_tun_change_aips(nt, peer, cfg, c, extack);
		if (err) {
			nt_tun_change_free(c);
			return err;
		}
	}
	return 0;
}

/* Publish the prepared endpoint of @c for @peer; the one step that fails. */
static int nt_tun_change_ep(struct nt_tun_peer *peer, struct nt_tun_change *c)
{
	struct nt_tun_dev *nt = peer->nt;
	struct nt_tun_ep *old;
	int err;

	if (!c->ep)
		return 0;
	c->ep->peer = peer;
	err = rhltable_insert(&nt->eps, &c->ep->node, nt_tun_ep_params);
	if (err)
		return err;
	old = rcu_dereference_protected(peer->ep, lockdep_is_held(&nt->lock));
	rcu_assign_pointer(peer->ep, c->ep);
	c->ep = NULL;
	if (old) {
		rhltable_remove(&nt->eps, &old->node, nt_tun_ep_params);
		kfree_rcu(old, rcu);
		dst_cache_reset(&peer->dst_cache);
	}
	return 0;
}

/*
 * Make @c's list @peer's allowed-ips, in its order. Cannot fail: new
 * prefixes take reserved nodes, moved ones change owner in place, and
 * what the peer held outside the list goes.
 */
static void nt_tun_change_aips_apply(struct nt_tun_peer *peer,
				     struct nt_tun_change *c)
{
	struct nt_tun_dev *nt = peer->nt;
	struct nt_tun_aip *aip, *tmp;
	LIST_HEAD(old);
	unsigned int i;

	list_splice_init(&peer->aips, &old);
	for (i = 0; i < c->naips; i++) {
		aip = c->aips[i];
		c->aips[i] = NULL;
		if (!aip->peer) {
			aip->peer = peer;
			if (WARN_ON_ONCE(nt_prefix_insert_reserved(&nt->aips,
								   &aip->pfx,
								   aip, true,
								   NULL,
								   &c->res))) {
				kfree(aip);
				continue;
			}
			nt->naips++;
			list_add_tail(&aip->list, &peer->aips);
			continue;
		}
		if (aip->peer != peer) {
			aip->peer->naips--;
			WRITE_ONCE(aip->peer, peer);
		}
		list_move_tail(&aip->list, &peer->aips);
	}
	peer->naips = 0;
	list_for_each_entry(aip, &peer->aips, list)
		peer->naips++;
	list_for_each_entry_safe(aip, tmp, &old, list) {
		nt_prefix_delete(&nt->aips, &aip->pfx);
		list_del(&aip->list);
		kfree_rcu(aip, rcu);
		nt->naips--;
	}
}

void nt_tun_peer_set_keepalive(struct nt_tun_peer *peer, u16 secs)
{
	WRITE_ONCE(peer->keepalive, secs);
	if (secs)
		mod_timer(&peer->timer, jiffies + secs * HZ);
	else
		del_timer(&peer->timer);
}

int nt_tun_peer_set(struct nt_tun_peer *peer, const struct nt_tun_peer_cfg *cfg,
		    struct netlink_ext_ack *extack)
{
	struct nt_tun_change c;
	int err;

	err = nt_tun_change_prepare(peer->nt, peer, cfg, &c, extack);
	if (err)
		return err;
	err = nt_tun_change_ep(peer, &c);
	if (!err) {
		if (cfg->set_aips)
			nt_tun_change_aips_apply(peer, &c);
		if (cfg->keepalive >= 0)
			nt_tun_peer_set_keepalive(peer, cfg->keepalive);
	}
	nt_tun_change_free(&c);
	return err;
}

struct nt_tun_peer *nt_tun_peer_new(struct nt_tun_dev *nt,
				    const struct nt_tun_peer_cfg *cfg,
				    struct netlink_ext_ack *extack)
{
	struct nt_tun_peer *peer;
	struct nt_tun_change c;
	int err, cpu;

	lockdep_assert_held(&nt->lock);
	if (xa_load(&nt->peers, cfg->id)) {
		NL_SET_ERR_MSG(extack, "peer id (NT_TUN_PEER_A_ID) exists");
		return ERR_PTR(-EEXIST);
	}
	if (nt->npeers >= nt_tun_max_peers) {
		NL_SET_ERR_MSG(extack,
			       "too many peers on this device (module parameter max_peers)");
		return ERR_PTR(-ENOSPC);
	}
	err = nt_tun_change_prepare(nt, NULL, cfg, &c, extack);
	if (err)
		return ERR_PTR(err);
	err = -ENOMEM;
	peer = kzalloc(sizeof(*peer), GFP_KERNEL_ACCOUNT);
	if (!peer)
		goto free_change;
	peer->nt = nt;
	peer->id = cfg->id;
	INIT_LIST_HEAD(&peer->aips);
	peer->last_tx = jiffies;
	timer_setup(&peer->timer, nt_tun_keepalive_fire, 0);
	peer->stats = alloc_percpu_gfp(struct nt_tun_peer_pcpu,
				       GFP_KERNEL_ACCOUNT);
	if (!peer->stats)
		goto free_peer;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(peer->stats, cpu)->syncp);
	if (dst_cache_init(&peer->dst_cache, GFP_KERNEL_ACCOUNT))
		goto free_peer;
	/* The slot, so that storing the peer in it below cannot fail. */
	err = xa_reserve(&nt->peers, cfg->id, GFP_KERNEL_ACCOUNT);
	if (err)
		goto free_peer;
	/*
	 * Published in this order: the endpoint (receive finds the peer; a
	 * failure here leaves nothing published), its id (netlink, under
	 * the lock), then its allowed-ips (transmit finds it).
	 */
	err = nt_tun_change_ep(peer, &c);
	if (err) {
		xa_release(&nt->peers, cfg->id);
		goto free_peer;
	}
	xa_store(&nt->peers, cfg->id, peer, GFP_KERNEL_ACCOUNT);
	nt->npeers++;
	if (cfg->set_aips)
		nt_tun_change_aips_apply(peer, &c);
	nt_tun_change_free(&c);
	if (cfg->keepalive > 0)
		nt_tun_peer_set_keepalive(peer, cfg->keepalive);
	return peer;
free_peer:
	dst_cache_destroy(&peer->dst_cache);
	free_percpu(peer->stats);
	kfree(peer);
free_change:
	nt_tun_change_free(&c);
	return ERR_PTR(err);
}

static void nt_tun_peer_clear_aips(struct nt_tun_peer *peer)
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
	/* 65,536 peers may go here, under RTNL and nt->lock (both sleep) */
	xa_for_each(&nt->peers, id, peer) {
		nt_tun_peer_del(peer);
		cond_resched();
	}
}

static_assert(NT_TUN_PEER_COUNTERS <= NT_STATS_MAX);

void nt_tun_peer_stats(const struct nt_tun_peer *peer,
		       struct nt_tun_peer_pcpu *sum)
{
	memset(sum, 0, sizeof(*sum));
	NT_STATS_SUM(peer->stats, struct nt_tun_peer_pcpu, rx_packets,
		     NT_TUN_PEER_COUNTERS, &sum->rx_packets);
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
