"""A run exercises exactly the operations of its spec: with a narrower spec (the APIs.guru file, or
an older model without some operations) nothing is sent to the others, and the scenarios and the
state machine that need them are NOT RUN with that reason."""
import copy
import json
import pathlib
import xml.etree.ElementTree as ET
from functools import partial

import pytest

from personalize_conformance import contracts
from personalize_conformance.runner import RunOptions, conformance_run
from personalize_conformance.runner import session
from personalize_conformance.runner.lifecycle import NOT_RUN, lifecycle_stage, run_scenario
from personalize_conformance.runner.lifecycle_driver import Driver, OutsideSpec
from personalize_conformance.runner.lifecycle_families import FAMILIES, applies
from personalize_conformance.runner.scope import absent, machine_operations, scenario_operations
from personalize_conformance.specs import Spec, load_spec
from personalize_conformance.targets import make_target

GURU = pathlib.Path(__file__).resolve().parents[3] / "shared" / "specs" / "personalize-2018-05-22.apisguru.openapi.json"
DELETION_JOBS = ("CreateDataDeletionJob", "DescribeDataDeletionJob", "ListDataDeletionJobs")
REMOVED = DELETION_JOBS + ("UpdateSolution", "TagResource", "UntagResource", "ListTagsForResource")


def without(*operations: str) -> dict:
    raw = copy.deepcopy(load_spec().raw)
    for name in operations:
        del raw["paths"][f"/#X-Amz-Target=AmazonPersonalize.{name}"]
    return raw


@pytest.fixture(scope="module")
def narrower(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("spec") / "botocore-minus.json"
    path.write_text(json.dumps(without(*REMOVED)), encoding="utf-8")
    return str(path)


class Recording:
    """A target that notes every operation sent through it, teardown's included."""

    def __init__(self, inner):
        self.inner = inner
        self.sent = []

    def send(self, operation, body, headers=None):
        self.sent.append(operation)
        return self.inner.send(operation, body, headers)

    def __getattr__(self, name):
        return getattr(self.inner, name)


def test_every_scenario_and_the_machine_need_only_operations_of_the_full_spec():
    spec = load_spec()
    for rtype in contracts.creation_order():
        for family in FAMILIES:
            if applies(family, rtype):
                assert absent(spec, scenario_operations(family, rtype)) == [], (family, rtype)
    assert absent(spec, machine_operations()) == []


def test_what_a_scenario_needs_follows_the_contract_data():
    assert {"CreateDataDeletionJob", "DescribeDataDeletionJob", "CreateDatasetGroup", "DescribeDatasetGroup",
            "ListDataDeletionJobs"} <= scenario_operations("lifecycle", "data-deletion-job")
    assert "UpdateSolution" in scenario_operations("update", "solution")
    assert "UpdateSolution" not in scenario_operations("lifecycle", "solution")  # a step it leaves out
    assert {"TagResource", "UntagResource", "ListTagsForResource"} <= scenario_operations("tags", "campaign")
    assert "CreateSolutionVersion" in scenario_operations("lifecycle", "campaign")  # built on an ancestor


def test_a_scenario_needing_an_absent_operation_is_not_run_and_sends_nothing():
    spec = Spec(raw=without(*DELETION_JOBS), source="botocore without data deletion jobs")
    target = Recording(make_target("emulator"))
    driver = Driver(spec, target, seed=1)
    result = run_scenario(driver, "lifecycle", "data-deletion-job")
    assert result.verdict == NOT_RUN
    assert result.reason == ("needs CreateDataDeletionJob, DescribeDataDeletionJob, ListDataDeletionJobs, "
                             "which the spec (botocore without data deletion jobs) does not describe")
    assert target.sent == [] and driver.records == []


def test_the_driver_refuses_an_operation_the_spec_lacks_whatever_the_scenario_table_says():
    spec = Spec(raw=without("UpdateSolution"), source="older")
    target = Recording(make_target("emulator"))
    with pytest.raises(OutsideSpec, match="needs UpdateSolution, which the spec \\(older\\) does not describe"):
        Driver(spec, target, seed=1).call("UpdateSolution", {"solutionArn": "arn:aws:personalize:::solution/x"})
    assert target.sent == []


@pytest.mark.slow
def test_a_run_on_an_older_model_sends_only_its_operations(narrower, tmp_path, monkeypatch):
    made = []

    def recording_target(*args, **kwargs):
        made.append(Recording(make_target(*args, **kwargs)))
        return made[-1]
    monkeypatch.setattr(session, "make_target", recording_target)
    types = ["dataset-group", "solution", "data-deletion-job"]
    doc, out = conformance_run(RunOptions(spec=narrower, examples=1, seed=3, out_dir=str(tmp_path), run_id="older",
                                          progress=False), stages=[partial(lifecycle_stage, types=types)])
    spec = load_spec(narrower)
    assert set(made[0].sent) <= set(spec.operations)
    assert not set(made[0].sent) & set(REMOVED)
    assert set(doc["operations"]) == set(spec.operations) and doc["totals"]["operations"] == 64
    scenarios = {(r, f): s for r, v in doc["lifecycles"]["resources"].items() for f, s in v["scenarios"].items()}
    for family in ("lifecycle", "reference", "uniqueness", "pagination", "tags"):
        assert scenarios[("data-deletion-job", family)]["verdict"] == NOT_RUN
        assert "CreateDataDeletionJob" in scenarios[("data-deletion-job", family)]["reason"]
    assert scenarios[("solution", "update")]["verdict"] == NOT_RUN
    assert "needs UpdateSolution" in scenarios[("solution", "update")]["reason"]
    assert scenarios[("solution", "tags")]["verdict"] == NOT_RUN
    assert scenarios[("solution", "lifecycle")]["verdict"] == "PASS"  # its update and tag steps left out


guru = pytest.mark.skipif(not GURU.exists(), reason="reference spec ../shared/specs/ is not on this machine")


@guru
@pytest.mark.slow
def test_a_run_on_the_apisguru_spec_reports_and_sends_only_its_67_operations(tmp_path):
    doc, out = conformance_run(RunOptions(spec=str(GURU), examples=1, seed=5, out_dir=str(tmp_path), run_id="guru",
                                          progress=False))
    ops = set(load_spec(str(GURU)).operations)
    assert len(ops) == 67 and set(doc["operations"]) == ops and doc["totals"]["operations"] == 67
    assert {c["operation"] for c in doc["cases"]} <= ops
    junit = {tc.get("classname").rsplit(".", 1)[-1] for tc in ET.parse(out / "junit.xml").iter("testcase")}
    assert junit <= ops
    summary = (out / "summary.md").read_text(encoding="utf-8")
    top = summary.split("Top failures", 1)[-1] if "Top failures" in summary else ""
    assert not any(name in top for name in DELETION_JOBS + ("UpdateSolution",))
    resources = doc["lifecycles"]["resources"]
    assert resources["data-deletion-job"]["verdict"] == NOT_RUN
    assert "needs CreateDataDeletionJob" in resources["data-deletion-job"]["scenarios"]["lifecycle"]["reason"]
    assert resources["solution"]["scenarios"]["update"]["verdict"] == NOT_RUN


@guru
def test_the_state_machine_is_not_run_on_the_apisguru_spec():
    assert absent(load_spec(str(GURU)), machine_operations()) == list(DELETION_JOBS) + ["UpdateSolution"]
