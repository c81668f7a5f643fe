"""Telling 'the target lacks this operation' apart from 'the target gets it wrong'."""
from __future__ import annotations

import re

from .errorcode import THROTTLING, error_code
from .findings import UNAVAILABLE, Verdict, not_implemented
from .registry import check

_MARKERS = re.compile(rb"not (been )?implemented|NotImplemented", re.IGNORECASE)
_UNKNOWN = frozenset({"UnknownOperationException", "InvalidAction", "NotImplemented",
                      "NotImplementedException"})


def looks_unimplemented(case, response) -> str | None:
    """Why this response says the operation is missing, or None."""
    if any(name.lower() == "x-amz-target" for name in case.headers):
        return None  # the case names another operation on purpose: its answer says nothing of this one
    if response.status in (500, 501) and _MARKERS.search(response.body[:4096]):
        return f"HTTP {response.status}: {response.body[:160].decode('utf-8', 'replace')}"
    if response.status == 501:
        return "HTTP 501"
    code = error_code(response.headers, response.body)
    if code in _UNKNOWN and case.family in ("valid", "boundary", "lifecycle"):
        return f"{code} for an operation the spec defines"
    return None


@check("target.not-implemented", source="Spec: the operation exists; a target lacking it is reported apart")
def unimplemented(case, response, ctx):
    reason = looks_unimplemented(case, response)
    if reason:
        yield not_implemented(reason)


@check("target.throttled", source="AWS JSON 1.1 protocol: throttling is the target's load, never non-conformance")
def throttled(case, response, ctx):
    code = error_code(response.headers, response.body)
    if response.status == 429 or code in THROTTLING or (response.status == 503 and code is None):
        yield Verdict(UNAVAILABLE, f"throttled: HTTP {response.status} {code or ''}".strip())
