"""Acceptance checks: what a target must take, what it must refuse, and what the SDK makes of both.

- `acceptance.positive` (valid, boundary): a request the spec allows is never refused as invalid
  input for a member that satisfies the spec, and never gets a server fault. Refusals for other
  reasons (a referenced resource is missing, already exists, is in use) are fine.
- `acceptance.negative` (invalid): a request breaking one constraint is refused with a client
  error that says so, never accepted and never a server fault.
- `sdk.request-roundtrip`, `sdk.response-roundtrip` (valid, boundary, lifecycle): the installed
  botocore sends the same body for the same parameters, and parses a 200 into the operation's
  output without losing or altering a member.
"""
from __future__ import annotations

import base64
import datetime
import json
import re
from functools import lru_cache

from .context import aws_pattern_matcher
from .errorcode import error_code
from .findings import SKIP, fail, warn
from .registry import check

INPUT_REFUSALS = frozenset({"InvalidInputException", "ValidationException", "SerializationException"})
# What a request-level defect may be answered with: the protocol front end's own client errors.
FRONT_END_REFUSALS = INPUT_REFUSALS | frozenset({
    "UnknownOperationException", "InvalidAction", "MissingAction", "UnsupportedMediaTypeException",
    "InvalidParameterValue", "MissingParameter", "MalformedQueryString"})
MEMBER_FRAMEWORK = re.compile(r"Value (?:.{0,400}? )?at '(?P<path>[^']+)' failed to satisfy constraint: "
                              r"(?P<what>[^;]+)", re.DOTALL)
POSITIVE_FAMILIES = ("valid", "boundary")
SDK_FAMILIES = ("valid", "boundary", "lifecycle")


def _message(body: bytes) -> str:
    try:
        data = json.loads(body.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return body[:200].decode("utf-8", "replace")
    if isinstance(data, dict):
        return str(data.get("message") or data.get("Message") or "")
    return ""


def _spec_citation(ctx, case) -> str:
    op = ctx.operation(case.operation)
    shape = (op.request_ref or "").rsplit("/", 1)[-1] if op else ""
    return f"spec: {shape or case.operation + ' request'}, {case.rule or 'request'}"


# -- the harness's own request validator -------------------------------------------------------

@lru_cache(maxsize=512)
def _request_validator(spec, operation: str):
    from openapi_core.validation.schemas import oas30_write_schema_validators_factory
    op = spec.operations.get(operation)
    if op is None or op.request_ref is None:
        return None
    root = _schema_root(spec)
    path = root
    for part in op.request_ref.lstrip("#/").split("/"):
        path = path / part
    formats = {f"aws-pattern:{p}": aws_pattern_matcher(p) for p in spec.aws_patterns}
    return oas30_write_schema_validators_factory.create(root, path, extra_format_validators=formats)


@lru_cache(maxsize=8)
def _schema_root(spec):
    from jsonschema_path import SchemaPath
    return SchemaPath.from_dict(spec.document)


def request_violations(spec, operation: str, params) -> set[str]:
    """The constraint rules (`Op.member.kind`) `params` breaks, judged by openapi-core against
    the patched request schema: the same validator and pattern semantics as response checks
    (and, for the map keys OpenAPI cannot constrain, the spec's `x-aws-key` schemas)."""
    from personalize_conformance.strategies.coverage import key_violations
    from personalize_conformance.strategies.paths import ITEM, VALUE, rule_name
    validator = _request_validator(spec, operation)
    if validator is None:
        return set()
    schema = spec.operation(operation).request_schema
    out = key_violations(spec, operation, params)
    for error in validator.validator.iter_errors(params):
        path, node = [], schema
        for part in error.absolute_path:
            if node.get("type") == "array":
                path.append(ITEM)
                node = node.get("items", {})
            elif "properties" in node and part in node["properties"]:
                path.append(part)
                node = node["properties"][part]
            else:
                path.append(VALUE)
                node = node.get("additionalProperties") or {}
        path = tuple(path)
        kind = error.validator
        if error.instance is None and kind not in ("type", "nullable", "required"):
            continue  # a null also fails `enum` and the like: one rule, reported once below
        if kind == "required":
            for name in re.findall(r"'([^']+)' is a required property", error.message):
                out.add(rule_name(operation, path + (name,), "required"))
            continue
        if str(error.validator_value).startswith("aws-pattern:"):  # the patch layer's formats: a pattern
            kind = "pattern"
        elif kind in ("type", "nullable") and error.instance is None and path:
            required = path[-1] in (ITEM, VALUE) or path[-1] in _parent_schema(schema, path).get("required", ())
            kind = "required" if required else "null"
        out.add(rule_name(operation, path, kind))
    return out


def _parent_schema(schema: dict, path: tuple) -> dict:
    from personalize_conformance.strategies.paths import schema_at
    return schema_at(schema, path[:-1])


# -- positive acceptance ------------------------------------------------------------------------

@check("acceptance.positive", families=POSITIVE_FAMILIES,
       source="Spec: the operation's request schema - a request within every constraint is not "
              "refused as invalid input (AWS JSON 1.1: client errors for client faults only)")
def positive(case, response, ctx):
    from personalize_conformance.strategies.case import ACCEPT
    if response.status >= 500:
        code = error_code(response.headers, response.body) or "no error code"
        yield fail(f"a request within every constraint answered HTTP {response.status} ({code})"
                   + (f"; {case.note}" if case.note else ""))
        return
    if response.status < 300:
        return
    code = error_code(response.headers, response.body)
    if code not in INPUT_REFUSALS or case.expectation != ACCEPT:
        return
    message = _message(response.body)
    if case.params is not None and request_violations(ctx.spec, case.operation, case.params):
        yield SKIP  # the case itself breaks the schema: the refusal is right, the generator wrong
        return
    if code == "SerializationException":
        yield fail(f"SerializationException for a JSON object of the modelled types: {message[:200]}")
        return
    blamed = [(m.group("path"), m.group("what").strip()) for m in MEMBER_FRAMEWORK.finditer(message)]
    for path, what in blamed[:5]:
        yield fail(f"{code} blames '{path}' ({what[:160]}), but its value satisfies the spec"
                   + (f"; {case.note}" if case.note else ""))
    if blamed:
        return
    target_member = _boundary_member(case)
    if target_member and re.search(rf"\b{re.escape(target_member)}\b", message):
        yield fail(f"{code} for {target_member} at its edge, which the spec allows: {message[:200]}"
                   f"; {case.note}")
        return
    body = case.body.decode("utf-8", "replace")
    if _EXISTING.search(body):
        return  # a rule across resources (domains, states): the lifecycle contracts judge those
    op = ctx.operation(case.operation)
    if op is not None and "ResourceNotFoundException" not in op.errors and "absent-" in body:
        return  # an operation with no not-found error reports a missing referenced resource this way
    yield warn(f"{code} by a rule beyond the schema (not judged): {message[:200]}")


# A Personalize resource ARN of an account that is not one of the strategies' missing ones.
_EXISTING = re.compile(r"arn:[a-z0-9-]+:personalize:[a-z0-9-]+:\d{12}:[a-z-]+/(?!absent-)")


def _boundary_member(case) -> str | None:
    if case.family != "boundary" or not case.rule:
        return None
    parts = case.rule.split(".")
    if len(parts) < 3:
        return None
    member = parts[-2].replace("[]", "").replace("{}", "")
    return member or None


# -- negative rejection -------------------------------------------------------------------------

@check("acceptance.negative", families=("invalid",),
       source="Spec: the operation's request schema - a request breaking a constraint is refused "
              "with a client error (AWS JSON 1.1: validation precedes the operation)")
def negative(case, response, ctx):
    from personalize_conformance.strategies.case import REJECT
    code = error_code(response.headers, response.body)
    what = case.note or case.rule or "an invalid request"
    if response.status >= 500:
        yield fail(f"HTTP {response.status} ({code or 'no error code'}) for {what}; a client error was due "
                   f"({_spec_citation(ctx, case)})")
        return
    if case.expectation != REJECT:
        return
    documented_only = case.evidence_level == "doc"
    if 200 <= response.status < 300:
        yield fail(f"accepted {what}, which breaks {case.rule} ({_spec_citation(ctx, case)})",
                   expectation="doc-constraint" if documented_only else None)
        return
    if response.status < 400:
        return  # wire.error-status reports statuses that are neither
    if documented_only:
        return  # only model constraints are known to be checked before the operation: any refusal will do
    allowed = FRONT_END_REFUSALS if request_level(case) else INPUT_REFUSALS
    if code is None:
        return  # wire.error-code reports an error without a code
    if code not in allowed:
        yield fail(f"{code} for {what}: it breaks {case.rule}, which must be refused as invalid input "
                   f"({'/'.join(sorted(INPUT_REFUSALS))}) before the operation runs "
                   f"({_spec_citation(ctx, case)})")


def request_level(case) -> bool:
    """The case breaks the request itself (a header, the body's framing), not a member of it:
    the protocol front end may refuse it before any operation is chosen."""
    rest = (case.rule or "").split(".", 1)[-1].lstrip("$")
    return rest.startswith(("body.", "header."))


# -- SDK round trips ----------------------------------------------------------------------------

@lru_cache(maxsize=4)
def _service_model(service: str = "personalize"):
    import botocore.session
    return botocore.session.get_session().get_service_model(service)


@lru_cache(maxsize=1)
def _serializer():
    """botocore's JSON request serialiser: it keeps no state between requests."""
    from botocore.serialize import create_serializer
    return create_serializer("json")


def _operation_model(name: str):
    model = _service_model()
    return model.operation_model(name) if name in model.operation_names else None


@check("sdk.request-roundtrip", families=SDK_FAMILIES,
       source="botocore (installed): the SDK serialises a case's parameters to the body the harness sent")
def request_roundtrip(case, response, ctx):
    from botocore.validate import ParamValidator
    model = _operation_model(case.operation)
    if model is None or case.params is None or case.headers or not isinstance(case.params, dict):
        yield SKIP
        return
    report = ParamValidator().validate(case.params, model.input_shape) if model.input_shape else None
    if report is not None and report.has_errors():
        lines = [l.strip() for l in report.generate_report().splitlines()
                 if l.strip() and not l.startswith("Parameter validation failed")]
        for line in lines[:3]:
            yield fail(f"botocore refuses parameters the spec allows: {line}")
        return
    body = _serializer().serialize_to_request(case.params, model)["body"] or b"{}"
    sdk = json.loads(body)
    sent = json.loads(case.body.decode("utf-8"))
    for path, ours, theirs in list(_differences(sent, sdk, model.input_shape, "$"))[:5]:
        yield fail(f"{path}: the harness sent {_short(ours)}, botocore serialises {_short(theirs)}")


@check("sdk.response-roundtrip", families=SDK_FAMILIES,
       source="botocore (installed): the SDK parses a 200 body into the operation's output, member for member")
def response_roundtrip(case, response, ctx):
    from botocore.parsers import create_parser
    model = _operation_model(case.operation)
    if response.status != 200 or model is None or model.output_shape is None:
        yield SKIP
        return
    try:
        raw = json.loads(response.body.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        yield SKIP  # wire.json-body reports it
        return
    if not isinstance(raw, dict):
        yield SKIP
        return
    try:
        parsed = create_parser("json").parse(
            {"body": response.body, "headers": response.headers, "status_code": response.status}, model.output_shape)
    except Exception as exc:  # the SDK crashing on a 200 is exactly what this check is for
        yield fail(f"botocore cannot parse the response: {exc.__class__.__name__}: {str(exc)[:200]}")
        return
    parsed.pop("ResponseMetadata", None)
    for path, ours, theirs in list(_differences(raw, parsed, model.output_shape, "$"))[:5]:
        yield fail(f"{path}: the target sent {_short(ours)}, botocore gives {_short(theirs)}")


_ABSENT = object()


def _short(value) -> str:
    if value is _ABSENT:
        return "nothing"
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _differences(ours, theirs, shape, path: str):
    """(path, ours, theirs) wherever the two disagree on a member `shape` describes; timestamps
    compare as instants, and a blob's base64 text as the bytes botocore parses it into."""
    if ours is None:
        return
    kind = shape.type_name if shape is not None else None
    if kind == "structure" and isinstance(ours, dict):
        if not isinstance(theirs, dict):
            yield path, ours, theirs
            return
        for name, member in shape.members.items():
            if name in ours and ours[name] is not None:
                if name not in theirs:
                    yield f"{path}.{name}", ours[name], _ABSENT
                else:
                    yield from _differences(ours[name], theirs[name], member, f"{path}.{name}")
        return
    if kind == "list" and isinstance(ours, list):
        if not isinstance(theirs, list) or len(theirs) != len(ours):
            yield path, ours, theirs
            return
        for i, (a, b) in enumerate(zip(ours, theirs)):
            yield from _differences(a, b, shape.member, f"{path}[{i}]")
        return
    if kind == "map" and isinstance(ours, dict):
        if not isinstance(theirs, dict) or set(theirs) != set(ours):
            yield path, ours, theirs
            return
        for key, value in ours.items():
            yield from _differences(value, theirs.get(key, _ABSENT), shape.value, f"{path}.{key}")
        return
    if kind == "timestamp":
        a, b = _instant(ours), _instant(theirs)
        if a is None or b is None or abs(a - b) > 1e-3:
            yield path, ours, theirs
        return
    if kind == "blob" and isinstance(ours, str) and isinstance(theirs, bytes):
        try:
            if base64.b64decode(ours) != theirs:
                yield path, ours, theirs
        except ValueError:
            yield path, ours, theirs
        return
    if type(ours) is bool or type(theirs) is bool:
        if type(ours) is not type(theirs) or ours != theirs:
            yield path, ours, theirs
        return
    if ours != theirs:
        yield path, ours, theirs


def _instant(value) -> float | None:
    if isinstance(value, datetime.datetime):
        return value.timestamp()
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        from botocore.utils import parse_timestamp
        try:
            return parse_timestamp(value).timestamp()
        except (ValueError, TypeError, OverflowError):
            return None
    return None


__all__ = ["request_violations", "request_level", "INPUT_REFUSALS", "FRONT_END_REFUSALS"]
