"""The state machine over every resource type: at least 200 steps per run without a contract
violation on the target; on a violation, the shortest failing sequence as a boto3 script.

What the machine catches, and how it reports it, is the harness's own business:
tests/runner/test_state_machine.py."""
import pytest

from personalize_conformance.runner.polling import PollPolicy
from personalize_conformance.runner.statemachine import fresh_emulator, run

QUICK = PollPolicy(max_wait=60.0, max_polls=8, delay=0.0, max_delay=0.0)  # bounded by count: load-proof
MIN_STEPS = 200


@pytest.mark.conformance
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
