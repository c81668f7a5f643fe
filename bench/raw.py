"""The raw floor: a request signed once, replayed with nothing else around it.

No generation, no signing per request, no checks: the fastest any client in Python can drive a
target, and so the floor the harness is measured against.
"""
from __future__ import annotations

import http.client
import urllib.parse
from dataclasses import dataclass

from personalize_conformance.targets.signing import sign, wire_headers

IN_PROCESS_URL = "https://personalize.us-east-1.amazonaws.com"


@dataclass(frozen=True)
class Prebuilt:
    operation: str
    body: bytes
    headers: dict


def prebuild(operation: str, body: bytes, url: str = IN_PROCESS_URL) -> Prebuilt:
    """A request as the harness would send it, signed once for `url`."""
    return Prebuilt(operation, body, sign(url.rstrip("/") + "/", body, wire_headers(operation), "us-east-1"))


class HttpReplay:
    """Replays pre-built requests, round-robin, over one keep-alive http.client connection."""

    def __init__(self, url: str, requests: list[Prebuilt]):
        parsed = urllib.parse.urlsplit(url)
        self.conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
        self.requests = requests
        self._i = 0

    def __call__(self) -> int:
        request = self.requests[self._i % len(self.requests)]
        self._i += 1
        self.conn.request("POST", "/", body=request.body, headers=request.headers)
        response = self.conn.getresponse()
        response.read()
        return response.status

    def close(self) -> None:
        self.conn.close()


class EmulatorReplay:
    """The same, straight into `Emulator.handle`: no sockets."""

    def __init__(self, emulator, requests: list[Prebuilt]):
        self.handle = emulator.handle
        self.requests = requests
        self._i = 0

    def __call__(self) -> int:
        request = self.requests[self._i % len(self.requests)]
        self._i += 1
        return self.handle("POST", "/", request.headers, request.body)[0]


class MotoReplay:
    """The same, straight into the stub `mock_aws` puts under botocore (mock must be started)."""

    def __init__(self, requests: list[Prebuilt]):
        from botocore.awsrequest import AWSRequest
        from moto.core.models import botocore_stubber
        self.stub = botocore_stubber
        self.prepared = [AWSRequest(method="POST", url=IN_PROCESS_URL + "/", data=r.body,
                                    headers=r.headers).prepare() for r in requests]
        self._i = 0

    def __call__(self) -> int:
        request = self.prepared[self._i % len(self.prepared)]
        self._i += 1
        return self.stub("before-send.personalize", request).status_code
