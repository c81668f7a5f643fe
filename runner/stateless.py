"""The stateless run: for every operation, the valid, boundary and invalid families sent and
judged, each failure shrunk.

The valid family is one Hypothesis run per operation. Boundary and invalid have one probe per
constraint (or request-level defect), and every probe is sent in every run, so every constraint is
exercised. A family's probes are drawn together, a few per Hypothesis run ("a batch"): starting a
Hypothesis run costs more than drawing one case, and most probes pass. A probe that fails is then
run alone under its own seed, and that run shrinks the failure towards its one rule. Every seed
derives from the run seed, so `--hypothesis-seed` replays the whole run, and any probe alone.
"""
from __future__ import annotations

import contextlib
import threading
import time
import zlib
from dataclasses import dataclass, field

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis import strategies as st

from personalize_conformance.checks import ERROR, NOT_IMPLEMENTED, UNAVAILABLE, Finding, context_for, run_checks
from personalize_conformance.checks.findings import SKIPPED
from personalize_conformance.strategies.hypothesis_fence import pinned_test
from personalize_conformance.targets import NotSent, TargetUnavailable

from .records import CaseRecord

FAMILIES = ("valid", "boundary", "invalid")


class _CheckFailed(AssertionError):
    pass


class _ShrinkBudgetSpent(BaseException):
    """Stops Hypothesis's shrinker at once (it would go on with cheap calls for minutes)."""


@st.composite
def _within_shrink_budget(draw, strategy, state):
    """`strategy`, checked against the shrink budget before every draw: a draw that a filter
    rejects never reaches the test, and shrinking can spend minutes on those alone. (Decorated
    once here: `st.composite` reads the function's source each time it is applied.)"""
    if state["failing"] is not None and time.monotonic() - state["failed_at"] > state["shrink_for"]:
        raise _ShrinkBudgetSpent()
    state["draws"] += 1  # the first is Hypothesis's simplest example, even if a filter rejects it
    return draw(strategy)


class _BatchStopped(BaseException):
    """Ends a batch's Hypothesis run at once, without the replay Hypothesis gives a failure."""


def operation_seed(run_seed: int, operation: str) -> int:
    return zlib.crc32(f"{run_seed}:{operation}".encode())


def probe_seed(run_seed: int, family: str, rule: str) -> int:
    return zlib.crc32(f"{run_seed}:{family}:{rule}".encode())


def batch_seed(run_seed: int, operation: str, family: str, start: int) -> int:
    return zlib.crc32(f"{run_seed}:{operation}:{family}:batch:{start}".encode())


def _key(case) -> tuple:
    """A request as the target sees it: the same request twice gets the first answer."""
    return case.body, tuple(sorted(case.headers.items(), key=lambda kv: kv[0]))


def _settings(examples: int, phases) -> settings:
    return settings(max_examples=examples, database=None, deadline=None, derandomize=False,
                    suppress_health_check=list(HealthCheck), report_multiple_bugs=False, print_blob=False,
                    phases=phases)


# Hypothesis digests the source of the function it runs, on every run, to key its example
# database. The database is off here, and across hundreds of runs the digest costs a tenth of
# the run: the key is given up front (and the test functions are kept one line, should a
# Hypothesis release stop reading it). `pinned_test` also pins what a seed draws.
DATABASE_KEY = b"personalize-conformance.stateless"
BATCH_PROBES = 8  # probes drawn per batch run: enough to spread a run's start-up, few enough that
# their draws stay far below Hypothesis's cap on one example's size


def failure_signature(record: CaseRecord) -> frozenset:
    """What a failure is about: the checks that failed, and for an acceptance verdict the
    constraint aimed at. A second failure with the same signature on the same operation is
    reported as sent, not shrunk again (a target failing every answer the same way, such as
    moto's server with its text/html Content-Type, would otherwise be shrunk once per probe)."""
    return frozenset((f.rule, record.case.rule if f.rule.startswith("acceptance.") else "")
                     for f in record.findings if f.outcome == "fail")


GONE = frozenset({NOT_IMPLEMENTED, UNAVAILABLE, SKIPPED})


@dataclass(frozen=True)
class Budget:
    """How many generated requests a run sends: `valid` per operation for the valid family, and
    `per_probe` for each boundary and invalid probe (every probe runs at least once, so every
    constraint is covered whatever the budget)."""
    valid: int = 10
    per_probe: int = 1

    @classmethod
    def from_examples(cls, examples: int) -> "Budget":
        """`--examples N`: N valid requests per operation, and one request per probe for every 20."""
        return cls(valid=max(1, examples), per_probe=max(1, examples // 20))


_journal = threading.local()  # the records judged since `judged_meanwhile` began, per thread


@contextlib.contextmanager
def judged_meanwhile():
    """Every record `send_and_check` judges within the block, kept or not: what an interrupted
    operation had judged when the interrupt came."""
    previous = getattr(_journal, "records", None)
    _journal.records = []
    try:
        yield _journal.records
    finally:
        _journal.records = previous


def send_and_check(target, case, ctx) -> CaseRecord:
    """One case through the target and the checks; never raises for what the target does."""
    record = _send_and_check(target, case, ctx)
    journal = getattr(_journal, "records", None)
    if journal is not None:
        journal.append(record)
    return record


def _send_and_check(target, case, ctx) -> CaseRecord:
    prepare = getattr(target, "prepare", None)  # runner.safety: stamps creates with the run id
    if prepare is not None:
        case = prepare(case)
    try:
        response = target.send(case.operation, case.body, case.headers)
    except NotSent as exc:  # refused by a guard (billable on AWS): reported as not run
        return CaseRecord(case, None, [Finding("target.not-sent", SKIPPED, str(exc), case.operation,
                                               case.case_id, "Harness safety: --allow-billable")])
    except TargetUnavailable as exc:
        return CaseRecord(case, None, [Finding("target.available", UNAVAILABLE, str(exc), case.operation,
                                               case.case_id, "Target answered")])
    except Exception as exc:  # a target adapter bug is a harness error, reported, not a crash
        return CaseRecord(case, None, [Finding("harness", ERROR, f"{exc.__class__.__name__}: {exc}",
                                               case.operation, case.case_id, "Harness")])
    return CaseRecord(case, response, run_checks(case, response, ctx))


@dataclass
class Explorer:
    """Runs one strategy for one operation under Hypothesis and keeps what it found."""
    target: object
    spec: object
    examples: int = 10
    shrink_left: float = field(default_factory=lambda: SHRINK_SECONDS_PER_OPERATION)  # seconds, all probes
    shrink_sends: int = 40  # requests a shrink may send; past them, only answers already seen count
    shrunk: set = field(default_factory=set)  # failure signatures already shrunk on this operation

    def explore(self, operation: str, strategy, seed: int, examples: int | None = None,
                known: dict | None = None) -> list[CaseRecord]:
        """`known`: requests already sent (a batch's), with their records, so a probe's own run
        starts from the failure the batch met without sending it again."""
        ctx = context_for(self.spec)
        budget = examples or self.examples
        kept: list[CaseRecord] = []
        sent: dict = dict(known or {})  # the same request twice gets the first answer: shrinking
        # replays must not flake
        state: dict = {"stop": False, "failing": None, "shrinks": 0,
                       "failed_at": 0.0, "draws": 0, "shrink_for": min(SHRINK_SECONDS, self.shrink_left)}

        def step(case):
            if state["stop"]:
                return
            case.seed = seed
            key = _key(case)
            record = sent.get(key)
            if record is None:
                if state["failing"] is not None:  # shrinking: a target failing everything must not
                    if state["shrinks"] >= self.shrink_sends:  # keep it going for minutes per operation
                        raise _ShrinkBudgetSpent()
                    state["shrinks"] += 1
                record = send_and_check(self.target, case, ctx)
                record.seed = seed
                sent[key] = record
            outcomes = {f.outcome for f in record.findings}
            if outcomes & GONE:
                state["stop"] = True  # nothing more to learn from this operation on this target
                kept.append(record)
                return
            if record.failed:
                simplest = state["failing"] is None and state["draws"] == 1
                state["failed_at"] = state["failed_at"] or time.monotonic()
                state["failing"] = record
                if simplest:  # the first example is the simplest: nothing smaller to shrink to
                    raise _ShrinkBudgetSpent()
                raise _CheckFailed(record.case.case_id)
            if len(kept) < budget and record not in kept:
                kept.append(record)

        @_settings(budget, (Phase.explicit, Phase.generate, Phase.shrink))
        @hypothesis_seed(seed)
        @given(_within_shrink_budget(strategy, state))
        def probe(case):
            step(case)

        probe = pinned_test(probe, DATABASE_KEY)

        try:
            try:
                probe()
            except _ShrinkBudgetSpent:  # the smallest failure found so far stands
                raise _CheckFailed(state["failing"].case.case_id) from None
            finally:
                if state["failed_at"]:
                    self.shrink_left -= time.monotonic() - state["failed_at"]
        except Exception as exc:
            failing = state["failing"]
            if failing is not None:  # the minimal failing example (Hypothesis's, or the last one
                failing.shrunk = True  # it reached before a replay answered differently)
                kept.append(failing)
                self.shrunk.add(failure_signature(failing))
            else:  # a generation problem is the harness's, reported per operation
                kept.append(CaseRecord(_placeholder(operation, seed), None, [Finding(
                    "harness", ERROR, f"{exc.__class__.__name__}: {str(exc)[:500]}", operation, "", "Harness")]))
        return kept

    def batches(self, operation: str, probes, seeds, start_seed, examples: int = 1) -> tuple[list[CaseRecord], bool]:
        """Every probe of `probes`, `examples` cases each, drawn a few probes per Hypothesis run.
        A failing probe is run alone under `seeds(probe)` to shrink it (unless a failure like it
        was already shrunk), then the batch goes on after it. Returns the records, and whether the
        operation is gone (not implemented, unavailable, refused): nothing more to send then."""
        records: list[CaseRecord] = []
        start = 0
        while start < len(probes):
            chunk = probes[start:start + BATCH_PROBES]
            passed, failing, index, unsent = self._batch_run(operation, chunk, start_seed(start), examples)
            records.extend(passed)
            for probe in unsent:  # the batch could not draw them: each alone, as a run per probe
                records.extend(self.explore(operation, probe.strategy, seeds(probe), examples))
            if failing is None:
                start += len(chunk)
                continue
            if {f.outcome for f in failing.findings} & GONE:
                records.append(failing)
                return records, True
            records.extend(self._shrink(operation, chunk[index], seeds(chunk[index]), examples, failing))
            start += index + 1
        return records, False

    def _batch_run(self, operation, chunk, seed: int, examples: int):
        """One Hypothesis run drawing a case of every probe in `chunk` per example; stops at the
        first failure that needs shrinking, returning (the records before it, that failing
        record or None, its probe's index, the probes never sent when a draw raised)."""
        ctx = context_for(self.spec)
        passed: list[CaseRecord] = []
        found: list = []
        calls = []
        drawn = [0] * len(chunk)  # cases sent per probe: a filter rejecting a later probe's draw
        # makes Hypothesis discard the example, and the probes sent before it must not go again
        # (they are still drawn: Hypothesis requires the same choices to draw the same way)

        def draw_all(data):
            calls.append(None)
            simplest = len(calls) == 1  # Hypothesis draws the simplest example of each probe first
            for i, probe in enumerate(chunk):
                case = data.draw(probe.strategy)
                if drawn[i] >= examples:
                    continue
                drawn[i] += 1
                case.seed = seed
                record = send_and_check(self.target, case, ctx)
                record.seed = seed
                if record.failed and simplest:  # nothing smaller to shrink to
                    record.shrunk = True
                    self.shrunk.add(failure_signature(record))
                if {f.outcome for f in record.findings} & GONE or (
                        record.failed and failure_signature(record) not in self.shrunk):
                    found.append((record, i))
                    raise _BatchStopped()
                passed.append(record)  # passed, failed at its simplest, or failed like one shrunk

        @_settings(examples, (Phase.explicit, Phase.generate))
        @hypothesis_seed(seed)
        @given(st.data())
        def batch(data):
            draw_all(data)

        batch = pinned_test(batch, DATABASE_KEY)
        try:
            batch()
        except _BatchStopped:
            record, index = found[0]
            return passed, record, index, []
        except Exception as exc:
            # A probe whose strategy cannot draw. The probes not sent yet go alone, the broken one
            # among them, reporting its own harness error; past the first example, the batch does.
            unsent = [probe for probe, n in zip(chunk, drawn) if not n]
            if not unsent:
                passed.append(CaseRecord(_placeholder(operation, seed), None, [Finding(
                    "harness", ERROR, f"{exc.__class__.__name__}: {str(exc)[:500]}", operation, "", "Harness")]))
            return passed, None, 0, unsent
        return passed, None, 0, []

    def _shrink(self, operation, probe, seed: int, examples: int, failing: CaseRecord) -> list[CaseRecord]:
        """The probe run alone from the failure the batch met, so Hypothesis shrinks it; the
        batch's own record stands when the probe's run does not meet the failure again."""
        got = self.explore(operation, probe.strategy, seed, examples, known={_key(failing.case): failing})
        return got if any(r.failed for r in got) else got + [failing]


# Shrinking one failure may send this many new requests and take this long; then the smallest
# failure so far is kept. Without a bound, a target failing everything keeps the shrinker busy for
# minutes per operation.
SHRINK_SENDS = 40
SHRINK_SECONDS = 2.0  # per failure
SHRINK_SECONDS_PER_OPERATION = 4.0  # over all the probes of one operation


def _placeholder(operation: str, seed: int):
    from personalize_conformance.strategies import Case
    return Case(operation=operation, body=b"", family="valid", seed=seed)


def _gone(records: list[CaseRecord]) -> bool:
    """The operation is missing on the target, or the target stopped answering."""
    outcomes = {f.outcome for r in records for f in r.findings}
    return bool(outcomes) and outcomes <= {NOT_IMPLEMENTED, UNAVAILABLE, SKIPPED}


@dataclass
class OperationRun:
    """Every family for one operation against one target."""
    spec: object
    target: object
    run_seed: int
    budget: Budget = field(default_factory=Budget)
    families: tuple[str, ...] = FAMILIES
    pool: object = None  # strategies.StaticPool: filled from the target's answers as the run goes
    references: str = "existing"
    strategy_for: object = None  # operation -> strategy of Cases, replacing the valid family's

    def __post_init__(self) -> None:
        from personalize_conformance.strategies import StaticPool
        if self.pool is None:
            self.pool = StaticPool()

    def __call__(self, operation: str) -> list[CaseRecord]:
        from personalize_conformance.strategies import probes
        explorer = Explorer(self.target, self.spec, self.budget.valid)
        records: list[CaseRecord] = []
        for family in self.families:
            if family == "valid":
                strategy = (self.strategy_for(operation) if self.strategy_for else
                            probes(self.spec, operation, "valid", self.pool, self.references)[0].strategy)
                got = explorer.explore(operation, strategy, operation_seed(self.run_seed, operation),
                                       self.budget.valid)
                records.extend(self._observed(got))
                if _gone(got):
                    return records
                continue
            got, gone = explorer.batches(
                operation, probes(self.spec, operation, family, self.pool, self.references),
                lambda probe: probe_seed(self.run_seed, family, probe.rule),
                lambda start: batch_seed(self.run_seed, operation, family, start), self.budget.per_probe)
            records.extend(self._observed(got))
            if gone:
                return records
        return records

    def _observed(self, records: list[CaseRecord]) -> list[CaseRecord]:
        """Resources the answers show to exist join the pool, for later operations to point at
        (operations run in name order: the Creates come first)."""
        from personalize_conformance.strategies.pool import observe
        for r in records:
            if r.response is not None and hasattr(self.pool, "add"):
                observe(self.pool, r.case.operation, r.response.status, r.response.body, r.case.params)
        return records


def run_stateless(spec, target, *, run_seed: int, examples: int = 10, operations=None,
                  strategy_for=None, progress=None, families=FAMILIES, pool=None,
                  budget: Budget | None = None, into: list | None = None) -> list[CaseRecord]:
    """`into`: the list to add each operation's records to as soon as it is done (a run's
    result), so that an interrupt loses none; interrupted, an operation adds every case it had
    judged."""
    run = OperationRun(spec, target, run_seed, budget or Budget.from_examples(examples), tuple(families),
                       pool, strategy_for=strategy_for)
    records: list[CaseRecord] = [] if into is None else into
    names = list(operations or spec.operations)
    for i, name in enumerate(names, 1):
        with judged_meanwhile() as judged:
            try:
                got = run(name)
            except KeyboardInterrupt:
                records.extend({id(r): r for r in judged}.values())  # once each, in the order judged
                raise
        records.extend(got)
        if progress:
            progress(i, len(names), records)
    return records


def add_coverage(result, spec) -> dict:
    """Put the run's constraint coverage, and the constraints the target did not hold to, into
    `result.extra` (results.json and summary.md)."""
    from personalize_conformance.strategies.coverage import SECTION_TITLE, coverage, summary_lines
    answered = [(r.case, r.response is not None) for r in result.records]
    report = coverage(spec, answered, list(result.operations))
    result.extra["coverage"] = report
    titles = (SECTION_TITLE, CONSTRAINTS_TITLE)
    sections = [s for s in result.extra.get("summary_sections", []) if s.get("title") not in titles]
    sections.append({"title": SECTION_TITLE, "lines": summary_lines(report)})
    broken = constraint_findings(result.records)
    if broken:
        sections.append({"title": CONSTRAINTS_TITLE, "lines": broken})
    result.extra["summary_sections"] = sections
    return report


CONSTRAINTS_TITLE = "Constraints the target does not hold to"
MAX_ROWS = 40


def constraint_findings(records) -> list[str]:
    """One row per constraint whose boundary or invalid case failed: the rule, what the target
    answered, and the minimal request Hypothesis shrank it to."""
    from personalize_conformance.checks.errorcode import error_code
    rows, seen = [], set()
    for r in records:
        if r.case.family not in ("boundary", "invalid") or not r.case.rule or r.response is None:
            continue
        verdicts = [f for f in r.findings if f.rule.startswith("acceptance.") and f.outcome == "fail"]
        if not verdicts or r.case.rule in seen:
            continue
        seen.add(r.case.rule)
        status = r.response.status
        answer = "accepted" if status < 300 else f"{status} {error_code(r.response.headers, r.response.body) or ''}"
        rows.append(f"| `{r.case.rule}` | {r.case.family} | {answer.strip()} | {_cell(r.case.note, 70)} | "
                    f"`{_cell(r.case.body.decode('utf-8', 'replace'), 70).replace('`', '´')}` |")
    if not rows:
        return []
    head = ["Each row is one constraint, its answer, and the minimal request (shrunk; replay with the "
            "run's `--hypothesis-seed`; curl and boto3 forms in results.json).", "",
            "| rule | family | answer | the case | minimal request |", "|---|---|---|---|---|"]
    more = ["", f"… and {len(rows) - MAX_ROWS} more in results.json"] if len(rows) > MAX_ROWS else []
    return head + rows[:MAX_ROWS] + more


def _cell(text: str, limit: int) -> str:
    text = text.replace("|", "¦").replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"
