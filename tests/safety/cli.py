"""The command line in this process: the same `main` the console script runs, outputs captured."""
from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


def run_cli(capsys, *args: str) -> Result:
    from personalize_conformance.cli.main import main
    capsys.readouterr()
    code = main(list(args))
    out, err = capsys.readouterr()
    return Result(code, out, err)


def run_cli_process(*args: str, env=None, timeout=120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "personalize_conformance", *args], capture_output=True, text=True,
                          timeout=timeout, env=env)
