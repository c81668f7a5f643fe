"""schemathesis hooks for AWS JSON 1.1 targets: what `spec --export` cannot say in OpenAPI.

    SCHEMATHESIS_HOOKS=personalize_conformance.targets.schemathesis_hooks st run FILE --url URL

Importing this module registers them globally, so the Python API (`schemathesis.openapi.from_path`)
gets them too. Every request goes to `POST /` (the exported paths only name the target), carries
X-Amz-Target (unless the operation declares that header, which schemathesis then generates, and
may break on purpose in its negative mode) and the JSON 1.1 content type, and is signed by
botocore's SigV4 over the bytes actually sent. Responses in the JSON 1.1 media type are read as
JSON, so schemathesis can validate them.

Credentials: dummy ones for any host but AWS's; the boto3 credential chain for AWS endpoints,
which are refused unless PERSONALIZE_CONFORMANCE_ALLOW_AWS=1, and whose operations that start paid
work are refused unless PERSONALIZE_CONFORMANCE_ALLOW_BILLABLE=1 too (as `run --allow-aws
--allow-billable`).
"""
from __future__ import annotations

import json
import os
import re
import urllib.parse

import requests
import schemathesis

from personalize_conformance.specs import WIRE_CONTENT_TYPE

from .aws import billable_reason, quiet_signing_logs
from .http import is_aws_host
from .signing import LOCAL_CREDENTIALS, TARGET_PREFIX, sign

ALLOW_AWS = "PERSONALIZE_CONFORMANCE_ALLOW_AWS"
ALLOW_BILLABLE = "PERSONALIZE_CONFORMANCE_ALLOW_BILLABLE"
TARGET_HEADER = "X-Amz-Target"
# Headers the signer writes: stale copies (a retry, a generated value) must not survive signing.
_SIGNATURE_HEADERS = ("authorization", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256")
_AWS_REGION = re.compile(r"^personalize(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$")

schemathesis.serializer.alias(WIRE_CONTENT_TYPE, "application/json")


@schemathesis.deserializer(WIRE_CONTENT_TYPE)
def _json_1_1(ctx, response):
    return json.loads(response.content)


class HookRefused(Exception):
    """A request these hooks will not send (AWS not allowed, paid work not allowed, no credentials)."""


def target_of(operation) -> str:
    """The X-Amz-Target value of a schemathesis operation: the export's `x-amz-target`, else the id."""
    raw = getattr(operation.definition, "raw", None) or {}
    target = raw.get("x-amz-target") if isinstance(raw, dict) else None
    if not target:
        operation_id = raw.get("operationId") if isinstance(raw, dict) else None
        target = f"{TARGET_PREFIX}.{operation_id or operation.path.rsplit('.', 1)[-1].lstrip('/')}"
    return target


def declares_target_header(operation) -> bool:
    return any(str(p.name).lower() == TARGET_HEADER.lower() for p in operation.headers)


class SigV4(requests.auth.AuthBase):
    """botocore's SigV4 over the prepared request, as requests is about to send it."""

    def __init__(self, credentials, region: str):
        self.credentials = credentials
        self.region = region

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode("utf-8")
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _SIGNATURE_HEADERS}
        signed = sign(request.url, body, headers, self.region, self.credentials, method=request.method)
        for name in [k for k in request.headers if k.lower() in _SIGNATURE_HEADERS]:
            del request.headers[name]
        request.headers.update({k: v for k, v in signed.items() if k.lower() in _SIGNATURE_HEADERS})
        return request


def signer_for(base_url: str, operation: str, body: bytes | None) -> SigV4:
    """Dummy credentials anywhere but AWS; on AWS the boto3 chain, once the user has allowed it."""
    host = urllib.parse.urlsplit(base_url).hostname or ""
    if not is_aws_host(host):
        return SigV4(LOCAL_CREDENTIALS, os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
                     or "us-east-1")
    if os.environ.get(ALLOW_AWS) != "1":
        raise HookRefused(f"{host} is AWS: set {ALLOW_AWS}=1 to send schemathesis requests there")
    reason = billable_reason(operation, body or b"{}")
    if reason and os.environ.get(ALLOW_BILLABLE) != "1":
        raise HookRefused(f"not sent: {operation} {reason}; set {ALLOW_BILLABLE}=1 to allow it")
    import boto3
    quiet_signing_logs()
    session = boto3.Session()
    credentials = session.get_credentials()
    if credentials is None:
        raise HookRefused("no AWS credentials found in the boto3 credential chain")
    match = _AWS_REGION.match(host)
    region = match.group(1) if match else session.region_name or "us-east-1"
    return SigV4(credentials.get_frozen_credentials(), region)


@schemathesis.hook
def before_call(context, case, kwargs):
    """Route to `POST /`, add the protocol headers, sign. `kwargs` are the transport's own: a
    signer put there replaces any Authorization schemathesis would send."""
    target = target_of(case.operation)
    case.path = "/"
    headers = case.headers if case.headers is not None else {}
    if not declares_target_header(case.operation):
        headers[TARGET_HEADER] = target
    if not any(k.lower() == "content-type" for k in headers):
        headers["Content-Type"] = WIRE_CONTENT_TYPE
    case.headers = headers
    base_url = kwargs.get("base_url") or case.operation.base_url or ""
    body = json.dumps(case.body).encode("utf-8") if isinstance(case.body, (dict, list)) else None
    kwargs["auth"] = signer_for(base_url, target.rsplit(".", 1)[-1], body)


__all__ = ["SigV4", "HookRefused", "before_call", "declares_target_header", "signer_for", "target_of"]
