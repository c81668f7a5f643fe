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

DEFINITION = ("a constraint is exercised when a case aimed at it was answered by the target; "
              "invalid coverage counts breakable constraints only")


def _pct(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 100.0


def coverage(spec, answered, operations) -> dict:
    """`answered`: (case, got an answer) pairs of the run. Returns the `coverage` section."""
    hit = {"boundary": set(), "invalid": set()}
    tried = defaultdict(set)  # per-member invalid kinds (type, null) and request-level rules
    for case, ok in answered:
        if not ok or case.family not in hit:
            continue
        hit[case.family].update(case.covers)
        if case.family == "invalid" and case.rule:
            tried[case.operation].add(case.rule)
    per_op, by_kind = {}, defaultdict(lambda: defaultdict(int))
    totals = defaultdict(int)
    for name in operations:
        cs = constraints(spec, name)
        breakable = [c for c in cs if c.breakable]
        b = [c.rule for c in cs if c.rule in hit["boundary"]]
        i = [c.rule for c in breakable if c.rule in hit["invalid"]]
        for c in cs:
            kind = c.kind if c.kind in KINDS else "semantic"
            row = by_kind[kind]
            row["constraints"] += 1
            row["breakable"] += c.breakable
            row["boundary"] += c.rule in hit["boundary"]
            row["invalid"] += c.breakable and c.rule in hit["invalid"]
        typed = members(spec, name)
        per_op[name] = {
            "constraints": len(cs), "breakable": len(breakable), "boundary": len(b), "invalid": len(i),
            "boundary_pct": _pct(len(b), len(cs)), "invalid_pct": _pct(len(i), len(breakable)),
            "missing_boundary": [c.rule for c in cs if c.rule not in hit["boundary"]],
            "missing_invalid": [c.rule for c in breakable if c.rule not in hit["invalid"]],
            "unbreakable": {c.rule: c.why_not for c in cs if not c.breakable},
            "type_members": sum(m.rule("type") in tried[name] for m in typed),
            "members": len(typed),
            "request_defects": sorted(r.split(".", 1)[1] for r in tried[name] if _request_level(r)),
        }
        for key in ("constraints", "breakable", "boundary", "invalid", "type_members", "members"):
            totals[key] += per_op[name][key]
    overall = dict(totals)
    overall["boundary_pct"] = _pct(totals["boundary"], totals["constraints"])
    overall["invalid_pct"] = _pct(totals["invalid"], totals["breakable"])
    return {"definition": DEFINITION, "overall": overall,
            "by_kind": {k: dict(v) for k, v in sorted(by_kind.items(), key=lambda kv: _kind_order(kv[0]))},
            "operations": per_op}


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


__all__ = ["coverage", "summary_lines", "DEFINITION"]
