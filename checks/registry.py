"""The check registry: plain functions registered by rule id, each naming where its rule comes from.

A check is `fn(case, response, ctx) -> Iterable[Verdict]`; yielding nothing means the rule held.
Checks never send requests.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

from .findings import ERROR, NOT_IMPLEMENTED, PASS, UNAVAILABLE, Finding, Verdict


@dataclass(frozen=True)
class Check:
    rule: str
    source: str
    fn: Callable
    families: tuple[str, ...] | None  # case families it applies to; None for all


CHECKS: dict[str, Check] = {}
MAX_VERDICTS = 5


def check(rule: str, *, source: str, families: tuple[str, ...] | None = None):
    def register(fn: Callable) -> Callable:
        if rule in CHECKS:
            raise ValueError(f"check {rule} registered twice")
        CHECKS[rule] = Check(rule, source, fn, families)
        return fn
    return register


def run_check(chk: Check, case, response, ctx) -> list[Finding]:
    base = dict(rule=chk.rule, operation=case.operation, case_id=case.case_id, source=chk.source)
    try:
        verdicts: Iterable[Verdict] = list(chk.fn(case, response, ctx) or ())
    except Exception as exc:  # a crashing check is the harness's fault, never the target's
        return [Finding(outcome=ERROR, message=f"check crashed: {exc.__class__.__name__}: {exc}", **base)]
    if any(v.outcome == "skip" for v in verdicts):
        return []
    if not verdicts:
        return [Finding(outcome=PASS, **base)]
    if len(verdicts) > MAX_VERDICTS:  # one response breaking a rule 60 times is one finding's worth
        extra = len(verdicts) - MAX_VERDICTS
        verdicts = verdicts[:MAX_VERDICTS]
        last = verdicts[-1]
        verdicts[-1] = Verdict(last.outcome, f"{last.message} (and {extra} more like it)")
    return [Finding(outcome=v.outcome, message=v.message, **base) for v in verdicts]


# Gates decide first whether the response can be judged at all: an operation the target lacks,
# or a throttled request, is reported as such and not as a string of failures.
GATES = ("target.not-implemented", "target.throttled")


def run_checks(case, response, ctx, rules: Iterable[str] | None = None) -> list[Finding]:
    """Every applicable check on one response. A gate's verdict, when it has one, stands alone."""
    selected = [CHECKS[r] for r in rules] if rules is not None else list(CHECKS.values())
    findings: list[Finding] = []
    for gate in [c for c in selected if c.rule in GATES]:
        gated = run_check(gate, case, response, ctx)
        if any(f.outcome in (NOT_IMPLEMENTED, UNAVAILABLE) for f in gated):
            return gated
        findings.extend(gated)
    selected = [c for c in selected if c.rule not in GATES]
    for chk in selected:
        if chk.families is None or case.family in chk.families:
            findings.extend(run_check(chk, case, response, ctx))
    return findings
