"""Folding findings into the verdicts a matrix shows. Reports print these; they never re-derive them."""
from __future__ import annotations

from collections import defaultdict

PASS, FAIL, WARN = "PASS", "FAIL", "WARN"
NOT_IMPLEMENTED, ERROR, UNAVAILABLE, NOT_RUN = "NOT IMPLEMENTED", "ERROR", "UNAVAILABLE", "NOT RUN"

_CELL = {"pass": PASS, "fail": FAIL, "warn": WARN, "not-implemented": NOT_IMPLEMENTED,
         "error": ERROR, "unavailable": UNAVAILABLE, "skipped": NOT_RUN}
# The worst outcome wins a cell: one failure makes the cell FAIL whatever else passed.
_RANK = [FAIL, ERROR, UNAVAILABLE, NOT_IMPLEMENTED, WARN, PASS, NOT_RUN]


def worst(cells) -> str:
    cells = list(cells)
    return min(cells, key=_RANK.index) if cells else NOT_RUN


def matrix(result, rules: list[str]) -> dict[str, dict]:
    """operation -> {"status": verdict, "checks": {rule: verdict}, "cases": n}."""
    by_op: dict[str, list] = defaultdict(list)
    for record in result.records:
        by_op[record.case.operation].append(record)
    out = {}
    for name, op in result.operations.items():
        records = by_op.get(name, [])
        cells: dict[str, list[str]] = defaultdict(list)
        gate = None
        for record in records:
            for f in record.findings:
                cells[f.rule].append(_CELL[f.outcome])
        outcomes = {f.outcome for r in records for f in r.findings}
        if records and outcomes and outcomes <= {"not-implemented"}:
            gate = NOT_IMPLEMENTED
        elif records and outcomes and outcomes <= {"unavailable"}:
            gate = UNAVAILABLE
        checks = {rule: gate or worst(cells.get(rule, [])) for rule in rules}
        for rule, values in cells.items():
            checks.setdefault(rule, worst(values))
        out[name] = {
            "resource": op.resource, "kind": op.kind, "cases": len(records),
            "status": gate or worst([c for c in checks.values() if c != NOT_RUN]),
            "checks": checks,
        }
    return out


def totals(mat: dict) -> dict:
    counts: dict[str, int] = defaultdict(int)
    for row in mat.values():
        counts[row["status"]] += 1
    return {"operations": len(mat), **{k: counts.get(k, 0) for k in
                                       (PASS, WARN, FAIL, NOT_IMPLEMENTED, ERROR, UNAVAILABLE, NOT_RUN)}}


def exit_code(mat: dict) -> int:
    """0: all conform; 1: non-conformance found; 2: the harness could not judge (errors, no target)."""
    statuses = {row["status"] for row in mat.values()}
    if FAIL in statuses:
        return 1
    if ERROR in statuses or UNAVAILABLE in statuses:
        return 2
    return 0
