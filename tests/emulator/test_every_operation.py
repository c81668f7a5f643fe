"""Every operation of the installed model answers without a 5xx, and succeeds conformantly
when its references exist.

Two sweeps over all 71 operations: a minimal valid request generated from the model against
an empty emulator (references are dangling, so most answer a declared 4xx), and a hand-written
request against a fully populated world (each must answer 200 with a body that satisfies the
output shape; ``helpers.Client`` checks both).
"""
from __future__ import annotations

import json

import pytest

from personalize_conformance.emulator import Emulator, model
from personalize_conformance.emulator.validation import build_validators

from .helpers import RECIPE, ROLE, SCHEMA, Client, World

OPERATIONS = model.operation_names()

EXAMPLES = {
    "Arn": "arn:aws:personalize:us-east-1:123456789012:dataset-group/missing",
    "RoleArn": ROLE,
    "KmsKeyArn": "arn:aws:kms:us-east-1:123456789012:key/example",
    "S3Location": "s3://bucket/key",
    "AvroSchema": SCHEMA,
    "DatasetType": "Interactions",
    "FilterExpression": 'INCLUDE ItemID WHERE Items.GENRE IN ("drama")',
    "SchedulingExpression": "rate(7 days)",
    "TagKey": "team",
}


def minimal(shape):
    """The smallest valid value of ``shape``: required members only, lower bounds."""
    kind = shape.type_name
    if kind == "structure":
        return {name: minimal(shape.members[name]) for name in shape.required_members}
    if kind == "list":
        return [minimal(shape.member) for _ in range(shape.metadata.get("min", 0))]
    if kind == "map":
        return {}
    if kind == "string":
        if shape.enum:
            return shape.enum[0]
        return EXAMPLES.get(shape.name, "a" * max(1, shape.metadata.get("min", 1)))
    if kind in ("integer", "long"):
        return max(1, shape.metadata.get("min", 1))
    if kind in ("double", "float"):
        return 0.5
    if kind == "boolean":
        return False
    raise AssertionError(f"unexpected shape type {kind}")


def test_the_model_has_71_operations():
    assert len(OPERATIONS) == 71


@pytest.mark.parametrize("operation", OPERATIONS)
def test_minimal_request_is_answered_without_a_server_error(operation):
    shape = model.operation(operation).input_shape
    params = minimal(shape) if shape is not None else {}
    build_validators([operation])[operation](params)   # the generated request is valid
    reply = Client(Emulator()).call(operation, **params)   # Client asserts < 500, declared error
    if reply.status != 200:
        assert "validation error" not in reply.data["message"]


# Keys of ``populated()`` for resources in a particular state.
EMPTY_GROUP = "empty-group"
UNUSED_SCHEMA = "unused-schema"
UNDEPLOYED_SOLUTION = "undeployed-solution"
STOPPED_RECOMMENDER = "stopped-recommender"


def requests(a: dict[str, str]) -> dict[str, dict]:
    """A succeeding request for every operation, given a populated world's ARNs."""
    io = {"jobInput": {"s3DataSource": {"path": "s3://bucket/in.json"}},
          "jobOutput": {"s3DataDestination": {"path": "s3://bucket/out/"}}, "roleArn": ROLE}
    return {
        "CreateBatchInferenceJob": dict(jobName="batch-2", solutionVersionArn=a["version"], **io),
        "CreateBatchSegmentJob": dict(jobName="segments-2", solutionVersionArn=a["segment-version"],
                                      **io),
        "CreateCampaign": dict(name="campaign-2", solutionVersionArn=a["version"]),
        "CreateDataDeletionJob": dict(jobName="forget-2", datasetGroupArn=a["group"], roleArn=ROLE,
                                      dataSource={"dataLocation": "s3://bucket/u.csv"}),
        "CreateDataset": dict(name="items", schemaArn=a["schema"], datasetGroupArn=a["group"],
                              datasetType="Items"),
        "CreateDatasetExportJob": dict(jobName="export-2", datasetArn=a["dataset"], roleArn=ROLE,
                                       jobOutput={"s3DataDestination": {"path": "s3://b/x/"}}),
        "CreateDatasetGroup": dict(name="group-2"),
        "CreateDatasetImportJob": dict(jobName="import-2", datasetArn=a["dataset"],
                                       dataSource={"dataLocation": "s3://b/i.csv"},
                                       importMode="INCREMENTAL"),
        "CreateEventTracker": dict(name="tracker-2", datasetGroupArn=a["domain-group"]),
        "CreateFilter": dict(name="filter-2", datasetGroupArn=a["group"],
                             filterExpression='INCLUDE ItemID WHERE Items.GENRE IN ("x")'),
        "CreateMetricAttribution": dict(name="attribution-2", datasetGroupArn=a["domain-group"],
                                        metrics=[{"eventType": "buy", "metricName": "revenue",
                                                  "expression": "SUM(Items.PRICE)"}],
                                        metricsOutputConfig={"roleArn": ROLE}),
        "CreateRecommender": dict(name="recommender-2", datasetGroupArn=a["domain-group"],
                                  recipeArn=RECIPE + "aws-ecomm-popular-items-by-views"),
        "CreateSchema": dict(name="schema-2", schema=SCHEMA, domain="ECOMMERCE"),
        "CreateSolution": dict(name="solution-2", datasetGroupArn=a["group"],
                               recipeArn=RECIPE + "aws-similar-items"),
        "CreateSolutionVersion": dict(solutionArn=a["solution"], trainingMode="UPDATE"),
        "DeleteCampaign": dict(campaignArn=a["campaign"]),
        "DeleteDataset": dict(datasetArn=a["dataset"]),
        "DeleteDatasetGroup": dict(datasetGroupArn=EMPTY_GROUP),
        "DeleteEventTracker": dict(eventTrackerArn=a["tracker"]),
        "DeleteFilter": dict(filterArn=a["filter"]),
        "DeleteMetricAttribution": dict(metricAttributionArn=a["attribution"]),
        "DeleteRecommender": dict(recommenderArn=a["recommender"]),
        "DeleteSchema": dict(schemaArn=UNUSED_SCHEMA),
        "DeleteSolution": dict(solutionArn=UNDEPLOYED_SOLUTION),
        "DescribeAlgorithm": dict(algorithmArn="arn:aws:personalize:::algorithm/aws-sims"),
        "DescribeBatchInferenceJob": dict(batchInferenceJobArn=a["batch-inference"]),
        "DescribeBatchSegmentJob": dict(batchSegmentJobArn=a["batch-segment"]),
        "DescribeCampaign": dict(campaignArn=a["campaign"]),
        "DescribeDataDeletionJob": dict(dataDeletionJobArn=a["deletion"]),
        "DescribeDataset": dict(datasetArn=a["dataset"]),
        "DescribeDatasetExportJob": dict(datasetExportJobArn=a["export"]),
        "DescribeDatasetGroup": dict(datasetGroupArn=a["group"]),
        "DescribeDatasetImportJob": dict(datasetImportJobArn=a["import"]),
        "DescribeEventTracker": dict(eventTrackerArn=a["tracker"]),
        "DescribeFeatureTransformation": dict(
            featureTransformationArn="arn:aws:personalize:::feature-transformation/"
                                     "JSON-percentile-filtering"),
        "DescribeFilter": dict(filterArn=a["filter"]),
        "DescribeMetricAttribution": dict(metricAttributionArn=a["attribution"]),
        "DescribeRecipe": dict(recipeArn=RECIPE + "aws-ecomm-recommended-for-you"),
        "DescribeRecommender": dict(recommenderArn=a["recommender"]),
        "DescribeSchema": dict(schemaArn=a["schema"]),
        "DescribeSolution": dict(solutionArn=a["solution"]),
        "DescribeSolutionVersion": dict(solutionVersionArn=a["version"]),
        "GetSolutionMetrics": dict(solutionVersionArn=a["version"]),
        "ListBatchInferenceJobs": dict(solutionVersionArn=a["version"]),
        "ListBatchSegmentJobs": dict(solutionVersionArn=a["segment-version"]),
        "ListCampaigns": dict(solutionArn=a["solution"]),
        "ListDataDeletionJobs": dict(datasetGroupArn=a["group"]),
        "ListDatasetExportJobs": dict(datasetArn=a["dataset"]),
        "ListDatasetGroups": dict(maxResults=1),
        "ListDatasetImportJobs": dict(datasetArn=a["dataset"]),
        "ListDatasets": dict(datasetGroupArn=a["group"]),
        "ListEventTrackers": dict(datasetGroupArn=a["group"]),
        "ListFilters": dict(datasetGroupArn=a["group"]),
        "ListMetricAttributionMetrics": dict(metricAttributionArn=a["attribution"]),
        "ListMetricAttributions": dict(datasetGroupArn=a["group"]),
        "ListRecipes": dict(domain="VIDEO_ON_DEMAND"),
        "ListRecommenders": dict(datasetGroupArn=a["domain-group"]),
        "ListSchemas": dict(),
        "ListSolutionVersions": dict(solutionArn=a["solution"]),
        "ListSolutions": dict(datasetGroupArn=a["group"]),
        "ListTagsForResource": dict(resourceArn=a["campaign"]),
        "StartRecommender": dict(recommenderArn=STOPPED_RECOMMENDER),
        "StopRecommender": dict(recommenderArn=a["recommender"]),
        "StopSolutionVersionCreation": None,   # needs a version still training: see below
        "TagResource": dict(resourceArn=a["solution"], tags=[{"tagKey": "k", "tagValue": "v"}]),
        "UntagResource": dict(resourceArn=a["solution"], tagKeys=["k"]),
        "UpdateCampaign": dict(campaignArn=a["campaign"], minProvisionedTPS=2),
        "UpdateDataset": dict(datasetArn=a["dataset"], schemaArn=UNUSED_SCHEMA),
        "UpdateMetricAttribution": dict(metricAttributionArn=a["attribution"],
                                        removeMetrics=["clicks"]),
        "UpdateRecommender": dict(recommenderArn=a["recommender"],
                                  recommenderConfig={"minRecommendationRequestsPerSecond": 3}),
        "UpdateSolution": dict(solutionArn=a["solution"], performAutoTraining=False),
    }


def populated() -> tuple[Client, dict[str, str]]:
    """A populated world, plus resources in the states some operations need: an empty group,
    a schema nobody uses, a solution without campaigns, a stopped recommender."""
    client = Client(Emulator(timing="immediate"))
    world = World(client).build()
    a = dict(world.arns)
    a[EMPTY_GROUP] = world.group("empty")
    a[UNUSED_SCHEMA] = world.schema("unused")
    a[UNDEPLOYED_SOLUTION] = world.solution(a["group"], name="undeployed")
    stopped = world.recommender(a["domain-group"], name="stopped",
                                recipe="aws-ecomm-frequently-bought-together")
    client.ok("StopRecommender", recommenderArn=stopped)
    a[STOPPED_RECOMMENDER] = stopped
    return client, a


@pytest.mark.parametrize("operation", OPERATIONS)
def test_operation_succeeds_against_a_populated_world(operation):
    if operation == "StopSolutionVersionCreation":
        client = Client(Emulator(timing="describes:1"))   # a new version stays CREATE PENDING
        world = World(client)
        solution = world.solution(world.group())
        version = client.ok("CreateSolutionVersion", solutionArn=solution)["solutionVersionArn"]
        client.ok(operation, solutionVersionArn=version)
        return
    client, arns = populated()
    params = requests(arns)[operation]
    params = {k: arns.get(v, v) if isinstance(v, str) else v for k, v in params.items()}
    client.ok(operation, **params)


def test_every_operation_has_a_success_case():
    assert set(requests({k: k for k in ["version", "group", "dataset", "schema", "solution",
                                          "campaign", "domain-group", "tracker", "filter",
                                          "attribution", "recommender", "batch-inference",
                                          "batch-segment", "deletion", "export", "import",
                                          "segment-version"]}
                        )) == set(OPERATIONS)


def test_generated_requests_parse_as_json():
    for operation in OPERATIONS:
        shape = model.operation(operation).input_shape
        json.dumps(minimal(shape) if shape is not None else {})
