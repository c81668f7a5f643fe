"""Ctrl-C and SIGTERM take one path: the run stops, what it created is torn down, the partial
report is written. A second interrupt while teardown runs skips the rest of it, and says how to
clean up later.

Handlers are installed only from the main thread (Python delivers signals there) and the
previous ones are restored on exit, so a caller that has its own keeps them afterwards.
"""
from __future__ import annotations

import contextlib
import signal
import sys
import threading


class SkipTeardown(BaseException):
    """Raised by a second interrupt during teardown: BaseException so that no `except Exception`
    on the way (cleanup never raises Exception) swallows it."""


def _main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def _raise_interrupt(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


@contextlib.contextmanager
def terminate_as_interrupt():
    """Within the block SIGTERM raises KeyboardInterrupt, as Ctrl-C does."""
    if not _main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def teardown_signals(already_interrupted: bool, hint: str, stream=None):
    """Within the block an interrupt raises SkipTeardown if the run was already interrupted
    once; otherwise the first one only warns, and the next one skips."""
    stream = stream or sys.stderr
    if not _main_thread():
        yield
        return
    count = [1 if already_interrupted else 0]

    def on_signal(signum, frame):
        count[0] += 1
        if count[0] >= 2:
            raise SkipTeardown()
        stream.write(f"\nteardown in progress: interrupt again to skip it ({hint})\n")
        stream.flush()

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


__all__ = ["SkipTeardown", "terminate_as_interrupt", "teardown_signals"]
