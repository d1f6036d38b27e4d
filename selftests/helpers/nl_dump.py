#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Raw generic-netlink dumps for nl_dump.sh: a change made between the parts
of a dump, and what the dump then says (what ntctl cannot show).

  nl_dump.py add-routes FIRST N PROFILE
        nt_cc: add N IPv4 /32 routes FIRST, FIRST+1, ... to PROFILE
  nl_dump.py del-routes FIRST N
        nt_cc: delete them
  nl_dump.py dump WHAT [--dev NAME] [--then-sh CMD]
                       [--then-del-routes FIRST N]
        Dump WHAT (cc-routes, cc-profiles, tun-devs, tun-peers of --dev),
        reading it 4 KiB at a time. The kernel builds the first part when
        the request is sent and each next part when the previous one is
        read: the --then change runs after the first part is built and
        before the second is, so that the rest of the dump sees it.
        Prints "intr K" (messages flagged NLM_F_DUMP_INTR, NLMSG_DONE
        included), "msgs M", then one line per message: the route's
        prefix, the profile's or device's name, or the peer's id.
  nl_dump.py forge-error PORT SEQ
        Send port PORT, as another process would, an error (EHOSTDOWN)
        that answers its request SEQ; print "forged: sent" or "forged: "
        and the errno name the kernel refused it with.
  nl_dump.py forge-event NAME
        Multicast on nt_cc's "events" group, as root of the namespace
        may, a profile-deleted event naming profile NAME; print "forged:
        sent", or why not.
Constants are those of uapi/linux/nt_cc.h and nt_tun.h.
"""
import errno
import ipaddress
import os
import socket
import struct
import subprocess
import sys

import uapi
from genl import (GENL_ID_CTRL, NETLINK_GENERIC, NLM_F_DUMP,
                  NLM_F_DUMP_INTR, NLM_F_REQUEST, NLMSG_DONE, NLMSG_ERROR,
                  RECV, Genl, attr, attrs)

# tcp_nt's and nt_tun's numbers, from uapi/linux/nt_cc.h and nt_tun.h
CC_CMD_PROFILE_GET = uapi.NT_CC_CMD_PROFILE_GET
CC_CMD_PROFILE_DEL = uapi.NT_CC_CMD_PROFILE_DEL
CC_CMD_ROUTE_GET = uapi.NT_CC_CMD_ROUTE_GET
CC_CMD_ROUTE_NEW = uapi.NT_CC_CMD_ROUTE_NEW
CC_CMD_ROUTE_DEL = uapi.NT_CC_CMD_ROUTE_DEL
CC_A_PROFILE_NAME = uapi.NT_CC_A_PROFILE_NAME
CC_A_ROUTE_FAMILY = uapi.NT_CC_A_ROUTE_FAMILY
CC_A_ROUTE_ADDR = uapi.NT_CC_A_ROUTE_ADDR
CC_A_ROUTE_CIDR = uapi.NT_CC_A_ROUTE_CIDR
TUN_CMD_DEV_GET, TUN_CMD_PEER_GET = uapi.NT_TUN_CMD_DEV_GET, uapi.NT_TUN_CMD_PEER_GET
TUN_A_IFNAME, TUN_A_PEER = uapi.NT_TUN_A_IFNAME, uapi.NT_TUN_A_PEER
TUN_PEER_A_ID = uapi.NT_TUN_PEER_A_ID

def route(addr):
    return (attr(CC_A_ROUTE_FAMILY, struct.pack("=H", socket.AF_INET)) +
            attr(CC_A_ROUTE_ADDR, addr.packed) +
            attr(CC_A_ROUTE_CIDR, struct.pack("=B", 32)))


def routes(first, n):
    a = ipaddress.IPv4Address(first)
    return [route(a + i) for i in range(n)]


def change_routes(cmd, first, n, profile=None):
    g = Genl("nt_cc")
    extra = attr(CC_A_PROFILE_NAME, profile.encode() + b"\0") if profile else b""
    errs = [e for e in g.batch(cmd, [r + extra for r in routes(first, n)])
            if e]
    if errs:
        sys.exit("%d of %d refused, first: %s" %
                 (len(errs), n, os.strerror(-errs[0])))


def item(what, body):
    a = attrs(body, 4)
    if what == "cc-routes":
        fam = struct.unpack_from("=H", a[CC_A_ROUTE_FAMILY])[0]
        ip = ipaddress.ip_address(bytes(a[CC_A_ROUTE_ADDR]))
        assert fam == (socket.AF_INET if ip.version == 4 else socket.AF_INET6)
        return "%s/%d" % (ip, a[CC_A_ROUTE_CIDR][0])
    if what == "cc-profiles":
        return bytes(a[CC_A_PROFILE_NAME]).rstrip(b"\0").decode()
    if what == "tun-devs":
        return bytes(a[TUN_A_IFNAME]).rstrip(b"\0").decode()
    p = attrs(a[TUN_A_PEER])
    return str(struct.unpack_from("=I", p[TUN_PEER_A_ID])[0])


def dump(argv):
    what = argv[0]
    fam, cmd, payload = {
        "cc-routes": ("nt_cc", CC_CMD_ROUTE_GET, b""),
        "cc-profiles": ("nt_cc", CC_CMD_PROFILE_GET, b""),
        "tun-devs": ("nt_tun", TUN_CMD_DEV_GET, b""),
        "tun-peers": ("nt_tun", TUN_CMD_PEER_GET, None),
    }[what]
    then = []
    i = 1
    while i < len(argv):
        if argv[i] == "--dev":
            payload = attr(TUN_A_IFNAME, argv[i + 1].encode() + b"\0")
            i += 2
        elif argv[i] == "--then-sh":
            then.append(lambda c=argv[i + 1]: subprocess.run(c, shell=True,
                                                             check=True))
            i += 2
        elif argv[i] == "--then-del-routes":
            then.append(lambda f=argv[i + 1], n=int(argv[i + 2]):
                        change_routes(CC_CMD_ROUTE_DEL, f, n))
            i += 3
        else:
            sys.exit(__doc__)
    if payload is None:
        sys.exit("tun-peers wants --dev")
    g = Genl(fam)
    g.send(g.fam, cmd, NLM_F_DUMP, payload)
    seq = g.seq
    for f in then:
        f()
    intr, items, done = 0, [], False
    while not done:
        buf = g.s.recv(RECV)
        off = 0
        while off + 16 <= len(buf):
            ln, t, fl, s, _ = struct.unpack_from("=IHHII", buf, off)
            body = buf[off + 16:off + ln]
            off += (ln + 3) & ~3
            if s != seq:
                continue
            if fl & NLM_F_DUMP_INTR:
                intr += 1
            if t == NLMSG_DONE:
                done = True
            elif t == NLMSG_ERROR:
                e = struct.unpack_from("=i", body)[0]
                sys.exit("dump: %s" % os.strerror(-e))
            else:
                items.append(item(what, body))
    print("intr %d" % intr)
    print("msgs %d" % len(items))
    for x in items:
        print(x)


def forge_error(port, seq):
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
    asked = struct.pack("=IHHII", 16, GENL_ID_CTRL, NLM_F_REQUEST, seq, port)
    msg = struct.pack("=IHHII", 16 + 4 + 16, NLMSG_ERROR, 0, seq, port)
    msg += struct.pack("=i", -errno.EHOSTDOWN) + asked
    try:
        s.sendto(msg, (port, 0))
        print("forged: sent")
    except OSError as e:
        print("forged: " + errno.errorcode.get(e.errno, str(e.errno)))


def forge_event(name):
    g = Genl("nt_cc")
    grp = g.groups["events"]
    if grp > 32:
        # a sender names its group in a 32-bit mask
        print("forged: group %d is past what a sender can name" % grp)
        return
    body = struct.pack("=BBH", CC_CMD_PROFILE_DEL, 1, 0)
    body += attr(CC_A_PROFILE_NAME, name.encode() + b"\0")
    msg = struct.pack("=IHHII", 16 + len(body), g.fam, 0, 0, 0) + body
    try:
        g.s.sendto(msg, (0, 1 << (grp - 1)))
        print("forged: sent")
    except OSError as e:
        print("forged: " + errno.errorcode.get(e.errno, str(e.errno)))


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    if sys.argv[1] == "add-routes" and len(sys.argv) == 5:
        change_routes(CC_CMD_ROUTE_NEW, sys.argv[2], int(sys.argv[3]),
                      sys.argv[4])
    elif sys.argv[1] == "del-routes" and len(sys.argv) == 4:
        change_routes(CC_CMD_ROUTE_DEL, sys.argv[2], int(sys.argv[3]))
    elif sys.argv[1] == "forge-event" and len(sys.argv) == 3:
        forge_event(sys.argv[2])
    elif sys.argv[1] == "forge-error" and len(sys.argv) == 4:
        forge_error(int(sys.argv[2]), int(sys.argv[3]))
    elif sys.argv[1] == "dump" and len(sys.argv) > 2:
        dump(sys.argv[2:])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
