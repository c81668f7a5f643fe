"""Replaying a snapshot's exchanges on another target.

Each request is the snapshot's, with its references turned into the replayed target's own
values: a resource reference into the ARN that target answered for it, a name into a fresh name,
a reference nobody has answered yet (a forged ARN, a made-up token) into a fresh value of its
kind. A request that needs a resource the target never gave (its Create failed or is not
implemented) is not sent: the exchange is not comparable, and says on what it depended. A poll
is replayed as a poll: describe until the walk rests, however many polls that takes.
"""
from __future__ import annotations

import secrets
import time
import uuid

from personalize_conformance import contracts
from personalize_conformance.contracts import GONE

from . import normalise
from .exchanges import Raw, collapse, normalised, raw_from_response
from .record import send
from .snapshot import Exchange, Scenario

DEFAULT_REGION, DEFAULT_ACCOUNT = "us-east-1", "123456789012"


class Values:
    """The replayed target's value for each snapshot reference, learnt as its answers come in."""

    def __init__(self):
        self.bundle = normalise.personalize()  # numbers the replay's own values as the record did
        self.salt = secrets.token_hex(3)
        self.region, self.account = DEFAULT_REGION, DEFAULT_ACCOUNT

    def learn(self, params: dict, body: dict | None) -> None:
        self.bundle.apply(params)
        if body is not None:
            self.bundle.apply(body)
        for value in self.bundle.refs.by_value:
            if isinstance(value, str) and value.startswith("arn:aws:personalize:") and value.split(":")[4]:
                self.region, self.account = value.split(":")[3], value.split(":")[4]
                break

    def known(self, ref: str) -> bool:
        return ref in self.bundle.refs.by_ref

    def value(self, ref: str) -> str:
        if ref in self.bundle.refs.by_ref:
            return self.bundle.refs.by_ref[ref]
        kind, n = normalise.ref_kind(ref), ref.rsplit(":", 1)[-1].rstrip(">")
        if kind == "name":
            return f"pc{self.salt}-{n}"
        if kind == "account":
            return self.account
        if kind in ("token",):
            return f"forged-token-{self.salt}-{n}"
        if kind in ("id", "tracking-id", "request-id"):
            return str(uuid.uuid4())
        shape = contracts.resource_types().get(kind)
        resource = (shape.arn_resource if shape else f"{kind}/*").replace("*", f"pc{self.salt}-{n}-missing")
        return f"arn:aws:personalize:{self.region}:{self.account}:{resource}"


def introduced_by_answers(scenario: Scenario) -> dict[str, int]:
    """Reference → the exchange whose answer first named it (never sent before that)."""
    seen: set[str] = set()
    first: dict[str, int] = {}
    for i, ex in enumerate(scenario.exchanges):
        seen.update(normalise.references_in(ex.request))
        for ref in normalise.references_in(ex.response):
            if ref not in seen:
                first.setdefault(ref, i)
                seen.add(ref)
    return first


def replay(scenario: Scenario, target, *, poll=None) -> list[Exchange | str]:
    """The scenario's exchanges on `target`: an `Exchange` per exchange sent, or the reason it
    was not. What the replay created is torn down before it returns."""
    from personalize_conformance.runner.cleanup import Created, teardown
    from personalize_conformance.runner.polling import PollPolicy
    policy = poll or PollPolicy.for_target(target)
    created = Created()
    try:
        return _replay(scenario, target, policy, created)
    finally:
        teardown(target, created, policy=policy)


def _replay(scenario: Scenario, target, policy, created) -> list[Exchange | str]:
    values = Values()
    answers = introduced_by_answers(scenario)
    raws: list[Raw | str] = []
    for ex in scenario.exchanges:
        missing = [r for r in normalise.references_in(ex.request) if r in answers and not values.known(r)]
        if missing:
            raws.append(f"not sent: it needs {missing[0]}, which the target did not give "
                        f"(exchange {answers[missing[0]] + 1})")
            continue
        params = normalise.substitute(ex.request, values.value)
        raw = _poll(target, ex, params, policy) if ex.poll else send(target, ex.operation, params)
        values.learn(params, raw.body)
        if ex.operation.startswith("Create") and raw.body:
            for value in raw.body.values():
                rtype = contracts.type_of_arn(value) if isinstance(value, str) else None
                if rtype is not None:
                    created.add(rtype.key, value)
        raws.append(raw)
    sent = normalised([r for r in raws if isinstance(r, Raw)])
    it = iter(sent)
    return [r if isinstance(r, str) else next(it) for r in raws]


def _poll(target, ex: Exchange, params: dict, policy) -> Raw:
    spec = ex.poll
    machine = contracts.machine(spec["resource"], spec.get("member", "status"))
    flow = machine.flow(spec["action"]) if machine else None
    resting = set(flow.resting) if flow else set()
    if spec["action"] == "delete":
        resting.add(GONE)
    rt = contracts.resource_type(spec["resource"])
    statuses, raw, started = [], None, time.monotonic()
    for delay in policy.delays():
        if delay:
            time.sleep(delay)
        raw = send(target, ex.operation, params)
        status = _status(raw, rt, spec.get("member", "status"))
        if status is not None:
            statuses.append(status)
        canonical = machine.canonical(status) if machine and status not in (None, GONE) else status
        if raw.status is None or canonical in resting or (not resting and raw.status == 200):
            break
        if status is None and raw.status != 200 and spec["action"] != "delete":
            break  # a wrong answer while polling is a difference now, not a reason to wait
        if time.monotonic() - started > policy.max_wait:
            break
    raw.poll = {**spec, "statuses": collapse(statuses)}
    return raw


def _status(raw: Raw, rt, member: str):
    if raw.error == "ResourceNotFoundException":
        return GONE
    described = (raw.body or {}).get(rt.describe_key)
    if not isinstance(described, dict):
        return None
    if member == "status":
        value = described.get(rt.status or "status")
    else:
        inner = described.get(member)
        value = inner.get("status") if isinstance(inner, dict) else None
    return value if isinstance(value, str) else None
