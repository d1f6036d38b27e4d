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
writes DIR/cc.csv and DIR/cc.md (the algorithms side by side and the
issue's targets, met or missed by how much) and prints them.

  cc.py --out DIR --merge DIR1,DIR2 [--what TEXT]
runs nothing (host side too): one cc.md/cc.csv from several runs' cc.csv,
e.g. the 10 ms and 80 ms halves of the matrix run in two boots.
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
    if a flow failed. Flows of one algorithm share one iperf3 process (-P):
    every process switch is costly under TCG, and a one-vCPU guest running
    four clients at 50 Mbit/s was busy all the time."""
    groups = []
    for a in algos:
        if groups and groups[-1][0] == a:
            groups[-1][1] += 1
        else:
            groups.append([a, 1])
    procs = []
    for i, (a, n) in enumerate(groups):
        # no shell between: each exec costs tenths of a second under TCG
        procs.append(subprocess.Popen(
            ["ip", "netns", "exec", "bsnd", "iperf3", "-c", "10.9.2.1",
             "-p", str(5201 + i), "-C", a, "-P", str(n), "-t", str(secs),
             "-O", str(omit), "-J"], text=True, stdout=subprocess.PIPE,
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
            for st in json.loads(out)["end"]["streams"]:
                flows.append((st["receiver"]["bits_per_second"],
                              st["sender"].get("retransmits", 0),
                              max(1, st["sender"]["bytes"] // MSS)))
        except (ValueError, KeyError, TypeError):
            return None, []
    return (flows, rtts) if len(flows) == len(algos) else (None, [])


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
    ap.add_argument("--merge", default="",
                    help="DIR,DIR,...: no run; one table from their cc.csv")
    ap.add_argument("--what", default="",
                    help="with --merge: the runs' description for the title")
    a = ap.parse_args()
    if a.merge:
        merge(a.merge.split(","), a.out, a.what or "merged from " + a.merge)
        return
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
            algos = [x for x in a.algos.split(",")
                     if not (mix == "cubic" and x == "cubic")]
            runs = {algo: [] for algo in algos}
            # The algorithms take turns run by run (the order rotating),
            # so that a drift of the machine falls on all of them alike.
            for i in range(a.runs):
                k = i % len(algos)
                for algo in algos[k:] + algos[:k]:
                    flows = {"1": [algo], "4": [algo] * 4,
                             "cubic": [algo, "cubic"]}[mix]
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
                    runs[algo].append({
                        "goodput": total / (RATE_MBIT * 1e6) if mix != "cubic" else (f[0][0] + f[1][0]) / (RATE_MBIT * 1e6),
                        "rtt_p95_ratio": p95(rtts) / rtt if rtts else float("nan"),
                        "retrans_pct": 100.0 * rex / segs,
                        "jain": jain([x[0] for x in f]),
                        "share": share,
                    })
            for algo in algos:
                r_ = runs[algo]
                med = {k: statistics.median(r[k] for r in r_) for k in r_[0]}
                spread = {k: (min(r[k] for r in r_), max(r[k] for r in r_)) for k in ("goodput",)}
                row = {"rtt_ms": rtt, "loss_pct": loss, "buf_bdp": buf,
                       "limit_pkts": limit, "mix": mix, "algo": algo,
                       "runs": a.runs, **{k: round(v, 3) for k, v in med.items()},
                       "goodput_min": round(spread["goodput"][0], 3),
                       "goodput_max": round(spread["goodput"][1], 3)}
                rows.append(row)
                print(json.dumps(row), flush=True)
        # so far, in case the run is cut short
        write_outputs(a.out, rows, f"{a.runs} runs/cell (median), {a.secs} s "
                      f"after {a.omit} s omitted, unfinished", quiet=True)
    write_outputs(a.out, rows, f"{a.runs} runs/cell (median), {a.secs} s after "
                  f"{a.omit} s omitted, {time.time() - t0:.0f} s")


NUMERIC = ("rtt_ms", "limit_pkts", "runs")
FLOATS = ("buf_bdp", "goodput", "rtt_p95_ratio", "retrans_pct", "jain",
          "share", "goodput_min", "goodput_max")


def cell_text(r):
    """One algorithm's cell: goodput / p95 RTT x base / retransmits %, and
    Jain's index (4 flows) or the share against cubic."""
    t = f"{r['goodput']:.3f} / {r['rtt_p95_ratio']:.2f} / {r['retrans_pct']:.2f}"
    if r["mix"] == "4":
        t += f", J {r['jain']:.3f}"
    elif r["mix"] == "cubic":
        t += f", share {r['share']:.2f}"
    return t


def shape_key(k):
    return (k[0], float(k[1]), k[2])


def targets(rows):
    """The issue's targets read off the rows: a line per target with how
    many cells meet it, then each miss and by how much."""
    by = {(r["rtt_ms"], r["loss_pct"], r["buf_bdp"], r["mix"], r["algo"]): r
          for r in rows}
    cells = sorted({k[:4] for k in by}, key=lambda k: (shape_key(k), k[3]))

    def name(k):
        mix = {"1": "1 flow", "4": "4 flows", "cubic": "vs cubic"}[k[3]]
        return f"{k[0]} ms, {k[1]} % loss, {k[2]:g} BDP, {mix}"

    def infl(r):
        return r["rtt_p95_ratio"] - 1

    def spread(clear, runs):
        # a miss that every run shows, or one the runs' spread covers
        return f"; {runs}, " + ("every run misses" if clear else
                                "within the runs' spread")

    checks = []  # (target, [(cell, ok, detail)])
    t = []
    for k in cells:
        nt = by.get(k + ("nt",))
        if nt and k[3] != "cubic" and float(k[1]) in (1.0, 2.0):
            t.append((name(k), nt["goodput"] >= 0.90,
                      f"{nt['goodput']:.3f}"
                      + spread(nt["goodput_max"] < 0.90,
                               f"runs {nt['goodput_min']:.3f}-"
                               f"{nt['goodput_max']:.3f}")))
    checks.append(("goodput >= 0.90 of the link at 1 % and 2 % loss "
                   "(nt alone: 1 and 4 flows)", t))
    t = []
    for k in cells:
        nt, bbr = by.get(k + ("nt",)), by.get(k + ("bbr",))
        if nt and bbr:
            t.append((name(k), nt["goodput"] >= 0.95 * bbr["goodput"],
                      (f"nt {nt['goodput']:.3f} vs bbr {bbr['goodput']:.3f} "
                       f"({100 * (nt['goodput'] / bbr['goodput'] - 1):+.1f} %)"
                       if bbr["goodput"] else "bbr 0")
                      + spread(nt["goodput_max"] <
                               0.95 * bbr["goodput_min"],
                               f"runs nt {nt['goodput_min']:.3f}-"
                               f"{nt['goodput_max']:.3f}, bbr "
                               f"{bbr['goodput_min']:.3f}-"
                               f"{bbr['goodput_max']:.3f}")))
    checks.append(("goodput within 5 % of bbr or better", t))
    t = []
    for k in cells:
        nt, bbr = by.get(k + ("nt",)), by.get(k + ("bbr",))
        if nt and bbr:
            t.append((name(k), infl(nt) <= infl(bbr),
                      f"nt {nt['rtt_p95_ratio']:.2f}x vs bbr "
                      f"{bbr['rtt_p95_ratio']:.2f}x"))
    checks.append(("p95 RTT inflation <= bbr's", t))
    t = []
    for k in cells:
        nt, cu = by.get(k + ("nt",)), by.get(k + ("cubic",))
        if nt and cu and k[2] == 4.0:
            ok = infl(nt) <= infl(cu) / 4
            frac = infl(nt) / infl(cu) if infl(cu) > 0 else float("inf")
            d = (f"inflation nt {infl(nt):.2f} vs cubic {infl(cu):.2f} "
                 f"(= {frac:.2f} of it; p95/base {nt['rtt_p95_ratio']:.2f} "
                 f"vs {cu['rtt_p95_ratio']:.2f})")
            if cu["goodput"] < 0.5:
                d += (f"; cubic holds {cu['goodput']:.2f} of the link "
                      "and leaves the buffer empty")
            t.append((name(k), ok, d))
    checks.append(("p95 RTT inflation <= 1/4 of cubic's at 4 BDP "
                   "(inflation = p95 / base - 1)", t))
    t = []
    for k in cells:
        nt, bbr = by.get(k + ("nt",)), by.get(k + ("bbr",))
        if nt and bbr and k[2] == 0.5:
            t.append((name(k), nt["retrans_pct"] <= bbr["retrans_pct"] / 2,
                      f"nt {nt['retrans_pct']:.2f} % vs bbr "
                      f"{bbr['retrans_pct']:.2f} %"))
    checks.append(("retransmits <= 1/2 of bbr's at 0.5 BDP", t))
    t = []
    for k in cells:
        nt = by.get(k + ("nt",))
        if nt and k[3] == "4":
            t.append((name(k), nt["jain"] >= 0.95, f"{nt['jain']:.3f}"))
    checks.append(("Jain's index >= 0.95 among 4 nt flows", t))
    t = []
    for k in cells:
        nt, bbr = by.get(k + ("nt",)), by.get(k + ("bbr",))
        if nt and k[3] == "cubic":
            alone = by.get(k[:3] + ("1", "cubic"))
            cubic = nt["goodput"] / (1 + nt["share"])
            d = f"{nt['share']:.2f}" + (f" (bbr {bbr['share']:.2f})"
                                       if bbr else "")
            if alone and alone["goodput"] < 0.5:
                d += (f"; cubic gets {cubic:.3f} of the link, and alone "
                      f"only {alone['goodput']:.3f}")
            t.append((name(k), 0.5 <= nt["share"] <= 2.0, d))
    checks.append(("share against one cubic flow within 0.5-2x", t))

    lines = ["## Targets", ""]
    for what, t in checks:
        met = sum(1 for _, ok, _ in t if ok)
        clear = sum(1 for _, ok, d in t if not ok and "every run" in d)
        lines.append(f"- {what}: met in {met} of {len(t)} cells"
                     + (f"; {clear} of the {len(t) - met} misses in every run"
                        if any("runs" in d for _, _, d in t) else ""))
        for c, ok, d in t:
            if not ok:
                lines.append(f"  - missed: {c}: {d}")
    return lines


def write_outputs(out, rows, what, quiet=False):
    """cc.csv (a row per cell and algorithm), cc.md (the cells side by side
    and the targets); prints the Markdown."""
    keys = list(rows[0].keys())
    with open(os.path.join(out, "cc.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=keys)
        w.writeheader()
        w.writerows(rows)
    algos = []
    for r in rows:
        if r["algo"] not in algos:
            algos.append(r["algo"])
    by = {(r["rtt_ms"], r["loss_pct"], r["buf_bdp"], r["mix"], r["algo"]): r
          for r in rows}
    cells = sorted({k[:4] for k in by}, key=lambda k: (shape_key(k), k[3]))
    lines = [
        f"# tcp_nt vs {' vs '.join(a for a in algos if a != 'nt')}: "
        f"{RATE_MBIT} Mbit/s bottleneck, {what}",
        "",
        "Each cell: goodput (fraction of the link; with 'vs cubic', both flows) "
        "/ p95 RTT as a multiple of the base RTT (ping through the same queue) "
        "/ retransmitted segments %; J = Jain's index of the 4 flows; share = "
        "the flow's goodput / the competing cubic flow's. Goodput spread "
        "(min-max over the runs) in cc.csv.",
        "",
        "| rtt ms | loss % | buf BDP | mix | " + " | ".join(algos) + " |",
        "|---|---|---|---|" + "---|" * len(algos),
    ]
    for k in cells:
        lines.append(f"| {k[0]} | {k[1]} | {k[2]:g} | {k[3]} | " + " | ".join(
            cell_text(by[k + (a,)]) if k + (a,) in by else ""
            for a in algos) + " |")
    lines += [""] + targets(rows)
    md = "\n".join(lines) + "\n"
    with open(os.path.join(out, "cc.md"), "w") as f:
        f.write(md)
    if not quiet:
        print(md)


def read_rows(d):
    rows = []
    with open(os.path.join(d, "cc.csv"), newline="") as f:
        for r in csv.DictReader(f):
            for k in NUMERIC:
                r[k] = int(r[k])
            for k in FLOATS:
                r[k] = float(r[k])
            rows.append(r)
    return rows


def merge(dirs, out, what):
    """One table from the results of several boots (e.g. one per RTT)."""
    rows = []
    for d in dirs:
        rows += read_rows(d)
    os.makedirs(out, exist_ok=True)
    write_outputs(out, rows, what)


if __name__ == "__main__":
    main()
