"""Every operation's verdict rests on at least one judged success: a defect that shows only on a
success (the emulator labelling one operation's 200s text/html) is caught on any operation, and
an operation never seen to succeed is not PASS."""
import json

import pytest

from personalize_conformance.runner import RunOptions, conformance_run, exit_code
from personalize_conformance.runner.lifecycle import reaching
from personalize_conformance.runner.records import RunResult
from personalize_conformance.runner.verdicts import matrix, unjudged
from personalize_conformance.specs import load_spec

from tests.safety.cli import run_cli

SPEC = load_spec()


def _run(tmp_path, operation, faults=()):
    options = RunOptions(seed=3, examples=1, operations=[operation], out_dir=str(tmp_path), progress=False,
                         emulator_options={"faults": tuple(faults)})
    return conformance_run(options)[0]


@pytest.mark.slow
@pytest.mark.parametrize("operation", list(SPEC.operations))
def test_a_content_type_fault_on_any_one_operation_fails_the_run(operation, tmp_path):
    doc = _run(tmp_path, operation, [f"content-type-html:{operation}"])
    row = doc["operations"][operation]
    assert exit_code(doc) == 1
    assert row["status"] == "FAIL" and row["checks"]["wire.content-type"] == "FAIL", row
    assert row["successes"] >= 1


def test_the_gate_does_not_pass_an_operation_never_seen_to_succeed():
    from personalize_conformance.runner.gate import Gate, judge
    unseen = _row(_records((400, [("wire.request-id", "pass")])))
    passed = _row(_records((200, [("wire.content-type", "pass")])))
    result = judge({"target": {"name": "t"}, "cases": [], "operations": {"A": passed, "B": unseen}}, Gate())
    assert result.exit_code == 2 and result.no_success == ["B"]
    assert result.lines() == ["not judged: no success seen for 1 operation (B); their response checks never ran"]
    assert judge({"target": {"name": "t"}, "cases": [], "operations": {"A": passed}}, Gate()).exit_code == 0


def test_the_cli_catches_the_content_type_fault_on_get_solution_metrics(tmp_path, capsys):
    proc = run_cli(capsys, "run", "--operation", "GetSolutionMetrics", "--emulator-fault",
                   "content-type-html:GetSolutionMetrics", "--examples", "1", "--hypothesis-seed", "3",
                   "--out", str(tmp_path))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    doc = json.loads(next(tmp_path.glob("*/results.json")).read_text())
    assert doc["operations"]["GetSolutionMetrics"]["checks"]["wire.content-type"] == "FAIL"


def test_without_the_fault_the_same_operation_passes_on_its_judged_successes(tmp_path):
    doc = _run(tmp_path, "GetSolutionMetrics")
    row = doc["operations"]["GetSolutionMetrics"]
    assert (row["status"], exit_code(doc)) == ("PASS", 0)
    successes = [c for c in doc["cases"] if c["operation"] == "GetSolutionMetrics"
                 and c["response"] and c["response"]["status"] == 200]
    assert row["successes"] == len(successes) >= 1


def test_every_operation_of_a_resource_type_is_reached_by_a_scenario():
    reached = {family_type for op in SPEC.operations for family_type in reaching([op])}
    unreached = [op for op in SPEC.operations if not reaching([op])]
    # the catalogue reads need no resource of the run's own: the stateless requests reach them
    assert sorted(unreached) == ["DescribeAlgorithm", "DescribeFeatureTransformation", "DescribeRecipe",
                                 "ListRecipes"]
    assert ("tags", "dataset-group") in reached


# -- the matrix's arithmetic, on records built by hand ------------------------------------------------

def _records(*answers):
    from personalize_conformance.checks import Finding
    from personalize_conformance.runner.records import CaseRecord
    from personalize_conformance.strategies import Case
    from personalize_conformance.targets import WireResponse
    out = []
    for status, findings in answers:
        case = Case.from_params("DescribeSchema", {"schemaArn": f"arn:aws:personalize:us-east-1:1:schema/{len(out)}"})
        out.append(CaseRecord(case, WireResponse(status, {}, b"{}") if status else None,
                              [Finding(rule, outcome, "", "DescribeSchema") for rule, outcome in findings]))
    return out


def _row(records):
    result = RunResult("r", "t", "", "", "", 1, {"DescribeSchema": SPEC.operation("DescribeSchema")}, records)
    return matrix(result, ["target.not-implemented", "wire.request-id", "wire.content-type"])["DescribeSchema"]


def test_refusals_alone_are_not_a_pass():
    row = _row(_records((400, [("target.not-implemented", "pass"), ("wire.request-id", "pass")])))
    assert (row["status"], row["successes"]) == ("NOT RUN", 0)
    assert row["reason"].startswith("no success seen")


def test_a_success_that_only_the_gates_saw_is_not_judged():
    row = _row(_records((200, [("target.not-implemented", "pass")])))
    assert (row["status"], row["successes"]) == ("NOT RUN", 0)


def test_one_judged_success_makes_the_pass_and_is_counted():
    row = _row(_records((400, [("wire.request-id", "pass")]), (200, [("wire.content-type", "pass")]),
                        (200, [("wire.content-type", "pass")])))
    assert (row["status"], row["successes"], row["reason"]) == ("PASS", 2, "")


def test_a_failure_stands_without_a_success():
    row = _row(_records((500, [("wire.request-id", "fail")])))
    assert (row["status"], row["successes"]) == ("FAIL", 0)


def test_an_operation_not_sent_by_choice_is_not_run_for_that_reason_and_does_not_decide_the_exit():
    skipped = _row(_records((None, [("target.not-sent", "skipped")])))
    assert skipped["status"] == "NOT RUN" and skipped["reason"].startswith("not sent")
    passed = _row(_records((200, [("wire.content-type", "pass")])))
    assert exit_code({"operations": {"A": skipped, "B": passed}}) == 0


def test_a_run_with_nothing_judged_or_a_success_missing_exits_2():
    unseen = _row(_records((400, [("wire.request-id", "pass")])))
    passed = _row(_records((200, [("wire.content-type", "pass")])))
    missing = {"status": "NOT IMPLEMENTED", "checks": {}}
    assert exit_code({"operations": {"A": passed, "B": missing}}) == 0
    assert exit_code({"operations": {"A": passed, "B": unseen}}) == 2  # the harness could not judge B
    assert unjudged({"A": passed, "B": unseen}).startswith("no success seen for 1 operation (B)")
    assert exit_code({"operations": {"A": missing, "B": dict(missing)}}) == 2
    assert unjudged({"A": missing, "B": missing}).startswith("nothing implemented")
    assert exit_code({"operations": {"A": unseen, "B": missing}}) == 2
    assert unjudged({"A": unseen, "B": missing}).startswith("nothing judged")
    assert exit_code({"operations": {}}) == 2
    assert unjudged({"A": passed, "B": {"status": "FAIL"}}) is None  # the failure decides, and says why


def test_a_harness_error_or_an_unavailable_target_exits_2_and_totals_count_each_row_once():
    passed = _row(_records((200, [("wire.content-type", "pass")])))
    assert exit_code({"operations": {"A": passed, "B": {"status": "ERROR"}}}) == 2
    assert exit_code({"operations": {"A": passed, "B": {"status": "UNAVAILABLE"}}}) == 2
    from personalize_conformance.runner.verdicts import totals
    counted = totals({"A": passed, "B": {"status": "ERROR"}, "C": {"status": "ERROR"}})
    assert (counted["operations"], counted["PASS"], counted["ERROR"], counted["FAIL"]) == (3, 1, 2, 0)


def test_a_3xx_answer_is_not_a_success_a_verdict_rests_on():
    row = _row(_records((300, [("wire.content-type", "pass")])))
    assert (row["status"], row["successes"]) == ("NOT RUN", 0)
    assert _row(_records((299, [("wire.content-type", "pass")])))["successes"] == 1


@pytest.mark.parametrize("outcome, status", [("not-implemented", "NOT IMPLEMENTED"), ("unavailable", "UNAVAILABLE")])
def test_a_gate_that_answered_every_request_decides_every_cell_and_one_that_answered_some_decides_none(outcome,
                                                                                                       status):
    gated = _row(_records((400, [("target.not-implemented", outcome)]), (400, [("target.not-implemented", outcome)])))
    assert gated["status"] == status
    assert set(gated["checks"].values()) == {status}
    mixed = _row(_records((400, [("target.not-implemented", outcome)]), (200, [("wire.content-type", "pass")])))
    assert mixed["checks"]["wire.content-type"] == "PASS" and mixed["checks"]["wire.request-id"] == "NOT RUN"


def test_a_failure_exits_1_whatever_else_could_not_be_judged():
    from personalize_conformance.runner.verdicts import exit_code as verdict_exit
    unseen = _row(_records((400, [("wire.request-id", "pass")])))
    assert verdict_exit({"A": {"status": "FAIL"}, "B": {"status": "ERROR"}, "C": unseen}) == 1
    assert verdict_exit({"A": {"status": "FAIL"}}) == 1


def test_a_failure_an_error_or_an_unavailable_target_decides_the_exit_without_an_unjudged_line():
    unseen = _row(_records((400, [("wire.request-id", "pass")])))
    for status in ("FAIL", "ERROR", "UNAVAILABLE"):
        assert unjudged({"A": unseen, "B": {"status": status}}) is None, status
        assert unjudged({"B": {"status": status}}) is None, status


def test_the_unjudged_line_counts_what_each_operation_came_to():
    unseen = _row(_records((400, [("wire.request-id", "pass")])))
    missing = {"status": "NOT IMPLEMENTED", "checks": {}}
    assert unjudged({}) == "nothing judged: no operation was seen to succeed (no operations)"
    assert unjudged({"A": unseen, "B": missing, "C": missing}) == (
        "nothing judged: no operation was seen to succeed (2 NOT IMPLEMENTED, 1 NOT RUN)")


def test_the_operations_never_seen_to_succeed_are_named_five_at_most():
    passed = _row(_records((200, [("wire.content-type", "pass")])))
    unseen = _row(_records((400, [("wire.request-id", "pass")])))
    tail = "no request was answered with a success, so their response checks never ran"

    def line(count):
        return unjudged({"ok": passed, **{f"Op{i}": unseen for i in range(1, count + 1)}})
    assert line(2) == f"no success seen for 2 operations (Op1, Op2): {tail}"
    assert line(5) == f"no success seen for 5 operations (Op1, Op2, Op3, Op4, Op5): {tail}"
    assert line(6) == f"no success seen for 6 operations (Op1, Op2, Op3, Op4, Op5 and 1 more): {tail}"
    assert line(8) == f"no success seen for 8 operations (Op1, Op2, Op3, Op4, Op5 and 3 more): {tail}"
