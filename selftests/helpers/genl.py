# SPDX-License-Identifier: GPL-2.0
"""Generic netlink, raw, for the helpers that send what ntctl never does.

Genl(name) resolves family NAME (its id and multicast groups) on a socket
of its own, with capped acks and extended acks. talk() sends one request
and returns its first reply or the ack's errno, keeping the ack's message
(extack) and the type of a missing attribute (miss_type); send(),
replies() and batch() are for dumps and many requests at once.
"""
import os
import socket
import struct
import sys

NETLINK_GENERIC = 16
GENL_ID_CTRL = 0x10
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID = 1
CTRL_ATTR_FAMILY_NAME = 2
CTRL_ATTR_MCAST_GROUPS = 7
CTRL_ATTR_MCAST_GRP_NAME, CTRL_ATTR_MCAST_GRP_ID = 1, 2
NLM_F_REQUEST, NLM_F_ACK, NLM_F_DUMP = 1, 4, 0x300
NLM_F_DUMP_INTR = 0x10
NLMSG_ERROR, NLMSG_DONE = 2, 3
SOL_NETLINK, NETLINK_CAP_ACK, NETLINK_EXT_ACK = 270, 10, 11
NLMSGERR_ATTR_MSG, NLMSGERR_ATTR_MISS_TYPE = 1, 5
NLA_F_NESTED = 0x8000

# never more than this per read: the kernel sizes a dump's parts by the
# largest read it has seen on the socket
RECV = 4096


def attr(t, payload):
    n = 4 + len(payload)
    return struct.pack("=HH", n, t) + payload + b"\0" * ((4 - n % 4) % 4)


def nest(t, payload):
    return attr(t | NLA_F_NESTED, payload)


def attrs(buf, off=0, end=None):
    """The attributes in buf[off:end], by type (flags masked off)."""
    end = len(buf) if end is None else end
    out = {}
    while off + 4 <= end:
        n, t = struct.unpack_from("=HH", buf, off)
        if n < 4:
            break
        out[t & 0x3fff] = buf[off + 4:off + n]
        off += (n + 3) & ~3
    return out


class Genl:
    def __init__(self, name):
        self.s = socket_open()
        self.seq = 0
        self.extack = ""
        self.miss_type = None
        self.fam = None
        self.groups = {}
        r = self.talk(GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
                      attr(CTRL_ATTR_FAMILY_NAME, name.encode() + b"\0"))
        if isinstance(r, int):
            sys.exit("%s family: %s" % (name, os.strerror(-r)))
        a = attrs(r, 20)  # past nlmsghdr and genlmsghdr
        self.fam = struct.unpack_from("=H", a[CTRL_ATTR_FAMILY_ID])[0]
        for grp in attrs(a.get(CTRL_ATTR_MCAST_GROUPS, b"")).values():
            ga = attrs(grp)
            self.groups[ga[CTRL_ATTR_MCAST_GRP_NAME].rstrip(b"\0")
                        .decode()] = struct.unpack_from(
                            "=I", ga[CTRL_ATTR_MCAST_GRP_ID])[0]

    def msg(self, typ, cmd, flags, payload=b""):
        self.seq += 1
        body = struct.pack("=BBH", cmd, 1, 0) + payload
        return struct.pack("=IHHII", 16 + len(body), typ,
                           NLM_F_REQUEST | flags, self.seq, 0) + body

    def send(self, typ, cmd, flags, payload=b""):
        self.s.send(self.msg(typ, cmd, flags, payload))

    def talk(self, typ, cmd, payload=b""):
        """Send a request with an ack; return the first data reply (bytes,
        from its nlmsghdr on) or the ack's errno (0 or negative)."""
        self.s.send(self.msg(typ, cmd, NLM_F_ACK, payload))
        data = None
        while True:
            buf = self.s.recv(RECV)
            off = 0
            while off + 16 <= len(buf):
                ln, t, _, seq, _ = struct.unpack_from("=IHHII", buf, off)
                if seq == self.seq:
                    if t == NLMSG_ERROR:
                        e = struct.unpack_from("=i", buf, off + 16)[0]
                        # the capped nlmsgerr: errno and the request's
                        # header, then the extended ack's attributes
                        ext = attrs(buf, off + 36, off + ln)
                        self.extack = (ext.get(NLMSGERR_ATTR_MSG, b"")
                                       .rstrip(b"\0").decode())
                        mt = ext.get(NLMSGERR_ATTR_MISS_TYPE)
                        self.miss_type = (struct.unpack("=I", mt)[0]
                                          if mt else None)
                        return data if (data is not None and e == 0) else e
                    data = buf[off:off + ln]
                off += (ln + 3) & ~3

    def cmd(self, cmd, payload=b""):
        return self.talk(self.fam, cmd, payload)

    def replies(self, acks):
        """Yield (type, flags, payload) until @acks acks have come."""
        while acks:
            buf = self.s.recv(RECV)
            off = 0
            while off + 16 <= len(buf):
                ln, t, fl, _, _ = struct.unpack_from("=IHHII", buf, off)
                if t == NLMSG_ERROR:
                    acks -= 1
                yield t, fl, buf[off + 16:off + ln]
                off += (ln + 3) & ~3

    def batch(self, cmd, payloads):
        """Send requests with acks, 64 to a write; the errnos."""
        errs = []
        for i in range(0, len(payloads), 64):
            part = payloads[i:i + 64]
            self.s.send(b"".join(self.msg(self.fam, cmd, NLM_F_ACK, p)
                                 for p in part))
            for t, _, body in self.replies(len(part)):
                if t == NLMSG_ERROR:
                    errs.append(struct.unpack_from("=i", body)[0])
        return errs


def socket_open():
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
    s.setsockopt(SOL_NETLINK, NETLINK_CAP_ACK, 1)
    s.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
    s.bind((0, 0))
    return s
