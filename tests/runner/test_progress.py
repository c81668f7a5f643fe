"""Progress by stage: a live line per stage on a terminal, one line per stage in a log, and a
line that keeps moving while the lifecycles run."""
from __future__ import annotations

import functools
import io
import os
import pathlib
import pty
import re
import select
import subprocess
import sys
import time

from personalize_conformance.runner import RunOptions, conformance_run
from personalize_conformance.runner import progress as progress_module
from personalize_conformance.runner.lifecycle import lifecycle_stage
from personalize_conformance.runner.progress import Progress
from personalize_conformance.runner.records import CaseRecord
from personalize_conformance.strategies import Case

from tests.safety.cli import run_cli

ROOT = pathlib.Path(__file__).resolve().parents[2]


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _record(failed: bool = False):
    from personalize_conformance.checks import Finding
    return CaseRecord(Case.from_params("ListSchemas", {}), None, [Finding("x", "fail" if failed else "pass")])


def _stages(progress: Progress, clock: Clock) -> None:
    records: list = []
    done = [0]
    progress.begin("stateless", records, unit="operations", count=lambda: (done[0], 3))
    for i in range(3):
        records += [_record(), _record(failed=i == 1)]
        done[0] = i + 1
        clock.now += 0.5
        progress.update()
    progress.end()
    progress.begin("teardown")
    clock.now += 0.25
    progress.end("done")


def test_off_a_terminal_each_stage_prints_one_line_when_it_ends():
    stream, clock = io.StringIO(), Clock()
    _stages(Progress(stream, live=False, clock=clock), clock)
    assert stream.getvalue() == ("[stateless] 3/3 operations, 6 cases, 1 failing, 1.5s\n"
                                 "[teardown] 0.2s (done)\n")


def test_on_a_terminal_the_line_is_redrawn_and_kept_when_the_stage_ends():
    stream, clock = io.StringIO(), Clock()
    _stages(Progress(stream, live=True, clock=clock), clock)
    text = stream.getvalue()
    redraws = re.findall(r"\r\x1b\[K\[stateless\] (\d)/3 operations", text)
    assert redraws[:4] == ["0", "1", "2", "3"]  # every update moved the line
    lines = text.split("\n")
    assert lines[0].endswith("[stateless] 3/3 operations, 6 cases, 1 failing, 1.5s")
    assert lines[1].endswith("[teardown] 0.2s (done)") and lines[2] == ""


def test_a_live_line_is_not_redrawn_more_than_ten_times_a_second():
    stream, clock = io.StringIO(), Clock()
    progress = Progress(stream, live=True, clock=clock)
    progress.begin("lifecycles", [])
    for _ in range(100):
        progress.update()  # every request calls this: only the first of the same instant draws
    assert stream.getvalue().count("\r") == 1


OPERATIONS = ["CreateDatasetGroup", "CreateSchema", "DescribeDatasetGroup", "ListDatasetGroups"]


def test_the_progress_line_moves_through_the_lifecycles_instead_of_freezing(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(progress_module, "REDRAW_EVERY", 0.0)
    stage = functools.partial(lifecycle_stage, types=["schema", "dataset-group"])
    conformance_run(RunOptions(seed=3, examples=2, operations=OPERATIONS, out_dir=str(tmp_path), progress=True),
                    stages=[stage])
    err = capsys.readouterr().err
    scenarios = [int(n) for n in re.findall(r"\[lifecycles\] (\d+)/\d+ scenarios", err)]
    assert len(set(scenarios)) > 3 and scenarios == sorted(scenarios)  # counted up, one scenario at a time
    cases = [int(n.replace(",", "")) for n in re.findall(r"\[lifecycles\] \d+/\d+ scenarios, ([\d,]+) cases", err)]
    assert len(set(cases)) > 10  # and between scenarios, request by request


def test_a_run_off_a_terminal_logs_one_line_per_stage(capsys, tmp_path):
    proc = run_cli(capsys, "run", "--examples", "1", "--hypothesis-seed", "2", "--out", str(tmp_path),
                   "--operation", "ListSchemas", "--operation", "DescribeSchema")
    stages = [line.split("]")[0] + "]" for line in proc.stderr.splitlines() if line.startswith("[")]
    assert stages == ["[stateless]", "[lifecycles]", "[teardown]"], proc.stderr
    assert "\r" not in proc.stderr
    assert "[stateless] 2/2 operations" in proc.stderr
    assert "[lifecycles] 1/1 scenarios" in proc.stderr  # the schema's lifecycle: the one reaching both


def test_a_run_on_a_terminal_shows_live_progress_by_stage(tmp_path):
    main, tty = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "personalize_conformance", "run", "--examples", "1", "--hypothesis-seed", "2",
         "--out", str(tmp_path), "--operation", "ListSchemas", "--operation", "DescribeSchema"],
        stdout=subprocess.DEVNULL, stderr=tty, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    os.close(tty)
    seen = b""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        ready, _, _ = select.select([main], [], [], 1.0)
        if ready:
            try:
                chunk = os.read(main, 65536)
            except OSError:  # the other end closed: the run is over
                break
            if not chunk:
                break
            seen += chunk
        elif proc.poll() is not None:
            break
    proc.wait(timeout=30)
    os.close(main)
    text = seen.decode("utf-8", "replace")
    assert proc.returncode == 0, text
    assert "\r\x1b[K[stateless] 0/2 operations" in text
    for stage in ("[stateless] 2/2 operations", "[lifecycles]", "[teardown]"):
        assert stage in text, text
