"""A broken target gets findings or UNAVAILABLE, never a crash, and never an endless run."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time

import pytest

from personalize_conformance.emulator import Emulator
from personalize_conformance.runner import RunOptions, conformance_run, exit_code, stateless
from personalize_conformance.targets import TargetTimeout, TargetUnavailable, make_target

from tests.safety.cli import run_cli

from .broken import CLOSE, HANG, RESET, BrokenServer, proxy, response, then_close

FEW = ["ListSchemas", "DescribeSchema", "CreateSchema"]
EVERY_KIND = ["CreateSolution", "TagResource"]


def _run(url, tmp_path, operations=FEW, timeout=2.0, examples=3):
    options = RunOptions(target=url, seed=11, examples=examples, operations=operations, timeout=timeout,
                         out_dir=str(tmp_path), progress=False)
    return conformance_run(options)


def _outcomes(doc):
    return {(c["operation"], f["outcome"]) for c in doc["cases"] for f in c["findings"]}


# -- hangs ----------------------------------------------------------------------------------------

def test_a_hanging_operation_is_reported_as_a_timeout_and_the_run_goes_on(tmp_path):
    emulate = proxy(Emulator())
    with BrokenServer(lambda req: HANG if req.operation == "DescribeSchema" else emulate(req)) as server:
        doc, _ = _run(server.url, tmp_path, ["DescribeSchema", "ListSchemas"], timeout=0.4)
    assert doc["operations"]["DescribeSchema"]["status"] == "UNAVAILABLE"
    messages = [f["message"] for c in doc["cases"] if c["operation"] == "DescribeSchema" for f in c["findings"]]
    assert any("no answer within 0.4s" in m for m in messages)
    assert doc["operations"]["ListSchemas"]["status"] == "PASS"


def test_a_run_against_a_hanging_target_finishes_within_its_timeouts(tmp_path):
    with BrokenServer(lambda req: HANG) as server:
        started = time.monotonic()
        doc, out = _run(server.url, tmp_path, operations=None, timeout=0.3)
        elapsed = time.monotonic() - started
    # Every one of the 71 operations is reported, yet the target cost only a few timeouts: after
    # three requests in a row without an answer the rest are not sent.
    assert len(doc["operations"]) == 71
    assert {row["status"] for row in doc["operations"].values()} == {"UNAVAILABLE"}
    assert elapsed < 71 * 0.3 / 2
    assert exit_code(doc) == 2
    assert (out / "summary.md").exists()


def test_a_target_trickling_bytes_cannot_hold_a_request_past_its_timeout():
    def trickle(conn, stop):
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n")
        for _ in range(100):  # one byte every 0.1 s: each read succeeds, the whole never ends
            if stop.wait(0.1):
                return
            conn.sendall(b" ")

    with BrokenServer(lambda req: trickle) as server:
        target = make_target(server.url, timeout=0.5)
        started = time.monotonic()
        with pytest.raises(TargetTimeout):
            target.send("ListSchemas", b"{}")
        assert time.monotonic() - started < 2.0
        target.close()


# -- refused and reset ----------------------------------------------------------------------------

def test_a_connection_reset_before_the_answer_is_unavailable_not_a_crash():
    with BrokenServer(lambda req: RESET) as server:
        target = make_target(server.url, timeout=2)
        with pytest.raises(TargetUnavailable, match="reset|closed|lost"):
            target.send("ListSchemas", b"{}")
        target.close()


def test_a_connection_closed_without_an_answer_is_unavailable(tmp_path):
    with BrokenServer(lambda req: CLOSE) as server:
        doc, _ = _run(server.url, tmp_path, ["ListSchemas"])
    assert doc["operations"]["ListSchemas"]["status"] == "UNAVAILABLE"
    assert ("ListSchemas", "unavailable") in _outcomes(doc)


def _refusing_from(operation: str):
    """A server that answers like the emulator until `operation` arrives, then stops listening."""
    emulate = proxy(Emulator())
    holder = {}

    def respond(req):
        if req.operation == operation:
            threading.Thread(target=holder["server"].stop_listening, daemon=True).start()
            return RESET
        return emulate(req)
    server = BrokenServer(respond)
    holder["server"] = server
    return server


def test_a_target_refusing_mid_run_exits_2_with_one_clear_line(tmp_path, capsys):
    server = _refusing_from("ListDatasetGroups")
    operations = ["ListSchemas", "DescribeRecipe", "ListDatasetGroups", "ListSolutions", "ListCampaigns"]
    try:
        proc = run_cli(capsys, "run", "--target", server.url, "--examples", "3", "--hypothesis-seed", "3",
                       "--timeout", "2", "--out", str(tmp_path),
                       *[arg for op in operations for arg in ("--operation", op)])
    finally:
        server.stop()
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip() and not line.startswith("[")]
    assert len(lines) == 1, proc.stderr  # besides one progress line per stage
    assert "unavailable" in lines[0] and server.url in lines[0]
    report = next(tmp_path.glob("*/results.json"))
    doc = json.loads(report.read_text())
    statuses = {name: row["status"] for name, row in doc["operations"].items()}
    assert statuses["ListSchemas"] == statuses["DescribeRecipe"] == "PASS"  # before the refusal
    assert statuses["ListDatasetGroups"] == statuses["ListSolutions"] == statuses["ListCampaigns"] == "UNAVAILABLE"


# -- malformed answers ----------------------------------------------------------------------------

HUGE = response(200, b'{"schemas": [' + b'{"name": "x"},' * 150_000 + b'{"name": "y"}]}')  # 2 MB

MALFORMED = {
    "not JSON": lambda req: response(200, b"<html>oops</html>"),
    "truncated": lambda req: then_close(response(200, b'{"schemas": [{"name": "a', content_length=400)),
    "huge": lambda req: HUGE,
    "wrong encoding": lambda req: response(200, '{"schemas": [], "nextToken": "é"}'.encode("utf-16")),
    "wrong content type": lambda req: response(200, b'{"schemas": []}', {"Content-Type": "text/html"}),
    "JSON array": lambda req: response(200, b"[1, 2, 3]"),
    "error without code": lambda req: response(400, b"bad"),
    "status out of range": lambda req: response(999, b"{}"),
}


@pytest.mark.parametrize("kind", list(MALFORMED))
def test_a_malformed_answer_is_a_finding_never_a_crash(kind, tmp_path, monkeypatch):
    monkeypatch.setattr(stateless, "SHRINK_SECONDS_PER_OPERATION", 0.5)  # minimal examples are not the point here
    with BrokenServer(MALFORMED[kind]) as server:
        doc, out = _run(server.url, tmp_path, ["ListSchemas"], examples=1)
    assert doc["cases"], "every operation leaves at least one case"
    for case in doc["cases"]:
        outcomes = {f["outcome"] for f in case["findings"]}
        assert outcomes, f"{kind}: a case without findings"
        assert "error" not in outcomes, f"{kind}: harness error {case['findings']}"
        assert "unavailable" not in outcomes, f"{kind}: an answer, however bad, is not unavailability"
    assert doc["operations"]["ListSchemas"]["status"] == "FAIL"  # an answer that says nothing of a missing
    # operation is judged, never taken for one
    assert json.loads((out / "results.json").read_text())["run_id"] == doc["run_id"]
    if kind == "huge":  # several MB on the wire, a few KB in the report
        kept = doc["cases"][0]["response"]
        assert kept["body_truncated"] is True and len(kept["body"]) <= 4096


def test_500_to_everything_gives_every_case_a_finding_and_a_complete_report(tmp_path, monkeypatch):
    monkeypatch.setattr(stateless, "SHRINK_SECONDS_PER_OPERATION", 0.5)
    body = json.dumps({"__type": "InternalFailure", "message": "boom"}).encode()
    with BrokenServer(lambda req: response(500, body, {"x-amzn-ErrorType": "InternalFailure"})) as server:
        doc, out = _run(server.url, tmp_path, operations=EVERY_KIND, examples=2)
    assert set(doc["operations"]) == set(EVERY_KIND)
    assert all(case["findings"] for case in doc["cases"])
    assert not any(f["outcome"] == "error" for c in doc["cases"] for f in c["findings"])
    assert {row["status"] for row in doc["operations"].values()} == {"FAIL"}
    assert exit_code(doc) == 1
    assert (out / "summary.md").exists() and (out / "results.json").exists()


# -- nothing judged -----------------------------------------------------------------------------------

HTML_500 = response(500, b"<!doctype html>\n<title>500 Internal Server Error</title>\n<h1>Internal Server Error</h1>",
                    {"Content-Type": "text/html; charset=utf-8"})
UNKNOWN = response(400, json.dumps({"__type": "UnknownOperationException", "message": None}).encode(),
                   {"x-amzn-ErrorType": "UnknownOperationException"})


@pytest.mark.slow
def test_a_target_answering_html_500_to_everything_fails_every_operation_and_exits_1(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(stateless, "SHRINK_SECONDS_PER_OPERATION", 0.2)  # minimal examples are not the point here
    with BrokenServer(lambda req: HTML_500) as server:
        proc = run_cli(capsys, "run", "--target", server.url, "--examples", "1", "--hypothesis-seed", "5",
                       "--timeout", "5", "--out", str(tmp_path))
    assert proc.returncode == 1, proc.stderr
    doc = json.loads(next(tmp_path.glob("*/results.json")).read_text())
    assert len(doc["operations"]) == 71
    assert {name for name, row in doc["operations"].items() if row["status"] != "FAIL"} == set()
    assert {name for name, row in doc["operations"].items() if row["checks"]["errors.no-5xx"] != "FAIL"} == set()
    assert not any(f["outcome"] == "not-implemented" for c in doc["cases"] for f in c["findings"])


def test_a_target_answering_only_unknown_operation_implements_nothing_and_does_not_pass(tmp_path, capsys):
    with BrokenServer(lambda req: UNKNOWN) as server:
        proc = run_cli(capsys, "run", "--target", server.url, "--examples", "2", "--hypothesis-seed", "5",
                       "--timeout", "5", "--out", str(tmp_path))
    assert proc.returncode == 2, proc.stdout + proc.stderr  # nothing could be judged
    lines = [line for line in proc.stdout.splitlines() if "nothing" in line]
    assert len(lines) == 1 and "nothing implemented" in lines[0], proc.stdout
    assert "Traceback" not in proc.stderr
    doc = json.loads(next(tmp_path.glob("*/results.json")).read_text())
    assert {row["status"] for row in doc["operations"].values()} == {"NOT IMPLEMENTED"}
    assert len(doc["operations"]) == 71
    assert {s["verdict"] for r in doc["lifecycles"]["resources"].values() for s in r["scenarios"].values()} <= {
        "NOT IMPLEMENTED", "NOT APPLICABLE"}


def _suite(tmp_path, url, subset):
    """The conformance suite under pytest, in a process of its own, against `url`."""
    env = {**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    tmp_path.mkdir(parents=True)
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "_hypothesis_pytestplugin", "-p",
         "personalize_conformance.runner.pytest_plugin", "-q", "-p", "no:cacheprovider", "--hypothesis-seed", "5",
         "--conformance-examples", "1", "--target", url, "--reports-dir", str(tmp_path), "-k", subset,
         "--pyargs", "personalize_conformance.suite"],
        capture_output=True, text=True, timeout=240, cwd=tmp_path, env=env)
    reports = list(tmp_path.glob("*/results.json"))
    assert len(reports) == 1, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc, json.loads(reports[0].read_text())


def test_under_pytest_html_500_fails_and_unknown_operation_does_not_pass(tmp_path):
    subset = "test_operation_conforms and (ListSchemas or DescribeRecipe or CreateSchema)"
    with BrokenServer(lambda req: HTML_500) as server:
        proc, doc = _suite(tmp_path / "500", server.url, subset)
    assert proc.returncode == 1, proc.stdout[-2000:]
    assert {row["status"] for row in doc["operations"].values()} == {"FAIL"}
    assert {row["checks"]["errors.no-5xx"] for row in doc["operations"].values()} == {"FAIL"}
    with BrokenServer(lambda req: UNKNOWN) as server:
        proc, doc = _suite(tmp_path / "unknown", server.url, subset)
    assert proc.returncode == 1, proc.stdout[-2000:]
    assert "nothing implemented" in proc.stdout
    assert {row["status"] for row in doc["operations"].values()} == {"NOT IMPLEMENTED"}


def test_shrinking_against_a_target_failing_everything_is_bounded_per_operation(tmp_path):
    body = json.dumps({"__type": "InternalFailure", "message": "boom"}).encode()
    operations = ["CreateBatchInferenceJob"]  # a deep request: minutes to shrink, unbounded
    with BrokenServer(lambda req: response(500, body, {"x-amzn-ErrorType": "InternalFailure"})) as server:
        started = time.monotonic()
        doc, _ = _run(server.url, tmp_path, operations=operations, examples=2)
        elapsed = time.monotonic() - started
    assert {row["status"] for row in doc["operations"].values()} == {"FAIL"}
    assert any(c["shrunk"] for c in doc["cases"])
    # Unbounded, this takes over four minutes; bounded, its shrink budget and the generation of
    # its hundred-odd probes (slow on a loaded machine, hence the margin).
    assert elapsed < 60
