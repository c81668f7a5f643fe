"""The lower bounds pyproject.toml states are the releases `tox -e lower` installs, and packages
used only by the tests and the benchmarks are not what a user installs."""
from __future__ import annotations

import configparser
import pathlib
import re

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

try:
    import tomllib
except ImportError:  # Python 3.10
    tomllib = pytest.importorskip("tomli")

ROOT = pathlib.Path(__file__).resolve().parents[2]
# For schemathesis's users only, who run `st run` and so have it: not a need of the harness.
SCHEMATHESIS_HOOKS = pathlib.Path("targets", "schemathesis_hooks.py")


def _stages() -> list[str]:
    return ["personalize_conformance", *_toml()["tool"]["setuptools"]["package-dir"].values()]


def _toml() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def _project() -> dict:
    return _toml()["project"]


# The extras `tox -e lower` runs the suite with (bench's packages are in test too); another extra
# (mutation testing, say) is a tool of its own and not part of that claim.
LOWER_ENV_EXTRAS = ("bench", "test")


def _requirements() -> list[Requirement]:
    project = _project()
    extras = project["optional-dependencies"]
    listed = project["dependencies"] + [r for name in LOWER_ENV_EXTRAS for r in extras[name]]
    return [Requirement(r) for r in listed]


def _pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "constraints-lower.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, version = line.split("==")
            pins[canonicalize_name(name)] = version.strip()
    return pins


def test_every_dependency_has_one_lower_bound_and_the_constraints_pin_exactly_it():
    bounds = {}
    for req in _requirements():
        (spec,) = req.specifier  # one specifier each: the lower bound
        assert spec.operator == ">=", f"{req}: a lower bound only"
        assert bounds.setdefault(canonicalize_name(req.name), spec.version) == spec.version, f"{req}: two bounds"
    assert _pins() == bounds


def test_the_lower_environment_installs_under_those_constraints():
    tox = configparser.ConfigParser()
    tox.read(ROOT / "tox.ini")
    assert "lower" in tox["tox"]["envlist"]
    assert "PIP_CONSTRAINT = {toxinidir}/constraints-lower.txt" in tox["testenv:lower"]["set_env"]
    assert set(LOWER_ENV_EXTRAS) - {"bench"} == {e.strip() for e in tox["testenv"]["extras"].split(",")}


def _imported_by_the_package() -> set[str]:
    found = set()
    for stage in set(_stages()):
        for path in (ROOT / stage).rglob("*.py"):
            if path.relative_to(ROOT) == SCHEMATHESIS_HOOKS:
                continue
            for match in re.finditer(r"^\s*(?:from|import)\s+([a-zA-Z_][\w]*)", path.read_text(), re.M):
                found.add(match.group(1))
    return found


def test_what_only_tests_and_benchmarks_use_is_not_a_runtime_dependency():
    runtime = {canonicalize_name(Requirement(r).name) for r in _project()["dependencies"]}
    imported = _imported_by_the_package()
    for name, module in (("schemathesis", "schemathesis"), ("hypothesis-jsonschema", "hypothesis_jsonschema"),
                         ("pytest-xdist", "xdist"), ("tox", "tox"), ("build", "build"), ("filelock", "filelock")):
        assert module not in imported or name in runtime, f"the package imports {module}: {name} is a runtime need"
        assert name not in runtime or module in imported, f"{name} is a runtime dependency the package never imports"
    for name, module in (("boto3", "boto3"), ("botocore", "botocore"), ("moto", "moto"), ("hypothesis", "hypothesis"),
                         ("openapi-core", "openapi_core"), ("pytest", "pytest"), ("regex", "regex"), ("pyyaml", "yaml")):
        assert module in imported and name in runtime, f"{name}: imported by the package, so a runtime dependency"
