"""Reading an error's code off the wire the way the AWS JSON protocol tests specify."""
from __future__ import annotations

import json


def sanitise(code: str) -> str:
    """`aws.protocoltests#FooError:http://...` → `FooError`: before the first `:`, after the last `#`."""
    return code.split(":", 1)[0].rsplit("#", 1)[-1].strip()


def error_code(headers: dict, body: bytes) -> str | None:
    header = headers.get("x-amzn-errortype")
    if header:
        return sanitise(header) or None
    try:
        data = json.loads(body.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return None
    if isinstance(data, dict):
        for key in ("__type", "code"):
            if isinstance(data.get(key), str) and data[key]:
                return sanitise(data[key]) or None
    return None


SERVER_FAULTS = frozenset({
    "InternalFailure", "InternalServerError", "InternalServerException", "ServiceUnavailable",
    "ServiceUnavailableException", "ThrottlingException", "Throttling", "RequestLimitExceeded",
    "SlowDown", "TooManyRequestsException",
})
THROTTLING = frozenset({"ThrottlingException", "Throttling", "RequestLimitExceeded",
                        "TooManyRequestsException", "SlowDown"})
