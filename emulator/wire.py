"""AWS JSON 1.1 on the wire: reading a request, writing a reply.

This module knows the protocol and nothing about Personalize resources. A request becomes a
``Request`` (lower-cased headers, the target operation, the raw body); an answer is a ``Reply``
whose JSON payload is encoded only at the very end, so that fault transformers can still
reshape it as data.
"""
from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, field
from typing import Any, Mapping

from .errors import ApiError, serialization

RESPONSE_CONTENT_TYPE = "application/x-amz-json-1.1"
# AWS accepts its own media type and plain JSON; parameters such as charset are ignored.
ACCEPTED_CONTENT_TYPES = frozenset({"application/x-amz-json-1.1", "application/json"})

# Only a well-formed region name (us-east-1, ap-southeast-2, us-gov-west-1) is taken from the
# credential scope; anything else falls back to the default rather than shaping ARNs.
_CREDENTIAL_REGION = re.compile(r"Credential=[^/,\s]+/\d{8}/([a-z]{2}(?:-[a-z]+){1,3}-\d{1,2})/")


class Request:
    """One wire request. Header names are lower-cased once, here."""

    __slots__ = ("method", "path", "headers", "body", "operation")

    def __init__(self, method: str, path: str, headers: Mapping[str, str], body: bytes,
                 target_prefix: str):
        self.method = method.upper()
        self.path = path
        self.headers = {str(k).lower(): str(v) for k, v in headers.items()}
        self.body = body or b""
        target = self.headers.get("x-amz-target", "")
        prefix, dot, op = target.partition(".")
        # The operation named by X-Amz-Target, or None when the header is missing or foreign.
        self.operation = op if dot and prefix == target_prefix and op else None

    def credential_region(self) -> str | None:
        """The region of the SigV4 credential scope, if the request is signed."""
        match = _CREDENTIAL_REGION.search(self.headers.get("authorization", ""))
        return match.group(1) if match else None

    def content_type_ok(self) -> bool:
        media = self.headers.get("content-type", "").split(";", 1)[0].strip().lower()
        return media in ACCEPTED_CONTENT_TYPES


def _reject_constant(name: str):
    # JSON has no NaN or Infinity; Python's parser accepts them unless told otherwise.
    raise ValueError(f"invalid JSON constant {name}")


# Built once: json.loads/json.dumps with options construct a new codec on every call.
_DECODER = json.JSONDecoder(parse_constant=_reject_constant)
_ENCODER = json.JSONEncoder(separators=(",", ":"))


def parse_body(body: bytes) -> dict[str, Any]:
    """The request body as a JSON object; an empty body counts as ``{}``.

    Anything that is not a UTF-8 JSON object is a ``SerializationException``: the framework
    rejects it before any operation sees it.
    """
    if not body.strip():
        return {}
    try:
        value = _DECODER.decode(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise serialization(f"The request body is not valid JSON: {type(exc).__name__}") from None
    if not isinstance(value, dict):
        raise serialization("The request body must be a JSON object.")
    return value


@dataclass
class Reply:
    """An answer before encoding: a JSON payload (or, for faults, a raw body)."""

    status: int
    payload: dict[str, Any] | None = None
    error: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    raw: bytes | None = None
    content_type: str = RESPONSE_CONTENT_TYPE
    request_id: str | None = None

    def encode(self) -> tuple[int, dict[str, str], bytes]:
        body = self.raw if self.raw is not None else _ENCODER.encode(
            self.payload if self.payload is not None else {}).encode("utf-8")
        headers = {"Content-Type": self.content_type}
        if self.request_id is not None:
            headers["x-amzn-RequestId"] = self.request_id
        if self.error is not None:
            headers["x-amzn-ErrorType"] = self.error
        headers.update(self.headers)
        headers["Content-Length"] = str(len(body))
        return self.status, headers, body


def new_request_id() -> str:
    return str(uuid.uuid4())


def ok(payload: dict[str, Any]) -> Reply:
    return Reply(200, payload, request_id=new_request_id())


def error(exc: ApiError) -> Reply:
    return Reply(exc.status, {"__type": exc.code, "message": exc.message}, error=exc.code,
                 request_id=new_request_id())
