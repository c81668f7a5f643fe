"""The state machine over every resource type: at least 200 steps per run without a contract
violation, and, against a faulty target, the shortest failing sequence as a boto3 script."""
import ast

import pytest

from personalize_conformance.runner.polling import PollPolicy
from personalize_conformance.runner.statemachine import fresh_emulator, nodes, run

QUICK = PollPolicy(max_wait=60.0, max_polls=8, delay=0.0, max_delay=0.0)  # bounded by count: load-proof
MIN_STEPS = 200


@pytest.mark.conformance
@pytest.mark.slow
def test_random_interleavings_keep_every_contract(conformance):
    """On the default emulator a fresh instance per example; on --target X the shared target."""
    from personalize_conformance.runner.scope import absent, machine_operations, not_in_spec_reason
    missing = absent(conformance.spec, machine_operations())
    if missing:
        conformance.result.extra["state_machine"] = {"verdict": "NOT RUN",
                                                     "reason": not_in_spec_reason(conformance.spec, missing)}
        pytest.skip("NOT RUN: " + not_in_spec_reason(conformance.spec, missing))
    fresh = conformance.target.name == "emulator" and conformance.target.endpoint == "in-process"
    factory = fresh_emulator() if fresh else (lambda: conformance.target)
    outcome = run(conformance.spec, factory, examples=5, steps_per_example=50, seed=conformance.seed,
                  poll=None if not fresh else QUICK)
    conformance.result.extra["state_machine"] = outcome.to_dict()
    if outcome.failure:
        pytest.fail(f"{outcome.failure}\nshortest failing sequence (hypothesis seed {conformance.seed}):\n"
                    f"{outcome.script}", pytrace=False)
    assert outcome.steps >= MIN_STEPS or not fresh, f"only {outcome.steps} steps ran"


def test_every_resource_type_has_a_create_rule():
    from personalize_conformance import contracts
    assert {t for t, _ in nodes().values()} == set(contracts.resource_types())


# Two faults whose shortest sequences take little shrinking; every fault is caught by its contract
# family in tests/contracts/test_faults.py.
@pytest.mark.slow
@pytest.mark.parametrize("fault,rule", [
    ("backwards-transition", "lifecycle.legal-transition"),
    ("page-overlap", "pagination.exactly-once"),
])
def test_a_violation_is_shrunk_to_a_short_replayable_script(fault, rule):
    from personalize_conformance.specs import load_spec
    outcome = run(load_spec(), fresh_emulator([fault], "immediate"), examples=20, steps_per_example=12, seed=11, poll=QUICK)
    assert outcome.failure and outcome.failure.startswith(rule), outcome.failure
    tree = ast.parse(outcome.script)
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "id", "") == "call"]
    assert 1 <= len(calls) <= 30, f"{len(calls)} calls: not shrunk\n{outcome.script}"
    assert f"# expected: {rule}" in outcome.script
