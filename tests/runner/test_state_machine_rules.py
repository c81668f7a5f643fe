"""The state machine's own read rules fail on a constructed violation: a live resource Describe
cannot find, and a settled resource whose status moves with no action taken."""
import json

import pytest

from personalize_conformance.runner.polling import PollPolicy
from personalize_conformance.runner.statemachine import ContractViolation, LifecycleMachine, Walk, fresh_emulator
from personalize_conformance.specs import load_spec

QUICK = PollPolicy(max_wait=5.0, max_polls=8, delay=0.0, max_delay=0.0)


class Tampered:
    """The emulator, with Describe answers of one operation rewritten once `on` is set."""

    def __init__(self, operation, rewrite):
        self.inner = fresh_emulator(timing="immediate")()
        self.name, self.endpoint = self.inner.name, self.inner.endpoint
        self.operation, self.rewrite, self.on = operation, rewrite, False

    def send(self, operation, body, headers=None):
        answer = self.inner.send(operation, body, headers)
        return self.rewrite(answer) if self.on and operation == self.operation else answer

    def close(self):
        pass


def _machine(target):
    return LifecycleMachine(Walk(load_spec(), lambda: target, poll=QUICK, seed=1))


def _not_found(answer):
    from personalize_conformance.targets import WireResponse
    body = json.dumps({"__type": "ResourceNotFoundException", "message": "gone"}).encode()
    return WireResponse.of(400, {"content-type": "application/x-amz-json-1.1",
                                 "x-amzn-requestid": "r", "x-amzn-errortype": "ResourceNotFoundException"}, body)


def _pending(answer):
    from personalize_conformance.targets import WireResponse
    data = json.loads(answer.body)
    data["datasetGroup"]["status"] = "CREATE PENDING"
    return WireResponse.of(answer.status, answer.headers, json.dumps(data).encode())


def test_a_live_resource_that_describe_cannot_find_breaks_describe_after_create():
    target = Tampered("DescribeSchema", _not_found)
    machine = _machine(target)
    arn = machine.create("schema", {})
    machine.describe(arn)  # the untampered answer holds
    target.on = True
    with pytest.raises(ContractViolation, match=r"^consistency\.describe-after-create: DescribeSchema of the "
                                                r"live schema .* answered ResourceNotFoundException"):
        machine.describe(arn)


def test_a_settled_resource_moving_without_an_action_breaks_the_legal_transitions():
    target = Tampered("DescribeDatasetGroup", _pending)
    machine = _machine(target)
    arn = machine.create("dataset-group", {})
    assert machine.model.live(arn).status == "ACTIVE"
    machine.describe(arn)
    target.on = True
    with pytest.raises(ContractViolation, match=r"^lifecycle\.legal-transition: the settled dataset-group .* was "
                                                r"'ACTIVE' and is now 'CREATE PENDING' with no action taken"):
        machine.describe(arn)


def test_with_no_action_taken_only_a_change_of_status_breaks_the_rule():
    from personalize_conformance import contracts
    from personalize_conformance.checks.contracts import judge
    recommender = contracts.machine("recommender")
    stay = dict(machine=recommender, action=None, before="INACTIVE", arn="arn:r")
    assert judge("lifecycle.legal-transition", path=["INACTIVE"], **stay) == []
    assert [v.outcome for v in judge("lifecycle.legal-transition", path=[None], **stay)] == []
    assert [v.outcome for v in judge("lifecycle.legal-transition", path=["ACTIVE"], **stay)] == ["fail"]
    assert [v.outcome for v in judge("lifecycle.legal-transition", machine=None, action=None, path=["ACTIVE"],
                                     before="INACTIVE")] == ["skip"]
