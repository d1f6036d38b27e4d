/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * tcp_nt's profile parameters: the one list of their ranges and defaults.
 * tcp_nt's checks and messages, its netlink policy and KUnit cases, and
 * ntctl's keywords, help and JSON keys are generated from it; make check
 * compares Documentation/cc.rst and ntctl.8 against it. ecn (an enum,
 * NT_CC_A_ECN_MODE) is not in it, nor is the rule that probe-rtt-time is
 * shorter than probe-rtt-interval.
 *
 * Each entry: NT_CC_PARAM(ATTR, field, keyword, UNIT, min, max, default)
 *   ATTR     NT_CC_A_<ATTR>, an NLA_U32
 *   field    its name in tcp_nt's struct nt_cc_conf and in JSON
 *   UNIT     PCT (percent), MS (milliseconds), PERMILLE or PACKETS
 * in the order of replies and of ntctl's output. Define NT_CC_PARAM, then
 * include this file; it undefines NT_CC_PARAM. Included without it (a
 * header compile test), it declares nothing.
 */
#ifdef NT_CC_PARAM

NT_CC_PARAM(STARTUP_GAIN, startup_gain, "startup-gain", PCT, 100, 1000, 277)
NT_CC_PARAM(DRAIN_GAIN, drain_gain, "drain-gain", PCT, 10, 100, 35)
NT_CC_PARAM(CWND_GAIN, cwnd_gain, "cwnd-gain", PCT, 100, 1000, 200)
NT_CC_PARAM(PROBE_UP_GAIN, probe_up_gain, "probe-up-gain", PCT, 100, 200, 125)
NT_CC_PARAM(PROBE_DOWN_GAIN, probe_down_gain, "probe-down-gain", PCT, 50, 100, 90)
NT_CC_PARAM(PROBE_RTT_INTERVAL, probe_rtt_interval, "probe-rtt-interval", MS, 1000, 60000, 5000)
NT_CC_PARAM(PROBE_RTT_TIME, probe_rtt_time, "probe-rtt-time", MS, 10, 1000, 200)
NT_CC_PARAM(LOSS_THRESH, loss_thresh, "loss-thresh", PERMILLE, 1, 500, 50)
NT_CC_PARAM(CE_THRESH, ce_thresh, "ce-thresh", PERMILLE, 1, 1000, 500)
NT_CC_PARAM(MIN_CWND, min_cwnd, "min-cwnd", PACKETS, 2, 256, 4)

#undef NT_CC_PARAM
#endif /* NT_CC_PARAM */
