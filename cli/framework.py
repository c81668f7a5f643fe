"""The command-line framework: the registry the command modules fill, the parser built from it,
the option types every command shares, and the checks on paths given on the command line.

Command modules (`cli/*commands.py`) import this module and nothing imports them back but
`build_parser`, which loads them all; so no command module depends on another's loading order.
"""
from __future__ import annotations

import argparse
import importlib
import math
import os
import pathlib
import pkgutil
import re

from personalize_conformance.errors import UsageError

PROG = "personalize-conformance"
REGISTRY: list = []
RAW = argparse.RawDescriptionHelpFormatter

EPILOG = """exit codes:
  0  everything checked conforms
  1  non-conformance found
  2  usage error, harness error, or the target was unavailable
  130  interrupted (Ctrl-C or SIGTERM); what the run created was torn down first
"""


def command(fn):
    """Register `fn(subparsers)`, which adds one subcommand; help lists them in registration order."""
    REGISTRY.append(fn)
    return fn


class ArgumentError(UsageError):
    """What argparse rejects, as one line naming the command it belongs to."""

    def __init__(self, message: str, prog: str = PROG):
        super().__init__(message)
        self.prog = prog


class Parser(argparse.ArgumentParser):
    """argparse, except that a usage error raises instead of printing the usage and exiting: the
    caller prints it as one line, as every other error of the command line."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("allow_abbrev", False)  # `--exam 5` is a typo, not --examples
        super().__init__(*args, **kwargs)

    def error(self, message: str):  # noqa: D102 - argparse's hook
        raise ArgumentError(f"{message} (see {self.prog} --help)", self.prog)


# ---------------------------------------------------------------- option types

def positive_int(text: str) -> int:
    try:
        value = int(text)
    except (TypeError, ValueError):
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {text!r}")
    return value


def positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except (TypeError, ValueError):
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"must be a number of seconds above 0, not {text!r}")
    return value


_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")


def folder_name(text: str) -> str:
    """A name that becomes one folder inside the output folder, and never a way out of it."""
    if not _NAME.fullmatch(text or "") or ".." in text:
        raise argparse.ArgumentTypeError(
            f"must be one folder name (letters, digits, '.', '_', '-'; no '/' or '..'), not {text!r}")
    return text


def seed(text: str) -> int:
    try:
        value = int(text)
    except (TypeError, ValueError):
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if not 0 <= value < 2**32:
        raise argparse.ArgumentTypeError(f"must be between 0 and 2**32 - 1, not {text!r}")
    return value


# ---------------------------------------------------------------- shared options

def add_spec_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--spec", metavar="PATH|URL",
                   help="OpenAPI document to drive the run (default: built from the installed botocore; "
                        "botocore==X, a botocore wheel or an unpacked botocore folder: built from that release)")


def add_target_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--target", default=None,
                   help="emulator (default), emulator-server, moto, moto-server, aws, or an http(s) URL")
    p.add_argument("--endpoint-url", help="any emulator's URL (same as --target URL); with --target aws, "
                                          "where AWS is reached")
    p.add_argument("--allow-aws", action="store_true", help="confirm that --target aws may reach real AWS")
    p.add_argument("--timeout", type=positive_seconds, default=30.0,
                   help="seconds to wait for each response (default 30)")


# ---------------------------------------------------------------- paths from the command line

def output_folder(path: str, option: str = "--out", create: bool = False) -> pathlib.Path:
    """The folder `path`, or a usage error saying why it cannot be one. Without `create`, it is
    only checked (it, or the nearest folder above it that exists, must be a writable folder), so
    a command refused later has written nothing."""
    folder = pathlib.Path(path).expanduser()
    if create:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UsageError(f"cannot create {option} {path}: {exc.strerror or exc}") from None
    existing = next((p for p in (folder, *folder.absolute().parents) if p.exists()), None)
    if existing is None or not existing.is_dir():
        why = "not a folder" if existing == folder else f"{existing} is not a folder"
        raise UsageError(f"cannot create {option} {path}: {why}")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise UsageError(f"cannot create {option} {path}: {existing} is not writable")
    return folder


def inside(folder: pathlib.Path, name: str, option: str = "--run-id") -> pathlib.Path:
    """`folder / name`, refused if it would resolve outside `folder`."""
    path = folder / name
    if folder.resolve() not in path.resolve().parents:
        raise UsageError(f"{option} {name!r} leaves the folder {folder}")
    return path


def read_input(path: str, what: str) -> bytes:
    """A file the user named, or a usage error naming it."""
    try:
        return pathlib.Path(path).expanduser().read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {what} {path}: {exc.strerror or exc}") from None


# ---------------------------------------------------------------- the parser

def load_command_modules() -> list[str]:
    """Every `cli/*commands.py` module registers its subcommands when imported; their names in order."""
    from personalize_conformance import cli
    names = sorted(f"personalize_conformance.cli.{info.name}" for info in pkgutil.iter_modules(cli.__path__)
                   if info.name.endswith("commands"))
    for name in names:
        importlib.import_module(name)
    return names


def version_line() -> str:
    import platform

    import botocore

    from personalize_conformance import __version__
    return (f"{PROG} {__version__} (botocore {botocore.__version__}, "
            f"Python {platform.python_version()})")


def build_parser() -> Parser:
    modules = load_command_modules()
    parser = Parser(prog=PROG, description="Spec-driven conformance harness for the Amazon Personalize "
                                           "control-plane API.", epilog=EPILOG, formatter_class=RAW)
    parser.add_argument("--version", action="version", version=version_line(),
                        help="print the version (and botocore's, which builds the default spec) and exit")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=Parser)
    rank = {name: i for i, name in enumerate(modules)}  # help order: module, then definition order
    for register in sorted(REGISTRY, key=lambda fn: rank.get(fn.__module__, len(rank))):
        register(sub)
    for subparser in sub.choices.values():  # every command's --help states the exit codes
        if subparser.epilog is None:
            subparser.epilog = EPILOG
            subparser.formatter_class = RAW
        passthrough = any(a.nargs == argparse.REMAINDER for a in subparser._actions)
        if "--config" not in subparser._option_string_actions and not passthrough:
            subparser.add_argument("--config", metavar="FILE",
                                   help="settings file (TOML; default: [tool.personalize-conformance] in "
                                        "./pyproject.toml); options on the command line win")
    return parser


def subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


__all__ = ["PROG", "REGISTRY", "EPILOG", "RAW", "command", "ArgumentError", "Parser", "UsageError",
           "positive_int", "positive_seconds", "folder_name", "seed", "add_spec_option",
           "add_target_options", "output_folder", "inside", "read_input", "build_parser", "subparsers",
           "version_line"]
