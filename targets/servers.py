"""Targets that run a server of their own on a free loopback port for the length of a run."""
from __future__ import annotations

from .http import HttpTarget


def _moto_app():
    """moto's server application, answering an action moto lacks the way `mock_aws` does: HTTP 500
    with moto's `NotImplementedError: The ... action has not been implemented` text. (Its own
    server hides that text behind a generic HTML error page, which says nothing a client could
    tell from a server fault.)"""
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

    def not_implemented(exc):
        return f"NotImplementedError: {exc}", 500, {"Content-Type": "text/plain"}

    def create(service):
        app = create_backend_app(service)
        app.register_error_handler(NotImplementedError, not_implemented)
        return app
    return DomainDispatcherApplication(create)


class MotoServerTarget(HttpTarget):
    def __init__(self, timeout: float = 30.0):
        import logging
        import threading

        from werkzeug.serving import make_server
        logging.getLogger("werkzeug").setLevel(logging.CRITICAL)  # its 500 tracebacks are findings, not noise
        self._server = make_server("127.0.0.1", 0, _moto_app(), threaded=True)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        super().__init__(f"http://127.0.0.1:{self._server.server_port}", timeout=timeout, name="moto-server")

    def close(self) -> None:
        super().close()
        self._server.shutdown()
        self._thread.join(timeout=5)


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
