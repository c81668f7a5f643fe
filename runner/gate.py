"""The CI gate: the exit code of a run, from what fails (`--fail-on`) and what is accepted
(`--baseline FILE`).

A baseline lists known failures, each an operation × rule (× family) with the reason it is
accepted. The run exits 1 only for a failure no entry accepts, says which accepted failures now
pass (their entries can go), and exit code 2 still means the harness could not judge: an ERROR
or UNAVAILABLE operation, an operation never seen to succeed (NOT RUN, `no success seen`: its
response checks never ran), or a run in which no operation was judged at all (everything NOT
IMPLEMENTED or NOT RUN), which would otherwise pass a gate in silence.

Baseline file (YAML or JSON; `operation`, `rule` and `family` are globs):

    accepted:
      - operation: DescribeSchema
        rule: schema.no-null
        family: valid            # optional: any family when left out
        outcome: fail            # optional: fail, warn or not-implemented; any when left out
        reason: moto answers "domain": null for a schema created without a domain
"""
from __future__ import annotations

import fnmatch
import json
import pathlib
from collections import defaultdict
from dataclasses import dataclass, field

from personalize_conformance.errors import UsageError, one_line

from . import verdicts

OUTCOMES = ("fail", "warn", "not-implemented")  # what --fail-on can name
DEFAULT_FAIL_ON = ("fail",)
JUDGED = (verdicts.PASS, verdicts.WARN, verdicts.FAIL)
ENTRY_KEYS = {"operation", "rule", "family", "outcome", "reason"}


def parse_fail_on(text: str) -> tuple[str, ...]:
    """`fail,warn,not-implemented` → the outcomes that fail the run."""
    names = tuple(dict.fromkeys(p.strip().lower().replace("_", "-") for p in str(text).split(",") if p.strip()))
    wrong = [n for n in names if n not in OUTCOMES]
    if wrong or not names:
        raise ValueError(f"expected a comma list of {', '.join(OUTCOMES)}, not {text!r}")
    return names


@dataclass(frozen=True)
class Entry:
    operation: str
    rule: str
    reason: str
    family: str = "*"
    outcome: str = "*"

    def matches(self, operation: str, rule: str, family: str, outcome: str) -> bool:
        return (fnmatch.fnmatchcase(operation, self.operation) and fnmatch.fnmatchcase(rule, self.rule)
                and fnmatch.fnmatchcase(family or "", self.family) and fnmatch.fnmatchcase(outcome, self.outcome))

    def label(self) -> str:
        extra = "".join(f" ({k} {v})" for k, v in (("family", self.family), ("outcome", self.outcome)) if v != "*")
        return f"{self.operation} × {self.rule}{extra}"


def load_baseline(path: str) -> list[Entry]:
    """The entries of a baseline file, or a usage error naming what is wrong with it."""
    import yaml
    try:
        text = pathlib.Path(path).expanduser().read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read --baseline {path}: {getattr(exc, 'strerror', None) or exc}") from None
    try:
        doc = json.loads(text) if text.lstrip().startswith(("{", "[")) else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as exc:
        raise UsageError(f"--baseline {path} is neither JSON nor YAML: {one_line(exc, 200)}") from None
    items = doc.get("accepted") if isinstance(doc, dict) else doc
    if doc is None or items is None:
        items = []
    if not isinstance(items, list) or (isinstance(doc, dict) and set(doc) - {"accepted", "description"}):
        raise UsageError(f"--baseline {path}: expected a list of entries under 'accepted' "
                         "(and an optional 'description')")
    entries = []
    for i, item in enumerate(items, 1):
        where = f"--baseline {path}: entry {i}"
        if not isinstance(item, dict):
            raise UsageError(f"{where} is not a mapping of operation, rule, reason")
        unknown = set(item) - ENTRY_KEYS
        if unknown:
            raise UsageError(f"{where} has unknown keys {', '.join(sorted(map(str, unknown)))} "
                             f"(known: {', '.join(sorted(ENTRY_KEYS))})")
        missing = [k for k in ("operation", "rule", "reason") if not str(item.get(k) or "").strip()]
        if missing:
            raise UsageError(f"{where} lacks {', '.join(missing)} (every accepted failure says why)")
        outcome = str(item.get("outcome", "*"))
        if outcome not in (*OUTCOMES, "*"):
            raise UsageError(f"{where}: outcome {outcome!r} is not one of {', '.join(OUTCOMES)}")
        entries.append(Entry(str(item["operation"]), str(item["rule"]), str(item["reason"]).strip(),
                             str(item.get("family", "*")), outcome))
    return entries


@dataclass
class Gate:
    fail_on: tuple[str, ...] = DEFAULT_FAIL_ON
    baseline: list[Entry] | None = None
    baseline_path: str | None = None


@dataclass
class GateResult:
    exit_code: int
    new: dict = field(default_factory=dict)        # (operation, rule, family, outcome) -> cases
    accepted: dict = field(default_factory=dict)   # Entry -> cases it accepted
    now_passing: list = field(default_factory=list)  # entries whose cells were judged and did not fail
    not_judged: list = field(default_factory=list)   # entries whose cells this run did not judge
    nothing_judged: str = ""
    cannot_judge: list = field(default_factory=list)  # operations ERROR / UNAVAILABLE
    no_success: list = field(default_factory=list)  # operations NOT RUN for want of a judged success

    def lines(self) -> list[str]:
        out = []
        if self.nothing_judged:
            out.append(self.nothing_judged)
        elif self.no_success:
            shown = ", ".join(self.no_success[:5]) + (f" and {len(self.no_success) - 5} more"
                                                      if len(self.no_success) > 5 else "")
            out.append(f"not judged: no success seen for {len(self.no_success)} operation"
                       f"{'s' * (len(self.no_success) != 1)} ({shown}); their response checks never ran")
        for (op, rule, family, outcome), n in sorted(self.new.items()):
            out.append(f"new {outcome.upper()}: {op} × {rule} ({family}, {n} case{'s' * (n != 1)})")
        if self.accepted:
            out.append(f"accepted by the baseline: {sum(self.accepted.values())} failing cases "
                       f"under {len(self.accepted)} entries")
        for entry in self.now_passing:
            out.append(f"now passes (its baseline entry can go): {entry.label()} - {entry.reason}")
        return out

    def to_dict(self) -> dict:
        return {"exit_code": self.exit_code,
                "new_failures": [{"operation": o, "rule": r, "family": f, "outcome": oc, "cases": n}
                                 for (o, r, f, oc), n in sorted(self.new.items())],
                "accepted": [{"operation": e.operation, "rule": e.rule, "family": e.family,
                              "outcome": e.outcome, "reason": e.reason, "cases": n}
                             for e, n in self.accepted.items()],
                "now_passing": [{"operation": e.operation, "rule": e.rule, "family": e.family,
                                 "outcome": e.outcome, "reason": e.reason} for e in self.now_passing],
                "nothing_judged": self.nothing_judged or None,
                "cannot_judge": self.cannot_judge, "no_success_seen": self.no_success}


def judge(doc: dict, gate: Gate) -> GateResult:
    """The exit code of a run's results document under `gate`."""
    failing: dict = defaultdict(int)
    for case in doc.get("cases", []):
        for f in case.get("findings", []):
            if f.get("outcome") in gate.fail_on:
                failing[(case.get("operation", ""), f.get("rule", ""), case.get("family", ""), f["outcome"])] += 1
    result = GateResult(0)
    entries = gate.baseline or []
    used: dict = defaultdict(int)
    for key, n in failing.items():
        entry = next((e for e in entries if e.matches(*key)), None)
        if entry is None:
            result.new[key] = n
        else:
            used[entry] += n
    result.accepted = dict(used)
    rows = doc.get("operations", {})
    for entry in entries:
        if entry in used:
            continue
        cells = [v for op, row in rows.items() if fnmatch.fnmatchcase(op, entry.operation)
                 for rule, v in row.get("checks", {}).items() if fnmatch.fnmatchcase(rule, entry.rule)]
        (result.now_passing if any(v in JUDGED for v in cells) else result.not_judged).append(entry)
    statuses = [row.get("status") for row in rows.values()]
    result.cannot_judge = sorted(op for op, row in rows.items()
                                 if row.get("status") in (verdicts.ERROR, verdicts.UNAVAILABLE))
    if rows and not any(s in JUDGED for s in statuses):
        counts = defaultdict(int)
        for s in statuses:
            counts[s] += 1
        what = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
        result.nothing_judged = (f"nothing was judged: no operation of {len(rows)} got a verdict "
                                 f"on {doc.get('target', {}).get('name', 'the target')} ({what})"
                                 + ("; nothing implemented: every operation was answered as unknown"
                                    if all(s == verdicts.NOT_IMPLEMENTED for s in statuses) else ""))
    result.no_success = sorted(op for op, row in rows.items() if row.get("status") == verdicts.NOT_RUN
                               and str(row.get("reason", "")).startswith(verdicts.NO_SUCCESS))
    if result.new:
        result.exit_code = 1
    elif result.cannot_judge or result.nothing_judged or result.no_success:
        result.exit_code = 2
    return result


__all__ = ["Entry", "Gate", "GateResult", "OUTCOMES", "DEFAULT_FAIL_ON", "judge", "load_baseline",
           "parse_fail_on"]
