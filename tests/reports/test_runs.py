"""Real runs end to end: moto's report files, diff as a release gate, and HAR recording.

Each run is small (a few operations, few examples) so the whole module stays within seconds.
"""
import json

import pytest

from personalize_conformance.cli.main import main
from personalize_conformance.reporting import results_json
from personalize_conformance.reporting.diff import compare
from personalize_conformance.runner.har_validate import result_for
from personalize_conformance.runner.session import build_document
from personalize_conformance.specs import load_spec

from .conftest import MOTO_OPS, small_run

EMULATOR_OPS = ["CreateSchema", "DescribeSchema", "ListSchemas", "DeleteSchema", "CreateDatasetGroup",
                "ListDatasetGroups", "DescribeRecipe", "ListRecipes"]


_run = small_run


def test_a_moto_run_writes_all_four_report_files(moto_run):
    doc, out = moto_run
    assert {p.name for p in out.iterdir()} >= {"results.json", "summary.md", "junit.xml", "index.html"}
    assert results_json.load(out) == json.loads(json.dumps(doc, default=str))


def test_the_moto_report_shows_its_implemented_and_not_implemented_counts(moto_run):
    doc, out = moto_run
    statuses = [row["status"] for row in doc["operations"].values()]
    implemented = sum(s in ("PASS", "WARN", "FAIL") for s in statuses)
    missing = statuses.count("NOT IMPLEMENTED")
    assert (implemented, missing) == (3, 2)  # moto has schemas and lacks campaigns and recipes
    page = (out / "index.html").read_text()
    assert f'<b id="implemented-count">{implemented}</b>' in page
    assert f'<b id="not-implemented-count">{missing}</b>' in page
    assert page.count('<tr data-operation=') == len(MOTO_OPS)


def test_diff_shows_exactly_the_switched_on_fault_as_the_regression(tmp_path, capsys):
    clean, clean_out = _run(tmp_path, "clean", operations=EMULATOR_OPS)
    faulty, faulty_out = _run(tmp_path, "faulty", operations=EMULATOR_OPS,
                              emulator_options={"faults": ["no-request-id:ListRecipes"]})
    d = compare(clean, faulty)
    assert [(c.operation, c.rule) for c in d.regressions] == [("ListRecipes", "wire.request-id")]
    assert main(["diff", str(clean_out), str(faulty_out)]) == 1
    assert "wire.request-id on 1 operation: ListRecipes" in capsys.readouterr().out
    assert main(["diff", str(faulty_out), str(clean_out)]) == 0


def _matrix(doc, operations=None):
    """Each operation's status, successes and per-response cells (a HAR holds the traffic, not
    the sequences the lifecycle contracts judged across it)."""
    from personalize_conformance.checks import CHECKS
    return {op: (row["status"], row["successes"], {r: v for r, v in row["checks"].items() if r in CHECKS})
            for op, row in doc["operations"].items() if operations is None or op in operations}


@pytest.mark.parametrize("faults", [[], ["content-type-html:ListSchemas", "server-error:DescribeRecipe"]],
                         ids=["clean", "faulty"])
def test_validate_har_of_a_recorded_run_reports_the_runs_verdicts(tmp_path, capsys, faults):
    har_path = tmp_path / "run.har"
    doc, _ = _run(tmp_path, "recorded", operations=EMULATOR_OPS, har=str(har_path),
                  emulator_options={"faults": faults})
    validated = build_document(result_for(har_path, load_spec()))
    # the scenarios reaching the run's operations called others too: the HAR judges those as well
    assert _matrix(validated, doc["operations"]) == _matrix(doc)
    expected = 1 if doc["totals"]["FAIL"] else 0
    assert main(["validate", "--har", str(har_path), "--out", str(tmp_path / "v")]) == expected
