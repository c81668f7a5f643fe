"""Strings of an exact length that still mean something: the edge values of length constraints,
and the values just across a pattern.

A boundary case needs, say, a role ARN of exactly 256 characters that is still a role ARN, or a
tag key of 128 characters ending in multibyte letters. `sized` gets there from any plausible
value by inserting or removing characters where the value's pattern and meaning allow it,
trying the end first so that the value keeps its prefix. `with_tail` and `off_pattern` make the
invalid ones: a valid value with a tail its pattern does not allow, or a bad first character.
"""
from __future__ import annotations

from typing import Callable

from hypothesis import strategies as st

# Multibyte first: the simplest example Hypothesis tries puts 2- and 3-byte UTF-8 characters at
# the limit. All are in the Basic Multilingual Plane, where Java's `String.length()` (what AWS
# counts) and Python's `len` agree.
FILLS = ("é", "中", "a", "0", "_", "-", " ", "A")
MULTIBYTE = ("é", "中")

# Printable ASCII, Latin letters beyond it, and a few CJK letters: what free text draws from.
# One `characters` strategy rather than a union: Hypothesis draws from a single interval set faster.
ALPHABET = st.characters(min_codepoint=0x20, max_codepoint=0x17F, exclude_categories=("Cc", "Cs"),
                         include_characters="".join(map(chr, range(0x4E00, 0x4E21))))

# Characters that break most AWS patterns where they stand, for off-pattern values.
OFF_PATTERN = ("!", "#", "%", " ", "é", "\u00a0", "~", "-", "0", "a", "/", ":")

# Tails that most patterns do not allow after a valid value: a space first (`my group` is not a
# Name), then a line terminator for patterns ending in Java's `.*`, which stops there.
TAILS = (" ", "!", "\n", "é", "#", "\u2028", "~")

Ok = Callable[[str], bool]


def sized(value: str, n: int, fill: str, ok: Ok) -> str | None:
    """`value` grown or cut to exactly `n` characters with `ok` still holding, or None."""
    if n < 0:
        return None
    for c in (fill, *(f for f in FILLS if f != fill)):
        out = _resize(value, n, c, ok)
        if out is not None:
            return out
    return None


def _resize(value: str, n: int, c: str, ok: Ok) -> str | None:
    k = n - len(value)
    if k == 0:
        return value if ok(value) else None
    if k > 0:
        for i in _positions(len(value)):
            candidate = value[:i] + c * k + value[i:]
            if ok(candidate):
                return candidate
        return None
    cut = -k
    for i in _positions(len(value) - cut):
        candidate = value[:i] + value[i + cut:]
        if ok(candidate):
            return candidate
    return None


def _positions(end: int, limit: int = 24):
    """Insertion points from the end backwards, then a few from the start: enough for every
    pattern in the Personalize model without an O(n²) search on long values."""
    seen = set()
    for i in list(range(end, max(-1, end - limit), -1)) + list(range(0, min(end, limit))):
        if i not in seen:
            seen.add(i)
            yield i


def shortest_sized(value: str, lo: int, hi: int, fill: str, ok: Ok, tries: int = 32) -> str | None:
    """The shortest length in [lo, hi] `value` can be brought to with `ok` holding."""
    for n in range(lo, min(hi, lo + tries) + 1):
        out = sized(value, n, fill, ok)
        if out is not None:
            return out
    return None


def with_tail(value: str, first: str, lo: int, hi: int, ok: Ok) -> str | None:
    """`value` (or as much of its start as fits) followed by one tail character, `first` tried
    first, within [lo, hi] characters and with `ok` holding; None when no tail does."""
    for tail in (first, *(t for t in TAILS if t != first)):
        for candidate in (value + tail, value[: max(hi - len(tail), 0)] + tail):
            if lo <= len(candidate) <= hi and ok(candidate):
                return candidate
    return None


def off_pattern(value: str, bad: str, lo: int, hi: int, breaks: Ok) -> str | None:
    """A value within [lo, hi] characters that `breaks` holds for, made from `value` by putting
    one bad character where patterns look first."""
    candidates = []
    if value:
        candidates += [bad + value[1:], value[:-1] + bad, bad + value]
    candidates += [bad, bad * max(lo, 1), value + bad]
    for c in candidates:
        if len(c) > hi:
            c = c[:hi] if c.startswith(bad) else c[len(c) - hi:]
        if lo <= len(c) <= hi and breaks(c):
            return c
    return None
