"""Fewer garbage collections while a run is under way.

A run allocates hundreds of thousands of short-lived objects (cases, findings, Hypothesis's
bookkeeping) on top of a large long-lived heap (the spec and its validators, every strategy,
the emulator), and CPython's collector, triggered by allocation counts, would rescan that heap
dozens of times: a third of a default run's time went to it. For the run's length, what exists
when it starts is moved out of the collector's sight (`gc.freeze`) and collections come less
often; reference cycles are still collected, only later. Nested runs leave it to the outermost.
"""
from __future__ import annotations

import contextlib
import gc
import threading

THRESHOLD = (20_000, 20, 20)  # allocations before a young collection; young collections per older
_depth = 0
_lock = threading.Lock()


@contextlib.contextmanager
def fewer_collections():
    global _depth
    with _lock:
        _depth += 1
        outermost = _depth == 1
        if outermost:
            before = gc.get_threshold()
            gc.freeze()
            gc.set_threshold(*THRESHOLD)
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if outermost:
                gc.set_threshold(*before)
                gc.unfreeze()


__all__ = ["fewer_collections", "THRESHOLD"]
