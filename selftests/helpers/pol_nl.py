#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Raw nt_policy transactions for policy.sh (what ntctl never leaves open).

  pol_nl.py open-close   BEGIN and add a rule on a socket, then close the
                         socket without COMMIT; prints "ok"
  pol_nl.py busy         BEGIN on one socket, BEGIN on a second: prints the
                         second's errno name (EBUSY expected), then closes
  pol_nl.py len-only src|dst
                         RULE_ADD of a rule with a prefix length and no
                         address (ntctl never sends one): prints the errno
                         name and the kernel's extack message
Constants are those of uapi/linux/nt_policy.h.
"""
import errno
import os
import socket
import struct
import sys

import uapi

NETLINK_GENERIC = 16
GENL_ID_CTRL = 0x10
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID = 1
CTRL_ATTR_FAMILY_NAME = 2
NLM_F_REQUEST, NLM_F_ACK = 1, 4
NLMSG_ERROR = 2
SOL_NETLINK, NETLINK_CAP_ACK, NETLINK_EXT_ACK = 270, 10, 11
NLMSGERR_ATTR_MSG = 1

# nt_policy's numbers, from uapi/linux/nt_policy.h
CMD_RULE_ADD, CMD_BEGIN = uapi.NT_POL_CMD_RULE_ADD, uapi.NT_POL_CMD_BEGIN
A_RULE = uapi.NT_POL_A_RULE
RULE_A_HOOK, RULE_A_PROTO = uapi.NT_POL_RULE_A_HOOK, uapi.NT_POL_RULE_A_PROTO
RULE_A_DPORT_MIN = uapi.NT_POL_RULE_A_DPORT_MIN
RULE_A_ACTION = uapi.NT_POL_RULE_A_ACTION
RULE_A_SRC_LEN = uapi.NT_POL_RULE_A_SRC_LEN
RULE_A_DST_LEN = uapi.NT_POL_RULE_A_DST_LEN
HOOK_INPUT, ACT_DROP = uapi.NT_POL_HOOK_INPUT, uapi.NT_POL_ACT_DROP


def attr(t, payload):
    n = 4 + len(payload)
    return struct.pack("=HH", n, t) + payload + b"\0" * ((4 - n % 4) % 4)


class Genl:
    def __init__(self):
        self.s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW,
                               NETLINK_GENERIC)
        self.s.setsockopt(SOL_NETLINK, NETLINK_CAP_ACK, 1)
        self.s.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.s.bind((0, 0))
        self.seq = 0
        self.extack = ""
        self.fam = None
        r = self.talk(GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
                      attr(CTRL_ATTR_FAMILY_NAME, b"nt_policy\0"))
        if isinstance(r, int):
            sys.exit("nt_policy family: %s" % os.strerror(-r))
        off = 20  # nlmsghdr + genlmsghdr
        while off + 4 <= len(r):
            n, t = struct.unpack_from("=HH", r, off)
            if t == CTRL_ATTR_FAMILY_ID:
                self.fam = struct.unpack_from("=H", r, off + 4)[0]
            off += (n + 3) & ~3

    def talk(self, typ, cmd, payload=b""):
        """Send; return the first data reply (bytes) or the ack's errno
        (0 or negative int)."""
        self.seq += 1
        body = struct.pack("=BBH", cmd, 1, 0) + payload
        msg = struct.pack("=IHHII", 16 + len(body), typ,
                          NLM_F_REQUEST | NLM_F_ACK, self.seq, 0) + body
        self.s.send(msg)
        data = None
        while True:
            buf = self.s.recv(65536)
            off = 0
            while off + 16 <= len(buf):
                ln, t, _, seq, _ = struct.unpack_from("=IHHII", buf, off)
                if seq == self.seq:
                    if t == NLMSG_ERROR:
                        e = struct.unpack_from("=i", buf, off + 16)[0]
                        self.extack = ext_msg(buf[off + 36:off + ln])
                        return data if (data is not None and e == 0) else e
                    data = buf[off:off + ln]
                off += (ln + 3) & ~3

    def cmd(self, cmd, payload=b""):
        return self.talk(self.fam, cmd, payload)


def ext_msg(tlvs):
    """NLMSGERR_ATTR_MSG from the attributes after a capped nlmsgerr."""
    off = 0
    while off + 4 <= len(tlvs):
        n, t = struct.unpack_from("=HH", tlvs, off)
        if n < 4:
            break
        if t == NLMSGERR_ATTR_MSG:
            return tlvs[off + 4:off + n].rstrip(b"\0").decode()
        off += (n + 3) & ~3
    return ""


def rule(extra=b""):
    return attr(A_RULE | 0x8000,  # NLA_F_NESTED
                extra +
                attr(RULE_A_HOOK, bytes([HOOK_INPUT])) +
                attr(RULE_A_PROTO, bytes([17])) +
                attr(RULE_A_DPORT_MIN, struct.pack("=H", 9999)) +
                attr(RULE_A_ACTION, bytes([ACT_DROP])))


def main():
    what = sys.argv[1] if len(sys.argv) > 1 else ""
    if what == "open-close":
        g = Genl()
        if g.cmd(CMD_BEGIN) != 0 or g.cmd(CMD_RULE_ADD, rule()) != 0:
            sys.exit("BEGIN/RULE_ADD failed")
        g.s.close()
        print("ok")
    elif what == "busy":
        a, b = Genl(), Genl()
        if a.cmd(CMD_BEGIN) != 0:
            sys.exit("first BEGIN failed")
        e = b.cmd(CMD_BEGIN)
        print(errno.errorcode.get(-e, str(e)) if e else "ok")
        a.s.close()
        b.s.close()
    elif what == "len-only" and sys.argv[2:] in (["src"], ["dst"]):
        g = Genl()
        a = RULE_A_SRC_LEN if sys.argv[2] == "src" else RULE_A_DST_LEN
        e = g.cmd(CMD_RULE_ADD, rule(attr(a, bytes([24]))))
        print("%s: %s" % (errno.errorcode.get(-e, str(e)) if e else "ok",
                          g.extack))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
