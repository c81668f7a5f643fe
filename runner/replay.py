"""Replay: one recorded case sent again, byte for byte, and judged by the same checks.

The way to check a fix: take the case id a report names, send exactly that request to the fixed
target, and see the verdicts now beside the verdicts then. A case whose request needed state
(a resource created earlier in the run) is sent as recorded; the target's state is its own.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass

from personalize_conformance.errors import ConformanceError
from personalize_conformance.reporting import view


class ReplayError(ConformanceError, LookupError):
    """The case cannot be found or rebuilt from the document."""


def find_case(doc: dict, case_id: str) -> dict:
    found = [c for c in view.cases(doc) if c.get("case_id") == case_id]
    if found:
        shrunk = [c for c in found if c.get("shrunk")]
        return (shrunk or found)[0]
    ids = sorted({view.text(c.get("case_id")) for c in view.cases(doc)})
    near = difflib.get_close_matches(case_id, ids, n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(near)}?" if near else (
        f"; it has {len(ids)} cases (their ids are in results.json and in each report's failures)")
    raise ReplayError(f"no case {case_id!r} in run {doc.get('run_id', '?')}{hint}")


def rebuild(entry: dict):
    """(Case, notes): the exact request of a results.json case entry."""
    from personalize_conformance.reporting.cases import CaseError, rebuild as rebuild_case
    try:
        return rebuild_case(entry)
    except CaseError as exc:
        raise ReplayError(str(exc)) from None


def spec_source(doc: dict) -> str | None:
    """What to load the run's spec from: its source, or None for the botocore-built default."""
    source = view.text((doc.get("spec") or {}).get("source") if isinstance(doc.get("spec"), dict) else "")
    return None if not source or source.startswith("botocore") else source


@dataclass
class Replay:
    case: object
    record: object            # runner.records.CaseRecord
    before: list[dict]        # the findings results.json recorded
    notes: list[str]

    @property
    def exit_code(self) -> int:
        outcomes = {f.outcome for f in self.record.findings}
        if "fail" in outcomes:
            return 1
        return 2 if outcomes & {"error", "unavailable"} else 0


def replay(doc: dict, case_id: str, target, spec) -> Replay:
    from personalize_conformance.checks import context_for
    from personalize_conformance.runner.stateless import send_and_check
    entry = find_case(doc, case_id)
    case, notes = rebuild(entry)
    if case.operation not in spec.operations:
        raise ReplayError(f"operation {case.operation} is not in spec {spec.source}")
    record = send_and_check(target, case, context_for(spec))
    return Replay(case, record, view.findings(entry), notes)


@dataclass
class Rerun:
    """What `run --replay RUN` takes from a run's results.json to draw its cases again."""
    seed: int
    examples: int | None
    operations: list[str] | None  # None: the run covered every operation of its spec
    warning: str | None           # why the same seed may draw other cases here


def rerun_of(doc: dict, spec) -> Rerun:
    """The seed, examples and operations of a recorded run, and a warning when this process's
    Hypothesis is not the one that drew the run (the same seed then draws other cases)."""
    from personalize_conformance.strategies.hypothesis_fence import replay_mismatch
    seed = doc.get("hypothesis_seed")
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise ReplayError(f"run {doc.get('run_id', '?')} names no hypothesis seed: it was not drawn by a run")
    settings = doc.get("settings") if isinstance(doc.get("settings"), dict) else {}
    examples = settings.get("examples") if isinstance(settings.get("examples"), int) else None
    covered = [name for name in (doc.get("operations") or {}) if name in spec.operations]
    operations = covered if covered and len(covered) < len(spec.operations) else None
    recorded = doc.get("hypothesis_version")
    warning = replay_mismatch(recorded) if recorded else (
        "the run did not record its Hypothesis version: the same seed draws the same cases only under that version")
    return Rerun(seed, examples, operations, warning)


def render_text(r: Replay) -> str:
    was = {}
    for f in r.before:
        was.setdefault(view.text(f.get("rule")), []).append(view.text(f.get("outcome")))
    response = r.record.response
    lines = [f"case {r.case.case_id} ({r.case.operation}, family {r.case.family}): "
             + (f"HTTP {response.status}" if response else "no response")]
    lines += [f"note: {n}" for n in r.notes]
    for f in r.record.findings:
        before = ",".join(was.pop(f.rule, [])) or "not judged"
        change = "" if before == f.outcome else f"   (recorded: {before})"
        lines.append(f"  {f.outcome.upper():15} {f.rule}{': ' + f.message if f.message else ''}{change}")
    for rule, outcomes in was.items():
        lines.append(f"  {'NOT JUDGED':15} {rule}   (recorded: {','.join(outcomes)})")
    lines.append(verdict_line(r))
    return "\n".join(lines) + "\n"


def verdict_line(r: Replay) -> str:
    """One line that says whether the recorded failure is fixed, still there, or not reproduced."""
    now = {f.rule for f in r.record.findings if f.outcome == "fail"}
    judged = {f.rule for f in r.record.findings}
    before = {view.text(f.get("rule")) for f in r.before if f.get("outcome") == "fail"}
    if now:
        still = sorted(now & before)
        new = sorted(now - before)
        return "fails: " + "; ".join(filter(None, [
            f"still {', '.join(still)}" if still else "", f"newly {', '.join(new)}" if new else ""]))
    if r.exit_code == 2:
        return "could not be judged: " + "; ".join(
            f.message for f in r.record.findings if f.outcome in ("error", "unavailable"))[:300]
    unjudged = sorted(before - judged)
    if unjudged:
        status = r.record.response.status if r.record.response else "none"
        return (f"conforms, but the recorded failure of {', '.join(unjudged)} was not judged this time "
                f"(the response was HTTP {status}): the fix is not shown either way")
    return "conforms now: the recorded failure is fixed" if before else "conforms"
