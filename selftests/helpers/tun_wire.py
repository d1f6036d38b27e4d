#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""nt_tun selftest helper: capture and decode the wire format, or send
hand-made outer packets.

  tun_wire.py capture IFACE PORT COUNT SECONDS
      Capture UDP packets to or from PORT on IFACE (AF_PACKET) and print one
      JSON object per packet: outer family, addresses, ports, TTL/hop limit,
      DS field, then the ntkit header decoded as Documentation/tunnel.rst
      describes (version, flags, proto, reserved, vni) and, when the header
      says IPv4 or IPv6, the inner packet's version, source, destination and
      protocol. Exits after COUNT packets or SECONDS.
  tun_wire.py send [--tos DS] SRC DST DPORT HEXHDR [INNER]
      Send one UDP datagram from SRC (address, any port; "SRC:PORT" for a
      port) to DST:DPORT, with the outer DS field DS (default 0), whose
      payload is the 8 header bytes HEXHDR followed by INNER: "ping4 S D"
      (an ICMP echo from S to D), "udp4 S D PORT DS LEN" or "udp6 S D PORT
      DS LEN" (a UDP datagram of LEN payload bytes from S to D:PORT, with
      the DS field / traffic class DS and a correct checksum), "nest4 N PORT"
      or nothing. "nest4" is a tunnel in a tunnel, N deep: layer k
      (1..N-1) carries IPv4 10.10.k.1 -> 10.10.k.2, UDP to PORT+k+1, a
      header (proto IPv4, network id 0) and layer k+1; layer N carries an
      ICMP echo reply from 10.10.N.1 to 10.10.N.2 (a reply, so that
      nothing answers it).
  tun_wire.py recv ADDR PORT SECONDS
      Bind a UDP socket to ADDR:PORT, say "ready" on stderr, and print the
      first datagram received within SECONDS as JSON: its length and the
      DS field (traffic class) it arrived with. Prints nothing on timeout.
"""
import json
import socket
import struct
import sys
import time


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def ping4(src, dst):
    icmp = struct.pack("!BBHHH", 8, 0, 0, 0x1234, 1) + b"ntkit" * 4
    icmp = icmp[:2] + struct.pack("!H", csum(icmp)) + icmp[4:]
    tot = 20 + len(icmp)
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, tot, 1, 0, 64, 1, 0,
                     socket.inet_aton(src), socket.inet_aton(dst))
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    return ip + icmp


def ipv4(src, dst, proto, payload):
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 1, 0, 64,
                     proto, 0, socket.inet_aton(src), socket.inet_aton(dst))
    return ip[:10] + struct.pack("!H", csum(ip)) + ip[12:] + payload


def udp(fam, src, dst, port, ds, n):
    data = b"ntkit-ecn" * (n // 9) + b"x" * (n % 9)
    ulen = 8 + len(data)
    if fam == socket.AF_INET:
        s, d = socket.inet_aton(src), socket.inet_aton(dst)
        pseudo = s + d + struct.pack("!BBH", 0, 17, ulen)
    else:
        s = socket.inet_pton(socket.AF_INET6, src)
        d = socket.inet_pton(socket.AF_INET6, dst)
        pseudo = s + d + struct.pack("!IxxxB", ulen, 17)
    u = struct.pack("!HHHH", 40000, port, ulen, 0) + data
    c = csum(pseudo + u) or 0xffff
    u = u[:6] + struct.pack("!H", c) + u[8:]
    if fam == socket.AF_INET:
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, ds, 20 + ulen, 1, 0, 64, 17,
                         0, s, d)
        return ip[:10] + struct.pack("!H", csum(ip)) + ip[12:] + u
    return struct.pack("!IHBB16s16s", 6 << 28 | ds << 20, ulen, 17, 64,
                       s, d) + u


def nest4(n, port):
    icmp = struct.pack("!BBHHH", 0, 0, 0, 0x1234, 1) + b"ntkit" * 4
    icmp = icmp[:2] + struct.pack("!H", csum(icmp)) + icmp[4:]
    pkt = ipv4("10.10.%d.1" % n, "10.10.%d.2" % n, 1, icmp)
    hdr = bytes.fromhex("1004000000000000")
    for k in range(n - 1, 0, -1):
        p = port + k + 1
        udp = struct.pack("!HHHH", p, p, 8 + len(hdr) + len(pkt), 0)
        pkt = ipv4("10.10.%d.1" % k, "10.10.%d.2" % k, 17, udp + hdr + pkt)
    return pkt


def decode_inner(proto, b):
    if proto == 4 and len(b) >= 20:
        return {"version": b[0] >> 4, "src": socket.inet_ntoa(b[12:16]),
                "dst": socket.inet_ntoa(b[16:20]), "proto": b[9],
                "tos": b[1]}
    if proto == 41 and len(b) >= 40:
        return {"version": b[0] >> 4,
                "src": socket.inet_ntop(socket.AF_INET6, b[8:24]),
                "dst": socket.inet_ntop(socket.AF_INET6, b[24:40]),
                "proto": b[6], "tos": ((b[0] & 0xf) << 4) | (b[1] >> 4)}
    return None


def decode(frame, port):
    eth_type = struct.unpack("!H", frame[12:14])[0]
    b = frame[14:]
    if eth_type == 0x0800 and len(b) >= 20 and b[9] == 17:
        ihl = (b[0] & 0xf) * 4
        outer = {"family": "inet", "src": socket.inet_ntoa(b[12:16]),
                 "dst": socket.inet_ntoa(b[16:20]), "ttl": b[8],
                 "ds": b[1], "df": bool(b[6] & 0x40)}
        u = b[ihl:]
    elif eth_type == 0x86dd and len(b) >= 40 and b[6] == 17:
        outer = {"family": "inet6",
                 "src": socket.inet_ntop(socket.AF_INET6, b[8:24]),
                 "dst": socket.inet_ntop(socket.AF_INET6, b[24:40]),
                 "ttl": b[7], "ds": ((b[0] & 0xf) << 4) | (b[1] >> 4)}
        u = b[40:]
    else:
        return None
    if len(u) < 8:
        return None
    sport, dport, ulen, _ = struct.unpack("!HHHH", u[:8])
    if port not in (sport, dport):
        return None
    outer.update(sport=sport, dport=dport, udp_len=ulen)
    h = u[8:16]
    if len(h) < 8:
        outer["header"] = None
        return outer
    outer["header"] = {"version": h[0] >> 4, "flags": h[0] & 0xf,
                       "proto": h[1],
                       "reserved": struct.unpack("!H", h[2:4])[0],
                       "vni": struct.unpack("!I", h[4:8])[0]}
    outer["payload_len"] = len(u) - 16
    outer["inner"] = decode_inner(h[1], u[16:])
    return outer


def capture(iface, port, count, secs):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
    s.bind((iface, 0))
    s.settimeout(0.2)
    end = time.time() + secs
    n = 0
    print("ready", file=sys.stderr, flush=True)
    while n < count and time.time() < end:
        try:
            frame, addr = s.recvfrom(65535)
        except socket.timeout:
            continue
        if addr[2] == socket.PACKET_OUTGOING and False:
            continue
        d = decode(frame, port)
        if d:
            d["outgoing"] = addr[2] == socket.PACKET_OUTGOING
            print(json.dumps(d), flush=True)
            n += 1


def send(src, dst, dport, hexhdr, inner, tos=0):
    fam = socket.AF_INET6 if ":" in dst else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM)
    if fam == socket.AF_INET:
        s.setsockopt(socket.IPPROTO_IP, socket.IP_TOS, tos)
    else:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_TCLASS, tos)
    sport = 0
    if src.count(":") == 1 and fam == socket.AF_INET:
        src, sport = src.split(":")
        sport = int(sport)
    s.bind((src, sport))
    payload = bytes.fromhex(hexhdr)
    if inner and inner[0] == "ping4":
        payload += ping4(inner[1], inner[2])
    elif inner and inner[0] in ("udp4", "udp6"):
        fam_in = socket.AF_INET if inner[0] == "udp4" else socket.AF_INET6
        payload += udp(fam_in, inner[1], inner[2], int(inner[3]),
                       int(inner[4], 0), int(inner[5]))
    elif inner and inner[0] == "nest4":
        payload += nest4(int(inner[1]), int(inner[2]))
    s.sendto(payload, (dst, int(dport)))


def recv(addr, port, secs):
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM)
    if fam == socket.AF_INET:
        s.setsockopt(socket.IPPROTO_IP, socket.IP_RECVTOS, 1)
    else:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_RECVTCLASS, 1)
    s.bind((addr, port))
    s.settimeout(secs)
    print("ready", file=sys.stderr, flush=True)
    try:
        data, anc, _, _ = s.recvmsg(65535, socket.CMSG_SPACE(4))
    except socket.timeout:
        return
    ds = None
    for level, typ, val in anc:
        if (level, typ) in ((socket.IPPROTO_IP, socket.IP_TOS),
                            (socket.IPPROTO_IPV6, socket.IPV6_TCLASS)):
            ds = val[0] if len(val) == 1 else struct.unpack("=i", val[:4])[0]
    print(json.dumps({"len": len(data), "ds": ds}), flush=True)


def main():
    if sys.argv[1] == "capture":
        capture(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]),
                float(sys.argv[5]))
    elif sys.argv[1] == "send":
        args, tos = sys.argv[2:], 0
        if args[0] == "--tos":
            tos, args = int(args[1], 0), args[2:]
        send(args[0], args[1], args[2], args[3], args[4:], tos)
    elif sys.argv[1] == "recv":
        recv(sys.argv[2], int(sys.argv[3]), float(sys.argv[4]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
