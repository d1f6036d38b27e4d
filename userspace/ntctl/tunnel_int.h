/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ntctl tunnel, inside: what tunnel.c (devices) and tunnel_peer.c (peers)
 * share.
 */
#ifndef NTCTL_TUNNEL_INT_H
#define NTCTL_TUNNEL_INT_H

#include <stdbool.h>
#include <stdio.h>
#include <libmnl/libmnl.h>
#include "nl.h"

#define BIG_BUF (1 << 20)	/* a peer with many allowed-ips */

/* ---- peers: collected first, as one may span several messages ---- */

struct tpeer {
	uint32_t id;
	char ep[64];
	bool have_ep, have_stats;
	uint16_t keepalive;
	uint64_t rxp, rxb, txp, txb, last_rx;
	const struct nlattr *drops;
	void *drops_copy;
	char **aips;
	size_t naips, cap;
};

struct tpeers {
	struct tpeer *v;
	size_t n, cap;
};

/* The peer nest @peer into @ps (a new slot, or its id's). */
void tun_peer_collect(struct tpeers *ps, const struct nlattr *peer);
/* Peers of @dev (ifindex @ifindex if not 0), or peer @id only (not 0). */
int tun_fetch_peers(const struct nl_family *f, const char *dev,
		    uint32_t ifindex, uint32_t id, struct tpeers *ps);
void tun_print_peer(const struct tpeer *p, bool full);
void tun_print_peers(const struct tpeers *ps);
void tun_free_peers(struct tpeers *ps);

/* ntctl tunnel peer ...: an exit status. */
int tun_peer(const struct nl_family *f, int argc, char **argv);

void tun_usage(FILE *f);
/* A device name of 1..IFNAMSIZ-1 characters; an exit status. */
int tun_check_dev(const char *dev);
/* mnl callback: attributes of types 1..31 into a table by type. */
int tun_tb_cb(const struct nlattr *a, void *data);
/* A drops nest: every reason (@all) or those that counted. */
void tun_print_drops(const struct nlattr *nest, bool all);

#endif
