// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_nt: a model-based, ECN-aware TCP congestion control ("nt").
 *
 * The model, after the IETF CCWG description of BBR (v3), written here
 * from that text:
 *
 *   bw       = max delivery rate over the last two PROBE_BW cycles
 *   min_rtt  = min RTT, refreshed by PROBE_RTT every probe-rtt-interval
 *   bdp      = bw * min_rtt
 *   pacing   = pacing_gain[state] * bw          (sk_pacing_rate)
 *   cwnd     = min(cwnd_gain * bdp + 3 TSO bursts, inflight_lo, inflight_hi)
 *
 *   inflight_hi (long term): the inflight that last made a round's loss
 *     rate exceed loss-thresh (or its CE rate ce-thresh) while probing;
 *     raised by 1, 2, 4, ... packets a round while probing up.
 *   inflight_lo (short term): cut by 0.7 (not below what the round
 *     delivered) at the end of each too-high round outside probing; in
 *     ECN mode dctcp, also cut to delivered * (1 - alpha / 2) where alpha
 *     is DCTCP's moving average of the CE fraction, and grown by one
 *     packet a round without CE, as DCTCP does. Reset before probing.
 *
 *        +---------+   bw +25% for 3 rounds not seen,
 *        | STARTUP |-- or loss/CE too high ---------+
 *        +---------+                                 v
 *             ^                                 +-------+
 *             | (pipe not yet full)             | DRAIN |
 *        +-----------+                          +-------+
 *        | PROBE_RTT |<-- min_rtt older than        | inflight <= bdp
 *        +-----------+    probe-rtt-interval        v
 *             |         (from any state)   +--> DOWN --> CRUISE --+
 *             +--------------------------->|     ^                | 2-3 s or
 *                                          |     |                v Reno rounds
 *                                          +--- UP <--1 round-- REFILL
 *                        (loss/CE too high, or inflight >= up-gain * bdp)
 *
 * Departures from BBRv3: the stock 6.1 rate sample has no tx_in_flight,
 * so a too-high round is judged on the whole round's loss and CE counts
 * (at least 3 losses, and two standard deviations above what random loss
 * at loss-thresh would give, so that small rounds are not judged on
 * chance) and inflight_hi is set from what that round delivered (at
 * most the most that was in flight during it), also for the two rounds
 * after PROBE_UP, whose losses are the probe's; the
 * loss-based cut of inflight_lo also waits for a too-high round, so that
 * random loss under loss-thresh does not shrink the window; there is no
 * bw_lo (inflight_lo alone carries the short-term bound); min_rtt has one filter (window =
 * probe-rtt-interval) instead of two; PROBE_RTT holds cwnd at half the
 * BDP as v3 does. Every gain, threshold and interval comes from the
 * profile the connection took at start (profile.c), chosen by its peer
 * address.
 */
#include <linux/module.h>
#include <linux/random.h>
#include <linux/inet_diag.h>
#include <net/tcp.h>
#include "model.h"
#include "profile.h"
#include "netlink.h"
#include "nt_compat.h"

#define CREATE_TRACE_POINTS
#include "trace.h"

struct nt_cc {
	struct nt_cc_version *ver;	/* NULL only if the netns is gone */
	struct nt_maxf bw;
	u32 inflight_hi;
	u32 inflight_lo;
	u32 min_rtt_us;
	u32 min_rtt_stamp;		/* jiffies */
	u32 probe_rtt_done_stamp;	/* jiffies, 0: not yet drained */
	u32 next_rtt_delivered;		/* ends the current round */
	u32 cycle_stamp;		/* us, PROBE_BW cycle start */
	u32 phase_stamp;		/* us, current state's start */
	u32 probe_wait_us;
	u32 prior_cwnd;
	u32 full_bw;
	u32 round_delivered;		/* tp->delivered at round start */
	u32 round_lost;			/* tp->lost at round start */
	u32 round_ce;			/* tp->delivered_ce at round start */
	u32 bytes_acked;		/* low bits, already counted */
	u32 round_max_inflight;		/* the most in flight this round */
	u16 alpha;			/* NT_ALPHA_ONE = 1.0 */
	u16 cycle_rounds;
	u8 mode;
	u8 phase_rounds;
	u8 probe_up_rounds;
	u8 prev_ca_state:3,
	   full_bw_cnt:2,
	   full_bw_reached:1,
	   round_start:1,
	   idle_restart:1;
	u8 probe_rtt_round_done:1,
	   packet_conservation:1,
	   round_too_high:1,	/* the round that just ended */
	   probe_late:2,	/* rounds still carrying a probe's losses */
	   unused:3;
};

static struct nt_cc_conf nt_builtin_conf;

static const struct nt_cc_conf *nt_conf(const struct nt_cc *ca)
{
	return ca->ver ? &ca->ver->conf : &nt_builtin_conf;
}

/* The counters of the connection's profile, or NULL. */
static struct nt_cc_pcpu __percpu *nt_stats(const struct nt_cc *ca)
{
	return ca->ver ? ca->ver->prof->stats : NULL;
}

static u32 nt_now_us(const struct tcp_sock *tp)
{
	return (u32)tp->tcp_mstamp;
}

static u32 nt_bw(const struct nt_cc *ca)
{
	return nt_maxf_get(&ca->bw);
}

static u32 nt_conf_pacing_gain(const struct nt_cc_conf *c, u8 mode)
{
	switch (mode) {
	case NT_STARTUP:
		return c->g_startup;
	case NT_DRAIN:
		return c->g_drain;
	case NT_PROBE_DOWN:
		return c->g_down;
	case NT_PROBE_UP:
		return c->g_up;
	default:
		return NT_UNIT;
	}
}

static u32 nt_conf_cwnd_gain(const struct nt_cc_conf *c, u8 mode)
{
	if (mode == NT_PROBE_UP)
		return c->g_cwnd + NT_UNIT / 4;
	return c->g_cwnd;
}

static u32 nt_pacing_gain(const struct nt_cc *ca)
{
	return nt_conf_pacing_gain(nt_conf(ca), ca->mode);
}

static u32 nt_cwnd_gain(const struct nt_cc *ca)
{
	return nt_conf_cwnd_gain(nt_conf(ca), ca->mode);
}

static u64 nt_bw_bytes_per_sec(const struct sock *sk, u32 bw)
{
	return nt_pacing_rate(bw, tcp_sk(sk)->mss_cache, NT_UNIT) / 99 * 100;
}

static void nt_set_mode(struct sock *sk, u8 mode)
{
	struct nt_cc *ca = inet_csk_ca(sk);
	struct tcp_sock *tp = tcp_sk(sk);

	if (ca->mode == mode)
		return;
	trace_nt_state(sk, nt_mode_names[ca->mode], nt_mode_names[mode],
		       nt_bw_bytes_per_sec(sk, nt_bw(ca)) * 8, ca->min_rtt_us,
		       tcp_snd_cwnd(tp), ca->inflight_lo, ca->inflight_hi);
	ca->mode = mode;
	ca->phase_stamp = nt_now_us(tp);
	ca->phase_rounds = 0;
}

/* 1 segment per TSO burst under 1.2 Mbit/s, else 2 */
static u32 nt_min_tso_segs(struct sock *sk)
{
	return sk->sk_pacing_rate < 150000 ? 1 : 2;
}

static u32 nt_tso_segs(struct sock *sk)
{
	u32 bytes, segs, mss = max_t(u32, tcp_sk(sk)->mss_cache, 1);
	u32 min_segs = nt_min_tso_segs(sk);

	/* about 1 ms of data at the pacing rate, within one GSO packet */
	bytes = min_t(unsigned long,
		      sk->sk_pacing_rate >> READ_ONCE(sk->sk_pacing_shift),
		      GSO_LEGACY_MAX_SIZE - 1 - MAX_TCP_HEADER);
	segs = max(bytes / mss, min_segs);
	return min(segs, 127U);
}

static void nt_save_cwnd(struct sock *sk)
{
	struct nt_cc *ca = inet_csk_ca(sk);
	struct tcp_sock *tp = tcp_sk(sk);

	if (ca->prev_ca_state < TCP_CA_Recovery && ca->mode != NT_PROBE_RTT)
		ca->prior_cwnd = tcp_snd_cwnd(tp);
	else
		ca->prior_cwnd = max(ca->prior_cwnd, tcp_snd_cwnd(tp));
}

static void nt_init_pacing(struct sock *sk)
{
	struct nt_cc *ca = inet_csk_ca(sk);
	struct tcp_sock *tp = tcp_sk(sk);
	u32 rtt_us = tp->srtt_us ? max(tp->srtt_us >> 3, 1U) : USEC_PER_MSEC;
	u32 bw = nt_bw_sample(tcp_snd_cwnd(tp), rtt_us);

	WRITE_ONCE(sk->sk_pacing_rate,
		   min_t(u64, nt_pacing_rate(bw, tp->mss_cache,
					     nt_conf(ca)->g_startup),
			 sk->sk_max_pacing_rate));
}

static void nt_init(struct sock *sk)
{
	struct nt_cc *ca = inet_csk_ca(sk);
	struct tcp_sock *tp = tcp_sk(sk);

	struct nt_cc_version *v;

	BUILD_BUG_ON(sizeof(struct nt_cc) > ICSK_CA_PRIV_SIZE);
	memset(ca, 0, sizeof(*ca));
#if IS_ENABLED(CONFIG_IPV6)
	if (sk->sk_family == AF_INET6 &&
	    !ipv6_addr_v4mapped(&sk->sk_v6_daddr))
		v = nt_cc_version_for(sock_net(sk), AF_INET6,
				      &sk->sk_v6_daddr);
	else
#endif
		v = nt_cc_version_for(sock_net(sk), AF_INET, &sk->sk_daddr);
	WRITE_ONCE(ca->ver, v);	/* nt_get_info() reads it unlocked */
	if (nt_stats(ca))
		this_cpu_inc(nt_stats(ca)->conns);

	ca->inflight_hi = NT_UNBOUNDED;
	ca->inflight_lo = NT_UNBOUNDED;
	ca->min_rtt_us = tcp_min_rtt(tp);
	ca->min_rtt_stamp = tcp_jiffies32;
	ca->next_rtt_delivered = tp->delivered;
	ca->round_delivered = tp->delivered;
	ca->round_lost = tp->lost;
	ca->round_ce = tp->delivered_ce;
	ca->round_max_inflight = 0;
	ca->bytes_acked = (u32)tp->bytes_acked;
	ca->prev_ca_state = TCP_CA_Open;
	ca->mode = NT_STARTUP;
	ca->phase_stamp = nt_now_us(tp);
	ca->cycle_stamp = ca->phase_stamp;
	tp->snd_ssthresh = TCP_INFINITE_SSTHRESH;
	nt_init_pacing(sk);
	cmpxchg(&sk->sk_pacing_status, SK_PACING_NONE, SK_PACING_NEEDED);
}

static void nt_release(struct sock *sk)
{
	struct nt_cc *ca = inet_csk_ca(sk);
	struct nt_cc_version *v = ca->ver;

	/* freed after a grace period: nt_get_info() may hold it */
	WRITE_ONCE(ca->ver, NULL);
	if (v)
		nt_cc_version_put(v);
}

/* A connection whose profile was deleted moves to default. */
static void nt_check_profile(struct sock *sk, struct nt_cc *ca)
{
	struct nt_cc_version *v, *old = ca->ver;

	if (likely(!old || !READ_ONCE(old->prof->dead)))
		return;
	v = nt_cc_version_default(sock_net(sk));
	/* unpublished before the put: nt_get_info() may be reading it */
	WRITE_ONCE(ca->ver, v);
	nt_cc_version_put(old);
}

static void nt_start_cycle(struct sock *sk)
{
	struct nt_cc *ca = inet_csk_ca(sk);

	nt_maxf_advance(&ca->bw);
	ca->cycle_stamp = nt_now_us(tcp_sk(sk));
	ca->cycle_rounds = 0;
	ca->probe_wait_us = NT_PROBE_WAIT_BASE_US +
			    get_random_u32_below(NT_PROBE_WAIT_RAND_US);
	nt_set_mode(sk, NT_PROBE_DOWN);
}

/* Loss and CE counts of the round so far. */
static bool nt_round_too_high(struct sock *sk, u32 min_losses)
{
	struct nt_cc *ca = inet_csk_ca(sk);
	struct tcp_sock *tp = tcp_sk(sk);
	const struct nt_cc_conf *c = nt_conf(ca);
	u32 del = tp->delivered - ca->round_delivered;

	if (nt_loss_too_high(tp->lost - ca->round_lost, del, c->loss_thresh,
			     min_losses))
		return true;
	return c->ecn_mode == NT_CC_ECN_DCTCP &&
	       nt_ce_too_high(tp->delivered_ce - ca->round_ce, del,
			      c->ce_thresh);
}

static bool nt_is_probing(const struct nt_cc *ca)
{
	return ca->mode == NT_STARTUP || ca->mode == NT_PROBE_REFILL ||
	       ca->mode == NT_PROBE_UP;
}

/* At the end of each round: DCTCP alpha, the short-term bound, STARTUP. */
static void nt_end_round(struct sock *sk, const struct rate_sample *rs)
{
	struct nt_cc *ca = inet_csk_ca(sk);
	struct tcp_sock *tp = tcp_sk(sk);
	const struct nt_cc_conf *c = nt_conf(ca);
	u32 del = tp->delivered - ca->round_delivered;
	u32 lost = tp->lost - ca->round_lost;
	u32 ce = tp->delivered_ce - ca->round_ce;
	bool dctcp = c->ecn_mode == NT_CC_ECN_DCTCP;

	if (dctcp)
		ca->alpha = nt_alpha_update(ca->alpha, ce, del);
	ca->round_too_high = nt_round_too_high(sk, NT_PROBE_LOSS_CNT);
	/*
	 * A probe overflowed: inflight_hi is what that round delivered, at
	 * most the most that was in flight in it (the nearest stock 6.1 gets
	 * to v3's tx_in_flight: the most in flight also counts the packets
	 * lost in the queue), and at least 0.7 of the target.
	 */
	if (ca->round_too_high && !rs->is_app_limited &&
	    (ca->mode == NT_PROBE_UP || ca->mode == NT_PROBE_REFILL ||
	     ca->probe_late))
		ca->inflight_hi =
			nt_hi_on_too_high(ca->round_max_inflight, del,
					  min(nt_bdp(nt_bw(ca), ca->min_rtt_us,
						     NT_UNIT),
					      tcp_snd_cwnd(tp)));
	if (ca->probe_late)
		ca->probe_late--;
	if (!nt_is_probing(ca)) {
		/* random loss under loss-thresh leaves the bound alone */
		if (ca->round_too_high && lost)
			ca->inflight_lo = nt_lo_on_loss(ca->inflight_lo,
							tcp_snd_cwnd(tp), del);
		if (dctcp && ce)
			ca->inflight_lo = nt_lo_on_ce(ca->inflight_lo,
						      tcp_snd_cwnd(tp), del,
						      ca->alpha, c->min_cwnd);
		else if (dctcp && !lost && ca->inflight_lo != NT_UNBOUNDED)
			ca->inflight_lo++;	/* DCTCP's additive increase */
	}

	if (ca->mode == NT_STARTUP && !ca->full_bw_reached) {
		u32 bw = nt_bw(ca);

		if (nt_round_too_high(sk, NT_FULL_LOSS_CNT)) {
			/*
			 * The pipe overflowed: remember how much fit, what
			 * the round delivered (the most in flight counts
			 * what the queue dropped too), at least the BDP.
			 */
			ca->inflight_hi =
				max(nt_bdp(bw, ca->min_rtt_us, NT_UNIT),
				    min(ca->round_max_inflight, del));
			ca->full_bw_reached = 1;
		} else if (!rs->is_app_limited) {
			if ((u64)bw * NT_UNIT >=
			    (u64)ca->full_bw * NT_FULL_BW_GROWTH) {
				ca->full_bw = bw;
				ca->full_bw_cnt = 0;
			} else if (++ca->full_bw_cnt >= NT_FULL_BW_ROUNDS) {
				ca->full_bw_reached = 1;
			}
		}
	}

	ca->round_delivered = tp->delivered;
	ca->round_lost = tp->lost;
	ca->round_ce = tp->delivered_ce;
	ca->round_max_inflight = 0;
	if (ca->cycle_rounds < U16_MAX)
		ca->cycle_rounds++;
	if (ca->phase_rounds < U8_MAX)
		ca->phase_rounds++;
}

static void nt_update_round_and_bw(struct sock *sk,
				   const struct rate_sample *rs)
{
	struct nt_cc *ca = inet_csk_ca(sk);
	struct tcp_sock *tp = tcp_sk(sk);
	u32 bw;

	ca->round_start = 0;
	if (rs->delivered < 0 || rs->interval_us <= 0)
		return;
	ca->round_max_inflight = max(ca->round_max_inflight,
				     rs->prior_in_flight);
	bw = nt_bw_sample(rs->delivered, rs->interval_us);
	if (!rs->is_app_limited || bw >= nt_bw(ca))
		nt_maxf_update(&ca->bw, bw);
	if (!before(rs->prior_delivered, ca->next_rtt_delivered)) {
		ca->next_rtt_delivered = tp->delivered;
		ca->round_start = 1;
		ca->packet_conservation = 0;
		nt_end_round(sk, rs);
	}
}

static void nt_update_min_rtt(struct sock *sk, const struct rate_sample *rs)
{
	struct nt_cc *ca = inet_csk_ca(sk);
	struct tcp_sock *tp = tcp_sk(sk);
	const struct nt_cc_conf *c = nt_conf(ca);
	bool expired;

	expired = after(tcp_jiffies32,
			ca->min_rtt_stamp + c->probe_rtt_interval_j);
	if (rs->rtt_us >= 0 &&
	    (rs->rtt_us < ca->min_rtt_us || (expired && !rs->is_ack_delayed))) {
		ca->min_rtt_us = rs->rtt_us;
		ca->min_rtt_stamp = tcp_jiffies32;
	}

	if (expired && !ca->idle_restart && ca->mode != NT_PROBE_RTT) {
		nt_save_cwnd(sk);
		ca->probe_rtt_done_stamp = 0;
		if (nt_stats(ca))
			this_cpu_inc(nt_stats(ca)->probe_rtts);
		nt_set_mode(sk, NT_PROBE_RTT);
	}

	if (ca->mode == NT_PROBE_RTT) {
		u32 target = max(nt_bdp(nt_bw(ca), ca->min_rtt_us, NT_UNIT / 2),
				 c->min_cwnd);

		/* what is sent now is paced by a cwnd, not by demand */
		tp->app_limited = (tp->delivered + tcp_packets_in_flight(tp)) ? : 1;
		if (!ca->probe_rtt_done_stamp &&
		    tcp_packets_in_flight(tp) <= target) {
			ca->probe_rtt_done_stamp = tcp_jiffies32 +
						   c->probe_rtt_time_j;
			ca->probe_rtt_round_done = 0;
			ca->next_rtt_delivered = tp->delivered;
		} else if (ca->probe_rtt_done_stamp) {
			if (ca->round_start)
				ca->probe_rtt_round_done = 1;
			if (ca->probe_rtt_round_done &&
			    after(tcp_jiffies32, ca->probe_rtt_done_stamp)) {
				ca->min_rtt_stamp = tcp_jiffies32;
				tcp_snd_cwnd_set(tp, max(tcp_snd_cwnd(tp),
							 ca->prior_cwnd));
				if (ca->full_bw_reached)
					nt_start_cycle(sk);
				else
					nt_set_mode(sk, NT_STARTUP);
			}
		}
	}
	if (rs->delivered > 0)
		ca->idle_restart = 0;
}

static void nt_update_state(struct sock *sk, const struct rate_sample *rs)
{
	struct nt_cc *ca = inet_csk_ca(sk);
	struct tcp_sock *tp = tcp_sk(sk);
	const struct nt_cc_conf *c = nt_conf(ca);
	u32 bw = nt_bw(ca), bdp = nt_bdp(bw, ca->min_rtt_us, NT_UNIT);
	u32 inflight = tcp_packets_in_flight(tp);
	struct nt_cycle_in in;
	u8 next;

	if (ca->mode == NT_STARTUP && ca->full_bw_reached)
		nt_set_mode(sk, NT_DRAIN);
	if (ca->mode == NT_DRAIN && inflight <= bdp)
		nt_start_cycle(sk);
	if (ca->mode < NT_PROBE_DOWN || ca->mode > NT_PROBE_UP)
		return;

	in = (struct nt_cycle_in) {
		.mode = ca->mode,
		.round_start = ca->round_start,
		/* judged on whole rounds: a partial one is too noisy */
		.too_high = (ca->mode == NT_PROBE_UP ||
			     ca->mode == NT_PROBE_REFILL) &&
			    ca->round_start && ca->round_too_high,
		.inflight = inflight,
		.bdp = bdp,
		.up_target = nt_bdp(bw, ca->min_rtt_us, c->g_up),
		.inflight_hi = ca->inflight_hi,
		.cycle_us = nt_now_us(tp) - ca->cycle_stamp,
		.probe_wait_us = ca->probe_wait_us,
		.cycle_rounds = ca->cycle_rounds,
		.phase_us = nt_now_us(tp) - ca->phase_stamp,
		.phase_rounds = ca->phase_rounds,
		.min_rtt_us = ca->min_rtt_us,
	};

	/* probing up: raise the long-term bound 1, 2, 4, ... a round */
	if (ca->mode == NT_PROBE_UP && ca->round_start && !in.too_high &&
	    ca->inflight_hi != NT_UNBOUNDED && tcp_is_cwnd_limited(sk)) {
		u32 step = 1U << min_t(u32, ca->probe_up_rounds, 20);

		ca->inflight_hi = min_t(u64, (u64)ca->inflight_hi + step,
					NT_UNBOUNDED - 1);
		ca->probe_up_rounds++;
	}

	next = nt_cycle_next(&in);
	if (next == ca->mode)
		return;
	switch (next) {
	case NT_PROBE_DOWN:
		/*
		 * What UP sent is acknowledged, or found lost, during the
		 * next two rounds: their losses still judge the probe.
		 */
		if (ca->mode == NT_PROBE_UP)
			ca->probe_late = 2;
		nt_start_cycle(sk);
		break;
	case NT_PROBE_REFILL:
		ca->inflight_lo = NT_UNBOUNDED;
		ca->probe_up_rounds = 0;
		/* the refill round starts now */
		ca->next_rtt_delivered = tp->delivered;
		nt_set_mode(sk, next);
		break;
	default:
		nt_set_mode(sk, next);
	}
}

static void nt_set_pacing(struct sock *sk)
{
	struct nt_cc *ca = inet_csk_ca(sk);
	struct tcp_sock *tp = tcp_sk(sk);
	u32 bw = nt_bw(ca);
	u64 rate;

	if (!bw)
		return;
	rate = min_t(u64, nt_pacing_rate(bw, tp->mss_cache, nt_pacing_gain(ca)),
		     sk->sk_max_pacing_rate);
	if (ca->full_bw_reached || rate > sk->sk_pacing_rate)
		WRITE_ONCE(sk->sk_pacing_rate, rate);
}

/* Recovery: packet conservation for a round, then back to prior_cwnd. */
static u32 nt_recovery_cwnd(struct sock *sk, const struct rate_sample *rs,
			    u32 cwnd)
{
	struct nt_cc *ca = inet_csk_ca(sk);
	struct tcp_sock *tp = tcp_sk(sk);
	u8 state = inet_csk(sk)->icsk_ca_state;
	u32 inflight = tcp_packets_in_flight(tp);

	if (rs->losses > 0)
		cwnd = max_t(s32, cwnd - rs->losses, 1);
	if (state >= TCP_CA_Recovery && ca->prev_ca_state < TCP_CA_Recovery) {
		if (nt_stats(ca))
			this_cpu_inc(nt_stats(ca)->recoveries);
		ca->packet_conservation = 1;
		ca->next_rtt_delivered = tp->delivered;
		cwnd = inflight + rs->acked_sacked;
	} else if (state < TCP_CA_Recovery &&
		   ca->prev_ca_state >= TCP_CA_Recovery) {
		cwnd = max(cwnd, ca->prior_cwnd);
		ca->packet_conservation = 0;
	}
	ca->prev_ca_state = state;
	if (ca->packet_conservation)
		cwnd = max(cwnd, inflight + rs->acked_sacked);
	return cwnd;
}

static void nt_set_cwnd(struct sock *sk, const struct rate_sample *rs)
{
	struct nt_cc *ca = inet_csk_ca(sk);
	struct tcp_sock *tp = tcp_sk(sk);
	const struct nt_cc_conf *c = nt_conf(ca);
	u32 bw = nt_bw(ca), cwnd = tcp_snd_cwnd(tp), target, bound;
	u32 acked = rs->acked_sacked;

	if (!acked)
		goto bound;
	cwnd = nt_recovery_cwnd(sk, rs, cwnd);
	if (ca->packet_conservation)
		goto bound;
	target = nt_cwnd_target(bw, ca->min_rtt_us, nt_cwnd_gain(ca),
				nt_tso_segs(sk), c->min_cwnd);
	if (ca->full_bw_reached)
		cwnd = min(cwnd + acked, target);
	else if (cwnd < target || tp->delivered < TCP_INIT_CWND)
		cwnd = cwnd + acked;
	cwnd = max(cwnd, c->min_cwnd);
bound:
	bound = ca->inflight_lo;
	if (ca->mode == NT_PROBE_CRUISE || ca->mode == NT_PROBE_RTT)
		bound = min(bound, nt_hi_with_headroom(ca->inflight_hi));
	else if (ca->mode != NT_STARTUP || ca->full_bw_reached)
		bound = min(bound, ca->inflight_hi);
	cwnd = min(cwnd, max(bound, c->min_cwnd));
	if (ca->mode == NT_PROBE_RTT)
		cwnd = min(cwnd, max(nt_bdp(bw, ca->min_rtt_us, NT_UNIT / 2),
				     c->min_cwnd));
	tcp_snd_cwnd_set(tp, min(cwnd, tp->snd_cwnd_clamp));
}

/* Once per ACK; @ack and @flag are 0 where the kernel does not give them. */
static void nt_main(struct sock *sk, u32 ack, int flag,
		    const struct rate_sample *rs)
{
	struct nt_cc *ca = inet_csk_ca(sk);
	struct tcp_sock *tp = tcp_sk(sk);
	u32 acked_bytes = (u32)tp->bytes_acked - ca->bytes_acked;

	nt_check_profile(sk, ca);
	if (acked_bytes) {
		if (nt_stats(ca))
			this_cpu_add(nt_stats(ca)->bytes, acked_bytes);
		ca->bytes_acked = (u32)tp->bytes_acked;
	}
	nt_update_round_and_bw(sk, rs);
	nt_update_min_rtt(sk, rs);
	nt_update_state(sk, rs);
	nt_set_pacing(sk);
	nt_set_cwnd(sk, rs);
}

static void nt_in_ack_event(struct sock *sk, u32 flags)
{
	struct nt_cc *ca = inet_csk_ca(sk);

	if (flags & CA_ACK_ECE)
		if (nt_stats(ca))
			this_cpu_inc(nt_stats(ca)->ce_acks);
}

static void nt_cwnd_event(struct sock *sk, enum tcp_ca_event event)
{
	struct nt_cc *ca = inet_csk_ca(sk);
	struct tcp_sock *tp = tcp_sk(sk);

	if (event == CA_EVENT_TX_START && tp->app_limited) {
		ca->idle_restart = 1;
		/* restarting after idle: pace at the estimate, no probing */
		if (ca->mode >= NT_PROBE_DOWN && ca->mode <= NT_PROBE_UP &&
		    nt_bw(ca))
			WRITE_ONCE(sk->sk_pacing_rate,
				   min_t(u64, nt_pacing_rate(nt_bw(ca),
							     tp->mss_cache,
							     NT_UNIT),
					 sk->sk_max_pacing_rate));
	}
}

static u32 nt_ssthresh(struct sock *sk)
{
	nt_save_cwnd(sk);
	return tcp_sk(sk)->snd_ssthresh;
}

static u32 nt_undo_cwnd(struct sock *sk)
{
	struct nt_cc *ca = inet_csk_ca(sk);

	/* the loss was spurious: the pipe may not be full after all */
	ca->full_bw = 0;
	ca->full_bw_cnt = 0;
	return tcp_snd_cwnd(tcp_sk(sk));
}

static u32 nt_sndbuf_expand(struct sock *sk)
{
	return 3;	/* room for a cwnd at gain 2 and retransmits */
}

/*
 * ss -ti: inet_diag calls this without the socket lock, so that release
 * (or a move to default) may replace ca->ver meanwhile. The pointer is
 * read once, under RCU, and the version it names is freed only after a
 * grace period.
 */
static size_t nt_get_info(struct sock *sk, u32 ext, int *attr,
			  union tcp_cc_info *info)
{
	struct nt_cc *ca = inet_csk_ca(sk);
	const struct nt_cc_version *v;
	const struct nt_cc_conf *c;
	u8 mode = READ_ONCE(ca->mode);
	u64 bw;

	if (!(ext & (1 << (INET_DIAG_BBRINFO - 1))) &&
	    !(ext & (1 << (INET_DIAG_VEGASINFO - 1))))
		return 0;
	bw = nt_bw_bytes_per_sec(sk, nt_bw(ca));
	memset(&info->bbr, 0, sizeof(info->bbr));
	info->bbr.bbr_bw_lo = (u32)bw;
	info->bbr.bbr_bw_hi = (u32)(bw >> 32);
	info->bbr.bbr_min_rtt = ca->min_rtt_us;
	rcu_read_lock();
	v = READ_ONCE(ca->ver);
	c = v ? &v->conf : &nt_builtin_conf;
	info->bbr.bbr_pacing_gain = nt_conf_pacing_gain(c, mode);
	info->bbr.bbr_cwnd_gain = nt_conf_cwnd_gain(c, mode);
	rcu_read_unlock();
	*attr = INET_DIAG_BBRINFO;
	return sizeof(info->bbr);
}

static void nt_set_state(struct sock *sk, u8 new_state)
{
	struct nt_cc *ca = inet_csk_ca(sk);

	if (new_state == TCP_CA_Loss) {
		/* RTO: the next ACK starts a round; STARTUP may resume */
		ca->round_start = 1;
		ca->full_bw = 0;
		if (ca->prev_ca_state < TCP_CA_Recovery && nt_stats(ca))
			this_cpu_inc(nt_stats(ca)->recoveries);
		ca->prev_ca_state = TCP_CA_Loss;
	}
}

NT_CONG_CONTROL(nt_cong_control, nt_main)

static struct tcp_congestion_ops tcp_nt_ops __read_mostly = {
	.flags		= TCP_CONG_NON_RESTRICTED,
	.name		= "nt",
	.owner		= THIS_MODULE,
	.init		= nt_init,
	.release	= nt_release,
	.cong_control	= nt_cong_control,
	.sndbuf_expand	= nt_sndbuf_expand,
	.undo_cwnd	= nt_undo_cwnd,
	.cwnd_event	= nt_cwnd_event,
	.in_ack_event	= nt_in_ack_event,
	.ssthresh	= nt_ssthresh,
	.min_tso_segs	= nt_min_tso_segs,
	.get_info	= nt_get_info,
	.set_state	= nt_set_state,
};

static int __init tcp_nt_init(void)
{
	int err;

	nt_conf_defaults(&nt_builtin_conf);
	err = nt_cc_profiles_init();
	if (err)
		return err;
	err = nt_cc_genl_init();
	if (err)
		goto err_profiles;
	err = tcp_register_congestion_control(&tcp_nt_ops);
	if (err)
		goto err_genl;
	return 0;

err_genl:
	nt_cc_genl_exit();
err_profiles:
	nt_cc_profiles_exit();
	return err;
}

static void __exit tcp_nt_exit(void)
{
	tcp_unregister_congestion_control(&tcp_nt_ops);
	nt_cc_genl_exit();
	nt_cc_profiles_exit();
}

module_init(tcp_nt_init);
module_exit(tcp_nt_exit);

MODULE_IMPORT_NS(NTKIT);
MODULE_DESCRIPTION("TCP nt: model-based, ECN-aware congestion control with per-destination profiles");
MODULE_LICENSE("GPL");
MODULE_VERSION(NTKIT_VERSION);
MODULE_ALIAS("tcp_nt");
