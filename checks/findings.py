"""Findings: what a check concluded about one case, with the evidence to act on it."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

PASS, FAIL, WARN = "pass", "fail", "warn"
NOT_IMPLEMENTED, ERROR, UNAVAILABLE = "not-implemented", "error", "unavailable"
SKIPPED = "skipped"  # the harness chose not to send (a billable operation on AWS): NOT RUN in a matrix
OUTCOMES = (PASS, FAIL, WARN, NOT_IMPLEMENTED, ERROR, UNAVAILABLE, SKIPPED)


@dataclass
class Finding:
    rule: str
    outcome: str
    message: str = ""
    operation: str = ""
    case_id: str = ""
    source: str = ""
    evidence: dict = field(default_factory=dict)
    # Where the expectation this finding judges comes from: model, protocol, observed or doc
    # (checks.evidence). Empty for outcomes that judge nothing (not implemented, unavailable).
    evidence_level: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Verdict:
    """What a check function yields; the registry turns it into a Finding with rule and source.

    `expectation` names which of the rule's expectations it judges (`refused`, `error-code`, ...:
    the keys of `checks.evidence.RULES`), `level` overrides the evidence level where the check
    knows it better than the rule's default (a lifecycle flow observed in AWS traffic), and
    `claim` says in a few words what the expectation holds, for a doc-level warning."""
    outcome: str
    message: str
    expectation: str | None = None
    level: str | None = None
    claim: str | None = None


def fail(message: str, **evidence) -> Verdict:
    return Verdict(FAIL, message, **evidence)


def warn(message: str, **evidence) -> Verdict:
    return Verdict(WARN, message, **evidence)


def not_implemented(message: str) -> Verdict:
    return Verdict(NOT_IMPLEMENTED, message)


SKIP = Verdict("skip", "")  # the check does not apply to this response
