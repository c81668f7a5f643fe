"""Lifecycle and cross-resource contracts as a run stage, and the per-resource report they leave.

`run_scenario(driver, family, rtype)` runs one contract family on one resource type and says how
it went: PASS / FAIL / WARN when it was judged, NOT IMPLEMENTED when the target lacks an operation
the sequence needs, NOT RUN when the run's spec lacks one (nothing is sent then) or when the
sequence ended before any of its rules could be judged (a scenario PASSes only on something
judged), UNAVAILABLE when the target stopped answering, BLOCKED when a parent could not be built,
ERROR for a harness fault, NOT APPLICABLE when the family has nothing to check there.
`lifecycle_stage` runs every family on every type for `personalize-conformance run`; the pytest
suite runs them one test each. Both leave `result.extra["lifecycles"]`: per resource type, the
scenario verdicts and the lifecycle paths observed (statuses and timings).
"""
from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import asdict, dataclass, field

from personalize_conformance import contracts
from personalize_conformance.checks.contracts import CONTRACTS

from .cleanup import teardown
from .lifecycle_driver import Blocked, Driver, NotImplementedByTarget, OutsideSpec, ScenarioStop, Unavailable
from .lifecycle_families import FAMILIES, applies
from .polling import PollPolicy
from .scope import TAG_OPERATIONS, absent, not_in_spec_reason, scenario_operations

PASS, FAIL, WARN = "PASS", "FAIL", "WARN"
NOT_IMPLEMENTED, UNAVAILABLE, ERROR = "NOT IMPLEMENTED", "UNAVAILABLE", "ERROR"
BLOCKED, NOT_APPLICABLE, NOT_RUN = "BLOCKED", "NOT APPLICABLE", "NOT RUN"
_RANK = [FAIL, ERROR, UNAVAILABLE, BLOCKED, NOT_IMPLEMENTED, WARN, PASS, NOT_RUN, NOT_APPLICABLE]
_CELL = {"pass": PASS, "fail": FAIL, "warn": WARN, "error": ERROR}
# Rules every sequence meets on its way (its creates were accepted and named what they made):
# holding them alone judges nothing of what the family is about.
SETUP_RULES = frozenset({"lifecycle.action-accepted", "lifecycle.create-identifies"})


@dataclass
class ScenarioResult:
    family: str
    resource: str
    verdict: str
    reason: str = ""
    rules: dict[str, str] = field(default_factory=dict)  # rule -> worst verdict
    failures: list[dict] = field(default_factory=list)   # finding dicts with their evidence
    seconds: float = 0.0

    def to_dict(self) -> dict:
        return asdict(self)


def _worst(values) -> str:
    values = list(values)
    return min(values, key=_RANK.index) if values else NOT_RUN


def run_scenario(driver: Driver, family: str, rtype: str) -> ScenarioResult:
    """One family on one type; never raises for what the target does."""
    if not applies(family, rtype):
        return ScenarioResult(family, rtype, NOT_APPLICABLE, f"{family} has nothing to check on a {rtype}")
    missing = absent(driver.spec, scenario_operations(family, rtype))
    if missing:
        return ScenarioResult(family, rtype, NOT_RUN, not_in_spec_reason(driver.spec, missing))
    first_record, first_step = len(driver.records), len(driver.steps)
    started = time.monotonic()
    driver.begin()
    verdict, reason = None, ""
    try:
        FAMILIES[family](driver, rtype)
    except OutsideSpec as exc:
        verdict, reason = NOT_RUN, str(exc)
    except NotImplementedByTarget as exc:
        verdict, reason = NOT_IMPLEMENTED, f"NOT IMPLEMENTED by {driver.target.name}: {exc}"
    except Unavailable as exc:
        verdict, reason = UNAVAILABLE, f"target unavailable: {exc}"
    except Blocked as exc:
        verdict, reason = BLOCKED, str(exc)
    except ScenarioStop as exc:
        verdict, reason = ERROR, f"harness error: {exc}"
    except Exception as exc:  # a bug of the harness: reported, never a crash of the run
        verdict, reason = ERROR, f"harness error: {exc.__class__.__name__}: {exc}"
    rules: dict[str, list[str]] = defaultdict(list)
    failures = []
    for record in driver.records[first_record:]:
        for f in record.findings:
            if f.rule in CONTRACTS:
                rules[f.rule].append(_CELL.get(f.outcome, PASS))
                if f.outcome in ("fail", "warn", "error"):
                    failures.append({"rule": f.rule, "outcome": f.outcome, "message": f.message,
                                     "operation": f.operation, "source": f.source, **f.evidence})
    judged = {rule: _worst(v) for rule, v in rules.items()}
    if verdict is None:
        verdict = _worst(judged.values())
        if verdict == PASS and not set(judged) - SETUP_RULES:
            verdict, reason = NOT_RUN, _nothing_judged(driver, family, rtype, first_step)
    elif verdict in (BLOCKED, ERROR, NOT_RUN) and FAIL in judged.values():
        verdict = FAIL
    return ScenarioResult(family, rtype, verdict, reason, judged, failures, round(time.monotonic() - started, 3))


def _nothing_judged(driver: Driver, family: str, rtype: str, first_step: int) -> str:
    steps = driver.steps[first_step:]
    last = f"; its last call, {steps[-1].operation}, answered {steps[-1].outcome}" if steps else "; it sent nothing"
    return f"nothing judged: the {family} sequence on a {rtype} ended before any of its rules could be judged{last}"


# -- the per-resource report -----------------------------------------------------------------------

def record_scenario(result, scenario: ScenarioResult, driver: Driver | None = None) -> None:
    """Fold one scenario (and the paths its driver walked since) into `result.extra`."""
    section = result.extra.setdefault("lifecycles", {"resources": {}})
    resource = section["resources"].setdefault(scenario.resource, {"verdict": NOT_APPLICABLE, "scenarios": {},
                                                                   "paths": []})
    resource["scenarios"][scenario.family] = scenario.to_dict()
    judged = [s["verdict"] for s in resource["scenarios"].values() if s["verdict"] != NOT_APPLICABLE]
    resource["verdict"] = _worst(judged) if judged else NOT_APPLICABLE
    if driver is not None:
        for path in driver.paths[section.get("_paths_seen", {}).get(id(driver), 0):]:
            target = section["resources"].setdefault(path.rtype, {"verdict": NOT_APPLICABLE, "scenarios": {},
                                                                  "paths": []})
            target["paths"].append(path.to_dict())
        section.setdefault("_paths_seen", {})[id(driver)] = len(driver.paths)
    _summary(result)


def finish(result, driver: Driver, report=None) -> None:
    section = result.extra.setdefault("lifecycles", {"resources": {}})
    section.pop("_paths_seen", None)
    section["poll_policy"] = asdict(driver.poll_policy)
    if report is not None:
        section["teardown"] = report.to_dict()
    _summary(result)


def _path_text(paths: list[dict], action: str) -> str:
    walks = [p for p in paths if p["action"] == action and p["member"] == "status"]
    if not walks:
        return "–"
    p = max(walks, key=lambda w: len(w["statuses"]))
    statuses = " → ".join(p["statuses"]) or "(no status)"
    return f"{statuses} ({p['polls']} polls, {p['waited_s']:.2f}s){failure_note(p)}"


def failure_note(path: dict) -> str:
    """A path that rested in its failure status ended legally; the table says so, and why."""
    if not path.get("failed"):
        return ""
    reason = path.get("failure_reason")
    return f"; failed, a legal end: {reason}" if reason else "; failed, a legal end, with no failureReason"


def _summary(result) -> None:
    section = result.extra.get("lifecycles", {})
    lines = ["| resource | verdict | create path | delete path | failing rules |", "|---|---|---|---|---|"]
    for rtype in contracts.creation_order():
        data = section.get("resources", {}).get(rtype)
        if not data:
            continue
        failing = sorted({r for s in data["scenarios"].values() for r, v in s["rules"].items() if v in (FAIL, WARN)})
        reasons = sorted({s["reason"] for s in data["scenarios"].values()
                          if s["verdict"] in (NOT_IMPLEMENTED, NOT_RUN, BLOCKED, ERROR, UNAVAILABLE) and s["reason"]})
        note = ", ".join(f"`{r}`" for r in failing) or ("; ".join(reasons)[:160] if reasons else "")
        lines.append(f"| {rtype} | {data['verdict']} | {_path_text(data['paths'], 'create')} | "
                     f"{_path_text(data['paths'], 'delete')} | {note} |")
    sections = [s for s in result.extra.get("summary_sections", []) if s.get("title") != "Lifecycles"]
    sections.append({"title": "Lifecycles", "lines": lines})
    result.extra["summary_sections"] = sections


# -- the run stage ---------------------------------------------------------------------------------

def lifecycle_stage(spec, target, result, *, types=None, families=None, poll: PollPolicy | None = None) -> None:
    """Every contract family on every resource type, then a dependency-ordered teardown.

    A run limited to some operations (`run --operation X`) runs only the scenarios that call them
    on a resource that exists (`reaching`): without them most operations never see a success, and
    an operation with no success is not judged."""
    plan = [(family, rtype) for rtype in (types or contracts.creation_order()) for family in (families or FAMILIES)]
    if types is None and set(result.operations) != set(spec.operations):
        plan = reaching(result.operations)
        if not plan:
            result.extra["lifecycles"] = {"resources": {}, "skipped": "no scenario calls the operations of this run"}
            return
    driver = Driver(spec, target, seed=result.seed, poll=poll, records=result.records)
    try:
        for family, rtype in plan:
            record_scenario(result, run_scenario(driver, family, rtype), driver)
    finally:
        report = teardown(target, driver.created, policy=driver.poll_policy)
        finish(result, driver, report)


def reaching(operations) -> list[tuple[str, str]]:
    """(family, type) of the scenarios that call each of `operations` on a resource that exists:
    the lifecycle of the type it belongs to (which calls every operation of its type), and the
    tags family on the first taggable type for the tag operations."""
    wanted = set(operations)
    plan = [("lifecycle", rtype) for rtype in contracts.creation_order()
            if wanted & set(contracts.resource_type(rtype).operations.values())]
    if wanted & set(TAG_OPERATIONS):
        plan.append(("tags", next(t for t in contracts.creation_order() if contracts.resource_type(t).taggable)))
    return plan


__all__ = ["ScenarioResult", "run_scenario", "record_scenario", "finish", "lifecycle_stage", "reaching", "FAMILIES",
           "PASS", "FAIL", "WARN", "NOT_IMPLEMENTED", "UNAVAILABLE", "ERROR", "BLOCKED", "NOT_APPLICABLE", "NOT_RUN"]
