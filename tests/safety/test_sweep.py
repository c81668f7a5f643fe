"""`sweep` finds what runs left behind - by name prefix, tag, or parent - deletes it children
first, and says what it deleted and what it could not. It never touches anything else."""
from __future__ import annotations

import json
import time

import pytest

from personalize_conformance.emulator import serve
from personalize_conformance.runner.safety import SafeTarget
from personalize_conformance.runner.sweep import Selector, delete, discover
from personalize_conformance.specs import load_spec
from personalize_conformance.targets import make_target
from tests.robustness.broken import BrokenServer, proxy, response
from personalize_conformance.cli.safety_commands import parse_duration
from personalize_conformance.cli.commands import UsageError

from .chain import build, remaining
from .cli import run_cli, run_cli_process

SPEC = load_spec()


@pytest.fixture
def server():
    with serve(port=0, timing="immediate") as running:
        yield running


def _leave(url: str, run_id: str) -> dict[str, str]:
    """What an interrupted-and-killed run `run_id` would have left: a whole tree."""
    safe = SafeTarget(make_target(url), SPEC, run_id)
    return build(safe, safe.name_prefix)


def _create(url: str, name: str, tags=None) -> str:
    target = make_target(url)
    params = {"name": name, **({"tags": [{"tagKey": k, "tagValue": v} for k, v in tags.items()]} if tags else {})}
    arn = json.loads(target.send("CreateDatasetGroup", json.dumps(params).encode()).body)["datasetGroupArn"]
    target.close()
    return arn


@pytest.fixture
def sweep(capsys):
    return lambda *args: run_cli(capsys, "sweep", *args)


def test_sweep_by_run_id_deletes_that_run_and_nothing_else(server):
    """As a user runs it: a process of its own."""
    _leave(server.url, "gone-run")
    kept = _leave(server.url, "other-run")
    stranger = _create(server.url, "pc-gone-runner")  # a similar prefix is not the run's
    proc = run_cli_process("sweep", "--run-id", "gone-run", "--target", server.url)
    assert proc.returncode == 0, proc.stderr
    assert "found 13 resources of run gone-run" in proc.stdout
    assert "deleted 8, gone with their parents 5, could not delete 0" in proc.stdout
    left = remaining(make_target(server.url))
    assert sorted(left["dataset-group"]) == sorted([kept["dataset-group"], stranger])
    assert sum(len(v) for v in left.values()) == 14


def test_sweep_finds_a_tagged_resource_whatever_its_name(server):
    tagged = _create(server.url, "renamed-by-hand", tags={"personalize-conformance:run-id": "tag-run"})
    other = _create(server.url, "renamed-too", tags={"personalize-conformance:run-id": "another"})
    found = discover(make_target(server.url), Selector(run_id="tag-run"))
    assert [f.arn for f in found.found] == [tagged]
    assert other not in found.arns()


def test_sweep_takes_everything_inside_a_resource_of_the_run(server):
    arns = _leave(server.url, "parent-run")
    target = make_target(server.url)
    target.send("CreateFilter", json.dumps({"name": "unstamped-child", "datasetGroupArn": arns["dataset-group"],
                                            "filterExpression": 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("x")'}).encode())
    found = discover(target, Selector(run_id="parent-run"))
    child = [f for f in found.found if f.name == "unstamped-child"]
    assert child and child[0].why == f"inside {arns['dataset-group']}"


def test_older_than_takes_only_old_resources_of_any_run(server):
    left = _leave(server.url, "old-run")
    _create(server.url, "not-a-run-at-all")
    target = make_target(server.url)
    now = time.time()
    assert discover(target, Selector(older_than=3600, now=now)).found == []  # all made just now
    later = discover(target, Selector(older_than=3600, now=now + 7200))
    assert later.arns() == set(left.values())
    report = delete(target, later)
    assert not report.failed
    assert list(remaining(target)) == ["dataset-group"]  # the stranger


def test_dry_run_deletes_nothing(server, sweep):
    _leave(server.url, "dry")
    proc = sweep("--run-id", "dry", "--target", server.url, "--dry-run")
    assert proc.returncode == 0 and "found 13 resources" in proc.stdout
    assert sum(len(v) for v in remaining(make_target(server.url)).values()) == 13


def test_what_could_not_be_deleted_is_listed_and_exits_1(server, sweep):
    _leave(server.url, "stuck")
    emulate = proxy(server.emulator)
    refuse = json.dumps({"__type": "ResourceInUseException", "message": "no"}).encode()

    def respond(req):
        return response(400, refuse) if req.operation == "DeleteSchema" else emulate(req)
    with BrokenServer(respond) as stubborn:
        proc = sweep("--run-id", "stuck", "--target", stubborn.url)
    assert proc.returncode == 1, proc.stderr
    assert "could not delete arn:aws:personalize:us-east-1:123456789012:schema/pc-stuck-schema" in proc.stdout
    assert "could not delete 1" in proc.stdout


def test_sweep_through_the_aws_code_path_needs_allow_aws(server, sweep, fake_aws_env):
    _leave(server.url, "aws-run")
    refused = sweep("--run-id", "aws-run", "--target", "aws", "--endpoint-url", server.url)
    assert refused.returncode == 2 and "--allow-aws" in refused.stderr
    assert sum(len(v) for v in remaining(make_target(server.url)).values()) == 13
    swept = sweep("--run-id", "aws-run", "--target", "aws", "--allow-aws", "--endpoint-url", server.url)
    assert swept.returncode == 0, swept.stderr
    assert remaining(make_target(server.url)) == {}


def test_sweep_against_an_unavailable_target_is_one_line_and_exit_2(sweep):
    with BrokenServer(lambda req: None) as gone:
        url = gone.url
    proc = sweep("--run-id", "x", "--target", url, "--timeout", "1")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_sweep_needs_a_target_and_a_selection(sweep):
    assert sweep("--run-id", "x").returncode == 2
    refused = sweep("--target", "http://127.0.0.1:9")  # one of --run-id / --older-than is required
    assert refused.returncode == 2 and "--run-id" in refused.stderr


@pytest.mark.parametrize("text,seconds", [("30s", 30), ("90m", 5400), ("2h", 7200), ("1d", 86400),
                                          ("1h30m", 5400), ("1w", 604800)])
def test_durations(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "soon", "5", "5x", "h2"])
def test_bad_durations_are_usage_errors(text):
    with pytest.raises(UsageError):
        parse_duration(text)
