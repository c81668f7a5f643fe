"""AWS patterns: matched the way AWS matches them, and made generable by Hypothesis.

AWS patterns are Java regular expressions applied with `Matcher.lookingAt`: anchored at the start
only, `\\d` meaning ASCII digits, `\\p{..}` classes. `accepts` is that rule (what a target must
take); `plausible` additionally asks the whole string to match, which is what a real client sends.
Hypothesis's `from_regex` speaks Python `re`, so `generable` rewrites each `\\p{..}` class into a
subset of itself Python can spell, keeping multibyte letters in, so every generated string still
matches the original pattern.
"""
from __future__ import annotations

import re
from functools import lru_cache

import regex

_CLASSES = {
    r"\p{L}": "a-zA-Z\u00c0-\u00d6\u00d8-\u00f6\u0100-\u017f\u4e00-\u4e20",
    r"\p{N}": "0-9",
    r"\p{Z}": " ",
    r"\p{ASCII}": "\\x20-\\x7e",
}


def java(pattern: str) -> str:
    """`\\d` as Java reads it: `[0-9]`, not every Unicode digit."""
    out: list[str] = []
    in_class = False
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern):
            nxt = pattern[i + 1]
            out.append(("0-9" if in_class else "[0-9]") if nxt == "d" else ch + nxt)
            i += 2
            continue
        if ch == "[" and not in_class:
            in_class = True
        elif ch == "]" and in_class:
            in_class = False
        out.append(ch)
        i += 1
    return "".join(out)


@lru_cache(maxsize=None)
def compiled(pattern: str) -> regex.Pattern:
    return regex.compile(java(pattern))


def accepts(pattern: str | None, value: str) -> bool:
    """AWS's rule: the pattern matches at the start of the value."""
    return pattern is None or compiled(pattern).match(value) is not None


def plausible(pattern: str | None, value: str) -> bool:
    """The pattern matches the whole value: what a well-behaved client sends."""
    return pattern is None or compiled(pattern).fullmatch(value) is not None


@lru_cache(maxsize=None)
def generable(pattern: str) -> str:
    """A Python-`re` pattern whose full matches all match `pattern` in full."""
    out = java(pattern)
    for cls, subset in _CLASSES.items():
        inside = re.escape(cls)
        # inside a character class the subset joins it; outside it becomes a class of its own
        out = re.sub(rf"(\[[^\]]*?){inside}", lambda m: m.group(1) + subset, out)
        out = out.replace(cls, f"[{subset}]")
    if out.startswith("^"):
        out = out[1:]
    if out.endswith("$") and not out.endswith("\\$"):
        out = out[:-1]
    return out


@lru_cache(maxsize=None)
def capped(pattern: str, limit: int) -> str:
    """`generable(pattern)` with bounded repetitions longer than `limit` cut to it: valid values
    need not be long (boundary cases take lengths to the edge), and long draws are slow."""
    def cut(m: re.Match) -> str:
        lo, hi = int(m.group(1)), int(m.group(2))
        return "{%d,%d}" % (lo, max(lo, min(hi, limit)))
    return re.sub(r"\{(\d+),(\d+)\}", cut, generable(pattern))


@lru_cache(maxsize=None)
def start_anchored_only(pattern: str) -> bool:
    """Whether the pattern leaves the end of the value free (no trailing `$`)."""
    return not (pattern.endswith("$") and not pattern.endswith("\\$"))
