"""What checks may know besides the case and the response: the spec, and validators built once."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache

from personalize_conformance.specs import Spec
from personalize_conformance.specs.index import pattern_of
from personalize_conformance.specs.patches import aws_pattern


@lru_cache(maxsize=256)
def aws_pattern_matcher(pattern: str):
    """The format checker for an AWS pattern: the patch layer's whole-value matcher."""
    compiled = aws_pattern(pattern)
    return lambda value: not isinstance(value, str) or compiled.match(value) is not None


def _format_validators(spec: Spec) -> dict:
    return {f"aws-pattern:{p}": aws_pattern_matcher(p) for p in spec.aws_patterns}


ERRORS_KEPT = 64  # response bodies whose schema errors are remembered: a target answering the same
# list to every List case (moto ignores maxResults) is validated once, not once per case


@dataclass
class CheckContext:
    spec: Spec
    _validators: dict = field(default_factory=dict)
    _errors: dict = field(default_factory=dict)  # (operation, body) -> schema errors, oldest first

    def operation(self, name: str):
        return self.spec.operations.get(name)

    def response_validator(self, operation: str):
        """openapi-core's validator for the operation's 200 body, built once per operation."""
        if operation not in self._validators:
            self._validators[operation] = self._build(operation)
        return self._validators[operation]

    def response_errors(self, operation: str, body: bytes, data) -> list:
        """openapi-core's errors for `data`, the 200 body `body` of `operation` (same body, same
        errors: remembered for the last few bodies)."""
        key = (operation, body)
        errors = self._errors.get(key)
        if errors is None:
            errors = list(self.response_validator(operation).validator.iter_errors(data))
            self._errors[key] = errors
            if len(self._errors) > ERRORS_KEPT:
                self._errors.pop(next(iter(self._errors)))
        return errors

    def _build(self, operation: str):
        from jsonschema_path import SchemaPath
        from openapi_core.validation.schemas import oas30_read_schema_validators_factory
        op = self.spec.operations.get(operation)
        if op is None or op.response_schema is None:
            return None
        # The index's inlined schema: no $ref lookups or allOf descents per response, which
        # otherwise dominate validation time on long lists.
        path = SchemaPath.from_dict(op.response_schema)
        return oas30_read_schema_validators_factory.create(
            path, path, extra_format_validators=_format_validators(self.spec))


@lru_cache(maxsize=8)
def context_for(spec: Spec) -> CheckContext:
    """One context per spec, so validators are built once per operation for the whole process."""
    return CheckContext(spec)


def parse_json(body: bytes):
    """The body as JSON, or raise ValueError with a reason fit for a finding."""
    try:
        return json.loads(body.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ValueError(f"body is not UTF-8 ({exc.reason} at byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"body is not JSON ({exc.msg} at {exc.pos}): {body[:80]!r}") from None


__all__ = ["CheckContext", "context_for", "parse_json", "aws_pattern_matcher", "pattern_of"]
