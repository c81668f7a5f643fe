"""AWS patterns: matched the way AWS matches them, and made generable by Hypothesis.

AWS patterns are Java regular expressions checked against the whole value (`Matcher.matches()`),
although the model writes only a leading `^`; `\\d` means ASCII digits and `\\p{..}` classes are
allowed. `accepts` is that rule, from the patch layer (`specs.patches.aws_pattern`), the one place
the harness reads a pattern. `prefix_only` names the values a prefix reading would take and AWS
refuses: what the invalid family sends. Hypothesis's `from_regex` speaks Python `re`, so
`generable` rewrites each `\\p{..}` class into a subset of itself Python can spell, keeping
multibyte letters in, so every generated string still matches the original pattern.
"""
from __future__ import annotations

import re
from functools import lru_cache

import regex

from personalize_conformance.specs.patches import JAVA_DOT, aws_pattern, java_regex

_CLASSES = {
    r"\p{L}": "a-zA-Z\u00c0-\u00d6\u00d8-\u00f6\u0100-\u017f\u4e00-\u4e20",
    r"\p{N}": "0-9",
    r"\p{Z}": " ",
    r"\p{ASCII}": "\\x20-\\x7e",
}

java = java_regex


def compiled(pattern: str) -> regex.Pattern:
    """The whole-value matcher AWS applies (anchored at both ends)."""
    return aws_pattern(pattern)


def accepts(pattern: str | None, value: str) -> bool:
    """AWS's rule: the pattern matches the whole value."""
    return pattern is None or aws_pattern(pattern).match(value) is not None


# Valid values are whole matches: "plausible" and "accepted" are now the same thing.
plausible = accepts


@lru_cache(maxsize=None)
def _prefix(pattern: str) -> regex.Pattern:
    return regex.compile(java_regex(pattern))


def prefix_only(pattern: str | None, value: str) -> bool:
    """The pattern matches a prefix of the value (read from its start, as `lookingAt` would) but
    not the whole of it: a target that checks prefixes takes it, AWS does not."""
    if pattern is None or accepts(pattern, value):
        return False
    return _prefix(pattern).match(value) is not None


@lru_cache(maxsize=None)
def generable(pattern: str) -> str:
    """A Python-`re` pattern whose full matches all match `pattern` in full. (Java's `.` is
    spelled back as `.`: the alphabet strings are drawn from holds no line terminator.)"""
    out = java(pattern).replace(JAVA_DOT, ".")
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
