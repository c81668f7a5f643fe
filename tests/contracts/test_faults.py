"""Each contract family catches the emulator fault made to break it, by rule name, with a
minimal reproduction: the sequence of calls, a replayable boto3 script and the seed."""
import ast

import pytest

from personalize_conformance.runner.lifecycle import FAIL, PASS, run_scenario
from personalize_conformance.runner.lifecycle_driver import Driver
from personalize_conformance.runner.polling import PollPolicy
from personalize_conformance.specs import load_spec
from personalize_conformance.targets import make_target

SPEC = load_spec()
QUICK = PollPolicy(max_wait=60.0, max_polls=8, delay=0.0, max_delay=0.0)  # bounded by count: load-proof

# fault -> (family, resource type, the rule that must report it, emulator timing)
FAULTS = {
    "backwards-transition": ("lifecycle", "campaign", "lifecycle.legal-transition", "describes:1"),
    "unknown-status": ("lifecycle", "dataset-group", "lifecycle.known-status", "describes:1"),
    "delete-in-use": ("dependency", "schema", "dependency.delete-in-use", "immediate"),
    "duplicate-accepted": ("uniqueness", "schema", "uniqueness.duplicate-name", "immediate"),
    "missing-reference-accepted": ("reference", "dataset", "reference.missing-parent", "immediate"),
    "page-overlap": ("pagination", "schema", "pagination.exactly-once", "immediate"),
    "page-drop": ("pagination", "filter", "pagination.exactly-once", "immediate"),
    "endless-token": ("pagination", "solution", "pagination.terminates", "immediate"),
    "max-results-ignored": ("pagination", "dataset-group", "pagination.max-results", "immediate"),
    "tags-lost": ("tags", "campaign", "tags.round-trip", "immediate"),
    "untag-ignored": ("tags", "dataset-group", "tags.untag-exact", "immediate"),
    "update-ignored": ("update", "campaign", "update.reflected", "describes:1"),
    "never-deleted": ("lifecycle", "filter", "lifecycle.gone-after-delete", "describes:1"),
}


def _run(family, rtype, faults=(), timing="immediate", seed=4242):
    target = make_target("emulator", emulator_options={"faults": list(faults), "timing": timing})
    driver = Driver(SPEC, target, seed=seed, poll=QUICK)
    return run_scenario(driver, family, rtype), driver


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_the_fault_is_reported_under_its_rule_with_a_reproduction(fault):
    family, rtype, rule, timing = FAULTS[fault]
    result, driver = _run(family, rtype, [fault], timing)
    assert result.verdict == FAIL, (result.verdict, result.reason, result.rules)
    assert result.rules[rule] == FAIL, result.rules
    failure = next(f for f in result.failures if f["rule"] == rule)
    assert failure["message"] and failure["source"]
    assert failure["hypothesis_seed"] == 4242
    assert failure["sequence"], "the sequence that led to the failure is kept"
    ast.parse(failure["boto3"])  # the reproduction is a runnable script
    assert "import boto3" in failure["boto3"] and failure["sequence"][-1]["operation"] in _operations(failure["boto3"])
    assert "testing" not in failure["boto3"] and "Authorization" not in failure["boto3"]


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_the_same_family_passes_without_the_fault(fault):
    family, rtype, rule, timing = FAULTS[fault]
    result, _ = _run(family, rtype, [], timing)
    assert result.verdict == PASS, (result.reason, result.failures[:1])
    assert result.rules.get(rule) == PASS


def _operations(script: str) -> str:
    import re
    return " ".join(re.sub(r"(?:^|_)([a-z])", lambda m: m.group(1).upper(), name)
                    for name in re.findall(r"call\('([a-z_]+)'", script))


def test_a_missing_operation_is_not_implemented_not_failed():
    target = make_target("moto")
    try:
        driver = Driver(SPEC, target, seed=1, poll=QUICK)
        result = run_scenario(driver, "lifecycle", "campaign")
    finally:
        target.close()
    assert result.verdict == "NOT IMPLEMENTED"
    assert "CreateDatasetGroup" in result.reason


def test_an_unreachable_target_is_unavailable_not_failed():
    target = make_target("http://127.0.0.1:9", timeout=1.0)
    result = run_scenario(Driver(SPEC, target, seed=1, poll=QUICK), "lifecycle", "schema")
    assert result.verdict == "UNAVAILABLE"


def test_a_family_with_nothing_to_check_sends_nothing():
    result, driver = _run("update", "filter")
    assert result.verdict == "NOT APPLICABLE" and not driver.steps
