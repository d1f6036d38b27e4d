// SPDX-License-Identifier: GPL-2.0
/*
 * nt_tun: transmit (ndo_start_xmit, under RCU), and keepalives.
 *
 * The inner destination's longest allowed-ip match names the peer; the
 * outer route comes from the peer's dst_cache (looked up in the sockets'
 * namespace with the device's fwmark); a packet over the path MTU that
 * may not be fragmented goes back to its sender as ICMP; then the ntkit
 * header, UDP and the outer IP header. GSO packets stay whole: the outer
 * UDP carries SKB_GSO_UDP_TUNNEL and is segmented after encapsulation, by
 * the stack or the NIC.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/udp.h>
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/ipv6_stubs.h>
#include <net/icmp.h>
#include <net/inet_ecn.h>
#include <net/ip_tunnels.h>
#include <net/ip6_tunnel.h>
#include <net/udp.h>
#include <net/udp_tunnel.h>
#include <net/gro.h>
#include <net/dsfield.h>
#include <net/route.h>
#include <net/ip6_route.h>
#include "device.h"
#include "wire.h"
#include "trace.h"

#define NT_OUTER4 (sizeof(struct iphdr) + sizeof(struct udphdr) + NT_TUN_HDR_LEN)
#define NT_OUTER6 (sizeof(struct ipv6hdr) + sizeof(struct udphdr) + NT_TUN_HDR_LEN)

/* Is @skb over @mtu, and may it not be fragmented on the way? */
static bool nt_tun_too_big(struct sk_buff *skb, u8 proto, int mtu)
{
	if (skb_is_gso(skb) ? skb_gso_validate_network_len(skb, mtu) :
	    skb->len <= mtu)
		return false;
	if (proto == NT_TUN_PROTO_IPV4)
		return ip_hdr(skb)->frag_off & htons(IP_DF);
	return mtu >= IPV6_MIN_MTU;
}

static void nt_tun_icmp_too_big(struct sk_buff *skb, u8 proto, int mtu)
{
	skb_dst_update_pmtu_no_confirm(skb, mtu);
	if (proto == NT_TUN_PROTO_IPV4)
		icmp_ndo_send(skb, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED,
			      htonl(mtu));
	else
		icmpv6_ndo_send(skb, ICMPV6_PKT_TOOBIG, 0, mtu);
}

/*
 * Send @skb (an inner packet of @proto, or for NT_TUN_PROTO_NONE an empty
 * keepalive) to @peer. Consumes @skb. Under RCU (BH). Returns 0 or the
 * reason it was dropped (counted and traced by the caller).
 */
static enum nt_tun_drop nt_tun_send(struct nt_tun_dev *nt,
				    struct nt_tun_peer *peer,
				    struct sk_buff *skb, u8 proto)
{
	const struct nt_tun_ep *ep = rcu_dereference(peer->ep);
	u32 range = READ_ONCE(nt->sport_range);
	u8 dscp = READ_ONCE(nt->dscp), ttl = READ_ONCE(nt->ttl);
	bool v4 = ep->addr.family == AF_INET;
	bool data = proto != NT_TUN_PROTO_NONE, ignore_df;
	unsigned int len = skb->len, pkts = 1, outer;
	u8 inner_ds = 0, inner_ttl = 0, tos;
	struct in6_addr saddr6;
	struct nt_tun_hdr *h;
	struct dst_entry *dst;
	__be16 sport, df = 0;
	struct sock *sk;
	__be32 saddr4;
	int mtu;

	sk = v4 ? rcu_dereference(nt->sock4) : rcu_dereference(nt->sock6);
	if (!sk)
		return NT_TUN_DROP_NO_ROUTE;
	if (proto == NT_TUN_PROTO_IPV4) {
		inner_ds = ipv4_get_dsfield(ip_hdr(skb));
		inner_ttl = ip_hdr(skb)->ttl;
		df = ip_hdr(skb)->frag_off & htons(IP_DF);
	} else if (proto == NT_TUN_PROTO_IPV6) {
		inner_ds = ipv6_get_dsfield(ipv6_hdr(skb));
		inner_ttl = ipv6_hdr(skb)->hop_limit;
		df = htons(IP_DF);
	}
	tos = (dscp == NT_TUN_DSCP_INHERIT ? inner_ds & ~INET_ECN_MASK :
	       dscp << 2) | nt_tun_ecn_encap(inner_ds);
	if (data)
		sport = htons(nt_tun_sport(skb_get_hash(skb), range >> 16,
					   range & 0xffff));
	else	/* keepalives hold the NAT mapping of the listening port */
		sport = htons(READ_ONCE(nt->bound_port));
	if (skb_is_gso(skb))
		pkts = skb_shinfo(skb)->gso_segs;

	if (v4) {
		struct rtable *rt = dst_cache_get_ip4(&peer->dst_cache, &saddr4);

		if (!rt) {
			struct flowi4 fl4 = {
				.daddr = ep->addr.ip4,
				.flowi4_mark = READ_ONCE(nt->fwmark),
				.flowi4_proto = IPPROTO_UDP,
				.fl4_dport = ep->port,
			};

			rt = ip_route_output_key(sock_net(sk), &fl4);
			if (IS_ERR(rt))
				return NT_TUN_DROP_NO_ROUTE;
			saddr4 = fl4.saddr;
			dst_cache_set_ip4(&peer->dst_cache, &rt->dst, saddr4);
		}
		dst = &rt->dst;
		outer = NT_OUTER4;
	} else {
		dst = dst_cache_get_ip6(&peer->dst_cache, &saddr6);
		if (!dst) {
			struct flowi6 fl6 = {
				.daddr = ep->addr.ip6,
				.flowi6_mark = READ_ONCE(nt->fwmark),
				.flowi6_proto = IPPROTO_UDP,
				.fl6_dport = ep->port,
			};

			dst = ipv6_stub->ipv6_dst_lookup_flow(sock_net(sk), sk,
							      &fl6, NULL);
			if (IS_ERR(dst))
				return NT_TUN_DROP_NO_ROUTE;
			saddr6 = fl6.saddr;
			dst_cache_set_ip6(&peer->dst_cache, dst, &saddr6);
		}
		outer = NT_OUTER6;
	}
	if (dst->dev == nt->dev) {	/* the endpoint is routed into us */
		dst_release(dst);
		return NT_TUN_DROP_NO_ROUTE;
	}
	mtu = dst_mtu(dst) - outer;
	if (data && nt_tun_too_big(skb, proto, mtu)) {
		dst_release(dst);
		nt_tun_icmp_too_big(skb, proto, mtu);
		return NT_TUN_DROP_TOO_BIG;
	}
	if (proto == NT_TUN_PROTO_IPV6 && mtu < IPV6_MIN_MTU)
		df = 0;		/* the underlay must fragment (RFC 8200) */
	if (skb_cow_head(skb, LL_RESERVED_SPACE(dst->dev) + outer) ||
	    (data && udp_tunnel_handle_offloads(skb, true))) {
		dst_release(dst);
		return NT_TUN_DROP_NOMEM;
	}
	if (data)
		skb_set_inner_protocol(skb, proto == NT_TUN_PROTO_IPV4 ?
				       htons(ETH_P_IP) : htons(ETH_P_IPV6));
	h = __skb_push(skb, NT_TUN_HDR_LEN);
	nt_tun_hdr_build(h, proto, READ_ONCE(nt->vni));
	if (!ttl)
		ttl = data ? inner_ttl : v4 ? ip4_dst_hoplimit(dst) :
		      ip6_dst_hoplimit(dst);
	if (data)
		nt_tun_peer_count(peer, false, pkts, len);
	if (time_after(jiffies, READ_ONCE(peer->last_tx)))
		WRITE_ONCE(peer->last_tx, jiffies);
	/*
	 * The packet leaves the device's netns for the socket's, which differ
	 * once the device has moved: scrub it as a cross-netns send (its
	 * conntrack entry, mark and delivery time belong to the other netns),
	 * as udp_tunnel6_xmit_skb() does not. This also drops the inner route,
	 * which udp_tunnel6_xmit_skb() would overwrite without releasing it.
	 * ignore_df is the inner packet's say in fragmenting an IPv6 outer one.
	 */
	ignore_df = skb->ignore_df;
	skb_scrub_packet(skb, !net_eq(sock_net(sk), dev_net(nt->dev)));
	skb->ignore_df = ignore_df;
	skb->mark = READ_ONCE(nt->fwmark);
	if (v4)
		udp_tunnel_xmit_skb((struct rtable *)dst, sk, skb, saddr4,
				    ep->addr.ip4, tos, ttl, df, sport,
				    ep->port, false, false);
	else
		udp_tunnel6_xmit_skb(dst, sk, skb, skb->dev, &saddr6,
				     (struct in6_addr *)&ep->addr.ip6, tos,
				     ttl, 0, sport, ep->port, false);
	return 0;
}

netdev_tx_t nt_tun_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct nt_tun_dev *nt = netdev_priv(dev);
	struct nt_tun_peer *peer = NULL;
	enum nt_tun_drop why;
	struct nt_tun_aip *aip;
	const void *daddr;
	int family;
	u8 proto;

	rcu_read_lock();
	skb_reset_network_header(skb);
	if (skb->protocol == htons(ETH_P_IP) &&
	    pskb_network_may_pull(skb, sizeof(struct iphdr)) &&
	    ip_hdr(skb)->version == 4) {
		proto = NT_TUN_PROTO_IPV4;
		family = AF_INET;
		daddr = &ip_hdr(skb)->daddr;
	} else if (skb->protocol == htons(ETH_P_IPV6) &&
		   pskb_network_may_pull(skb, sizeof(struct ipv6hdr)) &&
		   ipv6_hdr(skb)->version == 6) {
		proto = NT_TUN_PROTO_IPV6;
		family = AF_INET6;
		daddr = &ipv6_hdr(skb)->daddr;
	} else {
		why = NT_TUN_DROP_BAD_INNER;
		goto drop;
	}
	aip = nt_prefix_lookup(&nt->aips, family, daddr, NULL);
	if (!aip) {
		why = NT_TUN_DROP_NO_PEER;
		if (family == AF_INET)
			icmp_ndo_send(skb, ICMP_DEST_UNREACH, ICMP_HOST_UNREACH, 0);
		else
			icmpv6_ndo_send(skb, ICMPV6_DEST_UNREACH,
					ICMPV6_ADDR_UNREACH, 0);
		goto drop;
	}
	peer = READ_ONCE(aip->peer);
	why = nt_tun_send(nt, peer, skb, proto);
	if (why)
		goto drop;
	rcu_read_unlock();
	return NETDEV_TX_OK;
drop:
	nt_tun_drop_skb(nt, peer, why, skb);
	rcu_read_unlock();
	return NETDEV_TX_OK;
}

void nt_tun_send_keepalive(struct nt_tun_peer *peer)
{
	struct nt_tun_dev *nt = peer->nt;
	unsigned int room = LL_MAX_HEADER + NT_OUTER6;
	enum nt_tun_drop why;
	struct sk_buff *skb;

	skb = alloc_skb(room, GFP_ATOMIC);
	if (!skb)
		return;
	skb_reserve(skb, room);
	/* a timer: softirq, BH already off; nt_tun_send wants RCU held */
	rcu_read_lock();
	why = nt_tun_send(nt, peer, skb, NT_TUN_PROTO_NONE);
	if (why)
		nt_tun_drop_skb(nt, peer, why, skb);
	rcu_read_unlock();
}
