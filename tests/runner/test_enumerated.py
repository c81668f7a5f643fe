"""A family's probes are enumerated: each probe's cases are built and sent in turn, a failure of
its first case is minimal by construction, a later one is shrunk under Hypothesis, once per kind
of failure, and the probes after a failing one are still sent."""
from __future__ import annotations

import json
import zlib

import pytest
from hypothesis import strategies as st

from personalize_conformance.checks import NOT_IMPLEMENTED, Finding
from personalize_conformance.runner import stateless
from personalize_conformance.runner.records import CaseRecord
from personalize_conformance.specs import load_spec
from personalize_conformance.strategies import Case
from personalize_conformance.strategies.probes import Probe

OPERATION = "DescribeSchema"
SPEC = load_spec()


def case(rule: str, n: int) -> Case:
    return Case(operation=OPERATION, body=json.dumps({"n": n}).encode(), family="invalid", rule=rule)


def probe(rule: str, values=range(0, 1000, 7)) -> Probe:
    """Cases {"n": v}: enumerated over `values` (the first is the simplest), drawn by Hypothesis
    over any n in 0..1000, so a shrink can reach below what was enumerated."""
    values = list(values)
    return Probe(OPERATION, "invalid", rule, st.integers(0, 1000).map(lambda n: case(rule, n)),
                 enumerate=lambda n, seed: [case(rule, v) for v in values[:n]])


class Target:
    """Stands in for send-and-check: a request whose `n` reaches `threshold(case)` gets the
    finding `rule_for(case)` with `outcome`."""

    def __init__(self, rule_for=lambda case: "wire.content-type", outcome="fail", threshold=lambda case: 0):
        self.sent: list[tuple[str, int]] = []
        self.rule_for, self.outcome, self.threshold = rule_for, outcome, threshold

    def __call__(self, target, case, ctx) -> CaseRecord:
        n = json.loads(case.body)["n"]
        self.sent.append((case.rule, n))
        outcome = self.outcome if n >= self.threshold(case) else "pass"
        return CaseRecord(case, None, [Finding(self.rule_for(case), outcome, "", OPERATION, case.case_id)])


def enumerate_probes(monkeypatch, target: Target, probes, examples: int = 1):
    monkeypatch.setattr(stateless, "send_and_check", target)
    explorer = stateless.Explorer(object(), SPEC, examples)
    return explorer.enumerated(OPERATION, probes, lambda p: zlib.crc32(p.rule.encode()), examples)


def test_every_probe_is_sent_once_at_one_example_each(monkeypatch):
    target = Target(threshold=lambda case: 10**6)
    records, gone = enumerate_probes(monkeypatch, target, [probe(f"r{i}") for i in range(20)])
    assert not gone and target.sent == [(f"r{i}", 0) for i in range(20)]
    assert len(records) == 20 and not any(r.failed for r in records)
    assert {r.seed for r in records} == {zlib.crc32(f"r{i}".encode()) for i in range(20)}


def test_a_failing_first_case_is_minimal_by_construction_and_sent_once(monkeypatch):
    target = Target()  # every request fails, the simplest ({"n": 0}) first
    records, _ = enumerate_probes(monkeypatch, target, [probe(f"r{i}") for i in range(4)])
    assert [(r.case.rule, json.loads(r.case.body)["n"], r.shrunk, r.shrunk_by) for r in records] == [
        (f"r{i}", 0, True, "construction") for i in range(4)]
    assert len(target.sent) == 4  # no Hypothesis run: nothing smaller exists


def test_a_later_case_that_fails_is_shrunk_by_hypothesis_and_the_probes_after_it_are_still_sent(monkeypatch):
    target = Target(threshold=lambda case: 5 if case.rule == "r1" else 10**6)
    records, gone = enumerate_probes(monkeypatch, target, [probe(r) for r in ("r0", "r1", "r2")], examples=3)
    failing = [r for r in records if r.failed]
    assert not gone and len(failing) == 1 and failing[0].case.rule == "r1"
    assert json.loads(failing[0].case.body) == {"n": 5}  # below the 7 that was enumerated
    assert (failing[0].shrunk, failing[0].shrunk_by) == (True, "hypothesis")
    assert {("r2", 0), ("r2", 7), ("r2", 14)} <= set(target.sent)


def test_a_kind_of_failure_already_shrunk_is_reported_as_sent_not_shrunk_again(monkeypatch):
    target = Target(threshold=lambda case: 5)  # the first case passes; later ones fail alike
    records, _ = enumerate_probes(monkeypatch, target, [probe(f"r{i}") for i in range(4)], examples=2)
    failing = [r for r in records if r.failed]
    assert {r.case.rule for r in failing} == {"r0", "r1", "r2", "r3"}
    assert [(r.case.rule, json.loads(r.case.body)["n"]) for r in failing if r.shrunk] == [("r0", 5)]
    assert [(r.case.rule, json.loads(r.case.body)["n"]) for r in failing if not r.shrunk] == [
        ("r1", 7), ("r2", 7), ("r3", 7)]


def test_an_acceptance_failure_is_shrunk_once_per_constraint(monkeypatch):
    target = Target(lambda case: "acceptance.negative", threshold=lambda case: 5)
    records, _ = enumerate_probes(monkeypatch, target, [probe(r) for r in ("r0", "r1", "r2")], examples=2)
    assert [(r.case.rule, json.loads(r.case.body)["n"]) for r in records if r.shrunk] == [
        ("r0", 5), ("r1", 5), ("r2", 5)]


@pytest.mark.parametrize("examples", [1, 3])
def test_a_target_lacking_the_operation_ends_the_family(monkeypatch, examples):
    target = Target(outcome=NOT_IMPLEMENTED)
    records, gone = enumerate_probes(monkeypatch, target, [probe(f"r{i}") for i in range(12)], examples)
    assert gone and len(target.sent) == 1 and records[-1].findings[0].outcome == NOT_IMPLEMENTED


def test_a_probe_that_cannot_build_is_a_harness_error_and_the_rest_still_go(monkeypatch):
    def explode(n, seed):
        raise RuntimeError("this probe is broken")
    broken = Probe(OPERATION, "invalid", "broken", st.nothing(), enumerate=explode)
    target = Target(threshold=lambda case: 10**6)
    records, gone = enumerate_probes(monkeypatch, target, [probe("r0"), broken, probe("r2"), probe("r3")])
    assert not gone and [rule for rule, _ in target.sent] == ["r0", "r2", "r3"]
    errors = [r for r in records if any(f.outcome == "error" for f in r.findings)]
    assert len(errors) == 1 and "this probe is broken" in errors[0].findings[0].message


def test_the_valid_family_draws_several_requests_per_hypothesis_example(monkeypatch):
    drawn = []
    strategy = st.integers(0, 10**6).map(lambda n: drawn.append(n) or Case(
        operation=OPERATION, body=json.dumps({"n": n}).encode(), family="valid"))
    target = Target(threshold=lambda case: 10**7)
    monkeypatch.setattr(stateless, "send_and_check", target)
    explorer = stateless.Explorer(object(), SPEC, 10)
    records = explorer.explore(OPERATION, strategy, 1, 10, per_example=9)
    assert len(records) == 10 and len({json.loads(r.case.body)["n"] for r in records}) == 10
    assert drawn[0] == 0 and len(drawn) == 10  # the simplest once, then nine in one more example


def test_a_valid_failure_among_several_draws_still_shrinks(monkeypatch):
    strategy = st.integers(0, 1000).map(lambda n: Case(operation=OPERATION, body=json.dumps({"n": n}).encode(),
                                                       family="valid"))
    target = Target(threshold=lambda case: 5)
    monkeypatch.setattr(stateless, "send_and_check", target)
    explorer = stateless.Explorer(object(), SPEC, 10)
    records = explorer.explore(OPERATION, strategy, 3, 10, per_example=9)
    failing = [r for r in records if r.failed]
    assert len(failing) == 1 and json.loads(failing[0].case.body) == {"n": 5}
    assert (failing[0].shrunk, failing[0].shrunk_by) == (True, "hypothesis")


def _sent(seed: int, per_probe: int = 3):
    from personalize_conformance.targets import make_target
    target = make_target("emulator")
    try:
        run = stateless.OperationRun(SPEC, target, seed, stateless.Budget(valid=2, per_probe=per_probe),
                                     ("boundary", "invalid"))
        return [(r.case.rule, r.case.body, tuple(sorted(r.case.headers.items(), key=str)), r.seed)
                for r in run("CreateDatasetGroup")]
    finally:
        target.close()


def test_the_run_seed_replays_every_enumerated_case_byte_for_byte():
    first, again, other = _sent(11), _sent(11), _sent(12)
    assert first == again
    assert [c[:3] for c in first] != [c[:3] for c in other]  # the seed orders the choices after the first
    def by_rule(sent):  # the first case of each probe (the null probe names the member it chose)
        return {("*.null" if rule.endswith(".null") else rule): body for rule, body, _, _ in reversed(sent)}
    assert by_rule(first) == by_rule(other)  # the simplest case of each probe does not depend on it
