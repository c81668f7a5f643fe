"""`run --plan` tells the truth: per operation, what the run then sends and creates.

The run is counted by the same counting target the plan rehearses with, put between the run
and the target it builds."""
from __future__ import annotations

import pytest

from personalize_conformance.cli.main import main
from personalize_conformance.runner import RunOptions, conformance_run, session
from personalize_conformance.runner.plan import CountingTarget, build_plan, polls_per_wait
from personalize_conformance.runner.polling import PollPolicy
from personalize_conformance.specs import load_spec


@pytest.fixture
def counted(monkeypatch):
    """Every target a run builds, wrapped in a CountingTarget (the list of them)."""
    counters: list[CountingTarget] = []
    build = session.make_target

    def make_target(*args, **kwargs):
        counters.append(CountingTarget(build(*args, **kwargs)))
        return counters[-1]
    monkeypatch.setattr(session, "make_target", make_target)
    return counters


def _plan_rows(text: str, operations) -> dict[str, tuple[int, int, int | None]]:
    """operation -> (sends, at most, creates) from the printed plan."""
    rows = {}
    for line in text.splitlines():
        words = line.split()
        if words and words[0] in operations:
            creates = int(words[3]) if len(words) > 3 and words[3].isdigit() else None
            rows[words[0]] = (int(words[1]), int(words[2]), creates)
    return rows


@pytest.mark.slow
def test_the_plan_counts_what_a_run_on_the_emulator_sends_and_creates_per_operation(tmp_path, capsys, counted):
    spec = load_spec()
    same = ["--hypothesis-seed", "11", "--run-id", "plan-check", "--examples", "2", "--exclude", "family:invalid"]
    assert main(["run", "--plan", *same]) == 0
    plan = _plan_rows(capsys.readouterr().out, spec.operations)
    assert set(plan) == set(spec.operations)

    assert main(["run", *same, "--out", str(tmp_path)]) == 0
    run = counted[0]
    for name, (sends, at_most, creates) in plan.items():
        assert run.sends[name] == sends, name
        assert sends <= at_most, name
        if creates is not None:
            assert run.accepted[name] == creates, name
    create_dataset_group = plan["CreateDatasetGroup"]
    assert create_dataset_group[0] > 2  # more than --examples: boundary probes and lifecycles send it too
    assert sum(run.sends.values()) == sum(p[0] for p in plan.values())


@pytest.mark.parametrize("target,options", [
    ("emulator", {"faults": ("content-type-html", "null-members")}),  # every answer fails: shrinking
    ("moto", {}),  # most operations missing
])
def test_a_target_answering_otherwise_stays_within_the_plans_upper_bound(target, options, tmp_path, counted):
    spec = load_spec()
    operations = ["CreateSchema", "DescribeSchema", "ListSchemas", "CreateCampaign"]
    plan = build_plan(spec, operations=operations, examples=4, target=target, endpoint_url=None,
                      allow_billable=False, run_id="bounds", seed=5)
    doc, _ = conformance_run(RunOptions(target=target, seed=5, run_id="bounds", examples=4, operations=operations,
                                        out_dir=str(tmp_path), progress=False, emulator_options=options))
    assert {row["status"] for row in doc["operations"].values()} - {"PASS"}  # it did answer otherwise
    run = counted[0]
    for row in plan.rows:
        assert run.sends[row.operation] <= row.at_most, row


def test_a_wait_is_bounded_by_both_the_poll_count_and_the_time():
    assert polls_per_wait(PollPolicy(max_wait=10.0, max_polls=40, delay=0.005, max_delay=1.0)) == 18
    assert polls_per_wait(PollPolicy(max_wait=1000.0, max_polls=5)) == 5
    aws = PollPolicy.for_target(type("T", (), {"name": "aws"})(), env={})
    assert 100 < polls_per_wait(aws) < 200  # two hours of polling, at most a minute apart
