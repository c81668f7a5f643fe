"""Lifecycle timing modes and the documented status flows."""
from __future__ import annotations

import time

import pytest

from personalize_conformance.emulator import Emulator
from personalize_conformance.emulator.lifecycle import parse_timing

from .helpers import Client, World


def test_default_timing_moves_with_the_clock():
    assert Emulator().timing.spec == "seconds:0.05"


def test_by_default_a_parent_left_alone_is_active_after_a_pause():
    # AWS advances with time: a client that waits without describing finds its parent ACTIVE.
    client = Client(Emulator())
    group = client.ok("CreateDatasetGroup", name="g")["datasetGroupArn"]
    assert client.ok("ListDatasetGroups")["datasetGroups"][0]["status"] == "CREATE PENDING"
    time.sleep(0.25)
    assert client.ok("ListDatasetGroups")["datasetGroups"][0]["status"] == "ACTIVE"
    schema = World(client).schema()
    client.ok("CreateDataset", name="d", schemaArn=schema, datasetGroupArn=group,
              datasetType="Interactions")


def test_immediate_creates_land_active_and_deletes_remove_at_once(fast):
    arn = fast.ok("CreateDatasetGroup", name="g")["datasetGroupArn"]
    assert fast.status("DatasetGroup", arn) == "ACTIVE"
    fast.ok("DeleteDatasetGroup", datasetGroupArn=arn)
    assert fast.error("DescribeDatasetGroup", datasetGroupArn=arn) == "ResourceNotFoundException"
    assert fast.ok("ListDatasetGroups")["datasetGroups"] == []


def test_describes_1_shows_every_intermediate_status(client):
    arn = client.ok("CreateDatasetGroup", name="g")["datasetGroupArn"]
    assert [client.status("DatasetGroup", arn) for _ in range(4)] == [
        "CREATE PENDING", "CREATE IN_PROGRESS", "ACTIVE", "ACTIVE"]


def test_describes_2_holds_each_status_for_two_describes():
    client = Client(Emulator(timing="describes:2"))
    arn = client.ok("CreateDatasetGroup", name="g")["datasetGroupArn"]
    assert [client.status("DatasetGroup", arn) for _ in range(5)] == [
        "CREATE PENDING", "CREATE PENDING", "CREATE IN_PROGRESS", "CREATE IN_PROGRESS", "ACTIVE"]


def test_describes_of_other_resources_do_not_advance_a_resource(client):
    first = client.ok("CreateDatasetGroup", name="a")["datasetGroupArn"]
    second = client.ok("CreateDatasetGroup", name="b")["datasetGroupArn"]
    for _ in range(3):
        client.status("DatasetGroup", second)
    assert client.status("DatasetGroup", first) == "CREATE PENDING"


def test_seconds_timing_advances_with_the_clock(monkeypatch):
    clock = [1_700_000_000.0]
    monkeypatch.setattr("personalize_conformance.emulator.app.now", lambda: clock[0])
    client = Client(Emulator(timing="seconds:2"))
    arn = client.ok("CreateDatasetGroup", name="g")["datasetGroupArn"]
    seen = []
    for _ in range(4):
        seen.append(client.status("DatasetGroup", arn))
        seen.append(client.ok("ListDatasetGroups")["datasetGroups"][0]["status"])
        clock[0] += 1.0
    assert seen == ["CREATE PENDING"] * 4 + ["CREATE IN_PROGRESS"] * 4
    clock[0] += 2.0
    assert client.status("DatasetGroup", arn) == "ACTIVE"
    client.ok("DeleteDatasetGroup", datasetGroupArn=arn)
    clock[0] += 10.0
    assert client.ok("ListDatasetGroups")["datasetGroups"] == []   # gone, without a Describe


@pytest.mark.parametrize("spec", ["describes:0", "seconds:-1", "eventually", "describes:x",
                                  "immediate:3", ""])
def test_bad_timing_specs_are_rejected(spec):
    with pytest.raises(ValueError):
        parse_timing(spec)


def test_delete_flow_then_not_found_and_dropped_from_lists(client):
    world = World(client)
    group = world.group()
    client.ok("DeleteDatasetGroup", datasetGroupArn=group)
    # CreateDatasetGroup documents only DELETE PENDING for a dataset group.
    assert client.wait_gone("DatasetGroup", group) == ["DELETE PENDING"]
    assert client.ok("ListDatasetGroups")["datasetGroups"] == []
    solution_group = world.group("g2")
    solution = world.solution(solution_group)
    client.ok("DeleteSolution", solutionArn=solution)
    assert client.wait_gone("Solution", solution) == ["DELETE PENDING", "DELETE IN_PROGRESS"]


def test_every_create_flow_passes_through_pending_and_in_progress(client):
    world = World(client)
    group = world.group()
    solution = world.solution(group)
    version = client.ok("CreateSolutionVersion", solutionArn=solution)["solutionVersionArn"]
    assert [client.status("SolutionVersion", version) for _ in range(3)] == [
        "CREATE PENDING", "CREATE IN_PROGRESS", "ACTIVE"]
    io = {"jobInput": {"s3DataSource": {"path": "s3://b/i"}},
          "jobOutput": {"s3DataDestination": {"path": "s3://b/o"}},
          "roleArn": "arn:aws:iam::123456789012:role/r"}
    job = client.ok("CreateBatchInferenceJob", jobName="j", solutionVersionArn=version,
                    **io)["batchInferenceJobArn"]
    # Recorded AWS traffic: batch jobs walk the create flow (their documentation lists
    # "PENDING IN PROGRESS ACTIVE CREATE FAILED").
    assert [client.status("BatchInferenceJob", job) for _ in range(3)] == [
        "CREATE PENDING", "CREATE IN_PROGRESS", "ACTIVE"]
    deletion = client.ok("CreateDataDeletionJob", jobName="d", datasetGroupArn=group,
                         dataSource={"dataLocation": "s3://b/u.csv"},
                         roleArn=io["roleArn"])["dataDeletionJobArn"]
    # CreateDataDeletionJob: "PENDING > IN_PROGRESS > COMPLETED".
    assert [client.status("DataDeletionJob", deletion) for _ in range(3)] == [
        "PENDING", "IN_PROGRESS", "COMPLETED"]
    described = client.ok("DescribeDataDeletionJob", dataDeletionJobArn=deletion)
    assert described["dataDeletionJob"]["numDeleted"] == 0


def test_recommender_stop_and_start_flows(client):
    world = World(client)
    recommender = world.recommender(world.group("shop", domain="ECOMMERCE"))
    assert client.error("StartRecommender", recommenderArn=recommender) == "ResourceInUseException"
    client.ok("StopRecommender", recommenderArn=recommender)
    assert [client.status("Recommender", recommender) for _ in range(3)] == [
        "STOP PENDING", "STOP IN_PROGRESS", "INACTIVE"]
    assert client.error("StopRecommender", recommenderArn=recommender) == "ResourceInUseException"
    client.ok("StartRecommender", recommenderArn=recommender)
    assert [client.status("Recommender", recommender) for _ in range(3)] == [
        "START PENDING", "START IN_PROGRESS", "ACTIVE"]


def test_model_metrics_only_once_trained(client):
    world = World(client)
    group = world.group("shop", domain="ECOMMERCE")
    arn = client.ok("CreateRecommender", name="r", datasetGroupArn=group,
                    recipeArn="arn:aws:personalize:::recipe/aws-ecomm-popular-items-by-views"
                    )["recommenderArn"]
    first = client.ok("DescribeRecommender", recommenderArn=arn)["recommender"]
    assert "modelMetrics" not in first
    assert "modelMetrics" in client.wait("Recommender", arn)
    client.ok("DeleteRecommender", recommenderArn=arn)
    assert "modelMetrics" not in client.ok("DescribeRecommender", recommenderArn=arn)[
        "recommender"]


@pytest.mark.parametrize("describes_first, expected", [
    (0, ["CREATE STOPPED"]),                          # stopped while CREATE PENDING
    (1, ["CREATE STOPPING", "CREATE STOPPED"]),       # stopped while CREATE IN_PROGRESS
])
def test_stop_solution_version_creation(client, describes_first, expected):
    world = World(client)
    solution = world.solution(world.group())
    version = client.ok("CreateSolutionVersion", solutionArn=solution)["solutionVersionArn"]
    for _ in range(describes_first):
        client.status("SolutionVersion", version)
    client.ok("StopSolutionVersionCreation", solutionVersionArn=version)
    seen = [client.status("SolutionVersion", version) for _ in range(len(expected) + 1)]
    assert seen == expected + [expected[-1]]
    assert client.error("StopSolutionVersionCreation", solutionVersionArn=version) == \
        "ResourceInUseException"


@pytest.mark.parametrize("operation, suffix, key, member, params, field, before, after", [
    ("UpdateCampaign", "Campaign", "campaign", "campaignArn", {"minProvisionedTPS": 7},
     "latestCampaignUpdate", ("minProvisionedTPS", 1), ("minProvisionedTPS", 7)),
    ("UpdateRecommender", "Recommender", "recommender", "recommenderArn",
     {"recommenderConfig": {"minRecommendationRequestsPerSecond": 9}},
     "latestRecommenderUpdate", ("recommenderConfig", {"minRecommendationRequestsPerSecond": 1}),
     ("recommenderConfig", {"minRecommendationRequestsPerSecond": 9})),
    ("UpdateSolution", "Solution", "solution", "solutionArn", {"performAutoTraining": False},
     "latestSolutionUpdate", ("performAutoTraining", True), ("performAutoTraining", False)),
])
def test_updates_apply_when_their_update_flow_is_active(client, operation, suffix, key, member,
                                                        params, field, before, after):
    world = World(client)
    group = world.group()
    shop = world.group("shop", domain="ECOMMERCE")
    arn = {"campaignArn": lambda: world.campaign(world.version(world.solution(group))),
           "recommenderArn": lambda: world.recommender(shop),
           "solutionArn": lambda: world.solution(group)}[member]()
    assert field not in client.wait(suffix, arn)   # only after at least one update
    client.ok(operation, **{member: arn}, **params)
    seen = []
    for _ in range(3):
        described = client.ok(f"Describe{suffix}", **{member: arn})[key]
        assert described["status"] == "ACTIVE"
        seen.append((described[field]["status"], described[after[0]]))
    # The latest-update objects' documented statuses; recorded AWS traffic shows a campaign update
    # in CREATE IN_PROGRESS.
    assert seen == [("CREATE PENDING", before[1]), ("CREATE IN_PROGRESS", before[1]),
                    ("ACTIVE", after[1])]


def test_update_dataset_replaces_the_schema_after_its_flow(client):
    world = World(client)
    group = world.group()
    old, new = world.schema("old"), world.schema("new")
    dataset = world.dataset(group, old)
    client.ok("UpdateDataset", datasetArn=dataset, schemaArn=new)
    assert client.error("UpdateDataset", datasetArn=dataset, schemaArn=new) == \
        "ResourceInUseException"
    first = client.ok("DescribeDataset", datasetArn=dataset)["dataset"]
    assert (first["schemaArn"], first["latestDatasetUpdate"]["schemaArn"]) == (old, new)
    # Recorded AWS traffic: the dataset's own status walks the update beside latestDatasetUpdate.
    assert (first["status"], first["latestDatasetUpdate"]["status"]) == ("UPDATE PENDING",) * 2
    second = client.ok("DescribeDataset", datasetArn=dataset)["dataset"]
    assert second["status"] == "UPDATE IN_PROGRESS"
    third = client.ok("DescribeDataset", datasetArn=dataset)["dataset"]
    assert (third["status"], third["schemaArn"]) == ("ACTIVE", new)
    client.ok("DeleteSchema", schemaArn=old)   # no longer in use
    assert client.error("DeleteSchema", schemaArn=new) == "ResourceInUseException"


def test_update_metric_attribution_applies_at_once(world):
    c, arn = world.c, world.arns["attribution"]
    output = {"roleArn": "arn:aws:iam::123456789012:role/other",
              "s3DataDestination": {"path": "s3://bucket/metrics/"}}
    c.ok("UpdateMetricAttribution", metricAttributionArn=arn, metricsOutputConfig=output,
         addMetrics=[{"eventType": "buy", "metricName": "revenue", "expression": "SUM(Items.P)"}])
    assert c.ok("DescribeMetricAttribution", metricAttributionArn=arn)["metricAttribution"][
        "metricsOutputConfig"] == output
    names = [m["metricName"] for m in c.ok("ListMetricAttributionMetrics",
                                           metricAttributionArn=arn)["metrics"]]
    assert names == ["clicks", "revenue"]
    assert c.error("UpdateMetricAttribution", metricAttributionArn=arn, addMetrics=[
        {"eventType": "buy", "metricName": "revenue", "expression": "SUM(Items.P)"}]) == \
        "ResourceAlreadyExistsException"
    assert c.error("UpdateMetricAttribution", metricAttributionArn=arn,
                   removeMetrics=["nope"]) == "InvalidInputException"


def test_campaign_can_follow_the_latest_solution_version(world):
    c, a = world.c, world.arns
    latest = a["solution"] + "/$LATEST"
    assert c.error("UpdateCampaign", campaignArn=a["campaign"], solutionVersionArn=a["version"],
                   campaignConfig={"syncWithLatestSolutionVersion": True}) == \
        "InvalidInputException"
    c.ok("UpdateCampaign", campaignArn=a["campaign"], solutionVersionArn=latest,
         campaignConfig={"syncWithLatestSolutionVersion": True})
    described = c.ok("DescribeCampaign", campaignArn=a["campaign"])["campaign"]
    assert described["solutionVersionArn"] == latest
    assert described["campaignConfig"] == {"syncWithLatestSolutionVersion": True}
