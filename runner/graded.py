"""What each verdict of a run rests on: the evidence levels of its findings, folded for the reports.

A results document says, beside its matrix, how much each FAIL deserves to be trusted: every
finding carries its `evidence_level` (checks.evidence), each matrix row names the level of what
decided its FAIL and WARN cells, and the document's `evidence` section splits the run's FAILs
by level, counts the doc-only departures that were only warned about, and lists where recorded
AWS traffic says the docs are wrong. It is computed from the document itself, so the xdist merge
recomputes it over every worker's cases.
"""
from __future__ import annotations

from collections import defaultdict

from personalize_conformance.checks import evidence

CELL_OUTCOMES = {"FAIL": "fail", "WARN": "warn", "ERROR": "error"}


def strongest(levels) -> str:
    """The most trusted of `levels` (model first, doc last); "" when there are none."""
    present = set(levels)
    return next((lv for lv in evidence.LEVELS if lv in present), "")


def rule_levels(rules) -> dict[str, list[str]]:
    return {rule: evidence.levels(rule) for rule in rules}


def contradicted() -> list[dict]:
    """Where recorded AWS traffic walks statuses the docs do not give (the docs are wrong there):
    flows with chains AWS was seen to walk beside, or instead of, the documented ones."""
    from personalize_conformance.contracts import machines
    out = []
    for (rtype, member), machine in sorted(machines().items()):
        for action, flow in machine.flows.items():
            seen = [chain for chain, _ in getattr(flow, "observed", ())]
            documented = {s for c in flow.chains for s in c.states}
            if seen and any(set(c.states) - documented for c in seen):
                out.append({"resource": rtype, "member": member, "action": action,
                            "docs": "; ".join(str(c) for c in flow.chains) or "no status",
                            "observed": "; ".join(str(c) for c in seen), "cite": str(flow.cite)})
    return out


def annotate(doc: dict) -> dict:
    """Add `evidence` to each matrix row and the run's `evidence` section, in place."""
    by_cell: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    fails: dict[str, int] = defaultdict(int)
    failing_ops: dict[str, set[str]] = defaultdict(set)
    doc_warnings = 0
    for case in doc.get("cases") or ():
        if not isinstance(case, dict):
            continue
        for f in case.get("findings") or ():
            if not isinstance(f, dict):
                continue
            outcome, lv = f.get("outcome"), f.get("evidence_level") or ""
            if outcome not in ("fail", "warn", "error") or not lv:
                continue
            by_cell[(str(case.get("operation")), str(f.get("rule")), outcome)].add(lv)
            if outcome == "fail":
                fails[lv] += 1
                failing_ops[lv].add(str(case.get("operation")))
            elif outcome == "warn" and str(f.get("message", "")).startswith("the docs say "):
                doc_warnings += 1
    for name, row in (doc.get("operations") or {}).items():
        if not isinstance(row, dict):
            continue
        cells = {}
        for rule, verdict in (row.get("checks") or {}).items():
            outcome = CELL_OUTCOMES.get(verdict)
            lv = strongest(by_cell.get((name, rule, outcome), ())) if outcome else ""
            if lv:
                cells[rule] = lv
        row["evidence"] = cells
    settings = doc.get("settings") if isinstance(doc.get("settings"), dict) else {}
    doc["evidence"] = {
        "levels": list(evidence.LEVELS),
        "strict": bool(settings.get("strict", False)),
        "rules": rule_levels(doc.get("rules") or {}),
        "fail_findings": {lv: fails.get(lv, 0) for lv in evidence.LEVELS},
        "fail_operations": {lv: len(failing_ops.get(lv, ())) for lv in evidence.LEVELS},
        "doc_warnings": doc_warnings,
        "contradicted": contradicted(),
    }
    return doc


__all__ = ["annotate", "strongest", "rule_levels", "contradicted"]
