"""The command-line framework stands apart from the commands it loads: the command modules
import the framework (and the stages), never each other in a circle."""
from __future__ import annotations

import ast
import pathlib

CLI = pathlib.Path(__file__).resolve().parents[2] / "cli"


def _imports(path: pathlib.Path) -> set[str]:
    """The cli modules `path` imports, anywhere in it (at the top or inside a function)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level == 1:  # from .x import y / from . import x
                found |= {node.module} if node.module else {a.name for a in node.names}
            elif (node.module or "").startswith("personalize_conformance.cli."):
                found.add(node.module.split(".")[2])
            elif node.module == "personalize_conformance.cli":
                found |= {a.name for a in node.names}
    return {name for name in found if (CLI / f"{name}.py").exists()}


def _graph() -> dict[str, set[str]]:
    return {p.stem: _imports(p) for p in CLI.glob("*.py")}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_no_import_cycle_among_the_command_line_modules():
    graph = _graph()
    assert {"framework", "main", "commands", "report_commands", "safety_commands"} <= set(graph)
    assert _cycle(graph) is None, " -> ".join(_cycle(graph))


def test_the_framework_imports_no_command_module():
    assert not {m for m in _imports(CLI / "framework.py") if m.endswith("commands")}
    for name in ("report_commands", "safety_commands"):
        assert "commands" not in _imports(CLI / f"{name}.py"), name


def test_the_cycle_finder_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None
