"""index.html: the run as one self-contained page a person can filter, read and act on.

No network: styles and script are inline and a Content-Security-Policy forbids every fetch, so
the file opens the same from a CI artefact, a mail attachment or a laptop on a plane. The page
is rendered here, in full, from results.json; the script only filters and expands.
"""
from __future__ import annotations

import html
import json
import pathlib
import shlex

from . import view

TEMPLATE = pathlib.Path(__file__).with_name("templates") / "index.html"
BODY_CHARS = 4096  # of a request or response body shown in a finding

# Verdict → (CSS class, short cell label). Labels are redundant with colour on purpose.
STYLE = {"PASS": ("v-pass", "✓"), "FAIL": ("v-fail", "✗"), "WARN": ("v-warn", "!"),
         "NOT IMPLEMENTED": ("v-ni", "NI"), "ERROR": ("v-error", "E"), "UNAVAILABLE": ("v-unavail", "U"),
         "NOT RUN": ("v-notrun", "–")}
OUTCOME_VERDICT = {"fail": "FAIL", "error": "ERROR", "warn": "WARN"}
ANSWERED = ("PASS", "WARN", "FAIL")  # statuses of operations the target implements


def esc(value) -> str:
    return html.escape(view.text(value), quote=True)


# Verdicts the lifecycle stage adds to the matrix's own.
LIFECYCLE_CLASS = {"NOT APPLICABLE": "v-notrun", "BLOCKED": "v-unavail"}


def _class(verdict: str) -> str:
    return STYLE[verdict][0] if verdict in STYLE else LIFECYCLE_CLASS.get(verdict, "v-other")


def _meta(doc: dict, head: dict) -> str:
    settings = doc.get("settings") if isinstance(doc.get("settings"), dict) else {}
    items = [("target", f"{head['target']} ({head['endpoint']})" if head["endpoint"] else head["target"]),
             ("spec", f"{head['spec']} (version {head['spec_version']})"),
             ("hypothesis seed", head["seed"] or "none"),
             ("started", head["started"]), ("duration", f"{head['duration']} s" if head["duration"] else ""),
             ("cases", head["cases"]),
             ("settings", ", ".join(f"{k}={v}" for k, v in settings.items()))]
    if head["source"]:
        items.insert(0, ("source", head["source"]))
    return '<dl class="meta">' + "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in items if v) + "</dl>"


def _totals(doc: dict) -> str:
    totals = view.totals(doc)
    chips = []
    for verdict in view.VERDICTS:
        if verdict in totals:
            chips.append(f'<span class="chip {_class(verdict)}{" zero" if not totals[verdict] else ""}" data-verdict="{esc(verdict)}" '
                         f'title="show only {esc(verdict)} operations"><span class="n">{totals[verdict]}</span>'
                         f'{esc(verdict)}</span>')
    operations = totals.get("operations", len(view.rows(doc)))
    implemented = sum(totals.get(v, 0) for v in ANSWERED)
    chips.append(f'<span class="implemented">of <b id="operations-count">{operations}</b> operations: '
                 f'<b id="implemented-count">{implemented}</b> implemented, '
                 f'<b id="not-implemented-count">{totals.get("NOT IMPLEMENTED", 0)}</b> not implemented</span>')
    return "".join(chips) + _evidence(doc)


def _evidence(doc: dict) -> str:
    """FAILs split by the evidence they rest on; doc-only departures; docs AWS contradicts."""
    ev = view.evidence(doc)
    if not ev["present"]:
        return ""
    split = ", ".join(f'<b class="level" data-level="{esc(lv)}">{ev["fail_operations"].get(lv, 0)}</b> {esc(lv)} '
                      f'({ev["fail_findings"].get(lv, 0)} findings)' for lv in view.LEVELS)
    parts = [f'<p class="evidence" id="evidence-split">FAIL operations by the evidence of their failures: {split}. '
             f'Doc-only departures warned about: <b id="doc-warnings">{ev["doc_warnings"]}</b>'
             f'{" (--strict: they fail)" if ev["strict"] else " (--strict fails them)"}.</p>']
    if ev["contradicted"]:
        items = "".join(f"<li>{esc(c.get('resource'))} {esc(c.get('member'))} on {esc(c.get('action'))}: the docs say "
                        f"<code>{esc(c.get('docs'))}</code>; AWS walks <code>{esc(c.get('observed'))}</code></li>"
                        for c in ev["contradicted"])
        parts.append(f'<details class="evidence"><summary>Where recorded AWS traffic contradicts the docs '
                     f'({len(ev["contradicted"])})</summary><ul>{items}</ul></details>')
    return "".join(parts)


def _options(values) -> str:
    return "".join(f'<option value="{esc(v)}">{esc(v)}</option>' for v in values)


def _matrix(doc: dict, columns: list[str], anchors: dict) -> str:
    sources = view.rules(doc)
    rule_levels = view.evidence(doc)["rules"]
    head = ['<th>operation</th><th>resource</th><th>status</th><th>cases</th>'
            '<th title="answers with a success whose response checks ran">successes</th>']
    head += [f'<th class="rule" data-rule="{esc(r)}" data-levels="{esc(" ".join(rule_levels.get(r, [])))}" '
             f'title="{esc(sources.get(r, ""))} [evidence: {esc(", ".join(rule_levels.get(r, [])) or "unknown")}]">'
             f'{esc(r)}</th>' for r in columns]
    body = []
    for row in view.rows(doc):
        cells = []
        for rule in columns:
            verdict = row.checks.get(rule, "NOT RUN")
            css, label = STYLE.get(verdict, ("v-other", "?"))
            level = row.evidence.get(rule, "")
            anchor = anchors.get((row.operation, rule))
            inner = f'<a href="#{anchor}">{label}</a>' if anchor else label
            if level:
                inner += f'<sub class="level">{esc(level)}</sub>'
            cells.append(f'<td class="cell {css}" data-rule="{esc(rule)}" data-verdict="{esc(verdict)}" '
                         f'data-level="{esc(level)}" title="{esc(row.operation)} · {esc(rule)}: {esc(verdict)}'
                         f'{(" (evidence: " + esc(level) + ")") if level else ""}">{inner}</td>')
        status_level = row.status_level()
        body.append(f'<tr data-operation="{esc(row.operation)}" data-resource="{esc(row.resource)}" '
                    f'data-status="{esc(row.status)}"><td class="op">{esc(row.operation)}</td>'
                    f'<td>{esc(row.resource)}</td><td class="status {_class(row.status)}" title="{esc(row.reason)}" '
                    f'data-level="{esc(status_level)}">'
                    f'{esc(row.status)}{(" <sub class=level>" + esc(status_level) + "</sub>") if status_level else ""}</td>'
                    f'<td>{row.cases}</td><td class="successes">{view.successes(row)}</td>{"".join(cells)}</tr>')
    if not body:
        return '<p class="empty">This document holds no operations.</p>'
    return (f'<table id="matrix"><thead><tr>{"".join(head)}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table>')


def _legend() -> str:
    return "".join(f'<span class="{css}">{esc(label)}</span>{esc(v)} ' for v, (css, label) in STYLE.items())


def _pre(text: str, copy: bool = False) -> str:
    button = '<button type="button" class="copy">copy</button>' if copy else ""
    return f"{button}<pre>{esc(text)}</pre>"


def _request_text(case: dict) -> str:
    from personalize_conformance.targets import wire_headers
    overrides = case.get("headers") if isinstance(case.get("headers"), dict) else {}
    try:
        headers = wire_headers(view.text(case.get("operation")), overrides)
    except Exception:  # odd overrides in a hand-edited document: show them as they are
        headers = overrides
    lines = ["POST /"] + [f"{k}: {v}" for k, v in headers.items()]
    removed = [k for k, v in overrides.items() if v is None]
    if removed:
        lines.append(f"(removed on purpose: {', '.join(removed)})")
    body = view.text(case.get("body"))
    return "\n".join(lines) + "\n\n" + body[:BODY_CHARS] + ("\n… (cut)" if len(body) > BODY_CHARS else "")


def _response_text(response) -> str:
    if not isinstance(response, dict):
        return "no response (the target did not answer, or the harness could not send)"
    headers = response.get("headers") if isinstance(response.get("headers"), dict) else {}
    lines = [f"HTTP {response.get('status', '?')}"
             + (f"   ({response['elapsed_ms']} ms)" if "elapsed_ms" in response else "")]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    body = view.text(response.get("body"))
    return "\n".join(lines) + "\n\n" + body[:BODY_CHARS] + (
        "\n… (cut in results.json)" if response.get("body_truncated") else "")


def _finding(group: view.Group, gid: str, resource: str, run_dir: str) -> str:
    case = group.case
    verdict = OUTCOME_VERDICT.get(group.outcome, group.outcome.upper())
    repro = case.get("reproduction") if isinstance(case.get("reproduction"), dict) else {}
    evidence = group.finding.get("evidence")
    more = f" ({group.count} cases)" if group.count > 1 else ""
    level = view.level_of(group.finding)
    parts = [
        f'<details class="finding {_class(verdict)}" id="{gid}" data-operation="{esc(group.operation)}" '
        f'data-rule="{esc(group.rule)}" data-resource="{esc(resource)}" data-verdict="{esc(verdict)}" '
        f'data-level="{esc(level)}">',
        f'<summary><span class="badge {_class(verdict)}">{esc(verdict)}</span>'
        f'{(" <span class=level>" + esc(level) + "</span>") if level else ""} <b>{esc(group.operation)}</b> '
        f'<code>{esc(group.rule)}</code> — {esc(group.message[:300])}<span class="count">{esc(more)}</span></summary>',
        '<div class="body">',
        f'<h4>Rule</h4><p><code>{esc(group.rule)}</code> — {esc(group.source) or "<i>no source recorded</i>"}'
        f'{(" (evidence: " + esc(level) + ")") if level else ""}</p>',
        f'<h4>Finding</h4><p>{esc(group.message)}</p>',
    ]
    if evidence:
        parts.append(_pre(json.dumps(evidence, indent=1, ensure_ascii=False, default=str)))
    parts += [
        f'<h4>Minimal request</h4><p>case <code>{esc(case.get("case_id"))}</code>, family '
        f'{esc(case.get("family"))}{_minimal(case)}'
        f'{(", aimed at " + esc(case.get("rule"))) if case.get("rule") else ""}'
        f'{(", expected to " + esc(case.get("expect"))) if case.get("expect") else ""}</p>'
        + (f'<p>{esc(case.get("note"))}</p>' if case.get("note") else ""),
        _pre(_request_text(case), copy=True),
        "<h4>Response received</h4>", _pre(_response_text(case.get("response"))),
        "<h4>Reproduce</h4>",
        f'<p>hypothesis seed <code>{esc(repro.get("hypothesis_seed", "—"))}</code>, '
        f'operation seed <code>{esc(repro.get("operation_seed", case.get("seed", "—")))}</code></p>',
        _pre(f"personalize-conformance replay {shlex.quote(view.text(case.get('case_id')))} "
             f"--run {shlex.quote(run_dir)} --target TARGET", copy=True),
    ]
    if repro.get("curl"):
        parts += ["<p>curl</p>", _pre(view.text(repro["curl"]), copy=True)]
    if repro.get("boto3"):
        parts += ["<p>boto3</p>", _pre(view.text(repro["boto3"]), copy=True)]
    others = [c for c in group.case_ids if c != case.get("case_id")]
    if others:
        parts.append(f"<h4>Other cases</h4><p>{esc(', '.join(others[:20]))}"
                     f"{' …' if len(others) > 20 else ''}</p>")
    parts.append("</div></details>")
    return "".join(parts)


def _when(t) -> str:
    if isinstance(t, (int, float)) and not isinstance(t, bool):
        return f'<span class="t">{t:.2f} s</span>'
    return f'<span class="t">{esc(t)}</span>' if t is not None else ""


def _lifecycles(doc: dict) -> str:
    resources = view.lifecycles(doc)
    if resources is None:
        return '<p class="empty">This run observed no lifecycle paths (no lifecycle stage ran).</p>'
    if not resources:
        return '<p class="empty">The lifecycle stage recorded no paths.</p>'
    out = []
    for res in resources:
        verdict = res.verdict.upper()
        head = (f'<h3>{esc(res.resource)} <span class="badge {_class(verdict)}">{esc(res.verdict)}</span>'
                if res.verdict else f"<h3>{esc(res.resource)}") + f' <span class="count">({len(res.paths)} paths)</span></h3>'
        scenarios = "".join(
            f'<span class="step" title="{esc(s["reason"])}"><span class="badge {_class(s["verdict"].upper())}">'
            f'{esc(s["verdict"])}</span> {esc(s["family"])}'
            f'{(": " + esc(", ".join(s["failing"]))) if s["failing"] else ""}</span>'
            for s in res.scenarios)
        judged = any(p.verdict for p in res.paths)
        rows = []
        for p in res.paths:
            steps = " → ".join(f'<span class="step">{esc(status)}{_when(t)}</span>' for status, t in p.steps)
            rows.append(f'<tr><td><code>{esc(p.arn)}</code></td><td>{esc(p.action)}</td>'
                        f'<td><div class="lifecycle-path">{steps or "<span class=empty>no status observed</span>"}'
                        f'</div></td><td>{esc(p.detail)}</td>'
                        + (f'<td><span class="badge {_class(p.verdict.upper())}">{esc(p.verdict)}</span></td>'
                           if judged else "") + "</tr>")
        table = (f'<table><thead><tr><th>ARN</th><th>action</th><th>statuses (seconds since the action)</th>'
                 f'<th>detail</th>{"<th>verdict</th>" if judged else ""}</tr></thead>'
                 f'<tbody>{"".join(rows)}</tbody></table>' if rows else "")
        out.append(f'<div data-resource="{esc(res.resource)}">{head}'
                   f'{("<div class=lifecycle-path>" + scenarios + "</div>") if scenarios else ""}{table}</div>')
    return "".join(out)


def _rules(doc: dict) -> str:
    levels = view.evidence(doc)["rules"]
    rows = "".join(f"<tr><td><code>{esc(r)}</code></td><td>{esc(' · '.join(levels.get(r, [])))}</td><td>{esc(s)}</td></tr>"
                   for r, s in view.rules(doc).items())
    return f"<table><tbody>{rows}</tbody></table>" if rows else '<p class="empty">No rules listed.</p>'


def render(doc: dict, run_dir: str | None = None) -> str:
    head = view.headline(doc)
    run_dir = run_dir or f"reports/{head['run_id']}"
    columns = view.matrix_rules(doc)
    resources = {row.operation: row.resource for row in view.rows(doc)}
    problems = view.groups(doc, ("fail", "error"))
    warnings = view.groups(doc, ("warn",))
    anchors: dict[tuple, str] = {}
    ids = {}
    for i, group in enumerate(problems + warnings, 1):
        ids[id(group)] = f"finding-{i}"
        anchors.setdefault((group.operation, group.rule), f"finding-{i}")

    def section(groups, none: str) -> str:
        if not groups:
            return f'<p class="empty">{none}</p>'
        return "".join(_finding(g, ids[id(g)], resources.get(g.operation, "?"), run_dir) for g in groups)

    fill = {
        "title": esc(f"Conformance run {head['run_id']} — {head['target']}"),
        "meta": _meta(doc, head),
        "totals": _totals(doc),
        "resource-options": _options(sorted(set(resources.values()))),
        "check-options": _options(columns),
        "outcome-options": _options(view.VERDICTS),
        "matrix": _matrix(doc, columns, anchors),
        "legend": _legend(),
        "failure-count": f"({len(problems)})",
        "failures": section(problems, "None: every judged response held every rule."),
        "warning-count": f"({len(warnings)})",
        "warnings": section(warnings, "None."),
        "lifecycles": _lifecycles(doc),
        "parity": _parity(doc),
        "rules": _rules(doc),
    }
    page = TEMPLATE.read_text(encoding="utf-8")
    for key, value in fill.items():
        page = page.replace(f"<!--@{key}@-->", value)
    return page


def _parity(doc: dict) -> str:
    """A comparison's verdicts per operation, and each exchange that differed or could not be compared."""
    section = doc.get("parity")
    if not isinstance(section, dict):
        return '<p class="empty">This run compared nothing with snapshots.</p>'
    score = section.get("score")
    head = (f"<p>Snapshots <code>{esc(section.get('snapshots'))}</code> (recorded on "
            f"{esc(section.get('recorded_target') or 'unknown')}) replayed on {esc(section.get('target'))}: parity "
            f"<strong>{'n/a' if score is None else f'{score * 100:.1f}%'}</strong> of comparable exchanges; "
            f"{esc(section.get('identical'))} identical, {esc(section.get('different'))} different, "
            f"{esc(section.get('not comparable'))} not comparable.</p>")
    klass = {"identical": "v-pass", "different": "v-fail", "not comparable": "v-notrun"}
    rows = "".join(f'<tr><td>{esc(op)}</td><td><span class="badge {klass.get(view.text(r.get("verdict")), "v-other")}">'
                   f'{esc(r.get("verdict"))}</span></td><td>{esc(r.get("identical"))}</td><td>{esc(r.get("different"))}'
                   f'</td><td>{esc(r.get("not comparable"))}</td></tr>'
                   for op, r in (section.get("operations") or {}).items() if isinstance(r, dict))
    details = "".join(f'<li><code>{esc(name)}</code> #{esc(v.get("exchange"))} {esc(v.get("operation"))}: '
                      f'{esc(v.get("outcome"))}: {esc("; ".join(view.text(d) for d in v.get("differences") or []))}</li>'
                      for name, verdicts in (section.get("scenarios") or {}).items() if isinstance(verdicts, list)
                      for v in verdicts if isinstance(v, dict) and v.get("outcome") != "identical")
    return (head + '<table><tr><th>operation</th><th>verdict</th><th>identical</th><th>different</th>'
            f'<th>not comparable</th></tr>{rows}</table>' + (f"<details><summary>exchanges not identical</summary>"
                                                             f"<ul>{details}</ul></details>" if details else ""))


def write(path: pathlib.Path, doc: dict) -> pathlib.Path:
    path.write_text(render(doc, str(path.parent)), encoding="utf-8")
    return path


def _minimal(case: dict) -> str:
    """How a failing case came to be minimal, in words (nothing when it was not shrunk)."""
    if not case.get("shrunk"):
        return ""
    if case.get("shrunk_by") == "construction":
        return ", minimal by construction (shrunk: nothing smaller exists)"
    return ", shrunk by Hypothesis to a minimal example"
