"""Acceptance: a run stopped halfway by SIGINT or SIGTERM leaves nothing behind on the target.

The run is a separate process, exactly as a user starts it; the target is the bundled emulator
served from this process, so what is left is checked by listing every resource type afterwards.
"""
from __future__ import annotations

import json
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from personalize_conformance.emulator import Emulator, serve
from personalize_conformance.targets import make_target
from personalize_conformance.targets.inprocess import HARNESS_EMULATOR

from tests.robustness.broken import BrokenServer, proxy

from .chain import remaining

SETTLE = 60.0  # seconds any one wait may take
OPERATIONS = ["CreateDatasetGroup", "CreateSchema", "DescribeDatasetGroup", "DescribeSchema",
              "ListDatasetGroups", "ListSchemas", "UpdateDataset", "UpdateSolution"]


def _bystander(url: str) -> str:
    target = make_target(url)
    body = target.send("CreateDatasetGroup", json.dumps({"name": "not-the-runs"}).encode()).body
    target.close()
    return json.loads(body)["datasetGroupArn"]


def _wait_for(predicate, proc):
    deadline = time.monotonic() + SETTLE
    while time.monotonic() < deadline:
        if predicate():
            return
        if proc.poll() is not None:
            pytest.fail(f"the run ended before it could be interrupted: {proc.communicate()}")
        time.sleep(0.05)
    proc.kill()
    pytest.fail("the run never got far enough to be interrupted")


def _count_created(server, bystander: str) -> int:
    """Resources on the target that are not the bystander: off AWS, the run's names are not stamped."""
    return sum(1 for arns in remaining(make_target(server.url)).values() for a in arns if a != bystander)


def test_ctrl_c_halfway_through_a_cli_run_leaves_zero_resources(tmp_path):
    with serve(port=0, timing="describes:1", quotas=False) as server:
        bystander = _bystander(server.url)
        proc = subprocess.Popen(
            [sys.executable, "-m", "personalize_conformance", "run", "--target", server.url, "--run-id", "sigint-run",
             "--examples", "60", "--hypothesis-seed", "1", "--out", str(tmp_path),
             *[arg for op in OPERATIONS for arg in ("--operation", op)]],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        _wait_for(lambda: _count_created(server, bystander) >= 3, proc)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=SETTLE)
        left = remaining(make_target(server.url))
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    assert "interrupted: teardown done" in err and "partial report" in err
    assert left == {"dataset-group": [bystander]}
    doc = json.loads((tmp_path / "sigint-run" / "results.json").read_text())
    assert doc["teardown"]["status"] == "done" and doc["teardown"]["deleted"]
    assert set(doc["operations"]) == set(OPERATIONS)  # the whole plan; what was not reached is NOT RUN


STAGED = textwrap.dedent("""
    import sys, time
    from personalize_conformance.runner import RunOptions, conformance_run
    from tests.safety.chain import build

    def chain_then_wait(spec, target, result):
        build(target, target.name_prefix)
        print("built", flush=True)
        time.sleep(60)  # the signal comes while the stage is busy

    options = RunOptions(target=sys.argv[1], operations=["ListSchemas"], examples=1, out_dir=sys.argv[2],
                         run_id="sigterm-run", progress=False)
    try:
        conformance_run(options, stages=[chain_then_wait])
    except KeyboardInterrupt:
        sys.exit(130)
""")


def test_sigterm_during_a_stage_that_built_a_tree_leaves_zero_resources(tmp_path):
    with serve(port=0, timing="describes:1", quotas=False) as server:
        bystander = _bystander(server.url)
        proc = subprocess.Popen([sys.executable, "-c", STAGED, server.url, str(tmp_path)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                cwd=str(__import__("pathlib").Path(__file__).resolve().parents[2]))
        assert proc.stdout.readline().strip() == "built", proc.stderr.read()
        assert _count_created(server, bystander) >= 8
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=SETTLE)
        left = remaining(make_target(server.url))
    assert proc.returncode == 130, err
    assert left == {"dataset-group": [bystander]}
    doc = json.loads((tmp_path / "sigterm-run" / "results.json").read_text())
    assert doc["teardown"]["status"] == "done"
    assert len(doc["teardown"]["deleted"]) == 8 and len(doc["teardown"]["left_to_parent"]) == 5


def test_an_interrupted_run_reports_every_case_it_judged_before_the_interrupt(tmp_path):
    with BrokenServer(proxy(Emulator(**HARNESS_EMULATOR))) as server:  # the emulator, logging what reached it
        proc = subprocess.Popen(
            [sys.executable, "-m", "personalize_conformance", "run", "--target", server.url, "--run-id", "partial",
             "--examples", "25", "--hypothesis-seed", "1", "--out", str(tmp_path),
             *[arg for op in OPERATIONS for arg in ("--operation", op)]],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        named = lambda: [op for op in server.operations() if op]  # noqa: E731 - some probes drop the header
        _wait_for(lambda: len(set(named())) >= 4, proc)  # into the fourth operation
        reached = list(dict.fromkeys(named()))  # in the order the run reached them
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=SETTLE)
    assert proc.returncode == 130, err
    doc = json.loads((tmp_path / "partial" / "results.json").read_text())
    judged = [c["operation"] for c in doc["cases"]]
    # Every operation finished before the interrupt is there whole; the one it cut short (the
    # last reached, whose first answer may not have been judged yet) with what it had judged.
    finished = reached[:-1]
    assert set(finished) <= set(judged), (reached, sorted(set(judged)))
    assert all(judged.count(op) >= 10 for op in finished)  # 25 examples each, not a token case
    assert all(c["findings"] for c in doc["cases"])
    statuses = {name: row["status"] for name, row in doc["operations"].items()}
    assert {statuses[op] for op in OPERATIONS if op not in reached} == {"NOT RUN"}
    assert doc["totals"]["operations"] == len(OPERATIONS)
