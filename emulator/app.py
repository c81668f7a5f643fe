"""The ``Emulator``: one wire request in, one wire response out, no sockets.

The clean path is a straight line - method, target, content type, body, validation,
handler, reply - and every failure on it is an ``ApiError`` rendered the same way. Fault
injection touches it at three marked points only (validators, service hooks, and a wrapper
around ``_respond``), all set up in ``_build``.
"""
from __future__ import annotations

import threading
from typing import Iterable, Mapping

from . import model, wire
from . import quotas as quota_data
from .errors import ApiError, serialization, unknown_operation
from .failures import Failures
from .faults import FaultSet
from .lifecycle import DEFAULT_TIMING, parse_timing
from .ops import build_handlers
from .paging import Pager
from .service import Call, Service, now
from .store import Partition
from .validation import build_validators, without_nulls

DEFAULT_ACCOUNT = "123456789012"
DEFAULT_REGION = "us-east-1"


class Emulator:
    """An in-memory Amazon Personalize control plane speaking AWS JSON 1.1.

    ``timing`` is ``seconds:T`` (the default, ``seconds:0.05``), ``describes:N`` or ``immediate``
    (see ``lifecycle``); ``quotas=False`` lifts the service quotas of ``quotas.yaml``;
    ``fail_creates`` names resource types whose creates end in CREATE FAILED (``kind`` or
    ``kind=reason``, see ``failures``); ``faults`` are names from ``faults.FAULTS``, optionally
    scoped as ``name:Operation``. The region comes from ``region``, else from each request's
    SigV4 credential scope.
    """

    def __init__(self, account_id: str = DEFAULT_ACCOUNT, region: str | None = None,
                 timing: str = DEFAULT_TIMING, faults: Iterable[str] = (), quotas: bool = True,
                 fail_creates: Iterable[str] = ()):
        self.account_id = account_id
        self.region = region
        self.timing = parse_timing(timing)
        self.quotas = quota_data.Quotas(quota_data.load() if quotas else ())
        self.failures = Failures.parse(fail_creates)
        self.faults = FaultSet.parse(faults)
        self._lock = threading.RLock()
        self._prefix = model.target_prefix()
        # Fault hook 1 of 3: validators are compiled with the faults' relaxations.
        self._validators = self.faults.validators(build_validators)
        self._build()

    def _build(self) -> None:
        # A fresh signing key: tokens handed out before a reset are foreign afterwards.
        self._service = Service(self.timing, Pager(), self.quotas, self.failures)
        self._handlers = build_handlers(self._service)
        self._partitions: dict[tuple[str, str], Partition] = {}
        # Fault hook 2 of 3: behaviour faults wrap the service's documented hook methods.
        self.faults.install(self._service)
        # Fault hook 3 of 3: wire faults wrap the respond function.
        self._serve = self.faults.wrap(self._respond)

    def reset(self) -> None:
        """Forget every resource (and any fault memory); configuration is kept."""
        with self._lock:
            self.faults.reset()
            self._build()

    def handle(self, method: str, path: str, headers: Mapping[str, str],
               body: bytes) -> tuple[int, dict[str, str], bytes]:
        """Serve one request: ``(status, headers, body)``. Never raises."""
        try:
            request = wire.Request(method, path, headers, body, self._prefix)
            return self._serve(request).encode()
        except Exception:   # a bug, not an input: the one 5xx the clean path can produce
            return wire.Reply(500, {"__type": "InternalFailure",
                                    "message": "The server encountered an internal error."},
                              error="InternalFailure",
                              request_id=wire.new_request_id()).encode()

    def _respond(self, request: wire.Request) -> wire.Reply:
        try:
            if request.method != "POST":
                # AWS JSON services route POST only; anything else never reaches an operation.
                reply = wire.error(unknown_operation(
                    f"{request.method} is not supported; send POST / with X-Amz-Target."))
                reply.status = 405
                reply.headers["Allow"] = "POST"
                return reply
            operation = request.operation
            if operation is None or operation not in self._handlers:
                target = request.headers.get("x-amz-target", "")
                raise unknown_operation(f"Unknown operation {target!r}." if target
                                        else "Missing X-Amz-Target header.")
            if not request.content_type_ok():
                raise serialization("Content-Type must be application/x-amz-json-1.1.")
            params = wire.parse_body(request.body)
            self._validators[operation](params)
            params = without_nulls(params)
            region = self.region or request.credential_region() or DEFAULT_REGION
            with self._lock:
                call = Call(operation, self._partition(region), now())
                payload = self._handlers[operation](call, params)
            return wire.ok(payload)
        except ApiError as exc:
            return wire.error(exc)

    def _partition(self, region: str) -> Partition:
        key = (self.account_id, region)
        state = self._partitions.get(key)
        if state is None:
            state = self._partitions[key] = Partition(self.account_id, region)
        return state
