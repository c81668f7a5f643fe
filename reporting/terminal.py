"""The few lines a run prints when it ends: the counts, and what failed by name.

A count says that something failed; the operation and the rule say what to open first. The top
(operation, rule) pairs by failing cases are named here, each with its first message; the rest
are in summary.md.
"""
from __future__ import annotations

from . import view

TOP = 5
MESSAGE_CHARS = 100


def summary_lines(doc: dict, out=None, *, notes=(), outcomes=view.PROBLEMS, top: int = TOP) -> list[str]:
    """`notes`: lines that follow the counts (what the CI gate says); `outcomes`: the finding
    outcomes named among the top pairs; `top`: how many pairs (0: none)."""
    totals = view.totals(doc)
    target = view.text(view._dict(doc.get("target")).get("name"), "?")
    counts = ", ".join(f"{v} {k}" for k, v in totals.items() if v and k != "operations")
    lines = [f"run {view.text(doc.get('run_id'), '?')} against {target}: {counts or 'nothing judged'} "
             f"of {totals.get('operations', 0)} operations"]
    ev = view.evidence(doc)
    if any(ev["fail_operations"].values()):  # what the FAILs rest on: model, protocol, observed, doc
        lines.append("FAILs rest on: " + ", ".join(f"{lv} {n}" for lv, n in ev["fail_operations"].items() if n)
                     + " operations" + (" (--strict)" if ev["strict"] else ""))
    lines += list(notes)
    groups = sorted(view.groups(doc, outcomes), key=lambda g: (-g.count, g.outcome != "fail", g.operation, g.rule))
    if groups and top:
        lines.append(f"top failing (operation × rule), of {len(groups)}:")
        for g in groups[:top]:
            message = " ".join(g.message.split())
            if len(message) > MESSAGE_CHARS:
                message = message[:MESSAGE_CHARS - 1] + "…"
            level = view.level_of(g.finding)
            lines.append(f"  {g.outcome.upper():5} {g.operation} × {g.rule} ({g.count} "
                         f"case{'s' if g.count != 1 else ''}{', ' + level if level else ''}): {message}")
        if len(groups) > top:
            lines.append(f"  … and {len(groups) - top} more" + (f" in {out}/summary.md" if out else ""))
    if out is not None:
        lines.append(f"reports: {out}/index.html, {out}/summary.md, {out}/junit.xml, {out}/results.json")
    lines.append(f"hypothesis seed: {doc.get('hypothesis_seed')}")
    return lines


__all__ = ["summary_lines", "TOP"]
