"""The one place where a wire request is built and signed.

Every target sends exactly what this module builds: `POST /`, X-Amz-Target, the JSON 1.1
content type, and botocore's SigV4 signature over the final bytes (so raw bodies that boto3 would
refuse can still be sent, signed). Credential scope matters: moto routes by it.
"""
from __future__ import annotations

from functools import lru_cache

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from personalize_conformance.specs import WIRE_CONTENT_TYPE

SERVICE = "personalize"
TARGET_PREFIX = "AmazonPersonalize"
LOCAL_CREDENTIALS = Credentials("testing", "testing")
SECRET_HEADERS = ("authorization", "x-amz-security-token")


@lru_cache(maxsize=256)
def _base_headers(operation: str) -> tuple:
    return ("X-Amz-Target", f"{TARGET_PREFIX}.{operation}"), ("Content-Type", WIRE_CONTENT_TYPE)


def wire_headers(operation: str, overrides: dict | None = None) -> dict[str, str]:
    """The headers a request for `operation` carries before signing; `None` overrides remove one.
    (The operation's own are built once per operation.)"""
    headers = dict(_base_headers(operation))
    for name, value in (overrides or {}).items():
        for existing in [h for h in headers if h.lower() == name.lower()]:
            del headers[existing]
        if value is not None:
            headers[name] = value
    return headers


def sign(url: str, body: bytes, headers: dict[str, str], region: str,
         credentials: Credentials = LOCAL_CREDENTIALS, method: str = "POST") -> dict[str, str]:
    """Headers with SigV4 added, for a POST (or `method`) of `body` to `url`."""
    request = AWSRequest(method=method, url=url, data=body, headers=dict(headers))
    _signer(credentials, region).add_auth(request)
    return dict(request.headers.items())


@lru_cache(maxsize=16)
def _signer(credentials: Credentials, region: str) -> SigV4Auth:
    """botocore's SigV4 signer for a credential set and region, made once: it reads the
    credentials (refreshed ones too) and the time afresh for every request it signs."""
    return SigV4Auth(credentials, SERVICE, region)


def redact(headers: dict[str, str]) -> dict[str, str]:
    """Headers fit for a report: credentials and signatures never leave the process."""
    return {k: ("<redacted>" if k.lower() in SECRET_HEADERS else v) for k, v in headers.items()}
