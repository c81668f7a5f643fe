"""A family's probes are drawn together in a batch; a failing probe is shrunk alone, once per kind
of failure, and the probes after it are still sent."""
from __future__ import annotations

import json
import zlib

import pytest
from hypothesis import strategies as st

from personalize_conformance.checks import NOT_IMPLEMENTED, Finding
from personalize_conformance.runner import stateless
from personalize_conformance.runner.records import CaseRecord
from personalize_conformance.strategies import Case
from personalize_conformance.strategies.probes import Probe

OPERATION = "DescribeSchema"


def probe(rule: str) -> Probe:
    values = st.integers(0, 1000).map(
        lambda n: Case(operation=OPERATION, body=json.dumps({"n": n}).encode(), family="invalid", rule=rule))
    return Probe(OPERATION, "invalid", rule, values)


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


def batch(monkeypatch, target: Target, rules, examples: int = 1):
    from personalize_conformance.specs import load_spec
    monkeypatch.setattr(stateless, "send_and_check", target)
    explorer = stateless.Explorer(object(), load_spec(), examples)
    return explorer.batches(OPERATION, [probe(r) for r in rules], lambda p: zlib.crc32(p.rule.encode()),
                            lambda start: start, examples)


def test_every_probe_is_sent_in_a_batch_that_passes(monkeypatch):
    target = Target(threshold=lambda case: 10**6)
    records, gone = batch(monkeypatch, target, [f"r{i}" for i in range(20)])
    assert not gone and sorted({rule for rule, _ in target.sent}) == sorted(f"r{i}" for i in range(20))
    assert len(records) == 20 and not any(r.failed for r in records)


def test_a_failing_probe_is_shrunk_alone_and_the_probes_after_it_are_still_sent(monkeypatch):
    target = Target(threshold=lambda case: 5 if case.rule == "r1" else 10**6)
    records, gone = batch(monkeypatch, target, ["r0", "r1", "r2", "r3"], examples=20)
    failing = [r for r in records if r.failed]
    assert not gone and len(failing) == 1 and failing[0].case.rule == "r1" and failing[0].shrunk
    assert json.loads(failing[0].case.body) == {"n": 5}  # the smallest failing value
    assert {"r2", "r3"} <= {rule for rule, _ in target.sent}
    assert {"r0", "r2", "r3"} <= {r.case.rule for r in records if not r.failed}


def test_a_failure_of_the_simplest_example_is_kept_as_drawn_without_a_shrinking_run(monkeypatch):
    target = Target()  # every request fails, the simplest ({"n": 0}) first
    records, _ = batch(monkeypatch, target, ["r0", "r1", "r2", "r3"])
    assert [(r.case.rule, json.loads(r.case.body)["n"], r.shrunk) for r in records] == [
        ("r0", 0, True), ("r1", 0, True), ("r2", 0, True), ("r3", 0, True)]
    assert len(target.sent) == 4


def test_a_kind_of_failure_already_shrunk_is_reported_as_sent_not_shrunk_again(monkeypatch):
    target = Target(threshold=lambda case: 5)  # the simplest passes; random examples fail
    records, _ = batch(monkeypatch, target, ["r0", "r1", "r2", "r3"], examples=20)
    failing = [r for r in records if r.failed]
    assert {r.case.rule for r in failing} == {"r0", "r1", "r2", "r3"}
    assert [(r.case.rule, json.loads(r.case.body)["n"]) for r in failing if r.shrunk] == [("r0", 5)]
    assert {stateless.failure_signature(r) for r in failing} == {frozenset({("wire.content-type", "")})}


def test_an_acceptance_failure_is_shrunk_once_per_constraint(monkeypatch):
    target = Target(lambda case: "acceptance.negative", threshold=lambda case: 5)
    records, _ = batch(monkeypatch, target, ["r0", "r1", "r2"], examples=20)
    assert [(r.case.rule, json.loads(r.case.body)["n"]) for r in records if r.shrunk] == [
        ("r0", 5), ("r1", 5), ("r2", 5)]


@pytest.mark.parametrize("examples", [1, 3])
def test_a_target_lacking_the_operation_ends_the_batch(monkeypatch, examples):
    target = Target(outcome=NOT_IMPLEMENTED)
    records, gone = batch(monkeypatch, target, [f"r{i}" for i in range(12)], examples)
    assert gone and len(target.sent) == 1 and records[-1].findings[0].outcome == NOT_IMPLEMENTED


def test_probes_sent_before_a_rejected_draw_are_not_sent_again(monkeypatch):
    picky = probe("picky")
    picky = Probe(OPERATION, "invalid", "picky", picky.strategy.filter(lambda case: json.loads(case.body)["n"] > 0))
    target = Target(threshold=lambda case: 10**6)
    monkeypatch.setattr(stateless, "send_and_check", target)
    from personalize_conformance.specs import load_spec
    explorer = stateless.Explorer(object(), load_spec(), 1)
    records, _ = explorer.batches(OPERATION, [probe("r0"), picky, probe("r2")], lambda p: 1, lambda start: start, 1)
    assert sorted(rule for rule, _ in target.sent) == ["picky", "r0", "r2"]
    assert sorted(r.case.rule for r in records) == ["picky", "r0", "r2"]


def test_a_probe_that_cannot_draw_is_a_harness_error_and_the_rest_of_its_batch_still_goes(monkeypatch):
    def explode(case):
        raise RuntimeError("this strategy is broken")
    broken = Probe(OPERATION, "invalid", "broken", probe("broken").strategy.map(explode))
    target = Target(threshold=lambda case: 10**6)
    monkeypatch.setattr(stateless, "send_and_check", target)
    from personalize_conformance.specs import load_spec
    explorer = stateless.Explorer(object(), load_spec(), 1)
    records, gone = explorer.batches(OPERATION, [probe("r0"), broken, probe("r2"), probe("r3")],
                                     lambda p: 1, lambda start: start, 1)
    assert not gone and sorted(rule for rule, _ in target.sent) == ["r0", "r2", "r3"]
    errors = [r for r in records if any(f.outcome == "error" for f in r.findings)]
    assert len(errors) == 1 and "this strategy is broken" in errors[0].findings[0].message


def test_a_draw_failing_only_past_the_first_example_is_still_reported(monkeypatch):
    def explode_on_large(case):
        if json.loads(case.body)["n"] > 0:
            raise RuntimeError("breaks on some values")
        return case
    fragile = Probe(OPERATION, "invalid", "fragile", probe("fragile").strategy.map(explode_on_large))
    monkeypatch.setattr(stateless, "send_and_check", Target(threshold=lambda case: 10**6))
    from personalize_conformance.specs import load_spec
    explorer = stateless.Explorer(object(), load_spec(), 5)
    records, _ = explorer.batches(OPERATION, [probe("r0"), fragile], lambda p: 1, lambda start: start, 5)
    errors = [r for r in records if any(f.outcome == "error" for f in r.findings)]
    assert errors and "breaks on some values" in errors[0].findings[0].message
