"""Targets that run a server of their own on a free loopback port for the length of a run."""
from __future__ import annotations

import socket

from .http import HttpTarget


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class MotoServerTarget(HttpTarget):
    def __init__(self, timeout: float = 30.0):
        import logging
        from moto.server import ThreadedMotoServer
        logging.getLogger("werkzeug").setLevel(logging.CRITICAL)  # its 500 tracebacks are findings, not noise
        port = free_port()
        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
        self._server.start()
        super().__init__(f"http://127.0.0.1:{port}", timeout=timeout, name="moto-server")

    def close(self) -> None:
        super().close()
        self._server.stop()


class EmulatorServerTarget(HttpTarget):
    def __init__(self, timeout: float = 30.0, **emulator_kwargs):
        from personalize_conformance.emulator import serve

        from .inprocess import HARNESS_EMULATOR
        self._server = serve(port=0, **{**HARNESS_EMULATOR, **emulator_kwargs})
        self.emulator = self._server.emulator
        super().__init__(self._server.url, timeout=timeout, name="emulator-server")

    def close(self) -> None:
        super().close()
        self._server.shutdown()
