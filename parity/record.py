"""`record`: a fixed, deterministic scenario set run on one target, kept as snapshots.

The scenarios are the harness's own contract families (`runner.lifecycle_families`: lifecycle,
reference, uniqueness, dependency, pagination, tags, update) on every resource type, each on a
fresh driver so no scenario depends on another, then three error scenarios: every operation of
the spec with an empty request, a name its pattern forbids, and an operation that does not
exist. Whatever each scenario built is torn down before the next starts. The driver's polls are
kept as one exchange each: the statuses walked, not how many polls it took.
"""
from __future__ import annotations

from personalize_conformance import contracts
from personalize_conformance.runner.cleanup import teardown
from personalize_conformance.runner.lifecycle import run_scenario
from personalize_conformance.runner.lifecycle_driver import Driver
from personalize_conformance.runner.lifecycle_families import FAMILIES, applies
from personalize_conformance.targets import TargetUnavailable

from .exchanges import Raw, collapse, normalised, raw_from_response
from .snapshot import Scenario

UNKNOWN_OPERATION = "DescribeNothingAtAll"
BAD_NAME = "name with spaces"


def scenario_names(spec, families=None, types=None) -> list[str]:
    names = [f"{family}/{rtype}" for rtype in (types or contracts.creation_order())
             for family in (families or FAMILIES) if applies(family, rtype)
             and all(op in spec.operations for op in contracts.resource_type(rtype).operations.values())]
    return names + ["errors/empty-request", "errors/invalid-name", "errors/unknown-operation"]


def record(spec, target, *, seed: int = 0, scenarios: list[str] | None = None, poll=None,
           progress=None) -> list[Scenario]:
    chosen = scenarios or scenario_names(spec)
    out = []
    for i, name in enumerate(chosen):
        if progress:
            progress(i, len(chosen), name)
        out.append(run(spec, target, name, seed=seed, poll=poll))
    return out


def run(spec, target, name: str, *, seed: int = 0, poll=None) -> Scenario:
    family, _, rtype = name.partition("/")
    if family == "errors":
        return Scenario(name, normalised(_errors(spec, target, rtype)), outcome="SENT")
    driver = Driver(spec, target, seed=seed, poll=poll, wire_checks=False)
    try:
        result = run_scenario(driver, family, rtype)
    finally:
        teardown(target, driver.created, policy=driver.poll_policy)
    outcome = result.verdict + (f": {result.reason}" if result.reason else "")
    return Scenario(name, normalised(driver_raws(driver)), outcome=outcome)


def driver_raws(driver: Driver) -> list[Raw]:
    """The driver's calls in order, each run of polls of one walk folded into one exchange."""
    walk_of = {}
    for path in driver.paths:
        for step in path.steps:
            walk_of[id(step)] = path
    raws: list[Raw] = []
    current = None
    for step in driver.steps:
        path = walk_of.get(id(step))
        if path is not None and path is current:
            raws[-1] = _step_raw(step, path)  # the walk's last answer stands for it
            continue
        current = path
        raws.append(_step_raw(step, path))
    return raws


def _step_raw(step, path) -> Raw:
    raw = raw_from_response(step.operation, step.params, step.record.response)
    if path is not None:
        raw.poll = {"resource": path.rtype, "action": path.action, "member": path.member,
                    "statuses": collapse([s for s in path.statuses if s is not None])}
    return raw


def _errors(spec, target, kind: str) -> list[Raw]:
    if kind == "empty-request":
        calls = [(op, {}) for op in spec.operations]
    elif kind == "invalid-name":
        calls = [("CreateDatasetGroup", {"name": BAD_NAME}), ("CreateSchema", {"name": BAD_NAME, "schema": "{}"})]
    else:
        calls = [(UNKNOWN_OPERATION, {})]
    return [send(target, op, params) for op, params in calls if op == UNKNOWN_OPERATION or op in spec.operations]


def send(target, operation: str, params: dict) -> Raw:
    import json
    try:
        response = target.send(operation, json.dumps(params).encode("utf-8"), {})
    except TargetUnavailable:
        response = None
    return raw_from_response(operation, params, response)
