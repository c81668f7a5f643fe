"""RESULTS_SCHEMA.md documents every field a run writes, at the version the code writes."""
import pathlib
import re

from personalize_conformance.reporting.results_json import SCHEMA_VERSION

DOC = pathlib.Path(__file__).resolve().parents[2] / "RESULTS_SCHEMA.md"


def _section(title: str) -> str:
    text = DOC.read_text(encoding="utf-8")
    start = text.index(f"## {title}")
    end = text.find("\n## ", start + 3)
    return text[start:end if end > 0 else None]


def _fields(title: str) -> set[str]:
    """Backticked names in the first column of a section's tables."""
    names = set()
    for line in _section(title).splitlines():
        if line.startswith("| `"):
            names |= set(re.findall(r"`([^`]+)`", line.split("|")[1]))
    return names


def test_the_documented_version_is_the_written_one():
    assert DOC.read_text(encoding="utf-8").startswith(f"# results.json — schema version {SCHEMA_VERSION}\n")


def test_every_top_level_field_of_a_run_is_documented(moto_run):
    doc, _ = moto_run
    assert set(doc) <= _fields("Top level"), set(doc) - _fields("Top level")


def test_every_field_of_rows_cases_and_findings_is_documented(moto_run):
    doc, _ = moto_run
    rows = {k for row in doc["operations"].values() for k in row}
    cases = {k for case in doc["cases"] for k in case}
    findings = {k for case in doc["cases"] for f in case["findings"] for k in f}
    assert rows <= _fields("`operations[name]`")
    assert cases <= _fields("`cases[]`"), cases - _fields("`cases[]`")
    assert findings <= _fields("`cases[].findings[]`")
    responses = {k for case in doc["cases"] if case["response"] for k in case["response"]}
    assert all(f"`{k}`" in _section("`cases[]`") for k in responses)


def test_every_verdict_a_run_can_give_is_documented():
    from personalize_conformance.runner import verdicts
    documented = _fields("Verdicts")
    assert {verdicts.PASS, verdicts.FAIL, verdicts.WARN, verdicts.NOT_IMPLEMENTED, verdicts.ERROR,
            verdicts.UNAVAILABLE, verdicts.NOT_RUN} <= documented
