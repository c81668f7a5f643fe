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

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Verdict:
    """What a check function yields; the registry turns it into a Finding with rule and source."""
    outcome: str
    message: str


def fail(message: str) -> Verdict:
    return Verdict(FAIL, message)


def warn(message: str) -> Verdict:
    return Verdict(WARN, message)


def not_implemented(message: str) -> Verdict:
    return Verdict(NOT_IMPLEMENTED, message)


SKIP = Verdict("skip", "")  # the check does not apply to this response
