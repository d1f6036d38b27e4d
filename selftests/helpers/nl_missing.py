#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Requests that lack a required attribute (ntctl never sends one), for
nl_errors.sh: every family reports it one way (NT_NL_MISSING), EINVAL
with the missing attribute's type and a message that names it.

  nl_missing.py DEV    (DEV: an nttun device of this namespace)

One line per request: "ok FAMILY CMD: ATTR: MESSAGE", or "bad FAMILY CMD:"
and what was wrong. Constants are those of the UAPI headers.
"""
import errno
import socket
import struct
import sys

import uapi
from genl import Genl, attr, nest


def u8(v):
    return bytes([v])


def cases(dev):
    ifname = attr(uapi.NT_TUN_A_IFNAME, dev.encode() + b"\0")
    rule_hook = attr(uapi.NT_POL_RULE_A_HOOK, u8(uapi.NT_POL_HOOK_INPUT))
    return [
        ("nt_cc", "PROFILE_DEL", uapi.NT_CC_CMD_PROFILE_DEL, b"",
         "NT_CC_A_PROFILE_NAME"),
        ("nt_cc", "ROUTE_NEW", uapi.NT_CC_CMD_ROUTE_NEW,
         attr(uapi.NT_CC_A_ROUTE_FAMILY, struct.pack("=H", socket.AF_INET)) +
         attr(uapi.NT_CC_A_ROUTE_ADDR, bytes(4)),
         "NT_CC_A_ROUTE_CIDR"),
        ("nt_policy", "RULE_DEL", uapi.NT_POL_CMD_RULE_DEL, b"",
         "NT_POL_A_RULE"),
        ("nt_policy", "RULE_ADD", uapi.NT_POL_CMD_RULE_ADD,
         nest(uapi.NT_POL_A_RULE, rule_hook), "NT_POL_RULE_A_ACTION"),
        ("nt_policy", "HOOK_SET", uapi.NT_POL_CMD_HOOK_SET,
         nest(uapi.NT_POL_A_HOOK,
              attr(uapi.NT_POL_HOOK_A_POLICY, u8(0))), "NT_POL_HOOK_A_HOOK"),
        ("nt_tun", "DEV_GET", uapi.NT_TUN_CMD_DEV_GET, b"",
         "NT_TUN_A_IFINDEX"),
        ("nt_tun", "PEER_DEL", uapi.NT_TUN_CMD_PEER_DEL, ifname,
         "NT_TUN_A_PEER"),
        ("nt_tun", "PEER_NEW", uapi.NT_TUN_CMD_PEER_NEW,
         ifname + nest(uapi.NT_TUN_A_PEER,
                       attr(uapi.NT_TUN_PEER_A_ID, struct.pack("=I", 7))),
         "NT_TUN_PEER_A_ENDPOINT"),
    ]


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    fams = {}
    for fam, name, cmd, payload, want in cases(sys.argv[1]):
        g = fams.setdefault(fam, Genl(fam))
        e = g.cmd(cmd, payload)
        what = "%s %s" % (fam, name)
        if e != -errno.EINVAL:
            print("bad %s: errno %s, not EINVAL" % (what, e))
        elif g.miss_type != getattr(uapi, want):
            print("bad %s: missing type %s, not %s (%d)" %
                  (what, g.miss_type, want, getattr(uapi, want)))
        elif not g.extack:
            print("bad %s: no message" % what)
        else:
            print("ok %s: %s: %s" % (what, want, g.extack))


if __name__ == "__main__":
    main()
