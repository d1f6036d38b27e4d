#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""TCP flows that say whether each arrived whole, for churn.sh.

  churn_flow.py sink ADDR PORT STOPFILE
      accept connections until STOPFILE exists (bounded: 15 min); read
      each to EOF and answer with the number of bytes read
  churn_flow.py send ADDR PORT BYTES STOPFILE [--cc NAME]
      until STOPFILE exists (bounded: 15 min), one connection after
      another, with setsockopt(TCP_CONGESTION, NAME) (default nt): send
      BYTES bytes, close the sending side, read the sink's count. Prints
      one JSON line: flows "whole" (the sink read every byte), "short"
      (the sink saw a clean end of stream before the last byte: data
      lost, which TCP must never do), "broken" (the connection timed out
      or was reset while the state under it churned: allowed) and "cc"
      (the congestion controls the sockets ran with).
A connection that makes no progress for 20 s is given up as broken.
"""
import json
import os
import socket
import sys
import threading
import time

BOUND = 900


def family(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def serve_one(c):
    c.settimeout(60)
    n = 0
    try:
        while True:
            d = c.recv(1 << 16)
            if not d:
                break
            n += len(d)
        c.sendall(b"%d\n" % n)
    except OSError:
        pass
    c.close()


def sink(addr, port, stop):
    s = socket.socket(family(addr), socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    s.listen(16)
    s.settimeout(1)
    end = time.monotonic() + BOUND
    while time.monotonic() < end and not os.path.exists(stop):
        try:
            c, _ = s.accept()
        except socket.timeout:
            continue
        threading.Thread(target=serve_one, args=(c,), daemon=True).start()


def one(addr, port, nbytes, cc, seen):
    s = socket.socket(family(addr), socket.SOCK_STREAM)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, cc.encode())
    s.settimeout(20)
    try:
        s.connect((addr, port))
        name = s.getsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, 16)
        seen.add(name.split(b"\0")[0].decode())
        chunk = b"n" * (1 << 16)
        left = nbytes
        while left > 0:
            left -= s.send(chunk[:min(left, len(chunk))])
        s.shutdown(socket.SHUT_WR)
        got = b""
        while not got.endswith(b"\n"):
            d = s.recv(64)
            if not d:
                return "broken"
            got += d
        return "whole" if int(got) == nbytes else "short"
    except OSError:
        return "broken"
    finally:
        s.close()


def send(addr, port, nbytes, stop, cc):
    out = {"whole": 0, "short": 0, "broken": 0}
    seen = set()
    end = time.monotonic() + BOUND
    while time.monotonic() < end and not os.path.exists(stop):
        out[one(addr, port, nbytes, cc, seen)] += 1
    out["cc"] = sorted(seen)
    print(json.dumps(out), flush=True)


def main():
    a = sys.argv[1:]
    if len(a) == 4 and a[0] == "sink":
        sink(a[1], int(a[2]), a[3])
    elif len(a) in (5, 7) and a[0] == "send":
        cc = a[6] if len(a) == 7 and a[5] == "--cc" else "nt"
        send(a[1], int(a[2]), int(a[3]), a[4], cc)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
