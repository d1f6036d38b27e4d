#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""nt_tun against the kernel's own tunnels, in one VM boot.

Two namespaces joined by veth (10.0.0.1 - 10.0.0.2). Through each of:
plain veth (the ceiling), nt_tun, nt_tun with 10,000 peers, FOU (ipip
over fou), VXLAN, Geneve and WireGuard: iperf3 TCP with 1 and 4
streams, and UDP with 64-byte payloads unthrottled (packets per second
received), with the scheduler free to use both CPUs; then TCP with 1 and
4 streams again with client and server on CPU 0, where everything a byte
costs on its way (sender, both tunnel ends, receiver) falls on one CPU,
so the throughput is the inverse of the path's CPU cost per byte and
the noise of two CPUs sharing the host's two cores drops out. Every path
has its own pair of namespaces, set up first;
then run by run, the paths take turns (the order rotating), so that a
slow drift of the machine falls on all of them alike and run i of nt_tun
can be set against run i of the others. Medians of --runs runs;
Markdown and CSV into --out.
"""
import argparse
import os
import statistics

import benchlib
from benchlib import sh, ns, pair

S, R = "ntb-s", "ntb-r"
NTCTL = os.environ.get("NTCTL", "ntctl")


def use(name):
    """Point S and R at the pair of namespaces of path name."""
    global S, R
    tag = "".join(c for c in name if c.isalnum())[:10]
    S, R = "ntb-s-" + tag, "ntb-r-" + tag


def base():
    pair(S, R)


def inner(dev):
    ns(S, "ip addr add 10.10.0.1/24 dev %s" % dev)
    ns(R, "ip addr add 10.10.0.2/24 dev %s" % dev)
    ns(S, "ip link set %s up" % dev)
    ns(R, "ip link set %s up" % dev)
    return "10.10.0.2"


def setup_veth():
    return "10.0.0.2"


def setup_nttun(extra=0):
    for n, port, peer in ((S, 5000, "10.0.0.2:5001"), (R, 5001, "10.0.0.1:5000")):
        ns(n, "ip link add nt0 type nttun")
        ns(n, "%s tunnel set nt0 listen-port %d" % (NTCTL, port))
    ns(S, "%s tunnel peer add nt0 id 1 endpoint 10.0.0.2:5001 allowed-ips 10.10.0.2/32" % NTCTL)
    ns(R, "%s tunnel peer add nt0 id 1 endpoint 10.0.0.1:5000 allowed-ips 10.10.0.1/32" % NTCTL)
    if extra:
        path = "/tmp/ntb-peers"
        with open(path, "w") as f:
            for i in range(extra):
                f.write("tunnel peer add nt0 id %d endpoint 198.18.%d.%d:7000 "
                        "allowed-ips 10.%d.%d.0/24\n" % (
                            i + 2, i // 250, i % 250 + 1, 100 + i // 250, i % 250))
        for n in (S, R):
            ns(n, "%s -b %s" % (NTCTL, path))
        os.unlink(path)
    return inner("nt0")


def setup_fou():
    sh("modprobe fou", check=False)
    for n, l, r in ((S, "10.0.0.1", "10.0.0.2"), (R, "10.0.0.2", "10.0.0.1")):
        ns(n, "ip fou add port 5555 ipproto 4")
        ns(n, "ip link add fou0 type ipip remote %s local %s ttl 64 "
              "encap fou encap-sport auto encap-dport 5555" % (r, l))
    return inner("fou0")


def setup_vxlan():
    for n, l, r in ((S, "10.0.0.1", "10.0.0.2"), (R, "10.0.0.2", "10.0.0.1")):
        ns(n, "ip link add vx0 type vxlan id 42 local %s remote %s dstport 4789" % (l, r))
    return inner("vx0")


def setup_geneve():
    for n, r in ((S, "10.0.0.2"), (R, "10.0.0.1")):
        ns(n, "ip link add gn0 type geneve id 42 remote %s" % r)
    return inner("gn0")


def setup_wireguard():
    keys = {}
    for n in (S, R):
        priv = sh("wg genkey").strip()
        pub = sh("echo %s | wg pubkey" % priv).strip()
        keys[n] = (priv, pub)
    for n, port, o, ep, aip in ((S, 51820, R, "10.0.0.2:51821", "10.10.0.2/32"),
                                (R, 51821, S, "10.0.0.1:51820", "10.10.0.1/32")):
        ns(n, "ip link add wg0 type wireguard")
        with open("/tmp/ntb-key", "w") as f:
            f.write(keys[n][0])
        ns(n, "wg set wg0 listen-port %d private-key /tmp/ntb-key peer %s "
              "allowed-ips %s endpoint %s" % (port, keys[o][1], aip, ep))
        os.unlink("/tmp/ntb-key")
    return inner("wg0")


def iperf(dst, secs, streams=1, udp=False, cpu=None):
    return benchlib.iperf(S, R, dst, secs, streams, udp, cpu)


# What each run measures: key, label, unit, how to print the median,
# and the iperf() arguments.
KINDS = (("tcp1", "TCP 1 stream", "Gbit/s", 1, dict(streams=1)),
         ("tcp4", "TCP 4 streams", "Gbit/s", 1, dict(streams=4)),
         ("pps", "UDP 64 B", "kpps", 1000, dict(udp=True)),
         ("tcp1c", "TCP 1 stream, one CPU", "Gbit/s", 1,
          dict(streams=1, cpu=0)),
         ("tcp4c", "TCP 4 streams, one CPU", "Gbit/s", 1,
          dict(streams=4, cpu=0)))


# nt_tun with 10k peers runs next to nt_tun: at the end of the boot it
# read 10-19 % lower pps in two runs, while the two alternated three times
# in one boot were equal (7,861 and 7,888 pps medians of 9).
MODES = [("veth", setup_veth), ("nt_tun", setup_nttun),
         ("nt_tun 10k peers", lambda: setup_nttun(9999)), ("fou", setup_fou),
         ("vxlan", setup_vxlan), ("geneve", setup_geneve),
         ("wireguard", setup_wireguard)]


def versus(res):
    """nt_tun against FOU, VXLAN and Geneve, and nt_tun with 10k peers
    against nt_tun: ratios of the medians, with the lowest and
    highest of the run-by-run ratios (run i of each path ran in the same
    turn)."""
    def line(what, mine, theirs):
        parts = []
        for k, label, unit, _, _ in KINDS:
            a, b = mine[k], theirs[k]
            label += " pps" if unit == "kpps" else ""
            r = [x / y for x, y in zip(a, b) if y]
            if not r:
                continue
            parts.append("%s %.2f (runs %.2f-%.2f)" % (
                label, statistics.median(a) / statistics.median(b),
                min(r), max(r)))
        return "- %s: %s\n" % (what, ", ".join(parts))
    out = ""
    # Each against nt_tun on its own: the best of three noisy runs would
    # be biased upwards.
    for o in ("fou", "vxlan", "geneve"):
        if "nt_tun" in res and o in res:
            out += line("nt_tun / %s" % o, res["nt_tun"], res[o])
    if "nt_tun" in res and "nt_tun 10k peers" in res:
        out += line("nt_tun with 10k peers / nt_tun", res["nt_tun 10k peers"],
                    res["nt_tun"])
    return "\n" + out if out else ""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--secs", type=int, default=10)
    ap.add_argument("--modes", default=",".join(m for m, _ in MODES))
    a = ap.parse_args()
    want = a.modes.split(",")
    modes = [(name, setup) for name, setup in MODES
             if name in want or name.replace(" ", "-") in want]
    dst = {}
    for name, setup in modes:
        use(name)
        base()
        dst[name] = setup()
        ns(S, "ping -c 2 -W 2 %s" % dst[name], check=False)
    res = {name: {k: [] for k, *_ in KINDS} for name, _ in modes}
    for i in range(a.runs):
        k = i % len(modes)
        for name, _ in modes[k:] + modes[:k]:
            use(name)
            r = res[name]
            for key, *_, args in KINDS:
                r[key].append(iperf(dst[name], a.secs, **args))
            print("run %d %-18s %s" % (i + 1, name, "  ".join(
                "%s %.2f %s" % (key, r[key][-1] / div, unit)
                for key, _, unit, div, _ in KINDS)), flush=True)
    rows = []
    for name, _ in modes:
        med = {k: statistics.median(v) for k, v in res[name].items()}
        rows.append((name, med, res[name]))
    ref = rows[0][1] if rows and rows[0][0] == "veth" else None
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "tunnel.csv"), "w") as f:
        f.write("mode,tcp1_gbps,tcp4_gbps,udp64_pps,tcp1_1cpu_gbps,"
                "tcp4_1cpu_gbps,runs\n")
        for name, med, _ in rows:
            f.write("%s,%.3f,%.3f,%.0f,%.3f,%.3f,%d\n" % (
                name, med["tcp1"], med["tcp4"], med["pps"], med["tcp1c"],
                med["tcp4c"], a.runs))
    with open(os.path.join(a.out, "tunnel.md"), "w") as f:
        f.write("# nt_tun vs the kernel's tunnels (one VM boot, TCG, %d runs "
                "of %d s, medians; x = fraction of plain veth)\n\n" % (a.runs, a.secs))
        f.write("| path |%s\n" % "".join(" %s %s | x |" % (label, unit)
                                         for _, label, unit, _, _ in KINDS))
        f.write("|---|%s\n" % ("---|---|" * len(KINDS)))
        for name, med, res in rows:
            cells = ""
            for k, _, _, div, _ in KINDS:
                x = "%.2f" % (med[k] / ref[k]) if ref and ref[k] else "-"
                if div == 1:
                    cells += " %.2f (%.2f-%.2f) | %s |" % (
                        med[k], min(res[k]), max(res[k]), x)
                else:
                    cells += " %.1f | %s |" % (med[k] / div, x)
            f.write("| %s |%s\n" % (name, cells))
        f.write(versus({name: r for name, _, r in rows}))
    print(open(os.path.join(a.out, "tunnel.md")).read())


if __name__ == "__main__":
    main()
