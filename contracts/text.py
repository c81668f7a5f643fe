"""Documentation text as the contracts quote it: markup stripped, entities decoded, spaces folded.

The spec's operation descriptions are HTML fragments (`&gt;` for `>`, `<p>` around sentences).
Citations in the contract data are plain phrases; both sides go through `plain()` before a
phrase is looked up, so a citation survives re-wrapping of the documentation but not a change
of its words.
"""
from __future__ import annotations

import html
import re

_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


def plain(text: str | None) -> str:
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", text or ""))).strip()


def member_doc(schema: dict | None, path: str) -> str:
    """The documentation of a member of an inlined request or response schema, by dotted path,
    as plain text. A list is entered transparently (`campaigns.status` reads the item's member)."""
    return plain(member_raw(schema, path))


def contains(text: str, phrase: str) -> bool:
    return plain(phrase) in plain(text)


def member_raw(schema: dict | None, path: str) -> str:
    """Like `member_doc`, with the documentation's markup kept (for chain extraction)."""
    node = schema or {}
    for part in path.split("."):
        while node.get("type") == "array":
            node = node.get("items", {})
        node = node.get("properties", {}).get(part)
        if node is None:
            return ""
    return node.get("description", "")
