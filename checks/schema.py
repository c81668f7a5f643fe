"""Schema checks: a 200 body against the operation's response schema, after the patch layer."""
from __future__ import annotations

from .context import parse_json
from .findings import SKIP, fail, warn
from .registry import check

SOURCE = "Spec: the operation's response schema (patched: epoch-number timestamps, AWS patterns)"


def _body(response):
    if response.status != 200:
        return None
    try:
        data = parse_json(response.body)
    except ValueError:
        return None  # wire.json-body reports it
    return data if isinstance(data, dict) else None


def _walk(schema: dict, value, path: str):
    """(path, schema, value) for every value in the body that the schema describes."""
    yield path, schema, value
    if not isinstance(schema, dict):
        return
    if isinstance(value, dict) and "properties" in schema:
        for key, sub in value.items():
            if key in schema["properties"]:
                yield from _walk(schema["properties"][key], sub, f"{path}.{key}")
    elif isinstance(value, dict) and isinstance(schema.get("additionalProperties"), dict):
        for key, sub in value.items():
            yield from _walk(schema["additionalProperties"], sub, f"{path}.{key}")
    elif isinstance(value, list) and isinstance(schema.get("items"), dict):
        for i, sub in enumerate(value):
            yield from _walk(schema["items"], sub, f"{path}[{i}]")


def _members(case, response, ctx):
    """The body's (path, schema, value) triples, or None where there is no 200 body to judge."""
    body = _body(response)
    op = ctx.operation(case.operation)
    if body is None or op is None or op.response_schema is None:
        return None
    return _walk(op.response_schema, body, "$")


@check("schema.response", source=SOURCE)
def response_schema(case, response, ctx):
    body = _body(response)
    op = ctx.operation(case.operation)
    if body is None or op is None:
        yield SKIP
        return
    validator = ctx.response_validator(case.operation)
    if validator is None:
        if body:
            yield warn(f"{case.operation} declares no output, yet the body has {sorted(body)}")
        return
    errors = ctx.response_errors(case.operation, response.body, body)  # openapi-core's, all of them
    for error in errors[:5]:
        where = "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
        yield fail(f"{where}: {error.message[:300]}")


@check("schema.timestamps", source="Wire: timestamps are epoch-seconds JSON numbers")
def timestamps(case, response, ctx):
    members = _members(case, response, ctx)
    if members is None:
        yield SKIP
        return
    for path, schema, value in members:
        if schema.get("x-aws-timestamp") and value is not None and (
                isinstance(value, bool) or not isinstance(value, (int, float))):
            yield fail(f"{path} is {value!r}: a timestamp must be an epoch-seconds number")


@check("schema.no-null", source="Spec: no member of the response schema is nullable")
def no_null(case, response, ctx):
    members = _members(case, response, ctx)
    if members is None:
        yield SKIP
        return
    for path, schema, value in members:
        if value is None and not schema.get("nullable"):
            yield fail(f"{path} is null; absent members must be omitted")


@check("schema.extra-members", source="Spec: members not in the response schema (a warning, never a failure)")
def extra_members(case, response, ctx):
    members = _members(case, response, ctx)
    if members is None:
        yield SKIP
        return
    for path, schema, value in members:
        if isinstance(value, dict) and "properties" in schema and not schema.get("additionalProperties"):
            extra = sorted(set(value) - set(schema["properties"]))
            if extra:
                yield warn(f"{path} has undocumented members {extra}")
