"""Sequence-level checks: plain functions judging what a series of calls observed.

A per-response check sees one request and one answer; a contract needs several (a create, the
polls that followed, a list). The runner gathers those observations and hands them to a contract
by rule id; the contract yields `fail`/`warn` verdicts, nothing when the rule held, or `SKIP`
when the observation cannot decide. Contracts never send requests.

The rule modules (`lifecycle_*.py`) import this one and register themselves; the package
imports them, so importing anything under `checks` fills `CONTRACTS`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from . import evidence
from .findings import ERROR, Verdict
from .registry import Registry


@dataclass(frozen=True)
class Contract:
    rule: str
    source: str  # the family's basis; findings carry the resource's own spec citation
    fn: Callable


CONTRACTS: Registry[Contract] = Registry("contract")


def contract(rule: str, *, source: str):
    def register(fn: Callable) -> Callable:
        CONTRACTS.register(rule, Contract(rule, source, fn))
        return fn
    return register


def judge(rule: str, **observation) -> list[Verdict]:
    """The verdicts of one contract on one observation, graded by their evidence
    (`checks.evidence`): [] when it held, [SKIP] when it could not decide. A contract that
    crashes is a harness error, reported as such."""
    try:
        verdicts = list(CONTRACTS[rule].fn(**observation) or ())
    except Exception as exc:
        return [Verdict(ERROR, f"contract crashed: {exc.__class__.__name__}: {exc}")]
    return [evidence.grade(rule, v) for v in verdicts]


def severity(documented: bool) -> Callable[..., Verdict]:
    """`fail` for a documented rule, `warn` for one inferred from its documented siblings."""
    from .findings import fail, warn
    return fail if documented else warn


def expect_error(expected: tuple[str, ...], status: int | None, code: str | None, doing: str,
                 documented: bool = True):
    """Verdicts for a request the rule says must be refused with one of `expected`: accepting it
    breaks the rule's `refused` expectation, refusing it with another error its `error-code` one
    (each graded by its own evidence)."""
    if status is None:
        return
    if status == 200:
        yield severity(documented)(f"{doing} was accepted (HTTP 200); expected {' or '.join(expected)}",
                                   expectation=evidence.REFUSED)
    elif code not in expected:
        yield severity(documented)(f"{doing} was answered {code or f'HTTP {status}'}; "
                                   f"expected {' or '.join(expected)}", expectation=evidence.ERROR_CODE)
