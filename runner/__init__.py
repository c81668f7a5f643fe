"""Runner: drives the stages of a run and folds findings into verdicts.

The names below load on first use: the pytest plugin (`runner.pytest_plugin`) sits in this
package and is imported by every pytest session of an environment the harness is installed in,
most of which never run it; they should not pay for the spec, the strategies and the checks.
"""
from __future__ import annotations

import importlib

_HOMES = {
    "CaseRecord": "records", "RunResult": "records",
    "RunOptions": "session", "build_document": "session", "conformance_run": "session",
    "exit_code": "session", "new_run_id": "session",
    "run_stateless": "stateless", "send_and_check": "stateless",
}

__all__ = ["CaseRecord", "RunResult", "RunOptions", "build_document", "conformance_run", "exit_code",
           "new_run_id", "run_stateless", "send_and_check"]


def __getattr__(name: str):
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))
