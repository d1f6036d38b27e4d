// SPDX-License-Identifier: GPL-2.0
/*
 * nt_tun: the UDP sockets, and receive (transmit is xmit.c).
 *
 * Receive (the socket's encap_rcv, in softirq): the sender is the peer
 * whose endpoint address is the outer source (the port chooses between
 * peers behind one address); the header must be ours and carry the
 * device's network id; the inner source must be one of that peer's
 * allowed-ips; ECN is combined per RFC 6040; then the inner packet goes
 * up the stack at once (a tunnel in a tunnel: by gro_cells). The UDP GRO
 * hooks aggregate inner flows before that.
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

/* Count and trace a dropped packet, and free it. */
void nt_tun_drop_skb(struct nt_tun_dev *nt, struct nt_tun_peer *peer,
		     enum nt_tun_drop why, struct sk_buff *skb)
{
	nt_tun_count_drop(nt, peer, why);
	trace_nt_tun_drop(nt->dev, peer ? peer->id : 0, why, skb);
	kfree_skb(skb);
}

/*
 * Set while this CPU delivers a decapsulated packet at once: a packet
 * decapsulated inside that delivery (a tunnel carried by a tunnel) is
 * queued instead, so nesting never recurses through the stack. Only
 * touched in softirq (BH off), so nothing else on this CPU runs between
 * the increment and the decrement.
 */
static DEFINE_PER_CPU(u8, nt_tun_rx_nest);

/*
 * Write the combined ECN field into the inner IPv6 header at skb->data.
 * A CHECKSUM_COMPLETE sum covers that header (the stack subtracts it
 * when it pulls it), so it takes the change of the header's first word.
 * IPv4 needs no such care: ipv4_change_dsfield() moves the header
 * checksum by the opposite amount, and the header's sum stays the same.
 */
static void nt_tun_ipv6_set_ecn(struct sk_buff *skb, u8 ecn)
{
	__be32 *word = (__be32 *)ipv6_hdr(skb), from = *word, to;

	ipv6_change_dsfield(ipv6_hdr(skb), (u8)~INET_ECN_MASK, ecn);
	to = *word;
	if (skb->ip_summed == CHECKSUM_COMPLETE)
		skb->csum = csum_add(csum_sub(skb->csum, (__force __wsum)from),
				     (__force __wsum)to);
}

/* Receive: see the top of the file. Always consumes @skb. */
static int nt_tun_encap_rcv(struct sock *sk, struct sk_buff *skb)
{
	struct nt_tun_dev *nt = rcu_dereference_sk_user_data(sk);
	const unsigned int hlen = sizeof(struct udphdr) + NT_TUN_HDR_LEN;
	struct nt_tun_peer *peer = NULL;
	struct rhlist_head *list, *pos;
	struct nt_tun_addr key = {};
	struct nt_tun_ep *ep, *only = NULL;
	unsigned int n = 0, len;
	enum nt_tun_drop why;
	struct nt_tun_aip *aip;
	u8 proto, outer_ecn, inner_ecn;
	int ecn, family;
	const void *saddr;
	__be16 sport;
	u32 vni;

	if (!nt)
		goto free_skb;
	sport = udp_hdr(skb)->source;
	if (ip_hdr(skb)->version == 4) {
		key.family = AF_INET;
		key.ip4 = ip_hdr(skb)->saddr;
		outer_ecn = ipv4_get_dsfield(ip_hdr(skb)) & INET_ECN_MASK;
	} else {
		key.family = AF_INET6;
		key.ip6 = ipv6_hdr(skb)->saddr;
		outer_ecn = ipv6_get_dsfield(ipv6_hdr(skb)) & INET_ECN_MASK;
	}
	list = rhltable_lookup(&nt->eps, &key, nt_tun_ep_params);
	rhl_for_each_entry_rcu(ep, pos, list, node) {
		if (ep->port == sport) {
			only = ep;
			n = 1;
			break;
		}
		only = ep;
		n++;
	}
	if (n != 1) {	/* none, or several behind this address */
		why = NT_TUN_DROP_UNKNOWN_SENDER;
		goto drop;
	}
	peer = only->peer;
	if (!pskb_may_pull(skb, hlen) ||
	    nt_tun_hdr_parse(skb->data + sizeof(struct udphdr),
			     NT_TUN_HDR_LEN, &proto, &vni) != NT_TUN_PARSE_OK) {
		why = NT_TUN_DROP_BAD_HEADER;
		goto drop;
	}
	if (vni != READ_ONCE(nt->vni)) {
		why = NT_TUN_DROP_WRONG_VNI;
		goto drop;
	}
	if (proto == NT_TUN_PROTO_NONE) {	/* keepalive */
		nt_tun_peer_contact(peer);
		consume_skb(skb);
		return 0;
	}
	if (__iptunnel_pull_header(skb, hlen, proto == NT_TUN_PROTO_IPV4 ?
				   htons(ETH_P_IP) : htons(ETH_P_IPV6), false,
				   !net_eq(nt->net, dev_net(nt->dev)))) {
		why = NT_TUN_DROP_NOMEM;
		goto drop;
	}
	skb_reset_network_header(skb);
	skb_reset_mac_header(skb);
	why = NT_TUN_DROP_BAD_HEADER;
	if (proto == NT_TUN_PROTO_IPV4) {
		const struct iphdr *iph;

		if (!pskb_may_pull(skb, sizeof(*iph)))
			goto drop;
		iph = ip_hdr(skb);
		if (iph->version != 4 || iph->ihl < 5 ||
		    ntohs(iph->tot_len) > skb->len ||
		    ntohs(iph->tot_len) < iph->ihl * 4)
			goto drop;
		family = AF_INET;
		saddr = &iph->saddr;
		inner_ecn = ipv4_get_dsfield(iph) & INET_ECN_MASK;
	} else {
		const struct ipv6hdr *ip6;

		if (!pskb_may_pull(skb, sizeof(*ip6)))
			goto drop;
		ip6 = ipv6_hdr(skb);
		if (ip6->version != 6 ||
		    ntohs(ip6->payload_len) + sizeof(*ip6) > skb->len)
			goto drop;
		family = AF_INET6;
		saddr = &ip6->saddr;
		inner_ecn = ipv6_get_dsfield(ip6) & INET_ECN_MASK;
	}
	aip = nt_prefix_lookup(&nt->aips, family, saddr, NULL);
	if (!aip || READ_ONCE(aip->peer) != peer) {
		why = NT_TUN_DROP_SPOOFED;
		goto drop;
	}
	ecn = nt_tun_ecn_decap(inner_ecn, outer_ecn);
	if (ecn < 0) {
		why = NT_TUN_DROP_ECN;
		goto drop;
	}
	if (ecn != inner_ecn) {
		if (skb_ensure_writable(skb, family == AF_INET ?
					sizeof(struct iphdr) :
					sizeof(struct ipv6hdr))) {
			why = NT_TUN_DROP_NOMEM;
			goto drop;
		}
		if (family == AF_INET)
			ipv4_change_dsfield(ip_hdr(skb),
					    (u8)~INET_ECN_MASK, ecn);
		else
			nt_tun_ipv6_set_ecn(skb, ecn);
	}
	nt_tun_peer_contact(peer);
	len = skb->len;
	nt_tun_peer_count(peer, true,
			  skb_is_gso(skb) ? skb_shinfo(skb)->gso_segs : 1, len);
	dev_sw_netstats_rx_add(nt->dev, len);
	skb->dev = nt->dev;
	skb->pkt_type = PACKET_HOST;
	/*
	 * Up the stack at once, with no second GRO round or queue: the UDP
	 * GRO hooks already merged what the underlay's GRO saw, a GSO packet
	 * that crossed whole is never merged, and a queue round only costs
	 * (see Documentation/tunnel.rst). Nested, the packet takes gro_cells
	 * like any tunnel's. Nesting is a property of the path, so one flow
	 * always goes the same way and is never reordered.
	 */
	if (this_cpu_read(nt_tun_rx_nest)) {
		gro_cells_receive(&nt->gro_cells, skb);
		return 0;
	}
	this_cpu_inc(nt_tun_rx_nest);
	netif_receive_skb(skb);
	this_cpu_dec(nt_tun_rx_nest);
	return 0;
drop:
	nt_tun_drop_skb(nt, peer, why, skb);
	return 0;
free_skb:
	kfree_skb(skb);
	return 0;
}

static __be16 nt_tun_eth_proto(u8 proto)
{
	return proto == NT_TUN_PROTO_IPV4 ? htons(ETH_P_IP) :
	       proto == NT_TUN_PROTO_IPV6 ? htons(ETH_P_IPV6) : 0;
}

static struct sk_buff *nt_tun_gro_receive(struct sock *sk,
					  struct list_head *head,
					  struct sk_buff *skb)
{
	unsigned int off = skb_gro_offset(skb);
	const struct packet_offload *ptype;
	const struct nt_tun_hdr *h, *h2;
	struct sk_buff *pp = NULL, *p;
	int flush = 1;
	__be16 type;

	h = skb_gro_header(skb, off + NT_TUN_HDR_LEN, off);
	if (!h || h->ver_flags >> 4 != NT_TUN_VERSION)
		goto out;
	type = nt_tun_eth_proto(h->proto);
	if (!type)
		goto out;
	list_for_each_entry(p, head, list) {
		if (!NAPI_GRO_CB(p)->same_flow)
			continue;
		h2 = (const struct nt_tun_hdr *)(p->data + off);
		if (h->proto != h2->proto || h->vni != h2->vni)
			NAPI_GRO_CB(p)->same_flow = 0;
	}
	ptype = gro_find_receive_by_type(type);
	if (!ptype)
		goto out;
	skb_gro_pull(skb, NT_TUN_HDR_LEN);
	skb_gro_postpull_rcsum(skb, h, NT_TUN_HDR_LEN);
	pp = call_gro_receive(ptype->callbacks.gro_receive, head, skb);
	flush = 0;
out:
	skb_gro_flush_final(skb, pp, flush);
	return pp;
}

static int nt_tun_gro_complete(struct sock *sk, struct sk_buff *skb,
			       int nhoff)
{
	const struct nt_tun_hdr *h = (const void *)(skb->data + nhoff);
	const struct packet_offload *ptype;
	int err = -EINVAL;

	ptype = gro_find_complete_by_type(nt_tun_eth_proto(h->proto));
	if (ptype)
		err = ptype->callbacks.gro_complete(skb, nhoff + NT_TUN_HDR_LEN);
	skb_set_inner_mac_header(skb, nhoff + NT_TUN_HDR_LEN);
	return err;
}

/* A UDP socket bound to @port in the device's creation netns; no tunnel yet. */
static struct sock *nt_tun_sock_create(struct nt_tun_dev *nt, int family,
				       u16 port)
{
	struct udp_port_cfg cfg = {
		.family = family,
		.local_udp_port = htons(port),
	};
	struct socket *sock;
	int err;

	if (family == AF_INET6)
		cfg.ipv6_v6only = 1;
	err = udp_sock_create(nt->net, &cfg, &sock);
	if (err)
		return ERR_PTR(err);
	return sock->sk;
}

/* ... and its tunnel: from here on receive sees it. */
static void nt_tun_sock_setup(struct nt_tun_dev *nt, struct sock *sk)
{
	struct udp_tunnel_sock_cfg tcfg = {
		.sk_user_data = nt,
		.encap_type = 1,
		.encap_rcv = nt_tun_encap_rcv,
		.gro_receive = nt_tun_gro_receive,
		.gro_complete = nt_tun_gro_complete,
	};

	if (sk)
		setup_udp_tunnel_sock(nt->net, sk->sk_socket, &tcfg);
}

/*
 * Release the published sockets @s4 and @s6 (either may be NULL):
 * transmit and receive may still be using them, so after one grace
 * period for both, under RTNL (udp_tunnel_sock_release() waits one for
 * each).
 */
static void nt_tun_socks_release(struct sock *s4, struct sock *s6)
{
	struct sock *sks[] = { s4, s6 };
	unsigned int i;

	if (!s4 && !s6)
		return;
	for (i = 0; i < ARRAY_SIZE(sks); i++)
		if (sks[i])
			rcu_assign_sk_user_data(sks[i], NULL);
	synchronize_net();
	for (i = 0; i < ARRAY_SIZE(sks); i++) {
		if (!sks[i])
			continue;
		kernel_sock_shutdown(sks[i]->sk_socket, SHUT_RDWR);
		sock_release(sks[i]->sk_socket);
	}
}

/*
 * Open the IPv4 and IPv6 sockets on @port (0: a free port, the same for
 * both) and swap them in for the current ones. Under RTNL. The old ones
 * stay if the new ones cannot be had. A try whose IPv6 port is taken
 * gives back its IPv4 socket at once: it is no tunnel yet, so nothing
 * but the bind saw it.
 */
int nt_tun_socks_open(struct nt_tun_dev *nt, u16 port)
{
	struct sock *s4, *s6 = NULL, *o4, *o6;
	int tries = port ? 1 : 100;

	ASSERT_RTNL();
	for (;;) {
		s4 = nt_tun_sock_create(nt, AF_INET, port);
		if (IS_ERR(s4))
			return PTR_ERR(s4);
		if (!IS_ENABLED(CONFIG_IPV6) || !ipv6_mod_enabled())
			break;
		s6 = nt_tun_sock_create(nt, AF_INET6,
					ntohs(inet_sk(s4)->inet_sport));
		if (!IS_ERR(s6))
			break;
		sock_release(s4->sk_socket);
		if (PTR_ERR(s6) == -EAFNOSUPPORT) {
			s6 = NULL;
			s4 = nt_tun_sock_create(nt, AF_INET, port);
			if (IS_ERR(s4))
				return PTR_ERR(s4);
			break;
		}
		if (PTR_ERR(s6) != -EADDRINUSE || !--tries)
			return PTR_ERR(s6);
	}
	nt_tun_sock_setup(nt, s4);
	nt_tun_sock_setup(nt, s6);
	o4 = rtnl_dereference(nt->sock4);
	o6 = rtnl_dereference(nt->sock6);
	rcu_assign_pointer(nt->sock4, s4);
	rcu_assign_pointer(nt->sock6, s6);
	WRITE_ONCE(nt->bound_port, ntohs(inet_sk(s4)->inet_sport));
	nt_tun_socks_release(o4, o6);
	return 0;
}

void nt_tun_socks_close(struct nt_tun_dev *nt)
{
	struct sock *o4 = rtnl_dereference(nt->sock4);
	struct sock *o6 = rtnl_dereference(nt->sock6);

	ASSERT_RTNL();
	RCU_INIT_POINTER(nt->sock4, NULL);
	RCU_INIT_POINTER(nt->sock6, NULL);
	WRITE_ONCE(nt->bound_port, 0);
	nt_tun_socks_release(o4, o6);
}
