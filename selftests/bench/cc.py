#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""tcp_nt benchmark, run as root inside the VM (selftests/bench/cc boots it).

Three namespaces: snd -- rtr -- rcv. The bottleneck is rtr's egress toward
rcv: netem rate 50 Mbit/s, random loss, a queue limit of BUF x BDP packets.
The base RTT is a netem delay on rcv's egress (the ACK path), so that the
bottleneck queue holds only the buffer. fq on the sender. For each cell
(RTT x loss x buffer x flow mix) and each algorithm (nt, bbr, cubic), RUNS
runs of iperf3 (-O omits the first seconds) with ping sampling the RTT
through the same queue; medians over runs.

  cc.py --out DIR [--runs N] [--secs S] [--omit S] [--rtts 10,80]
        [--losses 0,0.1,1,2] [--bufs 0.5,1,4] [--mixes 1,4,cubic]
        [--algos nt,bbr,cubic] [--cells RTT:LOSS:BUF,...]
writes DIR/cc.csv and DIR/cc.md and prints the table.
"""
import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import time

RATE_MBIT = 50
MSS = 1448
PKT = 1514


def sh(cmd, check=True):
    return subprocess.run(cmd, shell=True, check=check, text=True,
                          capture_output=True).stdout


def ns(name, cmd, check=True):
    return sh(f"ip netns exec {name} {cmd}", check)


def setup():
    for n in ("snd", "rtr", "rcv"):
        sh(f"ip netns del b{n}", check=False)
        sh(f"ip netns add b{n}")
        sh(f"ip -n b{n} link set lo up")
    sh("ip link add s0 netns bsnd type veth peer name r0 netns brtr")
    sh("ip link add r1 netns brtr type veth peer name c0 netns brcv")
    sh("ip -n bsnd addr add 10.9.1.1/24 dev s0")
    sh("ip -n brtr addr add 10.9.1.2/24 dev r0")
    sh("ip -n brtr addr add 10.9.2.2/24 dev r1")
    sh("ip -n brcv addr add 10.9.2.1/24 dev c0")
    for n, d in (("bsnd", "s0"), ("brtr", "r0"), ("brtr", "r1"), ("brcv", "c0")):
        sh(f"ip -n {n} link set {d} up")
        # no offload super-packets: the bottleneck sees wire-size packets
        sh(f"ip netns exec {n} ethtool -K {d} tso off gso off gro off", check=False)
    sh("ip -n bsnd route add default via 10.9.1.2")
    sh("ip -n brcv route add default via 10.9.2.2")
    sh("ip netns exec brtr sysctl -qw net.ipv4.ip_forward=1")
    sh("tc -n bsnd qdisc add dev s0 root fq")
    sh("ip netns exec bsnd sysctl -qw net.ipv4.tcp_no_metrics_save=1")


def shape(rtt_ms, loss, buf_bdp):
    bdp_pkts = RATE_MBIT * 1e6 / 8 * rtt_ms / 1000 / PKT
    limit = max(2, int(round(bdp_pkts * buf_bdp)))
    sh("tc -n brtr qdisc del dev r1 root", check=False)
    sh(f"tc -n brtr qdisc add dev r1 root netem rate {RATE_MBIT}mbit "
       f"loss {loss}% limit {limit}")
    sh("tc -n brcv qdisc del dev c0 root", check=False)
    sh(f"tc -n brcv qdisc add dev c0 root netem delay {rtt_ms}ms limit 100000")
    return limit


def start_servers(n):
    """@n iperf3 servers in rcv, kept for the whole run: each serves one
    test at a time, so no restart (several slow execs under TCG) per run."""
    sh("pkill -f 'iperf3 -s'", check=False)
    time.sleep(0.2)
    for i in range(n):
        ns("brcv", f"iperf3 -s -D -p {5201 + i}")
    time.sleep(0.3)


def run_cell_rtts(algos, secs, omit):
    """One run: a flow per entry of @algos for omit + secs seconds (iperf3
    adds the omitted seconds to -t), ping sampling the RTT meanwhile. The
    flows' (bits/s, retransmits, segments sent), the RTTs in ms; (None, [])
    if a flow failed."""
    procs = []
    for i, a in enumerate(algos):
        # no shell between: each exec costs tenths of a second under TCG
        procs.append(subprocess.Popen(
            ["ip", "netns", "exec", "bsnd", "iperf3", "-c", "10.9.2.1",
             "-p", str(5201 + i), "-C", a, "-t", str(secs), "-O", str(omit),
             "-J"], text=True, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL))
    time.sleep(omit + 0.3)
    ping = subprocess.Popen(
        ["ip", "netns", "exec", "bsnd", "ping", "-n", "-i", "0.05", "-w",
         str(max(1, secs - 1)), "10.9.2.1"], text=True,
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    pout, _ = ping.communicate(timeout=secs + 30)
    rtts = []
    for line in pout.splitlines():
        if "time=" in line:
            try:
                rtts.append(float(line.split("time=")[1].split()[0]))
            except ValueError:
                pass
    flows = []
    for p in procs:
        out, _ = p.communicate(timeout=secs + omit + 60)
        try:
            j = json.loads(out)
            bps = j["end"]["sum_received"]["bits_per_second"]
            sent = j["end"]["sum_sent"]["bytes"]
            rex = j["end"]["sum_sent"].get("retransmits", 0)
        except (ValueError, KeyError):
            return None, []
        flows.append((bps, rex, max(1, sent // MSS)))
    return flows, rtts


def p95(xs):
    if not xs:
        return float("nan")
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(0.95 * (len(xs) - 1))))]


def jain(xs):
    s = sum(xs)
    q = sum(x * x for x in xs)
    return s * s / (len(xs) * q) if q else float("nan")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--secs", type=int, default=20)
    ap.add_argument("--omit", type=int, default=5)
    ap.add_argument("--rtts", default="10,80")
    ap.add_argument("--losses", default="0,0.1,1,2")
    ap.add_argument("--bufs", default="0.5,1,4")
    ap.add_argument("--mixes", default="1,4,cubic")
    ap.add_argument("--algos", default="nt,bbr,cubic")
    ap.add_argument("--cells", default="",
                    help="RTT:LOSS:BUF,... instead of the cross product")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    sh("modprobe tcp_nt")
    sh("modprobe tcp_bbr", check=False)
    setup()
    start_servers(4)
    rows = []
    t0 = time.time()
    if a.cells:
        shapes = [(int(c.split(":")[0]), c.split(":")[1], float(c.split(":")[2]))
                  for c in a.cells.split(",")]
    else:
        shapes = [(int(r), l, float(b)) for r in a.rtts.split(",")
                  for l in a.losses.split(",") for b in a.bufs.split(",")]
    for rtt, loss, buf in shapes:
        limit = shape(rtt, loss, buf)
        for mix in a.mixes.split(","):
            for algo in a.algos.split(","):
                if mix == "cubic" and algo == "cubic":
                    continue
                flows = {"1": [algo], "4": [algo] * 4,
                         "cubic": [algo, "cubic"]}[mix]
                runs = []
                for _ in range(a.runs):
                    for _ in range(3):  # a server still busy: again
                        f, rtts = run_cell_rtts(flows, a.secs, a.omit)
                        if f:
                            break
                        time.sleep(1)
                    if not f:
                        sys.exit(f"cc.py: iperf3 failed: {flows}")
                    own = f if mix != "cubic" else f[:1]
                    total = sum(x[0] for x in own)
                    rex = sum(x[1] for x in own)
                    segs = sum(x[2] for x in own)
                    share = (f[0][0] / f[1][0]) if mix == "cubic" and f[1][0] else float("nan")
                    runs.append({
                        "goodput": total / (RATE_MBIT * 1e6) if mix != "cubic" else (f[0][0] + f[1][0]) / (RATE_MBIT * 1e6),
                        "rtt_p95_ratio": p95(rtts) / rtt if rtts else float("nan"),
                        "retrans_pct": 100.0 * rex / segs,
                        "jain": jain([x[0] for x in f]),
                        "share": share,
                    })
                med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
                spread = {k: (min(r[k] for r in runs), max(r[k] for r in runs)) for k in ("goodput",)}
                row = {"rtt_ms": rtt, "loss_pct": loss, "buf_bdp": buf,
                       "limit_pkts": limit, "mix": mix, "algo": algo,
                       "runs": a.runs, **{k: round(v, 3) for k, v in med.items()},
                       "goodput_min": round(spread["goodput"][0], 3),
                       "goodput_max": round(spread["goodput"][1], 3)}
                rows.append(row)
                print(json.dumps(row), flush=True)
    keys = list(rows[0].keys())
    with open(os.path.join(a.out, "cc.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=keys)
        w.writeheader()
        w.writerows(rows)
    lines = [
        f"# tcp_nt vs bbr vs cubic: {RATE_MBIT} Mbit/s bottleneck, "
        f"{a.runs} runs/cell (median), {a.secs} s after {a.omit} s omitted, "
        f"{time.time() - t0:.0f} s",
        "",
        "goodput = fraction of the link (all flows; with 'cubic', nt/bbr + its cubic "
        "competitor); rtt p95 = ping p95 / base RTT; retrans = % of segments; "
        "share = flow / competing cubic flow",
        "",
        "| rtt ms | loss % | buf BDP | mix | algo | goodput (min-max) | rtt p95 x | retrans % | jain | share vs cubic |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['rtt_ms']} | {r['loss_pct']} | {r['buf_bdp']} | {r['mix']} | "
            f"{r['algo']} | {r['goodput']:.3f} ({r['goodput_min']:.2f}-{r['goodput_max']:.2f}) | "
            f"{r['rtt_p95_ratio']:.2f} | {r['retrans_pct']:.2f} | {r['jain']:.3f} | "
            f"{'' if r['mix'] != 'cubic' else format(r['share'], '.2f')} |")
    md = "\n".join(lines) + "\n"
    with open(os.path.join(a.out, "cc.md"), "w") as f:
        f.write(md)
    print(md)


if __name__ == "__main__":
    main()
