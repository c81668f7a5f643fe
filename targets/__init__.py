"""Targets: where requests go. One small interface, `send(operation, body, headers) -> WireResponse`.

Names: `emulator` (bundled, in-process; the default), `emulator-server`, `moto` (in-process),
`moto-server`, `aws` (needs allow_aws), or any `http(s)://host:port` URL.
"""
from __future__ import annotations

from personalize_conformance.errors import TargetError

from .aws import NotSent
from .base import OperationUnavailable, Target, TargetTimeout, TargetUnavailable, WireResponse
from .http import AwsNotAllowed
from .signing import redact, sign, wire_headers

__all__ = ["Target", "TargetTimeout", "TargetUnavailable", "OperationUnavailable", "WireResponse", "make_target",
           "NotSent", "AwsNotAllowed", "TARGET_NAMES", "TargetError", "check_choice", "redact", "sign", "wire_headers"]

TARGET_NAMES = ("emulator", "emulator-server", "moto", "moto-server", "aws")
DEFAULT_TARGET = "emulator"


def check_choice(name: str | None = None, endpoint_url: str | None = None) -> str:
    """The target `name` and `endpoint_url` select, or a `TargetError` naming what is wrong: an
    unknown name, a URL without its scheme, or an endpoint given to a target that has its own.
    Checked before anything is built, so `run --plan` refuses what a run would refuse."""
    for what, value in (("--endpoint-url", endpoint_url), ("--target", name)):
        if value and value not in TARGET_NAMES and not value.startswith(("http://", "https://")):
            if what == "--endpoint-url" or ":" in value or "." in value or "/" in value:
                raise TargetError(f"{what} {value!r} is not a URL: give its scheme, e.g. http://{value.split('://')[-1]}")
            raise TargetError(f"unknown target {value!r}: use one of {', '.join(TARGET_NAMES)} or a URL")
    if name and endpoint_url and name != "aws":
        raise TargetError(f"--endpoint-url {endpoint_url} does not apply to --target {name}: give one of "
                          "them (--endpoint-url goes with --target aws, or alone for any emulator)")
    if name and name.startswith(("http://", "https://")):
        return "url"
    return name or (endpoint_url and "url") or DEFAULT_TARGET


def make_target(name: str | None = None, *, endpoint_url: str | None = None, allow_aws: bool = False,
                timeout: float = 30.0, emulator_options: dict | None = None,
                allow_billable: bool = False) -> Target:
    choice = check_choice(name, endpoint_url)
    if choice == "emulator":
        from .inprocess import EmulatorTarget
        return EmulatorTarget(**(emulator_options or {}))
    if choice == "emulator-server":
        from .servers import EmulatorServerTarget
        return EmulatorServerTarget(timeout=timeout, **(emulator_options or {}))
    if choice == "moto":
        from .inprocess import MotoTarget
        return MotoTarget()
    if choice == "moto-server":
        from .servers import MotoServerTarget
        return MotoServerTarget(timeout=timeout)
    if choice == "aws":
        from .aws import AwsTarget
        return AwsTarget(allow_aws=allow_aws, allow_billable=allow_billable, endpoint_url=endpoint_url,
                         timeout=timeout)
    from .http import HttpTarget
    return HttpTarget(endpoint_url if choice == "url" and not name else name, timeout=timeout)
