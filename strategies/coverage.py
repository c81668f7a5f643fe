"""Constraint coverage: which constraints a run exercised with a boundary-valid case and with an
invalid case, per operation and overall.

A constraint counts as exercised when a case aimed at it got an answer from the target (a case
that never reached the target exercised nothing). Constraints no value can break alone
(`minLength` 0, a start-anchored pattern matching the empty prefix) are listed apart and left
out of the invalid figure.
"""
from __future__ import annotations

from collections import defaultdict

from .constraints import KINDS, constraints, members

SECTION_TITLE = "Constraint coverage"
DEFINITION = ("a constraint is exercised when a case aimed at it was answered by the target; "
              "invalid coverage counts breakable constraints only")


def _pct(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 100.0


def coverage(spec, answered, operations) -> dict:
    """`answered`: (case, got an answer) pairs of the run. Returns the `coverage` section."""
    hit = {"boundary": set(), "invalid": set()}
    tried = defaultdict(set)  # invalid rules per operation: wrong types and request-level defects too
    for case, ok in answered:
        if not ok or case.family not in hit:
            continue
        hit[case.family].update(case.covers)
        if case.family == "invalid" and case.rule:
            tried[case.operation].add(case.rule)
    per_op = {}
    for name in operations:
        cs = constraints(spec, name)
        typed = members(spec, name)
        kinds: dict = defaultdict(lambda: {"constraints": 0, "breakable": 0})
        for c in cs:
            kinds[_kind(c.rule)]["constraints"] += 1
            kinds[_kind(c.rule)]["breakable"] += c.breakable
        per_op[name] = _counted({
            "kinds": dict(kinds),
            "missing_boundary": [c.rule for c in cs if c.rule not in hit["boundary"]],
            "missing_invalid": [c.rule for c in cs if c.breakable and c.rule not in hit["invalid"]],
            "unbreakable": {c.rule: c.why_not for c in cs if not c.breakable},
            "type_members": sum(m.rule("type") in tried[name] for m in typed),
            "members": len(typed),
            "request_defects": sorted(r.split(".", 1)[1] for r in tried[name] if _request_level(r)),
        })
    return _report(per_op)


def _kind(rule: str) -> str:
    kind = rule.rsplit(".", 1)[1]
    return kind if kind in KINDS else "semantic"


def _counted(row: dict) -> dict:
    """A per-operation row with its counts and percentages worked out from its missing lists."""
    total = sum(k["constraints"] for k in row["kinds"].values())
    breakable = sum(k["breakable"] for k in row["kinds"].values())
    boundary, invalid = total - len(row["missing_boundary"]), breakable - len(row["missing_invalid"])
    return {**row, "constraints": total, "breakable": breakable, "boundary": boundary, "invalid": invalid,
            "boundary_pct": _pct(boundary, total), "invalid_pct": _pct(invalid, breakable)}


def _report(per_op: dict) -> dict:
    totals: dict = defaultdict(int)
    by_kind: dict = defaultdict(lambda: defaultdict(int))
    for row in per_op.values():
        for key in ("constraints", "breakable", "boundary", "invalid", "type_members", "members"):
            totals[key] += row[key]
        for kind, counts in row["kinds"].items():
            by_kind[kind]["constraints"] += counts["constraints"]
            by_kind[kind]["breakable"] += counts["breakable"]
            by_kind[kind]["boundary"] += counts["constraints"]
            by_kind[kind]["invalid"] += counts["breakable"]
        for rule in row["missing_boundary"]:
            by_kind[_kind(rule)]["boundary"] -= 1
        for rule in row["missing_invalid"]:
            by_kind[_kind(rule)]["invalid"] -= 1
    overall = dict(totals)
    overall["boundary_pct"] = _pct(totals["boundary"], totals["constraints"])
    overall["invalid_pct"] = _pct(totals["invalid"], totals["breakable"])
    return {"definition": DEFINITION, "overall": overall,
            "by_kind": {k: dict(v) for k, v in sorted(by_kind.items(), key=lambda kv: _kind_order(kv[0]))},
            "operations": per_op}


def merge(reports: list[dict]) -> dict:
    """Coverage sections of runs over the same spec (pytest-xdist workers) as one: a constraint
    is exercised when any of them exercised it."""
    per_op: dict = {}
    for report in reports:
        for name, row in report.get("operations", {}).items():
            if name not in per_op:
                per_op[name] = dict(row)
                continue
            seen = per_op[name]
            seen["missing_boundary"] = [r for r in seen["missing_boundary"] if r in set(row["missing_boundary"])]
            seen["missing_invalid"] = [r for r in seen["missing_invalid"] if r in set(row["missing_invalid"])]
            seen["type_members"] = max(seen["type_members"], row["type_members"])
            seen["request_defects"] = sorted(set(seen["request_defects"]) | set(row["request_defects"]))
    return _report({name: _counted(row) for name, row in sorted(per_op.items())})


def merge_into(document: dict, reports: list[dict]) -> None:
    """Put the merged coverage, and one summary section for it, into a merged results document."""
    document["coverage"] = merged = merge(reports)
    sections = [s for s in document.get("summary_sections", []) if s.get("title") != SECTION_TITLE]
    document["summary_sections"] = sections + [{"title": SECTION_TITLE, "lines": summary_lines(merged)}]


def _request_level(rule: str) -> bool:
    return rule.split(".", 1)[1].lstrip("$").startswith(("body.", "header."))


def _kind_order(kind: str) -> int:
    return KINDS.index(kind) if kind in KINDS else len(KINDS)


def summary_lines(report: dict) -> list[str]:
    o = report["overall"]
    ops = report["operations"]
    lines = [
        f"**Boundary-valid: {o['boundary_pct']}%** ({o['boundary']} of {o['constraints']} constraints) · "
        f"**invalid: {o['invalid_pct']}%** ({o['invalid']} of {o['breakable']} breakable; "
        f"{o['constraints'] - o['breakable']} cannot be broken alone) · "
        f"wrong JSON type tried on {o['type_members']} of {o['members']} members",
        "",
        "| constraint | count | boundary-valid | invalid |",
        "|---|---|---|---|",
    ]
    for kind, row in report["by_kind"].items():
        lines.append(f"| {kind} | {row['constraints']} | {row['boundary']} | "
                     f"{row['invalid']} of {row['breakable']} |")
    short_b = {n: r for n, r in ops.items() if r["boundary_pct"] < 100}
    short_i = {n: r for n, r in ops.items() if r["invalid_pct"] < 100}
    lines.append("")
    if not short_b and not short_i:
        lines.append(f"Every one of the {len(ops)} operations is at 100% on both.")
    else:
        for name, row in sorted({**short_b, **short_i}.items()):
            lines.append(f"- {name}: boundary-valid {row['boundary_pct']}%, invalid {row['invalid_pct']}%"
                         + (f"; not exercised: {', '.join((row['missing_boundary'] + row['missing_invalid'])[:4])}"
                            if row["missing_boundary"] or row["missing_invalid"] else ""))
    lines.append("")
    lines.append(f"_{report['definition']}._")
    return lines


__all__ = ["coverage", "merge", "merge_into", "summary_lines", "DEFINITION", "SECTION_TITLE"]
