// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_nt model arithmetic (see model.h): rates, BDP, cwnd and pacing
 * targets, the congestion signals and bounds, the PROBE_BW cycle's
 * transitions, and profile parameter checks. No socket in here.
 */
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/jiffies.h>
#include <linux/stddef.h>
#include <linux/nt_cc.h>
#include <net/netlink.h>
#include "model.h"

const char *const nt_mode_names[NT_MODE_COUNT] = {
	[NT_STARTUP] = "startup",
	[NT_DRAIN] = "drain",
	[NT_PROBE_DOWN] = "probe_bw_down",
	[NT_PROBE_CRUISE] = "probe_bw_cruise",
	[NT_PROBE_REFILL] = "probe_bw_refill",
	[NT_PROBE_UP] = "probe_bw_up",
	[NT_PROBE_RTT] = "probe_rtt",
};

/* The parameters' table, from uapi/linux/nt_cc_params.h. */
#define NT_CC_PARAM(A, f, kw, u, lo, hi, d)				\
	{ NT_CC_A_##A, lo, hi, d, offsetof(struct nt_cc_conf, f),	\
	  KBUILD_MODNAME ": " kw " out of range " #lo ".." #hi },
const struct nt_conf_range nt_conf_ranges[] = {
#include <linux/nt_cc_params.h>
};

/*
 * The same ranges for the netlink policy (NLA_POLICY_FULL_RANGE: 60000
 * does not fit NLA_POLICY_RANGE's s16), so that a value out of range is
 * refused, and named, before a command runs.
 */
#define NT_CC_PARAM(A, f, kw, u, lo, hi, d)				\
	[NT_CC_A_##A] = { .min = lo, .max = hi },
struct netlink_range_validation nt_conf_nla_ranges[NT_CC_A_MAX + 1] = {
#include <linux/nt_cc_params.h>
};

const unsigned int nt_conf_nranges = ARRAY_SIZE(nt_conf_ranges);

static u32 *conf_field(struct nt_cc_conf *c, const struct nt_conf_range *r)
{
	return (u32 *)((u8 *)c + r->offset);
}

void nt_conf_defaults(struct nt_cc_conf *c)
{
	unsigned int i;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < nt_conf_nranges; i++)
		*conf_field(c, &nt_conf_ranges[i]) = nt_conf_ranges[i].def;
	c->ecn_mode = NT_CC_ECN_OFF;
	nt_conf_derive(c);
}

int nt_conf_check(const struct nt_cc_conf *c, struct netlink_ext_ack *extack)
{
	unsigned int i;

	for (i = 0; i < nt_conf_nranges; i++) {
		const struct nt_conf_range *r = &nt_conf_ranges[i];
		u32 v = *conf_field((struct nt_cc_conf *)c, r);

		if (v < r->min || v > r->max) {
			/* a message per parameter, built at compile time */
			if (extack)
				extack->_msg = r->msg;
			return -ERANGE;
		}
	}
	if (c->ecn_mode > NT_CC_ECN_MAX) {
		NL_SET_ERR_MSG_MOD(extack, "ecn must be off or dctcp");
		return -ERANGE;
	}
	if (c->probe_rtt_time >= c->probe_rtt_interval) {
		NL_SET_ERR_MSG_MOD(extack,
				   "probe-rtt-time must be shorter than probe-rtt-interval");
		return -EINVAL;
	}
	return 0;
}

static u16 nt_pct_to_gain(u32 pct)
{
	return DIV_ROUND_CLOSEST(pct * NT_UNIT, 100);
}

void nt_conf_derive(struct nt_cc_conf *c)
{
	c->g_startup = nt_pct_to_gain(c->startup_gain);
	c->g_drain = nt_pct_to_gain(c->drain_gain);
	c->g_cwnd = nt_pct_to_gain(c->cwnd_gain);
	c->g_up = nt_pct_to_gain(c->probe_up_gain);
	c->g_down = nt_pct_to_gain(c->probe_down_gain);
	c->probe_rtt_interval_j = msecs_to_jiffies(c->probe_rtt_interval);
	c->probe_rtt_time_j = msecs_to_jiffies(c->probe_rtt_time);
}

u32 nt_bw_sample(u32 delivered, u64 interval_us)
{
	u64 bw;

	if (!interval_us)
		return 0;
	bw = div64_u64((u64)delivered << NT_BW_SCALE, interval_us);
	return min_t(u64, bw, U32_MAX);
}

u32 nt_bdp(u32 bw, u32 rtt_us, u32 gain)
{
	u64 w = (u64)bw * rtt_us;	/* < 2^64: both are u32 */
	u64 bdp;
	u32 frac;

	/* (w * gain) >> (BW_SCALE + GAIN_SCALE) with a 96-bit product */
	bdp = mul_u64_u32_shr(w, gain, NT_BW_SCALE + NT_GAIN_SCALE);
	/* round up: a fraction of a packet still needs a packet; the low
	 * 32 bits of the product survive the u64 wrap-around
	 */
	BUILD_BUG_ON(NT_BW_SCALE + NT_GAIN_SCALE != 32);
	frac = (u32)(w * gain);
	if (frac && bdp < U32_MAX)
		bdp++;
	return min_t(u64, bdp, U32_MAX);
}

u64 nt_pacing_rate(u32 bw, u32 mss, u32 gain)
{
	u64 rate = (u64)bw * mss;	/* < 2^48 */

	rate = mul_u64_u32_shr(rate, gain, NT_GAIN_SCALE);
	/* packets/us -> bytes/s, keeping 99%: bbr's margin for pacing under
	 * the estimate, so that queues drain while cruising at gain 1.0
	 */
	return mul_u64_u32_shr(rate, USEC_PER_SEC / 100 * 99, NT_BW_SCALE);
}

u32 nt_cwnd_target(u32 bw, u32 rtt_us, u32 gain, u32 tso_segs, u32 min_cwnd)
{
	u64 cwnd = nt_bdp(bw, rtt_us, gain);

	cwnd += 3ULL * tso_segs;
	cwnd = (cwnd + 1) & ~1ULL;
	cwnd = max_t(u64, cwnd, min_cwnd);
	return min_t(u64, cwnd, U32_MAX - 1);
}

bool nt_loss_too_high(u32 lost, u32 delivered, u32 loss_thresh, u32 min_losses)
{
	u64 total = (u64)lost + delivered, expect;

	if (lost < min_losses || !lost)
		return false;
	/*
	 * Random loss at exactly @loss_thresh loses total * p packets a
	 * round, give or take sqrt(total * p): in rounds of a few dozen
	 * packets, it crosses the threshold by chance every few rounds.
	 * Two standard deviations above the threshold are asked for, in
	 * thousandths of a packet: lost * 1000 > e + 2 * sqrt(1000 * e)
	 * with e = total * loss_thresh.
	 */
	expect = total * loss_thresh;
	return (u64)lost * 1000 > expect + 2 * int_sqrt64(expect * 1000);
}

bool nt_ce_too_high(u32 ce, u32 delivered, u32 ce_thresh)
{
	if (!ce || !delivered)
		return false;
	return (u64)ce * 1000 > (u64)delivered * ce_thresh;
}

u32 nt_alpha_update(u32 alpha, u32 ce, u32 delivered)
{
	u32 frac = 0;

	if (delivered)
		frac = div_u64((u64)min(ce, delivered) << NT_ALPHA_SCALE,
			       delivered);
	/* alpha = (1 - g) * alpha + g * frac, g = 1/16 */
	alpha = alpha - (alpha >> 4) + (frac >> 4);
	return min(alpha, NT_ALPHA_ONE);
}

u32 nt_hi_on_too_high(u32 inflight, u32 delivered, u32 target)
{
	u32 floor = (u64)target * NT_BETA >> NT_GAIN_SCALE;

	return max(min(inflight, delivered), floor);
}

u32 nt_lo_on_loss(u32 lo, u32 cwnd, u32 delivered)
{
	if (lo == NT_UNBOUNDED)
		lo = cwnd;
	lo = (u64)lo * NT_BETA >> NT_GAIN_SCALE;
	return max(lo, delivered);
}

u32 nt_lo_on_ce(u32 lo, u32 cwnd, u32 delivered, u32 alpha, u32 min_cwnd)
{
	u32 cut = (u64)delivered * (2 * NT_ALPHA_ONE - min(alpha, NT_ALPHA_ONE)) >>
		  (NT_ALPHA_SCALE + 1);

	if (lo == NT_UNBOUNDED)
		lo = cwnd;
	return max(min(lo, cut), min_cwnd);
}

u32 nt_hi_with_headroom(u32 hi)
{
	u32 room;

	if (hi == NT_UNBOUNDED)
		return hi;
	room = max_t(u32, (u64)hi * NT_HEADROOM >> NT_GAIN_SCALE, 1);
	return hi > room ? hi - room : 1;
}

/*
 * Time to probe: the cycle's random wait (2-3 s) is over, or as many rounds
 * went by as a Reno flow needs to grow its window by the BDP (capped at
 * 63), so that a loss-based flow sharing the link is not starved.
 */
static bool nt_time_to_probe(const struct nt_cycle_in *in)
{
	u32 reno_rounds = clamp_t(u32, in->bdp, 1, NT_RENO_ROUNDS_MAX);

	return in->cycle_us >= in->probe_wait_us ||
	       in->cycle_rounds >= reno_rounds;
}

u8 nt_cycle_next(const struct nt_cycle_in *in)
{
	switch (in->mode) {
	case NT_PROBE_DOWN:
		if (nt_time_to_probe(in))
			return NT_PROBE_REFILL;
		/* drained below both the BDP and the headroom under hi */
		if (in->inflight <= in->bdp &&
		    in->inflight <= nt_hi_with_headroom(in->inflight_hi))
			return NT_PROBE_CRUISE;
		return NT_PROBE_DOWN;
	case NT_PROBE_CRUISE:
		return nt_time_to_probe(in) ? NT_PROBE_REFILL : NT_PROBE_CRUISE;
	case NT_PROBE_REFILL:
		/* one round at gain 1.0 to fill the pipe to the BDP */
		if (in->round_start && in->phase_rounds >= 1)
			return NT_PROBE_UP;
		return NT_PROBE_REFILL;
	case NT_PROBE_UP:
		if (in->too_high)
			return NT_PROBE_DOWN;
		if (in->phase_us >= in->min_rtt_us &&
		    in->inflight >= in->up_target)
			return NT_PROBE_DOWN;
		return NT_PROBE_UP;
	default:
		return in->mode;
	}
}
