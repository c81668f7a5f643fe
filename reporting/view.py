"""A tolerant reading of a results document, shared by the writers that print it.

Writers must never crash on a document that lacks a section or carries an odd value (a run cut
short, a document from another version, one built from a HAR file): every accessor here falls
back to an empty value instead. Nothing here decides a verdict; it only finds what the document
already says.
"""
from __future__ import annotations

from dataclasses import dataclass, field

VERDICTS = ("PASS", "FAIL", "WARN", "NOT IMPLEMENTED", "ERROR", "UNAVAILABLE", "NOT RUN")
PROBLEMS = ("fail", "error")  # finding outcomes a reader must act on
LEVELS = ("model", "protocol", "observed", "doc")  # evidence levels, most trusted first


def _dict(value) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value) -> list:
    return value if isinstance(value, list) else []


def text(value, default: str = "") -> str:
    return default if value is None else str(value)


def verdict(value) -> str:
    return value if value in VERDICTS else "NOT RUN"


@dataclass
class Row:
    operation: str
    resource: str
    kind: str
    status: str
    cases: int
    checks: dict[str, str]
    successes: int | None = None  # judged successes the verdict rests on; None: the document predates the count
    reason: str = ""  # why the operation was not judged, for a NOT RUN status
    evidence: dict[str, str] = field(default_factory=dict)  # rule -> level of what decided a FAIL/WARN cell

    def status_level(self) -> str:
        """The evidence level of what decided the row's status (the strongest among its cells)."""
        levels = [lv for rule, lv in self.evidence.items() if self.checks.get(rule) == self.status]
        return next((lv for lv in LEVELS if lv in levels), "")


@dataclass
class Group:
    """Every finding of one outcome for one (operation, rule): what a reader fixes at once."""
    operation: str
    rule: str
    outcome: str
    message: str
    source: str
    case: dict
    finding: dict
    count: int = 1
    case_ids: list[str] = field(default_factory=list)


def rules(doc: dict) -> dict[str, str]:
    raw = doc.get("rules")
    if isinstance(raw, dict):
        return {str(k): text(v) for k, v in raw.items()}
    if isinstance(raw, list):
        return {str(k): "" for k in raw}
    return {}


def matrix_rules(doc: dict) -> list[str]:
    """The matrix's columns: the rules the document lists, then any only a row names."""
    ordered = list(rules(doc))
    for row in rows(doc):
        ordered += [r for r in row.checks if r not in ordered]
    return ordered


def rows(doc: dict) -> list[Row]:
    out = []
    for name, row in _dict(doc.get("operations")).items():
        row = _dict(row)
        cases, successes = row.get("cases"), row.get("successes")
        out.append(Row(operation=str(name), resource=text(row.get("resource"), "?"),
                       kind=text(row.get("kind"), "?"), status=verdict(row.get("status")),
                       cases=cases if isinstance(cases, int) else 0,
                       checks={str(k): verdict(v) for k, v in _dict(row.get("checks")).items()},
                       successes=successes if isinstance(successes, int) and not isinstance(successes, bool) else None,
                       reason=text(row.get("reason")),
                       evidence={str(k): str(v) for k, v in _dict(row.get("evidence")).items() if v in LEVELS}))
    return out


def successes(row: Row) -> str:
    """The successes cell: a count, or a dash for a document that does not say."""
    return "–" if row.successes is None else str(row.successes)


def evidence(doc: dict) -> dict:
    """The run's `evidence` section with every part present: `rules` (rule -> levels),
    `fail_findings` and `fail_operations` (level -> count), `doc_warnings`, `strict`, `contradicted`."""
    raw = _dict(doc.get("evidence"))
    counts = lambda key: {lv: n for lv, n in _dict(raw.get(key)).items() if lv in LEVELS and isinstance(n, int)}  # noqa: E731
    return {"rules": {str(r): [lv for lv in _list(v) if lv in LEVELS] for r, v in _dict(raw.get("rules")).items()},
            "fail_findings": counts("fail_findings"), "fail_operations": counts("fail_operations"),
            "doc_warnings": raw.get("doc_warnings") if isinstance(raw.get("doc_warnings"), int) else 0,
            "strict": bool(raw.get("strict")),
            "contradicted": [c for c in _list(raw.get("contradicted")) if isinstance(c, dict)],
            "present": bool(raw)}


def level_of(finding: dict) -> str:
    lv = finding.get("evidence_level") if isinstance(finding, dict) else None
    return lv if lv in LEVELS else ""


def totals(doc: dict) -> dict[str, int]:
    raw = _dict(doc.get("totals"))
    return {str(k): v for k, v in raw.items() if isinstance(v, int)}


def cases(doc: dict) -> list[dict]:
    return [c for c in _list(doc.get("cases")) if isinstance(c, dict)]


def findings(case: dict) -> list[dict]:
    return [f for f in _list(case.get("findings")) if isinstance(f, dict)]


def groups(doc: dict, outcomes=PROBLEMS) -> list[Group]:
    """Findings grouped by (operation, rule, outcome), the shrunk case preferred as the example."""
    sources = rules(doc)
    out: dict[tuple, Group] = {}
    for case in cases(doc):
        for f in findings(case):
            if f.get("outcome") not in outcomes:
                continue
            key = (text(case.get("operation"), "?"), text(f.get("rule"), "?"), f["outcome"])
            group = out.get(key)
            if group is None:
                out[key] = Group(*key, message=text(f.get("message")),
                                 source=text(f.get("source")) or sources.get(key[1], ""),
                                 case=case, finding=f, case_ids=[text(case.get("case_id"))])
                continue
            group.count += 1
            group.case_ids.append(text(case.get("case_id")))
            if case.get("shrunk") and not group.case.get("shrunk"):
                group.case, group.finding, group.message = case, f, text(f.get("message"))
    return list(out.values())


@dataclass
class LifecyclePath:
    """One action's walk through statuses: (status, seconds) steps, as the run's polls saw them."""
    arn: str
    action: str = ""
    steps: list[tuple[str, object]] = field(default_factory=list)
    detail: str = ""
    verdict: str = ""


@dataclass
class LifecycleResource:
    resource: str
    verdict: str = ""
    scenarios: list[dict] = field(default_factory=list)  # family, verdict, reason, failing rules
    paths: list[LifecyclePath] = field(default_factory=list)


def _steps(statuses, times) -> list[tuple[str, object]]:
    times = _list(times)
    return [(text(s, "?"), times[i] if i < len(times) else None) for i, s in enumerate(_list(statuses))]


def _stage_path(p: dict) -> LifecyclePath:
    """A path as the lifecycle stage records it: statuses, times_s, polls, waited_s, settled."""
    bits = []
    if isinstance(p.get("polls"), int):
        bits.append(f"{p['polls']} polls")
    if isinstance(p.get("waited_s"), (int, float)):
        bits.append(f"waited {p['waited_s']:.2f} s")
    if p.get("settled") is False:
        bits.append("did not settle")
    if p.get("member") not in (None, "status"):
        bits.append(f"member {p['member']}")
    if p.get("failed") is True:
        last = text(_list(p.get("statuses"))[-1] if _list(p.get("statuses")) else None, "a failure status")
        reason = text(p.get("failure_reason"))
        bits.append(f"ended in {last}, a legal end: " + (f"failureReason {reason!r}" if reason
                                                          else "no failureReason given"))
    return LifecyclePath(arn=text(p.get("arn")), action=text(p.get("action")),
                         steps=_steps(p.get("statuses"), p.get("times_s")), detail=", ".join(bits))


def _listed_path(p: dict) -> LifecyclePath:
    """A path as a flat entry: {resource, arn, path: [{status, t}], verdict}."""
    steps = [(text(s.get("status"), "?"), s.get("t")) for s in _list(p.get("path")) if isinstance(s, dict)]
    return LifecyclePath(arn=text(p.get("arn")), action=text(p.get("action")), steps=steps,
                         detail=text(p.get("message")), verdict=text(p.get("verdict")))


def lifecycles(doc: dict) -> list[LifecycleResource] | None:
    """`doc["lifecycles"]` per resource, or None when the run has no such section.

    Two shapes are read: the lifecycle stage's `{"resources": {type: {verdict, scenarios, paths}}}`
    and a flat list of `{resource, arn, path: [{status, t}], verdict}`. Malformed parts are dropped.
    """
    raw = doc.get("lifecycles")
    if raw is None:
        return None
    out: dict[str, LifecycleResource] = {}
    if isinstance(raw, dict):
        for name, data in _dict(raw.get("resources")).items():
            data = _dict(data)
            res = out.setdefault(str(name), LifecycleResource(str(name)))
            res.verdict = text(data.get("verdict"))
            for family, sc in _dict(data.get("scenarios")).items():
                sc = _dict(sc)
                failing = sorted(r for r, v in _dict(sc.get("rules")).items() if v in ("FAIL", "WARN", "ERROR"))
                res.scenarios.append({"family": str(family), "verdict": text(sc.get("verdict")),
                                      "reason": text(sc.get("reason")), "failing": failing})
            res.paths += [_stage_path(p) for p in _list(data.get("paths")) if isinstance(p, dict)]
    else:
        for entry in _list(raw):
            if isinstance(entry, dict):
                name = text(entry.get("resource"), "?")
                out.setdefault(name, LifecycleResource(name)).paths.append(_listed_path(entry))
    return [out[k] for k in sorted(out)]


def headline(doc: dict) -> dict[str, str]:
    target, spec = _dict(doc.get("target")), _dict(doc.get("spec"))
    return {"run_id": text(doc.get("run_id"), "?"), "target": text(target.get("name"), "?"),
            "endpoint": text(target.get("endpoint")), "spec": text(spec.get("source"), "?"),
            "spec_version": text(spec.get("version"), "?"), "seed": text(doc.get("hypothesis_seed")),
            "started": text(doc.get("started")), "duration": text(doc.get("duration_s")),
            "cases": str(len(cases(doc))), "source": text(doc.get("source"))}
