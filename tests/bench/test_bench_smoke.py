"""Each benchmark script runs in its tiny mode and prints its table.

A smoke test, not a timing: a benchmark that no longer runs is found in CI, while its figures
are only ever read beside the peer measured in the same run (see bench/README.md).
"""
import os
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCRIPTS = ("bench.emulator_throughput", "bench.harness", "bench.hot_path", "bench.generation")


def _run(module: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    return subprocess.run([sys.executable, "-m", module, "--tiny"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=900)


@pytest.mark.parametrize("module", SCRIPTS)
def test_script_prints_its_table(module):
    proc = _run(module)
    assert proc.returncode == 0, proc.stderr[-3000:]
    lines = proc.stdout.splitlines()
    assert lines and lines[0].startswith("# ") and " cores" in lines[0], proc.stdout[:500]
    assert any(line.startswith("|--") or line.startswith("|-") for line in lines), proc.stdout[:2000]
    rows = [line for line in lines if line.startswith("| ") and "—" not in line[:3]]
    assert len(rows) >= 3, proc.stdout[:2000]
