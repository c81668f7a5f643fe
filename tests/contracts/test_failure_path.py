"""A create that fails on purpose: the emulator walks it to CREATE FAILED with a failureReason,
and the harness's lifecycle contracts take that as a legal end and report it as one."""
import json

import pytest

from personalize_conformance import contracts
from personalize_conformance.reporting import view
from personalize_conformance.runner.lifecycle import PASS, WARN, record_scenario, run_scenario
from personalize_conformance.runner.lifecycle_driver import Driver
from personalize_conformance.runner.polling import PollPolicy
from personalize_conformance.runner.records import RunResult
from personalize_conformance.specs import load_spec
from personalize_conformance.targets import WireResponse, make_target

SPEC = load_spec()
QUICK = PollPolicy(max_wait=60.0, max_polls=8, delay=0.0, max_delay=0.0)
WITH_STATUS = [t for t in contracts.creation_order() if contracts.resource_type(t).status]


def _driver(fail, timing="describes:1", target=None):
    target = target or make_target("emulator", emulator_options={"fail_creates": fail, "timing": timing})
    return Driver(SPEC, target, seed=7, poll=QUICK)


@pytest.mark.parametrize("rtype", WITH_STATUS)
def test_any_create_can_be_made_to_fail_and_rests_in_its_failure_status(rtype):
    driver = _driver([f"{rtype}=The source bucket is empty."])
    step, _ = driver.new(rtype)
    arn = driver.arn_of(rtype, step)
    assert step.ok and arn
    path = driver.poll(rtype, arn, "create")
    flow = contracts.machine(rtype).flow("create")
    assert path.settled and path.failed and path.last in flow.failures
    assert len(path.statuses) >= 2  # the pending statuses first, as on the way to ACTIVE
    assert driver.judge_path(path) == "pass"
    if "failureReason" in driver.members(rtype):
        assert path.failure_reason == "The source bucket is empty."


def test_a_tag_makes_one_create_fail_with_its_value_as_the_reason():
    driver = _driver([])
    failed = driver.create("dataset-group", {}, tags={"emulator:fail": "KMS key not usable"})
    fine = driver.create("dataset-group", {})
    paths = [driver.poll("dataset-group", driver.arn_of("dataset-group", s), "create") for s in (failed, fine)]
    assert [p.last for p in paths] == ["CREATE FAILED", "ACTIVE"]
    assert paths[0].failure_reason == "KMS key not usable" and paths[1].failure_reason is None


def test_a_child_cannot_be_built_on_a_failed_parent():
    driver = _driver(["dataset-group"])
    with pytest.raises(Exception, match="did not become ACTIVE"):
        driver.active("dataset")


def test_the_lifecycle_family_passes_a_failed_create_and_the_table_says_why():
    driver = _driver(["dataset-group=The role cannot be assumed."])
    result = RunResult("r", "emulator", "in-process", SPEC.source, SPEC.version, 7, {})
    scenario = run_scenario(driver, "lifecycle", "dataset-group")
    record_scenario(result, scenario, driver)
    assert scenario.verdict == PASS, (scenario.reason, scenario.failures)
    assert scenario.rules["lifecycle.failure-reason"] == PASS
    assert scenario.rules["lifecycle.legal-transition"] == PASS
    table = next(s["lines"] for s in result.extra["summary_sections"] if s["title"] == "Lifecycles")
    row = next(line for line in table if line.startswith("| dataset-group |"))
    assert "CREATE FAILED" in row and "failed, a legal end: The role cannot be assumed." in row
    paths = view.lifecycles({"lifecycles": result.extra["lifecycles"]})
    details = [p.detail for r in paths for p in r.paths if p.action == "create"]
    assert any("ended in CREATE FAILED, a legal end: failureReason 'The role cannot be assumed.'" in d
               for d in details)


class _Reasonless:
    """The emulator, with failureReason taken out of every Describe answer."""

    def __init__(self, inner):
        self.inner, self.name, self.endpoint = inner, inner.name, inner.endpoint

    def send(self, operation, body, headers=None):
        response = self.inner.send(operation, body, headers)
        if operation.startswith("Describe") and response.status == 200:
            data = json.loads(response.body)
            for value in data.values():
                if isinstance(value, dict):
                    value.pop("failureReason", None)
            return WireResponse.of(200, response.headers, json.dumps(data).encode(), response.elapsed)
        return response

    def close(self):
        self.inner.close()


def test_a_failure_without_a_reason_is_warned_about_never_failed():
    inner = make_target("emulator", emulator_options={"fail_creates": ["campaign"], "timing": "describes:1"})
    driver = _driver([], target=_Reasonless(inner))
    scenario = run_scenario(driver, "lifecycle", "campaign")
    assert scenario.rules["lifecycle.failure-reason"] == WARN
    assert scenario.verdict == WARN, scenario.failures
    assert any("without a failureReason" in f["message"] for f in scenario.failures)
