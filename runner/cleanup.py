"""Dependency-ordered teardown: delete what a run created, children before parents.

`teardown(target, created)` takes any target and a `Created` registry (or plain ARNs, whose types
are read off the ARN). It waits for busy resources to settle, stops solution versions still
training, deletes every deletable resource in reverse creation order of the catalogue, waits for
each to be gone before its parents go, and retries a delete refused with ResourceInUseException.
It never raises: what it could not delete is in the report, with the reason.
Resources without a Delete operation (jobs, solution versions) go with their parents.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass, field

from personalize_conformance import contracts
from personalize_conformance.checks.errorcode import SERVER_FAULTS, error_code
from personalize_conformance.targets import OperationUnavailable, TargetUnavailable

from .polling import PollPolicy

BUSY_SUFFIXES = ("PENDING", "IN_PROGRESS", "IN PROGRESS", "STOPPING")
NOT_FOUND = "ResourceNotFoundException"
IN_USE = "ResourceInUseException"


@dataclass
class Created:
    """ARNs a run created, with their types, in creation order. Thread-unsafe by design: one
    registry per driver."""
    items: list[tuple[str, str]] = field(default_factory=list)

    def add(self, rtype: str, arn: str) -> None:
        if arn and (rtype, arn) not in self.items:
            self.items.append((rtype, arn))

    def discard(self, arn: str) -> None:
        self.items = [(t, a) for t, a in self.items if a != arn]

    def arns(self, rtype: str | None = None) -> list[str]:
        return [a for t, a in self.items if rtype in (None, t)]

    def __len__(self) -> int:
        return len(self.items)

    @classmethod
    def of_arns(cls, arns) -> "Created":
        """A registry from bare ARNs; ARNs of no catalogue type are left out."""
        out = cls()
        for arn in arns:
            rt = contracts.type_of_arn(arn)
            if rt is not None:
                out.add(rt.key, arn)
        return out


@dataclass
class TeardownReport:
    deleted: list[str] = field(default_factory=list)
    already_gone: list[str] = field(default_factory=list)
    left_to_parent: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (arn, reason)

    @property
    def ok(self) -> bool:
        return not self.failed

    def to_dict(self) -> dict:
        return {"deleted": self.deleted, "already_gone": self.already_gone,
                "left_to_parent": self.left_to_parent,
                "failed": [{"arn": a, "reason": r} for a, r in self.failed]}


def _send(target, operation: str, params: dict) -> tuple[int, str | None, dict]:
    response = target.send(operation, json.dumps(params).encode())
    try:
        body = json.loads(response.body.decode("utf-8")) if response.status == 200 else {}
    except ValueError:
        body = {}
    code = None if response.status == 200 else error_code(response.headers, response.body)
    return response.status, code, body if isinstance(body, dict) else {}


def _status(target, rt, arn) -> tuple[str | None, str | None]:
    """(status or None, error code or None) of one resource."""
    status, code, body = _send(target, rt.op("describe"), {rt.arn: arn})
    if status != 200:
        return None, code or f"HTTP {status}"
    resource = body.get(rt.describe_key) or {}
    return (resource.get(rt.status) if rt.status else "ACTIVE"), None


def _busy(status: str | None) -> bool:
    return bool(status) and status.replace("_", " ").endswith(tuple(s.replace("_", " ") for s in BUSY_SUFFIXES)) \
        and not status.startswith("DELETE")


def _wait(predicate, policy: PollPolicy) -> bool:
    started = time.monotonic()
    for delay in policy.delays():
        if delay:
            time.sleep(delay)
        if predicate():
            return True
        if time.monotonic() - started > policy.max_wait:
            return False
    return False


def _quiesce(target, created: Created, policy: PollPolicy) -> None:
    """Let busy resources settle; stop solution versions still training (they block deletes)."""
    for rtype, arn in created.items:
        rt = contracts.resource_type(rtype)
        if not rt.status:
            continue
        try:
            status, code = _status(target, rt, arn)
            if code is not None or not _busy(status):
                continue
            if rt.op("stop") and rtype == "solution-version":
                _send(target, rt.op("stop"), {rt.arn: arn})
            _wait(lambda: not _busy(_status(target, rt, arn)[0]), policy)
        except OperationUnavailable:
            continue  # one broken operation: the delete below says what became of this resource


def _delete(target, rt, arn: str, policy: PollPolicy, report: TeardownReport, attempts: int) -> None:
    for attempt in range(attempts):
        status, code, _ = _send(target, rt.op("delete"), {rt.arn: arn})
        if status == 200:
            break
        if code == NOT_FOUND:
            report.already_gone.append(arn)
            return
        if code == IN_USE and attempt + 1 < attempts:
            current, _ = _status(target, rt, arn)
            if current and current.startswith("DELETE"):
                break  # already being deleted: wait for it below
            time.sleep(min(policy.max_delay, policy.delay * (policy.factor ** attempt)))
            continue
        report.failed.append((arn, f"{rt.op('delete')} answered {code or f'HTTP {status}'}"))
        return
    answers: list = []

    def settled() -> bool:  # gone, or Describe refuses the request itself: waiting changes neither
        code = _status(target, rt, arn)[1]
        answers.append(code)
        return code == NOT_FOUND or _refused(code)

    _wait(settled, policy)
    if answers and answers[-1] == NOT_FOUND:
        report.deleted.append(arn)
    elif answers and _refused(answers[-1]):
        report.failed.append((arn, f"{rt.op('describe')} answered {answers[-1]} after {rt.op('delete')}, "
                                   f"not {NOT_FOUND}: whether it is gone cannot be told"))
    else:
        report.failed.append((arn, f"still there after {rt.op('delete')} (waited up to {policy.max_wait:g}s)"))


def _refused(code: str | None) -> bool:
    """A client error other than not-found: the same request gets the same answer later."""
    return code is not None and code != NOT_FOUND and not code.startswith("HTTP 5") and code not in SERVER_FAULTS


def teardown(target, created: Created | list[str], *, policy: PollPolicy | None = None,
             attempts: int = 4) -> TeardownReport:
    """Delete everything in `created`, children first. Never raises."""
    if not isinstance(created, Created):
        created = Created.of_arns(created)
    policy = policy or PollPolicy.for_target(target)
    report = TeardownReport()
    rank = {key: i for i, key in enumerate(contracts.creation_order())}
    ordered = sorted(enumerate(created.items), key=lambda item: (-rank[item[1][0]], -item[0]))
    try:
        _quiesce(target, created, policy)
        for _, (rtype, arn) in ordered:
            rt = contracts.resource_type(rtype)
            if not rt.op("delete"):
                report.left_to_parent.append(arn)
                continue
            try:
                _delete(target, rt, arn, policy, report, attempts)
            except OperationUnavailable as exc:  # the rest of the target still answers: go on
                report.failed.append((arn, f"target unavailable: {exc}"))
    except TargetUnavailable as exc:
        done = set(report.deleted) | set(report.already_gone) | set(report.left_to_parent) | {a for a, _ in report.failed}
        report.failed += [(arn, f"target unavailable: {exc}") for _, (_, arn) in ordered if arn not in done]
    except Exception as exc:  # teardown must never take the run down with it
        report.failed.append(("*", f"teardown error: {exc.__class__.__name__}: {exc}"))
    for arn in report.deleted + report.already_gone:
        created.discard(arn)
    return report
