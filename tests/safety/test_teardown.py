"""Teardown deletes everything a run created, children first, however the run ends - and
nothing it did not create."""
from __future__ import annotations

import io
import json
import os
import signal
import sys
import types

import pytest

from personalize_conformance.emulator import serve
from personalize_conformance.runner import RunOptions, conformance_run
from personalize_conformance.runner.interrupts import terminate_as_interrupt
from personalize_conformance.runner.safety import SafeTarget
from personalize_conformance.runner.teardown import RunGuard, RunInterrupted
from personalize_conformance.specs import load_spec
from personalize_conformance.strategies import Case
from personalize_conformance.targets import TargetUnavailable, make_target
from tests.robustness.broken import RESET, BrokenServer, proxy

from .chain import build, remaining

SPEC = load_spec()


@pytest.fixture
def server():
    """The emulator over HTTP, describe-driven (creates and deletes take a few Describes, the same
    on every run) and with quotas lifted (a run creates more than an account may hold)."""
    with serve(port=0, timing="describes:1", quotas=False) as running:
        yield running


@pytest.fixture
def bystander(server):
    """A dataset group the run did not create: teardown must leave it alone."""
    target = make_target(server.url)
    body = target.send("CreateDatasetGroup", json.dumps({"name": "someone-elses"}).encode()).body
    target.close()
    return json.loads(body)["datasetGroupArn"]


def _safe(url, run_id="td", stamp=None):
    return SafeTarget(make_target(url, timeout=5), SPEC, run_id, stamp=stamp)


def test_teardown_removes_a_whole_tree_children_first_and_spares_what_is_not_the_runs(server, bystander):
    safe = _safe(server.url)
    build(safe, safe.name_prefix)
    assert len(safe.created) == 13
    guard = RunGuard(safe, stream=io.StringIO())
    with guard:
        pass
    assert guard.section["status"] == "done", guard.section
    assert remaining(safe.inner) == {"dataset-group": [bystander]}
    assert guard.section["leftovers"] == [] and guard.section["failed"] == []


def _answers_lost(server, lose: set):
    """A proxy to the emulator that carries out every request but answers those of the
    operations in `lose` (while it holds them) with a reset: the resource is made, the answer
    never arrives."""
    emulate = proxy(server.emulator)

    def respond(req):
        answer = emulate(req)
        return RESET if req.operation in lose else answer
    return respond


def test_a_create_whose_answer_was_lost_is_found_by_its_name(server, bystander):
    lose = {"CreateDatasetGroup"}
    with BrokenServer(_answers_lost(server, lose)) as lossy:
        safe = _safe(lossy.url, "lost", stamp=True)  # names stamped as on AWS
        case = safe.prepare(Case.from_params("CreateDatasetGroup", {"name": "g"}))
        with pytest.raises(TargetUnavailable):
            safe.send(case.operation, case.body)
        assert len(safe.created) == 0  # not in the ledger
        lose.clear()
        guard = RunGuard(safe, stream=io.StringIO())
        with guard:
            pass
    assert guard.section["status"] == "done"
    assert remaining(make_target(server.url)) == {"dataset-group": [bystander]}


def test_unstamped_a_create_without_an_answer_is_found_by_its_type_and_name_and_a_namesake_is_spared(server):
    target = make_target(server.url)
    from personalize_conformance.strategies.semantics import avro_schema
    older = json.loads(target.send("CreateSchema", json.dumps({"name": "g", "schema": avro_schema("Users")}).encode()).body)
    target.close()
    lose = {"CreateDatasetGroup"}
    with BrokenServer(_answers_lost(server, lose)) as lossy:
        safe = _safe(lossy.url, "lost")  # off AWS: nothing stamped
        case = safe.prepare(Case.from_params("CreateDatasetGroup", {"name": "g"}))
        assert case.params == {"name": "g"}
        with pytest.raises(TargetUnavailable):
            safe.send(case.operation, case.body)
        assert len(safe.created) == 0 and safe.in_doubt == {("dataset-group", "g")}
        lose.clear()
        guard = RunGuard(safe, stream=io.StringIO())
        with guard:
            pass
    assert guard.section["status"] == "done"
    assert remaining(make_target(server.url)) == {"schema": [older["schemaArn"]]}  # its namesake of another type


def test_an_answered_create_is_no_longer_in_doubt(server):
    safe = _safe(server.url, "answered")
    safe.send("CreateDatasetGroup", json.dumps({"name": "g"}).encode())
    safe.send("CreateDatasetGroup", json.dumps({"name": "g"}).encode())  # refused: a duplicate
    assert safe.in_doubt == set() and len(safe.created) == 1


def _chain_stage(then):
    def stage(spec, target, result):
        build(target, target.name_prefix)
        then()
    return stage


def test_teardown_runs_when_a_stage_fails(server, bystander, tmp_path):
    def fail():
        raise RuntimeError("a stage broke")
    options = RunOptions(target=server.url, operations=["ListSchemas"], examples=1, out_dir=str(tmp_path),
                         progress=False)
    with pytest.raises(RuntimeError, match="a stage broke"):
        conformance_run(options, stages=[_chain_stage(fail)])
    assert remaining(make_target(server.url)) == {"dataset-group": [bystander]}


def test_an_interrupted_run_tears_down_then_writes_its_partial_report(server, bystander, tmp_path):
    def interrupt():
        raise KeyboardInterrupt
    options = RunOptions(target=server.url, operations=["ListSchemas"], examples=1, out_dir=str(tmp_path),
                         progress=False, run_id="cut-short")
    with pytest.raises(RunInterrupted) as caught:
        conformance_run(options, stages=[_chain_stage(interrupt)])
    assert caught.value.teardown["status"] == "done"
    doc = json.loads((tmp_path / "cut-short" / "results.json").read_text())
    assert doc["teardown"]["status"] == "done"
    assert len(doc["teardown"]["deleted"]) == 8 and len(doc["teardown"]["left_to_parent"]) == 5  # jobs, versions
    assert remaining(make_target(server.url)) == {"dataset-group": [bystander]}


class _InterruptOnDelete:
    """Delivers SIGINT to this process the first time teardown deletes something."""

    def __init__(self, inner):
        self.inner, self.fired = inner, False
        self.name, self.endpoint = inner.name, inner.endpoint

    def send(self, operation, body, headers=None):
        if operation.startswith("Delete") and not self.fired:
            self.fired = True
            signal.raise_signal(signal.SIGINT)
        return self.inner.send(operation, body, headers)

    def close(self):
        self.inner.close()


def test_a_second_interrupt_skips_teardown_and_says_how_to_sweep(server):
    safe = _safe(server.url, "twice")
    build(safe, safe.name_prefix)
    safe.inner = _InterruptOnDelete(safe.inner)
    stream = io.StringIO()
    guard = RunGuard(safe, stream=stream)
    guard.interrupted = True  # the run itself was stopped by the first interrupt
    section = guard.teardown()
    assert section["status"] == "skipped"
    assert f"personalize-conformance sweep --run-id twice --target {server.url}" in stream.getvalue()
    assert remaining(make_target(server.url))  # skipped means left: the sweep line is how to clean up


def test_a_single_interrupt_during_teardown_only_warns(server):
    safe = _safe(server.url, "once")
    build(safe, safe.name_prefix)
    safe.inner = _InterruptOnDelete(safe.inner)
    stream = io.StringIO()
    section = RunGuard(safe, stream=stream).teardown()
    assert section["status"] == "done"
    assert "interrupt again to skip" in stream.getvalue()
    assert remaining(make_target(server.url)) == {}


def test_sigterm_takes_the_ctrl_c_path_and_the_old_handler_comes_back():
    before = signal.getsignal(signal.SIGTERM)
    with pytest.raises(KeyboardInterrupt):
        with terminate_as_interrupt():
            os.kill(os.getpid(), signal.SIGTERM)
            signal.sigtimedwait([], 0) if hasattr(signal, "sigtimedwait") else None
    assert signal.getsignal(signal.SIGTERM) == before


def _swallowed_interrupt():
    """Ctrl-C delivered where its KeyboardInterrupt is lost, as inside a garbage-collector callback:
    Python hands it to `sys.unraisablehook` and goes on."""
    try:
        signal.raise_signal(signal.SIGINT)
    except KeyboardInterrupt as exc:
        sys.unraisablehook(types.SimpleNamespace(exc_type=KeyboardInterrupt, exc_value=exc, exc_traceback=None,
                                                 err_msg="Exception ignored in", object=None))


def test_an_interrupt_swallowed_on_its_way_still_stops_the_next_request_quietly(server, monkeypatch):
    reported = []
    monkeypatch.setattr(sys, "unraisablehook", lambda unraisable: reported.append(unraisable.exc_type))
    safe = _safe(server.url, "swallowed")
    before = signal.getsignal(signal.SIGINT), sys.unraisablehook
    with terminate_as_interrupt() as delivered:
        safe.send("ListSchemas", b"{}")
        _swallowed_interrupt()
        with pytest.raises(KeyboardInterrupt):
            safe.send("ListSchemas", b"{}")
        sys.unraisablehook(types.SimpleNamespace(exc_type=ValueError, exc_value=ValueError(), exc_traceback=None,
                                                 err_msg="", object=None))
    assert delivered == [signal.SIGINT] and (signal.getsignal(signal.SIGINT), sys.unraisablehook) == before
    assert reported == [ValueError]  # the interrupt is not reported as an error; anything else still is
    assert safe.send("ListSchemas", b"{}").status == 200  # after the block (teardown) requests go again


def test_a_run_whose_interrupt_was_swallowed_after_its_last_request_counts_as_interrupted(server, bystander):
    safe = _safe(server.url, "late")
    guard = RunGuard(safe, stream=io.StringIO())
    with guard:
        build(safe, safe.name_prefix)
        _swallowed_interrupt()
    assert guard.interrupted and guard.section["status"] == "done"
    assert remaining(make_target(server.url)) == {"dataset-group": [bystander]}


def test_in_process_targets_need_no_teardown(tmp_path):
    doc, _ = conformance_run(RunOptions(target="emulator", operations=["CreateSchema"], examples=2,
                                        out_dir=str(tmp_path), progress=False))
    assert doc["teardown"]["status"] == "not needed"


def test_a_target_that_died_during_the_run_gets_a_sweep_line_not_a_hang(tmp_path):
    with BrokenServer(lambda req: RESET) as dead:
        doc, _ = conformance_run(RunOptions(target=dead.url, operations=["ListSchemas", "CreateSchema"],
                                            examples=1, timeout=1, out_dir=str(tmp_path), progress=False,
                                            run_id="dead"))
    assert doc["teardown"]["status"] == "incomplete"
    assert "sweep --run-id dead" in doc["teardown"]["sweep"]
    summary = next(tmp_path.glob("*/summary.md")).read_text()
    assert "## Teardown" in summary and "sweep --run-id dead" in summary


def test_a_namesake_made_before_the_run_began_is_not_taken_for_a_create_in_doubt():
    from personalize_conformance.runner.sweep import CLOCK_SKEW, Selector
    ours = Selector(run_id="r", in_doubt=frozenset({("dataset-group", "g")}), since=10_000.0)
    assert ours.by_doubt("dataset-group", "g", 10_000.0 - CLOCK_SKEW / 2)  # clocks a little apart
    assert not ours.by_doubt("dataset-group", "g", 10_000.0 - CLOCK_SKEW - 1)  # someone else's, older
    assert not ours.by_doubt("schema", "g", 10_500.0)  # another type
    assert not ours.by_doubt("dataset-group", "g", None)  # no creation time: cannot tell, left alone
