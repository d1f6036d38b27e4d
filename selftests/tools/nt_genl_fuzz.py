#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A generic netlink fuzzer driven by a family's own policy.

  nt_genl_fuzz.py FAMILY [--seed S] [--count N] [--seconds T]
                  [--faults PERMILLE]

Asks the kernel for FAMILY's operations and attribute policies
(CTRL_CMD_GETFAMILY, CTRL_CMD_GETPOLICY), then sends up to N requests
(default 2000) for at most T seconds (default 60), each a random
operation, as a request or a dump, with a random attribute tree built
from the policy: values in range, at the bounds, just past them and
anywhere; strings and binaries of every length from empty to past the
maximum; attributes repeated, unknown, truncated, with lengths that lie;
nests too deep, nests of garbage; headers cut short. With --faults, that
many requests per thousand are sent with a random one of the first
allocations failing (/proc/thread-self/fail-nth, a debug kernel).

The same seed sends the same requests: the seed is printed first, and a
failing run is replayed with it. Prints a summary of the answers by errno
and exits 0 unless the family cannot be found or the kernel stops
answering. Whether the kernel survived, leaked or reported is for the VM
runner to see (KASAN, lockdep, kmemleak).
"""
import argparse
import errno
import os
import random
import select
import socket
import struct
import sys
import time

NETLINK_GENERIC = 16
GENL_ID_CTRL = 0x10
CTRL_CMD_GETFAMILY, CTRL_CMD_GETPOLICY = 3, 10
CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME = 1, 2
CTRL_ATTR_OPS, CTRL_ATTR_POLICY, CTRL_ATTR_OP_POLICY = 6, 8, 9
CTRL_ATTR_OP_ID, CTRL_ATTR_OP_FLAGS = 1, 2
CTRL_ATTR_POLICY_DO, CTRL_ATTR_POLICY_DUMP = 1, 2
NLM_F_REQUEST, NLM_F_ACK, NLM_F_DUMP = 1, 4, 0x300
NLMSG_ERROR, NLMSG_DONE = 2, 3
SOL_NETLINK, NETLINK_CAP_ACK, NETLINK_EXT_ACK = 270, 10, 11
NLA_F_NESTED = 0x8000
# NL_POLICY_TYPE_ATTR_*
PT_TYPE, PT_MIN_S, PT_MAX_S, PT_MIN_U, PT_MAX_U = 1, 2, 3, 4, 5
PT_MIN_LEN, PT_MAX_LEN, PT_POLICY_IDX, PT_MAXTYPE, PT_BF32, PT_MASK = \
    6, 7, 8, 9, 10, 12
# NL_ATTR_TYPE_*
(T_FLAG, T_U8, T_U16, T_U32, T_U64, T_S8, T_S16, T_S32, T_S64, T_BINARY,
 T_STRING, T_NUL_STRING, T_NESTED, T_NESTED_ARRAY, T_BF32) = range(1, 16)
INT_SIZE = {T_U8: 1, T_U16: 2, T_U32: 4, T_U64: 8,
            T_S8: 1, T_S16: 2, T_S32: 4, T_S64: 8}
INT_FMT = {1: "B", 2: "H", 4: "I", 8: "Q"}


def attr(t, payload):
    n = 4 + len(payload)
    return struct.pack("=HH", n & 0xffff, t) + payload + \
        b"\0" * ((4 - n % 4) % 4)


def attrs(buf, off=0):
    """(type, payload) of each attribute of buf from off."""
    out = []
    while off + 4 <= len(buf):
        n, t = struct.unpack_from("=HH", buf, off)
        if n < 4 or off + n > len(buf):
            break
        out.append((t & 0x3fff, buf[off + 4:off + n]))
        off += (n + 3) & ~3
    return out


class Sock:
    def __init__(self):
        self.s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW,
                               NETLINK_GENERIC)
        self.s.setsockopt(SOL_NETLINK, NETLINK_CAP_ACK, 1)
        self.s.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
        self.s.bind((0, 0))
        self.seq = 0

    def send(self, raw):
        try:
            self.s.send(raw)
            return 0
        except OSError as e:
            return -e.errno

    def replies(self, seq, timeout=10.0):
        """Messages answering seq, until its ACK, error or DONE."""
        out = []
        end = time.monotonic() + timeout
        while True:
            left = end - time.monotonic()
            if left <= 0 or not select.select([self.s], [], [], left)[0]:
                raise TimeoutError("no answer to request %d" % seq)
            try:
                buf = self.s.recv(1 << 20)
            except OSError as e:
                return out, -e.errno    # e.g. ENOBUFS: an answer was lost
            off = 0
            while off + 16 <= len(buf):
                n, typ, flags, sq, _ = struct.unpack_from("=IHHII", buf, off)
                if n < 16:
                    break
                msg = buf[off:off + n]
                off += (n + 3) & ~3
                if sq != seq:
                    continue
                if typ == NLMSG_ERROR:
                    return out, struct.unpack_from("=i", msg, 16)[0]
                if typ == NLMSG_DONE:
                    err = struct.unpack_from("=i", msg, 16)[0] \
                        if len(msg) >= 20 else 0
                    return out, err
                out.append(msg)

    def talk(self, fam, cmd, payload, flags=NLM_F_ACK):
        self.seq += 1
        hdr = struct.pack("=IHHII", 20 + len(payload), fam,
                          NLM_F_REQUEST | flags, self.seq, 0)
        err = self.send(hdr + struct.pack("=BBH", cmd, 1, 0) + payload)
        if err:
            return [], err
        return self.replies(self.seq)


def family(sk, name):
    """(id, [(op, flags)], {op: (do_idx, dump_idx)}, {idx: {type: desc}})"""
    msgs, err = sk.talk(GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
                        attr(CTRL_ATTR_FAMILY_NAME, name.encode() + b"\0"))
    if err or not msgs:
        sys.exit("nt_genl_fuzz: no family %s: %s" %
                 (name, os.strerror(-err) if err else "no answer"))
    fid, ops = None, []
    for t, p in attrs(msgs[0], 20):
        if t == CTRL_ATTR_FAMILY_ID:
            fid = struct.unpack("=H", p[:2])[0]
        elif t == CTRL_ATTR_OPS:
            for _, o in attrs(p):
                d = dict(attrs(o))
                ops.append((struct.unpack("=I", d[CTRL_ATTR_OP_ID])[0],
                            struct.unpack("=I", d.get(CTRL_ATTR_OP_FLAGS,
                                                      b"\0" * 4))[0]))
    msgs, err = sk.talk(GENL_ID_CTRL, CTRL_CMD_GETPOLICY,
                        attr(CTRL_ATTR_FAMILY_ID, struct.pack("=H", fid)),
                        NLM_F_ACK | NLM_F_DUMP)
    if err:
        sys.exit("nt_genl_fuzz: no policy for %s: %s" %
                 (name, os.strerror(-err)))
    pols, oppol = {}, {}
    for m in msgs:
        for t, p in attrs(m, 20):
            if t == CTRL_ATTR_POLICY:
                for idx, per in attrs(p):
                    for at, desc in attrs(per):
                        d = {}
                        for k, v in attrs(desc):
                            d[k] = int.from_bytes(
                                v, "little",
                                signed=k in (PT_MIN_S, PT_MAX_S))
                        pols.setdefault(idx, {})[at] = d
            elif t == CTRL_ATTR_OP_POLICY:
                for op, per in attrs(p):
                    d = dict(attrs(per))
                    oppol[op] = tuple(
                        struct.unpack("=I", d[k])[0] if k in d else None
                        for k in (CTRL_ATTR_POLICY_DO,
                                  CTRL_ATTR_POLICY_DUMP))
    return fid, ops, oppol, pols


class Gen:
    def __init__(self, rnd, pols):
        self.r = rnd
        self.pols = pols

    def num(self, d, size, signed):
        r = self.r
        bits = size * 8
        lo = d.get(PT_MIN_S, d.get(PT_MIN_U,
                   -(1 << (bits - 1)) if signed else 0))
        hi = d.get(PT_MAX_S, d.get(PT_MAX_U,
                   (1 << (bits - 1)) - 1 if signed else (1 << bits) - 1))
        choice = r.random()
        if choice < 0.45:
            v = r.randint(lo, hi) if r.random() < 0.5 else \
                r.randint(lo, min(hi, lo + 16))
        elif choice < 0.75:
            v = r.choice([lo, hi, lo - 1, hi + 1, 0, 1])
        else:
            v = r.getrandbits(bits)
        return (v % (1 << bits)).to_bytes(size, "little")

    def blob(self, d, text):
        r = self.r
        lo, hi = d.get(PT_MIN_LEN, 0), d.get(PT_MAX_LEN, 64)
        n = r.choice([0, 1, lo, max(lo - 1, 0), hi, hi + 1, hi + 17,
                      r.randint(0, hi + 8), r.randint(0, 600)])
        if text and r.random() < 0.6:
            s = r.choice([b"nt0", b"nt1", b"default", b"wan", b"lo",
                          b"eth0", b"x" * n, b"nt%d" % r.randint(0, 9)])
            return s[:max(n, 1)] + (b"\0" if r.random() < 0.8 else b"")
        return bytes(r.getrandbits(8) for _ in range(n))

    def value(self, d, depth):
        r = self.r
        t = d.get(PT_TYPE, T_BINARY)
        if r.random() < 0.04:     # a value of the wrong size
            return bytes(r.getrandbits(8) for _ in range(r.randint(0, 12)))
        if t == T_FLAG:
            return b"" if r.random() < 0.9 else b"\1\2\3\4"
        if t in INT_SIZE:
            return self.num(d, INT_SIZE[t], t >= T_S8)
        if t in (T_STRING, T_NUL_STRING):
            return self.blob(d, True)
        if t == T_BF32:
            return struct.pack("=II", r.getrandbits(32), r.getrandbits(32))
        if t == T_NESTED:
            return self.tree(d.get(PT_POLICY_IDX), depth + 1)
        if t == T_NESTED_ARRAY:
            return b"".join(attr(i, self.tree(d.get(PT_POLICY_IDX),
                                              depth + 1))
                            for i in range(r.randint(0, 4)))
        return self.blob(d, False)

    def tree(self, idx, depth=0):
        """A random attribute tree of policy idx."""
        r = self.r
        pol = self.pols.get(idx, {}) if idx is not None else {}
        if depth > 6 or r.random() < 0.03:
            # too deep: a nest of nests of whatever
            inner = b""
            for _ in range(r.randint(1, 40)):
                inner = attr(r.randint(1, 8) | NLA_F_NESTED, inner)
            return inner
        out = b""
        types = list(pol)
        for _ in range(r.randint(0, max(3, len(types) + 2))):
            if types and r.random() < 0.9:
                t = r.choice(types)
                v = self.value(pol[t], depth)
            else:   # an unknown attribute, or type 0
                t = r.choice([0, len(types) + 1, r.randint(1, 0x3fff)])
                v = bytes(r.getrandbits(8) for _ in range(r.randint(0, 8)))
            if r.random() < 0.3 and pol.get(t, {}).get(PT_TYPE) in \
                    (T_NESTED, T_NESTED_ARRAY):
                t |= NLA_F_NESTED
            a = attr(t, v)
            if r.random() < 0.02:          # a length that lies
                a = struct.pack("=HH", r.randint(0, 0xffff), t) + a[4:]
            out += a
            if r.random() < 0.05:          # repeated
                out += a
        if out and r.random() < 0.03:      # cut short
            out = out[:r.randint(0, len(out) - 1)]
        return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("family")
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--count", type=int, default=2000)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--faults", type=int, default=0)
    a = ap.parse_args()
    seed = a.seed if a.seed is not None else \
        int.from_bytes(os.urandom(4), "little")
    print("nt_genl_fuzz: %s seed %d" % (a.family, seed), flush=True)
    rnd = random.Random(seed)
    sk = Sock()
    fid, ops, oppol, pols = family(sk, a.family)
    gen = Gen(rnd, pols)
    socks = [sk, Sock(), Sock()]
    answers = {}
    faults = injected = 0
    end = time.monotonic() + a.seconds
    n = 0
    while n < a.count and time.monotonic() < end:
        n += 1
        op, _ = rnd.choice(ops)
        # A dump-only operation's policy comes keyed 0 from 6.1's
        # controller; a family-wide policy is index 0 anyway.
        do_idx, dump_idx = oppol.get(op, (0, 0))
        dump = rnd.random() < 0.2
        idx = dump_idx if dump else do_idx
        payload = gen.tree(idx)
        flags = NLM_F_REQUEST | NLM_F_ACK | (NLM_F_DUMP if dump else 0)
        hdrlen = 20
        if rnd.random() < 0.01:            # a header cut short
            hdrlen = rnd.randint(16, 19)
        s = rnd.choice(socks)
        s.seq += 1
        msg = struct.pack("=IHHII", hdrlen + len(payload), fid, flags,
                          s.seq, 0) + \
            struct.pack("=BBH", op if rnd.random() < 0.97 else
                        rnd.randint(0, 255), 1, 0)[:hdrlen - 16] + payload
        nth = 0
        if a.faults and rnd.randint(1, 1000) <= a.faults:
            # most requests make a few allocations before they are
            # refused: aim at those more often than at the far ones
            nth = rnd.randint(1, 8 if rnd.random() < 0.7 else 40)
            faults += 1
        fd = None
        if nth:
            fd = os.open("/proc/thread-self/fail-nth", os.O_RDWR)
            os.write(fd, b"%d" % nth)
        err = s.send(msg)
        if nth:
            left = os.pread(fd, 16, 0).strip()
            os.write(fd, b"0")
            os.close(fd)
            injected += left == b"0"
        if not err:
            try:
                _, err = s.replies(s.seq)
            except TimeoutError as e:
                print("nt_genl_fuzz: %s (op %d, seed %d, request %d)" %
                      (e, op, seed, n), flush=True)
                return 1
        name = errno.errorcode.get(-err, str(err)) if err else "ok"
        answers[name] = answers.get(name, 0) + 1
    print("nt_genl_fuzz: %s: %d requests, %d under fault injection "
          "(%d reached the fault); answers: %s" %
          (a.family, n, faults, injected,
           " ".join("%s %d" % kv for kv in sorted(answers.items()))),
          flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
