"""`pytest -n` runs the conformance suite with one run id, one seed and one report, the same
verdicts as a serial run, and no two cases asking for the same resource name, whichever worker
sends them."""
from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys

import pytest

from personalize_conformance.emulator import serve
from personalize_conformance.runner import xdist

from tests.safety.chain import remaining
from personalize_conformance.targets import make_target

ROOT = pathlib.Path(__file__).resolve().parents[2]
SUBSET = "CreateSchema or CreateDatasetGroup or DescribeSchema or ListSchemas"


def _pytest(reports: pathlib.Path, *extra: str) -> dict:
    env = {**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "_hypothesis_pytestplugin", "-p", "xdist.plugin", "-p", "personalize_conformance.runner.pytest_plugin", "-q",
         "-p", "no:cacheprovider", "--hypothesis-seed", "7", "--conformance-examples", "2",
         "--reports-dir", str(reports), "-k", SUBSET, *extra, "suite/test_stateless.py"],
        capture_output=True, text=True, timeout=240, cwd=ROOT, env=env)
    folders = list(reports.iterdir()) if reports.exists() else []
    assert len(folders) == 1, proc.stdout[-3000:] + proc.stderr[-3000:]  # one report, whatever the workers
    return json.loads((folders[0] / "results.json").read_text())


def _verdicts(doc: dict) -> dict:
    """Each operation's status, and every cell that judged something. A PASS cell may be NOT RUN
    on the other side: which resources exist when an operation runs (a Describe finding the
    schema a Create made) depends on what ran before it on the same worker."""
    judged = ("FAIL", "ERROR", "UNAVAILABLE", "NOT IMPLEMENTED", "WARN")
    return {name: (row["status"], {rule: v for rule, v in row["checks"].items() if v in judged})
            for name, row in doc["operations"].items()}


def test_two_workers_give_the_same_verdicts_as_a_serial_run(tmp_path):
    serial = _pytest(tmp_path / "serial", "--target", "emulator")
    parallel = _pytest(tmp_path / "parallel", "--target", "emulator", "-n", "2")
    assert len(serial["operations"]) == 4
    assert _verdicts(parallel) == _verdicts(serial)
    assert parallel["settings"]["workers"] == 2
    assert parallel["hypothesis_seed"] == serial["hypothesis_seed"] == 7


def test_workers_sharing_one_target_never_collide_and_each_cleans_up(tmp_path):
    with serve(port=0, timing="describes:1", quotas=False) as server:  # as the harness runs its own
        doc = _pytest(tmp_path / "shared", "--target", server.url, "-n", "2")
        left = remaining(make_target(server.url))
    created = [(c["operation"], json.loads(c["body"])["name"]) for c in doc["cases"]
               if c["operation"] in ("CreateSchema", "CreateDatasetGroup")
               and c["response"] and c["response"]["status"] == 200]
    assert created and len(created) == len(set(created))  # off AWS names go out as generated, each its own
    refused = [c["rule"] for c in doc["cases"] if c["response"] and "AlreadyExists" in c["response"]["body"]]
    assert refused == []
    assert left == {}
    assert [w["status"] for w in doc["teardown"]["workers"]] == ["done", "done"]


class _Config:
    def __init__(self, workerinput=None, seed=None):
        if workerinput is not None:
            self.workerinput = workerinput
        self._seed = seed

    def getoption(self, name, default=None):
        return self._seed


def test_a_worker_takes_the_controllers_run_id_and_seed():
    config = _Config({"workerid": "gw3", xdist.KEY: {"run_id": "r1", "seed": 9}})
    assert xdist.shared(config) == ("r1", 9) and xdist.worker_id(config) == "gw3"


def test_without_xdist_the_run_id_and_seed_are_drawn_once():
    config = _Config(seed=None)
    first = xdist.shared(config)
    assert xdist.shared(config) == first and xdist.worker_id(config) is None


def test_merging_recounts_totals_and_keeps_every_case():
    a = {"run_id": "r", "hypothesis_seed": 1, "operations": {"A": {"status": "PASS"}}, "cases": [1, 2],
         "rules": {"x": "s"}, "spec": {"operations": 1}, "started": "2", "finished": "3", "duration_s": 1,
         "settings": {}, "lifecycles": {"A": 1}}
    b = {**a, "operations": {"B": {"status": "FAIL"}}, "cases": [3], "rules": {"y": "t"}, "started": "1",
         "lifecycles": {"B": 2}}
    merged = xdist.merge([a, b])
    assert merged["totals"]["PASS"] == 1 and merged["totals"]["FAIL"] == 1
    assert merged["cases"] == [1, 2, 3] and set(merged["rules"]) == {"x", "y"}
    assert merged["started"] == "1" and merged["spec"]["operations"] == 2
    assert merged["lifecycles"] == {"A": 1, "B": 2}  # sections later stages add, joined
    assert xdist.merge([]) is None and xdist.merge([a]) is a


def test_merging_one_operation_run_on_two_workers_keeps_the_worst_cell():
    row = {"resource": "schema", "kind": "list", "cases": 2, "status": "PASS",
           "checks": {"x": "PASS", "y": "NOT RUN"}}
    other = {**row, "cases": 3, "status": "FAIL", "checks": {"x": "PASS", "y": "FAIL", "z": "WARN"}}
    base = {"operations": {}, "cases": [], "rules": {}, "spec": {}, "settings": {}}
    merged = xdist.merge([{**base, "operations": {"Op": row}}, {**base, "operations": {"Op": other}}])
    assert merged["operations"]["Op"] == {**row, "cases": 5, "status": "FAIL", "successes": 0, "reason": "",
                                          "checks": {"x": "PASS", "y": "FAIL", "z": "WARN"},
                                          "evidence": {}}  # no finding kept to say what the FAIL rests on


def test_a_success_seen_by_one_worker_makes_the_merged_row_judged():
    unseen = {"resource": "schema", "kind": "describe", "cases": 2, "successes": 0, "status": "NOT RUN",
              "reason": "no success seen: none of its 2 requests was answered with a success", "checks": {"x": "PASS"}}
    seen = {**unseen, "cases": 1, "successes": 1, "status": "PASS", "reason": ""}
    base = {"operations": {}, "cases": [], "rules": {}, "spec": {}, "settings": {}}
    merged = xdist.merge([{**base, "operations": {"Op": unseen}}, {**base, "operations": {"Op": seen}}])
    assert {k: merged["operations"]["Op"][k] for k in ("status", "successes", "reason", "cases")} == {
        "status": "PASS", "successes": 1, "reason": "", "cases": 3}
    alone = xdist.merge([{**base, "operations": {"Op": unseen}}, {**base, "operations": {"Op": dict(unseen)}}])
    assert alone["operations"]["Op"]["status"] == "NOT RUN"
    assert alone["operations"]["Op"]["reason"].startswith("no success seen")
