"""HAR files: written by a run, exported by a browser or proxy, read back and judged."""
import json

import pytest

from personalize_conformance.cli.main import main
from personalize_conformance.reporting import har
from personalize_conformance.targets.har_recorder import RecordingTarget
from personalize_conformance.runner.har_validate import judge, result_for
from personalize_conformance.specs import load_spec
from personalize_conformance.strategies import Case
from personalize_conformance.targets import TargetUnavailable, WireResponse

OK_HEADERS = {"content-type": "application/x-amz-json-1.1", "x-amzn-requestid": "r-1"}


def _entry(operation, body=b"{}", status=200, headers=None, response_body=b'{"recipes": []}', **extra):
    response = WireResponse.of(status, headers or OK_HEADERS, response_body, 0.002) if status else None
    entry = har.entry("http://127.0.0.1:9/", {"X-Amz-Target": f"AmazonPersonalize.{operation}",
                                              "Content-Type": "application/x-amz-json-1.1", **extra},
                      body, response, 1_700_000_000.0, error="" if status else "refused")
    return entry


def _write(tmp_path, entries, name="t.har"):
    return har.write(tmp_path / name, entries)


def test_entries_round_trip_exact_bytes_statuses_and_headers(tmp_path):
    binary = b'{"name":"\xff"}'
    path = _write(tmp_path, [_entry("ListRecipes", binary, response_body=b"\x00\xfe raw"),
                             _entry("ListRecipes", status=0)])
    first, second = har.read(path)
    assert (first.operation, first.body, first.response.status) == ("ListRecipes", binary, 200)
    assert first.response.body == b"\x00\xfe raw"
    assert first.response.headers["x-amzn-requestid"] == "r-1"
    assert first.response.elapsed == pytest.approx(0.002)
    assert second.response is None and second.error == "refused"


def test_credentials_never_reach_a_har_file(tmp_path):
    path = _write(tmp_path, [_entry("ListRecipes", Authorization="AWS4-HMAC-SHA256 Credential=AKIDSECRET/x",
                                    **{"X-Amz-Security-Token": "TOKENSECRET"})])
    text = path.read_text()
    assert "AKIDSECRET" not in text and "TOKENSECRET" not in text


class _Echoing:
    """A target that echoes its session token into its answers, as some do in error messages."""
    name, endpoint, secrets = "echo", "http://127.0.0.1:9", ("TOKENSECRET-123",)

    def send(self, operation, body, headers=None):
        return WireResponse.of(400, {"x-echo": "TOKENSECRET-123"},
                               b'{"__type": "UnrecognizedClientException", "message": "token TOKENSECRET-123"}')

    def close(self):
        pass


def test_a_secret_the_target_echoes_is_scrubbed_from_the_recording(tmp_path):
    recorder = RecordingTarget(_Echoing(), tmp_path / "run.har")
    recorder.send("ListRecipes", b"{}")
    recorder.close()
    assert "TOKENSECRET-123" not in (tmp_path / "run.har").read_text()


def test_a_browsers_session_cookie_is_not_carried_into_the_report(tmp_path):
    path = _write(tmp_path, [_entry("ListRecipes", headers={**OK_HEADERS, "set-cookie": "session=SECRETCOOKIE"})])
    assert main(["validate", "--har", str(path), "--out", str(tmp_path / "out"), "--run-id", "c"]) == 0
    assert "SECRETCOOKIE" not in (tmp_path / "out" / "c" / "results.json").read_text()


def test_repeated_response_headers_are_folded(tmp_path):
    path = _write(tmp_path, [_entry("ListRecipes")])
    data = json.loads(path.read_text())
    data["log"]["entries"][0]["response"]["headers"] += [{"name": "Via", "value": "a"}, {"name": "via", "value": "b"}]
    path.write_text(json.dumps(data))
    assert har.read(path)[0].response.headers["via"] == "a, b"


@pytest.mark.parametrize("content, complaint", [
    (None, "no such file"), ("{", "not JSON"), ('{"log": {}}', "not a HAR file"), ("[]", "not a HAR file")])
def test_what_is_not_a_har_file_is_refused(tmp_path, content, complaint):
    path = tmp_path / "x.har"
    if content is not None:
        path.write_text(content)
    with pytest.raises(har.HarError, match=complaint):
        har.read(path)


def test_browser_traffic_beside_personalize_is_left_out_and_counted(tmp_path):
    foreign = json.loads(json.dumps(_entry("ListRecipes")))
    foreign["request"].update(method="GET", url="http://127.0.0.1:9/index.html",
                              headers=[{"name": "Accept", "value": "text/html"}])
    dynamo = _entry("ListRecipes")
    dynamo["request"]["headers"][0]["value"] = "DynamoDB_20120810.ListTables"
    path = _write(tmp_path, [foreign, dynamo, _entry("NoSuchOperation"), _entry("ListRecipes")])
    records, skipped = judge(har.read(path), load_spec())
    assert [r.case.operation for r in records] == ["ListRecipes"]
    assert sum(skipped["reasons"].values()) == 3
    assert skipped["unknown_operations"] == {"NoSuchOperation": 1}


def test_a_request_sent_with_another_content_type_is_judged_and_reproduced_with_it(tmp_path):
    entry = _entry("ListRecipes")
    entry["request"]["headers"][1]["value"] = "application/json"
    records, _ = judge(har.read(_write(tmp_path, [entry])), load_spec())
    assert records[0].case.headers == {"content-type": "application/json"}


def test_a_bare_5xx_is_a_server_fault_and_only_a_recognisable_answer_is_not_implemented(tmp_path):
    bare = dict(status=500, headers={"content-type": "text/html"}, response_body=b"<h1>500</h1>")
    moto = dict(status=500, headers={"content-type": "text/plain"},
                response_body=b"NotImplementedError: The list_recipes action has not been implemented")
    path = _write(tmp_path, [_entry("ListRecipes", **moto), _entry("ListRecipes", **moto),
                             _entry("ListSchemas", **bare), _entry("ListSchemas", **bare)])
    records, _ = judge(har.read(path), load_spec())
    outcomes = {(r.case.operation, f.outcome) for r in records for f in r.findings}
    assert {o for op, o in outcomes if op == "ListRecipes"} == {"not-implemented"}
    assert ("ListSchemas", "fail") in outcomes and ("ListSchemas", "not-implemented") not in outcomes


def test_a_recorded_request_without_an_answer_is_unavailable(tmp_path):
    records, _ = judge(har.read(_write(tmp_path, [_entry("ListRecipes", status=0)])), load_spec())
    assert [f.outcome for f in records[0].findings] == ["unavailable"]


class _Inner:
    name, endpoint = "fake", "http://127.0.0.1:9"

    def __init__(self):
        self.closed = False

    def prepare(self, case):
        case.note = "stamped"
        return case

    def send(self, operation, body, headers=None):
        if operation == "DeleteSchema":
            raise TargetUnavailable("refused")
        return WireResponse.of(200, OK_HEADERS, b"{}")

    def close(self):
        self.closed = True


def test_the_recorder_keeps_each_prepared_cases_own_fields(tmp_path):
    recorder = RecordingTarget(_Inner(), tmp_path / "run.har")
    case = recorder.prepare(Case("ListRecipes", b"{}", params={}, family="invalid", rule="ListRecipes.x.max"))
    recorder.send(case.operation, case.body, case.headers)
    recorder.send("ListSchemas", b"{}")  # sent without prepare: recorded bare
    with pytest.raises(TargetUnavailable):
        recorder.send("DeleteSchema", b"{}")
    recorder.close()
    assert recorder.inner.closed
    first, second, third = har.read(tmp_path / "run.har")
    assert (first.case["family"], first.case["rule"], first.case["note"]) == ("invalid", "ListRecipes.x.max", "stamped")
    assert second.case is None
    assert third.response is None and "refused" in third.error


class _Faulty(_Inner):
    def send(self, operation, body, headers=None):
        return WireResponse.of(500, OK_HEADERS, b'{"__type": "InternalFailure"}')


def test_a_recorded_case_is_judged_with_its_own_family(tmp_path):
    recorder = RecordingTarget(_Faulty(), tmp_path / "run.har")
    case = recorder.prepare(Case("ListRecipes", b'{"maxResults": 0}', params={"maxResults": 0}, family="invalid",
                                 rule="ListRecipes.maxResults.minimum"))
    recorder.send(case.operation, case.body, case.headers)
    recorder.send("ListRecipes", b'{"maxResults": 0}')  # the same bytes, sent without a case
    recorder.close()
    (recorded, foreign), _ = judge(har.read(tmp_path / "run.har"), load_spec())
    assert recorded.case.family == "invalid" and recorded.case.case_id == case.case_id
    assert foreign.case.family == "valid"
    # errors.no-5xx judges well-formed requests only: the invalid case is not its business
    assert "errors.no-5xx" not in {f.rule for f in recorded.findings}
    assert ("errors.no-5xx", "fail") in {(f.rule, f.outcome) for f in foreign.findings}


def test_validate_har_writes_the_report_files_and_exits_1_on_failure(tmp_path, capsys):
    path = _write(tmp_path, [_entry("ListRecipes"),
                             _entry("ListSchemas", headers={"content-type": "text/html"},
                                    response_body=b'{"schemas": []}')])
    assert main(["validate", "--har", str(path), "--out", str(tmp_path / "out"), "--run-id", "h"]) == 1
    out = capsys.readouterr().out
    assert "FAIL            ListSchemas" in out and "wire.content-type" in out
    files = {p.name for p in (tmp_path / "out" / "h").iterdir()}
    assert files >= {"results.json", "summary.md", "junit.xml", "index.html"}
    doc = json.loads((tmp_path / "out" / "h" / "results.json").read_text())
    assert doc["source"] == f"HAR {path}" and doc["har"]["judged"] == 2


def test_validate_har_exits_0_when_every_exchange_conforms(tmp_path, capsys):
    path = _write(tmp_path, [_entry("ListRecipes")])
    assert main(["validate", "--har", str(path), "--out", str(tmp_path / "out")]) == 0


@pytest.mark.parametrize("content", [None, "{", '{"log": {"entries": []}}'])
def test_validate_har_exits_2_on_bad_input(tmp_path, capsys, content):
    path = tmp_path / "x.har"
    if content is not None:
        path.write_text(content)
    assert main(["validate", "--har", str(path), "--out", str(tmp_path / "out")]) == 2
    assert "personalize-conformance:" in capsys.readouterr().err


def test_validate_without_har_still_needs_operation_and_body(capsys):
    assert main(["validate"]) == 2
