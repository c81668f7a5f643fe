"""`personalize-conformance`: run conformance, inspect specs, validate recorded responses.

Exit codes: 0 all conform; 1 non-conformance found; 2 usage, harness error or target unavailable;
130 interrupted. This is the one place errors become exit codes: any `ConformanceError` a command
or a stage raises is bad input or an unusable target, printed as one line with exit code 2.
"""
from __future__ import annotations

import os
import sys

from personalize_conformance.errors import ConformanceError, one_line

from . import config
from .framework import EPILOG, PROG, build_parser, subparsers

__all__ = ["main", "build_parser", "EPILOG"]

TRACEBACK_ENV = "PERSONALIZE_CONFORMANCE_TRACEBACK"


def _say(line: str) -> None:
    try:
        print(line, file=sys.stderr)
    except (OSError, ValueError):  # stderr closed or gone
        pass


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        parser = build_parser()
        try:
            args = parser.parse_args(argv)
        except SystemExit as exc:  # --help and --version: printed, and done
            return int(exc.code or 0) if not isinstance(exc.code, str) else 2
        table, label = config.load(getattr(args, "config", None))
        config.apply(args, args.command, subparsers(parser), argv, table, label)
        return int(args.handler(args) or 0)
    except SystemExit as exc:  # a command that exits on its own (the emulator's own parser)
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    except KeyboardInterrupt:
        _say("interrupted")
        return 130
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stderr.close()
        return 0
    except ConformanceError as exc:
        _say(f"{getattr(exc, 'prog', PROG)}: {one_line(exc, 600)}")
        return 2
    except Exception as exc:  # a harness bug: one line and exit 2 as promised; the traceback on request
        if os.environ.get(TRACEBACK_ENV):
            raise
        _say(f"{PROG}: harness error: {exc.__class__.__name__}: {one_line(exc)} "
             f"(set {TRACEBACK_ENV}=1 to see where)")
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
