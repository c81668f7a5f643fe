"""A case: one request the harness sends, exactly as it goes on the wire, with where it came from."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

FAMILIES = ("valid", "boundary", "invalid", "lifecycle")


@dataclass
class Case:
    operation: str
    body: bytes
    params: dict | None = None
    headers: dict = field(default_factory=dict)  # overrides of the wire defaults; None removes one
    family: str = "valid"
    rule: str | None = None  # for invalid cases: the one constraint broken
    seed: int | None = None
    case_id: str = ""

    def __post_init__(self) -> None:
        if not self.case_id:
            digest = hashlib.sha1(self.body + repr(sorted(self.headers.items())).encode()).hexdigest()[:10]
            self.case_id = f"{self.operation}-{self.family}-{digest}"

    @classmethod
    def from_params(cls, operation: str, params: dict, **kwargs) -> "Case":
        body = json.dumps(params, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        return cls(operation=operation, body=body, params=params, **kwargs)

    def to_dict(self) -> dict:
        return {
            "case_id": self.case_id, "operation": self.operation, "family": self.family,
            "rule": self.rule, "seed": self.seed, "headers": dict(self.headers),
            "params": self.params, "body": self.body.decode("utf-8", "replace"),
        }
