"""The mutator behind `python -m bench.mutation`: every mutant it makes is valid Python that
differs from the original in one place, and none touches a docstring or a message."""
import ast
import pathlib

import pytest

from bench.mutation import ROOT, SKIP, TARGETS, files, mutants_of, mutated_source


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


def test_every_test_module_the_mutator_runs_exists_in_each_workers_copy():
    from bench.mutation import RESPONSE_TESTS, TESTS
    for path in {p for paths in TESTS.values() for p in paths} | set(RESPONSE_TESTS):
        assert (ROOT / path).is_file(), path
        for parent in pathlib.PurePosixPath(path).parents:  # and each worker's copy holds it
            assert not SKIP(str(ROOT / parent.parent), [parent.name]), f"{path}: {parent} is not copied"
        assert not SKIP(str(ROOT), [pathlib.PurePosixPath(path).name]), path


def _rules(path):
    import re
    return set(re.findall(r'@(?:check|contract)\("([^"]+)"', (ROOT / path).read_text(encoding="utf-8")))


@pytest.mark.parametrize("path", [p for p in files(TARGETS) if _rules(p)])
def test_each_check_module_is_judged_by_tests_that_name_its_rules(path):
    """A module mutated under tests that never judge its rules would see every mutant survive."""
    from bench.mutation import RESPONSE_TESTS, TESTS
    selected = TESTS.get(path, RESPONSE_TESTS)
    tests = "".join((ROOT / t).read_text(encoding="utf-8") for t in selected)
    assert any(rule in tests for rule in _rules(path)), f"{path}: none of {sorted(_rules(path))} in {selected}"
