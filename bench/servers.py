"""Start and stop a counting server child process (see serve_child.py) from a benchmark."""
from __future__ import annotations

import os
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
NAMES = {"emulator": "emulator server", "moto": "moto server"}


def child_env() -> dict:
    """The environment for child processes: the repository importable whatever the cwd."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env.setdefault("MOTO_ALLOW_NONEXISTENT_REGION", "true")
    return env


class ChildServer:
    """A server in its own process on a free 127.0.0.1 port; `requests()` reads its count."""

    def __init__(self, kind: str):
        self.kind = kind
        self.name = NAMES[kind]
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "bench.serve_child", kind], cwd=ROOT, env=child_env(),
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
        self.url = self._proc.stdout.readline().strip()
        if not self.url.startswith("http://127.0.0.1:"):
            self.close()
            raise RuntimeError(f"{kind} server did not start")

    def _ask(self, command: str) -> str:
        self._proc.stdin.write(command + "\n")
        self._proc.stdin.flush()
        return self._proc.stdout.readline()

    def requests(self) -> int:
        return int(self._ask("count"))

    def cpu(self) -> float:
        """CPU seconds the server process has used so far."""
        return float(self._ask("cpu"))

    def close(self) -> None:
        if self._proc.poll() is None:
            try:
                self._proc.stdin.close()
                self._proc.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                self._proc.kill()
                self._proc.wait()

    def __enter__(self) -> "ChildServer":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
