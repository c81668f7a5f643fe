"""The one base error of the harness: bad input, or a state in which nothing can be judged.

Every stage raises a subclass of `ConformanceError` for what the user can fix (a spec that is
not an OpenAPI document, an unknown target, a path that cannot be written), and the command
line turns any of them into one line on stderr and exit code 2 in one place (`cli/main.py`).
Anything else escaping a command is a harness bug. This module imports nothing of the harness,
so every stage can import it.
"""
from __future__ import annotations


class ConformanceError(Exception):
    """Bad input or an unusable target: reported as one line, exit code 2, no traceback."""


class UsageError(ConformanceError, ValueError):
    """An option, argument or option combination the command cannot work with."""


class SpecError(ConformanceError, ValueError):
    """A document that cannot drive a run: unreadable, not OpenAPI, or without operations."""


class SpecNotFound(SpecError, FileNotFoundError):
    """The spec's path does not exist."""


class TargetError(ConformanceError, ValueError):
    """A target that cannot be chosen as named: unknown, or options that do not apply to it."""


def one_line(text: object, limit: int = 400) -> str:
    """`text` on one line, cut to `limit` characters: error messages from parsers span lines."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


__all__ = ["ConformanceError", "UsageError", "SpecError", "SpecNotFound", "TargetError", "one_line"]
