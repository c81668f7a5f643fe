"""Settings a CI repeats on every call, kept in a file: `[tool.personalize-conformance]` in the
current folder's pyproject.toml, or the file `--config FILE` names.

Keys are long option names without the dashes (`fail-on = "fail,warn"`, `examples = 5`,
`exclude = ["family:invalid"]`). Keys at the top of the table apply to every command having that
option; a sub-table named after a command (`[tool.personalize-conformance.run]`) to that command
alone. An option given on the command line wins over the file.
"""
from __future__ import annotations

import argparse
import pathlib

from personalize_conformance.errors import UsageError, one_line

SECTION = "personalize-conformance"
NOT_SETTINGS = {"help", "config", "version"}


def _toml():
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    return tomllib


def load(path: str | None, cwd: pathlib.Path | None = None) -> tuple[dict, str]:
    """(the settings table, where it came from); an empty table when there is none."""
    if path is None:
        default = (cwd or pathlib.Path.cwd()) / "pyproject.toml"
        if not default.is_file():
            return {}, ""
        doc = _read(default)
        table = doc.get("tool", {}).get(SECTION, {}) if isinstance(doc.get("tool"), dict) else {}
        return _table(table, f"{default.name} [tool.{SECTION}]"), f"{default.name} [tool.{SECTION}]"
    doc = _read(pathlib.Path(path).expanduser(), option=True)
    tool = doc.get("tool")
    if isinstance(tool, dict) and SECTION in tool:
        return _table(tool[SECTION], f"{path} [tool.{SECTION}]"), f"{path} [tool.{SECTION}]"
    return _table(doc, path), path


def _read(path: pathlib.Path, option: bool = False) -> dict:
    label = f"--config {path}" if option else str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read {label}: {getattr(exc, 'strerror', None) or exc}") from None
    try:
        return _toml().loads(text)
    except Exception as exc:  # tomllib.TOMLDecodeError; tomli's is its own class
        raise UsageError(f"{label} is not valid TOML: {one_line(exc)}") from None


def _table(value, label: str) -> dict:
    if not isinstance(value, dict):
        raise UsageError(f"{label}: settings must be a table of option = value")
    return value


def _key(name: str) -> str:
    return "--" + name.replace("_", "-")


def _options(parser: argparse.ArgumentParser) -> dict[str, argparse.Action]:
    return {opt: action for opt, action in parser._option_string_actions.items()
            if opt.startswith("--") and opt[2:] not in NOT_SETTINGS}


def _given(action: argparse.Action, argv: list[str]) -> bool:
    """Whether the command line itself gave this option (abbreviations are off, so exact)."""
    words = argv[: argv.index("--")] if "--" in argv else argv
    return any(w == opt or w.startswith(opt + "=") for w in words for opt in action.option_strings)


def _convert(action: argparse.Action, key: str, value, label: str):
    where = f"{label}: {key}"
    if isinstance(action, (argparse._StoreTrueAction, argparse._StoreFalseAction)):
        if not isinstance(value, bool):
            raise UsageError(f"{where} must be true or false, not {value!r}")
        return value if isinstance(action, argparse._StoreTrueAction) else not value
    many = isinstance(action, argparse._AppendAction)
    values = value if isinstance(value, list) and many else [value]
    if isinstance(value, list) and not many:
        raise UsageError(f"{where} takes one value, not a list")
    out = []
    for item in values:
        if isinstance(item, (dict, list)):
            raise UsageError(f"{where}: {item!r} is not a single value")
        text = str(item).lower() if isinstance(item, bool) else str(item)
        try:
            converted = action.type(text) if action.type else text
        except (argparse.ArgumentTypeError, TypeError, ValueError) as exc:
            raise UsageError(f"{where}: {exc}") from None
        if action.choices is not None and converted not in action.choices:
            raise UsageError(f"{where}: {item!r} is not one of {', '.join(map(str, action.choices))}")
        out.append(converted)
    return out if many else out[0]


def apply(args: argparse.Namespace, command: str, parsers: dict[str, argparse.ArgumentParser],
          argv: list[str], table: dict, label: str) -> list[str]:
    """Fill `args` from `table` where the command line said nothing; returns the keys used."""
    if not table:
        return []
    known = {opt for p in parsers.values() for opt in _options(p)}
    mine = _options(parsers[command])
    scoped = {k: v for k, v in table.items() if not (isinstance(v, dict) and k in parsers)}
    own = table.get(command) if isinstance(table.get(command), dict) else {}
    for name, value in scoped.items():
        if isinstance(value, dict):
            raise UsageError(f"{label}: unknown command section [{name}]")
        if _key(name) not in known:
            raise UsageError(f"{label}: unknown setting {name!r} (settings are long option names, "
                             "e.g. examples, fail-on, baseline)")
    for name in own:
        if _key(name) not in mine:
            raise UsageError(f"{label} [{command}]: {command} has no option --{name.replace('_', '-')}")
    used = []
    for name, value in {**{k: v for k, v in scoped.items() if _key(k) in mine}, **own}.items():
        action = mine[_key(name)]
        if _given(action, argv):
            continue
        setattr(args, action.dest, _convert(action, name, value, label))
        used.append(name)
    return used


__all__ = ["SECTION", "load", "apply"]
