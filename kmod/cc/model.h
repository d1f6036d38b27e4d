/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcp_nt model arithmetic: the parts of the algorithm that need no socket,
 * so that KUnit can drive them with any input (kmod/cc/tests).
 *
 * Units: a delivery rate "bw" is packets per microsecond scaled by
 * 2^NT_BW_SCALE (u32: 1 kbit/s of 1500-byte packets is ~1.4 units,
 * 400 Gbit/s ~5.6e8); gains are scaled by NT_UNIT (256 = 1.0); rates of
 * loss and CE are per mille.
 */
#ifndef _NT_CC_MODEL_H
#define _NT_CC_MODEL_H

#include <linux/types.h>
#include <net/netlink.h>
#include <linux/nt_cc.h>

#define NT_BW_SCALE	24
#define NT_GAIN_SCALE	8
#define NT_UNIT		256U	/* 1 << NT_GAIN_SCALE */
#define NT_ALPHA_SCALE	10
#define NT_ALPHA_ONE	1024U	/* 1 << NT_ALPHA_SCALE */
#define NT_UNBOUNDED	U32_MAX
#define NT_BETA		(NT_UNIT * 7 / 10)	/* multiplicative decrease 0.7 */
#define NT_HEADROOM	(NT_UNIT * 15 / 100)	/* of inflight_hi, in CRUISE */
#define NT_FULL_BW_GROWTH (NT_UNIT * 5 / 4)	/* STARTUP: 25% per round */
#define NT_FULL_BW_ROUNDS 3
#define NT_FULL_LOSS_CNT 6		/* losses in a round to leave STARTUP */
#define NT_PROBE_LOSS_CNT 3		/* ... for a too-high round otherwise */
#define NT_PROBE_WAIT_BASE_US	2000000	/* PROBE_BW cycle: 2 s ... */
#define NT_PROBE_WAIT_RAND_US	1000000	/* ... plus up to 1 s */
#define NT_RENO_ROUNDS_MAX	63	/* Reno coexistence: probe by then */

enum nt_mode {
	NT_STARTUP,
	NT_DRAIN,
	NT_PROBE_DOWN,
	NT_PROBE_CRUISE,
	NT_PROBE_REFILL,
	NT_PROBE_UP,
	NT_PROBE_RTT,
	NT_MODE_COUNT,
};

extern const char *const nt_mode_names[NT_MODE_COUNT];

/*
 * A profile's parameters: as userspace gives them (their ranges and
 * defaults: uapi/linux/nt_cc_params.h), and scaled for use.
 */
struct nt_cc_conf {
	u32 startup_gain;	/* percent */
	u32 drain_gain;
	u32 cwnd_gain;
	u32 probe_up_gain;
	u32 probe_down_gain;
	u32 probe_rtt_interval;	/* ms */
	u32 probe_rtt_time;	/* ms */
	u32 loss_thresh;	/* per mille */
	u32 ce_thresh;		/* per mille */
	u32 min_cwnd;		/* packets */
	u8 ecn_mode;		/* enum nt_cc_ecn_mode */
	/* derived by nt_conf_derive() */
	u16 g_startup, g_drain, g_cwnd, g_up, g_down;	/* NT_UNIT scale */
	u32 probe_rtt_interval_j, probe_rtt_time_j;	/* jiffies */
};

/* One bound of a parameter: its netlink attribute and range. */
struct nt_conf_range {
	int attr;		/* NT_CC_A_* */
	u32 min, max, def;
	size_t offset;		/* in struct nt_cc_conf */
	const char *msg;	/* names it and its range, for extack */
};

/*
 * The u32 parameters with their ranges and defaults, and the same ranges
 * by attribute for the netlink policy: both from nt_cc_params.h.
 */
extern const struct nt_conf_range nt_conf_ranges[];
extern const unsigned int nt_conf_nranges;
extern struct netlink_range_validation nt_conf_nla_ranges[NT_CC_A_MAX + 1];

void nt_conf_defaults(struct nt_cc_conf *c);
/* Range and consistency checks; 0 or -ERANGE/-EINVAL with an extack message. */
int nt_conf_check(const struct nt_cc_conf *c, struct netlink_ext_ack *extack);
void nt_conf_derive(struct nt_cc_conf *c);

/*
 * The windowed max filter of the delivery rate: the max of the samples of
 * the current PROBE_BW cycle and of the one before (two slots), so that a
 * rate measured while probing is remembered for one whole cycle after it.
 */
struct nt_maxf {
	u32 slot[2];	/* [0] previous cycle, [1] current cycle */
};

static inline u32 nt_maxf_get(const struct nt_maxf *f)
{
	return f->slot[0] > f->slot[1] ? f->slot[0] : f->slot[1];
}

static inline void nt_maxf_update(struct nt_maxf *f, u32 sample)
{
	if (sample > f->slot[1])
		f->slot[1] = sample;
}

static inline void nt_maxf_advance(struct nt_maxf *f)
{
	f->slot[0] = f->slot[1];
	f->slot[1] = 0;
}

static inline void nt_maxf_reset(struct nt_maxf *f)
{
	f->slot[0] = 0;
	f->slot[1] = 0;
}

/* Delivery rate of a sample: @delivered packets in @interval_us. */
u32 nt_bw_sample(u32 delivered, u64 interval_us);
/* @bw * @rtt_us * @gain / NT_UNIT, in packets, rounded up, saturating. */
u32 nt_bdp(u32 bw, u32 rtt_us, u32 gain);
/* Pacing rate in bytes/s: @bw * @mss * @gain, less a 1% margin; saturating. */
u64 nt_pacing_rate(u32 bw, u32 mss, u32 gain);
/*
 * cwnd target: the BDP times @gain, plus three TSO bursts for the send and
 * ACK quantization, rounded up to even; at least @min_cwnd.
 */
u32 nt_cwnd_target(u32 bw, u32 rtt_us, u32 gain, u32 tso_segs, u32 min_cwnd);

/*
 * Per-round congestion signals. The round is "too high" (the inflight
 * that produced it should not be repeated) when its loss rate exceeds
 * @loss_thresh by more than chance would (two standard deviations of the
 * loss count at that rate) with at least @min_losses losses, or its CE
 * rate exceeds @ce_thresh when ECN is in use.
 */
bool nt_loss_too_high(u32 lost, u32 delivered, u32 loss_thresh, u32 min_losses);
bool nt_ce_too_high(u32 ce, u32 delivered, u32 ce_thresh);

/* DCTCP's alpha, moved 1/16 toward this round's CE fraction. */
u32 nt_alpha_update(u32 alpha, u32 ce, u32 delivered);

/*
 * Long-term bound after a too-high round: the inflight that fitted then,
 * taken as what the round delivered (a round of a full pipe delivers the
 * BDP plus the queue) but no more than the most that was in flight, and
 * at least @beta of the target inflight.
 */
u32 nt_hi_on_too_high(u32 inflight, u32 delivered, u32 target);
/*
 * Short-term bound at the end of a round with loss: the bound shrinks by
 * NT_BETA but not below what the round delivered; an unset bound starts
 * from @cwnd.
 */
u32 nt_lo_on_loss(u32 lo, u32 cwnd, u32 delivered);
/* ... and with CE in ECN mode dctcp: at most delivered * (1 - alpha/2). */
u32 nt_lo_on_ce(u32 lo, u32 cwnd, u32 delivered, u32 alpha, u32 min_cwnd);
/* CRUISE leaves this headroom below inflight_hi for other flows. */
u32 nt_hi_with_headroom(u32 hi);

/* What the PROBE_BW cycle looks at to decide on its next phase. */
struct nt_cycle_in {
	u8 mode;			/* the current NT_PROBE_* phase */
	bool round_start;		/* this ACK starts a round */
	bool too_high;			/* loss or CE over threshold */
	u32 inflight;			/* packets in flight */
	u32 bdp;			/* at gain 1.0 */
	u32 up_target;			/* bdp at the probe-up gain */
	u32 inflight_hi;
	u32 cycle_us;			/* since the cycle began (DOWN entry) */
	u32 probe_wait_us;		/* drawn when the cycle began */
	u32 cycle_rounds;		/* rounds since the cycle began */
	u32 phase_us;			/* since this phase began */
	u32 phase_rounds;		/* rounds since this phase began */
	u32 min_rtt_us;
};

/* The next phase: the same when nothing calls for a change. */
u8 nt_cycle_next(const struct nt_cycle_in *in);

#endif /* _NT_CC_MODEL_H */
