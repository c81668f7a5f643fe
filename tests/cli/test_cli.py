"""The command line as a user meets it: spec index, offline validation, usage errors."""
import json
import pathlib

import pytest

from personalize_conformance.cli.main import main

APISGURU = pathlib.Path(__file__).resolve().parents[2].parent / "shared" / "specs" / \
    "personalize-2018-05-22.apisguru.openapi.json"

DESCRIBE_CAMPAIGN = {
    "campaign": {
        "name": "movies",
        "campaignArn": "arn:aws:personalize:us-east-1:123456789012:campaign/movies",
        "solutionVersionArn": "arn:aws:personalize:us-east-1:123456789012:solution/movies/3d2e7f01",
        "minProvisionedTPS": 1,
        "campaignConfig": {"itemExplorationConfig": {"explorationWeight": "0.3"}},
        "status": "ACTIVE",
        "creationDateTime": 1.698432665917E9,
        "lastUpdatedDateTime": 1.698433012E9,
        "latestCampaignUpdate": {"solutionVersionArn": "arn:aws:personalize:us-east-1:123456789012:solution/movies/3d2e7f01",
                                 "minProvisionedTPS": 1, "status": "ACTIVE",
                                 "creationDateTime": 1.698432665917E9, "lastUpdatedDateTime": 1.698433012E9},
    }
}


def _rows(out: str) -> list[str]:
    return [line for line in out.splitlines()[2:] if line.strip()]


def test_spec_lists_71_operations_by_default(capsys):
    assert main(["spec"]) == 0
    out = capsys.readouterr().out
    assert len(_rows(out)) == 71
    assert any(line.split()[:3] == ["CreateCampaign", "campaign", "create"] for line in _rows(out))


def test_spec_lists_67_operations_of_the_apisguru_file(capsys):
    if not APISGURU.exists():
        pytest.skip("reference spec not present")
    assert main(["spec", "--spec", str(APISGURU)]) == 0
    assert len(_rows(capsys.readouterr().out)) == 67


def test_spec_export_writes_a_loadable_document(tmp_path, capsys):
    out = tmp_path / "built.json"
    assert main(["spec", "--export", str(out)]) == 0
    assert len(json.loads(out.read_text())["paths"]) == 71


def test_validate_accepts_describe_campaign_with_epoch_number_timestamps(tmp_path, capsys):
    body = tmp_path / "campaign.json"
    body.write_text(json.dumps(DESCRIBE_CAMPAIGN).replace("1698432665.917", "1.698432665917E9"))
    assert "E9" in body.read_text()
    assert main(["validate", "--operation", "DescribeCampaign", str(body)]) == 0
    assert "checks passed, 0 failed" in capsys.readouterr().out


def test_validate_rejects_the_same_body_with_iso_timestamps(tmp_path, capsys):
    doc = json.loads(json.dumps(DESCRIBE_CAMPAIGN))
    doc["campaign"]["creationDateTime"] = "2023-10-27T18:51:05.917Z"
    body = tmp_path / "campaign.json"
    body.write_text(json.dumps(doc))
    assert main(["validate", "--operation", "DescribeCampaign", str(body)]) == 1
    out = capsys.readouterr().out
    assert "schema.timestamps" in out and "creationDateTime" in out


def test_validate_reads_headers_and_status(tmp_path, capsys):
    body = tmp_path / "b.json"
    body.write_text(json.dumps(DESCRIBE_CAMPAIGN))
    headers = tmp_path / "h.txt"
    headers.write_text("Content-Type: text/html\nx-amzn-RequestId: abc\n")
    assert main(["validate", "--operation", "DescribeCampaign", "--headers", str(headers), str(body)]) == 1
    assert "wire.content-type" in capsys.readouterr().out


def test_unknown_operation_is_a_usage_error(tmp_path, capsys):
    body = tmp_path / "b.json"
    body.write_text("{}")
    assert main(["validate", "--operation", "NoSuchThing", str(body)]) == 2


def test_aws_target_is_refused_without_allow_aws(capsys):
    assert main(["run", "--target", "aws", "--operation", "ListSchemas"]) == 2
    assert "--allow-aws" in capsys.readouterr().err


def test_help_documents_exit_codes(capsys):
    assert main(["--help"]) == 0
    assert "exit codes" in capsys.readouterr().out
