"""The emulator walks what AWS has been seen to walk, and the lifecycle contracts take every legal
path, however the polls happen to fall.

Every flow of lifecycles.yaml that carries `observed` chains (status sequences seen in recorded AWS
traffic, `contracts/observations/`) is held to the corpus, whose transcripts must all walk along
those chains, and driven on the emulator, describe by describe: the statuses it shows must be a
walk along the observed chains alone, not merely legal in the union with the documentation's.
"""
import pytest

from personalize_conformance import contracts
from personalize_conformance.contracts import Flow, Machine
from personalize_conformance.runner.lifecycle import PASS, run_scenario
from personalize_conformance.runner.lifecycle_driver import Driver
from personalize_conformance.runner.polling import PollPolicy
from personalize_conformance.specs import load_spec
from personalize_conformance.targets import make_target

SPEC = load_spec()
QUICK = PollPolicy(max_wait=60.0, max_polls=8, delay=0.0, max_delay=0.0)
OBSERVED = [(rtype, member, action) for (rtype, member), machine in contracts.machines().items()
            for action, flow in machine.flows.items() if flow.observed]


def _observed_only(rtype: str, member: str, action: str) -> Machine:
    flow = contracts.machine(rtype, member).flow(action)
    walks = tuple(chain for chain, _ in flow.observed)
    return Machine(rtype, member, True, (), {action: Flow(action, walks, flow.observed[0][1], gone=flow.gone)})


def test_there_are_observed_flows_to_hold_the_emulator_to():
    assert {("batch-inference-job", "status", "create"), ("batch-segment-job", "status", "create"),
            ("dataset", "status", "update")} <= set(OBSERVED)


@pytest.mark.parametrize("rtype,member,action", OBSERVED, ids=[f"{r}.{m}.{a}" for r, m, a in OBSERVED])
def test_each_observed_chain_is_backed_by_the_recorded_transcripts(rtype, member, action):
    from personalize_conformance.contracts import observed as corpus
    recorded = [o for o in corpus.transcripts(corpus.RECORDED)
                if (o.resource, o.member, o.action) == (rtype, member, action)]
    assert recorded, "an observed chain with no recorded transcript behind it"
    observed = _observed_only(rtype, member, action)
    for o in recorded:
        assert observed.path_problem(action, list(o.statuses), "ACTIVE" if action == "update" else None) is None, \
            (o.citation, o.statuses)


@pytest.mark.parametrize("rtype,member,action", OBSERVED, ids=[f"{r}.{m}.{a}" for r, m, a in OBSERVED])
def test_the_emulator_walks_each_observed_sequence(rtype, member, action):
    target = make_target("emulator", emulator_options={"timing": "describes:1"})
    driver = Driver(SPEC, target, seed=3, poll=QUICK)
    if action == "create":
        step, _ = driver.new(rtype)
        arn, before = driver.arn_of(rtype, step), None
    elif action == "update":
        arn = driver.active(rtype, shared=False)
        before = driver.status_of(rtype, driver.describe(rtype, arn), member)
        spec = contracts.updates()[rtype]
        extra = {m: driver.active(t, shared=False) for m, t in spec.needs.items()}
        assert driver.call(contracts.resource_type(rtype).op("update"),
                           contracts.update_request(rtype, arn, extra)).ok
    else:
        pytest.fail(f"no driver for observed {action} flows yet")
    path = driver.poll(rtype, arn, action, member=member, before=before)
    assert path.settled, path.statuses
    observed = _observed_only(rtype, member, action)
    assert observed.path_problem(action, path.statuses, before) is None, path.statuses
    walked = list(path.statuses)
    while before is not None and walked and walked[0] == before:
        walked.pop(0)  # reads from before the action took effect
    assert any(walked == list(chain.steps) for chain in observed.flow(action).chains), walked


@pytest.mark.parametrize("rtype", ["dataset-group", "batch-inference-job", "dataset", "recommender"])
def test_time_driven_polls_that_skip_statuses_still_pass(rtype):
    # The emulator's own default moves with the clock: polls land wherever they land, and may
    # see a resource first in IN_PROGRESS, or already ACTIVE.
    target = make_target("emulator", emulator_options={"timing": "seconds:0.004"})
    driver = Driver(SPEC, target, seed=5, poll=PollPolicy(max_wait=20.0, max_polls=200, delay=0.003,
                                                          factor=1.0, max_delay=0.003))
    for family in ("lifecycle", "update"):
        result = run_scenario(driver, family, rtype)
        assert result.verdict in (PASS, "NOT APPLICABLE"), (family, result.reason, result.failures[:1])
