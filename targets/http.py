"""Any endpoint URL, over keep-alive HTTP/1.1 connections (one per thread)."""
from __future__ import annotations

import http.client
import socket
import threading
import time
import urllib.parse

from .base import TargetTimeout, TargetUnavailable, WireResponse
from .signing import LOCAL_CREDENTIALS, sign, wire_headers


class HttpTarget:
    def __init__(self, url: str, *, region: str = "us-east-1", credentials=LOCAL_CREDENTIALS,
                 timeout: float = 30.0, name: str | None = None):
        parsed = urllib.parse.urlsplit(url)
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise ValueError(f"not an endpoint URL: {url!r}")
        self.name = name or url
        self.endpoint = f"{parsed.scheme}://{parsed.netloc}"
        self.region = region
        self.timeout = timeout
        self._credentials = credentials
        self._parsed = parsed
        self._local = threading.local()

    def _connection(self) -> http.client.HTTPConnection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            cls = http.client.HTTPSConnection if self._parsed.scheme == "https" else http.client.HTTPConnection
            conn = cls(self._parsed.hostname, self._parsed.port, timeout=self.timeout)
            self._local.conn = conn
        return conn

    def _drop(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
        self._local.conn = None

    def send(self, operation: str, body: bytes, headers: dict | None = None) -> WireResponse:
        signed = sign(self.endpoint + "/", body, wire_headers(operation, headers), self.region,
                      self._credentials)
        for attempt in (0, 1):
            started = time.perf_counter()
            try:
                conn = self._connection()
                conn.request("POST", "/", body=body, headers=signed)
                raw = conn.getresponse()
                data = raw.read()
                response = WireResponse.of(raw.status, raw.getheaders(), data, time.perf_counter() - started)
                if raw.getheader("connection", "").lower() == "close":
                    self._drop()
                return response
            except (socket.timeout, TimeoutError) as exc:
                self._drop()
                raise TargetTimeout(f"{self.name}: no answer within {self.timeout:g}s") from exc
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as exc:
                self._drop()  # a kept-alive socket the server closed: retry once on a fresh one
                if attempt:
                    raise TargetUnavailable(f"{self.name}: connection lost ({exc.__class__.__name__})") from exc
            except (OSError, http.client.HTTPException) as exc:
                self._drop()
                raise TargetUnavailable(f"{self.name}: {exc.__class__.__name__}: {exc}") from exc
        raise TargetUnavailable(f"{self.name}: no answer")  # pragma: no cover

    def close(self) -> None:
        self._drop()
