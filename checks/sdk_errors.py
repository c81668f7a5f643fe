"""What an SDK makes of an error answer.

An AWS JSON 1.1 error names its code in up to three places, and SDKs do not read the same ones:
Smithy's awsJson1_1 clients take the X-Amzn-Errortype header, else the body's `code`, else its
`__type`; botocore reads `__type` only, else falls back to the HTTP status. Both cut the code
before its first `:` and after its last `#`. An answer boto3 cannot resolve to the code Smithy
clients see is an error boto3 users cannot catch by name (`client.exceptions.X`), however right
it looks on the wire.

- `sdk.error-code` (protocol): botocore, running its own parser on the raw answer, resolves the
  code Smithy clients resolve.
- `errors.http-status` (model): an error the model defines travels with the HTTP status the model
  gives it (`httpStatusCode` of its shape, 400 when none), not just any 4xx.
"""
from __future__ import annotations

import json
import logging
from functools import lru_cache

from .errorcode import sanitise
from .findings import SKIP, fail
from .registry import check

# Where each rule's expectation comes from: the botocore model, or the protocol as Smithy
# specifies it and botocore implements it.
EVIDENCE = {"sdk.error-code": "protocol", "errors.http-status": "model"}
DEFAULT_ERROR_STATUS = 400


@lru_cache(maxsize=2)
def _service_model(service: str = "personalize"):
    import botocore.session
    return botocore.session.get_session().get_service_model(service)


def smithy_code(headers: dict, body: bytes) -> str | None:
    """The error code a Smithy awsJson1_1 client resolves: header, then `code`, then `__type`."""
    header = headers.get("x-amzn-errortype")
    if header and sanitise(header):
        return sanitise(header)
    try:
        data = json.loads(body.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return None
    if isinstance(data, dict):
        for key in ("code", "__type"):
            if isinstance(data.get(key), str) and sanitise(data[key]):
                return sanitise(data[key])
    return None


def botocore_code(status: int, headers: dict, body: bytes, operation: str | None = None) -> str:
    """The error code botocore's own JSON parser gives this answer (what `ClientError` carries).
    Raises whatever botocore raises: an answer that crashes the SDK's parser is the target's."""
    model = _service_model()
    shape = model.operation_model(operation).output_shape if operation in model.operation_names else None
    # The parser logs the raw answer at DEBUG, and an error may echo what the request carried.
    log = logging.getLogger("botocore.parsers")
    quiet, log.disabled = log.disabled, True
    try:
        parsed = _parser(model.protocol).parse(
            {"status_code": status, "headers": dict(headers), "body": body}, shape)
    finally:
        log.disabled = quiet
    return str((parsed.get("Error") or {}).get("Code") or "")


@lru_cache(maxsize=4)
def _parser(protocol: str):
    """botocore's response parser for the protocol: it keeps no state between answers."""
    from botocore.parsers import create_parser
    return create_parser(protocol)


@lru_cache(maxsize=256)
def modeled_error(code: str | None):
    """The model's error shape boto3 raises for `code` (`client.exceptions.from_code`), or None.
    (The model builds its error shapes anew each time it is asked: once per code is enough.)"""
    if not code:
        return None
    return next((s for s in _service_model().error_shapes if s.error_code == code), None)


def modeled_status(shape) -> int:
    return int((shape.metadata.get("error") or {}).get("httpStatusCode") or DEFAULT_ERROR_STATUS)


@check("sdk.error-code",
       source="AWS JSON 1.1 protocol (Smithy awsJson1_1: X-Amzn-Errortype, `code`, `__type`; botocore's "
              "JSON parser: `__type`, else the HTTP status): boto3 resolves an error to the code Smithy clients do")
def sdk_error_code(case, response, ctx):
    if response.status < 300:
        yield SKIP
        return
    smithy = smithy_code(response.headers, response.body)
    if smithy is None:
        yield SKIP  # wire.error-code reports an error no client can name
        return
    try:
        boto = botocore_code(response.status, response.headers, response.body, case.operation)
    except Exception as exc:  # botocore failing on the answer is what this rule is for
        yield fail(f"botocore cannot parse this {smithy} error: {exc.__class__.__name__}: {str(exc)[:160]}")
        return
    if boto == smithy:
        return
    op = ctx.operation(case.operation)
    declared = op is not None and smithy in op.errors
    what = f"{case.operation}'s declared error {smithy}" if declared else f"the error {smithy}"
    where = "X-Amzn-Errortype" if response.headers.get("x-amzn-errortype") else "`code`"
    yield fail(f"Smithy clients resolve {what} (from {where}); boto3 resolves {boto!r}, so it raises "
               f"{'ClientError, not client.exceptions.' + smithy if modeled_error(smithy) else 'another error'}: "
               f"botocore reads the code from `__type` only")


@check("errors.http-status",
       source="Model: an error shape's httpStatusCode (400 when the model gives none) is the status it travels with")
def http_status(case, response, ctx):
    if response.status < 300:
        yield SKIP
        return
    code = smithy_code(response.headers, response.body)
    shape = modeled_error(code)
    if shape is None:
        yield SKIP  # no code, or a framework error the model does not define
        return
    want = modeled_status(shape)
    if response.status != want:
        yield fail(f"{code} answered with HTTP {response.status}; the model gives {code} HTTP {want}")


__all__ = ["EVIDENCE", "smithy_code", "botocore_code", "modeled_error", "modeled_status"]
