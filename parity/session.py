"""The `record` and `compare` runs: targets through the run's safety rails, snapshots, reports.

Both go through the same rails as `run`: `SafeTarget` (run-id stamping, the billable guard,
a target that stops answering) and `RunGuard` (everything created is torn down on every way out,
Ctrl-C included). A comparison writes a run folder like any run: results.json with a `parity`
section, summary.md, junit.xml (a test case per exchange) and index.html.
"""
from __future__ import annotations

import pathlib
import sys
import time

from personalize_conformance.runner.records import RunResult
from personalize_conformance.runner.safety import SafeTarget
from personalize_conformance.runner.session import build_document, new_run_id
from personalize_conformance.runner.teardown import RunGuard

from . import compare as comparing
from . import record as recording
from . import shapes, snapshot
from .importers import OBSERVED
from .replay import replay

AWS = "aws"


def record_to(folder, spec, target, *, run_id: str | None = None, seed: int = 0, scenarios=None,
              progress=None) -> list[snapshot.Scenario]:
    safe = SafeTarget(target, spec, run_id or new_run_id())
    with RunGuard(safe):
        try:
            scenarios = recording.record(spec, safe, seed=seed, scenarios=scenarios, progress=progress)
        finally:
            target.close()
    snapshot.write(folder, scenarios, target=target.name)
    return scenarios


def compare_with(folder, spec, target, *, run_id: str | None = None, out_dir="reports",
                 scenarios=None, progress=None) -> tuple[dict, pathlib.Path]:
    manifest, recorded = snapshot.read(folder)
    if scenarios:
        recorded = [s for s in recorded if s.name in scenarios]
    run_id = run_id or new_run_id()
    safe = SafeTarget(target, spec, run_id)
    deviations = () if target.name == AWS else comparing.known_deviations()
    started = time.time()
    results = {}
    observed = [s for s in recorded if s.outcome == OBSERVED]
    with RunGuard(safe):
        try:
            for i, scenario in enumerate(s for s in recorded if s.outcome != OBSERVED):
                if progress:
                    progress(i, len(recorded), scenario.name)
                results[scenario.name] = _compare_scenario(scenario, safe, deviations)
            if observed:  # answers, not calls: matched against the target's own answers
                answers = [ex for s in recording.record(spec, safe) for ex in s.exchanges]
                for scenario in observed:
                    results[scenario.name] = shapes.compare_observed(scenario, answers)
        finally:
            target.close()
    section = summarise(results, snapshots=str(folder), recorded_target=manifest.get("target", ""),
                        target=target.name)
    result = RunResult(run_id=run_id, target=target.name, endpoint=target.endpoint, spec_source=spec.source,
                       spec_version=spec.version, seed=None, operations={}, started=started,
                       finished=time.time(), settings={"runner": "compare", "snapshots": str(folder)})
    result.extra["parity"] = section
    result.extra["summary_sections"] = [{"title": "Parity", "lines": summary_lines(section)}]
    doc = build_document(result)
    out = pathlib.Path(out_dir) / run_id
    from personalize_conformance.reporting import write_all
    write_all(doc, out)
    return doc, out


def _compare_scenario(scenario, target, deviations) -> list[dict]:
    replayed = replay(scenario, target)
    verdicts = []
    for i, (recorded, again) in enumerate(zip(scenario.exchanges, replayed)):
        unimplemented = not isinstance(again, str) and _not_implemented(recorded, again)
        verdicts.append(comparing.compare(i, recorded, again, deviations=deviations,
                                          not_implemented=unimplemented).to_dict())
    return verdicts


def _not_implemented(recorded, again) -> bool:
    """The replayed target lacks the operation (and the record did not)."""
    if recorded.error == again.error:
        return False
    marker = (again.error or "")
    return marker in ("UnknownOperationException", "NotImplemented", "NotImplementedError") or \
        bool(getattr(again, "poll", None) is None and again.status == 500 and again.error in (None, "HTTP 500", "500"))


def summarise(results: dict, **head) -> dict:
    operations: dict[str, dict] = {}
    counts = {comparing.IDENTICAL: 0, comparing.DIFFERENT: 0, comparing.NOT_COMPARABLE: 0}
    for verdicts in results.values():
        for v in verdicts:
            counts[v["outcome"]] += 1
            row = operations.setdefault(v["operation"], {comparing.IDENTICAL: 0, comparing.DIFFERENT: 0,
                                                         comparing.NOT_COMPARABLE: 0})
            row[v["outcome"]] += 1
    for row in operations.values():
        row["verdict"] = (comparing.DIFFERENT if row[comparing.DIFFERENT] else
                          comparing.IDENTICAL if row[comparing.IDENTICAL] else comparing.NOT_COMPARABLE)
    comparable = counts[comparing.IDENTICAL] + counts[comparing.DIFFERENT]
    return {**head, "exchanges": sum(counts.values()), **counts,
            "score": round(counts[comparing.IDENTICAL] / comparable, 4) if comparable else None,
            "operations": dict(sorted(operations.items())), "scenarios": results}


def summary_lines(section: dict) -> list[str]:
    score = "n/a" if section["score"] is None else f"{section['score'] * 100:.1f}%"
    by_verdict = {v: sorted(op for op, row in section["operations"].items() if row["verdict"] == v)
                  for v in (comparing.IDENTICAL, comparing.DIFFERENT, comparing.NOT_COMPARABLE)}
    lines = [f"Snapshots `{section['snapshots']}` (recorded on {section['recorded_target'] or 'unknown'}) "
             f"replayed on {section['target']}: parity score **{score}** of comparable exchanges; "
             f"{section[comparing.IDENTICAL]} identical, {section[comparing.DIFFERENT]} different, "
             f"{section[comparing.NOT_COMPARABLE]} not comparable, of {section['exchanges']}.", "",
             f"Operations: {len(by_verdict[comparing.IDENTICAL])} identical, {len(by_verdict[comparing.DIFFERENT])} "
             f"different, {len(by_verdict[comparing.NOT_COMPARABLE])} not comparable.", "",
             "| scenario | exchange | operation | verdict | differences |", "|---|---|---|---|---|"]
    for name, verdicts in section["scenarios"].items():
        for v in verdicts:
            if v["outcome"] == comparing.IDENTICAL:
                continue
            text = "; ".join(v["differences"])[:300].replace("|", "\\|")
            lines.append(f"| {name} | {v['exchange']} | {v['operation']} | {v['outcome']} | {text} |")
    return lines


def exit_code(section: dict) -> int:
    if section[comparing.DIFFERENT]:
        return 1
    if not section[comparing.IDENTICAL]:
        print("personalize-conformance: nothing was comparable", file=sys.stderr)
        return 2
    return 0
