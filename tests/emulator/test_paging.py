"""List paging and filtering: maxResults, opaque signed tokens, parent filters, order."""
from __future__ import annotations

import base64

import pytest

from personalize_conformance.emulator import Emulator

from .helpers import ROLE, Client, World


def collect(client, operation, key, page_size, **params):
    pages, token = [], None
    while True:
        extra = {"nextToken": token} if token else {}
        data = client.ok(operation, maxResults=page_size, **params, **extra)
        pages.append(data[key])
        token = data.get("nextToken")
        if token is None:
            return pages


@pytest.fixture
def fast() -> Client:
    """Immediate timing, quotas lifted: these lists hold more dataset groups than the five a
    region may have at once."""
    return Client(Emulator(timing="immediate", quotas=False))


@pytest.fixture
def groups(fast):
    return [fast.ok("CreateDatasetGroup", name=f"g{i}")["datasetGroupArn"] for i in range(7)]


def test_pages_follow_creation_order_without_gaps_or_repeats(fast, groups):
    pages = collect(fast, "ListDatasetGroups", "datasetGroups", 3)
    assert [len(page) for page in pages] == [3, 3, 1]
    assert [g["datasetGroupArn"] for page in pages for g in page] == groups


def test_max_results_bounds_the_page(fast, groups):
    assert len(fast.ok("ListDatasetGroups", maxResults=1)["datasetGroups"]) == 1
    assert len(fast.ok("ListDatasetGroups", maxResults=100)["datasetGroups"]) == 7
    assert "nextToken" not in fast.ok("ListDatasetGroups", maxResults=7)


def test_tokens_survive_deletes_between_pages(fast, groups):
    first = fast.ok("ListDatasetGroups", maxResults=3)
    fast.ok("DeleteDatasetGroup", datasetGroupArn=groups[3])   # the next page's first item
    fast.ok("DeleteDatasetGroup", datasetGroupArn=groups[1])   # already served
    rest = fast.ok("ListDatasetGroups", maxResults=10, nextToken=first["nextToken"])
    assert [g["datasetGroupArn"] for g in rest["datasetGroups"]] == groups[4:]


def tamper(token: str) -> str:
    raw = bytearray(base64.urlsafe_b64decode(token))
    raw[-1] ^= 1
    return base64.urlsafe_b64encode(bytes(raw)).decode()


@pytest.mark.parametrize("forge", [
    lambda token: "not-a-token",
    lambda token: "Zm9yZ2Vk",
    lambda token: token[:-4],
    tamper,
    lambda token: base64.urlsafe_b64encode(b"\x00" * 16 + b"ListDatasetGroups\n\n1").decode(),
])
def test_forged_tokens_are_rejected(fast, groups, forge):
    token = fast.ok("ListDatasetGroups", maxResults=2)["nextToken"]
    assert fast.error("ListDatasetGroups", nextToken=forge(token)) == "InvalidNextTokenException"


def test_a_token_outside_its_pattern_is_invalid_input_before_it_is_read(fast, groups):
    # NextToken is \p{ASCII}{0,1500}, checked against the whole value.
    assert fast.error("ListDatasetGroups", nextToken="é") == "ValidationException"


def test_a_token_is_bound_to_its_operation(fast, groups):
    fast.ok("CreateSchema", name="s1", schema='{"type":"record","fields":[]}')
    fast.ok("CreateSchema", name="s2", schema='{"type":"record","fields":[]}')
    token = fast.ok("ListSchemas", maxResults=1)["nextToken"]
    assert fast.error("ListDatasetGroups", nextToken=token) == "InvalidNextTokenException"


def test_a_token_is_bound_to_its_filter(world):
    c, a = world.c, world.arns
    for i in range(3):
        c.ok("CreateFilter", name=f"more-{i}", datasetGroupArn=a["group"],
             filterExpression='INCLUDE ItemID WHERE Items.X IN ("y")')
    token = c.ok("ListFilters", datasetGroupArn=a["group"], maxResults=1)["nextToken"]
    assert c.error("ListFilters", datasetGroupArn=a["domain-group"], nextToken=token) == \
        "InvalidNextTokenException"
    assert c.error("ListFilters", nextToken=token) == "InvalidNextTokenException"


def test_a_token_from_another_emulator_is_foreign(fast, groups):
    other = Client(Emulator(timing="immediate", quotas=False))
    for i in range(3):
        other.ok("CreateDatasetGroup", name=f"g{i}")
    token = other.ok("ListDatasetGroups", maxResults=1)["nextToken"]
    assert fast.error("ListDatasetGroups", nextToken=token) == "InvalidNextTokenException"


def test_parent_filters(world):
    c, a = world.c, world.arns
    second = world.group("second")
    schema = world.schema("users-schema")
    world.dataset(second, schema, name="users", dataset_type="Users")
    assert [d["datasetArn"] for d in c.ok("ListDatasets", datasetGroupArn=a["group"])[
        "datasets"]] == [a["dataset"]]
    assert len(c.ok("ListDatasets")["datasets"]) == 2
    assert [s["solutionArn"] for s in c.ok("ListSolutions", datasetGroupArn=a["group"])[
        "solutions"]] == [a["solution"], a["segment-solution"]]
    assert c.ok("ListSolutions", datasetGroupArn=second)["solutions"] == []
    assert [x["campaignArn"] for x in c.ok("ListCampaigns", solutionArn=a["solution"])[
        "campaigns"]] == [a["campaign"]]
    assert [v["solutionVersionArn"] for v in c.ok("ListSolutionVersions",
                                                  solutionArn=a["solution"])[
        "solutionVersions"]] == [a["version"]]
    assert [j["datasetImportJobArn"] for j in c.ok("ListDatasetImportJobs",
                                                   datasetArn=a["dataset"])[
        "datasetImportJobs"]] == [a["import"]]
    assert [j["batchInferenceJobArn"] for j in c.ok("ListBatchInferenceJobs",
                                                    solutionVersionArn=a["version"])[
        "batchInferenceJobs"]] == [a["batch-inference"]]
    assert [r["recommenderArn"] for r in c.ok("ListRecommenders",
                                              datasetGroupArn=a["domain-group"])[
        "recommenders"]] == [a["recommender"]]
    assert c.ok("ListEventTrackers", datasetGroupArn=second)["eventTrackers"] == []


def test_list_solution_versions_of_an_unknown_solution_is_not_found(fast):
    # ListSolutionVersions declares ResourceNotFoundException; the other lists do not.
    missing = "arn:aws:personalize:us-east-1:123456789012:solution/missing"
    assert fast.error("ListSolutionVersions", solutionArn=missing) == "ResourceNotFoundException"
    assert fast.ok("ListCampaigns", solutionArn=missing) == {"campaigns": []}


def test_summaries_carry_exactly_the_summary_shape_members(world):
    summary = world.c.ok("ListSolutions")["solutions"][0]
    assert set(summary) <= {"name", "solutionArn", "status", "creationDateTime",
                            "lastUpdatedDateTime", "recipeArn"}
    assert "performHPO" not in summary


def test_data_deletion_jobs_list_newest_first(world):
    c, a = world.c, world.arns
    second = c.ok("CreateDataDeletionJob", jobName="forget-again", datasetGroupArn=a["group"],
                  dataSource={"dataLocation": "s3://b/u.csv"}, roleArn=ROLE)["dataDeletionJobArn"]
    pages = collect(c, "ListDataDeletionJobs", "dataDeletionJobs", 1)
    assert [job["dataDeletionJobArn"] for page in pages for job in page] == [
        second, a["deletion"]]


def test_recipes_page_and_filter_by_domain(fast):
    pages = collect(fast, "ListRecipes", "recipes", 4)
    names = [r["name"] for page in pages for r in page]
    assert "aws-user-personalization" in names and "aws-vod-top-picks" in names
    assert len(names) == len(set(names))
    ecommerce = fast.ok("ListRecipes", domain="ECOMMERCE")["recipes"]
    assert ecommerce and all(r["domain"] == "ECOMMERCE" for r in ecommerce)


def test_recipes_page_without_max_results_as_aws_does(fast):
    from personalize_conformance.emulator.ops.builtin import RECIPES_PAGE
    from personalize_conformance.emulator.recipes import RECIPES
    first = fast.ok("ListRecipes")
    assert len(first["recipes"]) == RECIPES_PAGE < len(RECIPES) and "nextToken" in first
    names = [r["name"] for r in first["recipes"]]
    token = first["nextToken"]
    while token:
        page = fast.ok("ListRecipes", nextToken=token)
        names += [r["name"] for r in page["recipes"]]
        token = page.get("nextToken")
    assert names == [r.name for r in RECIPES]


def test_metric_attribution_metrics_page(world):
    c, a = world.c, world.arns
    c.ok("UpdateMetricAttribution", metricAttributionArn=a["attribution"], addMetrics=[
        {"eventType": "buy", "metricName": f"m{i}", "expression": "SAMPLECOUNT()"}
        for i in range(3)])
    pages = collect(c, "ListMetricAttributionMetrics", "metrics", 2,
                    metricAttributionArn=a["attribution"])
    assert [m["metricName"] for page in pages for m in page] == ["clicks", "m0", "m1", "m2"]


def test_empty_lists_have_no_token(fast):
    assert fast.ok("ListCampaigns") == {"campaigns": []}


def test_listing_does_not_advance_lifecycles(client):
    arn = client.ok("CreateDatasetGroup", name="g")["datasetGroupArn"]
    for _ in range(3):
        assert client.ok("ListDatasetGroups")["datasetGroups"][0]["status"] == "CREATE PENDING"
    assert World(client).c.wait("DatasetGroup", arn)["status"] == "ACTIVE"


def test_tokens_from_before_a_reset_are_foreign(fast, groups):
    token = fast.ok("ListDatasetGroups", maxResults=2)["nextToken"]
    fast.emulator.reset()
    assert fast.error("ListDatasetGroups", nextToken=token) == "InvalidNextTokenException"
