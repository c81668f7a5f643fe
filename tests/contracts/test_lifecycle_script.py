"""A failing sequence becomes a boto3 script that replays on any endpoint."""
import ast
from types import SimpleNamespace

from personalize_conformance.runner.lifecycle_script import script

GROUP = "arn:aws:personalize:us-east-1:123456789012:dataset-group/g1"
VERSION = "arn:aws:personalize:us-east-1:123456789012:solution/s1/0a1b2c3d"


def step(operation, params, body=None, outcome="HTTP 200"):
    return SimpleNamespace(operation=operation, params=params, body=body, outcome=outcome)


def test_arns_and_tokens_handed_out_become_variables():
    text = script([
        step("CreateDatasetGroup", {"name": "g1"}, {"datasetGroupArn": GROUP}),
        step("CreateSolutionVersion", {"solutionArn": "x"}, {"solutionVersionArn": VERSION}),
        step("ListDatasets", {"datasetGroupArn": GROUP, "maxResults": 1}, {"datasets": [], "nextToken": "opaque=="}),
        step("ListDatasets", {"datasetGroupArn": GROUP, "maxResults": 1, "nextToken": "opaque=="}, {"datasets": []}),
        step("DeleteDatasetGroup", {"datasetGroupArn": GROUP}, outcome="ResourceInUseException"),
    ], "http://127.0.0.1:4566", seed=7, expectation="ResourceInUseException")
    ast.parse(text)
    assert "datasetGroupArn=dataset_group_1" in text and "solution_version_1 =" in text
    assert "nextToken=answer_3.get('nextToken')" in text and '"opaque=="' not in text
    assert "endpoint_url='http://127.0.0.1:4566'" in text and "seed 7" in text
    assert "# answered ResourceInUseException" in text and "# expected: ResourceInUseException" in text


def test_an_in_process_target_replays_against_the_default_endpoint():
    text = script([step("ListSchemas", {})], "in-process")
    assert "endpoint_url" not in text and "call('list_schemas')" in text
