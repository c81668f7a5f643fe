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


_active: list[int] | None = None  # signals delivered within the current `terminate_as_interrupt`


@contextlib.contextmanager
def terminate_as_interrupt():
    """Within the block SIGTERM raises KeyboardInterrupt, as Ctrl-C does, and both are
    remembered: the block yields the list of signals delivered. A KeyboardInterrupt can be
    swallowed - raised inside a garbage-collector callback, Python prints "Exception ignored"
    and carries on - so the run must not rely on it alone (see `stop_if_interrupted`)."""
    global _active
    delivered: list[int] = []
    if not _main_thread():
        yield delivered
        return

    def on_signal(signum, frame):
        delivered.append(signum)
        raise KeyboardInterrupt(f"signal {signum}")

    def quiet(unraisable):  # the swallowed interrupt is handled; Python's traceback of it is noise
        if not isinstance(unraisable.exc_value, KeyboardInterrupt):
            previous_hook(unraisable)

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    previous_hook, sys.unraisablehook = sys.unraisablehook, quiet
    _active = delivered
    try:
        yield delivered
    finally:
        _active = None
        sys.unraisablehook = previous_hook
        for s, handler in previous.items():
            signal.signal(s, handler)


def stop_if_interrupted() -> None:
    """Raise the interrupt again if one arrived and the run went on anyway: called before every
    request, so a swallowed Ctrl-C still stops the run before it sends (and creates) more."""
    if _active:
        raise KeyboardInterrupt(f"signal {_active[-1]}")


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


__all__ = ["SkipTeardown", "terminate_as_interrupt", "teardown_signals", "stop_if_interrupted"]
