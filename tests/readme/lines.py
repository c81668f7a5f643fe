"""What each command the README shows must do, keyed by the command exactly as the README shows it.

`Run`: the command runs as typed, in a shell, with the harness of this checkout first on PATH,
no AWS credentials anywhere, and `PERSONALIZE_CONFORMANCE_EXAMPLES=1` (the documented default
of `run --examples` and `--conformance-examples`) so that each run is short; it must exit with
`code` and print something matching `out`. Files it names are made first (`needs`, by the makers
below); a server (`serves`) must print its URL first, answer, and stop on SIGTERM.

`Covered`: a command that cannot run inside the test session (it installs into the very
environment the tests run in, or it is the test session), and what runs it instead; `check`
makes sure that is still so.

A README command with no entry here fails the test that says so: add its entry.
"""
from __future__ import annotations

import json
import pathlib
import re
from dataclasses import dataclass, field
from typing import Callable

ROOT = pathlib.Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Run:
    code: int = 0
    out: str = ""  # a regular expression searched in stdout + stderr
    needs: tuple[str, ...] = ()
    makes: tuple[str, ...] = ()  # files the command leaves in its folder
    where: str = "empty"  # "empty": a new empty folder; "checkout": a copy of this checkout
    serves: bool = False


@dataclass(frozen=True)
class Covered:
    by: str
    check: Callable[[], None] = field(compare=False)


def _ci_runs(pattern: str) -> Callable[[], None]:
    def check() -> None:
        text = (ROOT / ".ci" / "run").read_text()
        assert re.search(pattern, text, re.M), f".ci/run no longer runs {pattern!r}"
    return check


def _in_file(path: str, text: str) -> None:
    assert text in (ROOT / path).read_text(), f"{path} no longer has {text!r}"


def _wheel_test_builds() -> None:
    _in_file("tests/packaging/built.py", '"-m", "build"')


FULL_RUN = r"run \S+ against emulator: 71 PASS of 71 operations"
NO_CREDENTIALS = r"no AWS credentials found"

LINES: dict[str, Run | Covered] = {
    # set-up and the harness's own suite
    "pip install -e '.[test]'": Covered(
        ".ci/run, which installs the checkout so before the suite; this test session runs on it",
        _ci_runs(r"pip install (--quiet )?-e '\.\[test\]'")),
    "python -m pytest -q": Covered("the suite itself, as .ci/run runs it", _ci_runs(r"python3? -m pytest -q")),
    "pytest -n 2": Covered("the suite under pytest-xdist, as bench/suite.py times it",
                           lambda: _in_file("bench/suite.py", '["-n", str(workers)]')),
    "python -m build": Covered("tests/packaging/test_wheel.py, on a used copy of the checkout", _wheel_test_builds),
    # the main job and the targets
    "personalize-conformance run": Run(out=FULL_RUN, makes=("reports",)),
    "personalize-conformance run --target moto": Run(code=1, out=r"against moto: .*67 NOT IMPLEMENTED of 71"),
    "personalize-conformance run --target http://127.0.0.1:4566": Run(
        needs=("emulator on port 4566",), out=r"against http://127.0.0.1:4566: 71 PASS of 71 operations"),
    "personalize-conformance spec --export personalize.openapi.json": Run(
        out=r"wrote personalize.openapi.json \(71 operations", makes=("personalize.openapi.json",)),
    "personalize-conformance run --spec personalize.openapi.json": Run(
        needs=("personalize.openapi.json",), out=r"71 PASS of 71 operations"),
    "personalize-conformance run --hypothesis-seed 1234": Run(out=r"hypothesis seed: 1234\b"),
    "personalize-conformance run --operation CreateSchema --operation ListSchemas": Run(
        out=r"run \S+ against emulator: 2 PASS of 2 operations"),
    "personalize-conformance spec": Run(out=r"^# botocore.*: 71 operations"),
    "personalize-conformance spec --patches": Run(out=r"^content-type\s+Requests and responses"),
    "personalize-conformance validate --operation DescribeCampaign response.json": Run(
        needs=("response.json",), out=r"\d+ checks passed, 0 failed"),
    "personalize-conformance emulator --port 0": Run(serves=True),
    # under pytest
    "pytest --pyargs personalize_conformance.suite --target moto": Run(
        code=1, out=r"conformance report: reports/\S+/summary\.md", makes=("reports",)),
    "pytest --target moto": Run(code=1, where="checkout", out=r"(?s)deselected.*conformance report: reports/"),
    "pytest --target moto -k CreateSchema": Run(
        code=1, where="checkout", out=r"(?s)(?=.*FAILED suite/test_stateless.py::test_operation_conforms"
                                      r"\[CreateSchema-valid\])(?=.*conformance report: reports/)"),
    "pytest --target moto -k CreateSchema -n 2": Run(
        code=1, where="checkout", out=r"(?s)(?=.*2 workers)(?=.*conformance report: reports/)"),
    # real AWS: planned, or refused here, where there are no credentials
    "personalize-conformance run --target aws --plan": Run(out=r"against aws, .*\(nothing has been sent to aws\)"),
    "personalize-conformance run --target aws --allow-aws": Run(code=2, out=NO_CREDENTIALS),
    "personalize-conformance sweep --older-than 2h --target aws --allow-aws --dry-run": Run(code=2, out=NO_CREDENTIALS),
    "personalize-conformance sweep --run-id ID --target aws --allow-aws": Run(code=2, out=NO_CREDENTIALS),
    # what runs leave behind
    "personalize-conformance diff RUN_A RUN_B": Run(needs=("RUN_A", "RUN_B"), out=r"no regression|newly"),
    "personalize-conformance drift SPEC_A SPEC_B": Run(code=1, needs=("SPEC_A", "SPEC_B"), out=r"DeleteSchema"),
    "personalize-conformance replay CASE_ID --run RUN": Run(needs=("RUN",), out=r"CASE_ID"),
    "personalize-conformance run --replay RUN": Run(needs=("RUN",), out=r"run \S+ against emulator: .*PASS"),
    "personalize-conformance run --har traffic.har": Run(out=FULL_RUN, makes=("traffic.har",)),
    "personalize-conformance validate --har traffic.har": Run(needs=("traffic.har",), out=r"PASS\s+ListSchemas"),
    "personalize-conformance run --emulator-fault no-request-id": Run(code=1, out=r"FAIL"),
    "personalize-conformance drift botocore==1.34.0 botocore": Run(code=1, out=r"4 operations added"),
    # parity
    "personalize-conformance record --target emulator --out snapshots/emulator": Run(
        out=r"recorded \d+ scenarios, \d+ exchanges: snapshots/emulator", makes=("snapshots/emulator",)),
    "personalize-conformance compare --snapshots snapshots/emulator --target moto": Run(
        code=1, needs=("snapshots/emulator",), out=r"parity with emulator: .*\ndifferent: CreateSchema"),
    "personalize-conformance import traffic.har --out snapshots/imported": Run(
        needs=("traffic.har",), out=r"imported \d+ exchanges from 1 files: snapshots/imported"),
    "personalize-conformance import --observations --out snapshots/observed": Run(
        out=r"imported \d+ exchanges from \d+ files: snapshots/observed", makes=("snapshots/observed",)),
    "personalize-conformance compare --snapshots snapshots/observed --target emulator": Run(
        code=1, needs=("snapshots/observed",), out=r"parity with observed AWS: \d+\.\d% of comparable exchanges"),
    # in CI
    "personalize-conformance --version": Run(out=r"^personalize-conformance \S+ \(botocore \S+, Python \S+\)"),
    "personalize-conformance run --target moto --baseline baselines/moto.yaml": Run(
        where="checkout", out=r"accepted by the baseline: \d+ failing cases"),
    "personalize-conformance run --target moto --baseline baselines/moto.yaml --format json": Run(
        where="checkout", out=r'^ "totals": \{'),  # on stdout, the human lines on stderr
    "personalize-conformance run --target moto --baseline baselines/moto.yaml --fail-on fail,warn": Run(
        where="checkout", out=r"accepted by the baseline"),
    "personalize-conformance run --include 'Create*' --exclude family:invalid --exclude rule:schema.extra-members": Run(
        out=r"against emulator: 15 PASS of 15 operations"),
    "personalize-conformance run --plan --target aws": Run(out=r"against aws, .*\(nothing has been sent to aws\)"),
    # schemathesis
    "personalize-conformance emulator --port 4566": Run(serves=True, needs=("port 4566 free",)),
    "SCHEMATHESIS_HOOKS=personalize_conformance.targets.schemathesis_hooks st run personalize.openapi.json "
    "--url http://127.0.0.1:4566 --checks not_a_server_error,status_code_conformance,content_type_conformance,"
    "response_headers_conformance,response_schema_conformance": Covered(
        "tests/schemathesis/test_st_run.py, which reads this line from the README and runs it on a test "
        "server with a small budget", lambda: _in_file("tests/schemathesis/test_st_run.py", "def readme_st_line")),
}


# ---------------------------------------------------------------- the files commands need

DESCRIBE_CAMPAIGN = {"campaign": {
    "name": "movies", "campaignArn": "arn:aws:personalize:us-east-1:123456789012:campaign/movies",
    "solutionVersionArn": "arn:aws:personalize:us-east-1:123456789012:solution/movies/3d2e7f01",
    "minProvisionedTPS": 1, "status": "ACTIVE",
    "campaignConfig": {"itemExplorationConfig": {"explorationWeight": "0.3", "explorationItemAgeCutOff": "30"}},
    "creationDateTime": 1.698432665917E9, "lastUpdatedDateTime": 1.698433012E9}}

SMALL_RUN = ("run", "--operation", "CreateSchema", "--operation", "ListSchemas", "--hypothesis-seed", "1")


def make(name: str, folder: pathlib.Path, harness: Callable[..., str]) -> None:
    """Make what `name` stands for in `folder`; `harness(*argv)` runs the command-line harness there."""
    if name == "response.json":
        (folder / name).write_text(json.dumps(DESCRIBE_CAMPAIGN))
    elif name in ("personalize.openapi.json", "SPEC_A"):
        harness("spec", "--export", name)
    elif name == "SPEC_B":
        make("SPEC_A", folder, harness)
        doc = json.loads((folder / "SPEC_A").read_text())
        doc["paths"] = {p: v for p, v in doc["paths"].items() if not p.endswith("DeleteSchema")}
        (folder / name).write_text(json.dumps(doc))
    elif name in ("RUN_A", "RUN_B"):
        harness(*SMALL_RUN, "--out", ".", "--run-id", name)
    elif name == "RUN":  # a run with a case whose id is CASE_ID
        harness(*SMALL_RUN, "--out", ".", "--run-id", name)
        results = folder / name / "results.json"
        doc = json.loads(results.read_text())
        case = next(c for c in doc["cases"] if c["operation"] == "ListSchemas")
        case["case_id"] = "CASE_ID"
        results.write_text(json.dumps(doc))
    elif name == "snapshots/emulator":
        harness("record", "--target", "emulator", "--out", name)
    elif name == "snapshots/observed":
        harness("import", "--observations", "--out", name)
    elif name == "traffic.har":
        harness(*SMALL_RUN, "--har", name, "--out", "fixture-reports")
    else:
        raise KeyError(f"no maker for {name!r}")
