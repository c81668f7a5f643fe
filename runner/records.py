"""What a run remembers of each case: the request, the wire response, the findings."""
from __future__ import annotations

from dataclasses import dataclass, field

from personalize_conformance.checks import Finding
from personalize_conformance.targets import WireResponse

BODY_LIMIT = 4096  # bytes of a response body kept in a report


@dataclass
class CaseRecord:
    case: object  # strategies.Case
    response: WireResponse | None
    findings: list[Finding]
    shrunk: bool = False  # a minimal failing example: Hypothesis shrank it, or it is the simplest
    # example of its strategy (built so, or drawn first by Hypothesis: its shrinker would stop there)
    seed: int | None = None
    shrunk_by: str = ""  # "hypothesis" or "construction" when shrunk

    @property
    def failed(self) -> bool:
        return any(f.outcome == "fail" for f in self.findings)

    def response_dict(self) -> dict | None:
        if self.response is None:
            return None
        body = self.response.body
        return {
            "status": self.response.status,
            "headers": self.response.headers,
            "body": body[:BODY_LIMIT].decode("utf-8", "replace"),
            "body_truncated": len(body) > BODY_LIMIT,
            "elapsed_ms": round(self.response.elapsed * 1000, 3),
        }


@dataclass
class RunResult:
    run_id: str
    target: str
    endpoint: str
    spec_source: str
    spec_version: str
    seed: int
    operations: dict  # name -> specs.Operation
    records: list[CaseRecord] = field(default_factory=list)
    started: float = 0.0
    finished: float = 0.0
    settings: dict = field(default_factory=dict)
    extra: dict = field(default_factory=dict)  # sections later stages add (coverage, lifecycles)
    worker: str | None = None  # the pytest-xdist worker that ran these records, if any

    def findings(self):
        for record in self.records:
            yield from record.findings
