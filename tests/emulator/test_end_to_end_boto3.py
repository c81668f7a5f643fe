"""boto3 against ``serve()``: the whole custom-resource walk, in dependency order.

Dataset group -> schema -> dataset -> import job -> solution -> solution version -> campaign
-> update -> tags -> paging -> deletes, under the describe-driven ``describes:1`` timing (each
status seen, the same on every run), hitting on the way each documented ResourceInUse,
ResourceNotFound and ResourceAlreadyExists case; and, with default settings, the client that
waits instead of polling.
"""
from __future__ import annotations

import re
import time

import boto3
import pytest
from botocore.config import Config

from personalize_conformance.emulator import serve

from .helpers import RECIPE, ROLE, SCHEMA

ACCOUNT_REGION = "arn:aws:personalize:us-east-1:123456789012:"


def _client(server):
    return boto3.client("personalize", endpoint_url=server.url, region_name="us-east-1",
                        aws_access_key_id="testing", aws_secret_access_key="testing",
                        config=Config(retries={"max_attempts": 1}))


@pytest.fixture
def personalize():
    """A server of its own per walk: each walk lists everything the server holds."""
    server = serve(port=0, timing="describes:1")
    yield _client(server)
    server.shutdown()


def test_with_default_settings_a_client_that_waits_without_describing_succeeds():
    server = serve(port=0)
    try:
        p = _client(server)
        group = p.create_dataset_group(name="waited")["datasetGroupArn"]
        schema = p.create_schema(name="waited-interactions", schema=SCHEMA)["schemaArn"]
        time.sleep(1)   # no Describe: on AWS, time alone moves the group on
        dataset = p.create_dataset(name="interactions", schemaArn=schema, datasetGroupArn=group,
                                   datasetType="Interactions")["datasetArn"]
        assert dataset == ACCOUNT_REGION + "dataset/waited/INTERACTIONS"
        assert p.list_dataset_groups()["datasetGroups"][0]["status"] == "ACTIVE"
    finally:
        server.shutdown()


def statuses_until(describe, key, status="ACTIVE", **arn):
    """Describe until ``status``; answer every status seen on the way."""
    seen = []
    for _ in range(10):
        seen.append(describe(**arn)[key]["status"])
        if seen[-1] == status:
            return seen
    raise AssertionError(seen)


def statuses_until_gone(describe, key, error, **arn):
    seen = []
    for _ in range(10):
        try:
            seen.append(describe(**arn)[key]["status"])
        except error:
            return seen
    raise AssertionError(seen)


def error_code(excinfo) -> str:
    return excinfo.value.response["Error"]["Code"]


def test_custom_resource_walk(personalize):
    p = personalize
    InUse, NotFound = p.exceptions.ResourceInUseException, p.exceptions.ResourceNotFoundException
    Exists = p.exceptions.ResourceAlreadyExistsException

    # -- dataset group -------------------------------------------------------------------
    group = p.create_dataset_group(name="e2e", tags=[{"tagKey": "team", "tagValue": "recs"}]
                                   )["datasetGroupArn"]
    assert group == ACCOUNT_REGION + "dataset-group/e2e"
    with pytest.raises(Exists):
        p.create_dataset_group(name="e2e")
    schema = p.create_schema(name="e2e-interactions", schema=SCHEMA)["schemaArn"]
    with pytest.raises(InUse):   # CreateDatasetGroup: wait until ACTIVE before adding a dataset
        p.create_dataset(name="interactions", schemaArn=schema, datasetGroupArn=group,
                         datasetType="Interactions")
    assert statuses_until(p.describe_dataset_group, "datasetGroup", datasetGroupArn=group) == [
        "CREATE PENDING", "CREATE IN_PROGRESS", "ACTIVE"]

    # -- schema ------------------------------------------------------------------------
    assert schema == ACCOUNT_REGION + "schema/e2e-interactions"
    with pytest.raises(Exists):
        p.create_schema(name="e2e-interactions", schema=SCHEMA)
    assert p.describe_schema(schemaArn=schema)["schema"]["schema"] == SCHEMA

    # -- dataset -----------------------------------------------------------------------
    with pytest.raises(NotFound):
        p.create_dataset(name="interactions", schemaArn=schema + "-missing",
                         datasetGroupArn=group, datasetType="Interactions")
    with pytest.raises(NotFound):
        p.create_dataset(name="interactions", schemaArn=schema,
                         datasetGroupArn=group + "-missing", datasetType="Interactions")
    dataset = p.create_dataset(name="interactions", schemaArn=schema, datasetGroupArn=group,
                               datasetType="Interactions")["datasetArn"]
    assert dataset == ACCOUNT_REGION + "dataset/e2e/INTERACTIONS"
    with pytest.raises(Exists):   # one dataset of each type per group
        p.create_dataset(name="more-interactions", schemaArn=schema, datasetGroupArn=group,
                         datasetType="interactions")
    with pytest.raises(InUse):    # DeleteSchema: delete the datasets referencing it first
        p.delete_schema(schemaArn=schema)
    with pytest.raises(InUse):    # the dataset is not ACTIVE yet
        p.create_dataset_import_job(jobName="e2e-import", datasetArn=dataset, roleArn=ROLE,
                                    dataSource={"dataLocation": "s3://bucket/i.csv"})
    statuses_until(p.describe_dataset, "dataset", datasetArn=dataset)

    # -- import job --------------------------------------------------------------------
    job = p.create_dataset_import_job(jobName="e2e-import", datasetArn=dataset, roleArn=ROLE,
                                      dataSource={"dataLocation": "s3://bucket/i.csv"}
                                      )["datasetImportJobArn"]
    assert job == ACCOUNT_REGION + "dataset-import-job/e2e-import"
    with pytest.raises(Exists):
        p.create_dataset_import_job(jobName="e2e-import", datasetArn=dataset, roleArn=ROLE,
                                    dataSource={"dataLocation": "s3://bucket/i.csv"})
    with pytest.raises(InUse):    # DeleteDataset: not while an import job is in progress
        p.delete_dataset(datasetArn=dataset)
    statuses_until(p.describe_dataset_import_job, "datasetImportJob", datasetImportJobArn=job)

    # -- solution and version ----------------------------------------------------------
    with pytest.raises(NotFound):
        p.create_solution(name="e2e-solution", datasetGroupArn=group,
                          recipeArn=RECIPE + "aws-no-such-recipe")
    solution = p.create_solution(name="e2e-solution", datasetGroupArn=group,
                                 recipeArn=RECIPE + "aws-user-personalization")["solutionArn"]
    with pytest.raises(InUse):    # CreateSolutionVersion: the solution must be ACTIVE
        p.create_solution_version(solutionArn=solution)
    statuses_until(p.describe_solution, "solution", solutionArn=solution)
    version = p.create_solution_version(solutionArn=solution)["solutionVersionArn"]
    assert re.fullmatch(re.escape(solution) + r"/[0-9a-f]{8}", version)
    with pytest.raises(InUse):    # CreateSolutionVersion: wait for ACTIVE before CreateCampaign
        p.create_campaign(name="e2e-campaign", solutionVersionArn=version)
    assert statuses_until(p.describe_solution_version, "solutionVersion",
                          solutionVersionArn=version) == [
        "CREATE PENDING", "CREATE IN_PROGRESS", "ACTIVE"]
    assert p.get_solution_metrics(solutionVersionArn=version)["metrics"]

    # -- campaign and its update -------------------------------------------------------
    campaign = p.create_campaign(name="e2e-campaign", solutionVersionArn=version)["campaignArn"]
    assert campaign == ACCOUNT_REGION + "campaign/e2e-campaign"
    with pytest.raises(Exists):
        p.create_campaign(name="e2e-campaign", solutionVersionArn=version)
    statuses_until(p.describe_campaign, "campaign", campaignArn=campaign)
    p.update_campaign(campaignArn=campaign, minProvisionedTPS=4)
    with pytest.raises(InUse):    # an update is already in progress
        p.update_campaign(campaignArn=campaign, minProvisionedTPS=5)
    seen = []
    while True:
        described = p.describe_campaign(campaignArn=campaign)["campaign"]
        update = described["latestCampaignUpdate"]
        seen.append((update["status"], described["minProvisionedTPS"]))
        if update["status"] == "ACTIVE":
            break
    assert seen[0] == ("CREATE PENDING", 1)     # the old value until the update is ACTIVE
    assert seen[-1] == ("ACTIVE", 4)
    assert p.describe_campaign(campaignArn=campaign)["campaign"]["minProvisionedTPS"] == 4

    # -- tags --------------------------------------------------------------------------
    assert p.list_tags_for_resource(resourceArn=group)["tags"] == [
        {"tagKey": "team", "tagValue": "recs"}]
    p.tag_resource(resourceArn=campaign, tags=[{"tagKey": "env", "tagValue": "test"},
                                               {"tagKey": "owner", "tagValue": "me"}])
    p.untag_resource(resourceArn=campaign, tagKeys=["owner"])
    assert p.list_tags_for_resource(resourceArn=campaign)["tags"] == [
        {"tagKey": "env", "tagValue": "test"}]
    with pytest.raises(NotFound):
        p.list_tags_for_resource(resourceArn=campaign + "-missing")

    # -- paging ------------------------------------------------------------------------
    filters = [p.create_filter(name=f"e2e-filter-{i}", datasetGroupArn=group,
                               filterExpression='EXCLUDE ItemID WHERE Interactions.EVENT_TYPE '
                                                'IN ("purchase")')["filterArn"]
               for i in range(5)]
    pages, token = [], None
    while True:
        kwargs = {"datasetGroupArn": group, "maxResults": 2}
        if token:
            kwargs["nextToken"] = token
        page = p.list_filters(**kwargs)
        pages.append([f["filterArn"] for f in page["Filters"]])
        token = page.get("nextToken")
        if not token:
            break
    assert [len(page) for page in pages] == [2, 2, 1]
    assert [arn for page in pages for arn in page] == filters   # creation order, no gaps
    with pytest.raises(p.exceptions.InvalidNextTokenException):
        p.list_filters(datasetGroupArn=group, nextToken="Zm9yZ2Vk")
    all_groups = [g["datasetGroupArn"]
                  for page in p.get_paginator("list_dataset_groups").paginate(
                      PaginationConfig={"PageSize": 1})
                  for g in page["datasetGroups"]]
    assert all_groups == [group]

    # -- deletes, in dependency order ----------------------------------------------------
    with pytest.raises(InUse):    # DeleteDatasetGroup: datasets, solutions, ... first
        p.delete_dataset_group(datasetGroupArn=group)
    with pytest.raises(InUse):    # DeleteSolution: delete the campaigns first
        p.delete_solution(solutionArn=solution)
    p.delete_campaign(campaignArn=campaign)
    with pytest.raises(InUse):    # already being deleted
        p.delete_campaign(campaignArn=campaign)
    assert statuses_until_gone(p.describe_campaign, "campaign", NotFound,
                               campaignArn=campaign) == ["DELETE PENDING", "DELETE IN_PROGRESS"]
    assert p.list_campaigns(solutionArn=solution)["campaigns"] == []
    with pytest.raises(NotFound):
        p.delete_campaign(campaignArn=campaign)

    p.delete_solution(solutionArn=solution)
    statuses_until_gone(p.describe_solution, "solution", NotFound, solutionArn=solution)
    with pytest.raises(NotFound):   # DeleteSolution: "Deletes all versions of a solution"
        p.describe_solution_version(solutionVersionArn=version)
    for arn in filters:
        with pytest.raises(InUse):   # still CREATE PENDING: nobody has described it yet
            p.delete_filter(filterArn=arn)
        statuses_until(p.describe_filter, "filter", filterArn=arn)
        p.delete_filter(filterArn=arn)
        statuses_until_gone(p.describe_filter, "filter", NotFound, filterArn=arn)
    p.delete_dataset(datasetArn=dataset)
    statuses_until_gone(p.describe_dataset, "dataset", NotFound, datasetArn=dataset)
    p.delete_schema(schemaArn=schema)
    with pytest.raises(NotFound):
        p.describe_schema(schemaArn=schema)
    p.delete_dataset_group(datasetGroupArn=group)
    # CreateDatasetGroup: a dataset group's delete shows only DELETE PENDING.
    assert statuses_until_gone(p.describe_dataset_group, "datasetGroup", NotFound,
                               datasetGroupArn=group) == ["DELETE PENDING"]
    assert p.list_dataset_groups()["datasetGroups"] == []
    with pytest.raises(NotFound):
        p.delete_dataset_group(datasetGroupArn=group)


def test_domain_walk_with_recommender(personalize):
    p = personalize
    group = p.create_dataset_group(name="e2e-shop", domain="ECOMMERCE")["datasetGroupArn"]
    statuses_until(p.describe_dataset_group, "datasetGroup", datasetGroupArn=group)
    with pytest.raises(p.exceptions.InvalidInputException):   # a use case of another domain
        p.create_recommender(name="e2e-rec", datasetGroupArn=group,
                             recipeArn=RECIPE + "aws-vod-top-picks")
    recommender = p.create_recommender(name="e2e-rec", datasetGroupArn=group,
                                       recipeArn=RECIPE + "aws-ecomm-recommended-for-you"
                                       )["recommenderArn"]
    statuses_until(p.describe_recommender, "recommender", recommenderArn=recommender)
    assert "modelMetrics" in p.describe_recommender(recommenderArn=recommender)["recommender"]
    p.stop_recommender(recommenderArn=recommender)
    assert statuses_until(p.describe_recommender, "recommender", "INACTIVE",
                          recommenderArn=recommender) == [
        "STOP PENDING", "STOP IN_PROGRESS", "INACTIVE"]
    with pytest.raises(p.exceptions.ResourceInUseException):
        p.delete_dataset_group(datasetGroupArn=group)
    p.delete_recommender(recommenderArn=recommender)
    statuses_until_gone(p.describe_recommender, "recommender",
                        p.exceptions.ResourceNotFoundException, recommenderArn=recommender)
    p.delete_dataset_group(datasetGroupArn=group)
