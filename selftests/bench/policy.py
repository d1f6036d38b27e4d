#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""nt_policy against nftables and iptables, in one VM boot.

The method of the well-known nftables benchmark: a sender and a receiver
netns over veth; N rules on the receiver's input hook that never match
the test traffic (random 172.16.0.0/12 sources, /24 or /32, with a random
TCP port, drop); iperf3 TCP (one stream) and UDP with 64-byte payloads
(packets per second received) through them, and the same UDP packets from
the kernel's pktgen on the sender's veth (packets per second that reached
the receiver's UDP layer), which leaves out the sockets and system calls
that make most of an iperf3 packet's cost; and the time one packet takes
through the receiver's input hooks alone (nt_hookbench, a test module
that passes one crafted UDP or TCP packet through them many times in a
row: the engine's own cost, without the rest of the stack whose noise
under TCG hides it in the rates). For N = 0, 10, 100, 1k, 10k, 100k:
  nt_policy      ntctl policy commit of the rules
  nft-linear     one rule per match in a base chain (up to 10k), loaded
                 with libnftnl a thousand rules per batch (nft_bulk)
  nft-set        the matches as elements of hash sets, one per prefix
                 length: ip saddr & MASK . tcp dport @pLEN drop, one rule
                 per set, all in one transaction (nft_bulk -s; an interval
                 set of prefix . port takes minutes to load at 100k)
  iptables       iptables-legacy, one rule per match (up to 10k),
                 iptables-legacy-restore
Then: the time to commit 100k rules with ntctl, and a numbered UDP stream
(2,000 packets/s) while 100k-rule rulesets are committed, next to the same
without commits: the longest gap between kernel receive timestamps, next
to the sender's own longest gap, and the packets lost.
Medians of --runs; Markdown and CSV into --out.
"""
import argparse
import json
import os
import random
import socket
import statistics
import struct
import subprocess
import time

import benchlib
from benchlib import sh, ns, pair

S, R = "ntp-s", "ntp-r"
NTCTL = os.environ.get("NTCTL", "ntctl")
HERE = os.path.dirname(os.path.abspath(__file__))
SO_TIMESTAMPNS = getattr(socket, "SO_TIMESTAMPNS", 35)  # SCM_ alike
SO_RCVBUFFORCE = getattr(socket, "SO_RCVBUFFORCE", 33)
NFT_BULK = os.environ.get("NFT_BULK", os.path.join(HERE, "nft_bulk"))


def base(s=S, r=R):
    pair(s, r)
    ns(s, "ping -c 1 -W 2 10.0.0.2", check=False)


def netns_of(name):
    """The sender and receiver netns of one engine's pair."""
    tag = name.replace("_", "").replace("-", "")[:6]
    return "nps-" + tag, "npr-" + tag


def rules(n, seed):
    rnd = random.Random(seed)
    out = []
    for _ in range(n):
        a = (172 << 24) | (16 << 16) | rnd.randrange(1 << 20)
        plen = rnd.choice((24, 32))
        a &= (0xffffffff << (32 - plen)) & 0xffffffff
        port = rnd.randrange(1024, 65536)
        if port == 5201:
            port = 5202
        out.append(("%d.%d.%d.%d" % (a >> 24, a >> 16 & 255, a >> 8 & 255,
                                     a & 255), plen, port))
    return out


def load_ntpolicy(rs, r=R):
    path = "/tmp/ntp-rules-" + r
    with open(path, "w") as f:
        for a, l, p in rs:
            f.write("hook input src %s/%d proto tcp dport %d action drop\n" %
                    (a, l, p))
    t = time.monotonic()
    ns(r, "%s policy commit %s" % (NTCTL, path))
    dt = time.monotonic() - t
    os.unlink(path)
    return dt


def load_nft_linear(rs, r=R):
    ns(r, "nft add table ip b")
    ns(r, "nft add chain ip b inp '{ type filter hook input priority 0; }'")
    t = time.monotonic()
    ns(r, "%s b inp" % NFT_BULK,
       inp="".join("%s %d %d\n" % r for r in rs))
    return time.monotonic() - t


def load_nft_set(rs, r=R):
    ns(r, "nft add table ip s")
    ns(r, "nft add chain ip s inp '{ type filter hook input priority 0; }'")
    t = time.monotonic()
    ns(r, "%s -s s inp" % NFT_BULK,
       inp="".join("%s %d %d\n" % r for r in rs))
    return time.monotonic() - t


def load_iptables(rs, r=R):
    body = "*filter\n:INPUT ACCEPT [0:0]\n%sCOMMIT\n" % "".join(
        "-A INPUT -s %s/%d -p tcp --dport %d -j DROP\n" % r for r in rs)
    t = time.monotonic()
    ns(r, "iptables-legacy-restore", inp=body)
    return time.monotonic() - t


MODES = [("nt_policy", load_ntpolicy, 100000),
         ("nft-linear", load_nft_linear, 10000),
         ("nft-set", load_nft_set, 100000),
         ("iptables", load_iptables, 10000)]


def iperf(secs, udp=False, s=S, r=R):
    return benchlib.iperf(s, r, "10.0.0.2", secs, udp=udp)


PG = "/proc/net/pktgen"
# pktgen frames: Ethernet, IPv4, UDP and iperf3's 64-byte payload
PG_FRAME = 14 + 20 + 8 + 64


def pg(s, dev, cmd):
    """One pktgen command to /proc/net/pktgen/@dev of netns @s (pktgen is
    per netns); pktgen refuses a bad one with an error on write."""
    ns(s, "sh -c 'echo \"%s\" > %s/%s'" % (cmd, PG, dev))


def udp_in(r):
    """UDP datagrams that reached the UDP layer of netns @r, whether a
    socket took them or refused them for a full buffer: every packet the
    input hook let through."""
    rows = [ln.split() for ln in ns(r, "cat /proc/net/snmp").splitlines()
            if ln.startswith("Udp:")]
    return sum(int(rows[1][rows[0].index(k)])
               for k in ("InDatagrams", "InErrors", "NoPorts"))


def pktgen(secs, s=S, r=R):
    """Packets/s through the receiver's input hook, sent by the kernel's
    pktgen from @s's end of the veth: 64-byte UDP payloads to 10.0.0.2:9,
    as fast as one CPU makes them. Without iperf3's socket and syscall
    per packet on both sides, a packet costs a fraction of what it costs
    through iperf3, so the rules' share of each packet shows more fully.
    The sink socket never reads; packets it refuses still count."""
    mac = json.loads(ns(r, "ip -j link show v0"))[0]["address"]
    sink = subprocess.Popen(
        ["ip", "netns", "exec", r, "python3", "-c",
         "import socket, sys\n"
         "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
         "s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)\n"
         "s.bind(('10.0.0.2', 9))\n"
         "print('ok', flush=True)\n"
         "sys.stdin.read()\n"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    sink.stdout.readline()
    pg(s, "kpktgend_0", "rem_device_all")
    pg(s, "kpktgend_0", "add_device v0")
    for c in ("count 0", "clone_skb 0", "delay 0", "pkt_size %d" % PG_FRAME,
              "dst 10.0.0.2", "src_min 10.0.0.1", "src_max 10.0.0.1",
              "dst_mac %s" % mac, "udp_src_min 9", "udp_src_max 9",
              "udp_dst_min 9", "udp_dst_max 9"):
        pg(s, "v0", c)
    run = subprocess.Popen("ip netns exec %s sh -c 'echo start > %s/pgctrl'"
                           % (s, PG), shell=True)
    time.sleep(1)
    c0, t0 = udp_in(r), time.monotonic()
    time.sleep(secs)
    c1, t1 = udp_in(r), time.monotonic()
    pg(s, "pgctrl", "stop")
    run.wait(timeout=30)
    pg(s, "kpktgend_0", "rem_device_all")
    sink.communicate("", timeout=30)
    return (c1 - c0) / (t1 - t0)


HB = "/sys/module/nt_hookbench/parameters/"


def hook_ns(r, proto, iters):
    """ns per packet through @r's IPv4 input hooks: a UDP packet to port 9
    or a TCP ACK to 5201, from 10.0.0.1, in on v0 (nt_hookbench)."""
    idx = json.loads(subprocess.run(
        ["ip", "-n", r, "-j", "link", "show", "v0"], check=True,
        capture_output=True, text=True).stdout)[0]["ifindex"]
    cmd = "echo '%s 10.0.0.1 10.0.0.2 40000 %d %d %d' > %srun && cat %sresult" % (
        proto, 5201 if proto == "tcp" else 9, idx, iters, HB, HB)
    return float(subprocess.run(["ip", "netns", "exec", r, "sh", "-c", cmd],
                                check=True, capture_output=True,
                                text=True).stdout.split()[0])


def hook_iters(r, proto):
    """Enough passes for ~0.4 s, from a short run first."""
    return max(2000, min(400000, int(0.4e9 / max(hook_ns(r, proto, 2000), 1))))


def udp_rcvbuf_errors():
    """Udp RcvbufErrors of this netns (packets a full socket refused)."""
    with open("/proc/net/snmp") as f:
        rows = [ln.split() for ln in f if ln.startswith("Udp:")]
    return int(rows[1][rows[0].index("RcvbufErrors")])


def gap_recv(port, secs):
    """Receive the numbered stream of gap_send for secs. Prints the longest
    gap between arrivals (kernel receive timestamps, so the receiver's own
    scheduling does not count), the longest gap between sends (the sender's
    own, when it did not get the CPU) and the packets lost, as JSON."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
    # room for seconds of the stream: a late reader is not a lost packet
    s.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 16 << 20)
    full0 = udp_rcvbuf_errors()
    s.bind(("10.0.0.2", port))
    s.settimeout(secs)
    end = time.monotonic() + secs
    last = None
    arr = snd = 0.0
    n = top = 0
    first = None
    while time.monotonic() < end:
        try:
            data, anc, _, _ = s.recvmsg(100, 64)
        except socket.timeout:
            break
        seq, sent = struct.unpack("=Qd", data[:16])
        now = time.time()
        for lvl, typ, v in anc:
            if lvl == socket.SOL_SOCKET and typ == SO_TIMESTAMPNS:
                sec, nsec = struct.unpack("=qq", v[:16])
                now = sec + nsec / 1e9
        if last is not None:
            arr = max(arr, now - last[0])
            snd = max(snd, sent - last[1])
        last = (now, sent)
        n += 1
        top = max(top, seq + 1)
        # what was sent before this socket was bound is not lost on the path
        first = seq if first is None else min(first, seq)
    print(json.dumps({"max_gap_ms": arr * 1000, "max_send_gap_ms": snd * 1000,
                      "packets": n,
                      "lost": top - (first or 0) - n,
                      "rcvbuf_full": udp_rcvbuf_errors() - full0}))


def gap_send(port, secs, pps):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    end = time.monotonic() + secs
    nxt = time.monotonic()
    seq = 0
    while nxt < end:
        s.sendto(struct.pack("=Qd", seq, time.time()), ("10.0.0.2", port))
        seq += 1
        nxt += 1.0 / pps
        d = nxt - time.monotonic()
        if d > 0:
            time.sleep(d)


def gap_words(g):
    return ("longest gap %.1f ms (longest between two sends %.1f ms), %d "
            "packets, %d lost (%d of them refused by a full receive "
            "buffer)" % (
                g.get("max_gap_ms", -1), g.get("max_send_gap_ms", -1),
                g.get("packets", 0),
                g.get("lost", -1), g.get("rcvbuf_full", -1)))


def gap_run(secs, during=None):
    me = os.path.abspath(__file__)
    rx = subprocess.Popen("ip netns exec %s python3 %s --gap-recv %d" %
                          (R, me, secs + 1), shell=True,
                          stdout=subprocess.PIPE, text=True)
    time.sleep(0.5)
    tx = subprocess.Popen("ip netns exec %s python3 %s --gap-send %d" %
                          (S, me, secs), shell=True)
    time.sleep(1)
    extra = during() if during else None
    tx.wait()
    out = json.loads(rx.communicate(timeout=secs + 30)[0] or "{}")
    return out, extra


def added_us(med, zero, k="pps"):
    """Per-packet time the rules add over the engine's 0-rule run, in us."""
    if not zero or not med[k] or not zero[k]:
        return "-"
    return "%.1f" % (1e6 / med[k] - 1e6 / zero[k])


def paired(a, b):
    """Run-by-run ratios a[i] / b[i] (runs of one size ran in turn)."""
    return [x / y for x, y in zip(a, b) if y]


def versus(rows):
    """The issue's comparisons, from the medians, with the spread of the
    run-by-run ratios."""
    by = {(name, n): med for name, n, med, _, _ in rows}
    runs = {(name, n): res for name, n, _, res, _ in rows}
    out = []
    nt = {n: m for (name, n), m in by.items() if name == "nt_policy"}
    if 0 in nt and 100000 in nt:
        out.append("nt_policy at 100k rules keeps %.0f %% of its 0-rule TCP "
                   "throughput, %.0f %% of its iperf3 pps and %.0f %% of "
                   "its pktgen pps" % (
                       100 * nt[100000]["tcp"] / nt[0]["tcp"],
                       100 * nt[100000]["pps"] / nt[0]["pps"],
                       100 * nt[100000]["pg"] / nt[0]["pg"]))
    for other in ("nft-set", "iptables", "nft-linear"):
        common = sorted(n for (name, n) in by
                        if name == other and n in nt and n > 0)
        if not common:
            continue
        for k, label in (("pps", "iperf3 pps"), ("pg", "pktgen pps"),
                         ("tcp", "TCP")):
            worst = min(nt[n][k] / by[(other, n)][k] for n in common)

            def spread(n):
                r = paired(runs[("nt_policy", n)][k], runs[(other, n)][k])
                return " (runs %.2f-%.2f)" % (min(r), max(r)) if r else ""
            out.append("nt_policy / %s %s at N = %s: %s (lowest %.2f)" % (
                other, label, ",".join(str(n) for n in common),
                ", ".join("%.2f%s" % (nt[n][k] / by[(other, n)][k],
                                      spread(n))
                          for n in common), worst))
    for other in ("nft-set", "iptables", "nft-linear"):
        common = sorted(n for (name, n) in by
                        if name == other and n in nt and n > 0)
        for k, label in (("hu", "UDP"), ("ht", "TCP")):
            if not common:
                break

            def cheaper(n):
                r = paired(runs[(other, n)][k], runs[("nt_policy", n)][k])
                return " (runs %.2f-%.2f)" % (min(r), max(r)) if r else ""
            out.append("time through the hooks, %s / nt_policy, %s packet, "
                       "at N = %s: %s (lowest %.2f)" % (
                           other, label, ",".join(str(n) for n in common),
                           ", ".join("%.2f%s" % (by[(other, n)][k] /
                                                 nt[n][k], cheaper(n))
                                     for n in common),
                           min(by[(other, n)][k] / nt[n][k]
                               for n in common)))
    if ("nft-linear", 10000) in by and 10000 in nt and 0 in nt and \
            ("nft-linear", 0) in by:
        lin, z = by[("nft-linear", 10000)], by[("nft-linear", 0)]
        for k, label in (("pps", "iperf3"), ("pg", "pktgen")):
            mine = 1e6 / nt[10000][k] - 1e6 / nt[0][k]
            theirs = 1e6 / lin[k] - 1e6 / z[k]
            r = paired(runs[("nt_policy", 10000)][k],
                       runs[("nft-linear", 10000)][k])
            out.append("at 10k rules, %s: nt_policy moves %.1fx the packets "
                       "of nftables-linear (runs %.1f-%.1f); the rules add "
                       "%.1f us per packet to nt_policy, %.0f us to "
                       "nftables-linear" % (
                           label, nt[10000][k] / lin[k], min(r), max(r),
                           mine, theirs))
        out.append("at 10k rules: nt_policy moves %.1fx the TCP throughput "
                   "of nftables-linear" % (nt[10000]["tcp"] / lin["tcp"]))
    return "".join("\n- " + o for o in out) + "\n" if out else ""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--secs", type=int, default=5)
    ap.add_argument("--sizes", default="0,10,100,1000,10000,100000")
    ap.add_argument("--modes", default=",".join(m for m, _, _ in MODES))
    ap.add_argument("--gap-recv", type=int)
    ap.add_argument("--gap-send", type=int)
    a = ap.parse_args()
    if a.gap_recv:
        return gap_recv(9999, a.gap_recv)
    if a.gap_send:
        return gap_send(9999, a.gap_send, 2000)
    sh("modprobe nt_policy")
    sh("modprobe pktgen")
    sh("insmod %s/nt_hookbench.ko" % os.environ["NTKIT_TEST_MODULES"])
    sizes = [int(x) for x in a.sizes.split(",")]
    want = a.modes.split(",")
    rows = []
    # The engines of one size are measured in turn, run by run, each in
    # its own pair of netns with its rules loaded, so that a slow drift
    # of the machine (TCG: ~15 %) falls on all of them alike and run i of
    # one engine can be set against run i of another.
    for n in sizes:
        engines = [(name, load) for name, load, cap in MODES
                   if name in want and n <= cap]
        loads = {}
        for name, load in engines:
            s_, r_ = netns_of(name)
            base(s_, r_)
            loads[name] = load(rules(n, 1000 + n), r_) if n else 0.0
        res = {name: {"tcp": [], "pps": [], "pg": [], "hu": [], "ht": []}
               for name, _ in engines}
        iters = {(name, p): hook_iters(netns_of(name)[1], p)
                 for name, _ in engines for p in ("udp", "tcp")}
        for i in range(a.runs):
            k = i % len(engines)
            for name, _ in engines[k:] + engines[:k]:
                s_, r_ = netns_of(name)
                res[name]["tcp"].append(iperf(a.secs, s=s_, r=r_))
                res[name]["pps"].append(iperf(a.secs, udp=True, s=s_, r=r_))
                res[name]["pg"].append(pktgen(a.secs, s=s_, r=r_))
                for p, k in (("udp", "hu"), ("tcp", "ht")):
                    res[name][k].append(hook_ns(r_, p, iters[(name, p)]))
        for name, _ in engines:
            for x in netns_of(name):
                sh("ip netns del %s" % x, check=False)
            med = {k: statistics.median(v) for k, v in res[name].items()}
            rows.append((name, n, med, res[name], loads[name]))
            print("%-10s %6d rules  tcp %.3f Gbit/s  udp %.0f pps  "
                  "pktgen %.0f pps  hooks %.0f/%.0f ns  load %.2f s" %
                  (name, n, med["tcp"], med["pps"], med["pg"], med["hu"],
                   med["ht"], loads[name]), flush=True)
    order = [m for m, _, _ in MODES]
    rows.sort(key=lambda row: (order.index(row[0]), row[1]))
    # commit time and gaps with 100k rules
    extra = {}
    if "nt_policy" in want and max(sizes) >= 100000:
        base()
        rs = rules(100000, 7)
        extra["commit_100k_s"] = [load_ntpolicy(rs)]
        quiet, _ = gap_run(6)

        def commits():
            ts = []
            for i in range(3):
                ts.append(load_ntpolicy(rules(100000, 8 + i)))
            return ts
        busy, ts = gap_run(max(6, 4 * a.secs), commits)
        extra["commit_100k_s"] += ts
        extra["quiet"], extra["busy"] = quiet, busy
        print("commit 100k: %s s\nwithout commits: %s\nduring 3 commits: %s" % (
            ", ".join("%.2f" % t for t in extra["commit_100k_s"]),
            gap_words(quiet), gap_words(busy)), flush=True)
    os.makedirs(a.out, exist_ok=True)
    zero = {name: med for name, n, med, _, _ in rows if n == 0}
    with open(os.path.join(a.out, "policy.csv"), "w") as f:
        f.write("mode,rules,tcp_gbps,udp64_pps,pktgen_pps,load_s,runs,"
                "hook_udp_ns,hook_tcp_ns\n")
        for name, n, med, res, ld in rows:
            f.write("%s,%d,%.4f,%.0f,%.0f,%.3f,%d,%.1f,%.1f\n" % (
                name, n, med["tcp"], med["pps"], med["pg"], ld, a.runs,
                med["hu"], med["ht"]))
    with open(os.path.join(a.out, "policy.md"), "w") as f:
        f.write("# nt_policy vs nftables and iptables (one VM boot, TCG, "
                "%d runs of %d s, medians; x = fraction of the same engine "
                "with 0 rules)\n\n"
                "The engines of one rule count ran in turn, run by run, "
                "each in its own pair of netns with its rules loaded; "
                "*runs* under a ratio give the lowest and highest of the "
                "run-by-run ratios.\n\n" % (a.runs, a.secs))
        f.write("| engine | rules | TCP Gbit/s (min-max) | x | UDP 64 B kpps | x "
                "| added us/packet | pktgen kpps | x | added us/packet "
                "| hooks ns, UDP | hooks ns, TCP | load s |\n")
        f.write("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n")
        for name, n, med, res, ld in rows:
            z = zero.get(name)

            def x(k):
                return "%.2f" % (med[k] / z[k]) if z and z[k] else "-"
            f.write("| %s | %d | %.3f (%.3f-%.3f) | %s | %.1f | %s | %s "
                    "| %.1f | %s | %s | %.0f | %.0f | %.2f |\n" % (
                        name, n, med["tcp"], min(res["tcp"]),
                        max(res["tcp"]), x("tcp"), med["pps"] / 1000,
                        x("pps"), added_us(med, z), med["pg"] / 1000,
                        x("pg"), added_us(med, z, "pg"), med["hu"],
                        med["ht"], ld))
        f.write("\n*added us/packet*: 1/pps - 1/pps(0 rules) of the same "
                "engine, the rules' own cost per small packet. *pktgen*: "
                "the same packets sent by the kernel's pktgen on the "
                "sender's veth, counted at the receiver's UDP layer; no "
                "socket or system call per packet, so a packet costs "
                "less there before any rule. Under TCG pps medians of 3 "
                "runs vary by ~15 % between cells of the same setup. "
                "*hooks ns*: the time one packet takes through the "
                "receiver's IPv4 input hooks, whatever registered them "
                "(nt_hookbench: one crafted packet passed through them "
                "~0.4 s in a row), a UDP packet (no rule's protocol) and "
                "a TCP ACK to port 5201 (the rules' protocol, no rule's "
                "source); with no hook in any netns a pass costs ~16 ns, "
                "with one somewhere ~38.\n")
        f.write(versus(rows))
        if extra:
            f.write("\nCommit of 100,000 rules with ntctl: %s s.\n\n"
                    "A numbered 2,000 packet/s UDP stream through a 100k-rule "
                    "ruleset (gaps between kernel receive timestamps; a gap "
                    "as long as the sender's own is the sender's):\n\n"
                    "- without commits: %s\n"
                    "- while three 100k-rule rulesets were committed: %s\n" % (
                        ", ".join("%.2f" % t for t in extra["commit_100k_s"]),
                        gap_words(extra["quiet"]), gap_words(extra["busy"])))
    print(open(os.path.join(a.out, "policy.md")).read())


if __name__ == "__main__":
    main()
