"""Two runs compared cell by cell: what broke, what got fixed, what got implemented.

A release gate reads this: a cell that conformed (or was never judged) in the earlier run and
fails in the later one is a regression, and so is an operation the target stops implementing.
Cells are compared as results.json states them; nothing is re-judged.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from . import view

JUDGED_OK = ("PASS", "WARN")
UNJUDGED = ("ERROR", "UNAVAILABLE")
CATEGORIES = ("newly_failing", "newly_unimplemented", "newly_passing", "newly_implemented",
              "newly_unjudged", "new_rule", "other")
REGRESSIONS = ("newly_failing", "newly_unimplemented")


@dataclass
class CellChange:
    operation: str
    rule: str
    before: str
    after: str
    message: str = ""  # why the later run gave this verdict, from its findings
    case_id: str = ""

    def to_dict(self) -> dict:
        return {"operation": self.operation, "rule": self.rule, "before": self.before,
                "after": self.after, "message": self.message, "case_id": self.case_id}


@dataclass
class RunDiff:
    before: dict
    after: dict
    changes: dict[str, list[CellChange]] = field(default_factory=lambda: {c: [] for c in CATEGORIES})
    operations_added: list[str] = field(default_factory=list)
    operations_removed: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def regressions(self) -> list[CellChange]:
        return [c for cat in REGRESSIONS for c in self.changes[cat]]

    @property
    def exit_code(self) -> int:
        """1 on a regression; 2 when the later run could not judge (or did not run) what the earlier
        one judged; else 0."""
        if self.regressions:
            return 1
        return 2 if self.changes["newly_unjudged"] else 0

    def to_dict(self) -> dict:
        return {"before": self.before, "after": self.after,
                "regression": bool(self.regressions), "exit_code": self.exit_code,
                "counts": {c: len(v) for c, v in self.changes.items()},
                "changes": {c: [x.to_dict() for x in v] for c, v in self.changes.items()},
                "operations_added": self.operations_added, "operations_removed": self.operations_removed,
                "notes": self.notes}


def classify(before: str, after: str) -> str | None:
    """The category of one cell's change, or None when it did not change."""
    if before == after:
        return None
    if before == "NOT IMPLEMENTED":
        return "newly_implemented"
    if after == "NOT IMPLEMENTED":
        return "newly_unimplemented"
    if after == "FAIL":
        return "newly_failing"
    if before == "FAIL" and after in JUDGED_OK:
        return "newly_passing"
    if after in UNJUDGED and before not in UNJUDGED:
        return "newly_unjudged"
    return "other"


def _identity(doc: dict) -> dict:
    head = view.headline(doc)
    settings = doc.get("settings") if isinstance(doc.get("settings"), dict) else {}
    return {"run_id": head["run_id"], "target": head["target"], "spec": head["spec"],
            "spec_version": head["spec_version"], "hypothesis_seed": doc.get("hypothesis_seed"),
            "hypothesis_version": doc.get("hypothesis_version"),
            "settings": settings, "totals": view.totals(doc)}


def _explanations(doc: dict) -> dict[tuple, tuple[str, str]]:
    """(operation, rule) → (message, case id) of the later run's findings, worst outcome first."""
    out: dict[tuple, tuple[str, str]] = {}
    for outcome in ("fail", "error", "unavailable", "not-implemented", "warn"):
        for g in view.groups(doc, (outcome,)):
            out.setdefault((g.operation, g.rule), (g.message, view.text(g.case.get("case_id"))))
    return out


def _comparability(a: dict, b: dict) -> list[str]:
    notes = []
    if (a["spec"], a["spec_version"]) != (b["spec"], b["spec_version"]):
        notes.append(f"the runs used different specs ({a['spec']} → {b['spec']}): "
                     "operations may differ for that reason alone")
    if a["hypothesis_seed"] != b["hypothesis_seed"]:
        notes.append("the runs used different hypothesis seeds, so they sent different requests: "
                     "rerun one with --hypothesis-seed of the other to compare like with like")
    elif a["hypothesis_version"] != b["hypothesis_version"] and a["hypothesis_seed"] is not None:
        notes.append(f"the runs share seed {a['hypothesis_seed']} but were drawn by Hypothesis "
                     f"{a['hypothesis_version'] or 'unknown'} and {b['hypothesis_version'] or 'unknown'}: "
                     "the same seed draws other requests under another version")
    if a["settings"].get("examples") != b["settings"].get("examples"):
        notes.append(f"examples per operation differ ({a['settings'].get('examples')} → "
                     f"{b['settings'].get('examples')})")
    return notes


def compare(before_doc: dict, after_doc: dict) -> RunDiff:
    result = RunDiff(_identity(before_doc), _identity(after_doc))
    result.notes = _comparability(result.before, result.after)
    rows_a = {r.operation: r for r in view.rows(before_doc)}
    rows_b = {r.operation: r for r in view.rows(after_doc)}
    result.operations_added = sorted(set(rows_b) - set(rows_a))
    result.operations_removed = sorted(set(rows_a) - set(rows_b))
    rules_a = set(view.matrix_rules(before_doc))
    rules_b = set(view.matrix_rules(after_doc))
    if rules_b - rules_a:
        result.notes.append(f"checks only the later run has: {', '.join(sorted(rules_b - rules_a))}; "
                            "their failures are listed as new rules, not regressions")
    if rules_a - rules_b:
        result.notes.append(f"checks only the earlier run has: {', '.join(sorted(rules_a - rules_b))}")
    why = _explanations(after_doc)
    for name in sorted(set(rows_a) & set(rows_b)):
        a, b = rows_a[name], rows_b[name]
        # An operation the later run never exercised (cut short, filtered out) proves nothing.
        dropped = b.status == "NOT RUN" and a.status != "NOT RUN"
        for rule in sorted(rules_a | rules_b):
            before, after = a.checks.get(rule, "NOT RUN"), b.checks.get(rule, "NOT RUN")
            category = classify(before, after)
            if category is None:
                continue
            if dropped:
                category = "newly_unjudged"
            elif rule not in rules_a and category != "newly_implemented":
                category = "new_rule"
            message, case_id = why.get((name, rule), ("", ""))
            result.changes[category].append(CellChange(name, rule, before, after, message, case_id))
    return result


LABELS = {"newly_failing": "newly failing", "newly_unimplemented": "no longer implemented",
          "newly_passing": "newly passing", "newly_implemented": "newly implemented",
          "newly_unjudged": "no longer judged (harness error, target unavailable, or operation not run)",
          "new_rule": "cells of checks the earlier run did not have", "other": "other cell changes"}
LISTED = 12  # operations named per rule before "and N more"


def _by_rule(changes: list[CellChange]) -> list[str]:
    grouped: dict[str, list[CellChange]] = defaultdict(list)
    for c in changes:
        grouped[c.rule].append(c)
    lines = []
    for rule, items in sorted(grouped.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        ops = [c.operation for c in items]
        shown = ", ".join(ops[:LISTED]) + (f", and {len(ops) - LISTED} more" if len(ops) > LISTED else "")
        lines.append(f"  {rule} on {len(ops)} operation{'s' * (len(ops) != 1)}: {shown}")
        example = next((c for c in items if c.message), None)
        if example:
            lines.append(f"    e.g. {example.operation}: {example.message[:200]}"
                         + (f" (case {example.case_id})" if example.case_id else ""))
    return lines


def _by_operation(changes: list[CellChange]) -> list[str]:
    grouped: dict[str, list[CellChange]] = defaultdict(list)
    for c in changes:
        grouped[c.operation].append(c)
    lines = []
    for op, items in sorted(grouped.items()):
        after = Counter(c.after for c in items)
        lines.append(f"  {op}: " + ", ".join(f"{n} {v}" for v, n in after.most_common()))
    return lines


def _by_verdict(changes: list[CellChange]) -> list[str]:
    grouped: dict[str, set[str]] = defaultdict(set)
    for c in changes:
        grouped[c.after].add(c.operation)
    lines = []
    for verdict, ops in sorted(grouped.items()):
        names = sorted(ops)
        shown = ", ".join(names[:LISTED]) + (f", and {len(names) - LISTED} more" if len(names) > LISTED else "")
        lines.append(f"  {verdict} on {len(names)} operation{'s' * (len(names) != 1)}: {shown}")
    return lines


def _new_rules(changes: list[CellChange]) -> list[str]:
    """Counts by verdict; only the cells that fail are worth naming."""
    counts = Counter(c.after for c in changes)
    lines = ["  " + ", ".join(f"{v}: {n}" for v, n in counts.most_common())]
    return lines + _by_rule([c for c in changes if c.after in ("FAIL", "ERROR")])


RENDER = {"newly_implemented": _by_operation, "newly_unjudged": _by_verdict, "new_rule": _new_rules}


def render_text(d: RunDiff) -> str:
    a, b = d.before, d.after
    lines = [f"before: {a['run_id']} ({a['target']}, {a['spec']})",
             f"after:  {b['run_id']} ({b['target']}, {b['spec']})", ""]
    for note in d.notes:
        lines.append(f"note: {note}")
    if d.notes:
        lines.append("")
    for category in CATEGORIES:
        items = d.changes[category]
        if category == "other":
            if items:
                kinds = Counter(f"{c.before} → {c.after}" for c in items)
                lines.append(f"{LABELS[category]}: {len(items)} cells (" + ", ".join(
                    f"{k}: {n}" for k, n in kinds.most_common()) + ")")
            continue
        if items or category == "newly_failing":
            lines.append(f"{LABELS[category]}: {len(items)}")
            lines += RENDER.get(category, _by_rule)(items)
    if d.operations_added:
        lines.append(f"operations only in the later run: {', '.join(d.operations_added)}")
    if d.operations_removed:
        lines.append(f"operations only in the earlier run: {', '.join(d.operations_removed)}")
    lines.append("")
    if d.regressions:
        lines.append(f"REGRESSION: {len(d.regressions)} operation × check cells got worse")
    elif d.changes["newly_unjudged"]:
        lines.append("UNDECIDED: the later run could not judge cells the earlier one did")
    else:
        lines.append("no regression")
    return "\n".join(lines) + "\n"
