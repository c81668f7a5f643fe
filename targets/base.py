"""What every target shares: the wire response it returns and the two ways it can fail to answer."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from personalize_conformance.errors import ConformanceError


@dataclass(frozen=True)
class WireResponse:
    status: int
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names
    body: bytes = b""
    elapsed: float = 0.0

    @staticmethod
    def of(status: int, headers, body: bytes, elapsed: float = 0.0) -> "WireResponse":
        items = headers.items() if hasattr(headers, "items") else headers
        return WireResponse(int(status), {str(k).lower(): str(v) for k, v in items}, body or b"", elapsed)


class TargetUnavailable(ConformanceError):
    """The target did not answer at all: refused, reset, or its process is gone (exit 2 if it
    reaches the command line: nothing could be judged)."""


class TargetTimeout(TargetUnavailable):
    """The target accepted the request but did not answer within the configured timeout."""


class OperationUnavailable(TargetUnavailable):
    """Not sent: earlier requests of this one operation got no answer, so it is taken for broken
    while the rest of the target still answers."""

    def __init__(self, operation: str, reason: str):
        super().__init__(reason)
        self.operation = operation


class Target(Protocol):
    name: str
    endpoint: str

    def send(self, operation: str, body: bytes, headers: dict | None = None) -> WireResponse: ...

    def close(self) -> None: ...
