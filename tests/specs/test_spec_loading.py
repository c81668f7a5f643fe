"""Specs load from the installed botocore, from a file or from a URL, and are patched once."""
import json
import pathlib

import pytest

from personalize_conformance.specs import load_spec
from personalize_conformance.specs.index import classify
from personalize_conformance.specs.patches import apply_patches

APISGURU = pathlib.Path(__file__).resolve().parents[2].parent / "shared" / "specs" / \
    "personalize-2018-05-22.apisguru.openapi.json"


def test_default_spec_is_built_from_botocore_with_71_operations():
    spec = load_spec()
    assert len(spec.operations) == 71
    assert spec.source.startswith("botocore")
    op = spec.operation("CreateCampaign")
    assert op.target == "AmazonPersonalize.CreateCampaign"
    assert "ResourceNotFoundException" in op.errors
    assert op.request_schema["required"] == ["name", "solutionVersionArn"]
    assert op.request_schema["properties"]["name"]["maxLength"] == 63


def test_built_document_follows_the_apisguru_conventions():
    raw = load_spec().raw
    assert "/#X-Amz-Target=AmazonPersonalize.CreateCampaign" in raw["paths"]
    post = raw["paths"]["/#X-Amz-Target=AmazonPersonalize.CreateCampaign"]["post"]
    assert post["operationId"] == "CreateCampaign"
    assert {r for r in post["responses"]} >= {"200", "480"}
    assert raw["components"]["schemas"]["Date"] == {"type": "string", "format": "date-time"}


def test_apisguru_spec_loads_from_a_path_and_a_file_url():
    if not APISGURU.exists():
        pytest.skip("reference spec not present")
    assert len(load_spec(str(APISGURU)).operations) == 67
    assert len(load_spec(APISGURU.as_uri()).operations) == 67


def test_yaml_spec_is_accepted(tmp_path):
    import yaml
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(load_spec().raw), encoding="utf-8")
    assert len(load_spec(str(path)).operations) == 71


def test_missing_spec_file_is_a_clear_error():
    with pytest.raises(FileNotFoundError):
        load_spec("/nonexistent/spec.json")


def test_patches_leave_the_loaded_document_untouched():
    raw = load_spec().raw
    before = json.dumps(raw["components"]["schemas"]["Date"])
    patched = apply_patches(raw)
    assert json.dumps(raw["components"]["schemas"]["Date"]) == before
    assert patched["components"]["schemas"]["Date"]["type"] == "number"


def test_patched_document_routes_by_target_and_names_errors():
    doc = load_spec().document
    post = doc["paths"]["/AmazonPersonalize.DeleteSchema"]["post"]
    assert post["x-aws-errors"] == ["InvalidInputException", "ResourceNotFoundException", "ResourceInUseException"]
    assert not any(code.startswith("48") for code in post["responses"])
    tag_key = doc["components"]["schemas"]["TagKey"]
    assert "pattern" not in tag_key and tag_key["x-aws-pattern"].startswith("^([\\p{L}")


@pytest.mark.parametrize("operation,expected", [
    ("CreateDatasetImportJob", ("dataset-import-job", "create")),
    ("ListBatchInferenceJobs", ("batch-inference-job", "list")),
    ("ListRecipes", ("recipe", "list")),
    ("ListDataDeletionJobs", ("data-deletion-job", "list")),
    ("StopSolutionVersionCreation", ("solution-version", "stop")),
    ("StartRecommender", ("recommender", "start")),
    ("TagResource", ("tag", "other")),
    ("GetSolutionMetrics", ("solution-version", "other")),
])
def test_operations_are_classified_by_resource_and_kind(operation, expected):
    assert classify(operation) == expected
