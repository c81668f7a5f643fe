"""Folding findings into the verdicts a matrix shows. Reports print these; they never re-derive them.

A verdict is only as good as what was judged. An operation PASSes only when its response checks
ran on at least one success (a 2xx answer): refusals alone show that the target can say no, not
that it answers the operation as the spec says. Each row counts the successes its verdict rests
on, and a run in which nothing was judged, or an operation was never seen to succeed, does not
exit 0 (it exits 2: the harness could not judge).
"""
from __future__ import annotations

from collections import defaultdict

from personalize_conformance.checks.registry import GATES

PASS, FAIL, WARN = "PASS", "FAIL", "WARN"
NOT_IMPLEMENTED, ERROR, UNAVAILABLE, NOT_RUN = "NOT IMPLEMENTED", "ERROR", "UNAVAILABLE", "NOT RUN"

_CELL = {"pass": PASS, "fail": FAIL, "warn": WARN, "not-implemented": NOT_IMPLEMENTED,
         "error": ERROR, "unavailable": UNAVAILABLE, "skipped": NOT_RUN}
# The worst outcome wins a cell: one failure makes the cell FAIL whatever else passed.
_RANK = [FAIL, ERROR, UNAVAILABLE, NOT_IMPLEMENTED, WARN, PASS, NOT_RUN]
JUDGED = (PASS, WARN)  # statuses that say the operation was judged and held
NO_SUCCESS = "no success seen"  # how a NOT RUN row for want of a success starts its reason
NOT_SENT = "not sent"


def worst(cells) -> str:
    cells = list(cells)
    return min(cells, key=_RANK.index) if cells else NOT_RUN


def judged_success(record, rules) -> bool:
    """A 2xx answer that the response checks (not only the gates) ran on."""
    response = record.response
    return (response is not None and 200 <= response.status < 300
            and any(f.rule in rules and f.rule not in GATES for f in record.findings))


def matrix(result, rules: list[str]) -> dict[str, dict]:
    """operation -> {"status", "reason", "checks": {rule: verdict}, "cases", "successes"}."""
    by_op: dict[str, list] = defaultdict(list)
    for record in result.records:
        by_op[record.case.operation].append(record)
    response_rules = set(rules)
    out = {}
    for name, op in result.operations.items():
        records = by_op.get(name, [])
        cells: dict[str, list[str]] = defaultdict(list)
        for record in records:
            for f in record.findings:
                cells[f.rule].append(_CELL[f.outcome])
        outcomes = {f.outcome for r in records for f in r.findings}
        gate = None
        if outcomes and outcomes <= {"not-implemented"}:
            gate = NOT_IMPLEMENTED
        elif outcomes and outcomes <= {"unavailable"}:
            gate = UNAVAILABLE
        checks = {rule: gate or worst(cells.get(rule, [])) for rule in rules}
        for rule, values in cells.items():
            checks.setdefault(rule, worst(values))
        successes = sum(judged_success(r, response_rules) for r in records)
        status = gate or worst([c for c in checks.values() if c != NOT_RUN])
        reason = ""
        if not records:
            status, reason = NOT_RUN, "no request of it was made"
        elif outcomes and outcomes <= {"skipped"}:
            status = NOT_RUN
            reason = f"{NOT_SENT}: " + next(f.message for r in records for f in r.findings)
        elif status in JUDGED + (NOT_RUN,) and successes == 0:
            status = NOT_RUN
            reason = (f"{NO_SUCCESS}: none of its {len(records)} requests was answered with a success, "
                      "so its response checks never ran")
        out[name] = {
            "resource": op.resource, "kind": op.kind, "cases": len(records), "successes": successes,
            "status": status, "reason": reason, "checks": checks,
        }
    return out


def totals(mat: dict) -> dict:
    counts: dict[str, int] = defaultdict(int)
    for row in mat.values():
        counts[row["status"]] += 1
    return {"operations": len(mat), **{k: counts.get(k, 0) for k in
                                       (PASS, WARN, FAIL, NOT_IMPLEMENTED, ERROR, UNAVAILABLE, NOT_RUN)}}


def unjudged(mat: dict) -> str | None:
    """Why a run with no failure, harness error or unavailability still did not show that the
    target conforms, in one line; None when it did (or when one of those decides the exit)."""
    statuses = [row.get("status") for row in mat.values()]
    if FAIL in statuses or ERROR in statuses or UNAVAILABLE in statuses:
        return None
    if not any(s in JUDGED for s in statuses):
        if statuses and all(s == NOT_IMPLEMENTED for s in statuses):
            return (f"nothing implemented: the target answered every one of the {len(statuses)} operations "
                    "as unknown, so nothing was judged")
        counts = ", ".join(f"{statuses.count(s)} {s}" for s in sorted(set(statuses)))
        return f"nothing judged: no operation was seen to succeed ({counts or 'no operations'})"
    unseen = [name for name, row in mat.items()
              if row.get("status") == NOT_RUN and str(row.get("reason", "")).startswith(NO_SUCCESS)]
    if unseen:
        shown = ", ".join(unseen[:5]) + (f" and {len(unseen) - 5} more" if len(unseen) > 5 else "")
        return (f"{NO_SUCCESS} for {len(unseen)} operation{'s' if len(unseen) > 1 else ''} ({shown}): "
                "no request was answered with a success, so their response checks never ran")
    return None


def exit_code(mat: dict) -> int:
    """0: every operation judged conforms (or was not sent by the user's choice); 1: non-conformance
    found; 2: something could not be judged (errors, no target, nothing implemented, an operation
    never seen to succeed). `runner.gate` adds --fail-on and --baseline to the same rule."""
    statuses = {row["status"] for row in mat.values()}
    if FAIL in statuses:
        return 1
    if ERROR in statuses or UNAVAILABLE in statuses or unjudged(mat):
        return 2
    return 0
