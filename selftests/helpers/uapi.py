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
    expr = re.sub(r"\b(0[xX][0-9a-fA-F]+|[0-9]+)[uUlL]*\b", r"\1", expr.strip())
    if not re.fullmatch(r"[A-Za-z0-9_ ()+\-<|]*", expr):
        raise ValueError(expr)
    for n in set(re.findall(r"\b[A-Za-z_][A-Za-z0-9_]*\b", expr)):
        if n not in names and not re.fullmatch(r"0[xX][0-9a-fA-F]+", n):
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
                    try:
                        nxt = _value(expr, names)
                    except (KeyError, ValueError, SyntaxError):
                        break   # an enum this reader cannot follow
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
