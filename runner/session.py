"""One conformance run from start to report: spec → strategies → target → checks → reports."""
from __future__ import annotations

import pathlib
import random
import secrets
import time
from dataclasses import dataclass, field

from personalize_conformance.checks import CHECKS, evidence
from personalize_conformance.specs import load_spec
from personalize_conformance.targets import make_target

from . import case_ids, verdicts
from .lifecycle import lifecycle_stage
from .collector import fewer_collections
from .progress import for_run
from .records import RunResult
from .redaction import scrub
from .safety import SafeTarget
from .stateless import FAMILIES, add_coverage, run_stateless
from .teardown import RunGuard


DEFAULT_STAGES = (lifecycle_stage,)


def new_run_id() -> str:
    return time.strftime("%Y%m%dT%H%M%S", time.gmtime()) + "-" + secrets.token_hex(3)


@dataclass
class RunOptions:
    target: str | None = None
    spec: str | None = None
    endpoint_url: str | None = None
    allow_aws: bool = False
    allow_billable: bool = False  # --target aws: also send operations that start paid work
    seed: int | None = None
    examples: int = 10
    operations: list[str] | None = None
    out_dir: str = "reports"
    run_id: str | None = None
    timeout: float = 30.0
    emulator_options: dict = field(default_factory=dict)
    progress: bool | None = None  # None: live on a terminal, one line per stage elsewhere; False: none
    har: str | None = None  # also record every request and response to this HAR file
    selection: object = None  # runner.selection.Selection: --include/--exclude (families, rules)
    strict: bool = False  # doc-only vocabulary and order FAIL instead of WARN (checks.evidence)


def conformance_run(options: RunOptions, stages=None) -> tuple[dict, pathlib.Path]:
    """Run every stage against the target, write the reports, return (results document, folder).

    `stages` are callables `(spec, target, result) -> None` that add records or `result.extra`
    sections after the stateless run (lifecycles, coverage, ...); by default the lifecycle and
    cross-resource contracts (`runner.lifecycle.lifecycle_stage`). Every case goes into the
    result as soon as it is judged, so an interrupted run's partial report holds them all.
    """
    with fewer_collections():
        return _conformance_run(options, stages)


def _conformance_run(options: RunOptions, stages=None) -> tuple[dict, pathlib.Path]:
    spec = load_spec(options.spec)
    seed = options.seed if options.seed is not None else random.SystemRandom().randrange(2**32)
    run_id = options.run_id or new_run_id()
    target = make_target(options.target, endpoint_url=options.endpoint_url, allow_aws=options.allow_aws,
                         timeout=options.timeout, emulator_options=options.emulator_options,
                         allow_billable=options.allow_billable)
    safe = SafeTarget(target, spec, run_id)  # stamps creates, keeps the ledger, trips on a dead target
    progress = for_run(options.progress)
    safe.on_send = progress.update  # a stage's line moves with every request it sends
    if options.har:  # outermost, so it sees each case as prepared and sent
        from personalize_conformance.targets.har_recorder import RecordingTarget
        safe = RecordingTarget(safe, options.har)
    guard = RunGuard(safe)  # teardown on every way out, SIGTERM as Ctrl-C
    operations = {n: spec.operation(n) for n in (options.operations or spec.operations)}
    result = RunResult(run_id=run_id, target=target.name, endpoint=target.endpoint,
                       spec_source=spec.source, spec_version=spec.version, seed=seed,
                       operations=operations, started=time.time(),
                       settings={"examples": options.examples, "timeout_s": options.timeout,
                                 "strict": options.strict})
    families, stages = _selected(options.selection, DEFAULT_STAGES if stages is None else stages)
    if options.selection is not None:
        result.settings["selection"] = options.selection.describe()
    try:
        with guard, evidence.strictness(options.strict):
            try:
                _stages(spec, safe, result, options, families, stages, progress)
            except BaseException as exc:
                progress.end("interrupted" if isinstance(exc, KeyboardInterrupt) else "stopped")
                raise
            progress.begin("teardown")  # the guard's, on the way out of this block
    finally:
        target.close()
        result.finished = time.time()
        if options.har:
            safe.save()
        _teardown_line(progress, guard.section)
    guard.record(result)
    if options.selection is not None:
        from .selection import filter_findings
        filter_findings(result.records, options.selection)
    doc = scrub(build_document(result, options.selection), getattr(target, "secrets", ()))
    out = pathlib.Path(options.out_dir) / run_id
    from personalize_conformance.reporting import write_all
    write_all(doc, out)
    guard.raise_if_interrupted(out)  # after the partial report is written
    return doc, out


def _selected(selection, stages) -> tuple[tuple, tuple]:
    """The stateless families and the later stages a selection keeps (`family:lifecycle` is the
    lifecycle stage)."""
    if selection is None:
        return FAMILIES, tuple(stages)
    kept = selection.families
    return (tuple(f for f in FAMILIES if f in kept),
            tuple(stages) if "lifecycle" in kept else tuple(s for s in stages if s is not lifecycle_stage))


def _stages(spec, safe, result, options, families, stages, progress) -> None:
    done = [0]

    def operation_done(index: int, total: int, records) -> None:
        done[0] = index
        progress.update()
    progress.begin("stateless", result.records, unit="operations", count=lambda: (done[0], len(result.operations)))
    run_stateless(spec, safe, run_seed=result.seed, examples=options.examples, operations=list(result.operations),
                  progress=operation_done, families=families, into=result.records)
    progress.end()
    add_coverage(result, spec)
    for stage in stages:
        name, unit, count = _stage_progress(stage, result, spec)
        progress.begin(name, result.records, unit=unit, count=count)
        stage(spec, safe, result)
        skipped = result.extra.get("lifecycles", {}).get("skipped") if name == "lifecycles" else None
        progress.end(f"skipped: {skipped}" if skipped else "")


def _stage_progress(stage, result, spec):
    """(name, unit, counter) of a stage's progress line: lifecycles count their scenarios."""
    name = getattr(stage, "__name__", None) or getattr(getattr(stage, "func", None), "__name__", "stage")
    if name == "lifecycle_stage":
        from personalize_conformance import contracts
        from .lifecycle_families import FAMILIES as SCENARIO_FAMILIES
        from .lifecycle import reaching
        given = getattr(stage, "keywords", {})  # functools.partial(lifecycle_stage, types=..., families=...)
        total = (len(given.get("types") or contracts.creation_order())
                 * len(given.get("families") or SCENARIO_FAMILIES))
        if not given.get("types") and set(result.operations) != set(spec.operations):
            total = len(reaching(result.operations))  # a limited run: the scenarios that reach its operations

        def scenarios():
            resources = result.extra.get("lifecycles", {}).get("resources", {})
            return sum(len(r.get("scenarios", {})) for r in resources.values()), total
        return "lifecycles", "scenarios", scenarios
    return name.removesuffix("_stage").replace("_", " "), "", None


def _teardown_line(progress, section: dict) -> None:
    status = section.get("status") or "not reached"
    note = status + (f": {section['reason']}" if section.get("reason") and status != "not needed" else "")
    if progress.stage == "teardown":
        progress.end(note)
    else:
        progress.say("teardown", note)


def build_document(result: RunResult, selection=None) -> dict:
    from personalize_conformance.reporting import results_json
    case_ids.assign(result.records, result.seed, result.worker)
    checks = [r for r in CHECKS if selection is None or selection.keeps_rule(r)]
    rules = sorted({f.rule for f in result.findings()} | set(checks))
    sources = {r: (CHECKS[r].source if r in CHECKS else _source_of(result, r)) for r in rules}
    mat = verdicts.matrix(result, [r for r in rules if r in CHECKS])
    from . import graded
    return graded.annotate(results_json.build(result, mat, verdicts.totals(mat), sources))


def _source_of(result: RunResult, rule: str) -> str:
    return next((f.source for f in result.findings() if f.rule == rule), "")


def exit_code(doc: dict) -> int:
    return verdicts.exit_code(doc["operations"])


__all__ = ["RunOptions", "conformance_run", "build_document", "exit_code", "new_run_id"]
