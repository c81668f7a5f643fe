"""A boto3 Personalize client whose requests reach a target, whatever kind of target it is.

For contract tests written with boto3 rather than with the harness's generated cases (the
`personalize_client` fixture of the pytest plugin). Each kind is reached the way its own users
reach it: the in-process emulator answers from botocore's `before-send` event, as `mock_aws`
does for moto; moto in-process is `mock_aws` itself (the target started it); servers and URLs
get an `endpoint_url`; AWS gets the normal credential chain, and the same billable-work guard the
harness's own requests go through.
"""
from __future__ import annotations

from .aws import NotSent, billable_reason
from .signing import LOCAL_CREDENTIALS

# No stub but the emulator's own hook claims this host, so `mock_aws`, active at the same time,
# leaves it alone; a request that escaped the hook would fail to resolve, not reach AWS.
EMULATOR_IN_PROCESS_URL = "https://personalize.emulator.invalid"


def _config(timeout: float | None):
    from botocore.config import Config
    extra = {"connect_timeout": timeout, "read_timeout": timeout} if timeout else {}
    return Config(retries={"mode": "standard"}, **extra)


def _local_client(endpoint_url: str | None, region: str, timeout: float | None = None):
    import boto3
    return boto3.client("personalize", region_name=region, endpoint_url=endpoint_url,
                        aws_access_key_id=LOCAL_CREDENTIALS.access_key,
                        aws_secret_access_key=LOCAL_CREDENTIALS.secret_key, config=_config(timeout))


class _Body:
    def __init__(self, body: bytes):
        self._body = body

    def stream(self, **_):
        yield self._body


def answered_by(emulator):
    """A botocore `before-send` hook that hands each request to `emulator.handle` in-process,
    as mock_aws does for moto: the client's signing and parsing run as they would over HTTP."""
    from botocore.awsrequest import AWSResponse

    def answer(request, **_):
        body = request.body or b""
        if not isinstance(body, bytes):
            body = body.encode("utf-8") if isinstance(body, str) else body.read()
        headers = {k: v.decode("latin-1") if isinstance(v, bytes) else v for k, v in request.headers.items()}
        status, out_headers, payload = emulator.handle(request.method, "/", headers, body)
        return AWSResponse(request.url, status, out_headers, _Body(payload))
    return answer


def _refuse_billable(allow_billable: bool):
    def refuse(model, params, **_):
        body = params.get("body") or b""
        reason = billable_reason(model.name, body if isinstance(body, bytes) else str(body).encode())
        if reason and not allow_billable:
            raise NotSent(f"not sent: {model.name} {reason}; pass --allow-billable to allow it")
    return refuse


def boto3_client(target):
    """A boto3 `personalize` client on `target` (a `make_target` target, or a run's wrapper of one)."""
    from .aws import AwsTarget
    from .http import HttpTarget
    from .inprocess import EmulatorTarget, MotoTarget
    target = getattr(target, "inner", target)
    if isinstance(target, EmulatorTarget):
        client = _local_client(EMULATOR_IN_PROCESS_URL, target.region)
        client.meta.events.register_first("before-send.personalize", answered_by(target.emulator))
        return client
    if isinstance(target, MotoTarget):
        return _local_client(None, target.region)  # mock_aws, started by the target, answers
    if isinstance(target, AwsTarget):
        import boto3
        client = boto3.Session(region_name=target.region).client(
            "personalize", endpoint_url=target.endpoint, config=_config(target.timeout))
        client.meta.events.register_first("before-call.personalize", _refuse_billable(target.allow_billable))
        return client
    if isinstance(target, HttpTarget):
        return _local_client(target.endpoint, target.region, target.timeout)
    raise TypeError(f"no boto3 client for a {type(target).__name__} target")


__all__ = ["answered_by", "boto3_client", "EMULATOR_IN_PROCESS_URL"]
