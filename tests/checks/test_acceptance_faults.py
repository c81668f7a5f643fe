"""Each strategy fault of the bundled emulator is caught by the family built for it, with the
shrunk request and the seed that replays it; the same emulator without faults passes."""
import pytest

from personalize_conformance.runner.stateless import Budget, OperationRun
from personalize_conformance.specs import load_spec
from personalize_conformance.targets import make_target

SPEC = load_spec()
OPERATION = "CreateDatasetGroup"  # required name, lengths, patterns, an enum, tags: every kind but one
SEED = 20240611


def run(faults=(), operation=OPERATION, families=("valid", "boundary", "invalid")):
    target = make_target("emulator", emulator_options={"faults": tuple(faults)})
    try:
        return OperationRun(SPEC, target, SEED, Budget(valid=5, per_probe=1), families)(operation)
    finally:
        target.close()


def failing(records, family=None):
    return [r for r in records if r.failed and (family is None or r.case.family == family)]


def failed_rules(record):
    return {f.rule for f in record.findings if f.outcome == "fail"}


def test_the_clean_emulator_passes_every_family():
    records = run()
    assert records and failing(records) == []
    assert {r.case.family for r in records} == {"valid", "boundary", "invalid"}


@pytest.mark.parametrize("fault, kinds", [
    ("no-length-check", {"maxLength", "minLength"}),
    ("no-enum-check", {"enum"}),
    ("no-required-check", {"required"}),
    ("prefix-patterns", {"pattern"}),
])
def test_a_validation_gap_is_caught_by_the_invalid_family_alone(fault, kinds):
    records = run([fault])
    caught = failing(records, "invalid")
    assert caught and failing(records, "valid") == failing(records, "boundary") == []
    assert {r.case.rule.rsplit(".", 1)[1] for r in caught} & kinds
    for record in caught:
        assert "acceptance.negative" in failed_rules(record)
        assert record.shrunk and record.seed is not None and record.case.seed == record.seed


def test_a_length_gap_is_reported_with_the_minimal_too_long_name():
    caught = [r for r in failing(run(["no-length-check"]), "invalid") if r.case.rule == f"{OPERATION}.name.maxLength"]
    assert len(caught) == 1
    assert len(caught[0].case.params["name"]) == 64 and set(caught[0].case.params) <= {"name", "tags"}


def test_a_prefix_reading_of_patterns_is_caught_with_a_valid_name_and_a_tail():
    caught = [r for r in failing(run(["prefix-patterns"]), "invalid") if r.case.rule == f"{OPERATION}.name.pattern"]
    assert len(caught) == 1
    name = caught[0].case.params["name"]
    assert name[:-1] and name[-1] in (" ", "!", "\n", "é", "#", "\u2028", "~")
    assert "acceptance.negative" in failed_rules(caught[0])


def test_a_multibyte_crash_is_caught_by_the_boundary_family():
    caught = failing(run(["multibyte-500"], families=("boundary",)), "boundary")
    assert caught
    for record in caught:
        assert {"acceptance.positive", "errors.no-5xx"} <= failed_rules(record)
        assert record.shrunk and not record.case.body.decode("utf-8").isascii()


def test_the_summary_lists_each_constraint_not_held_with_its_minimal_request():
    from personalize_conformance.runner.records import RunResult
    from personalize_conformance.runner.stateless import add_coverage
    result = RunResult("r", "emulator", "in-process", SPEC.source, SPEC.version, SEED,
                       {OPERATION: SPEC.operation(OPERATION)}, run(["no-enum-check"]))
    add_coverage(result, SPEC)
    sections = {s["title"]: s["lines"] for s in result.extra["summary_sections"]}
    rows = [line for line in sections["Constraints the target does not hold to"] if line.startswith("| `")]
    assert rows and all("accepted" in row for row in rows)
    assert any(row.startswith(f"| `{OPERATION}.domain.enum` | invalid | accepted | domain: 'ecommerce'") for row in rows)
    assert result.extra["coverage"]["overall"]["boundary_pct"] == 100.0
