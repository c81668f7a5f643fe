"""Normalisation: what differs between two runs of the same scenario is replaced by references.

Two targets (or two runs on one) answer the same scenario with different ARNs, names, ids,
tokens and times. A snapshot keeps what a client can rely on: member sets, types, statuses,
error codes, and *identity* - the dataset group a Create answered is the one a later Describe
names. So every run-specific value becomes a stable reference (`<dataset-group:1>`), numbered in
the order the scenario first meets it, and the same value always gets the same reference.

Each transformer is one small object with one job; a `Bundle` applies them in priority order to
every string (and, for timestamps, every number under a time member) of a document. The
Personalize bundle is `personalize()`; a replay reads a bundle's `References` backwards to turn
`<dataset-group:1>` into the ARN the replayed target gave.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Protocol

from personalize_conformance import contracts

_ARN = re.compile(r"^arn:aws[a-zA-Z-]*:(?P<service>[a-z0-9-]+):(?P<region>[a-z0-9-]*):(?P<account>\d{12}|):"
                  r"(?P<resource>.+)$")
_NAME = re.compile(r"pc[0-9a-f]{6}-\d+(?:-[A-Za-z0-9]+)*")
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_REF = re.compile(r"<(?P<kind>[a-z0-9-]+):(?P<n>\d+)>")
TIME_MEMBERS = ("DateTime", "creationDateTime", "lastUpdatedDateTime")


@dataclass
class References:
    """Value ↔ reference, per kind, numbered in order of first sight."""
    by_value: dict[str, str] = field(default_factory=dict)
    by_ref: dict[str, str] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    def ref(self, kind: str, value: str) -> str:
        if value in self.by_value:
            return self.by_value[value]
        self.counts[kind] = self.counts.get(kind, 0) + 1
        ref = f"<{kind}:{self.counts[kind]}>"
        self.by_value[value] = ref
        self.by_ref[ref] = value
        return ref



class Transformer(Protocol):
    """One kind of run-specific value. `priority`: lower runs first (an ARN before the name in it)."""
    priority: int

    def __call__(self, value, member: str, refs: References):
        """The replacement for `value` found under `member`, or `value` itself when not this kind's."""


@dataclass(frozen=True)
class Arns:
    """Personalize ARNs by catalogue type: `<dataset-group:1>`. AWS-owned ARNs (recipes, no
    account) are the same everywhere and stay; other services' ARNs (roles) are placeholders the
    run chose, kept but for their account."""
    priority: int = 10

    def __call__(self, value, member, refs):
        if not isinstance(value, str):
            return value
        match = _ARN.match(value)
        if not match:
            return value
        if not match["account"]:
            return value  # arn:aws:personalize:::recipe/... is AWS's own, identical for every caller
        if match["service"] != "personalize":
            account = refs.ref("account", match["account"]) if match["account"] else ""
            return f"arn:aws:{match['service']}:{match['region']}:{account}:{match['resource']}"
        rtype = contracts.type_of_arn(value)
        kind = rtype.key if rtype else match["resource"].split("/", 1)[0] or "arn"
        return refs.ref(kind, value)


@dataclass(frozen=True)
class Names:
    """Names a scenario chose (`pc1a2b3c-4`), wherever they appear in a string."""
    priority: int = 20

    def __call__(self, value, member, refs):
        if not isinstance(value, str) or "pc" not in value:
            return value
        return _NAME.sub(lambda m: refs.ref("name", m.group(0)), value)


@dataclass(frozen=True)
class Opaque:
    """Values a service makes up and a client only passes back: tokens, tracking and request ids."""
    members: tuple[tuple[str, str], ...] = (("nextToken", "token"), ("trackingId", "tracking-id"),
                                           ("requestId", "request-id"), ("RequestId", "request-id"))
    priority: int = 30

    def __call__(self, value, member, refs):
        if not isinstance(value, str):
            return value
        for name, kind in self.members:
            if member == name:
                return refs.ref(kind, value)
        if _UUID.match(value):
            return refs.ref("id", value)
        return value


@dataclass(frozen=True)
class Timestamps:
    """Epoch numbers under time members keep their type and their order, not their value: within
    one object, each becomes its rank among that object's times (`creationDateTime` 0.0,
    `lastUpdatedDateTime` 1.0 when it is later, 0.0 when it is the same time). How far apart
    two times were, and how times of different objects compare, is the run's own."""
    priority: int = 40

    def __call__(self, value, member, refs):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return value
        if member.endswith(TIME_MEMBERS):
            return TimeValue(float(value))
        return value


@dataclass(frozen=True, order=True)
class TimeValue:
    """A timestamp waiting for its rank."""
    value: float


def _ranked(obj: dict) -> dict:
    times = sorted({v.value for v in obj.values() if isinstance(v, TimeValue)})
    if not times:
        return obj
    rank = {value: float(i) for i, value in enumerate(times)}
    return {k: (rank[v.value] if isinstance(v, TimeValue) else v) for k, v in obj.items()}


@dataclass
class Bundle:
    transformers: list
    refs: References = field(default_factory=References)

    def __post_init__(self):
        self.transformers = sorted(self.transformers, key=lambda t: t.priority)

    def apply(self, doc, member: str = ""):
        if isinstance(doc, dict):
            return _ranked({k: self.apply(v, k) for k, v in doc.items()})
        if isinstance(doc, list):
            return [self.apply(v, member) for v in doc]
        for transformer in self.transformers:
            new = transformer(doc, member, self.refs)
            if new is not doc and new != doc:
                return new
        return doc


def personalize() -> Bundle:
    return Bundle([Arns(), Names(), Opaque(), Timestamps()])


def references_in(doc) -> list[str]:
    """Every `<kind:n>` reference a normalised document names, in order."""
    found: list[str] = []

    def walk(d):
        if isinstance(d, str):
            found.extend(m.group(0) for m in _REF.finditer(d))
        elif isinstance(d, dict):
            for v in d.values():
                walk(v)
        elif isinstance(d, list):
            for v in d:
                walk(v)

    walk(doc)
    return found


def substitute(doc, lookup):
    """`doc` with each reference replaced by `lookup(ref)` (a replay's real values)."""
    if isinstance(doc, str):
        whole = _REF.fullmatch(doc)
        if whole:
            return lookup(doc)
        return _REF.sub(lambda m: lookup(m.group(0)), doc)
    if isinstance(doc, dict):
        return {k: substitute(v, lookup) for k, v in doc.items()}
    if isinstance(doc, list):
        return [substitute(v, lookup) for v in doc]
    return doc


def ref_kind(ref: str) -> str:
    match = _REF.fullmatch(ref)
    return match["kind"] if match else ""
