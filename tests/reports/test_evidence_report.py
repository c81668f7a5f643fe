"""Each report shows the evidence beside each verdict and splits FAILs by it."""
import json

from personalize_conformance.reporting import html_report, summary_md
from personalize_conformance.runner import graded


def test_results_json_labels_every_judging_finding_and_every_failing_cell(moto_run):
    doc, out = moto_run
    saved = json.loads((out / "results.json").read_text(encoding="utf-8"))
    judged = [f for c in saved["cases"] for f in c["findings"] if f["outcome"] in ("pass", "fail", "warn")]
    assert judged and all(f["evidence_level"] in ("model", "protocol", "observed", "doc") for f in judged)
    row = saved["operations"]["DescribeSchema"]
    assert row["status"] == "FAIL"
    assert {rule for rule, v in row["checks"].items() if v == "FAIL"} == set(row["evidence"])
    assert set(row["evidence"].values()) <= {"model", "protocol"} and row["evidence"]


def test_the_evidence_section_splits_fails_by_level(moto_run):
    doc, _ = moto_run
    ev = doc["evidence"]
    assert ev["levels"] == ["model", "protocol", "observed", "doc"]
    fails = [f for c in doc["cases"] for f in c["findings"] if f["outcome"] == "fail"]
    assert sum(ev["fail_findings"].values()) == len(fails)
    assert ev["fail_operations"]["protocol"] >= 1 and ev["strict"] is False
    assert ev["rules"]["schema.response"] == ["model"]


def test_summary_md_shows_levels_in_the_matrix_the_totals_and_the_rules(moto_run):
    doc, _ = moto_run
    text = summary_md.render(doc)
    assert "## Evidence" in text and "FAIL operations by the evidence of their failures: model" in text
    assert "**FAIL** (protocol)" in text or "**FAIL** (model)" in text
    assert "- `schema.response` (model):" in text
    assert "`wire.content-type` [protocol]" in text


def test_index_html_shows_levels_beside_verdicts_and_findings(moto_run):
    doc, _ = moto_run
    page = html_report.render(doc)
    assert 'id="evidence-split"' in page and '<sub class="level">protocol</sub>' in page
    assert 'data-level="protocol"' in page and "(evidence: protocol)" in page


def test_the_reports_say_where_the_docs_are_contradicted():
    doc = {"operations": {}, "cases": [], "rules": {}, "settings": {"strict": True}}
    graded.annotate(doc)
    doc["evidence"]["contradicted"] = [{"resource": "batch-inference-job", "member": "status", "action": "create",
                                        "docs": "PENDING > IN PROGRESS > ACTIVE",
                                        "observed": "CREATE PENDING > CREATE IN_PROGRESS > ACTIVE", "cite": "c"}]
    doc.update(run_id="r", target={"name": "t", "endpoint": "e"}, spec={"source": "s", "version": "v", "operations": 0},
               duration_s=0, totals={"operations": 0})
    text = summary_md.render(doc)
    assert "the docs say PENDING > IN PROGRESS > ACTIVE; AWS walks CREATE PENDING" in text
    assert "--strict: they fail" in text
    assert "AWS walks <code>CREATE PENDING" in html_report.render(doc)


def test_a_document_without_evidence_still_renders():
    doc = {"run_id": "r", "operations": {}, "cases": [], "rules": {"x": "y"}, "totals": {"operations": 0},
           "target": {"name": "t", "endpoint": "e"}, "spec": {"source": "s", "version": "v", "operations": 0},
           "duration_s": 0}
    assert "## Evidence" not in summary_md.render(doc)
    assert "evidence-split" not in html_report.render(doc)
