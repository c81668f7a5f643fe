"""summary.md: the operation × check matrix, totals and the top failures, for a pull request."""
from __future__ import annotations

import pathlib
from collections import Counter

from . import view

SYMBOL = {"PASS": "PASS", "FAIL": "**FAIL**", "WARN": "WARN", "NOT IMPLEMENTED": "NOT IMPLEMENTED",
          "ERROR": "ERROR", "UNAVAILABLE": "UNAVAILABLE", "NOT RUN": "–"}
TOP_FAILURES = 15


def render(doc: dict) -> str:
    rules = list(doc["rules"])
    lines = [
        f"# Conformance run {doc['run_id']}",
        "",
        f"- target: `{doc['target']['name']}` ({doc['target']['endpoint']})",
        f"- spec: {doc['spec']['source']} (version {doc['spec']['version']}, "
        f"{doc['spec']['operations']} operations)",
        *([f"- hypothesis seed: `{doc['hypothesis_seed']}` (replay with `--hypothesis-seed {doc['hypothesis_seed']}`"
           + (f" under Hypothesis {doc['hypothesis_version']})" if doc.get("hypothesis_version") else ")")]
          if doc.get("hypothesis_seed") is not None else []),
        *([f"- source: {doc['source']}"] if doc.get("source") else []),
        f"- duration: {doc['duration_s']} s, {len(doc['cases'])} cases",
        f"- operations implemented: {sum(doc['totals'].get(k, 0) for k in ('PASS', 'WARN', 'FAIL'))} of "
        f"{doc['totals']['operations']} ({doc['totals'].get('NOT IMPLEMENTED', 0)} not implemented); "
        "index.html filters the matrix and expands each failure",
        "",
        "## Totals",
        "",
        "| operations | " + " | ".join(k for k in doc["totals"] if k != "operations") + " |",
        "|---" * len(doc["totals"]) + "|",
        f"| {doc['totals']['operations']} | " + " | ".join(
            str(v) for k, v in doc["totals"].items() if k != "operations") + " |",
        "",
    ]
    for section in doc.get("summary_sections", []):
        lines += [f"## {section['title']}", "", *section["lines"], ""]
    lines += ["## Matrix", "",
              "`successes`: the answers with a success whose response checks ran; an operation with none "
              "is NOT RUN, never PASS.", "",
              "| operation | status | successes | " + " | ".join(rules) + " |",
              "|---|---|---|" + "---|" * len(rules)]
    for row in view.rows(doc):
        cells = [SYMBOL.get(row.checks.get(r, "NOT RUN"), "–") for r in rules]
        lines.append(f"| {row.operation} | {SYMBOL[row.status]} | {view.successes(row)} | " + " | ".join(cells) + " |")
    unjudged = [row for row in view.rows(doc) if row.status == "NOT RUN" and row.reason]
    if unjudged:
        lines += ["", "## Operations not judged", ""]
        lines += [f"- **{row.operation}**: {row.reason}" for row in unjudged]
    failures = [(c, f) for c in doc["cases"] for f in c["findings"] if f["outcome"] in ("fail", "error")]
    lines += ["", "## Top failures", ""]
    if not failures:
        lines.append("None.")
    by_rule = Counter((c["operation"], f["rule"]) for c, f in failures)
    seen = set()
    for c, f in failures:
        key = (c["operation"], f["rule"])
        if key in seen:
            continue
        seen.add(key)
        if len(seen) > TOP_FAILURES:
            lines.append(f"- … and {len(by_rule) - TOP_FAILURES} more (operation, rule) pairs in results.json")
            break
        lines.append(f"- **{c['operation']}** `{f['rule']}` ({by_rule[key]}×): {f['message']}  ")
        lines.append(f"  rule source: {f['source']}; case `{c['case_id']}`"
                     + (" (shrunk)" if c.get("shrunk") else ""))
    lines += ["", "## Rules", ""]
    lines += [f"- `{rule}`: {source}" for rule, source in doc["rules"].items()]
    return "\n".join(lines) + "\n"


def write(path: pathlib.Path, doc: dict) -> pathlib.Path:
    path.write_text(render(doc), encoding="utf-8")
    return path
