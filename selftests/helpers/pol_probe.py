#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Traffic probes for policy.sh: what a rule did, seen on real packets.

  pol_probe.py recv ADDR PORT [--secs S] [--stop FILE]
      receive UDP datagrams on ADDR:PORT until S seconds pass without one
      (default 2), or with --stop until a second after FILE appears; print one JSON object: {"n": N, "tos": {TOS: count},
      "tags": {TAG: count}, "tagtos": {"TAG/TOS": count}} where a TAG is
      the payload's first word.
  pol_probe.py send DST PORT [--count N] [--sport P] [--src A] [--tos T]
                    [--tag W] [--gap SECONDS]
      send N UDP datagrams "TAG SEQ"; print how many were sent.
  pol_probe.py udperr DST PORT [--src A]
      send on a connected UDP socket and print "refused" if an ICMP
      unreachable came back, else "silent".
  pol_probe.py connect DST PORT [--timeout S]
      TCP connect: print "ok", "refused" (RST) or "timeout".
  pol_probe.py listen ADDR PORT [--secs S]
      accept TCP connections for S seconds (default 10).
"""
import argparse
import json
import os
import socket
import struct
import sys
import time


def fam(a):
    return socket.AF_INET6 if ":" in a else socket.AF_INET


def recv(a):
    f = fam(a.addr)
    s = socket.socket(f, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if f == socket.AF_INET:
        s.setsockopt(socket.IPPROTO_IP, socket.IP_RECVTOS, 1)
    else:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_RECVTCLASS, 1)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    s.bind((a.addr, a.port))
    # tell the caller we are bound
    print("bound", file=sys.stderr, flush=True)
    s.settimeout(0.1 if a.stop else a.secs)
    n, tos, tags, tagtos = 0, {}, {}, {}
    deadline = None
    while True:
        if a.stop:
            if deadline is None and os.path.exists(a.stop):
                deadline = time.monotonic() + 1.0
            if deadline is not None and time.monotonic() > deadline:
                break
        try:
            data, anc, _, _ = s.recvmsg(2048, socket.CMSG_SPACE(4))
        except socket.timeout:
            if a.stop:
                continue
            break
        t = 0
        for lvl, typ, val in anc:
            if (lvl, typ) in ((socket.IPPROTO_IP, socket.IP_TOS),
                              (socket.IPPROTO_IPV6, socket.IPV6_TCLASS)):
                t = val[0] if len(val) == 1 else struct.unpack("i", val[:4])[0]
        tag = data.split(b" ")[0].decode(errors="replace")
        n += 1
        tos[t] = tos.get(t, 0) + 1
        tags[tag] = tags.get(tag, 0) + 1
        k = "%s/%d" % (tag, t)
        tagtos[k] = tagtos.get(k, 0) + 1
    print(json.dumps({"n": n, "tos": tos, "tags": tags, "tagtos": tagtos}))


def send(a):
    f = fam(a.dst)
    s = socket.socket(f, socket.SOCK_DGRAM)
    if a.tos is not None:
        if f == socket.AF_INET:
            s.setsockopt(socket.IPPROTO_IP, socket.IP_TOS, a.tos)
        else:
            s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_TCLASS, a.tos)
    if a.src or a.sport:
        s.bind((a.src or ("::" if f == socket.AF_INET6 else "0.0.0.0"),
                a.sport or 0))
    sent = 0
    for i in range(a.count):
        try:
            s.sendto(("%s %d" % (a.tag, i)).encode(), (a.dst, a.port))
            sent += 1
        except OSError:
            pass
        if a.gap:
            time.sleep(a.gap)
    print(sent)


def udperr(a):
    f = fam(a.dst)
    s = socket.socket(f, socket.SOCK_DGRAM)
    if a.src:
        s.bind((a.src, 0))
    s.connect((a.dst, a.port))
    s.settimeout(0.5)
    for _ in range(6):
        try:
            s.send(b"probe")
            s.recv(100)
        except ConnectionRefusedError:
            print("refused")
            return
        except (socket.timeout, OSError):
            pass
    print("silent")


def connect(a):
    s = socket.socket(fam(a.dst), socket.SOCK_STREAM)
    s.settimeout(a.timeout)
    try:
        s.connect((a.dst, a.port))
        print("ok")
    except ConnectionRefusedError:
        print("refused")
    except (socket.timeout, OSError):
        print("timeout")


def listen(a):
    s = socket.socket(fam(a.addr), socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((a.addr, a.port))
    s.listen(16)
    print("bound", file=sys.stderr, flush=True)
    end = time.monotonic() + a.secs
    while time.monotonic() < end:
        s.settimeout(max(0.1, end - time.monotonic()))
        try:
            c, _ = s.accept()
            c.close()
        except socket.timeout:
            pass


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("recv")
    p.add_argument("addr")
    p.add_argument("port", type=int)
    p.add_argument("--secs", type=float, default=2)
    p.add_argument("--stop")
    p = sub.add_parser("send")
    p.add_argument("dst")
    p.add_argument("port", type=int)
    p.add_argument("--count", type=int, default=5)
    p.add_argument("--sport", type=int, default=0)
    p.add_argument("--src")
    p.add_argument("--tos", type=int)
    p.add_argument("--tag", default="x")
    p.add_argument("--gap", type=float, default=0)
    p = sub.add_parser("udperr")
    p.add_argument("dst")
    p.add_argument("port", type=int)
    p.add_argument("--src")
    p = sub.add_parser("connect")
    p.add_argument("dst")
    p.add_argument("port", type=int)
    p.add_argument("--timeout", type=float, default=3)
    p = sub.add_parser("listen")
    p.add_argument("addr")
    p.add_argument("port", type=int)
    p.add_argument("--secs", type=float, default=10)
    a = ap.parse_args()
    {"recv": recv, "send": send, "udperr": udperr, "connect": connect,
     "listen": listen}[a.cmd](a)


if __name__ == "__main__":
    main()
