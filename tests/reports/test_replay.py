"""replay: one recorded case sent again, exactly, to check a fix."""
import base64

import pytest

from personalize_conformance.cli.main import main
from personalize_conformance.runner import replay as replaying
from personalize_conformance.reporting import results_json
from personalize_conformance.runner.session import build_document
from personalize_conformance.runner.records import RunResult
from personalize_conformance.runner.stateless import send_and_check
from personalize_conformance.checks import context_for
from personalize_conformance.specs import load_spec
from personalize_conformance.strategies import Case
from personalize_conformance.targets import make_target

from .docs import crafted

SPEC = None


def _spec():
    global SPEC
    SPEC = SPEC or load_spec()
    return SPEC


def _recorded_run(tmp_path, faults, case):
    """A run folder holding one case, as judged on an emulator with `faults`."""
    target = make_target("emulator", emulator_options={"faults": faults})
    try:
        record = send_and_check(target, case, context_for(_spec()))
    finally:
        target.close()
    result = RunResult(run_id="replayed", target="emulator", endpoint="in-process", spec_source=_spec().source,
                       spec_version=_spec().version, seed=1, operations={case.operation: _spec().operation(case.operation)},
                       records=[record], started=1.0, finished=2.0)
    folder = tmp_path / "run"
    folder.mkdir()
    results_json.write(folder / "results.json", build_document(result))
    return folder, record


def test_a_fixed_target_passes_the_case_that_failed(tmp_path, capsys):
    case = Case.from_params("ListRecipes", {}, family="valid")
    folder, record = _recorded_run(tmp_path, ["content-type-html:ListRecipes"], case)
    assert ("wire.content-type", "fail") in {(f.rule, f.outcome) for f in record.findings}
    assert main(["replay", case.case_id, "--run", str(folder), "--target", "emulator"]) == 0
    out = capsys.readouterr().out
    assert "PASS            wire.content-type" in out and "(recorded: fail)" in out
    assert "conforms now: the recorded failure is fixed" in out


def test_a_target_still_broken_fails_the_case_again(tmp_path):
    case = Case.from_params("ListRecipes", {}, family="valid")
    folder, _ = _recorded_run(tmp_path, ["content-type-html:ListRecipes"], case)
    target = make_target("emulator", emulator_options={"faults": ["content-type-html:ListRecipes"]})
    result = replaying.replay(results_json.load(folder), case.case_id, target, _spec())
    assert result.exit_code == 1
    assert replaying.verdict_line(result) == "fails: still wire.content-type"


class _Echo:
    """A target that keeps what it was sent."""
    name, endpoint = "echo", "http://127.0.0.1:9"

    def __init__(self):
        self.sent = []

    def send(self, operation, body, headers=None):
        from personalize_conformance.targets import WireResponse
        self.sent.append((operation, body, headers))
        return WireResponse.of(200, {"content-type": "application/x-amz-json-1.1", "x-amzn-requestid": "r"},
                               b'{"recipes": []}')

    def close(self):
        pass


def test_replay_sends_the_exact_bytes_and_header_overrides():
    doc = crafted()
    raw = b'{"name":"\xff\x00"}'
    doc["cases"][0].update(operation="ListRecipes", body_b64=base64.b64encode(raw).decode(),
                           headers={"Content-Type": None, "X-Custom": "1", "Authorization": "<redacted>"})
    echo = _Echo()
    result = replaying.replay(doc, "CreateSchema-valid-aaa", echo, _spec())
    assert echo.sent == [("ListRecipes", raw, {"Content-Type": None, "X-Custom": "1"})]
    assert any("Authorization was redacted" in n for n in result.notes)


def test_an_unknown_case_is_a_usage_error_with_suggestions(tmp_path, capsys):
    folder = tmp_path / "run"
    folder.mkdir()
    results_json.write(folder / "results.json", crafted())
    assert main(["replay", "CreateSchema-valid-aab", "--run", str(folder)]) == 2
    assert "did you mean CreateSchema-valid-aaa" in capsys.readouterr().err


def test_a_missing_run_is_a_usage_error(tmp_path, capsys):
    assert main(["replay", "x", "--run", str(tmp_path / "nowhere")]) == 2


def test_the_runs_spec_is_the_one_replay_judges_with():
    assert replaying.spec_source({"spec": {"source": "botocore 1.43.11"}}) is None
    assert replaying.spec_source({"spec": {"source": "/specs/x.json"}}) == "/specs/x.json"
    assert replaying.spec_source({}) is None


@pytest.mark.parametrize("entry, complaint", [({"case_id": "x"}, "names no operation"),
                                              ({"operation": "ListRecipes", "body_b64": "%%%"}, "not base64")])
def test_a_case_that_cannot_be_rebuilt_is_refused(entry, complaint):
    with pytest.raises(replaying.ReplayError, match=complaint):
        replaying.rebuild(entry)
