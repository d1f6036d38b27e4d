#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""TCP flows for the congestion-control selftests.

  cc_flow.py sink ADDR PORT
      accept connections forever (bounded: 10 min), read each to EOF
  cc_flow.py send ADDR PORT BYTES [--cc NAME] [--until FILE]
      connect (retrying while the sink starts), optionally with
      setsockopt(TCP_CONGESTION, NAME), send BYTES bytes, or, with --until,
      keep sending until FILE exists (bounded by 15 min, the
      selftests' timeout: a slow debug kernel takes minutes between
      the start of a flow and the checks that need it alive); then print the
      congestion control the socket ran with ("cc nt") and close
"""
import os
import socket
import sys
import threading
import time


def family(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def drain(c):
    c.settimeout(180)
    try:
        while c.recv(1 << 16):
            pass
    except OSError:
        pass
    c.close()


def sink(addr, port):
    s = socket.socket(family(addr), socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    s.listen(64)
    s.settimeout(600)
    while True:
        c, _ = s.accept()
        threading.Thread(target=drain, args=(c,), daemon=True).start()


def send(addr, port, nbytes, cc=None, until=None):
    deadline = time.monotonic() + 10
    while True:
        s = socket.socket(family(addr), socket.SOCK_STREAM)
        if cc:
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, cc.encode())
        try:
            s.settimeout(10)
            s.connect((addr, port))
            break
        except OSError:
            s.close()
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
    chunk = b"n" * (1 << 16)
    if until:
        stop = time.monotonic() + 900
        while not os.path.exists(until) and time.monotonic() < stop:
            s.send(chunk)
    else:
        left = nbytes
        while left > 0:
            left -= s.send(chunk[:min(left, len(chunk))])
    used = s.getsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, 16)
    print("cc", used.split(b"\0")[0].decode(), flush=True)
    s.shutdown(socket.SHUT_WR)
    try:
        s.recv(1)
    except OSError:
        pass
    s.close()


def main(argv):
    if len(argv) >= 4 and argv[1] == "sink":
        sink(argv[2], int(argv[3]))
    elif len(argv) >= 5 and argv[1] == "send":
        cc = until = None
        rest = argv[5:]
        while rest:
            if rest[0] == "--cc":
                cc = rest[1]
            elif rest[0] == "--until":
                until = rest[1]
            else:
                sys.exit(__doc__)
            rest = rest[2:]
        send(argv[2], int(argv[3]), int(argv[4]), cc, until)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
