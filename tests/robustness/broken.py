"""Deliberately broken HTTP servers on 127.0.0.1, for the harness to survive.

`BrokenServer(respond)` accepts connections and hands every parsed request to `respond`, which
returns raw response bytes, or one of HANG / CLOSE / RESET, or a callable that gets the socket
(to trickle bytes, say). Raw bytes give full control over what goes wrong: a short body, a
lying Content-Length, a wrong encoding. `proxy(emulator)` answers like the bundled emulator, so
a test can break one thing and leave the rest conformant. Always stopped by the test that
started it; every wait is bounded.
"""
from __future__ import annotations

import socket
import struct
import threading
from dataclasses import dataclass, field

HANG, CLOSE, RESET = "hang", "close", "reset"
MAX_HANG = 30.0  # a hanging handler gives up after this even if nobody stops the server


@dataclass
class Request:
    method: str
    headers: dict
    body: bytes

    @property
    def operation(self) -> str:
        return self.headers.get("x-amz-target", "").rpartition(".")[2]


def response(status: int, body: bytes = b"", headers: dict | None = None, *,
             content_length: int | None = None, reason: str = "X") -> bytes:
    """Raw HTTP/1.1 response bytes; `content_length` may lie about `body`."""
    head = {"Content-Type": "application/x-amz-json-1.1", "x-amzn-RequestId": "broken-server"}
    head.update(headers or {})
    head["Content-Length"] = str(len(body) if content_length is None else content_length)
    lines = [f"HTTP/1.1 {status} {reason}"] + [f"{k}: {v}" for k, v in head.items() if v is not None]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def then_close(raw: bytes):
    """A `respond` action: send `raw`, then drop the connection (a body cut short for real)."""
    def act(conn, stop):
        conn.sendall(raw)
    return act


def proxy(emulator):
    """A `respond` that answers exactly as `emulator` would."""
    def respond(req: Request) -> bytes:
        status, headers, body = emulator.handle(req.method, "/", req.headers, req.body)
        return response(status, body, {k: v for k, v in headers.items() if k.lower() != "content-length"})
    return respond


@dataclass
class BrokenServer:
    respond: object
    requests: list = field(default_factory=list)

    def __post_init__(self):
        self._stop = threading.Event()
        self._listener = socket.socket()
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self._listener.settimeout(0.2)
        self.port = self._listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._conns: list[socket.socket] = []
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def operations(self) -> list[str]:
        with self._lock:
            return [r.operation for r in self.requests]

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except (socket.timeout, OSError):
                continue
            with self._lock:
                self._conns.append(conn)
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _read_request(self, conn, buffer: bytes) -> tuple[Request | None, bytes]:
        while b"\r\n\r\n" not in buffer:
            chunk = conn.recv(65536)
            if not chunk:
                return None, b""
            buffer += chunk
        head, _, rest = buffer.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0") or 0)
        while len(rest) < length:
            chunk = conn.recv(65536)
            if not chunk:
                return None, b""
            rest += chunk
        return Request(lines[0].split(" ")[0], headers, rest[:length]), rest[length:]

    def _serve(self, conn: socket.socket) -> None:
        buffer = b""
        conn.settimeout(MAX_HANG)
        try:
            while not self._stop.is_set():
                req, buffer = self._read_request(conn, buffer)
                if req is None:
                    return
                with self._lock:
                    self.requests.append(req)
                action = self.respond(req)
                if action == HANG:
                    self._stop.wait(MAX_HANG)
                    return
                if action == CLOSE:
                    return
                if action == RESET:
                    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    return
                if callable(action):
                    action(conn, self._stop)
                    return
                conn.sendall(action)
        except OSError:
            return
        finally:
            try:
                conn.close()
            except OSError:
                pass

    def stop_listening(self) -> None:
        """From now on connections are refused, and open ones are reset."""
        self._stop.set()
        self._listener.close()
        with self._lock:
            conns = list(self._conns)
        for conn in conns:
            try:
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                conn.close()
            except OSError:
                pass

    def stop(self) -> None:
        self.stop_listening()
        self._thread.join(timeout=2)

    def __enter__(self) -> "BrokenServer":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
