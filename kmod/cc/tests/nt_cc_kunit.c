// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for tcp_nt's model (kmod/cc/model.c): the windowed max
 * filter against a brute-force window, the PROBE_BW cycle, BDP / cwnd /
 * pacing arithmetic from 1 kbit/s to 400 Gbit/s and 10 us to 10 s against
 * 128-bit references, the inflight bounds under loss and CE sequences, and
 * profile value checks (ranges, consistency, the netlink policy's limits).
 */
#include <kunit/test.h>
#include <linux/prandom.h>
#include <linux/nt_cc.h>
#include "../model.c"

static void nt_maxf_vs_window(struct kunit *test)
{
	struct rnd_state rnd;
	u32 cur[64], prev[64];
	unsigned int ncur = 0, nprev = 0, i, step;
	struct nt_maxf f;

	prandom_seed_state(&rnd, 42);
	nt_maxf_reset(&f);
	KUNIT_EXPECT_EQ(test, nt_maxf_get(&f), 0U);
	for (step = 0; step < 20000; step++) {
		u32 ref = 0;

		if (prandom_u32_state(&rnd) % 16 == 0 || ncur == 64) {
			/* a new cycle: the previous one is forgotten */
			nt_maxf_advance(&f);
			memcpy(prev, cur, sizeof(cur));
			nprev = ncur;
			ncur = 0;
		} else {
			u32 s = prandom_u32_state(&rnd) >> (prandom_u32_state(&rnd) % 32);

			nt_maxf_update(&f, s);
			cur[ncur++] = s;
		}
		for (i = 0; i < ncur; i++)
			ref = max(ref, cur[i]);
		for (i = 0; i < nprev; i++)
			ref = max(ref, prev[i]);
		KUNIT_ASSERT_EQ_MSG(test, nt_maxf_get(&f), ref, "step %u", step);
	}
	/* two cycles without samples forget everything */
	nt_maxf_advance(&f);
	nt_maxf_advance(&f);
	KUNIT_EXPECT_EQ(test, nt_maxf_get(&f), 0U);
}

static struct nt_cycle_in cycle_in(u8 mode)
{
	return (struct nt_cycle_in) {
		.mode = mode,
		.inflight = 100,
		.bdp = 100,
		.up_target = 125,
		.inflight_hi = NT_UNBOUNDED,
		.probe_wait_us = 2500000,
		.min_rtt_us = 10000,
	};
}

static void nt_cycle_machine(struct kunit *test)
{
	struct nt_cycle_in in;

	/* DOWN: stays while inflight is above the BDP ... */
	in = cycle_in(NT_PROBE_DOWN);
	in.inflight = 101;
	KUNIT_EXPECT_EQ(test, nt_cycle_next(&in), NT_PROBE_DOWN);
	/* ... cruises once drained to it ... */
	in.inflight = 100;
	KUNIT_EXPECT_EQ(test, nt_cycle_next(&in), NT_PROBE_CRUISE);
	/* ... but not while above inflight_hi less its headroom */
	in.inflight_hi = 110;	/* headroom 16 -> 94 */
	KUNIT_EXPECT_EQ(test, nt_cycle_next(&in), NT_PROBE_DOWN);
	in.inflight = 94;
	KUNIT_EXPECT_EQ(test, nt_cycle_next(&in), NT_PROBE_CRUISE);
	/* DOWN goes to REFILL when the wait is over, draining or not */
	in.inflight = 500;
	in.cycle_us = 2500000;
	KUNIT_EXPECT_EQ(test, nt_cycle_next(&in), NT_PROBE_REFILL);

	/* CRUISE: by time, and by Reno rounds = min(bdp, 63) */
	in = cycle_in(NT_PROBE_CRUISE);
	in.cycle_us = 2499999;
	KUNIT_EXPECT_EQ(test, nt_cycle_next(&in), NT_PROBE_CRUISE);
	in.cycle_us = 2500000;
	KUNIT_EXPECT_EQ(test, nt_cycle_next(&in), NT_PROBE_REFILL);
	in.cycle_us = 0;
	in.cycle_rounds = 62;
	KUNIT_EXPECT_EQ(test, nt_cycle_next(&in), NT_PROBE_CRUISE);
	in.cycle_rounds = 63;
	KUNIT_EXPECT_EQ(test, nt_cycle_next(&in), NT_PROBE_REFILL);
	in.bdp = 10;
	in.cycle_rounds = 10;
	KUNIT_EXPECT_EQ(test, nt_cycle_next(&in), NT_PROBE_REFILL);
	in.cycle_rounds = 9;
	KUNIT_EXPECT_EQ(test, nt_cycle_next(&in), NT_PROBE_CRUISE);

	/* REFILL: one full round, then UP */
	in = cycle_in(NT_PROBE_REFILL);
	in.round_start = true;
	KUNIT_EXPECT_EQ(test, nt_cycle_next(&in), NT_PROBE_REFILL);
	in.phase_rounds = 1;
	in.round_start = false;
	KUNIT_EXPECT_EQ(test, nt_cycle_next(&in), NT_PROBE_REFILL);
	in.round_start = true;
	KUNIT_EXPECT_EQ(test, nt_cycle_next(&in), NT_PROBE_UP);

	/* UP: down on a too-high round at once ... */
	in = cycle_in(NT_PROBE_UP);
	in.too_high = true;
	KUNIT_EXPECT_EQ(test, nt_cycle_next(&in), NT_PROBE_DOWN);
	/* ... or after a min_rtt with inflight at the probe target */
	in.too_high = false;
	in.inflight = 125;
	in.phase_us = 9999;
	KUNIT_EXPECT_EQ(test, nt_cycle_next(&in), NT_PROBE_UP);
	in.phase_us = 10000;
	KUNIT_EXPECT_EQ(test, nt_cycle_next(&in), NT_PROBE_DOWN);
	in.inflight = 124;
	KUNIT_EXPECT_EQ(test, nt_cycle_next(&in), NT_PROBE_UP);

	/* states outside the cycle are left alone */
	in = cycle_in(NT_STARTUP);
	in.cycle_us = U32_MAX;
	KUNIT_EXPECT_EQ(test, nt_cycle_next(&in), NT_STARTUP);
	in.mode = NT_PROBE_RTT;
	KUNIT_EXPECT_EQ(test, nt_cycle_next(&in), NT_PROBE_RTT);
}

/* Rates from 1 kbit/s to 400 Gbit/s of 1500-byte packets, as bw units. */
static u32 bw_of_bps(u64 bps, u32 mss)
{
	/* 400e9 << 24 < 2^63 */
	return (u32)div64_u64(bps << NT_BW_SCALE, (u64)mss * 8 * USEC_PER_SEC);
}

static void nt_arith_ranges(struct kunit *test)
{
	static const u64 rates[] = { 1000ULL, 64000ULL, 1000000ULL,
				     50000000ULL, 1000000000ULL,
				     100000000000ULL, 400000000000ULL };
	static const u32 rtts[] = { 10, 100, 1000, 10000, 80000, 1000000,
				    10000000 };
	static const u32 gains[] = { 1, NT_UNIT / 2, NT_UNIT, 709, 2560 };
	unsigned int i, j, k;

	/* the bw unit holds the fleet's range without saturating */
	KUNIT_EXPECT_GE(test, bw_of_bps(1000, 1500), 1U);
	KUNIT_EXPECT_LT(test, bw_of_bps(400000000000ULL, 1500), U32_MAX / 4);

	for (i = 0; i < ARRAY_SIZE(rates); i++) {
		u32 bw = bw_of_bps(rates[i], 1500);

		for (j = 0; j < ARRAY_SIZE(rtts); j++) {
			for (k = 0; k < ARRAY_SIZE(gains); k++) {
				unsigned __int128 p = (unsigned __int128)bw *
						      rtts[j] * gains[k];
				unsigned __int128 want;
				u32 got = nt_bdp(bw, rtts[j], gains[k]);
				u32 cw;

				want = (p + (((unsigned __int128)1 << 32) - 1)) >> 32;
				if (want > U32_MAX)
					want = U32_MAX;
				KUNIT_ASSERT_EQ_MSG(test, (u64)got, (u64)want,
						    "bw %u rtt %u gain %u", bw,
						    rtts[j], gains[k]);
				cw = nt_cwnd_target(bw, rtts[j], gains[k], 127, 4);
				KUNIT_EXPECT_GE(test, cw, min_t(u64, want, U32_MAX - 1));
				KUNIT_EXPECT_GE(test, cw, 4U);
				KUNIT_EXPECT_EQ(test, cw % 2, 0U);
			}
		}
		/* pacing: bytes/s, 99% of the estimate times the gain */
		for (k = 0; k < ARRAY_SIZE(gains); k++) {
			unsigned __int128 want = (unsigned __int128)bw * 1500 *
						 gains[k] * 990000;
			u64 got = nt_pacing_rate(bw, 1500, gains[k]);

			want >>= NT_BW_SCALE + NT_GAIN_SCALE;
			/* two truncations on the way: within 2 bytes/s */
			KUNIT_EXPECT_LE(test, got, (u64)want);
			KUNIT_EXPECT_GE(test, got + 2, (u64)want);
		}
	}
	/* 400 Gbit/s, 10 s, gain 10: 3.3e8 packets, no wrap */
	KUNIT_EXPECT_GT(test, nt_bdp(bw_of_bps(400000000000ULL, 1500),
				     10000000, 2560), 3000000000U);
	/* saturates rather than wraps */
	KUNIT_EXPECT_EQ(test, nt_bdp(U32_MAX, U32_MAX, U32_MAX), U32_MAX);
	KUNIT_EXPECT_EQ(test, nt_cwnd_target(U32_MAX, U32_MAX, U32_MAX, 127, 4),
			U32_MAX - 1);
	/* rate samples */
	KUNIT_EXPECT_EQ(test, nt_bw_sample(10, 0), 0U);
	KUNIT_EXPECT_EQ(test, nt_bw_sample(1, 1), 1U << NT_BW_SCALE);
	KUNIT_EXPECT_EQ(test, nt_bw_sample(U32_MAX, 1), U32_MAX);
	KUNIT_EXPECT_EQ(test, nt_bw_sample(100, 1000),
			(u32)((100ULL << NT_BW_SCALE) / 1000));
}

static void nt_bounds_under_loss(struct kunit *test)
{
	u32 lo = NT_UNBOUNDED, prev;
	int i;

	/*
	 * A loss threshold of 2% in a round of 100: chance alone makes
	 * 2 +- 1.4 losses, so 4 are not too high and 5 (2 + 2 x 1.41) are.
	 */
	KUNIT_EXPECT_FALSE(test, nt_loss_too_high(2, 98, 20, 1));
	KUNIT_EXPECT_FALSE(test, nt_loss_too_high(4, 96, 20, 1));
	KUNIT_EXPECT_TRUE(test, nt_loss_too_high(5, 95, 20, 1));
	/* 5% in a round of 45 (10 ms at 50 Mbit/s): 2.25 + 2 x 1.5 */
	KUNIT_EXPECT_FALSE(test, nt_loss_too_high(5, 40, 50, 3));
	KUNIT_EXPECT_TRUE(test, nt_loss_too_high(6, 39, 50, 3));
	/* a large round needs little more than the threshold: 5.45% */
	KUNIT_EXPECT_FALSE(test, nt_loss_too_high(544, 9456, 50, 3));
	KUNIT_EXPECT_TRUE(test, nt_loss_too_high(545, 9455, 50, 3));
	/* too few losses never count, whatever the rate */
	KUNIT_EXPECT_FALSE(test, nt_loss_too_high(2, 0, 20, 3));
	KUNIT_EXPECT_FALSE(test, nt_loss_too_high(0, 0, 20, 0));
	KUNIT_EXPECT_TRUE(test, nt_loss_too_high(U32_MAX, U32_MAX, 499, 1));

	/* the short-term bound: from cwnd, x0.7 per lossy round ... */
	lo = nt_lo_on_loss(lo, 1000, 10);
	KUNIT_EXPECT_EQ(test, lo, 1000 * NT_BETA >> NT_GAIN_SCALE);
	KUNIT_EXPECT_EQ(test, lo, 699U);	/* 0.7 in 1/256ths */
	for (i = 0; i < 50; i++) {
		prev = lo;
		lo = nt_lo_on_loss(lo, 1000, 10);
		KUNIT_EXPECT_LE(test, lo, prev);
	}
	/* ... never below what a round delivered */
	KUNIT_EXPECT_EQ(test, lo, 10U);
	KUNIT_EXPECT_EQ(test, nt_lo_on_loss(lo, 1000, 400), 400U);

	/* the long-term bound: the inflight that fitted (what the round
	 * delivered, at most the most in flight), at least 0.7 of the target
	 */
	KUNIT_EXPECT_EQ(test, nt_hi_on_too_high(150, 200, 100), 150U);
	KUNIT_EXPECT_EQ(test, nt_hi_on_too_high(150, 120, 100), 120U);
	KUNIT_EXPECT_EQ(test, nt_hi_on_too_high(150, 10, 100), 69U);
	KUNIT_EXPECT_EQ(test, nt_hi_on_too_high(10, 150, 100), 69U);
	KUNIT_EXPECT_EQ(test, nt_hi_on_too_high(0, 0, 0), 0U);
	KUNIT_EXPECT_EQ(test, nt_hi_with_headroom(100), 86U);	/* 0.15 ~ 38/256 */
	KUNIT_EXPECT_EQ(test, nt_hi_with_headroom(1000), 852U);
	KUNIT_EXPECT_EQ(test, nt_hi_with_headroom(1), 1U);
	KUNIT_EXPECT_EQ(test, nt_hi_with_headroom(5), 4U);
	KUNIT_EXPECT_EQ(test, nt_hi_with_headroom(NT_UNBOUNDED), NT_UNBOUNDED);
}

static void nt_bounds_under_ce(struct kunit *test)
{
	u32 alpha = 0, lo = NT_UNBOUNDED;
	int i;

	/* every packet marked: alpha climbs toward 1.0, monotonically */
	for (i = 0; i < 200; i++) {
		u32 prev = alpha;

		alpha = nt_alpha_update(alpha, 100, 100);
		KUNIT_EXPECT_GE(test, alpha, prev);
		KUNIT_EXPECT_LE(test, alpha, NT_ALPHA_ONE);
	}
	KUNIT_EXPECT_GE(test, alpha, NT_ALPHA_ONE - 16);
	/* full marking halves the window, as DCTCP does */
	lo = nt_lo_on_ce(lo, 1000, 100, NT_ALPHA_ONE, 4);
	KUNIT_EXPECT_EQ(test, lo, 50U);
	/* never under min_cwnd */
	KUNIT_EXPECT_EQ(test, nt_lo_on_ce(lo, 1000, 2, NT_ALPHA_ONE, 4), 4U);
	/* no marking: alpha decays to 0 and the cut vanishes */
	for (i = 0; i < 400; i++)
		alpha = nt_alpha_update(alpha, 0, 100);
	KUNIT_EXPECT_LT(test, alpha, 16U);
	KUNIT_EXPECT_EQ(test, nt_lo_on_ce(NT_UNBOUNDED, 1000, 100, 0, 4), 100U);
	/* 10% marked: alpha settles near 0.1 and the cut near 5% */
	alpha = 0;
	for (i = 0; i < 400; i++)
		alpha = nt_alpha_update(alpha, 10, 100);
	KUNIT_EXPECT_GE(test, alpha, NT_ALPHA_ONE / 10 - 16);
	KUNIT_EXPECT_LE(test, alpha, NT_ALPHA_ONE / 10 + 16);
	lo = nt_lo_on_ce(NT_UNBOUNDED, 1000, 1000, alpha, 4);
	KUNIT_EXPECT_GE(test, lo, 940U);
	KUNIT_EXPECT_LE(test, lo, 960U);
	/* CE threshold 50% */
	KUNIT_EXPECT_FALSE(test, nt_ce_too_high(50, 100, 500));
	KUNIT_EXPECT_TRUE(test, nt_ce_too_high(51, 100, 500));
	KUNIT_EXPECT_FALSE(test, nt_ce_too_high(5, 0, 500));
	/* more CE than delivered (bad input) stays within 1.0 */
	KUNIT_EXPECT_LE(test, nt_alpha_update(NT_ALPHA_ONE, 500, 100),
			NT_ALPHA_ONE);
}

static void nt_conf_validation(struct kunit *test)
{
	/* ntctl's keywords, in the table's order */
	static const char *const kws[] = {
#define NT_CC_PARAM(A, f, kw, u, lo, hi, d) kw,
#include <linux/nt_cc_params.h>
	};
	struct netlink_ext_ack extack = {};
	struct nt_cc_conf c;
	unsigned int i;

	nt_conf_defaults(&c);
	KUNIT_EXPECT_EQ(test, nt_conf_check(&c, &extack), 0);
	/* the defaults are BBRv3's */
	KUNIT_EXPECT_EQ(test, c.g_startup, (u16)709);	/* 2.77 */
	KUNIT_EXPECT_EQ(test, c.g_cwnd, (u16)512);
	KUNIT_EXPECT_EQ(test, c.g_up, (u16)320);
	KUNIT_EXPECT_EQ(test, c.g_down, (u16)230);

	KUNIT_ASSERT_EQ(test, nt_conf_nranges, ARRAY_SIZE(kws));
	for (i = 0; i < nt_conf_nranges; i++) {
		const struct nt_conf_range *r = &nt_conf_ranges[i];
		char range[32];
		u32 *f;

		snprintf(range, sizeof(range), " %u..%u", r->min, r->max);
		nt_conf_defaults(&c);
		f = (u32 *)((u8 *)&c + r->offset);
		KUNIT_EXPECT_GE(test, r->def, r->min);
		KUNIT_EXPECT_LE(test, r->def, r->max);
		/* the netlink policy refuses what the check refuses */
		KUNIT_EXPECT_EQ_MSG(test, nt_conf_nla_ranges[r->attr].min,
				    (u64)r->min, "%s", kws[i]);
		KUNIT_EXPECT_EQ_MSG(test, nt_conf_nla_ranges[r->attr].max,
				    (u64)r->max, "%s", kws[i]);
		/* both ends are accepted (time < interval aside) */
		*f = r->min;
		KUNIT_EXPECT_EQ_MSG(test, nt_conf_check(&c, NULL), 0, "%s", r->msg);
		*f = r->max;
		if (r->attr != NT_CC_A_PROBE_RTT_TIME)
			KUNIT_EXPECT_EQ_MSG(test, nt_conf_check(&c, NULL), 0,
					    "%s", r->msg);
		/* one past either end is refused, with the range named */
		*f = r->max + 1;
		extack._msg = NULL;
		KUNIT_EXPECT_EQ(test, nt_conf_check(&c, &extack), -ERANGE);
		KUNIT_EXPECT_PTR_EQ(test, extack._msg, r->msg);
		KUNIT_EXPECT_NOT_NULL(test, strstr(r->msg, kws[i]));
		KUNIT_EXPECT_NOT_NULL(test, strstr(r->msg, range));
		*f = r->min - 1;
		KUNIT_EXPECT_EQ(test, nt_conf_check(&c, NULL), -ERANGE);
		*f = U32_MAX;
		KUNIT_EXPECT_EQ(test, nt_conf_check(&c, NULL), -ERANGE);
	}
	nt_conf_defaults(&c);
	c.ecn_mode = NT_CC_ECN_MAX + 1;
	KUNIT_EXPECT_EQ(test, nt_conf_check(&c, NULL), -ERANGE);
	c.ecn_mode = NT_CC_ECN_DCTCP;
	KUNIT_EXPECT_EQ(test, nt_conf_check(&c, NULL), 0);
	/* PROBE_RTT must end before the next one is due */
	c.probe_rtt_interval = 1000;
	c.probe_rtt_time = 1000;
	extack._msg = NULL;
	KUNIT_EXPECT_EQ(test, nt_conf_check(&c, &extack), -EINVAL);
	KUNIT_EXPECT_NOT_NULL(test, strstr(extack._msg, "probe-rtt-time"));
	c.probe_rtt_time = 999;
	KUNIT_EXPECT_EQ(test, nt_conf_check(&c, NULL), 0);
	nt_conf_derive(&c);
	KUNIT_EXPECT_EQ(test, c.probe_rtt_interval_j, msecs_to_jiffies(1000));
}

static struct kunit_case nt_cc_cases[] = {
	KUNIT_CASE(nt_maxf_vs_window),
	KUNIT_CASE(nt_cycle_machine),
	KUNIT_CASE(nt_arith_ranges),
	KUNIT_CASE(nt_bounds_under_loss),
	KUNIT_CASE(nt_bounds_under_ce),
	KUNIT_CASE(nt_conf_validation),
	{}
};

static struct kunit_suite nt_cc_suite = {
	.name = "nt_cc_model",
	.test_cases = nt_cc_cases,
};

kunit_test_suite(nt_cc_suite);

MODULE_DESCRIPTION("KUnit tests for tcp_nt's model");
MODULE_LICENSE("GPL");
