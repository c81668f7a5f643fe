"""diff: the release gate between two runs."""
import json

import pytest

from personalize_conformance.cli.main import main
from personalize_conformance.reporting import results_json
from personalize_conformance.reporting.diff import classify, compare

from .docs import crafted, with_cells


@pytest.mark.parametrize("before, after, category", [
    ("PASS", "PASS", None),
    ("PASS", "FAIL", "newly_failing"),
    ("WARN", "FAIL", "newly_failing"),
    ("NOT RUN", "FAIL", "newly_failing"),
    ("ERROR", "FAIL", "newly_failing"),
    ("FAIL", "PASS", "newly_passing"),
    ("FAIL", "WARN", "newly_passing"),
    ("NOT IMPLEMENTED", "PASS", "newly_implemented"),
    ("NOT IMPLEMENTED", "FAIL", "newly_implemented"),
    ("PASS", "NOT IMPLEMENTED", "newly_unimplemented"),
    ("FAIL", "NOT IMPLEMENTED", "newly_unimplemented"),
    ("PASS", "UNAVAILABLE", "newly_unjudged"),
    ("PASS", "ERROR", "newly_unjudged"),
    ("ERROR", "UNAVAILABLE", "other"),
    ("PASS", "NOT RUN", "other"),
    ("FAIL", "NOT RUN", "other"),
    ("PASS", "WARN", "other"),
])
def test_each_cell_change_falls_in_one_category(before, after, category):
    assert classify(before, after) == category


def test_identical_runs_have_no_regression():
    d = compare(crafted(), crafted())
    assert not any(d.changes.values()) and d.exit_code == 0


def test_a_cell_that_starts_failing_is_a_regression_with_the_later_runs_reason():
    after = with_cells(crafted(), {("DescribeSchema", "wire.content-type"): "FAIL"})
    after["cases"][2]["findings"][0].update(outcome="fail", message="Content-Type is missing")
    d = compare(crafted(), after)
    assert [(c.operation, c.rule, c.message) for c in d.changes["newly_failing"]] == [
        ("DescribeSchema", "wire.content-type", "Content-Type is missing")]
    assert d.exit_code == 1


def test_fixes_and_new_implementations_pass_the_gate():
    after = with_cells(crafted(), {("CreateSchema", "wire.content-type"): "PASS",
                                   ("CreateCampaign", None): "PASS"})
    d = compare(crafted(), after)
    assert [(c.operation, c.rule) for c in d.changes["newly_passing"]] == [("CreateSchema", "wire.content-type")]
    assert {c.operation for c in d.changes["newly_implemented"]} == {"CreateCampaign"}
    assert len(d.changes["newly_implemented"]) == 4
    assert d.exit_code == 0


def test_an_operation_no_longer_implemented_is_a_regression():
    d = compare(crafted(), with_cells(crafted(), {("DescribeSchema", None): "NOT IMPLEMENTED"}))
    assert {c.operation for c in d.changes["newly_unimplemented"]} == {"DescribeSchema"}
    assert d.exit_code == 1


def test_a_later_run_that_could_not_judge_is_undecided_not_passed():
    d = compare(crafted(), with_cells(crafted(), {("DescribeSchema", None): "UNAVAILABLE"}))
    assert not d.regressions and d.exit_code == 2


def test_a_later_run_that_never_exercised_an_operation_is_undecided_not_passed():
    d = compare(crafted(), with_cells(crafted(), {("DescribeSchema", None): "NOT RUN"}))
    assert {c.operation for c in d.changes["newly_unjudged"]} == {"DescribeSchema"}
    assert d.exit_code == 2


def test_a_cell_no_longer_run_in_an_exercised_operation_is_only_noted():
    d = compare(crafted(), with_cells(crafted(), {("DescribeSchema", "errors.declared"): "NOT RUN"}))
    assert [(c.before, c.after) for c in d.changes["other"]] == [("PASS", "NOT RUN")]
    assert d.exit_code == 0


def test_failures_of_a_check_the_earlier_run_lacked_are_not_regressions():
    after = crafted()
    after["rules"]["wire.new-check"] = "new"
    after["operations"]["DescribeSchema"]["checks"]["wire.new-check"] = "FAIL"
    d = compare(crafted(), after)
    assert [c.rule for c in d.changes["new_rule"]] == ["wire.new-check"]
    assert d.exit_code == 0
    assert any("only the later run has: wire.new-check" in n for n in d.notes)


def test_text_names_the_failing_cells_of_new_checks_and_only_counts_the_rest():
    from personalize_conformance.reporting.diff import render_text
    after = crafted()
    after["rules"].update({"wire.new-check": "new", "wire.other-check": "other"})
    after["operations"]["DescribeSchema"]["checks"].update({"wire.new-check": "FAIL", "wire.other-check": "PASS"})
    text = render_text(compare(crafted(), after))
    assert "FAIL: 1, PASS: 1" in text
    assert "wire.new-check on 1 operation: DescribeSchema" in text and "wire.other-check on" not in text


def test_runs_that_sent_different_requests_are_flagged():
    after = crafted()
    after["hypothesis_seed"] = 8
    assert any("different hypothesis seeds" in n for n in compare(crafted(), after).notes)


def test_runs_of_one_seed_drawn_by_different_hypothesis_versions_are_flagged():
    before, after = crafted(), crafted()
    before["hypothesis_version"], after["hypothesis_version"] = "6.150.0", "6.170.27"
    notes = compare(before, after).notes
    assert any("share seed 7" in n and "6.150.0 and 6.170.27" in n for n in notes), notes
    after["hypothesis_version"] = "6.150.0"
    assert not any("share seed" in n for n in compare(before, after).notes)


def test_operations_only_in_one_run_are_listed_apart():
    after = crafted()
    after["operations"]["UpdateSolution"] = after["operations"].pop("DeleteCampaign")
    d = compare(crafted(), after)
    assert (d.operations_added, d.operations_removed) == (["UpdateSolution"], ["DeleteCampaign"])


def _write(tmp_path, name, doc):
    folder = tmp_path / name
    folder.mkdir()
    results_json.write(folder / "results.json", doc)
    return str(folder)


def test_command_exits_1_on_regression_and_names_it(tmp_path, capsys):
    a = _write(tmp_path, "a", crafted())
    b = _write(tmp_path, "b", with_cells(crafted(), {("DescribeSchema", "wire.request-id"): "FAIL"}))
    assert main(["diff", a, b]) == 1
    out = capsys.readouterr().out
    assert "wire.request-id on 1 operation: DescribeSchema" in out and "REGRESSION" in out
    assert main(["diff", b, a]) == 0
    assert "newly passing: 1" in capsys.readouterr().out


def test_command_json_carries_every_category(tmp_path, capsys):
    a = _write(tmp_path, "a", crafted())
    assert main(["diff", a, a + "/results.json", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["regression"] is False and set(out["counts"]) >= {"newly_failing", "newly_implemented"}


@pytest.mark.parametrize("content", [None, "not json", '{"schema_version": 1}'])
def test_command_exits_2_on_bad_input(tmp_path, capsys, content):
    a = _write(tmp_path, "a", crafted())
    bad = tmp_path / "bad"
    bad.mkdir()
    if content is not None:
        (bad / "results.json").write_text(content)
    assert main(["diff", a, str(bad)]) == 2
    assert "personalize-conformance:" in capsys.readouterr().err
