/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nt_tun: the nt_tun generic netlink family (uapi/linux/nt_tun.h), in two
 * files: netlink.c has the family, its devices' commands and what every
 * command shares (the device lookup of pre_doit, drop counters, dump
 * consistency); netlink_peer.c has the peers' commands and events.
 */
#ifndef _NT_TUN_NETLINK_H
#define _NT_TUN_NETLINK_H

#include <net/genetlink.h>
#include "device.h"

enum { NT_TUN_MCGRP_EVENTS };

extern struct genl_family nt_tun_family;

/* netlink.c */
struct nt_tun_dev *nt_tun_lookup(struct net *net, struct nlattr **attrs,
				 struct netlink_ext_ack *extack);
int nt_tun_put_drops(struct sk_buff *skb, int type, const u64 *n);
void nt_tun_dump_check(struct netlink_callback *cb, struct sk_buff *skb,
		       unsigned int off);

/* netlink_peer.c */
extern const struct nla_policy nt_tun_peer_policy[NT_TUN_PEER_A_MAX + 1];
int nt_tun_peer_new_doit(struct sk_buff *skb, struct genl_info *info);
int nt_tun_peer_set_doit(struct sk_buff *skb, struct genl_info *info);
int nt_tun_peer_del_doit(struct sk_buff *skb, struct genl_info *info);
int nt_tun_peer_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);

#endif /* _NT_TUN_NETLINK_H */
