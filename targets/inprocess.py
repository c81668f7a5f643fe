"""In-process targets: the bundled emulator and moto's `mock_aws`, no sockets involved."""
from __future__ import annotations

import time

from .base import WireResponse
from .signing import sign, wire_headers

_LOCAL_URL = "https://personalize.us-east-1.amazonaws.com"

# How the harness runs its bundled emulator unless told otherwise (`--emulator-timing`,
# `--emulator-quotas`). Describe-driven: a run replays exactly from its seed, `run --plan` can
# rehearse it, and its lifecycle table shows every status. Quotas lifted: a run creates far more
# than the five dataset groups an account may hold, and would otherwise measure the quota rather
# than the operations. (The emulator's own defaults, for users testing against it, are
# time-driven and with quotas.)
HARNESS_EMULATOR = {"timing": "describes:1", "quotas": False}


class EmulatorTarget:
    name = "emulator"
    endpoint = "in-process"

    def __init__(self, emulator=None, **emulator_kwargs):
        from personalize_conformance.emulator import Emulator
        self.emulator = emulator or Emulator(**{**HARNESS_EMULATOR, **emulator_kwargs})
        self.region = "us-east-1"

    def send(self, operation: str, body: bytes, headers: dict | None = None) -> WireResponse:
        signed = sign(_LOCAL_URL + "/", body, wire_headers(operation, headers), self.region)
        started = time.perf_counter()
        status, out_headers, out_body = self.emulator.handle("POST", "/", signed, body)
        return WireResponse.of(status, out_headers, out_body, time.perf_counter() - started)

    @property
    def status_waits_for_time(self) -> bool:
        """False when the emulator's statuses move only when described (``describes:N``,
        ``immediate``): pausing between polls then only adds wall time."""
        from personalize_conformance.emulator.lifecycle import Seconds
        return isinstance(self.emulator.timing, Seconds)

    def close(self) -> None:
        pass


class MotoTarget:
    """moto's in-process backends, reached through the same stub `mock_aws` puts under botocore."""
    name = "moto"
    endpoint = "in-process"

    def __init__(self):
        import os
        from moto import mock_aws
        from moto.core.models import botocore_stubber
        os.environ.setdefault("MOTO_ALLOW_NONEXISTENT_REGION", "true")
        self._mock = mock_aws()
        self._mock.start()
        self._stubber = botocore_stubber
        self.region = "us-east-1"

    def send(self, operation: str, body: bytes, headers: dict | None = None) -> WireResponse:
        from botocore.awsrequest import AWSRequest
        signed = sign(_LOCAL_URL + "/", body, wire_headers(operation, headers), self.region)
        request = AWSRequest(method="POST", url=_LOCAL_URL + "/", data=body, headers=signed).prepare()
        started = time.perf_counter()
        try:
            response = self._stubber("before-send.personalize", request)
        except Exception as exc:  # moto raises where a server would answer 500
            return WireResponse.of(500, {"content-type": "text/plain"},
                                   f"{exc.__class__.__name__}: {exc}".encode(), time.perf_counter() - started)
        if response is None:
            return WireResponse.of(404, {}, b"no moto backend answered", time.perf_counter() - started)
        return WireResponse.of(response.status_code, response.headers, response.content,
                               time.perf_counter() - started)

    def close(self) -> None:
        try:
            self._mock.stop()
        except RuntimeError:
            pass
