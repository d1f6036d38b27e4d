# SPDX-License-Identifier: GPL-2.0
"""What the benchmarks share: commands, namespaces, the two-host veth
pair and iperf3 runs (run inside the VM, as root)."""
import json
import subprocess
import sys
import time


def sh(cmd, check=True, inp=None):
    """Run @cmd in a shell; its stdout. A failure ends the benchmark."""
    r = subprocess.run(cmd, shell=True, capture_output=True, text=True,
                       input=inp)
    if check and r.returncode:
        sys.exit("bench: %s: %s%s" % (cmd, r.stdout, r.stderr))
    return r.stdout


def ns(n, cmd, **kw):
    return sh("ip netns exec %s %s" % (n, cmd), **kw)


def pair(s, r):
    """Fresh namespaces @s (10.0.0.1) and @r (10.0.0.2) joined by veth v0."""
    for n in (s, r):
        sh("ip netns del %s" % n, check=False)
        sh("ip netns add %s" % n)
        ns(n, "ip link set lo up")
    sh("ip link add v0 netns %s type veth peer name v0 netns %s" % (s, r))
    ns(s, "ip addr add 10.0.0.1/24 dev v0")
    ns(r, "ip addr add 10.0.0.2/24 dev v0")
    ns(s, "ip link set v0 up")
    ns(r, "ip link set v0 up")


def iperf(s, r, dst, secs, streams=1, udp=False, cpu=None):
    """iperf3 from @s to a one-shot server in @r, first second omitted:
    Gbit/s received (TCP) or packets/s received (UDP, 64-byte payloads,
    unthrottled). With @cpu, client and server both run on that CPU."""
    pin = "taskset -c %d " % cpu if cpu is not None else ""
    srv = subprocess.Popen("ip netns exec %s %siperf3 -s -1 -J" % (r, pin),
                           shell=True, stdout=subprocess.PIPE, text=True)
    # the client starts once the server listens: on a loaded host that
    # takes more than a second, and a client refused leaves the one-shot
    # server waiting
    for _ in range(600):
        if subprocess.run("ip netns exec %s ss -Hltn 'sport = :5201' | grep -q ." % r,
                          shell=True).returncode == 0:
            break
        time.sleep(0.1)
    args = "-u -b 0 -l 64" if udp else "-P %d" % streams
    ns(s, "%siperf3 -c %s -t %d -O 1 %s -J" % (pin, dst, secs, args),
       check=False)
    try:
        out = json.loads(srv.communicate(timeout=secs + 60)[0] or "{}")
    except subprocess.TimeoutExpired:
        srv.kill()
        srv.communicate()
        print("iperf3 to %s in %s: no result (server timed out)" % (dst, r),
              flush=True)
        out = {}
    end = out.get("end", {})
    if udp:
        x = end.get("sum", {})
        return (x.get("packets", 0) - x.get("lost_packets", 0)) / \
            max(x.get("seconds", 1), 1e-9)
    return end.get("sum_received", {}).get("bits_per_second", 0) / 1e9
