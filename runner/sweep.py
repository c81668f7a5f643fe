"""Finding what conformance runs left behind on a target, and deleting it.

A resource is a run's when its name carries the run's prefix (`pc-<run>-`), when it carries the
run tag, when it has the type and name of a create the run sent and never saw answered and was
made after the run began, or when it lives inside one that is (a dataset in the run's dataset group must go for
the group to go). Every resource type of the catalogue is listed, every page; children are found
through each type's list filter. Deleting is `cleanup.teardown`: children first, waiting for
each to be gone, never raising. Nothing is deleted that matched neither name nor tag nor parent.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass, field

from personalize_conformance.errors import ConformanceError
from personalize_conformance import contracts
from personalize_conformance.checks.errorcode import error_code

from .stamp import NAME_PREFIX, TAG_KEY, name_prefix, run_started

MAX_PAGES = 200  # per list call: a target that pages forever must not keep a sweep going
CLOCK_SKEW = 60.0  # seconds the target's clock may be behind ours


class SweepError(ConformanceError):
    """A List call the sweep depends on did not answer usably."""


@dataclass(frozen=True)
class Selector:
    """Which resources to take: one run's (`run_id`), or every run's older than `older_than` s."""
    run_id: str | None = None
    older_than: float | None = None
    worker: str | None = None  # with run_id: only this pytest-xdist worker's resources
    now: float = field(default_factory=time.time)
    # With run_id: creates the run sent and never saw answered, (type, name), and when it began.
    in_doubt: frozenset = frozenset()
    since: float | None = None

    def __post_init__(self):
        if (self.run_id is None) == (self.older_than is None):
            raise ValueError("choose exactly one of --run-id and --older-than")

    @property
    def prefix(self) -> str:
        return name_prefix(self.run_id, self.worker) if self.run_id else NAME_PREFIX

    def old_enough(self, created: float | None, name: str) -> bool:
        if self.older_than is None:
            return True
        when = created if created is not None else run_started(name)
        return when is not None and when <= self.now - self.older_than

    def by_name(self, name: str, created: float | None) -> bool:
        return isinstance(name, str) and name.startswith(self.prefix) and self.old_enough(created, name)

    def by_doubt(self, rtype: str, name: str, created: float | None) -> bool:
        """A resource of the type and name of a create the run never saw answered, made after the
        run began (a namesake made before it is someone else's)."""
        return ((rtype, name) in self.in_doubt and created is not None and self.since is not None
                and created >= self.since - CLOCK_SKEW)

    def by_tag(self, tags: dict, created: float | None, name: str) -> bool:
        if TAG_KEY not in tags:
            return False
        if self.run_id is not None:
            return tags[TAG_KEY] == self.run_id
        return self.old_enough(created, name)


@dataclass
class Found:
    rtype: str
    arn: str
    name: str
    created: float | None
    why: str

    def to_dict(self) -> dict:
        return {"type": self.rtype, "arn": self.arn, "name": self.name, "why": self.why}


def _call(target, operation: str, params: dict) -> dict:
    response = target.send(operation, json.dumps(params).encode())
    if response.status != 200:
        code = error_code(response.headers, response.body) or f"HTTP {response.status}"
        raise SweepError(f"{operation} answered {code}")
    try:
        body = json.loads(response.body.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise SweepError(f"{operation} answered a body that is not JSON") from None
    if not isinstance(body, dict):
        raise SweepError(f"{operation} answered a JSON {type(body).__name__}, not an object")
    return body


def list_all(target, rt, scope: str | None = None) -> list[dict]:
    """Every summary of type `rt` (inside `scope`, an ARN for its list filter), all pages."""
    params: dict = {rt.list_filter: scope} if scope and rt.list_filter else {}
    items: list[dict] = []
    for _ in range(MAX_PAGES):
        body = _call(target, rt.op("list"), params)
        page = body.get(rt.list_key) or []
        items += [i for i in page if isinstance(i, dict) and isinstance(i.get(rt.arn), str)]
        token = body.get("nextToken")
        if not token or not isinstance(token, str):
            return items
        params = {**params, "nextToken": token}
    raise SweepError(f"{rt.op('list')} kept paging after {MAX_PAGES} pages")


def _created(summary: dict) -> float | None:
    value = summary.get("creationDateTime")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        from datetime import datetime
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
        except ValueError:
            return None
    return None


def _tags(target, arn: str) -> dict:
    body = _call(target, "ListTagsForResource", {"resourceArn": arn})
    return {t.get("tagKey"): t.get("tagValue") for t in body.get("tags") or [] if isinstance(t, dict)}


def _children_types(parent: str) -> list:
    refs = contracts.references()
    return [rt for rt in contracts.resource_types().values()
            if rt.list_filter and refs.get(rt.list_filter) == parent]


@dataclass
class Discovery:
    found: list[Found] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # types that could not be listed, and why

    def arns(self) -> set[str]:
        return {f.arn for f in self.found}


def discover(target, selector: Selector, *, seed: list[tuple[str, str]] = (), tags: bool = True) -> Discovery:
    """What `selector` takes on `target`, plus everything inside it. `seed`: (type, ARN) pairs
    already known to be the run's (its ledger). Never raises for the target's behaviour."""
    out = Discovery()
    seen: set[str] = set()

    def take(rtype, summary_or_arn, why):
        arn = summary_or_arn if isinstance(summary_or_arn, str) else summary_or_arn[contracts.resource_type(rtype).arn]
        if arn in seen:
            return
        seen.add(arn)
        summary = summary_or_arn if isinstance(summary_or_arn, dict) else {}
        rt = contracts.resource_type(rtype)
        out.found.append(Found(rtype, arn, str(summary.get(rt.name) or ""), _created(summary), why))

    for rtype, arn in seed:
        take(rtype, arn, "created by the run")
    for rt in contracts.resource_types().values():
        if not rt.op("list"):
            continue
        try:
            summaries = list_all(target, rt)
        except SweepError as exc:
            out.problems.append(str(exc))
            continue
        for summary in summaries:
            name, created = summary.get(rt.name), _created(summary)
            if selector.by_name(name, created):
                take(rt.key, summary, f"name starts with {selector.prefix}")
            elif selector.by_doubt(rt.key, name, created):
                take(rt.key, summary, "named as a create of the run that got no answer")
            elif tags and rt.taggable and summary[rt.arn] not in seen and isinstance(name, str):
                try:
                    if selector.by_tag(_tags(target, summary[rt.arn]), created, name):
                        take(rt.key, summary, f"tagged {TAG_KEY}")
                except SweepError as exc:
                    out.problems.append(f"tags of {summary[rt.arn]}: {exc}")
    # Children of what was taken, to any depth: they must go before their parents can.
    index = 0
    while index < len(out.found):
        parent = out.found[index]
        index += 1
        for child in _children_types(parent.rtype):
            try:
                for summary in list_all(target, child, parent.arn):
                    take(child.key, summary, f"inside {parent.arn}")
            except SweepError as exc:
                out.problems.append(f"children of {parent.arn}: {exc}")
    return out


def delete(target, discovery: Discovery, policy=None):
    """`cleanup.teardown` of what was discovered; returns its report."""
    from .cleanup import Created, teardown
    created = Created()
    for f in discovery.found:
        created.add(f.rtype, f.arn)
    return teardown(target, created, policy=policy)


__all__ = ["Selector", "Found", "Discovery", "SweepError", "discover", "delete", "list_all"]
