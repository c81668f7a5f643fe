"""junit.xml: one testcase per operation × check, so CI systems list conformance like tests.

The verdict of each testcase is the matrix cell results.json holds; the failure text is the
evidence a reader needs to act without opening another file: the message, the rule's source,
the minimal request, the response, the reproductions and the seed. Each operation also has a
`verdict` testcase: the row's status, with the number of judged successes it rests on (a
property), so an operation never seen to succeed shows as skipped, not as a row of passes.
"""
from __future__ import annotations

import pathlib
import re
import xml.etree.ElementTree as ET
from collections import defaultdict

from . import view

# Characters XML 1.0 forbids: response bodies carry them, and one would make the file unreadable.
_ILLEGAL = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
EXAMPLES_PER_CELL = 3  # groups printed in one failure; the rest are counted
BODY_CHARS = 1500

# Cell verdict → (JUnit element, the finding outcomes that explain it)
_ELEMENT = {"FAIL": ("failure", ("fail",)), "ERROR": ("error", ("error",)),
            "UNAVAILABLE": ("error", ("unavailable",)), "NOT IMPLEMENTED": ("skipped", ("not-implemented",)),
            "NOT RUN": ("skipped", ())}


def clean(value) -> str:
    return _ILLEGAL.sub("\ufffd", view.text(value))


def _evidence(group: view.Group, run_dir: str) -> str:
    case = group.case
    response = case.get("response") if isinstance(case.get("response"), dict) else {}
    repro = case.get("reproduction") if isinstance(case.get("reproduction"), dict) else {}
    lines = [f"{group.rule}: {group.message}",
             f"rule source: {group.source}",
             f"case {case.get('case_id', '?')} (family {case.get('family', '?')}"
             + (", shrunk to a minimal example" if case.get("shrunk") else "") + ")"
             + (f"; {group.count - 1} more case(s) like it" if group.count > 1 else ""),
             f"request headers (overrides): {case.get('headers') or {}}",
             f"request body: {view.text(case.get('body'))[:BODY_CHARS]}"]
    if response:
        lines += [f"response: HTTP {response.get('status')} {response.get('headers') or {}}",
                  f"response body: {view.text(response.get('body'))[:BODY_CHARS]}"]
    else:
        lines.append("response: none")
    if repro:
        lines += [f"hypothesis seed: {repro.get('hypothesis_seed')}, operation seed: {repro.get('operation_seed')}",
                  f"replay: personalize-conformance replay {case.get('case_id')} --run {run_dir} --target TARGET",
                  "curl:", view.text(repro.get("curl")), "boto3:", view.text(repro.get("boto3"))]
    return "\n".join(lines)


def render(doc: dict, run_dir: str | None = None) -> bytes:
    head = view.headline(doc)
    run_dir = run_dir or f"reports/{head['run_id']}"
    explained: dict[tuple, list[view.Group]] = defaultdict(list)
    outcomes = ("fail", "error", "unavailable", "not-implemented", "warn")
    for group in view.groups(doc, outcomes):
        explained[(group.operation, group.rule)].append(group)
    elapsed: dict[str, float] = defaultdict(float)
    for case in view.cases(doc):
        response = case.get("response")
        if isinstance(response, dict) and isinstance(response.get("elapsed_ms"), (int, float)):
            elapsed[view.text(case.get("operation"))] += response["elapsed_ms"] / 1000

    root = ET.Element("testsuites", name="personalize-conformance")
    suites: dict[str, ET.Element] = {}
    counts: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    columns = view.matrix_rules(doc)
    for row in view.rows(doc):
        suite = suites.get(row.resource)
        if suite is None:
            suite = suites[row.resource] = ET.SubElement(root, "testsuite", name=clean(row.resource))
            props = ET.SubElement(suite, "properties")
            for key in ("run_id", "target", "endpoint", "spec", "seed"):
                ET.SubElement(props, "property", name=key, value=clean(head[key]))
        tally = counts[row.resource]
        tally["time"] += elapsed.get(row.operation, 0.0)
        _verdict_case(suite, row, tally)
        for rule in columns:
            cell = row.checks.get(rule, "NOT RUN")
            case_el = ET.SubElement(suite, "testcase", classname=clean(f"personalize.{row.resource}.{row.operation}"),
                                    name=clean(rule), time="0")
            tally["tests"] += 1
            groups = explained.get((row.operation, rule), [])
            if cell in _ELEMENT:
                tag, wanted = _ELEMENT[cell]
                chosen = [g for g in groups if g.outcome in wanted]
                message = chosen[0].message if chosen else (
                    "not run: no response in this run was one the rule applies to" if cell == "NOT RUN" else cell)
                el = ET.SubElement(case_el, tag, message=clean(message[:500]))
                tally[{"failure": "failures", "error": "errors", "skipped": "skipped"}[tag]] += 1
                if tag != "skipped":
                    el.set("type", clean(rule))
                    parts = [_evidence(g, run_dir) for g in chosen[:EXAMPLES_PER_CELL]]
                    if len(chosen) > EXAMPLES_PER_CELL:
                        parts.append(f"... and {len(chosen) - EXAMPLES_PER_CELL} more kinds of finding")
                    el.text = clean("\n\n".join(parts) or f"{cell} (results.json holds no finding for it)")
            elif cell == "WARN":
                warns = [g for g in groups if g.outcome == "warn"]
                ET.SubElement(case_el, "system-out").text = clean(
                    "\n".join(f"WARN {g.rule}: {g.message} ({g.count}x)" for g in warns) or "WARN")
    _parity(root, doc, counts)
    for resource, suite in suites.items():
        tally = counts[resource]
        for key in ("tests", "failures", "errors", "skipped"):
            suite.set(key, str(int(tally[key])))
        suite.set("time", f"{tally['time']:.3f}")
    for key in ("tests", "failures", "errors", "skipped"):
        root.set(key, str(int(sum(t[key] for t in counts.values()))))
    root.set("time", f"{sum(t['time'] for t in counts.values()):.3f}")
    ET.indent(root)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode").encode("utf-8")


def _parity(root, doc: dict, counts) -> None:
    """A comparison's exchanges, one test case each: different is a failure, not comparable skipped."""
    section = doc.get("parity")
    if not isinstance(section, dict) or not isinstance(section.get("scenarios"), dict):
        return
    suite = ET.SubElement(root, "testsuite", name="parity")
    suites_tally = counts["parity"]
    for scenario, verdicts in section["scenarios"].items():
        for v in verdicts if isinstance(verdicts, list) else []:
            if not isinstance(v, dict):
                continue
            case_el = ET.SubElement(suite, "testcase", classname=clean(f"parity.{scenario}"),
                                    name=clean(f"{v.get('exchange')} {v.get('operation')}"), time="0")
            suites_tally["tests"] += 1
            text = "; ".join(view.text(d) for d in v.get("differences") or [])
            if v.get("outcome") == "different":
                ET.SubElement(case_el, "failure", message=clean(text[:500]), type="parity").text = clean(text)
                suites_tally["failures"] += 1
            elif v.get("outcome") == "not comparable":
                ET.SubElement(case_el, "skipped", message=clean(text[:500] or "not comparable"))
                suites_tally["skipped"] += 1
    for key in ("tests", "failures", "errors", "skipped"):
        suite.set(key, str(int(suites_tally[key])))
    suite.set("time", "0")


def _verdict_case(suite: ET.Element, row: view.Row, tally: dict) -> None:
    case_el = ET.SubElement(suite, "testcase", classname=clean(f"personalize.{row.resource}.{row.operation}"),
                            name="verdict", time="0")
    props = ET.SubElement(case_el, "properties")
    ET.SubElement(props, "property", name="successes", value=view.successes(row))
    ET.SubElement(props, "property", name="status", value=clean(row.status))
    tally["tests"] += 1
    if row.status in _ELEMENT:
        tag = _ELEMENT[row.status][0]
        failing = sorted(rule for rule, cell in row.checks.items() if cell == row.status)
        message = row.reason or (f"{row.status}: {', '.join(failing)}" if failing else row.status)
        el = ET.SubElement(case_el, tag, message=clean(message[:500]))
        tally[{"failure": "failures", "error": "errors", "skipped": "skipped"}[tag]] += 1
        if tag != "skipped":
            el.set("type", "verdict")
            el.text = clean(f"{row.operation}: {message} ({view.successes(row)} judged successes)")


def write(path: pathlib.Path, doc: dict) -> pathlib.Path:
    path.write_bytes(render(doc, str(path.parent)))
    return path
