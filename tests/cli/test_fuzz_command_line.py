"""The command line fuzzed: whatever words it is given, it answers with an exit code it promises
(0, 1 or 2) and never with a traceback or a harness error.

Argument lists are drawn from the commands' own option names, a few odd values and some noise,
and run in this process through `cli.main.main`. To keep each example cheap, `run` always gets
`--plan` and one operation (its rehearsal then takes a fraction of a second) and `record` gets
`--plan`; `emulator` (which serves until stopped) and `--allow-aws` (nothing here may reach AWS)
are left out.
"""
from __future__ import annotations

import contextlib
import io
import json
import os

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from personalize_conformance.cli.framework import build_parser, subparsers
from personalize_conformance.cli.main import main

PARSERS = subparsers(build_parser())
COMMANDS = sorted(set(PARSERS) - {"emulator"})
OPTIONS = sorted({opt for name in COMMANDS for opt in PARSERS[name]._option_string_actions
                  if opt.startswith("--") and opt not in ("--allow-aws",)})
ODD_VALUES = ["-1", "0", "1", "nan", "inf", "", " ", "..", "../../escape", "a/b", "localhost:4566",
              "http://127.0.0.1:9", "https://", "emulator", "moto", "aws", "nope", "fail,warn", "bogus",
              "family:invalid", "rule:schema.*", "Create*", "*", "ListSchemas", "-", "--", "=", "💥",
              "x" * 300, "random.json", "broken.yaml", "missing.json", "body.json", "run", "2h", "3x",
              "not-implemented", "json", "text", "%s", "{}", "\\", "\x00"]
WORDS = st.one_of(st.sampled_from(OPTIONS), st.sampled_from(ODD_VALUES), st.sampled_from(COMMANDS),
                  st.text(max_size=12))


def _words(command: str):
    """Mostly the command's own options, each with an odd value, and now and then noise."""
    own = sorted(o for o in PARSERS[command]._option_string_actions if o.startswith("--")
                 and o != "--allow-aws") if command in PARSERS else OPTIONS
    pair = st.tuples(st.sampled_from(own), st.sampled_from(ODD_VALUES)).map(list)
    flag = st.sampled_from(own).map(lambda o: [o])
    noise = WORDS.map(lambda w: [w])
    return st.lists(st.one_of(pair, pair, flag, noise), max_size=4).map(lambda parts: sum(parts, []))


def _argv(command: str, words: list[str]) -> list[str]:
    if command == "run":  # cheap and harmless: rehearse one operation, send nothing
        words = ["--plan", "--operation", "ListSchemas", *words]
    if command == "record":  # list the scenarios rather than record them all
        words = ["--plan", *words]
    return [command, *words]


@settings(max_examples=60, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                 HealthCheck.nested_given])  # `run --plan` runs Hypothesis inside
@given(drawn=st.sampled_from(COMMANDS + ["", "--version", "nosuchcommand"]).flatmap(
    lambda command: st.tuples(st.just(command), _words(command))))
def test_no_argument_list_ends_in_a_traceback(drawn, tmp_path_factory):
    command, words = drawn
    here = tmp_path_factory.mktemp("fuzz") / "a" / "b"
    here.mkdir(parents=True)
    (here / "random.json").write_text(json.dumps({"x": 1}))
    (here / "broken.yaml").write_text("a: [\n  b: }\n")
    (here / "body.json").write_text("{}")
    argv = _argv(command, words) if command else words
    out, err = io.StringIO(), io.StringIO()
    cwd = os.getcwd()
    os.chdir(here)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(argv)
    finally:
        os.chdir(cwd)
    stderr = err.getvalue()
    event(f"exit {code}")
    assert code in (0, 1, 2), (argv, code, stderr)
    assert "Traceback" not in stderr, (argv, stderr)
    assert "harness error" not in stderr, (argv, stderr)
    if code == 2:
        assert stderr.strip(), (argv, "exit 2 says why")
