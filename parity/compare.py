"""Comparing two normalised exchanges: what a client of either target would notice.

- the HTTP status and the error code a client sees;
- the content type of the answer;
- for a 2xx answer, the member sets and each value's JSON type, and the values themselves once
  normalised (references must match: identity across calls is kept), timestamps by type only,
  and list items as a set where the spec fixes no order;
- for a poll, the status the walk rested in, and that every status seen on the replay is one the
  record saw or one the lifecycle knows (polls may skip states; how many it took is not compared).

Known deviations are data (`deviations.yaml`): JSONPaths per operation, each with its reason,
applied only when the replayed target is not AWS.
"""
from __future__ import annotations

import json
import pathlib
from dataclasses import dataclass, field
from functools import lru_cache

import yaml

from personalize_conformance import contracts

from .normalise import TIME_MEMBERS
from .snapshot import Exchange

IDENTICAL, DIFFERENT, NOT_COMPARABLE = "identical", "different", "not comparable"


@dataclass
class Deviation:
    operation: str
    path: str
    reason: str


@lru_cache(maxsize=1)
def known_deviations() -> tuple[Deviation, ...]:
    data = yaml.safe_load((pathlib.Path(__file__).with_name("deviations.yaml")).read_text(encoding="utf-8")) or {}
    return tuple(Deviation(op, entry["path"], entry["reason"])
                 for op, entries in (data.get("deviations") or {}).items() for entry in entries or [])


@dataclass
class Verdict:
    operation: str
    index: int
    outcome: str
    differences: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # differences a known deviation covers

    def to_dict(self) -> dict:
        return {"operation": self.operation, "exchange": self.index + 1, "outcome": self.outcome,
                "differences": self.differences, "known_deviations": self.skipped}


def compare(index: int, recorded: Exchange, replayed, *, deviations=(), not_implemented: bool = False) -> Verdict:
    if isinstance(replayed, str):
        return Verdict(recorded.operation, index, NOT_COMPARABLE, [replayed])
    if not_implemented:
        return Verdict(recorded.operation, index, NOT_COMPARABLE,
                       [f"not implemented by the target ({replayed.error or replayed.status})"])
    if replayed.status is None:
        return Verdict(recorded.operation, index, NOT_COMPARABLE, ["the target gave no answer"])
    diffs: list[tuple[str, str]] = []
    if recorded.status != replayed.status:
        diffs.append(("$", f"HTTP status {recorded.status} → {replayed.status}"))
    if recorded.error != replayed.error:
        diffs.append(("$", f"error code {recorded.error} → {replayed.error}"))
    if recorded.content_type != replayed.content_type:
        diffs.append(("$.content_type", f"content type {recorded.content_type} → {replayed.content_type}"))
    if recorded.poll or replayed.poll:
        diffs.extend(_polls(recorded.poll or {}, replayed.poll or {}))
    if recorded.response is not None and replayed.response is not None:
        diffs.extend(_values(recorded.response, replayed.response, "$", recorded.operation))
    elif (recorded.response is None) != (replayed.response is None) and recorded.status == replayed.status:
        diffs.append(("$", "a body on one side only"))
    kept, skipped = [], []
    for path, text in diffs:
        dev = next((d for d in deviations if d.operation in (recorded.operation, "*") and _covers(d.path, path)), None)
        (skipped if dev else kept).append(f"{text}" + (f" (known: {dev.reason})" if dev else ""))
    return Verdict(recorded.operation, index, DIFFERENT if kept else IDENTICAL, kept, skipped)


def _covers(pattern: str, path: str) -> bool:
    """`$.a[*].b` covers `$.a[3].b` and everything under it."""
    import re
    rx = re.escape(pattern).replace(r"\[\*\]", r"\[\d+\]")
    return re.match(rx + r"(\.|\[|$)", path) is not None


def _type(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _values(a, b, path: str, operation: str):
    if _type(a) != _type(b):
        yield path, f"{path}: {_type(a)} → {_type(b)}" + (f" ({json.dumps(b)[:60]})" if b is None or _type(b) != "object" else "")
        return
    if isinstance(a, dict):
        for key in sorted(set(a) - set(b)):
            yield f"{path}.{key}", f"{path}.{key}: missing"
        for key in sorted(set(b) - set(a)):
            yield f"{path}.{key}", f"{path}.{key}: not in the record ({json.dumps(b[key])[:60]})"
        for key in sorted(set(a) & set(b)):
            if key.endswith(TIME_MEMBERS):  # a time keeps its type; its value is the run's own
                if _type(a[key]) != _type(b[key]):
                    yield f"{path}.{key}", f"{path}.{key}: {_type(a[key])} → {_type(b[key])}"
                continue
            yield from _values(a[key], b[key], f"{path}.{key}", operation)
        return
    if isinstance(a, list):
        if len(a) != len(b):
            yield path, f"{path}: {len(a)} items → {len(b)}"
            return
        left, right = sorted(a, key=_key), sorted(b, key=_key)  # Personalize lists fix no order
        for i, (x, y) in enumerate(zip(left, right)):
            yield from _values(x, y, f"{path}[{i}]", operation)
        return
    if a != b:
        yield path, f"{path}: {json.dumps(a)[:60]} → {json.dumps(b)[:60]}"


def _key(item) -> str:
    return json.dumps(item, sort_keys=True, default=str)


def _polls(a: dict, b: dict):
    walked_a, walked_b = a.get("statuses") or [], b.get("statuses") or []
    if (walked_a[-1:] or [None]) != (walked_b[-1:] or [None]):
        yield "$.poll", (f"the walk rested in {walked_b[-1] if walked_b else 'nothing'} where the record rested in "
                         f"{walked_a[-1] if walked_a else 'nothing'} ({' → '.join(map(str, walked_b)) or 'no status'})")
    machine = contracts.machine(a.get("resource", ""), a.get("member", "status")) if a.get("resource") else None
    strangers = [s for s in walked_b if s not in walked_a and not (machine and machine.knows(s))]
    if strangers:
        yield "$.poll", f"statuses neither the record nor the lifecycle knows: {', '.join(map(str, strangers))}"
    if machine is not None and a.get("action") in machine.flows:
        problem = machine.path_problem(a["action"], walked_b)
        if problem:
            yield "$.poll", f"not a legal walk: {problem}"
