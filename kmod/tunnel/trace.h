/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nt_tun tracepoints (Documentation/tunnel.rst):
 *   nt_tun:nt_tun_drop     every dropped packet: device, peer id (0 if
 *                          none), reason, the addresses of the packet as
 *                          dropped (inner on transmit and after
 *                          decapsulation, outer before)
 *   nt_tun:nt_tun_contact  the first packet from a peer since it was added
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM nt_tun

#if !defined(_NT_TUN_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _NT_TUN_TRACE_H

#include <linux/tracepoint.h>
#include "nt_compat.h"
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/skbuff.h>
#include <linux/nt_tun.h>
#include "device.h"

#ifndef _NT_TUN_TRACE_HELPERS
#define _NT_TUN_TRACE_HELPERS
/* IPv4 addresses are recorded as v4-mapped IPv6 (::ffff:a.b.c.d). */
static inline void nt_tun_trace_v4mapped(u8 *to, __be32 a)
{
	memset(to, 0, 10);
	to[10] = 0xff;
	to[11] = 0xff;
	memcpy(to + 12, &a, 4);
}
#endif

TRACE_EVENT(nt_tun_drop,
	    TP_PROTO(const struct net_device *dev, u32 peer,
		     enum nt_tun_drop reason, const struct sk_buff *skb),
	    TP_ARGS(dev, peer, reason, skb),
	    TP_STRUCT__entry(__string(dev, dev->name)
		__field(u32, peer)
		__field(u8, reason)
		__field(u8, family)
		__array(u8, saddr, 16)
		__array(u8, daddr, 16)
	),
	    TP_fast_assign(const u8 *nh = skb_network_header(skb);
		/*
		 * Before decapsulation skb->data is past the outer IP
		 * header, which is still in the head: bound the read by
		 * the head, not by skb->data. An skb that holds nothing
		 * yet (a keepalive dropped before its headers were built)
		 * has only uninitialised headroom there: nothing to read.
		 */
		int room = skb->len && nh >= skb->head ?
			   skb_tail_pointer(skb) - nh : 0;

		nt_assign_str(dev, dev->name);
		__entry->peer = peer;
		__entry->reason = reason;
		__entry->family = 0;
		memset(__entry->saddr, 0, 16);
		memset(__entry->daddr, 0, 16);
		if (room >= (int)sizeof(struct iphdr) && (nh[0] >> 4) == 4) {
			const struct iphdr *iph = (const struct iphdr *)nh;

			__entry->family = AF_INET;
			nt_tun_trace_v4mapped(__entry->saddr, iph->saddr);
			nt_tun_trace_v4mapped(__entry->daddr, iph->daddr);
		} else if (room >= (int)sizeof(struct ipv6hdr) &&
			   (nh[0] >> 4) == 6) {
			const struct ipv6hdr *ip6 = (const struct ipv6hdr *)nh;

			__entry->family = AF_INET6;
			memcpy(__entry->saddr, &ip6->saddr, 16);
			memcpy(__entry->daddr, &ip6->daddr, 16);
		}
	),
	    TP_printk("dev=%s peer=%u reason=%s src=%pI6c dst=%pI6c",
		      __get_str(dev), __entry->peer,
		      __print_symbolic(__entry->reason,
				       { NT_TUN_DROP_NO_PEER, "no-peer" },
				       { NT_TUN_DROP_NO_ROUTE, "no-route" },
				       { NT_TUN_DROP_TOO_BIG, "too-big" },
				       { NT_TUN_DROP_BAD_INNER, "bad-inner" },
				       { NT_TUN_DROP_UNKNOWN_SENDER,
					 "unknown-sender" },
				       { NT_TUN_DROP_WRONG_VNI, "wrong-vni" },
				       { NT_TUN_DROP_BAD_HEADER, "bad-header" },
				       { NT_TUN_DROP_SPOOFED, "spoofed" },
				       { NT_TUN_DROP_ECN, "ecn" },
				       { NT_TUN_DROP_NOMEM, "nomem" }),
		      __entry->saddr, __entry->daddr)
);

TRACE_EVENT(nt_tun_contact,
	    TP_PROTO(const struct nt_tun_peer *peer),
	    TP_ARGS(peer),
	    TP_STRUCT__entry(__string(dev, peer->nt->dev->name)
		__field(u32, peer)
		__field(u16, port)
		__array(u8, addr, 16)
	),
	    TP_fast_assign(const struct nt_tun_ep *ep =
				   rcu_dereference(peer->ep);

		nt_assign_str(dev, peer->nt->dev->name);
		__entry->peer = peer->id;
		__entry->port = ntohs(ep->port);
		if (ep->addr.family == AF_INET)
			nt_tun_trace_v4mapped(__entry->addr, ep->addr.ip4);
		else
			memcpy(__entry->addr, &ep->addr.ip6, 16);
	),
	    TP_printk("dev=%s peer=%u endpoint=[%pI6c]:%u", __get_str(dev),
		      __entry->peer, __entry->addr, __entry->port)
);

#endif /* _NT_TUN_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
