"""No module of the package imports, at load time, a module that imports it back.

An import circle works until someone reorders two lines: the module that loads second sees the
first half-made. Imports inside functions are deferred on purpose (they load what a command needs
when it runs) and are not edges here; a package's `__init__` that re-exports its modules is an
edge like any other, so a module importing its own package's `__init__` closes a circle.
"""
from __future__ import annotations

import ast
import pathlib
import tomllib

ROOT = pathlib.Path(__file__).resolve().parents[2]
PACKAGE = "personalize_conformance"


def _modules() -> dict[str, pathlib.Path]:
    """Dotted module name -> source file, for every module the wheel installs."""
    mapping = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-dir"]
    found = {}
    for package, folder in mapping.items():
        for path in (ROOT / folder).rglob("*.py"):
            rel = path.relative_to(ROOT / folder).with_suffix("")
            parts = [p for p in rel.parts if p != "__init__"]
            found[".".join([package, *parts])] = path
    return found


def _load_time_imports(tree: ast.Module):
    """Import statements run when the module loads: the module body and its if/try blocks, not
    function or class bodies, and not `if TYPE_CHECKING:` blocks."""
    stack = list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        elif isinstance(node, ast.If):
            test = ast.unparse(node.test)
            if "TYPE_CHECKING" not in test:
                stack.extend(node.body + node.orelse)
        elif isinstance(node, ast.Try):
            stack.extend(node.body + node.orelse + node.finalbody + [s for h in node.handlers for s in h.body])


def import_graph(modules: dict[str, pathlib.Path]) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        is_package = path.name == "__init__.py"
        here = name if is_package else name.rpartition(".")[0]
        edges = set()
        for node in _load_time_imports(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                providers = [alias.name for alias in node.names]
            else:
                base = node.module or ""
                if node.level:
                    anchor = here.split(".")
                    anchor = anchor[:len(anchor) - (node.level - 1)]
                    base = ".".join(anchor + ([base] if base else []))
                # `from p import m` loads the submodule m; `from p import name` needs p's body run.
                providers = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                             for alias in node.names]
            for provider in providers:
                parts = provider.split(".")
                for i in range(1, len(parts) + 1):
                    candidate = ".".join(parts[:i])
                    # Loading a.b.c runs a and a.b first; a package the importer sits in is already
                    # loading, so only the module that provides the name counts there.
                    ancestor = name.startswith(candidate + ".") and candidate != provider
                    if candidate in modules and candidate != name and not ancestor:
                        edges.add(candidate)
        graph[name] = edges
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                out.append(sorted(group))

    import sys
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 10_000))
    try:
        for v in sorted(graph):
            if v not in index:
                visit(v)
    finally:
        sys.setrecursionlimit(limit)
    return out


def test_no_import_circle_anywhere_in_the_package():
    found = circles(import_graph(_modules()))
    assert found == [], "\n".join(" <-> ".join(group) for group in found)


def test_the_circle_finder_finds_a_circle_through_a_package_init():
    graph = {"p": {"p.a"}, "p.a": {"p.b"}, "p.b": {"p"}, "q": {"p.a"}}
    assert circles(graph) == [["p", "p.a", "p.b"]]
    assert circles({"p": {"p.a"}, "p.a": set()}) == []


def test_the_graph_sees_relative_and_absolute_imports(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("from . import a\n")
    (tmp_path / "pkg" / "a.py").write_text("from .b import x\nimport typing\nif typing.TYPE_CHECKING:\n    from . import c\n")
    (tmp_path / "pkg" / "b.py").write_text("from . import a\ndef f():\n    from pkg import a\n")
    (tmp_path / "pkg" / "c.py").write_text("import pkg.b\nfrom pkg import name\n")
    modules = {"pkg": tmp_path / "pkg/__init__.py", "pkg.a": tmp_path / "pkg/a.py",
               "pkg.b": tmp_path / "pkg/b.py", "pkg.c": tmp_path / "pkg/c.py"}
    graph = import_graph(modules)
    # a's `from .b import x` runs b, not pkg again; c's `from pkg import name` needs pkg's body
    assert graph == {"pkg": {"pkg.a"}, "pkg.a": {"pkg.b"}, "pkg.b": {"pkg.a"}, "pkg.c": {"pkg", "pkg.b"}}
    assert circles(graph) == [["pkg.a", "pkg.b"]]
