"""The drift report: the spec comparer's changes as text a person reads, section by section."""
from __future__ import annotations

from personalize_conformance.specs.compare import SECTIONS, Change, summary


def render_text(source_a: str, source_b: str, changes: list[Change]) -> str:
    lines = [f"drift from {source_a}", f"        to {source_b}", ""]
    if not changes:
        return "\n".join(lines + ["no drift: the two specs describe the same operations, shapes and constraints"]) + "\n"
    for title, test in SECTIONS:
        items = [c for c in changes if test(c)]
        if not items:
            continue
        lines.append(f"{title} ({len(items)}):")
        for c in items:
            where = f"  [{c.used_in}]" if c.used_in else ""
            detail = "" if c.detail in ("operation added", "operation removed", "shape added",
                                        "shape removed", "member removed") else f": {c.detail}"
            lines.append(f"  {c.subject}{detail}{where}")
        lines.append("")
    lines.append(", ".join(f"{n} {t}" for t, n in summary(changes).items() if n))
    return "\n".join(lines) + "\n"


def render_json(source_a: str, source_b: str, changes: list[Change]) -> dict:
    return {"from": source_a, "to": source_b, "summary": summary(changes), "changes": [c.to_dict() for c in changes]}
