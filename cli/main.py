"""`personalize-conformance`: run conformance, inspect specs, validate recorded responses.

Exit codes: 0 all conform; 1 non-conformance found; 2 usage, harness error or target unavailable.
"""
from __future__ import annotations

import argparse
import sys

from . import commands

EPILOG = """exit codes:
  0  everything checked conforms
  1  non-conformance found
  2  usage error, harness error, or the target was unavailable
  130  interrupted (Ctrl-C or SIGTERM); what the run created was torn down first
"""


def _load_command_modules() -> None:
    """Every `cli/*commands.py` module registers its subcommands into `commands.REGISTRY`."""
    import importlib
    import pkgutil
    from personalize_conformance import cli
    for info in pkgutil.iter_modules(cli.__path__):
        if info.name.endswith("commands"):
            importlib.import_module(f"personalize_conformance.cli.{info.name}")


def build_parser() -> argparse.ArgumentParser:
    _load_command_modules()
    parser = argparse.ArgumentParser(
        prog="personalize-conformance",
        description="Spec-driven conformance harness for the Amazon Personalize control-plane API.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for register in commands.REGISTRY:
        register(sub)
    for subparser in sub.choices.values():  # every command's --help states the exit codes
        if subparser.epilog is None:
            subparser.epilog = EPILOG
            subparser.formatter_class = argparse.RawDescriptionHelpFormatter
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stderr.close()
        return 0
    except commands.UsageError as exc:
        print(f"personalize-conformance: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
