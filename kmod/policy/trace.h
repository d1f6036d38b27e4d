/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nt_policy tracepoint (Documentation/policy.rst):
 *   nt_policy:nt_policy_verdict  every packet a rule drops, rejects or
 *                                finds over its limit (police, meter):
 *                                hook, rule id, verdict, family, L4
 *                                protocol, addresses and ports
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM nt_policy

#if !defined(_NT_POLICY_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _NT_POLICY_TRACE_H

#include <linux/tracepoint.h>
#include "policy.h"

#define NT_POL_V_DROP	0
#define NT_POL_V_REJECT	1
#define NT_POL_V_OVER	2

TRACE_EVENT(nt_policy_verdict,
	    TP_PROTO(u8 hook, u32 rule, u8 verdict,
		     const struct nt_pol_pkt *p),
	    TP_ARGS(hook, rule, verdict, p),
	    TP_STRUCT__entry(__field(u32, rule)
		__field(u8, hook)
		__field(u8, verdict)
		__field(u8, family)
		__field(u8, proto)
		__field(u16, sport)
		__field(u16, dport)
		__array(u8, saddr, 16)
		__array(u8, daddr, 16)
	),
	    TP_fast_assign(__entry->rule = rule;
		__entry->hook = hook;
		__entry->verdict = verdict;
		__entry->proto = p->has_proto ? p->proto : 0;
		__entry->sport = p->has_ports ? p->sport : 0;
		__entry->dport = p->has_ports ? p->dport : 0;
		if (p->l3 == NT_POL_L3_IP) {
			/* v4-mapped, so that one format prints both */
			__entry->family = 4;
			memset(__entry->saddr, 0, 16);
			memset(__entry->daddr, 0, 16);
			__entry->saddr[10] = 0xff;
			__entry->saddr[11] = 0xff;
			__entry->daddr[10] = 0xff;
			__entry->daddr[11] = 0xff;
			memcpy(__entry->saddr + 12, &p->src.ip4, 4);
			memcpy(__entry->daddr + 12, &p->dst.ip4, 4);
		} else {
			__entry->family = 6;
			memcpy(__entry->saddr, &p->src.ip6, 16);
			memcpy(__entry->daddr, &p->dst.ip6, 16);
		}
	),
	    TP_printk("hook=%s rule=%u verdict=%s family=ip%s proto=%u src=%pI6c sport=%u dst=%pI6c dport=%u",
		      __print_symbolic(__entry->hook,
				       { NT_POL_HOOK_PREROUTING, "prerouting" },
				       { NT_POL_HOOK_INPUT, "input" },
				       { NT_POL_HOOK_FORWARD, "forward" },
				       { NT_POL_HOOK_OUTPUT, "output" },
				       { NT_POL_HOOK_POSTROUTING,
					 "postrouting" }),
		      __entry->rule,
		      __print_symbolic(__entry->verdict,
				       { NT_POL_V_DROP, "drop" },
				       { NT_POL_V_REJECT, "reject" },
				       { NT_POL_V_OVER, "over-limit" }),
		      __entry->family == 6 ? "6" : "", __entry->proto,
		      __entry->saddr, __entry->sport, __entry->daddr,
		      __entry->dport)
);

#endif /* _NT_POLICY_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
