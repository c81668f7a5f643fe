"""results.json: the document every report, `diff` and `replay` read back."""
import base64
import json

import pytest

from personalize_conformance.checks import Finding
from personalize_conformance.reporting import results_json
from personalize_conformance.reporting.results_json import ResultsError, load
from personalize_conformance.runner.records import CaseRecord, RunResult
from personalize_conformance.strategies import Case
from personalize_conformance.targets import WireResponse

from .docs import crafted


def _result(*cases):
    records = [CaseRecord(c, WireResponse.of(200, {}, b"{}"), [Finding("wire.json-body", "fail", "x")])
               for c in cases]
    return RunResult(run_id="r", target="t", endpoint="http://127.0.0.1:1", spec_source="s", spec_version="v",
                     seed=1, operations={}, records=records, started=1.0, finished=2.0)


def test_a_body_that_is_not_utf8_is_kept_exactly_as_base64():
    raw = b'{"name":"\xff\xfe"}'
    doc = results_json.build(_result(Case("CreateSchema", raw)), {}, {}, {})
    entry = doc["cases"][0]
    assert base64.b64decode(entry["body_b64"]) == raw
    assert "\ufffd" in entry["body"]  # the readable field stays readable


def test_a_run_records_the_hypothesis_version_its_seed_replays_under():
    import hypothesis
    assert results_json.build(_result(), {}, {}, {})["hypothesis_version"] == hypothesis.__version__
    unseeded = _result()
    unseeded.seed = None
    assert results_json.build(unseeded, {}, {}, {})["hypothesis_version"] is None


def test_a_utf8_body_needs_no_base64_copy():
    doc = results_json.build(_result(Case("CreateSchema", '{"name":"é"}'.encode())), {}, {}, {})
    assert "body_b64" not in doc["cases"][0]
    assert doc["cases"][0]["body"] == '{"name":"é"}'


def test_credentials_in_header_overrides_are_redacted():
    case = Case("CreateSchema", b"{}", headers={"Authorization": "AWS4-HMAC-SHA256 Credential=AKIDSECRET"})
    doc = results_json.build(_result(case), {}, {}, {})
    assert "AKIDSECRET" not in json.dumps(doc)


def test_the_document_names_its_schema_version_and_generator():
    doc = results_json.build(_result(), {}, {}, {})
    assert doc["schema_version"] == results_json.SCHEMA_VERSION
    assert doc["generator"]["name"] == "personalize-conformance"


def test_load_reads_a_run_folder_or_the_file_itself(tmp_path):
    results_json.write(tmp_path / "results.json", crafted())
    assert load(tmp_path)["run_id"] == "crafted-run"
    assert load(tmp_path / "results.json")["run_id"] == "crafted-run"


@pytest.mark.parametrize("content, complaint", [
    (None, "no results.json"),
    ("{not json", "not JSON"),
    ("[1, 2]", "no schema_version"),
    ('{"run_id": "x"}', "no schema_version"),
    ('{"schema_version": 99, "operations": {}}', "newer than this harness"),
    ('{"schema_version": "1", "operations": {}}', "not a version number"),
    ('{"schema_version": 1, "operations": []}', "matrix is missing or malformed"),
    ('{"schema_version": 1, "operations": {"A": {"checks": []}}}', "matrix is missing or malformed"),
    ('{"schema_version": 1, "operations": {}, "cases": {}}', "cases are not a list"),
])
def test_load_refuses_what_is_not_a_results_document(tmp_path, content, complaint):
    if content is not None:
        (tmp_path / "results.json").write_text(content)
    with pytest.raises(ResultsError, match=complaint):
        load(tmp_path)
