"""A case rebuilt from what a report or a HAR file kept of it, exactly as it was sent.

results.json keeps each case as `Case.to_dict()` with redacted headers (and `body_b64` when the
body is not UTF-8); a HAR file written by a run keeps the same fields beside each entry. Both
come back through `rebuild`, so replay and HAR validation judge the case the run judged: same
bytes, same header overrides, same family and expectation.
"""
from __future__ import annotations

import base64
import dataclasses
import json

from personalize_conformance.errors import ConformanceError

REDACTED = "<redacted>"
PARAMS_ELIDED = "(see body)"  # what Case.to_dict keeps for params of a large body


class CaseError(ConformanceError, ValueError):
    """An entry that does not describe a case."""


def _body(entry: dict, body: bytes | None) -> bytes:
    if body is not None:
        return body
    if isinstance(entry.get("body_b64"), str):
        try:
            return base64.b64decode(entry["body_b64"], validate=True)
        except ValueError:
            raise CaseError(f"case {entry.get('case_id')!r}: body_b64 is not base64") from None
    value = entry.get("body")
    return value.encode("utf-8") if isinstance(value, str) else b""


def _params(entry: dict, body: bytes):
    params = entry.get("params")
    if params != PARAMS_ELIDED:
        return params
    try:
        return json.loads(body.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return None


def rebuild(entry: dict, body: bytes | None = None):
    """(Case, notes) from a case entry; `body` overrides the entry's own (a HAR's postData)."""
    from personalize_conformance.strategies import Case
    operation = entry.get("operation")
    if not isinstance(operation, str) or not operation:
        raise CaseError(f"case {entry.get('case_id')!r} names no operation")
    raw = _body(entry, body)
    notes, headers = [], {}
    overrides = entry.get("headers") if isinstance(entry.get("headers"), dict) else {}
    for name, value in overrides.items():
        if value == REDACTED:
            notes.append(f"header {name} was redacted in the record: the target's signing supplies it")
            continue
        headers[str(name)] = None if value is None else str(value)
    accepted = {f.name for f in dataclasses.fields(Case)}
    extra = {k: entry[k] for k in ("family", "rule", "seed", "case_id", "expect", "note", "evidence_level")
             if k in accepted and entry.get(k) is not None}
    if "covers" in accepted and isinstance(entry.get("covers"), list):
        extra["covers"] = tuple(str(c) for c in entry["covers"])
    return Case(operation=operation, body=raw, params=_params(entry, raw), headers=headers, **extra), notes


def describe(case) -> dict:
    """The fields of a case a record keeps beside its bytes (its headers redacted)."""
    from personalize_conformance.targets import redact
    entry = case.to_dict()
    entry.pop("body", None)
    entry["headers"] = redact(entry.get("headers") or {})
    return entry
