"""Any endpoint URL, over keep-alive HTTP/1.1 connections (one per thread).

A target may be broken in every way a server can be: it may refuse, reset, hang, trickle bytes,
truncate, or answer gigabytes. Whatever it does, `send` returns within its timeout with either a
`WireResponse` (judged by the checks) or `TargetUnavailable`/`TargetTimeout` (reported as
unavailable). Throttled answers are retried with botocore's standard policy (`retry.py`).
"""
from __future__ import annotations

import heapq
import http.client
import itertools
import socket
import threading
import time
import urllib.parse

from personalize_conformance.errors import ConformanceError
from .base import TargetTimeout, TargetUnavailable, WireResponse
from .retry import ThrottlingRetry
from .signing import LOCAL_CREDENTIALS, sign, wire_headers

# A Personalize answer is at most a few hundred KB (a page of 100 summaries). Beyond this a body
# is cut - the checks then report a body that is not JSON - so a target answering megabytes costs
# neither memory nor minutes of schema validation per case.
MAX_RESPONSE_BYTES = 1024 * 1024
AWS_HOST_SUFFIXES = (".amazonaws.com", ".amazonaws.com.cn", ".api.aws")


class AwsNotAllowed(ConformanceError, RuntimeError):
    """A request would reach real AWS without the explicit opt-in."""


def is_aws_host(hostname: str) -> bool:
    host = hostname.lower().rstrip(".")
    return any(host.endswith(s) or host == s[1:] for s in AWS_HOST_SUFFIXES)


class _Alarm:
    __slots__ = ("conn", "fired", "disarmed", "_lock")

    def __init__(self, conn):
        self.conn = conn
        self.fired = False
        self.disarmed = False
        self._lock = threading.Lock()

    def fire(self) -> None:
        with self._lock:
            if self.disarmed:
                return
            self.fired = True
        sock = getattr(self.conn, "sock", None)
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def disarm(self) -> bool:
        """Stop the alarm; True when it had already gone off."""
        with self._lock:
            self.disarmed = True
            return self.fired


class _Watchdog:
    """One thread for every request in flight: shuts a socket down when its deadline passes.

    Socket timeouts bound each single read only; a server that trickles one byte per second
    would otherwise hold a request for as long as it likes.
    """

    def __init__(self):
        self._cond = threading.Condition()
        self._heap: list = []
        self._seq = itertools.count()
        self._thread: threading.Thread | None = None
        self._until: float | None = None  # when the thread next looks at the heap; None: when woken

    def arm(self, seconds: float, conn) -> _Alarm:
        alarm = _Alarm(conn)
        deadline = time.monotonic() + seconds
        with self._cond:
            while self._heap and self._heap[0][2].disarmed:
                heapq.heappop(self._heap)
            # The thread sleeps until the earliest deadline it knew of and looks again then; it
            # needs waking only for an earlier one. (Waking it for every request costs a thread
            # switch per request.)
            wake = self._until is None or deadline < self._until
            heapq.heappush(self._heap, (deadline, next(self._seq), alarm))
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="target-watchdog", daemon=True)
                self._thread.start()
            if wake:
                self._cond.notify()
        return alarm

    def _run(self) -> None:
        with self._cond:
            while True:
                while self._heap and self._heap[0][2].disarmed:
                    heapq.heappop(self._heap)
                if not self._heap:
                    self._until = None
                    self._cond.wait()
                    continue
                deadline, _, alarm = self._heap[0]
                remaining = deadline - time.monotonic()
                if remaining > 0:
                    self._until = deadline
                    self._cond.wait(remaining)
                    self._until = None
                    continue
                heapq.heappop(self._heap)
                alarm.fire()


_WATCHDOG = _Watchdog()


class HttpTarget:
    allows_aws = False  # only AwsTarget, which insists on --allow-aws, may name an AWS endpoint

    def __init__(self, url: str, *, region: str = "us-east-1", credentials=LOCAL_CREDENTIALS,
                 timeout: float = 30.0, name: str | None = None, retry: ThrottlingRetry | None = None):
        parsed = urllib.parse.urlsplit(url)
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise ValueError(f"not an endpoint URL: {url!r}")
        if is_aws_host(parsed.hostname) and not self.allows_aws:
            raise AwsNotAllowed(f"{parsed.hostname} is AWS: use --target aws --allow-aws to send requests there")
        self.name = name or url
        self.endpoint = f"{parsed.scheme}://{parsed.netloc}"
        self.region = region
        self.timeout = timeout
        self.retry = retry or ThrottlingRetry()
        self._credentials = credentials
        self._parsed = parsed
        self._local = threading.local()

    def _connection(self) -> tuple[http.client.HTTPConnection, bool]:
        """The thread's connection, and whether it has carried a request before."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            return conn, True
        cls = http.client.HTTPSConnection if self._parsed.scheme == "https" else http.client.HTTPConnection
        conn = cls(self._parsed.hostname, self._parsed.port, timeout=self.timeout)
        self._local.conn = conn
        return conn, False

    def _drop(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
        self._local.conn = None

    def send(self, operation: str, body: bytes, headers: dict | None = None) -> WireResponse:
        wire = wire_headers(operation, headers)
        # Signed per attempt: a retry after a backoff needs a fresh X-Amz-Date.
        return self.retry.send(lambda: self._send_once(body, wire), self.endpoint + "/")

    def _send_once(self, body: bytes, wire: dict) -> WireResponse:
        signed = sign(self.endpoint + "/", body, wire, self.region, self._credentials)
        for attempt in (0, 1):
            conn, reused = self._connection()
            started = time.perf_counter()
            alarm = _WATCHDOG.arm(self.timeout, conn)
            try:
                conn.request("POST", "/", body=body, headers=signed)
                raw = conn.getresponse()
                data, complete = self._read(raw)
                response = WireResponse.of(raw.status, raw.getheaders(), data, time.perf_counter() - started)
                if alarm.disarm():
                    raise TargetTimeout(f"{self.name}: no complete answer within {self.timeout:g}s")
                if not complete or raw.getheader("connection", "").lower() == "close":
                    self._drop()
                return response
            except TargetUnavailable:
                self._drop()
                raise
            except (socket.timeout, TimeoutError) as exc:
                self._drop()
                alarm.disarm()
                raise TargetTimeout(f"{self.name}: no answer within {self.timeout:g}s") from exc
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as exc:
                self._drop()
                if alarm.disarm():
                    raise TargetTimeout(f"{self.name}: no answer within {self.timeout:g}s") from exc
                if attempt or not reused:  # a kept-alive socket the server closed: retry once on a fresh one
                    raise TargetUnavailable(f"{self.name}: connection lost ({_describe(exc)})") from exc
            except (OSError, http.client.HTTPException) as exc:
                self._drop()
                if alarm.disarm():
                    raise TargetTimeout(f"{self.name}: no answer within {self.timeout:g}s") from exc
                raise TargetUnavailable(f"{self.name}: {_describe(exc)}") from exc
            except BaseException:  # interrupted mid-request: the connection is in an unknown state
                alarm.disarm()
                self._drop()
                raise
        raise TargetUnavailable(f"{self.name}: no answer")  # pragma: no cover

    @staticmethod
    def _read(raw: http.client.HTTPResponse) -> tuple[bytes, bool]:
        """The body, and whether it arrived whole. A short or oversized body is kept as far as it
        went: the checks judge it, which says more than calling the target unavailable."""
        chunks: list[bytes] = []
        total = 0
        try:
            while True:
                chunk = raw.read(1 << 20)
                if not chunk:
                    short = raw.length is not None and raw.length > 0  # Content-Length not reached
                    return b"".join(chunks), not short
                chunks.append(chunk)
                total += len(chunk)
                if total > MAX_RESPONSE_BYTES:
                    return b"".join(chunks)[:MAX_RESPONSE_BYTES], False
        except http.client.IncompleteRead as exc:
            return b"".join(chunks) + bytes(exc.partial), False

    def close(self) -> None:
        self._drop()


def _describe(exc: BaseException) -> str:
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, ConnectionResetError):
        return "connection reset by peer"
    if isinstance(exc, http.client.RemoteDisconnected):
        return "connection closed without a response"
    text = str(exc) or exc.__class__.__name__
    return f"{exc.__class__.__name__}: {text}" if exc.__class__.__name__ not in text else text
