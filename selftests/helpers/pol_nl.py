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
import struct
import sys

import uapi
from genl import Genl, nest, attr

# nt_policy's numbers, from uapi/linux/nt_policy.h
CMD_RULE_ADD, CMD_BEGIN = uapi.NT_POL_CMD_RULE_ADD, uapi.NT_POL_CMD_BEGIN
A_RULE = uapi.NT_POL_A_RULE
RULE_A_HOOK, RULE_A_PROTO = uapi.NT_POL_RULE_A_HOOK, uapi.NT_POL_RULE_A_PROTO
RULE_A_DPORT_MIN = uapi.NT_POL_RULE_A_DPORT_MIN
RULE_A_ACTION = uapi.NT_POL_RULE_A_ACTION
RULE_A_SRC_LEN = uapi.NT_POL_RULE_A_SRC_LEN
RULE_A_DST_LEN = uapi.NT_POL_RULE_A_DST_LEN
HOOK_INPUT, ACT_DROP = uapi.NT_POL_HOOK_INPUT, uapi.NT_POL_ACT_DROP


def rule(extra=b""):
    return nest(A_RULE,
                extra +
                attr(RULE_A_HOOK, bytes([HOOK_INPUT])) +
                attr(RULE_A_PROTO, bytes([17])) +
                attr(RULE_A_DPORT_MIN, struct.pack("=H", 9999)) +
                attr(RULE_A_ACTION, bytes([ACT_DROP])))


def main():
    what = sys.argv[1] if len(sys.argv) > 1 else ""
    if what == "open-close":
        g = Genl("nt_policy")
        if g.cmd(CMD_BEGIN) != 0 or g.cmd(CMD_RULE_ADD, rule()) != 0:
            sys.exit("BEGIN/RULE_ADD failed")
        g.s.close()
        print("ok")
    elif what == "busy":
        a, b = Genl("nt_policy"), Genl("nt_policy")
        if a.cmd(CMD_BEGIN) != 0:
            sys.exit("first BEGIN failed")
        e = b.cmd(CMD_BEGIN)
        print(errno.errorcode.get(-e, str(e)) if e else "ok")
        a.s.close()
        b.s.close()
    elif what == "len-only" and sys.argv[2:] in (["src"], ["dst"]):
        g = Genl("nt_policy")
        a = RULE_A_SRC_LEN if sys.argv[2] == "src" else RULE_A_DST_LEN
        e = g.cmd(CMD_RULE_ADD, rule(attr(a, bytes([24]))))
        print("%s: %s" % (errno.errorcode.get(-e, str(e)) if e else "ok",
                          g.extack))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
