"""A target wrapper that records every request and response of a run as a HAR file.

It wraps the run's target as the outermost layer, so it sees each case as prepared for sending
(`prepare`, the hook `send_and_check` calls) and keeps the case's own fields (family, expected
outcome, header overrides) beside the entry, in the HAR's custom `_case` field. `validate --har`
then judges each exchange exactly as the run judged it. The headers recorded are the ones the
harness builds before signing: no signature, no credential.
"""
from __future__ import annotations

import pathlib
import threading
import time

from personalize_conformance.targets import OperationUnavailable, TargetUnavailable, wire_headers

from personalize_conformance.reporting import har
from personalize_conformance.reporting.cases import describe
from personalize_conformance.reporting.results_json import generator

_IN_PROCESS_URL = "https://personalize.us-east-1.amazonaws.com/"
CASE_FIELD = "_case"


class RecordingTarget:
    def __init__(self, inner, path: str | pathlib.Path):
        self.inner = inner
        self.path = pathlib.Path(path)
        self.entries: list[dict] = []
        self._lock = threading.Lock()
        self._pending = threading.local()
        endpoint = str(inner.endpoint)
        self._url = endpoint.rstrip("/") + "/" if endpoint.startswith("http") else _IN_PROCESS_URL

    @property
    def name(self) -> str:
        return self.inner.name

    @property
    def endpoint(self) -> str:
        return self.inner.endpoint

    def __getattr__(self, attr):  # created, persistent, emulator, secrets...: the inner target's
        if attr in ("inner", "_pending"):
            raise AttributeError(attr)
        return getattr(self.inner, attr)

    def prepare(self, case):
        inner = getattr(self.inner, "prepare", None)
        case = inner(case) if callable(inner) else case
        self._pending.case = case
        return case

    def _case_for(self, operation: str, body: bytes, headers: dict | None):
        case = getattr(self._pending, "case", None)
        self._pending.case = None
        if case is not None and (case.operation, case.body, case.headers or {}) == (operation, body, headers or {}):
            return case
        return None  # sent without `prepare` (a lifecycle step, a teardown): recorded bare

    def send(self, operation: str, body: bytes, headers: dict | None = None):
        case = self._case_for(operation, body, headers)
        started = time.time()
        sent = wire_headers(operation, headers)
        try:
            response = self.inner.send(operation, body, headers)
        except OperationUnavailable:
            raise  # refused by a breaker before it was sent: nothing crossed the wire
        except TargetUnavailable as exc:
            self._record(har.entry(self._url, sent, body, None, started, error=str(exc)), case)
            raise
        self._record(har.entry(self._url, sent, body, response, started), case)
        return response

    def _record(self, item: dict, case) -> None:
        if case is not None:
            item[CASE_FIELD] = describe(case)
        with self._lock:
            self.entries.append(item)

    def save(self) -> pathlib.Path:
        """Write the HAR file, scrubbed of the target's secret values wherever a target echoed them."""
        from personalize_conformance.runner.redaction import scrub
        with self._lock:
            entries = list(self.entries)
        return har.write(self.path, scrub(entries, getattr(self.inner, "secrets", ())), generator()["version"])

    def close(self) -> None:
        try:
            self.inner.close()
        finally:
            self.save()
