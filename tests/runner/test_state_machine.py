"""The state machine catches what it is built to catch, and reports a failure as a short replayable
script.

No test here waits for a random walk to stumble on a violation: each fault is met by a fixed
sequence of the machine's own rules (run the way Hypothesis runs them: the invariant after every
step), and the reporting is tested on a target that fails every walk, so that Hypothesis finds the
failure in its first example whatever it draws.
"""
import ast
import json

import pytest

from personalize_conformance import contracts
from personalize_conformance.runner.polling import PollPolicy
from personalize_conformance.runner.statemachine import (ContractViolation, LifecycleMachine, Walk, fresh_emulator,
                                                         nodes, run)
from personalize_conformance.specs import load_spec
from personalize_conformance.targets import WireResponse

SPEC = load_spec()
QUICK = PollPolicy(max_wait=60.0, max_polls=8, delay=0.0, max_delay=0.0)  # bounded by count: load-proof


def test_every_resource_type_has_a_create_rule():
    assert {t for t, _ in nodes().values()} == set(contracts.resource_types())
    for node in nodes():
        assert callable(getattr(LifecycleMachine, "create_" + node.replace("-", "_").replace("@", "__")))


# -- fixed sequences through the machine ------------------------------------------------------

class Steps:
    """A machine driven by hand: each call is one of its rules (a create or delete of one bundle)
    or what a rule does to the live resource it picked (describe, tag, untag), followed by the
    invariant, as Hypothesis runs them; a create is refused here when its precondition would
    refuse it."""

    def __init__(self, faults=(), timing="immediate"):
        self.machine = LifecycleMachine(Walk(SPEC, fresh_emulator(faults, timing), poll=QUICK))

    def __getattr__(self, name):
        rule_ = getattr(self.machine, name)

        def step(*args, **kwargs):
            if name.startswith("create_"):
                node = next(n for n in nodes() if "create_" + n.replace("-", "_").replace("@", "__") == name)
                assert self.machine.model.room(node), f"the machine never runs {name} here"
            result = rule_(*args, **kwargs)
            self.machine.lists_agree_with_the_model()
            return result
        return step


def _page_overlap(s):
    for _ in range(2):
        s.create_dataset_group()
        s.create_dataset_group__domain()  # the fourth invariant lists dataset groups two a page


def _page_drop(s):
    _page_overlap(s)


def _backwards(s):
    group = s.create_dataset_group()
    s.describe(group)


def _unknown_status(s):
    s.create_dataset_group()


def _delete_in_use(s):
    group, schema = s.create_dataset_group(), s.create_schema()
    s.create_dataset(datasetGroupArn=group, schemaArn=schema)
    s.delete_schema(arn=schema)


def _duplicate(s):
    group = s.create_dataset_group()
    s.create_event_tracker(datasetGroupArn=group)
    s.create_event_tracker(datasetGroupArn=group)


def _never_deleted(s):
    s.delete_dataset_group(arn=s.create_dataset_group())


def _tags_lost(s):
    s.tag(s.create_dataset_group(), "team", "a")


def _untag_ignored(s):
    group = s.create_dataset_group()
    s.tag(group, "team", "a")
    s.untag(group, ["team"])


def _gone_wrongly(s):
    s.delete_dataset_group(arn=s.create_dataset_group())


# fault -> (the rule that must report it, a sequence that meets it, emulator timing)
SEQUENCES = {
    "page-overlap": ("pagination.exactly-once", _page_overlap, "immediate"),
    "page-drop": ("pagination.exactly-once", _page_drop, "immediate"),
    "backwards-transition": ("lifecycle.legal-transition", _backwards, "immediate"),
    "unknown-status": ("lifecycle.known-status", _unknown_status, "describes:1"),
    "delete-in-use": ("dependency.delete-in-use", _delete_in_use, "immediate"),
    "duplicate-accepted": ("uniqueness.one-per-parent", _duplicate, "immediate"),
    "never-deleted": ("lifecycle.gone-after-delete", _never_deleted, "immediate"),
    "tags-lost": ("tags.round-trip", _tags_lost, "immediate"),
    "untag-ignored": ("tags.untag-exact", _untag_ignored, "immediate"),
    "wrong-not-found": ("lifecycle.poll-answer", _gone_wrongly, "immediate"),
}


@pytest.mark.parametrize("fault", sorted(SEQUENCES))
def test_a_fixed_sequence_meets_the_fault_under_its_rule(fault):
    rule_, sequence, timing = SEQUENCES[fault]
    with pytest.raises(ContractViolation) as caught:
        sequence(Steps([fault], timing))
    assert str(caught.value).startswith(rule_ + ":"), caught.value


@pytest.mark.parametrize("fault", sorted(SEQUENCES))
def test_the_same_sequence_keeps_every_contract_without_the_fault(fault):
    _, sequence, timing = SEQUENCES[fault]
    steps = Steps([], timing)
    sequence(steps)
    assert steps.machine.walk.outcome.steps >= 1


# -- reporting a failing run ------------------------------------------------------------------

class FailsAfter:
    """The emulator, until it has answered `calls` requests of an example; then an HTTP 500
    InternalFailure to everything. Every example of a dozen steps sends more than that (each step
    is followed by a List), so every walk fails, and the shortest failing one is the shortest
    that reaches the request after the last good one."""

    def __init__(self, calls: int):
        self.calls = calls
        self.factory = fresh_emulator([], "immediate")
        self.sent = 0
        self.longest = 0  # the most requests any example sent

    def __call__(self):
        target = self.factory()
        self.sent = 0
        outer = self

        class Target:
            name, endpoint = target.name, target.endpoint

            def send(self, operation, body, headers=None):
                outer.sent += 1
                outer.longest = max(outer.longest, outer.sent)
                if outer.sent <= outer.calls:
                    return target.send(operation, body, headers)
                body = {"__type": "InternalFailure", "message": "The server encountered an internal error."}
                return WireResponse.of(500, {"content-type": "application/x-amz-json-1.1",
                                             "x-amzn-requestid": "0" * 36}, json.dumps(body).encode())

            def close(self):
                pass
        return Target()


def _calls(script: str) -> list:
    return [n for n in ast.walk(ast.parse(script)) if isinstance(n, ast.Call) and getattr(n.func, "id", "") == "call"]


def _answers(script: str) -> list[str]:
    """What each call of a script was answered, in order."""
    return [line.rsplit("# answered ", 1)[-1] for line in script.splitlines()
            if "call(" in line and not line.startswith("def ")]


def _is_the_failing_sequence(outcome, target) -> None:
    """The script replays the calls up to the first request the target failed, and no further
    than the polls that request can take; it ends with what the run found."""
    assert outcome.failure and f"# expected: {outcome.failure}" in outcome.script
    answers = _answers(outcome.script)
    assert len(answers) == len(_calls(outcome.script))
    assert target.calls < len(answers) <= target.calls + QUICK.max_polls + 1, outcome.script
    assert "InternalFailure" not in " ".join(answers[:target.calls])
    assert answers[target.calls] == "InternalFailure" and answers[-1] == "InternalFailure"


def test_a_failing_run_is_reported_as_the_shrunk_sequence_up_to_the_failing_request():
    target = FailsAfter(6)
    outcome = run(SPEC, target, examples=20, steps_per_example=12, seed=11, poll=QUICK)
    _is_the_failing_sequence(outcome, target)
    assert outcome.shrink_examples > 0, "Hypothesis went on to shrink the first failure"


def test_shrinking_ends_when_its_time_is_spent_and_the_shortest_failure_seen_stands():
    target = FailsAfter(6)
    outcome = run(SPEC, target, examples=20, steps_per_example=12, seed=11, poll=QUICK, shrink_seconds=0)
    assert outcome.shrink_examples == 0, "no example after the first failure once the shrink time is spent"
    _is_the_failing_sequence(outcome, target)


def test_a_walk_on_a_conforming_target_reports_no_failure():
    outcome = run(SPEC, fresh_emulator([], "immediate"), examples=2, steps_per_example=12, seed=11, poll=QUICK)
    assert outcome.failure is None and outcome.script is None, outcome.failure
    assert outcome.examples >= 2 and outcome.steps >= 2 * 12 - 1
