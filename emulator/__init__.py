"""The bundled reference emulator: an in-memory Amazon Personalize control plane.

``Emulator(...).handle(method, path, headers, body)`` serves one AWS JSON 1.1 request without
sockets; ``serve(port=0)`` serves the same object over HTTP; ``python -m emulator`` runs it
from the command line. See ``app.py`` for the request path and ``faults.py`` for the faults.
"""
from .app import Emulator
from .faults import FAULTS
from .lifecycle import DEFAULT_TIMING
from .server import EmulatorServer, serve

__all__ = ["Emulator", "EmulatorServer", "serve", "FAULTS", "DEFAULT_TIMING"]
