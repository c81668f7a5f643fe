"""Telling 'the target lacks this operation' apart from 'the target gets it wrong'.

Only an answer that says so is taken for a missing operation: an error code naming an unknown
operation, a 404 or 501 whose body says the operation is unknown or not implemented, or moto's
own exception text. Any other server error, an HTML page of a framework included, is a server
fault the checks judge: a target that fails every request must not pass for one that lacks them.
"""
from __future__ import annotations

import re

from .acceptance import request_level
from .errorcode import THROTTLING, error_code
from .findings import UNAVAILABLE, Verdict, not_implemented
from .registry import check

# Error codes that name an operation the service does not know.
UNKNOWN_CODES = frozenset({"UnknownOperationException", "UnknownOperation", "InvalidAction", "NotImplemented",
                           "NotImplementedException", "UnsupportedOperation", "UnsupportedOperationException"})
# moto answers an operation it lacks with this exception text (HTTP 500, text/plain).
MOTO_MARKER = re.compile(rb"NotImplementedError: The \w+ action has not been implemented")
# What a 404 or 501 body says when the route or operation is unknown.
UNKNOWN_WORDS = re.compile(rb"unknown operation|UnknownOperation|not (?:yet |been )?implemented|NotImplemented|"
                           rb"unsupported operation", re.IGNORECASE)
SCAN = 4096  # bytes of a body searched for the words
# Families whose requests are well formed: an unknown-operation code answers the operation itself,
# as it does to an invalid case breaking one member. A request broken as a whole (a header, the
# body's framing) may be refused by the front end with the same code before any operation is
# chosen: acceptance.negative judges that answer.
WELL_FORMED = ("valid", "boundary", "lifecycle")


def looks_unimplemented(case, response) -> str | None:
    """Why this response says the operation is missing, or None."""
    if any(name.lower() == "x-amz-target" for name in case.headers):
        return None  # the case names another operation on purpose: its answer says nothing of this one
    head = response.body[:SCAN]
    if response.status == 500 and MOTO_MARKER.search(head):
        return f"HTTP 500: {MOTO_MARKER.search(head).group(0).decode('utf-8', 'replace')}"
    if response.status in (404, 501) and UNKNOWN_WORDS.search(head):
        return f"HTTP {response.status}: {head[:160].decode('utf-8', 'replace')}"
    if response.status >= 400 and (case.family in WELL_FORMED or case.family == "invalid" and not request_level(case)):
        code = error_code(response.headers, response.body)
        if code in UNKNOWN_CODES:
            return f"{code} (HTTP {response.status}) for an operation the spec defines"
    return None


@check("target.not-implemented",
       source="Spec: the operation exists; a target answering that it does not know it is reported apart")
def unimplemented(case, response, ctx):
    reason = looks_unimplemented(case, response)
    if reason:
        yield not_implemented(reason)


@check("target.throttled", source="AWS JSON 1.1 protocol: throttling is the target's load, never non-conformance")
def throttled(case, response, ctx):
    code = error_code(response.headers, response.body)
    if response.status == 429 or code in THROTTLING or (response.status == 503 and code is None):
        yield Verdict(UNAVAILABLE, f"throttled: HTTP {response.status} {code or ''}".strip())
