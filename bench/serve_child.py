"""`python -m bench.serve_child emulator|moto`: one server in its own process, counting requests.

Benchmarks run servers in a child process so that the client under test and the server do not
share one interpreter lock: on 2 cores each gets its own, as when a user runs an emulator
beside the harness. The server counts the requests it answered, so every client (the raw floor,
the harness, schemathesis) is measured by the same count, not by its own claim.

Protocol: the first stdout line is the URL; each stdin line `count` prints the number of
requests answered so far, `cpu` the CPU seconds the process has used (so a benchmark can
report CPU per request, which a loaded machine distorts far less than wall time); end of
stdin stops the server.
"""
from __future__ import annotations

import logging
import sys
import threading
import time


class _Counter:
    def __init__(self) -> None:
        self.value = 0
        self._lock = threading.Lock()

    def add(self) -> None:
        with self._lock:
            self.value += 1


def _emulator(counter: _Counter):
    from personalize_conformance.emulator import Emulator
    from personalize_conformance.emulator.server import EmulatorServer

    class Counted:
        def __init__(self, inner):
            self.inner = inner

        def handle(self, *args):
            counter.add()
            return self.inner.handle(*args)

    server = EmulatorServer(Counted(Emulator()))
    return server.url, server.shutdown


def _moto(counter: _Counter):
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
    from werkzeug.serving import make_server
    logging.getLogger("werkzeug").setLevel(logging.CRITICAL)
    app = DomainDispatcherApplication(create_backend_app)

    def counted(environ, start_response):
        counter.add()
        return app(environ, start_response)

    httpd = make_server("127.0.0.1", 0, counted, threaded=True)  # as moto's ThreadedMotoServer does
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    host, port = httpd.server_address[:2]
    return f"http://{host}:{port}", httpd.shutdown


SERVERS = {"emulator": _emulator, "moto": _moto}


def main(argv: list[str]) -> int:
    counter = _Counter()
    url, stop = SERVERS[argv[0]](counter)
    print(url, flush=True)
    for line in sys.stdin:
        command = line.strip()
        if command == "count":
            print(counter.value, flush=True)
        elif command == "cpu":
            print(repr(time.process_time()), flush=True)
    stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
