/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcp_nt tracepoints: tcp_nt:nt_state fires on every state change of a
 * connection, e.g.
 *   perf trace -e tcp_nt:nt_state
 *   bpftrace -e 'tracepoint:tcp_nt:nt_state { printf("%d %s -> %s\n",
 *       args->dport, str(args->old_name), str(args->new_name)); }'
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM tcp_nt

#if !defined(_NT_CC_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _NT_CC_TRACE_H

#include <linux/tracepoint.h>
#include "nt_compat.h"
#include <linux/ipv6.h>
#include <net/sock.h>
#include <net/ipv6.h>

TRACE_EVENT(nt_state,
	    TP_PROTO(const struct sock *sk, const char *old_name,
		     const char *new_name, u64 bw_bps, u32 min_rtt_us, u32 cwnd,
		     u32 inflight_lo, u32 inflight_hi),
	    TP_ARGS(sk, old_name, new_name, bw_bps, min_rtt_us, cwnd,
		    inflight_lo, inflight_hi),
	    TP_STRUCT__entry(__field(const void *, skaddr)
		__field(u16, family)
		__field(u16, sport)
		__field(u16, dport)
		__array(u8, saddr, 16)
		__array(u8, daddr, 16)
		__string(old_name, old_name)
		__string(new_name, new_name)
		__field(u64, bw_bps)
		__field(u32, min_rtt_us)
		__field(u32, cwnd)
		__field(u32, inflight_lo)
		__field(u32, inflight_hi)
	),
	    TP_fast_assign(__entry->skaddr = sk;
		__entry->family = sk->sk_family;
		__entry->sport = sk->sk_num;
		__entry->dport = ntohs(sk->sk_dport);
		memset(__entry->saddr, 0, 16);
		memset(__entry->daddr, 0, 16);
#if IS_ENABLED(CONFIG_IPV6)
		if (sk->sk_family == AF_INET6) {
			memcpy(__entry->saddr, &sk->sk_v6_rcv_saddr, 16);
			memcpy(__entry->daddr, &sk->sk_v6_daddr, 16);
		}
#endif
		if (sk->sk_family == AF_INET) {
			memcpy(__entry->saddr, &sk->sk_rcv_saddr, 4);
			memcpy(__entry->daddr, &sk->sk_daddr, 4);
		}
		nt_assign_str(old_name, old_name);
		nt_assign_str(new_name, new_name);
		__entry->bw_bps = bw_bps;
		__entry->min_rtt_us = min_rtt_us;
		__entry->cwnd = cwnd;
		__entry->inflight_lo = inflight_lo;
		__entry->inflight_hi = inflight_hi;
	),
	TP_printk("sport=%u dport=%u %s -> %s bw=%llubps min_rtt=%uus cwnd=%u inflight_lo=%u inflight_hi=%u",
		  __entry->sport, __entry->dport, __get_str(old_name),
		  __get_str(new_name), __entry->bw_bps, __entry->min_rtt_us,
		  __entry->cwnd, __entry->inflight_lo, __entry->inflight_hi)
);

#endif /* _NT_CC_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
