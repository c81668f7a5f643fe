"""Answers in the form AWS gives them: error messages, members AWS always returns."""
from __future__ import annotations

import pytest

from .helpers import ROLE

ACCOUNT_REGION = "arn:aws:personalize:us-east-1:123456789012:"


@pytest.mark.parametrize("operation, member, path, label", [
    ("DescribeSolution", "solutionArn", "solution/missing", "solution"),
    ("DescribeDatasetGroup", "datasetGroupArn", "dataset-group/missing", "dataset group"),
    ("DescribeCampaign", "campaignArn", "campaign/missing", "campaign"),
])
def test_not_found_says_the_given_resource_does_not_exist(fast, operation, member, path, label):
    arn = ACCOUNT_REGION + path
    reply = fast.call(operation, **{member: arn})
    assert reply.code == "ResourceNotFoundException"
    assert reply.data["message"] == f"The given {label} does not exist: {arn}"


def test_a_duplicate_is_another_resource_with_that_arn(fast):
    arn = fast.ok("CreateDatasetGroup", name="g")["datasetGroupArn"]
    reply = fast.call("CreateDatasetGroup", name="g")
    assert reply.code == "ResourceAlreadyExistsException"
    assert reply.data["message"] == f"Another resource with Arn {arn} already exists."


def test_a_solution_version_always_has_a_name(world):
    c, solution = world.c, world.arns["solution"]
    unnamed = world.arns["version"]
    # Recorded AWS traffic: an unnamed version is named "<solution name>/<version id>".
    solution_name = solution.rsplit("/", 1)[1]
    assert c.ok("DescribeSolutionVersion", solutionVersionArn=unnamed)["solutionVersion"]["name"] == \
        f"{solution_name}/{unnamed.rsplit('/', 1)[1]}"
    named = c.ok("CreateSolutionVersion", solutionArn=solution, name="v2")["solutionVersionArn"]
    assert c.ok("DescribeSolutionVersion", solutionVersionArn=named)["solutionVersion"]["name"] == "v2"


def test_a_campaign_always_has_a_campaign_config(world):
    c, version = world.c, world.arns["version"]
    plain = c.ok("DescribeCampaign", campaignArn=world.arns["campaign"])["campaign"]
    assert plain["campaignConfig"] == {}
    config = {"itemExplorationConfig": {"explorationWeight": "0.3"}}
    arn = c.ok("CreateCampaign", name="explorer", solutionVersionArn=version,
               campaignConfig=config)["campaignArn"]
    assert c.ok("DescribeCampaign", campaignArn=arn)["campaign"]["campaignConfig"] == config


def test_a_metric_name_twice_is_refused_without_pretending_it_is_an_arn(world):
    c, arn = world.c, world.arns["attribution"]
    reply = c.call("UpdateMetricAttribution", metricAttributionArn=arn, addMetrics=[
        {"eventType": "click", "metricName": "clicks", "expression": "SAMPLECOUNT()"}],
        metricsOutputConfig={"roleArn": ROLE})
    assert reply.code == "ResourceAlreadyExistsException" and "clicks" in reply.data["message"]
