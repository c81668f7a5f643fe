"""A tiny registry: ``@registry.handles("Op")`` collects handlers, ``bind`` attaches them."""
from __future__ import annotations

import functools
from typing import Any, Callable


class Registry:
    def __init__(self):
        self._handlers: dict[str, Callable] = {}
        self._binders: list[Callable] = []

    def handles(self, operation: str):
        def decorate(fn):
            self._handlers[operation] = fn
            return fn
        return decorate

    def on_bind(self, fn: Callable) -> Callable:
        """Run ``fn(service, table)`` at bind time (for handlers generated from data)."""
        self._binders.append(fn)
        return fn

    def bind(self, service, table: dict) -> None:
        for operation, fn in self._handlers.items():
            table[operation] = functools.partial(fn, service)
        for binder in self._binders:
            binder(service, table)


def pick(params: dict[str, Any], *members: str) -> dict[str, Any]:
    """The named members that are present (absent members stay absent on the wire)."""
    return {m: params[m] for m in members if params.get(m) is not None}
