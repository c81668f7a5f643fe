"""The stateless run: for every operation, the valid, boundary and invalid families sent and
judged, each failure minimal.

The valid family is one Hypothesis run per operation: its variety is what a search is for.
Boundary and invalid are enumerations, one probe per constraint (or request-level defect), and
every probe is sent in every run, so every constraint is exercised: their cases are built
directly from the operation's skeleton, with no search. A probe's first case is minimal by
construction (a failure of it is reported as sent, `shrunk_by` "construction"); a later case that
fails is re-run under Hypothesis, which shrinks it (`shrunk_by` "hypothesis"). Every seed derives
from the run seed, so `--hypothesis-seed` replays the whole run, and any probe alone, byte for byte.
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


class _Enough(BaseException):
    """Ends a Hypothesis run at once: its budget is sent, or the operation is gone."""


class _ShrinkBudgetSpent(BaseException):
    """Stops Hypothesis's shrinker at once (it would go on with cheap calls for minutes)."""


def operation_seed(run_seed: int, operation: str) -> int:
    return zlib.crc32(f"{run_seed}:{operation}".encode())


def probe_seed(run_seed: int, family: str, rule: str) -> int:
    return zlib.crc32(f"{run_seed}:{family}:{rule}".encode())


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
SHRINK_EXAMPLES = 20  # examples a shrinking run may draw before it meets the failure again
BY_CONSTRUCTION, BY_HYPOTHESIS = "construction", "hypothesis"  # how a failing case came to be minimal


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
                known: dict | None = None, per_example: int = 1) -> list[CaseRecord]:
        """`known`: requests already sent, with their records, so a shrinking run starts from the
        failure met without sending it again. `per_example`: requests drawn per Hypothesis
        example after the first (the simplest, one request): an example costs Hypothesis far
        more than a draw within it, and a failing draw still shrinks with its example."""
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

        examples_run = budget if per_example <= 1 else 1 + -(-(budget - 1) // per_example)
        calls: list = []

        def draw_each(data):
            calls.append(None)
            for _ in range(1 if len(calls) == 1 else per_example):  # the first example is the
                # simplest: its draws would all be equal. The shrink budget is checked before
                # every draw: one a filter rejects never reaches `step`, and shrinking can spend
                # minutes on those alone.
                if state["failing"] is not None and time.monotonic() - state["failed_at"] > state["shrink_for"]:
                    raise _ShrinkBudgetSpent()
                state["draws"] += 1  # the first is Hypothesis's simplest example, even if rejected
                case = data.draw(strategy)
                if state["failing"] is None and (state["stop"] or len(kept) >= budget):
                    raise _Enough()  # done: the run ends at once (after a draw: an example drawing
                    # nothing where one before it drew is flaky to Hypothesis)
                step(case)

        @_settings(examples_run, (Phase.explicit, Phase.generate, Phase.shrink))
        @hypothesis_seed(seed)
        @given(st.data())
        def probe(data):
            draw_each(data)

        probe = pinned_test(probe, DATABASE_KEY)

        try:
            try:
                probe()
            except _Enough:
                pass
            except _ShrinkBudgetSpent:  # the smallest failure found so far stands
                raise _CheckFailed(state["failing"].case.case_id) from None
            finally:
                if state["failed_at"]:
                    self.shrink_left -= time.monotonic() - state["failed_at"]
        except Exception as exc:
            failing = state["failing"]
            if failing is not None:  # the minimal failing example (Hypothesis's, or the last one
                failing.shrunk, failing.shrunk_by = True, BY_HYPOTHESIS  # it reached before a replay
                # answered differently)
                kept.append(failing)
                self.shrunk.add(failure_signature(failing))
            else:  # a generation problem is the harness's, reported per operation
                kept.append(CaseRecord(_placeholder(operation, seed), None, [Finding(
                    "harness", ERROR, f"{exc.__class__.__name__}: {str(exc)[:500]}", operation, "", "Harness")]))
        return kept

    def enumerated(self, operation: str, probes, seeds, examples: int = 1) -> tuple[list[CaseRecord], bool]:
        """Every probe of `probes`, its first `examples` cases each, built directly and sent in
        turn. A probe's first case is minimal by construction: its failure is kept as sent. A
        later one (a choice the seed picked) that fails is re-run under Hypothesis to shrink it,
        unless a failure like it was already shrunk. Returns the records, and whether the
        operation is gone (not implemented, unavailable, refused): nothing more to send then."""
        ctx = context_for(self.spec)
        records: list[CaseRecord] = []
        for probe in probes:
            seed = seeds(probe)
            try:
                cases = probe.cases(examples, seed)
            except Exception as exc:  # a probe that cannot build costs only itself a harness error
                records.append(CaseRecord(_placeholder(operation, seed), None, [Finding(
                    "harness", ERROR, f"{exc.__class__.__name__}: {str(exc)[:500]}", operation, "", "Harness")]))
                continue
            sent: dict = {}  # this probe's requests so far: a shrinking run does not send them again
            for i, case in enumerate(cases):
                case.seed = seed
                record = send_and_check(self.target, case, ctx)
                record.seed = seed
                sent[_key(case)] = record
                if {f.outcome for f in record.findings} & GONE:
                    records.append(record)
                    return records, True
                if not record.failed:
                    records.append(record)
                    continue
                if i == 0:  # the smallest request with the simplest edge value
                    record.shrunk, record.shrunk_by = True, BY_CONSTRUCTION
                    self.shrunk.add(failure_signature(record))
                    records.append(record)
                elif failure_signature(record) not in self.shrunk:
                    records.extend(self._shrink(operation, probe, seed, examples, record, sent))
                else:
                    records.append(record)  # fails like one already shrunk: reported as sent
                break  # one failure per probe: its minimal one
        return records, False

    def _shrink(self, operation, probe, seed: int, examples: int, failing: CaseRecord,
                sent: dict) -> list[CaseRecord]:
        """The probe's strategy run under Hypothesis from the failure met, so that it shrinks it;
        the failing record stands as sent when the run does not meet the failure again. The
        probe's cases sent before are not sent again, nor reported twice."""
        got = self.explore(operation, probe.strategy, seed, max(examples, SHRINK_EXAMPLES), known=sent)
        got = [r for r in got if r.failed or r not in sent.values()]
        return got if any(r.failed for r in got) else got + [failing]


VALID_DRAWS = 9  # valid requests drawn per Hypothesis example: --examples 10 is two examples


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
                whole, *text = probes(self.spec, operation, "valid", self.pool, self.references)
                strategy = self.strategy_for(operation) if self.strategy_for else whole.strategy
                got = explorer.explore(operation, strategy, operation_seed(self.run_seed, operation),
                                       self.budget.valid, per_example=VALID_DRAWS)
                records.extend(self._observed(got))
                if _gone(got):
                    return records
                if text and not self.strategy_for:  # non-ASCII text, raw and escaped: strategies.unicode
                    got, gone = explorer.enumerated(
                        operation, text, lambda probe: probe_seed(self.run_seed, family, probe.rule),
                        self.budget.per_probe)
                    records.extend(self._observed(got))
                    if gone:
                        return records
                continue
            got, gone = explorer.enumerated(
                operation, probes(self.spec, operation, family, self.pool, self.references),
                lambda probe: probe_seed(self.run_seed, family, probe.rule), self.budget.per_probe)
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
    from .collector import fewer_collections
    run = OperationRun(spec, target, run_seed, budget or Budget.from_examples(examples), tuple(families),
                       pool, strategy_for=strategy_for)
    records: list[CaseRecord] = [] if into is None else into
    names = list(operations or spec.operations)
    with fewer_collections():
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
