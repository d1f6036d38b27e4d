/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ntkit per-CPU counters: the one sum of a set of u64 counters that each
 * CPU updates under its u64_stats_sync. Header only (no symbol of
 * nt_common.ko), so that any module may use it.
 */
#ifndef _NT_STATS_H
#define _NT_STATS_H

#include <linux/bug.h>
#include <linux/percpu.h>
#include <linux/stddef.h>
#include <linux/u64_stats_sync.h>

#define NT_STATS_MAX	32	/* counters summed at once */

/*
 * Add every possible CPU's @n consecutive u64 (or u64_stats_t) counters,
 * at byte @off of its copy of @pcpu, into @sum[0..@n). One CPU's counters
 * are read together, under the u64_stats_sync at byte @syncp_off.
 */
static inline void nt_stats_sum(const void __percpu *pcpu, size_t syncp_off,
				size_t off, unsigned int n, u64 *sum)
{
	u64 v[NT_STATS_MAX];
	unsigned int i;
	int cpu;

	if (WARN_ON_ONCE(n > NT_STATS_MAX))
		n = NT_STATS_MAX;
	for_each_possible_cpu(cpu) {
		const u8 *base = per_cpu_ptr(pcpu, cpu);
		const struct u64_stats_sync *syncp = (const void *)(base +
								     syncp_off);
		const u64 *c = (const void *)(base + off);
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(syncp);
			for (i = 0; i < n; i++)
				v[i] = READ_ONCE(c[i]);
		} while (u64_stats_fetch_retry(syncp, start));
		for (i = 0; i < n; i++)
			sum[i] += v[i];
	}
}

/*
 * nt_stats_sum() of @n counters of struct @type from its member @first,
 * with the struct's syncp member: the counters must be consecutive.
 */
#define NT_STATS_SUM(pcpu, type, first, n, sum)				\
	nt_stats_sum(pcpu, offsetof(type, syncp), offsetof(type, first),	\
		     n, sum)

#endif /* _NT_STATS_H */
