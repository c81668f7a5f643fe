"""One registry shape for checks and contracts, and no module of the checks imports one that imports it back."""
import ast
import pathlib

import pytest

from personalize_conformance.checks import CHECKS
from personalize_conformance.checks.contracts import CONTRACTS
from personalize_conformance.checks.registry import Registry

CHECKS_DIR = pathlib.Path(__file__).resolve().parents[2] / "checks"


def test_a_rule_registers_once_and_is_found_by_its_id():
    registry = Registry("widget")
    assert registry.register("a.one", 1) == 1
    assert "a.one" in registry and "a.two" not in registry
    assert registry["a.one"] == 1 and registry.get("a.two") is None
    assert list(registry) == ["a.one"] and len(registry) == 1
    with pytest.raises(ValueError, match="widget a.one registered twice"):
        registry.register("a.one", 2)
    with pytest.raises(KeyError, match="no widget 'a.two'"):
        registry["a.two"]


def test_replacing_an_entry_needs_it_registered_first():
    registry = Registry("widget")
    registry.register("a.one", 1)
    registry["a.one"] = 3
    assert dict(registry.items()) == {"a.one": 3}
    with pytest.raises(KeyError):
        registry["a.new"] = 1


def test_checks_and_contracts_are_registries_of_their_own_rules():
    assert isinstance(CHECKS, Registry) and isinstance(CONTRACTS, Registry)
    assert not set(CHECKS) & set(CONTRACTS)
    assert all(CHECKS[rule].rule == rule for rule in CHECKS)
    assert all(CONTRACTS[rule].rule == rule for rule in CONTRACTS)
    assert {"wire.request-id", "target.not-implemented"} <= set(CHECKS)
    assert {"tags.untag-exact", "lifecycle.create-identifies", "consistency.describe-after-create"} <= set(CONTRACTS)


def _imports(path: pathlib.Path) -> set[str]:
    """The sibling modules of checks/ that `path` imports (`from .x import` and `from . import x`)."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                out.add(node.module.split(".")[0])
            else:
                out |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("personalize_conformance.checks."):
            out.add(node.module.split(".")[2])
    return out


def test_no_module_of_the_checks_imports_one_that_imports_it_back():
    graph = {p.stem: _imports(p) - {"__init__"} for p in CHECKS_DIR.glob("*.py") if p.stem != "__init__"}

    def cycle_from(start):
        stack = [(start, [start])]
        while stack:
            node, path = stack.pop()
            for nxt in graph.get(node, ()):
                if nxt == start:
                    return path + [nxt]
                if nxt not in path:
                    stack.append((nxt, path + [nxt]))
        return None

    cycles = [c for c in map(cycle_from, graph) if c]
    assert cycles == [], " ; ".join(" → ".join(c) for c in cycles)
