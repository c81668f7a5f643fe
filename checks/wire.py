"""Wire-protocol checks: what every AWS JSON 1.1 response must look like, whatever the operation."""
from __future__ import annotations

from personalize_conformance.specs import WIRE_CONTENT_TYPE

from .context import parse_json
from .errorcode import SERVER_FAULTS, error_code
from .findings import SKIP, fail
from .registry import check

PROTOCOL = "AWS JSON 1.1 protocol"


@check("wire.content-type", source=f"{PROTOCOL}: a 200 carries Content-Type {WIRE_CONTENT_TYPE}")
def content_type(case, response, ctx):
    if response.status != 200:
        yield SKIP
        return
    value = response.headers.get("content-type", "")
    if value.split(";", 1)[0].strip().lower() != WIRE_CONTENT_TYPE:
        yield fail(f"Content-Type is {value or 'missing'!r}, expected {WIRE_CONTENT_TYPE}")


@check("wire.json-body", source=f"{PROTOCOL}: a 200 body is a JSON object, or empty for an operation without output")
def json_body(case, response, ctx):
    if response.status != 200:
        yield SKIP
        return
    if not response.body.strip() and _no_output(ctx.operation(case.operation)):
        return  # observed: DeleteCampaign answers 200 with Content-Length 0, and botocore reads it as {}
    try:
        data = parse_json(response.body)
    except ValueError as exc:
        yield fail(str(exc))
        return
    if not isinstance(data, dict):
        yield fail(f"body is a JSON {type(data).__name__}, not an object")


def _no_output(op) -> bool:
    schema = op.response_schema if op is not None else None
    return schema is None or not schema.get("properties")


@check("wire.request-id", source=f"{PROTOCOL}: every response carries x-amzn-RequestId")
def request_id(case, response, ctx):
    if not response.headers.get("x-amzn-requestid", "").strip():
        yield fail("no x-amzn-RequestId header")


@check("wire.error-code", source=f"{PROTOCOL}: an error names its code in x-amzn-ErrorType or __type")
def error_code_present(case, response, ctx):
    if response.status < 300:
        yield SKIP
        return
    if error_code(response.headers, response.body) is None:
        yield fail(f"HTTP {response.status} with no resolvable error code: {response.body[:120]!r}")


@check("wire.error-status",
       source=f"{PROTOCOL}: client errors are HTTP 4xx; 5xx only for server faults")
def error_status(case, response, ctx):
    if response.status < 300:
        yield SKIP
        return
    if response.status < 400 or response.status >= 600:
        yield fail(f"HTTP {response.status} is neither a success nor an error status")
        return
    code = error_code(response.headers, response.body)
    if response.status >= 500 and code is not None and code not in SERVER_FAULTS:
        yield fail(f"client error {code} sent as HTTP {response.status}")
