"""The target as a run sees it: stamped creates, a ledger of what was created, a circuit breaker.

`SafeTarget` wraps whatever `make_target` built. It never rewrites a request on its own (a
lifecycle sequence must get exactly what it sent); `prepare(case)` stamps a generated create
with the run id before `send_and_check` sends and records it. Every ARN a create answers goes
into the ledger, whoever sent it, so teardown finds what a run made even when its name was not
stamped. After `trip_after` requests in a row got no answer at all, the target is taken for gone
and further requests fail at once: a dead or hanging target costs a few timeouts, not one per
operation.
"""
from __future__ import annotations

import json
import threading

from personalize_conformance.targets import TargetUnavailable

from .interrupts import stop_if_interrupted
from .stamp import name_prefix, stamp_case

IN_PROCESS = ("emulator", "moto", "emulator-server", "moto-server")  # gone with the run: nothing to tear down
TRIP_AFTER = 3


def _creates() -> dict:
    from personalize_conformance import contracts
    return {rt.op("create"): rt for rt in contracts.resource_types().values() if rt.op("create")}


class SafeTarget:
    def __init__(self, target, spec, run_id: str, *, worker: str | None = None,
                 trip_after: int = TRIP_AFTER):
        from .cleanup import Created
        self.inner = target
        self.spec = spec
        self.run_id = run_id
        self.worker = worker
        self.name_prefix = name_prefix(run_id, worker)
        self.created = Created()
        self.trip_after = trip_after
        self._creates = _creates()
        self._lock = threading.Lock()
        self._silent = 0
        self._last_silence = ""

    @property
    def name(self) -> str:
        return self.inner.name

    @property
    def endpoint(self) -> str:
        return self.inner.endpoint

    @property
    def persistent(self) -> bool:
        """Whether what the run creates outlives the run (and so must be torn down)."""
        return self.inner.name not in IN_PROCESS

    @property
    def tripped(self) -> bool:
        return self._silent >= self.trip_after

    def __getattr__(self, attr):  # region, timeout, retry, emulator, secrets...: the inner target's
        if attr == "inner":
            raise AttributeError(attr)
        return getattr(self.inner, attr)

    def prepare(self, case):
        return stamp_case(case, self.spec, self.name_prefix, self.run_id)

    def send(self, operation: str, body: bytes, headers: dict | None = None):
        stop_if_interrupted()
        if self.tripped:
            raise TargetUnavailable(f"not sent: {self.name} gave no answer to the last {self._silent} "
                                    f"requests ({self._last_silence})")
        try:
            response = self.inner.send(operation, body, headers)
        except TargetUnavailable as exc:
            with self._lock:
                self._silent += 1
                self._last_silence = str(exc)
            raise
        with self._lock:
            self._silent = 0
        if response.status == 200 and operation in self._creates:
            self._remember(operation, response.body)
        return response

    def _remember(self, operation: str, body: bytes) -> None:
        rt = self._creates[operation]
        try:
            arn = json.loads(body.decode("utf-8")).get(rt.arn)
        except (ValueError, UnicodeDecodeError, AttributeError):
            return
        if isinstance(arn, str) and arn:
            with self._lock:
                self.created.add(rt.key, arn)

    def close(self) -> None:
        self.inner.close()


__all__ = ["SafeTarget", "IN_PROCESS", "TRIP_AFTER"]
