# SPDX-License-Identifier: GPL-2.0
"""ntkit's netlink numbers, read from the UAPI headers (uapi/linux/*.h).

The helpers take a family's commands and attributes from here instead of
writing them again: uapi.NT_POL_RULE_A_HOOK is what the header says.
Enumerators (implicit or explicit values) and numeric #defines are read;
an expression such as (__NT_TUN_A_MAX - 1) is evaluated from names
already read.
"""
import os
import re

_HERE = os.path.dirname(os.path.abspath(__file__))
_UAPI = os.path.join(_HERE, "..", "..", "uapi", "linux")
_NAME = re.compile(r"^[A-Z_][A-Z0-9_]*$")


def _value(expr, names):
    expr = expr.strip()
    if not re.fullmatch(r"[A-Za-z0-9_ ()+\-<|x]*", expr):
        raise ValueError(expr)
    for n in sorted(set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", expr)),
                    key=len, reverse=True):
        if n not in names:
            raise KeyError(n)
    return eval(expr, {"__builtins__": {}}, dict(names))


def _load():
    names = {}
    for f in sorted(os.listdir(_UAPI)):
        if not f.endswith(".h"):
            continue
        text = open(os.path.join(_UAPI, f)).read()
        text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
        for body in re.findall(r"enum\s*\w*\s*\{(.*?)\}", text, flags=re.S):
            nxt = 0
            for item in body.split(","):
                item = item.strip()
                if not item:
                    continue
                name, _, expr = item.partition("=")
                name = name.strip()
                if expr:
                    nxt = _value(expr, names)
                names[name] = nxt
                nxt += 1
        for name, expr in re.findall(r"^#define[ \t]+(\w+)[ \t]+(.+)$", text,
                                     flags=re.M):
            try:
                names[name] = _value(expr, names)
            except (KeyError, ValueError, SyntaxError):
                pass    # strings, macros with arguments
    return names


globals().update({k: v for k, v in _load().items() if _NAME.match(k)})
