"""Operation handlers, one module per family of operations.

Every handler has the signature ``handler(service, call, params) -> output dict`` and is
registered under its operation name; ``build_handlers`` binds them to one ``Service`` and
checks that the model's operations are all covered.
"""
from __future__ import annotations

from .. import model
from . import builtin, changes, creates, generic, tagging

_MODULES = (generic, creates, changes, tagging, builtin)


def build_handlers(service) -> dict:
    table: dict = {}
    for module in _MODULES:
        module.registry.bind(service, table)
    missing = sorted(set(model.operation_names()) - set(table))
    if missing:
        raise RuntimeError(f"operations without a handler: {', '.join(missing)}")
    return table
