"""`--timeout` bounds every wait on a target that can hang: each kind of target that talks over a
socket, the command line, lifecycle polling and the state machine."""
from __future__ import annotations

import json
import threading
import time

import pytest

from personalize_conformance.emulator import Emulator
from personalize_conformance.runner.lifecycle_driver import Driver, Unavailable
from personalize_conformance.runner.polling import PollPolicy
from personalize_conformance.runner.safety import SafeTarget
from personalize_conformance.specs import load_spec
from personalize_conformance.targets import TargetTimeout, make_target
from personalize_conformance.targets.inprocess import HARNESS_EMULATOR

from tests.safety.cli import run_cli

from .broken import HANG, BrokenServer, proxy

SPEC = load_spec()
TIMEOUT = 0.5
SLACK = 2.0  # seconds beyond the timeout a loaded machine may add


def _hanging_on(*operations):
    emulate = proxy(Emulator(**HARNESS_EMULATOR))
    return BrokenServer(lambda req: HANG if req.operation in operations else emulate(req))


def _times_out(target, operation="ListSchemas") -> float:
    started = time.monotonic()
    with pytest.raises(TargetTimeout, match=f"within {TIMEOUT:g}s"):
        target.send(operation, b"{}")
    return time.monotonic() - started


@pytest.mark.parametrize("kind", ["url", "aws"])
def test_a_target_over_a_socket_gives_up_after_its_timeout(kind, fake_aws_env):
    with _hanging_on("ListSchemas") as server:
        target = (make_target(server.url, timeout=TIMEOUT) if kind == "url" else
                  make_target("aws", allow_aws=True, endpoint_url=server.url, timeout=TIMEOUT))
        try:
            assert _times_out(target) < TIMEOUT + SLACK
        finally:
            target.close()


def test_the_emulator_server_gives_up_after_its_timeout():
    target = make_target("emulator-server", timeout=TIMEOUT)
    release = threading.Event()
    answer = target.emulator.handle

    def hang(*args):
        release.wait(10)
        return answer(*args)
    target.emulator.handle = hang
    try:
        assert _times_out(target) < TIMEOUT + SLACK
    finally:
        release.set()
        target.close()


def test_the_moto_server_target_takes_the_timeout_it_is_given():
    target = make_target("moto-server", timeout=TIMEOUT)
    try:
        assert target.timeout == TIMEOUT
    finally:
        target.close()


def test_run_timeout_on_the_command_line_bounds_a_hanging_operation(capsys, tmp_path):
    with _hanging_on("DescribeSchema") as server:
        started = time.monotonic()
        proc = run_cli(capsys, "run", "--target", server.url, "--timeout", str(TIMEOUT), "--examples", "2",
                       "--operation", "DescribeSchema", "--operation", "ListSchemas", "--out", str(tmp_path))
        elapsed = time.monotonic() - started
    doc = json.loads(next(tmp_path.glob("*/results.json")).read_text())
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert doc["operations"]["DescribeSchema"]["status"] == "UNAVAILABLE"
    assert doc["operations"]["ListSchemas"]["status"] == "PASS"
    assert any(f"no answer within {TIMEOUT:g}s" in f["message"] for c in doc["cases"] for f in c["findings"])
    assert elapsed < 30  # a 30 s default timeout would have cost that alone


def test_lifecycle_polling_on_a_hanging_describe_costs_at_most_two_timeouts():
    with _hanging_on("DescribeDatasetGroup") as server:
        safe = SafeTarget(make_target(server.url, timeout=TIMEOUT), SPEC, "poll")
        driver = Driver(SPEC, safe, seed=1, poll=PollPolicy(max_wait=60.0, max_polls=1000))
        started = time.monotonic()
        for _ in range(5):  # five scenarios each needing an ACTIVE dataset group
            with pytest.raises(Unavailable):
                driver.active("dataset-group", shared=False)
        elapsed = time.monotonic() - started
        sent = server.operations().count("DescribeDatasetGroup")
        safe.close()
    assert sent == 2 and elapsed < 2 * TIMEOUT + SLACK
    assert "DescribeDatasetGroup" in safe.broken


@pytest.mark.slow
def test_the_state_machine_on_a_hanging_describe_stops_within_a_few_timeouts():
    from personalize_conformance.runner.statemachine import run
    with _hanging_on("DescribeDatasetGroup") as server:
        safe = SafeTarget(make_target(server.url, timeout=TIMEOUT), SPEC, "sm")
        started = time.monotonic()
        outcome = run(SPEC, lambda: safe, examples=3, steps_per_example=10, seed=3,
                      poll=PollPolicy(max_wait=5.0, max_polls=20, delay=0.0, max_delay=0.0), shrink_seconds=5)
        elapsed = time.monotonic() - started
        sent = server.operations().count("DescribeDatasetGroup")
        safe.close()
    assert outcome.failure and "DescribeDatasetGroup" in outcome.failure
    assert sent <= 2 and elapsed < 2 * TIMEOUT + 5 + 2 * SLACK


def test_the_pytest_plugin_takes_its_timeout_from_conformance_timeout(tmp_path):
    import os
    import pathlib
    import subprocess
    import sys
    root = pathlib.Path(__file__).resolve().parents[2]
    with _hanging_on("DescribeSchema") as server:
        started = time.monotonic()
        proc = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly", "--target", server.url,
             "--conformance-timeout", str(TIMEOUT), "--conformance-examples", "1", "--reports-dir", str(tmp_path),
             "-k", "DescribeSchema and valid", "suite/test_stateless.py"],
            capture_output=True, text=True, timeout=120, cwd=root, env={**os.environ, "PYTHONPATH": str(root)})
        elapsed = time.monotonic() - started
    assert f"no answer within {TIMEOUT:g}s" in proc.stdout, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert elapsed < 30  # the 30 s default alone would take that
