"""The stateless run: for every operation, generated requests sent and judged, failures shrunk.

Each operation gets its own Hypothesis run seeded from the run seed, so one operation's failure
replays on its own with `--hypothesis-seed`. A failing case is shrunk by Hypothesis and the
minimal example is what the report keeps.
"""
from __future__ import annotations

import zlib
from dataclasses import dataclass

from hypothesis import HealthCheck, given, settings
from hypothesis import seed as hypothesis_seed

from checks import ERROR, UNAVAILABLE, Finding, context_for, run_checks
from checks.findings import SKIPPED
from targets import NotSent, TargetUnavailable

from .records import CaseRecord


class _CheckFailed(AssertionError):
    pass


def operation_seed(run_seed: int, operation: str) -> int:
    return zlib.crc32(f"{run_seed}:{operation}".encode())


def send_and_check(target, case, ctx) -> CaseRecord:
    """One case through the target and the checks; never raises for what the target does."""
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

    def explore(self, operation: str, strategy, seed: int) -> list[CaseRecord]:
        ctx = context_for(self.spec)
        kept: list[CaseRecord] = []
        state: dict = {"stop": False, "failing": None, "bare": [], "answered": False}

        @settings(max_examples=self.examples, database=None, deadline=None, derandomize=False,
                  suppress_health_check=list(HealthCheck), report_multiple_bugs=False, print_blob=False)
        @hypothesis_seed(seed)
        @given(strategy)
        def probe(case):
            if state["stop"]:
                return
            case.seed = seed
            record = send_and_check(self.target, case, ctx)
            record.seed = seed
            outcomes = {f.outcome for f in record.findings}
            if outcomes & {"not-implemented", "unavailable", SKIPPED}:
                state["stop"] = True  # nothing more to learn from this operation on this target
                kept.append(record)
                return
            if _bare_server_error(record) and not state["answered"]:
                state["bare"].append(record)  # maybe the operation is missing: decide after a few
                if len(state["bare"]) >= BARE_PROBES:
                    state["stop"] = True
                return
            state["answered"] = True
            if record.failed:
                state["failing"] = record
                raise _CheckFailed(record.case.case_id)
            if len(kept) < self.examples:
                kept.append(record)

        try:
            probe()
            if state["bare"] and not state["answered"]:
                kept.extend(_as_unimplemented(r) for r in state["bare"])
            else:
                kept.extend(state["bare"])
        except _CheckFailed:
            failing = state["failing"]
            failing.shrunk = True
            kept.append(failing)
        except Exception as exc:  # a generation problem is the harness's, reported per operation
            kept.append(CaseRecord(_placeholder(operation, seed), None, [Finding(
                "harness", ERROR, f"{exc.__class__.__name__}: {str(exc)[:500]}", operation, "", "Harness")]))
        return kept


BARE_PROBES = 3


def _bare_server_error(record: CaseRecord) -> bool:
    """A 5xx with no protocol error code: a framework page, not an answer of the operation."""
    from checks.errorcode import error_code
    r = record.response
    return r is not None and r.status >= 500 and error_code(r.headers, r.body) is None


def _as_unimplemented(record: CaseRecord) -> CaseRecord:
    """Every request of the operation got a bare 5xx: the target lacks it (moto's server answers
    unimplemented actions with a generic HTML 500)."""
    from checks import NOT_IMPLEMENTED
    case = record.case
    record.findings = [Finding("target.not-implemented", NOT_IMPLEMENTED,
                               f"every request answered a bare HTTP {record.response.status} "
                               "with no protocol error code", case.operation, case.case_id,
                               "Spec: the operation exists; a target lacking it is reported apart")]
    return record


def _placeholder(operation: str, seed: int):
    from strategies import Case
    return Case(operation=operation, body=b"", family="valid", seed=seed)


def run_stateless(spec, target, *, run_seed: int, examples: int = 10, operations=None,
                  strategy_for=None, progress=None) -> list[CaseRecord]:
    from strategies import valid_cases
    strategy_for = strategy_for or (lambda op: valid_cases(spec, op))
    explorer = Explorer(target, spec, examples)
    records: list[CaseRecord] = []
    names = list(operations or spec.operations)
    for i, name in enumerate(names, 1):
        records.extend(explorer.explore(name, strategy_for(name), operation_seed(run_seed, name)))
        if progress:
            progress(i, len(names), records)
    return records
