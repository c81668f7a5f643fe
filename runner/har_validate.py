"""Recorded traffic judged like a run: every Personalize exchange of a HAR file through the checks.

The result is an ordinary results document (its `source` names the HAR file), so the same
writers, `diff` and the same exit codes apply. The operation comes from the X-Amz-Target request
header; entries without one (a browser's other traffic) are counted and left out.

A HAR written by `run --har` keeps each case's own fields (family, expected outcome, header
overrides) in a `_case` field, and each exchange is judged exactly as the run judged it. Traffic
from elsewhere carries no case family, so it is taken as well-formed (`valid`: the family of
traffic an SDK sends); `family` says otherwise. An operation is NOT IMPLEMENTED only where its
answers say so, exactly as in a run; a bare 5xx is a server fault.
"""
from __future__ import annotations

import json
import pathlib
import time
from collections import Counter

from personalize_conformance.checks import UNAVAILABLE, Finding, context_for, run_checks
from personalize_conformance.targets.signing import wire_headers

from personalize_conformance.reporting import har
from personalize_conformance.reporting.cases import CaseError, rebuild

# Request headers a reproduction must keep when they differ from what the harness would send.
_KEPT = ("content-type", "x-amz-target")


def _overrides(exchange: har.Exchange, operation: str) -> dict:
    defaults = {k.lower(): v for k, v in wire_headers(operation).items()}
    return {name: value for name, value in exchange.request_headers.items()
            if name in _KEPT and defaults.get(name) != value}


def _case(exchange: har.Exchange, operation: str, family: str):
    from personalize_conformance.strategies import Case
    if exchange.case is not None and exchange.case.get("operation") == operation:
        try:
            return rebuild(exchange.case, exchange.body)[0]  # recorded by a run: judged as the run did
        except CaseError:
            pass  # a hand-edited `_case`: judge the exchange as foreign traffic
    try:
        params = json.loads(exchange.body.decode("utf-8")) if exchange.body else {}
    except (ValueError, UnicodeDecodeError):
        params = None
    return Case(operation=operation, body=exchange.body,
                params=params if isinstance(params, dict) else None,
                headers=_overrides(exchange, operation), family=family)


def _record(exchange: har.Exchange, case, ctx):
    from personalize_conformance.runner.records import CaseRecord
    if exchange.response is None:
        return CaseRecord(case, None, [Finding("target.available", UNAVAILABLE,
                                               exchange.error or "no response recorded", case.operation,
                                               case.case_id, "Target answered")])
    return CaseRecord(case, exchange.response, run_checks(case, exchange.response, ctx))


def judge(exchanges: list[har.Exchange], spec, family: str = "valid") -> tuple[list, dict]:
    """(case records, what was left out and why) for the Personalize exchanges of a HAR file."""
    ctx = context_for(spec)
    records, skipped, unknown = [], Counter(), Counter()
    for exchange in exchanges:
        operation = exchange.operation
        if operation is None:
            skipped["not an Amazon Personalize request (no X-Amz-Target for it)"] += 1
            continue
        if exchange.method not in ("POST", ""):
            skipped[f"{exchange.method} request"] += 1
            continue
        if operation not in spec.operations:
            unknown[operation] += 1
            continue
        records.append(_record(exchange, _case(exchange, operation, family), ctx))
    if unknown:
        skipped["operations the spec does not define"] = sum(unknown.values())
    return records, {"reasons": dict(skipped), "unknown_operations": dict(unknown)}


def result_for(path: str | pathlib.Path, spec, *, family: str = "valid", run_id: str | None = None):
    """A RunResult for the HAR file at `path`, ready for `build_document`."""
    from personalize_conformance.runner.records import RunResult
    from personalize_conformance.runner.session import new_run_id
    exchanges = har.read(path)
    records, skipped = judge(exchanges, spec, family)
    names = sorted({r.case.operation for r in records})
    times = [e.started for e in exchanges if e.started is not None]
    hosts = sorted({e.url.split("/")[2] for e in exchanges if e.operation and e.url.count("/") >= 2})
    now = time.time()
    return RunResult(
        run_id=run_id or new_run_id(), target="har", endpoint=", ".join(hosts) or "recorded",
        spec_source=spec.source, spec_version=spec.version, seed=None,
        operations={n: spec.operation(n) for n in names}, records=records,
        started=min(times) if times else now, finished=max(times) if times else now,
        settings={"family": family},
        extra={"source": f"HAR {path}",
               "har": {"file": str(path), "entries": len(exchanges), "judged": len(records), "skipped": skipped}})
