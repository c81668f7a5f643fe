"""Targets: where requests go. One small interface, `send(operation, body, headers) -> WireResponse`.

Names: `emulator` (bundled, in-process; the default), `emulator-server`, `moto` (in-process),
`moto-server`, `aws` (needs allow_aws), or any `http(s)://host:port` URL.
"""
from __future__ import annotations

from .aws import NotSent
from .base import Target, TargetTimeout, TargetUnavailable, WireResponse
from .http import AwsNotAllowed
from .signing import redact, sign, wire_headers

__all__ = ["Target", "TargetTimeout", "TargetUnavailable", "WireResponse", "make_target", "NotSent", "AwsNotAllowed",
           "TARGET_NAMES", "redact", "sign", "wire_headers"]

TARGET_NAMES = ("emulator", "emulator-server", "moto", "moto-server", "aws")
DEFAULT_TARGET = "emulator"


def make_target(name: str | None = None, *, endpoint_url: str | None = None, allow_aws: bool = False,
                timeout: float = 30.0, emulator_options: dict | None = None,
                allow_billable: bool = False) -> Target:
    name = name or (endpoint_url and "url") or DEFAULT_TARGET
    if name == "emulator":
        from .inprocess import EmulatorTarget
        return EmulatorTarget(**(emulator_options or {}))
    if name == "emulator-server":
        from .servers import EmulatorServerTarget
        return EmulatorServerTarget(timeout=timeout, **(emulator_options or {}))
    if name == "moto":
        from .inprocess import MotoTarget
        return MotoTarget()
    if name == "moto-server":
        from .servers import MotoServerTarget
        return MotoServerTarget(timeout=timeout)
    if name == "aws":
        from .aws import AwsTarget
        return AwsTarget(allow_aws=allow_aws, allow_billable=allow_billable, endpoint_url=endpoint_url,
                         timeout=timeout)
    url = endpoint_url if name == "url" else name
    if url and url.startswith(("http://", "https://")):
        from .http import HttpTarget
        return HttpTarget(url, timeout=timeout)
    raise ValueError(f"unknown target {name!r}: use one of {', '.join(TARGET_NAMES)} or a URL")
