"""Nothing reaches AWS without --allow-aws; nothing billable without --allow-billable; --plan sends
nothing. AWS is impersonated by a local endpoint on the same code path as `--target aws`."""
from __future__ import annotations

import json

import pytest

from personalize_conformance.emulator import Emulator
from personalize_conformance.runner import RunOptions, conformance_run, exit_code
from personalize_conformance.targets import AwsNotAllowed, NotSent, make_target
from personalize_conformance.targets.aws import BILLABLE, AwsTarget, billable_reason
from tests.robustness.broken import BrokenServer, proxy

from .cli import run_cli


@pytest.fixture
def recording():
    """A local endpoint that answers like the emulator and remembers every request."""
    with BrokenServer(proxy(Emulator(timing="immediate"))) as server:
        yield server


def test_the_aws_target_refuses_without_allow_aws(recording, fake_aws_env):
    with pytest.raises(AwsNotAllowed, match="--allow-aws"):
        make_target("aws", endpoint_url=recording.url)
    assert recording.requests == []


@pytest.mark.parametrize("url", ["https://personalize.us-east-1.amazonaws.com",
                                 "https://PERSONALIZE.eu-west-1.amazonaws.com.",
                                 "https://personalize.cn-north-1.amazonaws.com.cn"])
def test_an_aws_url_given_as_a_plain_endpoint_is_refused(url):
    with pytest.raises(AwsNotAllowed, match="--target aws --allow-aws"):
        make_target(url)


def test_a_loopback_url_is_not_mistaken_for_aws(recording):
    target = make_target(recording.url)
    assert target.send("ListSchemas", b"{}").status == 200
    target.close()


@pytest.mark.parametrize("operation", sorted(BILLABLE))
def test_billable_operations_are_never_sent_without_allow_billable(operation, recording, fake_aws_env):
    target = AwsTarget(allow_aws=True, endpoint_url=recording.url, timeout=2)
    with pytest.raises(NotSent, match="--allow-billable"):
        target.send(operation, b"{}")
    target.close()
    assert recording.requests == []


def test_billable_operations_are_sent_with_allow_billable(recording, fake_aws_env):
    target = AwsTarget(allow_aws=True, allow_billable=True, endpoint_url=recording.url, timeout=2)
    target.send("CreateCampaign", b"{}")
    target.close()
    assert recording.operations() == ["CreateCampaign"]


@pytest.mark.parametrize("body,billable", [
    (b'{"name": "s", "performAutoTraining": false}', False),
    (b'{"name": "s"}', True),  # automatic training is on by default
    (b'{"name": "s", "performAutoTraining": true}', True),
    (b"not json", True),  # cannot tell, so it may
    (b"[]", True),
])
def test_create_solution_is_billable_unless_automatic_training_is_off(body, billable):
    assert (billable_reason("CreateSolution", body) is not None) is billable


def test_update_solution_is_billable_only_when_it_turns_training_on():
    assert billable_reason("UpdateSolution", b'{"solutionArn": "a"}') is None
    assert billable_reason("UpdateSolution", b'{"solutionArn": "a", "performAutoTraining": true}')


def test_reads_and_deletes_are_not_billable():
    for operation in ("ListSchemas", "DescribeCampaign", "DeleteDatasetGroup", "StopSolutionVersionCreation"):
        assert billable_reason(operation, b"{}") is None


def test_a_run_on_aws_reports_billable_operations_as_not_run(recording, fake_aws_env, tmp_path):
    options = RunOptions(target="aws", endpoint_url=recording.url, allow_aws=True, seed=5, examples=2,
                         operations=["CreateCampaign", "ListCampaigns"], out_dir=str(tmp_path), progress=False)
    doc, _ = conformance_run(options)
    assert "CreateCampaign" not in recording.operations()
    assert "ListCampaigns" in recording.operations()
    assert doc["operations"]["CreateCampaign"]["status"] == "NOT RUN"
    skipped = [f for c in doc["cases"] if c["operation"] == "CreateCampaign" for f in c["findings"]]
    assert skipped and {f["outcome"] for f in skipped} == {"skipped"}
    assert "--allow-billable" in skipped[0]["message"]
    assert exit_code(doc) == 0  # held back is not non-conformance, nor the harness's failure


@pytest.fixture
def cli(capsys):
    return lambda *args: run_cli(capsys, *args)


def test_plan_prints_what_would_be_created_and_sends_nothing(recording, tmp_path, cli):
    proc = cli("run", "--plan", "--target", recording.url, "--run-id", "plan-me", "--examples", "4",
               "--operation", "CreateDatasetGroup", "--operation", "ListSchemas", "--out", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert recording.requests == []
    assert not list(tmp_path.iterdir())  # no report either: nothing ran
    lines = {line.split()[0]: line for line in proc.stdout.splitlines() if line.strip()}
    sends, at_most, creates = (int(n) for n in lines["CreateDatasetGroup"].split()[1:4])
    assert 0 < creates <= sends <= at_most
    assert "dataset-group named pc-plan-me-…" in lines["CreateDatasetGroup"]
    assert "personalize-conformance:run-id=plan-me" in lines["CreateDatasetGroup"]
    assert "reads only" in lines["ListSchemas"]
    assert "teardown: everything created is deleted" in proc.stdout


def test_plan_for_aws_shows_what_the_billable_guard_holds_back_without_credentials(monkeypatch, cli):
    for name in [n for n in __import__("os").environ if n.startswith("AWS_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    ops = ("--operation", "CreateCampaign", "--operation", "ListCampaigns")
    proc = cli("run", "--plan", "--target", "aws", "--examples", "2", *ops)
    assert proc.returncode == 0, proc.stderr
    campaign = next(line for line in proc.stdout.splitlines() if line.startswith("CreateCampaign"))
    assert "not sent" in campaign and "--allow-billable" in campaign
    assert campaign.split()[1:3] == ["0", "0"]  # nothing sent, whatever AWS would answer
    assert "held back: 1 billable operations (CreateCampaign)" in proc.stdout
    with_billable = cli("run", "--plan", "--target", "aws", "--allow-billable", "--examples", "2", *ops)
    campaign = next(line for line in with_billable.stdout.splitlines() if line.startswith("CreateCampaign"))
    assert "not sent" not in campaign and "billable" in campaign
    assert int(campaign.split()[1]) > 0


def test_the_same_run_without_plan_does_send(recording, tmp_path, cli):
    """The same command without --plan does send: the plan's silence is the flag's doing."""
    proc = cli("run", "--target", recording.url, "--operation", "ListSchemas", "--examples", "1",
               "--out", str(tmp_path))
    assert proc.returncode in (0, 1), proc.stderr
    assert "ListSchemas" in recording.operations()
    assert json.loads(next(tmp_path.glob("*/results.json")).read_text())["operations"]
