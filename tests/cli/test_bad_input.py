"""Bad input, command by command: one line naming the bad value, exit code 2, no traceback, and
nothing written outside the folder the command line names.

Every case runs in a folder of its own (`work/`, two levels below the test's temporary folder,
so that a path climbing out of it still lands where the test can see it).
"""
from __future__ import annotations

import json
import pathlib

import pytest

from personalize_conformance.cli.main import main

RESULTS_NOT_A_RUN = {"hello": "world"}
BASELINE_WITHOUT_REASON = "accepted:\n  - {operation: CreateSchema, rule: wire.content-type}\n"
CONFIG_UNKNOWN_KEY = '[tool.personalize-conformance]\nexamplez = 3\n'
CONFIG_BAD_VALUE = '[tool.personalize-conformance]\nexamples = -4\n'

# (command line, a fragment the one line must hold). `{out}` is the output folder a case may
# write into; every other path is relative to the case's own folder.
CASES = [
    # run: the spec
    ("run --spec random.json", "random.json"),
    ("run --spec no-paths.json", "no-paths.json"),
    ("run --spec broken.yaml", "broken.yaml"),
    ("run --spec missing.json", "missing.json"),
    ("run --spec no-operations.json", "no-operations.json"),
    ("run --spec list.yaml", "list.yaml"),
    # run: numbers
    ("run --examples -1", "'-1'"),
    ("run --examples 0", "'0'"),
    ("run --examples many", "'many'"),
    ("run --timeout 0", "'0'"),
    ("run --timeout -1", "'-1'"),
    ("run --timeout nan", "'nan'"),
    ("run --hypothesis-seed -1", "'-1'"),
    # run: where it writes
    ("run --out a-file/reports", "a-file/reports"),
    ("run --out {out} --run-id ../../escape", "../../escape"),
    ("run --out {out} --run-id a/b", "a/b"),
    ("run --out {out} --run-id ..", "'..'"),
    ("run --out {out} --har no-such-folder/traffic.har", "no-such-folder"),
    # run: the target
    ("run --target emulator --endpoint-url http://127.0.0.1:9", "--endpoint-url http://127.0.0.1:9"),
    ("run --endpoint-url localhost:4566", "localhost:4566"),
    ("run --target localhost:4566", "localhost:4566"),
    ("run --target nope", "'nope'"),
    ("run --target aws --out {out}", "--allow-aws"),
    ("run --target moto --emulator-fault no-request-id", "--emulator-fault"),
    ("run --emulator-fault no-such-fault", "no-such-fault"),
    ("run --emulator-timing sometimes", "sometimes"),
    # run: selection and gate
    ("run --operation NoSuchOperation", "NoSuchOperation"),
    ("run --include Nope*", "Nope*"),
    ("run --exclude family:nope", "family:nope"),
    ("run --include rule:no.such.rule", "rule:no.such.rule"),
    ("run --exclude *", "no operation"),
    ("run --fail-on bogus", "bogus"),
    ("run --baseline missing.yaml", "missing.yaml"),
    ("run --baseline no-reason.yaml", "reason"),
    ("run --baseline broken.yaml", "broken.yaml"),
    ("run --format xml", "'xml'"),
    # run: settings
    ("run --config missing.toml", "missing.toml"),
    ("run --config unknown-key.toml", "examplez"),
    ("run --config bad-value.toml", "examples"),
    ("run --config broken.yaml", "broken.yaml"),
    # run: plain argparse
    ("run --bogus", "--bogus"),
    ("run --exam 5", "--exam"),
    ("", "COMMAND"),
    ("nosuchcommand", "nosuchcommand"),
    # spec
    ("spec --spec random.json", "random.json"),
    ("spec --spec broken.yaml", "broken.yaml"),
    ("spec --export no-such-folder/spec.json", "no-such-folder"),
    ("spec --export a-folder", "a-folder"),
    # drift
    ("drift random.json no-paths.json", "random.json"),
    ("drift botocore broken.yaml", "broken.yaml"),
    ("drift botocore missing.json", "missing.json"),
    # validate
    ("validate --operation DescribeCampaign missing.json", "missing.json"),
    ("validate --operation DescribeCampaign --headers missing.txt body.json", "missing.txt"),
    ("validate --operation DescribeCampaign --headers bad-headers.json body.json", "bad-headers.json"),
    ("validate --operation DescribeCampaign --status 999 body.json", "'999'"),
    ("validate --operation NoSuchOperation body.json", "NoSuchOperation"),
    ("validate body.json", "--operation"),
    ("validate --har missing.har", "missing.har"),
    ("validate --har random.json", "random.json"),
    ("validate --har traffic.har --out {out} --run-id ../../escape", "../../escape"),
    ("validate --spec random.json --operation DescribeCampaign body.json", "random.json"),
    # report, diff, replay
    ("report missing-run", "missing-run"),
    ("report random.json", "random.json"),
    ("report run/results.json --out a-file/out", "a-file/out"),
    ("diff missing-a missing-b", "missing-a"),
    ("diff random.json random.json", "random.json"),
    ("replay some-case --run missing-run", "missing-run"),
    ("replay no-such-case --run run/results.json", "no-such-case"),
    ("replay some-case --run random.json", "random.json"),
    ("replay some-case --run run/results.json --timeout 0", "'0'"),
    # parity: record, compare, import
    ("record --out a-file/snapshots --scenario lifecycle/schema", "a-file/snapshots"),
    ("record --out {out} --scenario no-such-scenario", "no-such-scenario"),
    ("record --out {out} --target localhost:1", "localhost:1"),
    ("compare --snapshots missing-folder", "missing-folder"),
    ("compare --snapshots . --run-id ../../escape", "../../escape"),
    ("compare --snapshots . --timeout 0", "'0'"),
    ("import missing.har --out {out}", "missing.har"),
    ("import random.json --out {out}", "random.json"),
    # sweep
    ("sweep --run-id x", "target"),
    ("sweep --target localhost:1 --run-id x", "localhost:1"),
    ("sweep --target http://127.0.0.1:9 --older-than 3x", "3x"),
    ("sweep --target http://127.0.0.1:9", "--run-id"),
]


@pytest.fixture(scope="module")
def a_run(tmp_path_factory) -> pathlib.Path:
    """A real, tiny run's results.json (for the commands that read one)."""
    out = tmp_path_factory.mktemp("a-run")
    assert main(["run", "--operation", "ListSchemas", "--examples", "1", "--out", str(out), "--run-id",
                 "tiny", "--exclude", "family:boundary", "--exclude", "family:invalid"]) in (0, 1)
    return out / "tiny" / "results.json"


def _inputs(here: pathlib.Path, a_run: pathlib.Path) -> None:
    (here / "random.json").write_text(json.dumps(RESULTS_NOT_A_RUN))
    (here / "no-paths.json").write_text(json.dumps({"openapi": "3.0.0", "info": {"title": "t", "version": "1"}}))
    (here / "no-operations.json").write_text(json.dumps({"openapi": "3.0.0", "info": {"title": "t", "version": "1"},
                                                         "paths": {"/pets": {"get": {"responses": {}}}}}))
    (here / "broken.yaml").write_text("a: [\n  b: }\n")
    (here / "list.yaml").write_text("- just\n- a list\n")
    (here / "a-file").write_text("not a folder")
    (here / "a-folder").mkdir()
    (here / "no-reason.yaml").write_text(BASELINE_WITHOUT_REASON)
    (here / "unknown-key.toml").write_text(CONFIG_UNKNOWN_KEY)
    (here / "bad-value.toml").write_text(CONFIG_BAD_VALUE)
    (here / "body.json").write_text("{}")
    (here / "bad-headers.json").write_text("{not json")
    (here / "traffic.har").write_text(json.dumps({"log": {"version": "1.2", "entries": [{
        "startedDateTime": "2024-01-01T00:00:00Z", "time": 1,
        "request": {"method": "POST", "url": "http://127.0.0.1:1/", "headers": [
            {"name": "X-Amz-Target", "value": "AmazonPersonalize.ListSchemas"}],
            "postData": {"mimeType": "application/x-amz-json-1.1", "text": "{}"}},
        "response": {"status": 200, "headers": [{"name": "Content-Type", "value": "application/x-amz-json-1.1"},
                                                 {"name": "x-amzn-RequestId", "value": "r"}],
                     "content": {"mimeType": "application/x-amz-json-1.1", "text": "{\"schemas\": []}"}}}]}}))
    (here / "run").mkdir()
    (here / "run" / "results.json").write_bytes(a_run.read_bytes())


def _tree(root: pathlib.Path) -> dict:
    return {str(p.relative_to(root)): (p.stat().st_size if p.is_file() else None) for p in root.rglob("*")}


@pytest.mark.parametrize("line,fragment", CASES, ids=[c[0] or "(nothing)" for c in CASES])
def test_bad_input_is_one_line_naming_it_and_exit_2_with_nothing_written_outside_the_output_folder(
        line, fragment, tmp_path, monkeypatch, capsys, a_run):
    here = tmp_path / "up" / "work"
    here.mkdir(parents=True)
    _inputs(here, a_run)
    monkeypatch.chdir(here)
    out = here / "out"
    argv = [a.replace("{out}", str(out)) for a in line.split()]
    before = _tree(tmp_path)
    capsys.readouterr()

    code = main(argv)

    stdout, stderr = capsys.readouterr()
    lines = stderr.strip().splitlines()
    assert code == 2, (stdout, stderr)
    assert len(lines) == 1, stderr
    assert fragment in lines[0], lines[0]
    assert lines[0].startswith("personalize-conformance"), lines[0]
    assert "Traceback" not in stderr and "harness error" not in stderr
    changed = {p for p, size in _tree(tmp_path).items() if before.get(p, -1) != size}
    outside = {p for p in changed if not (p == "up/work/out" or p.startswith("up/work/out/"))}
    assert not outside, f"written outside {out}: {sorted(outside)}"
    assert not any(p.startswith("up/work/out/") for p in changed), "a refused command wrote a report"


def test_a_refused_run_id_never_leaves_the_output_folder_even_when_checked_late(tmp_path):
    """The folder-name check is the option's; the path check behind it holds on its own."""
    from personalize_conformance.cli.framework import inside
    from personalize_conformance.errors import UsageError
    with pytest.raises(UsageError, match="leaves the folder"):
        inside(tmp_path / "out", "../escape")
    assert inside(tmp_path / "out", "run-1") == tmp_path / "out" / "run-1"
