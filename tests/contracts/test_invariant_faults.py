"""Invariants beyond one answer, each caught under its rule by the emulator fault made to break it,
and held by the emulator without it."""
import time

import pytest

from personalize_conformance.runner.cleanup import teardown
from personalize_conformance.runner.lifecycle import FAIL, PASS, run_scenario
from personalize_conformance.runner.lifecycle_driver import Driver
from personalize_conformance.runner.polling import PollPolicy
from personalize_conformance.specs import load_spec
from personalize_conformance.targets import make_target

SPEC = load_spec()
QUICK = PollPolicy(max_wait=60.0, max_polls=8, delay=0.0, max_delay=0.0)

# fault -> (family, resource type, the rule that must report it, emulator timing)
FAULTS = {
    "wrong-not-found": ("lifecycle", "campaign", "lifecycle.poll-answer", "describes:1"),
    "list-ignores-filter": ("pagination", "filter", "consistency.list-scoped", "immediate"),
    "timestamps-reversed": ("lifecycle", "solution", "resource.timestamps", "describes:1"),
    "creation-time-drifts": ("lifecycle", "dataset-group", "resource.timestamps", "describes:1"),
    "arn-without-name": ("lifecycle", "dataset", "resource.arn-names", "describes:1"),
    "creation-time-omitted": ("lifecycle", "dataset", "schema.observed-members", "describes:1"),
    "names-folded": ("lifecycle", "schema", "consistency.describe-echoes-create", "immediate"),
    "non-ascii-mangled": ("tags", "dataset-group", "tags.round-trip", "immediate"),
    "cascade-skipped": ("dependency", "solution", "dependency.cascade", "describes:1"),
    "create-without-arn": ("lifecycle", "schema", "schema.observed-members", "immediate"),
    "parent-not-echoed": ("lifecycle", "solution", "consistency.describe-echoes-create", "describes:1"),
}


def _verdicts(result, driver, first=0):
    """Rule -> worst outcome over the scenario's findings, per-response checks included."""
    from personalize_conformance.runner.lifecycle import _worst
    cells = {}
    for record in driver.records[first:]:
        for f in record.findings:
            cells.setdefault(f.rule, []).append({"fail": FAIL, "pass": PASS}.get(f.outcome, f.outcome.upper()))
    return {**{rule: _worst(v) for rule, v in cells.items()}, **result.rules}


def _run(family, rtype, faults=(), timing="immediate", seed=4242, poll=QUICK):
    target = make_target("emulator", emulator_options={"faults": list(faults), "timing": timing})
    driver = Driver(SPEC, target, seed=seed, poll=poll)
    return run_scenario(driver, family, rtype), driver, target


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_the_invariant_is_broken_by_its_fault_and_caught_under_its_rule(fault):
    family, rtype, rule, timing = FAULTS[fault]
    result, driver, _ = _run(family, rtype, [fault], timing)
    assert _verdicts(result, driver).get(rule) == FAIL, (result.verdict, result.reason, result.rules)
    if rule in result.rules:  # a contract: its failure carries the sequence that led there
        failure = next(f for f in result.failures if f["rule"] == rule)
        assert failure["message"] and failure["sequence"] and "import boto3" in failure["boto3"]


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_the_emulator_holds_the_invariant_without_its_fault(fault):
    family, rtype, rule, timing = FAULTS[fault]
    result, driver, _ = _run(family, rtype, [], timing)
    assert result.verdict == PASS, (result.reason, result.failures[:1])
    assert _verdicts(result, driver).get(rule) == PASS, result.rules


def test_a_wrong_answer_while_polling_is_a_finding_at_once_not_a_wait_for_the_deadline():
    slow = PollPolicy(max_wait=30.0, max_polls=60, delay=0.5, max_delay=0.5)  # 30 s if polled to the end
    started = time.monotonic()
    result, driver, target = _run("lifecycle", "schema", ["wrong-not-found"], "immediate", poll=slow)
    (path,) = [p for p in driver.paths if p.action == "delete"]
    assert result.rules.get("lifecycle.poll-answer") == FAIL
    assert len(path.steps) == 1 and "InvalidInputException" in path.stopped
    assert "lifecycle.gone-after-delete" not in result.rules  # the wrong answer is the finding, not a hang
    assert time.monotonic() - started < 10.0


def test_teardown_does_not_wait_for_the_deadline_on_a_wrong_answer_either():
    slow = PollPolicy(max_wait=30.0, max_polls=60, delay=0.5, max_delay=0.5)
    target = make_target("emulator", emulator_options={"faults": ["wrong-not-found"], "timing": "immediate"})
    driver = Driver(SPEC, target, seed=1, poll=slow)
    assert driver.create("schema", {}).ok
    started = time.monotonic()
    report = teardown(target, driver.created, policy=slow)
    assert time.monotonic() - started < 10.0
    (arn, reason), = report.failed
    assert "InvalidInputException" in reason and "ResourceNotFoundException" in reason


def test_a_status_no_walk_knows_stops_polling_at_once():
    slow = PollPolicy(max_wait=30.0, max_polls=60, delay=0.5, max_delay=0.5)
    result, driver, _ = _run("lifecycle", "dataset-group", ["unknown-status"], "describes:3", poll=slow)
    create = next(p for p in driver.paths if p.action == "create")
    assert create.statuses[0] == "CREATING" and "not a status" in create.stopped
    assert len(create.steps) <= 2  # the one poll, and the lifecycle's own re-read
    assert result.rules.get("lifecycle.known-status") == FAIL
    assert result.rules.get("lifecycle.settles") in (None, PASS)


def test_a_campaign_deleted_leaves_its_solution_version():
    result, driver, _ = _run("dependency", "campaign", [], "describes:1")
    assert result.verdict == PASS and result.rules.get("dependency.cascade") == PASS, (result.reason, result.rules)


def test_a_doc_only_departure_warns_and_fails_under_strict():
    """No recorded traffic walked a campaign's delete: a target answering DELETING there departs
    from the docs' vocabulary only. The walk goes on to the end, and the resource is still seen to go."""
    from personalize_conformance.checks import evidence
    from personalize_conformance.runner.lifecycle import WARN
    result, driver, _ = _run("lifecycle", "campaign", ["delete-statuses-renamed"], "describes:1")
    assert result.verdict == WARN and result.rules["lifecycle.known-status"] == WARN, result.rules
    assert result.rules["lifecycle.gone-after-delete"] == PASS
    warning = next(f for f in result.failures if f["rule"] == "lifecycle.known-status")
    assert warning["message"].startswith("the docs say the campaign status values are")
    with evidence.strictness(True):
        strict, _, _ = _run("lifecycle", "campaign", ["delete-statuses-renamed"], "describes:1")
    assert strict.verdict == FAIL and strict.rules["lifecycle.known-status"] == FAIL


def test_a_create_without_its_arn_fails_both_what_aws_always_answers_and_the_create_contract():
    result, driver, _ = _run("lifecycle", "schema", ["create-without-arn"], "immediate")
    verdicts = _verdicts(result, driver)
    assert verdicts.get("schema.observed-members") == FAIL and verdicts.get("lifecycle.create-identifies") == FAIL
