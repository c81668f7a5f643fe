"""A target wrapper that records every request and response of a run as a HAR file.

It wraps any target, so a run against moto, the emulator or a URL leaves the exact traffic
behind for `validate --har`, for a proxy's replay tools, or for a browser's network panel. The
headers recorded are the ones the harness builds before signing: no signature, no credential.
"""
from __future__ import annotations

import pathlib
import threading
import time

from targets import TargetUnavailable, wire_headers

from . import har
from .results_json import generator

_IN_PROCESS_URL = "https://personalize.us-east-1.amazonaws.com/"


class RecordingTarget:
    def __init__(self, inner, path: str | pathlib.Path):
        self.inner = inner
        self.path = pathlib.Path(path)
        self.name = inner.name
        self.endpoint = inner.endpoint
        self.entries: list[dict] = []
        self._lock = threading.Lock()
        endpoint = str(inner.endpoint)
        self._url = endpoint.rstrip("/") + "/" if endpoint.startswith("http") else _IN_PROCESS_URL

    def __getattr__(self, name):  # anything else a stage asks of the target (e.g. `.emulator`)
        return getattr(self.inner, name)

    def send(self, operation: str, body: bytes, headers: dict | None = None):
        started = time.time()
        sent = wire_headers(operation, headers)
        try:
            response = self.inner.send(operation, body, headers)
        except TargetUnavailable as exc:
            self._record(har.entry(self._url, sent, body, None, started, error=str(exc)))
            raise
        self._record(har.entry(self._url, sent, body, response, started))
        return response

    def _record(self, item: dict) -> None:
        with self._lock:
            self.entries.append(item)

    def save(self) -> pathlib.Path:
        with self._lock:
            entries = list(self.entries)
        return har.write(self.path, entries, generator()["version"])

    def close(self) -> None:
        try:
            self.inner.close()
        finally:
            self.save()
