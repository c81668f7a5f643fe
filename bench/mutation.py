"""Mutation testing of the checks and the verdict code: is every defect of a check seen by a test?

Each mutant changes one thing in `checks/*.py` or `runner/verdicts.py` (a comparison turned
around, `and` for `or`, a `not` dropped, a condition negated, a constant moved by one, a verdict a
check yields deleted) and runs the tests that judge that code; a mutant no test fails on
"survived", and the script lists it. Survivors in `checks/` make the exit code 1.

    python -m bench.mutation                         # every mutant (~15-25 min on 2 cores)
    python -m bench.mutation --files checks/wire.py  # one file's
    python -m bench.mutation --list                  # the mutants, not run
    python -m bench.mutation --mutmut                # mutmut instead (see below)

How it runs: each worker has its own copy of the repository in a scratch folder (nothing in the
checkout is written to) and a process that has imported the third-party libraries and built the
spec once; per mutant it writes the mutated file into its copy and forks a child that runs pytest
on the selected tests, `-x`, so a killed mutant costs about a second. String constants are not
mutated (they are messages), nor docstrings.

mutmut (`pip install 'personalize-conformance[mutation]'`; `[tool.mutmut]` in pyproject.toml) is
the standard tool, and `--mutmut` runs it: mutmut names a mutant after the module its file path
spells, so the package is laid out in the scratch folder as a wheel lays it out
(`personalize_conformance/checks/...`). mutmut 3 does not mutate decorated functions, and every
check and contract is registered by a decorator: it judges the helpers around them only, which
is why this script has its own mutator.
"""
from __future__ import annotations

import argparse
import ast
import copy
import os
import pathlib
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass

ROOT = pathlib.Path(__file__).resolve().parents[1]
TARGETS = ("checks/*.py", "runner/verdicts.py")
MUST_DIE = "checks/"  # survivors here fail the script: every check's defect has a test
# The tests that judge each file, fastest first: `-x` stops at the first failure.
RESPONSE_TESTS = ("tests/checks/test_protocol_checks.py", "tests/checks/test_not_implemented.py",
                  "tests/checks/test_registry.py")
CONTRACT_TESTS = ("tests/checks/test_tag_contracts.py", "tests/checks/test_contract_edges.py",
                  "tests/contracts/test_contract_checks.py", "tests/runner/test_state_machine_rules.py",
                  "tests/checks/test_registry.py")
ACCEPTANCE_TESTS = ("tests/checks/test_acceptance.py", "tests/checks/test_not_implemented.py",
                    "tests/checks/test_acceptance_faults.py", "tests/checks/test_acceptance_moto.py")
# Grading by evidence, and the invariants judged against the recorded corpus and the emulator's faults.
EVIDENCE_TESTS = ("tests/checks/test_evidence.py", "tests/contracts/test_invariant_faults.py")
OBSERVED_TESTS = ("tests/contracts/test_observed_invariants.py", "tests/contracts/test_invariant_faults.py")
TESTS = {"checks/acceptance.py": ACCEPTANCE_TESTS + EVIDENCE_TESTS[:1],
         "checks/contracts.py": CONTRACT_TESTS + EVIDENCE_TESTS,
         "checks/registry.py": RESPONSE_TESTS + CONTRACT_TESTS[:2] + EVIDENCE_TESTS[:1],
         "checks/context.py": RESPONSE_TESTS + ("tests/checks/test_schema_memo.py",),
         "checks/schema.py": RESPONSE_TESTS + ("tests/checks/test_schema_memo.py",),
         "checks/sdk_errors.py": RESPONSE_TESTS + ("tests/checks/test_sdk_errors.py",),
         "checks/evidence.py": EVIDENCE_TESTS + ("tests/checks/test_sdk_errors.py", "tests/reports/test_evidence_report.py"),
         "checks/observed_members.py": RESPONSE_TESTS + OBSERVED_TESTS,
         "checks/resource_invariants.py": CONTRACT_TESTS + OBSERVED_TESTS,
         "runner/verdicts.py": ("tests/runner/test_every_operation_is_judged.py",)}
TESTS.update({f"checks/lifecycle_{name}.py": CONTRACT_TESTS + EVIDENCE_TESTS
              for name in ("consistency", "paging", "paths", "rules", "tags")})
PYTEST_ARGS = ("-x", "-q", "-p", "no:randomly", "-p", "no:cacheprovider", "-m", "not slow", "--no-header",
               "-o", "addopts=-p no:schemathesis -p no:anyio -p no:benchmark")
TIMEOUT = 120.0  # seconds a mutant may run: past that it counts as killed (it hung a test)
# Left out of a worker's copy at any depth. The output folder `reports/` is left out at the top only
# (`_copy`): `tests/reports/` holds tests.
SKIP = shutil.ignore_patterns("__pycache__", "*.pyc", ".hypothesis", ".git", "mutants")
UNJUDGED = (4, 5)  # pytest's exit codes for a usage error (a test path not found) and nothing collected


# -- mutants ------------------------------------------------------------------------------------

FLIP = {ast.Eq: ast.NotEq, ast.NotEq: ast.Eq, ast.Lt: ast.GtE, ast.GtE: ast.Lt, ast.Gt: ast.LtE,
        ast.LtE: ast.Gt, ast.In: ast.NotIn, ast.NotIn: ast.In, ast.Is: ast.IsNot, ast.IsNot: ast.Is}


@dataclass(frozen=True)
class Mutant:
    file: str
    index: int  # the n-th mutation point of the file
    line: int
    what: str

    @property
    def name(self) -> str:
        return f"{self.file}:{self.line}#{self.index}"


def _docstring(node) -> bool:
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)


def _points(tree: ast.AST):
    """(node, kind, description) for every place a mutation can be made, in a stable order."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            for i, op in enumerate(node.ops):
                if type(op) in FLIP:
                    yield node, ("compare", i), f"{type(op).__name__} → {FLIP[type(op)].__name__}"
        elif isinstance(node, ast.BoolOp):
            yield node, ("boolop",), f"{type(node.op).__name__} → {'Or' if isinstance(node.op, ast.And) else 'And'}"
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            yield node, ("not",), "`not` dropped"
        elif isinstance(node, (ast.If, ast.IfExp, ast.While)) and not isinstance(node.test, (ast.Compare, ast.BoolOp,
                                                                                             ast.UnaryOp)):
            yield node, ("negate",), "condition negated"
        elif isinstance(node, ast.Constant) and isinstance(node.value, bool):
            yield node, ("bool",), f"{node.value} → {not node.value}"
        elif isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
            yield node, ("number",), f"{node.value!r} → {node.value + 1!r}"
        elif isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub)) and not _strings(node):
            yield node, ("binop",), f"{type(node.op).__name__} → {'Sub' if isinstance(node.op, ast.Add) else 'Add'}"
        elif isinstance(node, ast.Expr) and isinstance(node.value, (ast.Yield, ast.YieldFrom)):
            yield node, ("drop",), "verdict not yielded"
        elif isinstance(node, (ast.Continue, ast.Break)):
            yield node, ("loop",), f"{type(node).__name__.lower()} → {'break' if isinstance(node, ast.Continue) else 'continue'}"


def _strings(node: ast.BinOp) -> bool:
    return any(isinstance(side, (ast.Constant, ast.JoinedStr)) and isinstance(getattr(side, "value", ""), str)
               or isinstance(side, ast.JoinedStr) for side in (node.left, node.right))


def _apply(node, kind) -> ast.AST:
    """The replacement of `node` for mutation `kind`."""
    if kind[0] == "compare":
        node.ops[kind[1]] = FLIP[type(node.ops[kind[1]])]()
    elif kind[0] == "boolop":
        node.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
    elif kind[0] == "not":
        return node.operand
    elif kind[0] == "negate":
        node.test = ast.UnaryOp(op=ast.Not(), operand=node.test)
    elif kind[0] == "bool":
        node.value = not node.value
    elif kind[0] == "number":
        node.value = node.value + 1
    elif kind[0] == "binop":
        node.op = ast.Sub() if isinstance(node.op, ast.Add) else ast.Add()
    elif kind[0] == "drop":
        return ast.Pass()
    elif kind[0] == "loop":
        return ast.Break() if isinstance(node, ast.Continue) else ast.Continue()
    return node


def mutants_of(path: str) -> list[Mutant]:
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    skipped = _skipped_nodes(tree)
    return [Mutant(path, i, getattr(node, "lineno", 0), what)
            for i, (node, kind, what) in enumerate(p for p in _points(tree) if id(p[0]) not in skipped)]


def _skipped_nodes(tree) -> set[int]:
    """Docstrings, `__all__` and decorator arguments (a cache's size) are not behaviour, nor how
    much of a text a message keeps (the numbers of a slice), nor a split's maxsplit where the
    first piece is all that is kept."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Slice):
            out |= {id(n) for n in ast.walk(node) if isinstance(n, ast.Constant)}
        for decorator in getattr(node, "decorator_list", ()):  # a cache's size, a frozen dataclass
            out |= {id(n) for n in ast.walk(decorator) if isinstance(n, ast.Constant)}
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") in ("split", "rsplit"):
            out |= {id(n) for arg in node.args[1:] for n in ast.walk(arg)}  # maxsplit: the pieces kept are alike
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and _docstring(body[0]):
            out |= {id(n) for n in ast.walk(body[0])}
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            out |= {id(n) for n in ast.walk(node)}
    return out


def mutated_source(mutant: Mutant) -> str:
    tree = ast.parse((ROOT / mutant.file).read_text(encoding="utf-8"))
    skipped = _skipped_nodes(tree)
    node, kind, _ = [p for p in _points(tree) if id(p[0]) not in skipped][mutant.index]

    class Swap(ast.NodeTransformer):
        def generic_visit(self, n):
            if n is node:
                return _apply(copy.copy(n) if kind[0] not in ("compare",) else n, kind)
            return super().generic_visit(n)

    return ast.unparse(ast.fix_missing_locations(Swap().visit(tree)))


# -- running ------------------------------------------------------------------------------------

def _copy(work: pathlib.Path) -> None:
    for item in ROOT.iterdir():
        if item.name in (".git", "reports", "mutants", ".tox", ".venv", "build", "dist"):
            continue
        if item.is_dir():
            shutil.copytree(item, work / item.name, ignore=SKIP)
        else:
            shutil.copy2(item, work / item.name)


def _preload(work: pathlib.Path) -> None:
    """What every mutant's tests import and no mutant changes: third-party libraries, the spec."""
    sys.path[:0] = [str(work)]
    sys.path[:] = [p for p in sys.path if pathlib.Path(p or ".").resolve() != ROOT]
    os.chdir(work)
    import boto3  # noqa: F401
    import botocore.session  # noqa: F401
    import hypothesis  # noqa: F401
    import jsonschema  # noqa: F401
    import moto  # noqa: F401
    import openapi_core  # noqa: F401
    import pytest  # noqa: F401
    from personalize_conformance.specs import load_spec
    load_spec()
    assert "personalize_conformance.checks" not in sys.modules, "the preload must not import what is mutated"


def _run_one(work: pathlib.Path, mutant: Mutant) -> tuple[str, float]:
    """'killed', 'survived', 'timeout' (killed) or 'unjudged' (the tests did not run), with the
    seconds it took."""
    target = work / mutant.file
    original = target.read_text(encoding="utf-8")
    target.write_text(mutated_source(mutant), encoding="utf-8")
    started = time.monotonic()
    try:
        pid = os.fork()
        if pid == 0:  # the child: a fresh import of the package, the mutated file among it
            try:
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, 1)
                os.dup2(devnull, 2)
                import pytest
                code = pytest.main([*PYTEST_ARGS, *TESTS.get(mutant.file, RESPONSE_TESTS)])
            except BaseException:
                code = 3
            os._exit(int(code))
        deadline = started + TIMEOUT
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                code = os.waitstatus_to_exitcode(status)
                verdict = "survived" if code == 0 else "unjudged" if code in UNJUDGED else "killed"
                return verdict, time.monotonic() - started
            if time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                return "timeout", time.monotonic() - started
            time.sleep(0.02)
    finally:
        target.write_text(original, encoding="utf-8")


def worker(work: pathlib.Path, mutants: list[Mutant], out) -> None:
    _copy(work)
    _preload(work)
    for mutant in mutants:
        verdict, seconds = _run_one(work, mutant)
        out.write(f"{verdict}\t{seconds:.2f}\t{mutant.name}\t{mutant.what}\n")
        out.flush()


def files(patterns) -> list[str]:
    found = []
    for pattern in patterns:
        found += sorted(str(p.relative_to(ROOT)) for p in ROOT.glob(pattern)
                        if p.name != "__init__.py" and p.is_file())
    return found


def run_own(args) -> int:
    chosen = [m for f in files(args.files or TARGETS) for m in mutants_of(f)
              if not args.only or any(name in m.name for name in args.only)]
    if args.list:
        for m in chosen:
            print(f"{m.name}\t{m.what}")
        print(f"{len(chosen)} mutants")
        return 0
    scratch = pathlib.Path(tempfile.mkdtemp(prefix="pc-mutation-"))
    jobs = max(1, args.jobs)
    shares = [chosen[i::jobs] for i in range(jobs)]
    print(f"{len(chosen)} mutants of {len(set(m.file for m in chosen))} files, {jobs} workers, in {scratch}",
          flush=True)
    procs, logs = [], []
    for i, share in enumerate(shares):
        log = scratch / f"worker-{i}.tsv"
        logs.append(log)
        spec = ";".join(f"{m.file}|{m.index}|{m.line}|{m.what}" for m in share)
        procs.append(subprocess.Popen([sys.executable, "-m", "bench.mutation", "--worker", str(scratch / f"w{i}"),
                                       "--log", str(log)], stdin=subprocess.PIPE, text=True, cwd=ROOT))
        procs[-1].stdin.write(spec)
        procs[-1].stdin.close()
    started = time.monotonic()
    while any(p.poll() is None for p in procs):
        time.sleep(5)
        done = sum(len(l.read_text().splitlines()) for l in logs if l.exists())
        print(f"\r  {done}/{len(chosen)} mutants, {time.monotonic() - started:.0f}s", end="", flush=True)
    rows = [line.split("\t") for log in logs if log.exists() for line in log.read_text().splitlines()]
    print()
    survived = sorted((r for r in rows if r[0] == "survived"), key=lambda r: r[2])
    counts = {k: sum(r[0] == k for r in rows) for k in ("killed", "timeout", "survived", "unjudged")}
    print(f"{len(rows)} mutants run: {counts['killed']} killed, {counts['timeout']} timed out (killed), "
          f"{counts['survived']} survived, in {time.monotonic() - started:.0f}s")
    for r in survived:
        print(f"  survived  {r[2]}  {r[3]}")
    shutil.rmtree(scratch, ignore_errors=True)
    if counts["unjudged"]:
        print(f"{counts['unjudged']} mutants were not judged: their tests did not run (a test path not found, "
              f"nothing collected)", file=sys.stderr)
        return 2
    if len(rows) < len(chosen):
        print(f"{len(chosen) - len(rows)} mutants were not run (a worker died)", file=sys.stderr)
        return 2
    return 1 if any(r[2].startswith(MUST_DIE) for r in survived) else 0


def run_worker(work: pathlib.Path, log: pathlib.Path) -> int:
    mutants = []
    for item in filter(None, sys.stdin.read().split(";")):
        file, index, line, what = item.split("|", 3)
        mutants.append(Mutant(file, int(index), int(line), what))
    with log.open("w", encoding="utf-8") as out:
        worker(work, mutants, out)
    return 0


# -- mutmut ---------------------------------------------------------------------------------------

PACKAGE = "personalize_conformance"
STAGES = ("specs", "contracts", "strategies", "targets", "checks", "reporting", "runner", "emulator", "cli", "suite")


def run_mutmut(args) -> int:
    """mutmut over the package laid out as a wheel lays it out, in a scratch folder."""
    try:
        import mutmut  # noqa: F401
    except ImportError:
        print("mutmut is not installed: pip install 'personalize-conformance[mutation]'", file=sys.stderr)
        return 2
    work = pathlib.Path(tempfile.mkdtemp(prefix="pc-mutmut-"))
    shutil.copytree(ROOT / PACKAGE, work / PACKAGE, ignore=SKIP)
    for stage in STAGES:
        shutil.copytree(ROOT / stage, work / PACKAGE / stage, ignore=SKIP)
    for name in ("tests", "conftest.py", "pyproject.toml"):
        (shutil.copytree if (ROOT / name).is_dir() else shutil.copy2)(ROOT / name, work / name)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    print(f"mutmut in {work}", flush=True)
    proc = subprocess.run([sys.executable, "-c", "from mutmut.__main__ import cli; cli()", "run",
                           "--max-children", str(args.jobs)], cwd=work, env=env)
    results = subprocess.run([sys.executable, "-c", "from mutmut.__main__ import cli; cli()", "results"],
                             cwd=work, env=env, capture_output=True, text=True)
    print(results.stdout)
    print(f"(diffs: cd {work} && mutmut show NAME)")
    return proc.returncode


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", nargs="*", help=f"files to mutate (default: {' '.join(TARGETS)})")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2, help="parallel workers")
    parser.add_argument("--only", nargs="*", help="mutants whose name holds one of these (`checks/wire.py:17#`)")
    parser.add_argument("--list", action="store_true", help="print the mutants, run nothing")
    parser.add_argument("--mutmut", action="store_true", help="run mutmut with [tool.mutmut] instead")
    parser.add_argument("--worker", type=pathlib.Path, help=argparse.SUPPRESS)
    parser.add_argument("--log", type=pathlib.Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        return run_worker(args.worker, args.log)
    return run_mutmut(args) if args.mutmut else run_own(args)


if __name__ == "__main__":
    sys.exit(main())
