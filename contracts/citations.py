"""Citations: where in the spec a contract comes from, and whether the spec still says so.

A citation names an operation and one of: a phrase of its description, a phrase of a request or
response member's documentation, an error it declares; or a phrase of an error shape's
documentation in the botocore model. `problem(spec)` answers why a citation no longer holds, so
a test can fail the moment the data and the spec's text drift apart.

A fact AWS has been seen to do rather than documented says so instead: `observed` names where it
was seen (`recorded AWS traffic`), and such a citation has no spec text to drift from.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .text import member_doc, plain


@dataclass(frozen=True)
class Citation:
    operation: str | None = None
    phrase: str | None = None
    response: str | None = None   # dotted member path in the operation's response
    request: str | None = None    # dotted member path in the operation's request
    declares: str | None = None   # an error the operation declares
    shape: str | None = None      # an error shape whose documentation holds the phrase
    observed: str | None = None   # seen in AWS's answers (where), not read in its documentation

    @classmethod
    def of(cls, data: dict | None, default_phrase: str | None = None) -> "Citation":
        data = dict(data or {})
        if default_phrase and not data.get("phrase") and not data.get("declares") and not data.get("observed"):
            data["phrase"] = default_phrase
        return cls(**{k: (str(v) if v is not None else None) for k, v in data.items()})

    def __str__(self) -> str:
        where = self.shape or self.operation or "?"
        if self.response:
            where += f" {self.response}"
        if self.request:
            where += f" (request {self.request})"
        if self.observed:
            return f"{where}: observed in {self.observed}"
        if self.declares:
            return f"{where}: declares {self.declares}"
        return f'{where}: "{plain(self.phrase)}"' if self.phrase else where

    def text(self, spec) -> str:
        """The documentation the phrase must appear in, as plain text."""
        if self.shape:
            return _shape_doc(self.shape)
        op = spec.operations.get(self.operation or "")
        if op is None:
            return ""
        if self.response:
            return member_doc(op.response_schema, self.response)
        if self.request:
            return member_doc(op.request_schema, self.request)
        return plain(op.description)

    def raw(self, spec) -> str:
        """The same documentation with its markup kept, for extracting status chains."""
        from .text import member_raw
        op = spec.operations.get(self.operation or "")
        if self.shape or op is None:
            return self.text(spec)
        if self.response:
            return member_raw(op.response_schema, self.response)
        if self.request:
            return member_raw(op.request_schema, self.request)
        return op.description

    def problem(self, spec) -> str | None:
        """None when the spec still says what this citation claims; else why not."""
        if self.operation and self.operation not in spec.operations:
            return f"{self.operation} is not in the spec"
        if self.observed:
            return None  # an observation, not a phrase: the observation corpus backs it
        if self.declares:
            op = spec.operations[self.operation]
            if self.declares not in op.errors:
                return f"{self.operation} no longer declares {self.declares}"
            return None
        if not self.phrase:
            return "cites no phrase"
        text = self.text(spec)
        if plain(self.phrase) not in text:
            return f"phrase not found in {self}: spec text is {text[:160]!r}"
        return None


@lru_cache(maxsize=None)
def _shape_doc(name: str) -> str:
    import botocore.session
    model = botocore.session.get_session().get_service_model("personalize")
    try:
        return plain(model.shape_for(name).documentation)
    except Exception:  # an unknown shape cites nothing
        return ""
