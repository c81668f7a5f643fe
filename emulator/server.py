"""Serve an ``Emulator`` over HTTP/1.1 with keep-alive, in a background thread.

The stdlib threading server is enough: all protocol work happens in ``Emulator.handle``, and
this module only moves bytes. Each response goes out in a single write with Nagle disabled,
so keep-alive clients never wait on delayed ACKs.
"""
from __future__ import annotations

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .app import Emulator

_REASONS = {200: "OK", 400: "Bad Request", 405: "Method Not Allowed", 413: "Payload Too Large",
            500: "Internal Server Error"}
MAX_BODY = 16 * 1024 * 1024


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server_version = "personalize-conformance-emulator"

    def _serve(self) -> None:
        try:
            body = self._read_body()
        except ValueError:
            self.send_error(400, "Bad request body")
            return
        if body is None:
            self.send_error(413)
            return
        status, headers, payload = self.server.emulator.handle(
            self.command, self.path, self.headers, body)
        lines = [f"{self.protocol_version} {status} {_REASONS.get(status, 'Error')}",
                 f"Date: {self.date_time_string()}"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        if self.close_connection:
            lines.append("Connection: close")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        self.wfile.write(head if self.command == "HEAD" else head + payload)

    def _read_body(self) -> bytes | None:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            return self._read_chunked()
        length = int(self.headers.get("Content-Length") or 0)
        if length < 0:
            raise ValueError("negative Content-Length")
        if length > MAX_BODY:
            self.close_connection = True
            return None
        return self.rfile.read(length) if length else b""

    def _read_chunked(self) -> bytes | None:
        chunks, total = [], 0
        while True:
            size = int(self.rfile.readline().split(b";", 1)[0].strip() or b"0", 16)
            if size == 0:
                while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass
                return b"".join(chunks)
            total += size
            if total > MAX_BODY:
                self.close_connection = True
                return None
            chunks.append(self.rfile.read(size))
            self.rfile.readline()

    do_POST = do_GET = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = _serve

    def __getattr__(self, name: str):
        """Any other method (TRACE, QUERY, ...) is answered by the emulator too (405, as a JSON
        1.1 error), never by the HTTP library's HTML 501 page."""
        if name.startswith("do_"):
            return self._serve
        raise AttributeError(name)

    def log_message(self, format, *args) -> None:   # quiet: the harness keeps its own logs
        pass


class _Server(ThreadingHTTPServer):
    """Tracks open connections so that shutting down also ends kept-alive ones."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()

    def process_request(self, request, client_address):
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request):
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        with self._connections_lock:
            open_now = list(self._connections)
        for connection in open_now:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class EmulatorServer:
    """A running server: ``url``, the ``emulator`` behind it, and ``shutdown()``."""

    def __init__(self, emulator: Emulator, host: str = "127.0.0.1", port: int = 0):
        self.emulator = emulator
        self._httpd = _Server((host, port), _Handler)
        self._httpd.emulator = emulator
        bound_host, bound_port = self._httpd.server_address[:2]
        shown = f"[{bound_host}]" if ":" in bound_host else bound_host
        self.url = f"http://{shown}:{bound_port}"
        self.port = bound_port
        self._thread = threading.Thread(target=self._httpd.serve_forever,
                                        kwargs={"poll_interval": 0.2},
                                        name="personalize-emulator", daemon=True)
        self._thread.start()

    def shutdown(self) -> None:
        """Stop accepting, end open keep-alive connections, and wait for the serving thread."""
        self._httpd.shutdown()
        self._httpd.server_close()
        self._httpd.close_connections()
        self._thread.join(timeout=5)

    def __enter__(self) -> "EmulatorServer":
        return self

    def __exit__(self, *exc) -> None:
        self.shutdown()


def serve(host: str = "127.0.0.1", port: int = 0, **emulator_kwargs) -> EmulatorServer:
    """Start an emulator server in a background thread; ``port=0`` picks a free port."""
    return EmulatorServer(Emulator(**emulator_kwargs), host=host, port=port)
