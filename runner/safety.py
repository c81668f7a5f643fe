"""The target as a run sees it: stamped creates, a ledger of what was created, circuit breakers.

`SafeTarget` wraps whatever `make_target` built. It never rewrites a request on its own (a
lifecycle sequence must get exactly what it sent); on AWS, `prepare(case)` stamps a generated
create with the run id before `send_and_check` sends and records it (elsewhere it leaves the
case alone: the ledger finds what the run made). Every ARN a create answers goes
into the ledger, whoever sent it, so teardown finds what a run made even when its name was not
stamped; a create that got no answer at all (lost, timed out, interrupted in flight) is kept by
its type and name, for teardown to find if it made something.

Two breakers bound what a silent target costs. Per operation: once `break_after` requests of one
operation got no answer (a timeout, a reset, a closed connection), that operation is taken for
broken and its later requests fail at once with `OperationUnavailable`, whatever else answers in
between - one hanging operation among healthy ones costs two timeouts, not one per lifecycle
scenario that touches it. For the whole target: after `trip_after` requests in a row got no answer
at all, the target is taken for gone and every further request fails at once.
"""
from __future__ import annotations

import json
import threading
import time

from personalize_conformance.targets import OperationUnavailable, TargetUnavailable

from .interrupts import stop_if_interrupted
from .stamp import name_prefix, stamp_case

IN_PROCESS = ("emulator", "moto", "emulator-server", "moto-server")  # gone with the run: nothing to tear down
TRIP_AFTER = 3   # requests in a row without an answer: the target is gone
BREAK_AFTER = 2  # requests of one operation without an answer: that operation is broken


def _creates() -> dict:
    from personalize_conformance import contracts
    return {rt.op("create"): rt for rt in contracts.resource_types().values() if rt.op("create")}


class SafeTarget:
    def __init__(self, target, spec, run_id: str, *, worker: str | None = None,
                 trip_after: int = TRIP_AFTER, break_after: int = BREAK_AFTER,
                 stamp: bool | None = None):
        from .cleanup import Created
        self.inner = target
        self.spec = spec
        self.run_id = run_id
        self.worker = worker
        self.name_prefix = name_prefix(run_id, worker)
        # Names and tags are stamped where a leftover must be findable without the run's ledger:
        # on AWS. Elsewhere the ARNs creates answer suffice, and requests go out as generated.
        self.stamps = target.name == "aws" if stamp is None else stamp
        self.created = Created()
        # Creates sent and never answered (lost, timed out, interrupted in flight), by type and
        # name: they may have made a resource the ledger never saw; teardown looks them up.
        self.in_doubt: set[tuple[str, str]] = set()
        self.started = time.time()
        self.trip_after = trip_after
        self.break_after = break_after
        self._creates = _creates()
        self._lock = threading.Lock()
        self._silent = 0
        self._last_silence = ""
        self._unanswered: dict[str, list[str]] = {}  # operation -> why each of its requests got no answer
        self.broken: dict[str, str] = {}  # operation -> why it is no longer sent
        self.on_send = None  # called after every request sent, answered or not (progress)

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

    @property
    def teardown_target(self):
        """What teardown sends through: this target, breakers included (an operation that hung
        during the run would otherwise cost a timeout per resource it has to wait for)."""
        return self

    def __getattr__(self, attr):  # region, timeout, retry, emulator, secrets...: the inner target's
        if attr == "inner":
            raise AttributeError(attr)
        return getattr(self.inner, attr)

    def prepare(self, case):
        if not self.stamps:
            return case
        return stamp_case(case, self.spec, self.name_prefix, self.run_id)

    def send(self, operation: str, body: bytes, headers: dict | None = None):
        stop_if_interrupted()
        if operation in self.broken:
            raise OperationUnavailable(operation, self.broken[operation])
        if self.tripped:
            raise TargetUnavailable(f"not sent: {self.name} gave no answer to the last {self._silent} "
                                    f"requests ({self._last_silence})")
        doubt = self._in_flight(operation, body)
        try:
            response = self.inner.send(operation, body, headers)
        except OperationUnavailable:
            self.in_doubt.discard(doubt)
            raise  # an inner breaker's refusal: nothing was sent, nothing to count
        except TargetUnavailable as exc:
            self._unanswered_by(operation, str(exc))
            raise
        finally:
            if self.on_send is not None:
                self.on_send()
        with self._lock:
            self._silent = 0
            self.in_doubt.discard(doubt)  # answered: the ledger has it, or nothing was made
        if response.status == 200 and operation in self._creates:
            self._remember(operation, response.body)
        return response

    def _in_flight(self, operation: str, body: bytes):
        """(type, name) of a create about to be sent, noted in doubt until it is answered."""
        rt = self._creates.get(operation)
        if rt is None:
            return None
        try:
            params = json.loads(body.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            return None
        name = params.get(rt.name) if isinstance(params, dict) else None
        if not isinstance(name, str) or not name:
            return None
        with self._lock:
            self.in_doubt.add((rt.key, name))
        return rt.key, name

    def _unanswered_by(self, operation: str, reason: str) -> None:
        with self._lock:
            self._silent += 1
            self._last_silence = reason
            reasons = self._unanswered.setdefault(operation, [])
            reasons.append(reason)
            if len(reasons) >= self.break_after and operation not in self.broken:
                self.broken[operation] = (f"not sent: {len(reasons)} requests of {operation} got no answer "
                                          f"(last: {reason}); it is not sent again in this run")

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


__all__ = ["SafeTarget", "IN_PROCESS", "TRIP_AFTER", "BREAK_AFTER"]
