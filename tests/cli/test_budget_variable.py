"""PERSONALIZE_CONFORMANCE_EXAMPLES: one budget for every run of a session, the command line's and
pytest's, without editing any command; an explicit option still wins."""
from __future__ import annotations

import pytest

from personalize_conformance.cli.main import build_parser
from personalize_conformance.runner.pytest_plugin import examples

VARIABLE = "PERSONALIZE_CONFORMANCE_EXAMPLES"


class _Config:
    def __init__(self, **options):
        self.options = options

    def getoption(self, name, default=None):
        return self.options.get(name.lstrip("-").replace("-", "_"), default)


@pytest.mark.parametrize("value,expected", [("3", 3), ("", 10), ("0", 10), ("many", 10), ("-2", 10)])
def test_run_takes_its_default_examples_from_the_variable(monkeypatch, value, expected):
    from personalize_conformance.cli.commands import _default_examples
    monkeypatch.setenv(VARIABLE, value)
    assert build_parser().parse_args(["run"]).examples is None  # left open: a replayed run's own count comes first
    assert _default_examples() == expected
    assert build_parser().parse_args(["run", "--examples", "7"]).examples == 7


def test_pytest_takes_the_option_then_the_variable_then_the_profile(monkeypatch):
    monkeypatch.delenv(VARIABLE, raising=False)
    assert examples(_Config()) == 5
    assert examples(_Config(hypothesis_profile="thorough")) == 50
    assert examples(_Config(hypothesis_profile="someone-elses")) == 5
    monkeypatch.setenv(VARIABLE, "2")
    assert examples(_Config(hypothesis_profile="thorough")) == 2
    assert examples(_Config(conformance_examples=9, hypothesis_profile="thorough")) == 9
