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
    lines += _evidence(doc)
    for section in doc.get("summary_sections", []):
        lines += [f"## {section['title']}", "", *section["lines"], ""]
    lines += ["## Matrix", "",
              "`successes`: the answers with a success whose response checks ran; an operation with none "
              "is NOT RUN, never PASS. Beside a FAIL or WARN, the evidence it rests on: model, protocol, "
              "observed (recorded AWS traffic) or doc (the API reference's prose alone).", "",
              "| operation | status | successes | " + " | ".join(rules) + " |",
              "|---|---|---|" + "---|" * len(rules)]
    for row in view.rows(doc):
        cells = [_cell(row.checks.get(r, "NOT RUN"), row.evidence.get(r, "")) for r in rules]
        lines.append(f"| {row.operation} | {_cell(row.status, row.status_level())} | {view.successes(row)} | "
                     + " | ".join(cells) + " |")
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
        level = view.level_of(f)
        lines.append(f"- **{c['operation']}** `{f['rule']}`{f' [{level}]' if level else ''} ({by_rule[key]}×): "
                     f"{f['message']}  ")
        lines.append(f"  rule source: {f['source']}; case `{c['case_id']}`"
                     + (" (shrunk)" if c.get("shrunk") else ""))
    lines += ["", "## Rules", ""]
    rule_levels = view.evidence(doc)["rules"]
    lines += [f"- `{rule}`" + (f" ({' · '.join(rule_levels[rule])})" if rule_levels.get(rule) else "") + f": {source}"
              for rule, source in doc["rules"].items()]
    return "\n".join(lines) + "\n"


def _cell(verdict: str, level: str) -> str:
    symbol = SYMBOL.get(verdict, "–")
    return f"{symbol} ({level})" if level and verdict in ("FAIL", "WARN") else symbol


def _evidence(doc: dict) -> list[str]:
    """FAILs split by the evidence they rest on, doc-only departures, and docs AWS contradicts."""
    ev = view.evidence(doc)
    if not ev["present"]:
        return []
    split = " · ".join(f"{lv} {ev['fail_operations'].get(lv, 0)} ({ev['fail_findings'].get(lv, 0)} findings)"
                       for lv in view.LEVELS)
    lines = ["## Evidence", "", f"- FAIL operations by the evidence of their failures: {split}",
             f"- doc-only departures (statuses, values, required members, error names, validation order the "
             f"docs alone state): {ev['doc_warnings']} warned about"
             + ("; --strict: they fail" if ev["strict"] else "; `--strict` fails them"), ""]
    if ev["contradicted"]:
        lines += ["Where recorded AWS traffic contradicts the docs (the harness holds targets to AWS; the doc is wrong):", ""]
        lines += [f"- {c.get('resource')} {c.get('member')} on {c.get('action')}: the docs say {c.get('docs')}; "
                  f"AWS walks {c.get('observed')} ({c.get('cite')})" for c in ev["contradicted"]]
        lines.append("")
    return lines


def write(path: pathlib.Path, doc: dict) -> pathlib.Path:
    path.write_text(render(doc), encoding="utf-8")
    return path
