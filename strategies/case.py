"""A case: one request the harness sends, exactly as it goes on the wire, with where it came from."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

FAMILIES = ("valid", "boundary", "invalid", "lifecycle")
GENERATED = ("valid", "boundary", "invalid")

# What a case expects of a conformant target. `accept`: it must not refuse the request as
# invalid input; `reject`: it must answer a client error; `either`: any answer but a server
# fault (the value is schema-valid but may break a rule beyond the schema, or AWS tolerates it).
ACCEPT, REJECT, EITHER = "accept", "reject", "either"
DEFAULT_EXPECT = {"valid": ACCEPT, "boundary": ACCEPT, "invalid": REJECT}
PARAMS_KEPT = 8192  # bytes of body beyond which a report keeps the body and not the params too


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
    expect: str | None = None  # ACCEPT / REJECT / EITHER; None: the family's default
    covers: tuple[str, ...] = ()  # constraint rules this case sits at the edge of (boundary) or breaks
    note: str = ""  # what is special about the case, in words, for a report
    # Where what the case aims at comes from, when it is weaker than the model: `doc` for a
    # constraint only the docs state (checks.evidence). "" for a case the model alone decides.
    evidence_level: str = ""

    def __post_init__(self) -> None:
        if not self.case_id:
            digest = hashlib.sha1(self.body + repr(sorted(self.headers.items())).encode()).hexdigest()[:10]
            self.case_id = f"{self.operation}-{self.family}-{digest}"

    def __repr__(self) -> str:  # Hypothesis prints failing examples; a 20 kB body helps nobody
        return (f"Case({self.operation}, {self.family}, {self.rule or '-'}, {len(self.body)} bytes"
                + (f", headers={self.headers}" if self.headers else "") + ")")

    def _repr_pretty_(self, printer, cycle) -> None:  # Hypothesis's printer, same short form
        printer.text(repr(self))

    @property
    def expectation(self) -> str:
        return self.expect or DEFAULT_EXPECT.get(self.family, EITHER)

    @classmethod
    def from_params(cls, operation: str, params, **kwargs) -> "Case":
        body = json.dumps(params, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        return cls(operation=operation, body=body, params=params, **kwargs)

    def to_dict(self) -> dict:
        keep_params = len(self.body) <= PARAMS_KEPT
        return {
            "case_id": self.case_id, "operation": self.operation, "family": self.family,
            "rule": self.rule, "seed": self.seed, "headers": dict(self.headers),
            "expect": self.expectation, "covers": list(self.covers), "note": self.note,
            "evidence_level": self.evidence_level,
            "params": self.params if keep_params else "(see body)",
            "body": self.body.decode("utf-8", "replace"),
        }
