"""Wall time of the whole default suite, serial and across pytest-xdist workers, and of `run`.

Each is a fresh process, as CI starts it: interpreter start-up, imports, spec building and
collection are part of what a user waits for, so they are part of the figure.
"""
from __future__ import annotations

import re
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass

from bench.servers import ROOT, child_env

SEED = 1


@dataclass
class SuiteRun:
    label: str
    command: list[str]
    seconds: float
    exit_code: int
    summary: str  # pytest's closing line, or the CLI's first line
    cpu: float = 0.0  # user + system seconds of the process and every worker it waited for


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(label: str, command: list[str], timeout: float) -> SuiteRun:
    cpu_before = _children_cpu()
    started = time.perf_counter()
    try:
        proc = subprocess.run(command, cwd=ROOT, env=child_env(), capture_output=True, text=True,
                              timeout=timeout)
    except subprocess.TimeoutExpired:  # subprocess.run has killed it: report the bound, not a figure
        return SuiteRun(label, command, time.perf_counter() - started, -1,
                        f"stopped after the {timeout:g} s bound", _children_cpu() - cpu_before)
    seconds = time.perf_counter() - started
    cpu = _children_cpu() - cpu_before
    lines = [ln.strip(" =") for ln in proc.stdout.splitlines() if ln.strip()]
    summary = next((ln for ln in reversed(lines) if re.search(r"\b(passed|failed|error|skipped)\b.* in [\d.]+s", ln)),
                   next((ln for ln in lines if ln.startswith("run ")), lines[-1] if lines else ""))
    return SuiteRun(label, command, seconds, proc.returncode, summary, cpu)


def pytest_command(workers: int | None, select: str | None, reports: str) -> list[str]:
    command = [sys.executable, "-m", "pytest", "suite", "-q", "-p", "no:cacheprovider",
               f"--hypothesis-seed={SEED}", f"--reports-dir={reports}"]
    if workers:
        command += ["-n", str(workers)]
    if select:
        command += ["-k", select]
    return command


def cli_command(select: str | None, reports: str) -> list[str]:
    command = [sys.executable, "-m", "personalize_conformance", "run", "--hypothesis-seed", str(SEED), "--out", reports]
    if select:
        command += ["--operation", select]
    return command


def suite_times(*, rounds: int, workers: int = 2, select: str | None = None,
                timeout: float = 900) -> dict[str, SuiteRun]:
    """Best of `rounds` for serial pytest, `pytest -n workers` and `personalize-conformance run`,
    taken in turn so load drift hits them alike."""
    best: dict[str, SuiteRun] = {}
    with tempfile.TemporaryDirectory(prefix="bench-suite-") as reports:
        commands = {"pytest serial": pytest_command(None, select, reports),
                    f"pytest -n {workers}": pytest_command(workers, select, reports),
                    "personalize-conformance run": cli_command(select, reports)}
        for _ in range(rounds):
            for label, command in commands.items():
                run = _run(label, command, timeout)
                if label not in best or run.seconds < best[label].seconds:
                    best[label] = run
    return best


def startup_times(timeout: float = 300) -> list[SuiteRun]:
    """What every pytest process pays before its first test (imports, spec, collection): as the
    project configures pytest (its addopts turn off installed plugins the suite does not use:
    schemathesis's, anyio's, pytest-benchmark's), and with every installed plugin loaded. Paid by
    the controller and by each xdist worker."""
    base = [sys.executable, "-m", "pytest", "suite", "-q", "-p", "no:cacheprovider", "--collect-only"]
    return [_run("collect", base, timeout), _run("collect, every plugin", base + ["-o", "addopts="], timeout)]


def shown(command: list[str]) -> str:
    """A command as a reader would type it (temporary report folders left out)."""
    parts, skip = [], False
    for part in command:
        if skip or part.startswith("--reports-dir="):
            skip = False
            continue
        if part == "--out":
            skip = True
            continue
        parts.append("python" if part == sys.executable else part)
    return " ".join(parts).replace("python -m cli.main", "personalize-conformance")
