"""AWS patterns, made generable by Hypothesis's `from_regex` (which speaks Python `re`).

Each `\\p{..}` class becomes a subset of itself that Python can spell, with multibyte letters kept
in, so every generated string still matches the original pattern under `regex.match`.
"""
from __future__ import annotations

import re
from functools import lru_cache

_CLASSES = {
    r"\p{L}": "a-zA-Z\u00c0-\u00d6\u00d8-\u00f6\u0100-\u017f\u4e00-\u4e20",
    r"\p{N}": "0-9",
    r"\p{Z}": " ",
    r"\p{ASCII}": "\\x20-\\x7e",
}


@lru_cache(maxsize=None)
def generable(pattern: str) -> str:
    """A Python-`re` pattern whose full matches all match `pattern` at the start."""
    out = pattern
    for cls, subset in _CLASSES.items():
        inside = re.escape(cls)
        # inside a character class the subset joins it; outside it becomes a class of its own
        out = re.sub(rf"(\[[^\]]*?){inside}", lambda m: m.group(1) + subset, out)
        out = out.replace(cls, f"[{subset}]")
    return out.lstrip("^").rstrip("$") if not out.endswith("\\$") else out.lstrip("^")
