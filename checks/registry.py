"""Registries of plain functions by rule id, and the one of per-response checks.

`Registry[T]` is the one shape both kinds of rule take: per-response checks here (`CHECKS`) and
sequence-level contracts (`checks.contracts.CONTRACTS`). A rule id names one entry, registered
once; readers look entries up, test for them and iterate over the ids, as with a dict.

A check is `fn(case, response, ctx) -> Iterable[Verdict]`; yielding nothing means the rule held.
Checks never send requests.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Generic, Iterable, Iterator, TypeVar

from . import evidence
from .findings import ERROR, NOT_IMPLEMENTED, PASS, UNAVAILABLE, Finding, Verdict

T = TypeVar("T")


class Registry(Generic[T]):
    """Rule id -> entry. A second registration of one id is a programming error: two functions
    would claim one rule, and a report could not say which one judged."""

    def __init__(self, kind: str):
        self.kind = kind
        self._entries: dict[str, T] = {}

    def register(self, rule: str, entry: T) -> T:
        if rule in self._entries:
            raise ValueError(f"{self.kind} {rule} registered twice")
        self._entries[rule] = entry
        return entry

    def __getitem__(self, rule: str) -> T:
        try:
            return self._entries[rule]
        except KeyError:
            raise KeyError(f"no {self.kind} {rule!r} is registered") from None

    def __setitem__(self, rule: str, entry: T) -> None:
        """Swap the entry of a registered rule (a test replacing one function for a while)."""
        if rule not in self._entries:
            raise KeyError(f"no {self.kind} {rule!r} is registered; register() adds one")
        self._entries[rule] = entry

    def __contains__(self, rule: object) -> bool:
        return rule in self._entries

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, rule: str, default=None):
        return self._entries.get(rule, default)

    def values(self):
        return self._entries.values()

    def items(self):
        return self._entries.items()

    def __repr__(self) -> str:
        return f"Registry({self.kind}: {len(self)} rules)"


@dataclass(frozen=True)
class Check:
    rule: str
    source: str
    fn: Callable
    families: tuple[str, ...] | None  # case families it applies to; None for all


CHECKS: Registry[Check] = Registry("check")
MAX_VERDICTS = 5


def check(rule: str, *, source: str, families: tuple[str, ...] | None = None):
    def register(fn: Callable) -> Callable:
        CHECKS.register(rule, Check(rule, source, fn, families))
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
        return [Finding(outcome=PASS, evidence_level=evidence.level(chk.rule), **base)]
    verdicts = [evidence.grade(chk.rule, v) for v in verdicts]
    if len(verdicts) > MAX_VERDICTS:  # one response breaking a rule 60 times is one finding's worth
        extra = len(verdicts) - MAX_VERDICTS
        verdicts = verdicts[:MAX_VERDICTS]
        last = verdicts[-1]
        verdicts[-1] = Verdict(last.outcome, f"{last.message} (and {extra} more like it)", level=last.level)
    return [Finding(outcome=v.outcome, message=v.message, evidence_level=v.level or "", **base) for v in verdicts]


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
