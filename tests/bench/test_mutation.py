"""The mutator behind `python -m bench.mutation`: every mutant it makes is valid Python that
differs from the original in one place, and none touches a docstring or a message."""
import ast

import pytest

from bench.mutation import ROOT, TARGETS, files, mutants_of, mutated_source


@pytest.mark.parametrize("path", ["checks/wire.py", "checks/lifecycle_tags.py", "runner/verdicts.py"])
def test_every_mutant_compiles_and_changes_the_code(path):
    original = ast.dump(ast.parse((ROOT / path).read_text(encoding="utf-8")))
    mutants = mutants_of(path)
    assert mutants, f"{path}: nothing to mutate"
    for mutant in mutants:
        source = mutated_source(mutant)
        compile(source, path, "exec")
        assert ast.dump(ast.parse(source)) != original, mutant


def test_the_verdicts_a_check_yields_and_its_conditions_are_mutated_but_not_its_messages():
    whats = {m.what for m in mutants_of("checks/wire.py")}
    assert {"verdict not yielded", "NotEq → Eq", "Or → And", "`not` dropped"} <= whats
    for mutant in mutants_of("checks/wire.py"):
        if mutant.what != "verdict not yielded":
            assert "with no resolvable error code" in mutated_source(mutant)  # the message is whole


def test_the_targets_are_the_checks_and_the_verdict_code():
    assert "checks/wire.py" in files(TARGETS) and "runner/verdicts.py" in files(TARGETS)
    assert not any(path.endswith("__init__.py") for path in files(TARGETS))
