"""Raw exchanges (what went out and came back) and their normalised form.

Recording and replaying both end here, so a target's answers are normalised the same way on
either side: a fresh `normalise.personalize()` bundle per scenario, request before response,
exchange after exchange, timestamps ranked within the object that holds them.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

from personalize_conformance.checks.errorcode import error_code

from . import normalise
from .snapshot import Exchange


@dataclass
class Raw:
    operation: str
    params: dict
    status: int | None
    error: str | None
    content_type: str | None
    body: dict | None
    poll: dict | None = None


def raw_from_response(operation: str, params: dict, response) -> Raw:
    """One target answer (a `targets.WireResponse`, or None for no answer) as a raw exchange."""
    if response is None:
        return Raw(operation, params, None, None, None, None)
    content_type = (response.headers.get("content-type") or "").split(";")[0].strip() or None
    body = None
    if 200 <= response.status < 300:
        try:
            parsed = json.loads(response.body.decode("utf-8") or "{}")
            body = parsed if isinstance(parsed, dict) else {"(not an object)": type(parsed).__name__}
        except (UnicodeDecodeError, ValueError):
            body = {"(not JSON)": response.body[:80].decode("utf-8", "replace")}
        code = None
    else:
        code = error_code(response.headers, response.body) or f"HTTP {response.status}"
    return Raw(operation, params, response.status, code, content_type, body)


def normalised(raws: list[Raw]) -> list[Exchange]:
    bundle = normalise.personalize()
    staged = []
    for raw in raws:
        request = bundle.apply(raw.params)
        body = _own_items(raw.operation, raw.body, bundle.refs) if raw.body is not None else None
        response = bundle.apply(body) if body is not None else None
        staged.append(Exchange(operation=raw.operation, request=request, status=raw.status, error=raw.error,
                               content_type=raw.content_type, response=response, poll=raw.poll))
    return staged


def collapse(statuses: list) -> list:
    """Statuses as walked, without the repeats of one state across polls."""
    out: list = []
    for s in statuses:
        if not out or out[-1] != s:
            out.append(s)
    return out


def _own_items(operation: str, body: dict, refs: normalise.References) -> dict:
    """A List's items limited to what the scenario itself made or named: on a real account a
    List also shows what others made, which no two runs share."""
    if not operation.startswith("List"):
        return body

    def own(item) -> bool:
        arns = [v for v in (item.values() if isinstance(item, dict) else ())
                if isinstance(v, str) and v.startswith("arn:aws:personalize:") and v.split(":")[4:5] != [""]]
        return all(a in refs.by_value for a in arns)

    return {k: ([i for i in v if own(i)] if isinstance(v, list) else v) for k, v in body.items()}
