"""Referential integrity: ResourceNotFound, ResourceAlreadyExists, ResourceInUse, as each
operation's documentation describes them."""
from __future__ import annotations

import pytest

from personalize_conformance.emulator.catalogue import KINDS

from .helpers import RECIPE, ROLE, SCHEMA, World

PREFIX = "arn:aws:personalize:us-east-1:123456789012:"


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.key)
def test_describe_and_delete_of_an_unknown_arn_are_not_found(fast, kind):
    arn = f"{PREFIX}{kind.key}/missing"
    info = kind.info
    assert fast.error(info.describe_op, **{info.arn_member: arn}) == "ResourceNotFoundException"
    if info.delete_op:
        assert fast.error(info.delete_op, **{info.arn_member: arn}) == \
            "ResourceNotFoundException"


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.key)
def test_an_arn_of_another_kind_is_not_found(world, kind):
    info = kind.info
    other = world.arns["campaign"] if kind.key != "campaign" else world.arns["solution"]
    assert world.c.error(info.describe_op, **{info.arn_member: other}) == \
        "ResourceNotFoundException"


@pytest.mark.parametrize("operation, arn", [
    ("DescribeRecipe", "arn:aws:personalize:::recipe/aws-nope"),
    ("DescribeAlgorithm", "arn:aws:personalize:::algorithm/aws-nope"),
    ("DescribeFeatureTransformation", "arn:aws:personalize:::feature-transformation/nope"),
])
def test_unknown_catalogue_entries_are_not_found(fast, operation, arn):
    from personalize_conformance.emulator import model
    (member,) = model.input_members(operation)
    assert fast.error(operation, **{member: arn}) == "ResourceNotFoundException"


def test_catalogue_entries_describe(fast):
    recipe = fast.ok("DescribeRecipe", recipeArn=RECIPE + "aws-user-personalization")["recipe"]
    assert recipe["algorithmArn"] == "arn:aws:personalize:::algorithm/aws-user-personalization"
    assert recipe["featureTransformationArn"] == \
        "arn:aws:personalize:::feature-transformation/JSON-percentile-filtering"
    fast.ok("DescribeAlgorithm", algorithmArn=recipe["algorithmArn"])
    fast.ok("DescribeFeatureTransformation",
            featureTransformationArn=recipe["featureTransformationArn"])


MISSING_GROUP = PREFIX + "dataset-group/missing"


def test_creates_with_dangling_references_are_not_found(world):
    c, a = world.c, world.arns
    io = {"jobInput": {"s3DataSource": {"path": "s3://b/i"}},
          "jobOutput": {"s3DataDestination": {"path": "s3://b/o"}}, "roleArn": ROLE}
    cases = [
        ("CreateDataset", dict(name="d", schemaArn=a["schema"], datasetGroupArn=MISSING_GROUP,
                               datasetType="Users")),
        ("CreateDataset", dict(name="d", schemaArn=PREFIX + "schema/missing",
                               datasetGroupArn=a["group"], datasetType="Users")),
        ("CreateDatasetImportJob", dict(jobName="j", datasetArn=PREFIX + "dataset/x/USERS",
                                        dataSource={})),
        ("CreateDatasetExportJob", dict(jobName="j", datasetArn=PREFIX + "dataset/x/USERS",
                                        roleArn=ROLE, jobOutput={"s3DataDestination": {
                                            "path": "s3://b/o"}})),
        ("CreateSolution", dict(name="s", datasetGroupArn=MISSING_GROUP,
                                recipeArn=RECIPE + "aws-sims")),
        ("CreateSolutionVersion", dict(solutionArn=PREFIX + "solution/missing")),
        ("CreateCampaign", dict(name="c", solutionVersionArn=a["solution"] + "/00000000")),
        ("CreateRecommender", dict(name="r", datasetGroupArn=MISSING_GROUP,
                                   recipeArn=RECIPE + "aws-vod-top-picks")),
        ("CreateFilter", dict(name="f", datasetGroupArn=MISSING_GROUP,
                              filterExpression="INCLUDE ItemID WHERE Items.X IN (\"y\")")),
        ("CreateEventTracker", dict(name="t", datasetGroupArn=MISSING_GROUP)),
        ("CreateMetricAttribution", dict(name="m", datasetGroupArn=MISSING_GROUP, metrics=[],
                                         metricsOutputConfig={"roleArn": ROLE})),
        ("CreateBatchInferenceJob", dict(jobName="b", solutionVersionArn=a["solution"] + "/0",
                                         **io)),
        ("CreateBatchInferenceJob", dict(jobName="b", solutionVersionArn=a["version"],
                                         filterArn=PREFIX + "filter/missing", **io)),
        ("CreateBatchSegmentJob", dict(jobName="b", solutionVersionArn=a["solution"] + "/0",
                                       **io)),
        ("CreateDataDeletionJob", dict(jobName="d", datasetGroupArn=MISSING_GROUP, roleArn=ROLE,
                                       dataSource={})),
        ("UpdateDataset", dict(datasetArn=a["dataset"], schemaArn=PREFIX + "schema/missing")),
        ("UpdateCampaign", dict(campaignArn=a["campaign"],
                                solutionVersionArn=a["solution"] + "/ffffffff")),
        ("GetSolutionMetrics", dict(solutionVersionArn=a["solution"] + "/ffffffff")),
    ]
    for operation, params in cases:
        assert c.error(operation, **params) == "ResourceNotFoundException", operation


def test_duplicates_already_exist(world):
    c, a = world.c, world.arns
    assert c.error("CreateDatasetGroup", name="custom") == "ResourceAlreadyExistsException"
    assert c.error("CreateSchema", name="interactions-schema", schema=SCHEMA) == \
        "ResourceAlreadyExistsException"
    # CreateDataset: one dataset of each type per dataset group.
    assert c.error("CreateDataset", name="other-name", schemaArn=a["schema"],
                   datasetGroupArn=a["group"], datasetType="INTERACTIONS") == \
        "ResourceAlreadyExistsException"
    assert c.error("CreateSolution", name="solution", datasetGroupArn=a["group"],
                   recipeArn=RECIPE + "aws-sims") == "ResourceAlreadyExistsException"
    assert c.error("CreateCampaign", name="campaign", solutionVersionArn=a["version"]) == \
        "ResourceAlreadyExistsException"
    # CreateEventTracker: "Only one event tracker can be associated with a dataset group."
    assert c.error("CreateEventTracker", name="another", datasetGroupArn=a["group"]) == \
        "ResourceAlreadyExistsException"
    assert c.error("CreateMetricAttribution", name="another", datasetGroupArn=a["group"],
                   metrics=[], metricsOutputConfig={"roleArn": ROLE}) == \
        "ResourceAlreadyExistsException"
    assert c.error("CreateDatasetImportJob", jobName="import", datasetArn=a["dataset"],
                   dataSource={}) == "ResourceAlreadyExistsException"
    assert c.error("CreateRecommender", name="recommender", datasetGroupArn=a["domain-group"],
                   recipeArn=RECIPE + "aws-ecomm-popular-items-by-views") == \
        "ResourceAlreadyExistsException"


def test_names_are_unique_per_region_only(world):
    from .helpers import Client
    other = Client(world.c.emulator, region="eu-central-1")
    assert other.call("CreateDatasetGroup", name="custom").status == 200


def test_parents_that_are_not_active_block_creates(client):
    world = World(client)
    group = client.ok("CreateDatasetGroup", name="g")["datasetGroupArn"]   # CREATE PENDING
    schema = world.schema()
    for operation, params in [
        ("CreateDataset", dict(name="d", schemaArn=schema, datasetGroupArn=group,
                               datasetType="Interactions")),
        ("CreateSolution", dict(name="s", datasetGroupArn=group, recipeArn=RECIPE + "aws-sims")),
        ("CreateEventTracker", dict(name="t", datasetGroupArn=group)),
        ("CreateDataDeletionJob", dict(jobName="j", datasetGroupArn=group, roleArn=ROLE,
                                       dataSource={})),
    ]:
        assert client.error(operation, **params) == "ResourceInUseException", operation
    client.wait("DatasetGroup", group)
    solution = client.ok("CreateSolution", name="s", datasetGroupArn=group,
                         recipeArn=RECIPE + "aws-sims")["solutionArn"]
    assert client.error("CreateSolutionVersion", solutionArn=solution) == "ResourceInUseException"
    client.wait("Solution", solution)
    version = client.ok("CreateSolutionVersion", solutionArn=solution)["solutionVersionArn"]
    # One version in training at a time.
    assert client.error("CreateSolutionVersion", solutionArn=solution) == "ResourceInUseException"
    assert client.error("CreateCampaign", name="c", solutionVersionArn=version) == \
        "ResourceInUseException"
    assert client.error("GetSolutionMetrics", solutionVersionArn=version) == \
        "ResourceInUseException"


def test_dependants_block_deleting_a_dataset_group(world):
    c, a = world.c, world.arns
    blockers = [("DeleteCampaign", "campaignArn", a["campaign"]),
                ("DeleteSolution", "solutionArn", a["solution"]),
                ("DeleteSolution", "solutionArn", a["segment-solution"]),
                ("DeleteDataset", "datasetArn", a["dataset"]),
                ("DeleteEventTracker", "eventTrackerArn", a["tracker"]),
                ("DeleteFilter", "filterArn", a["filter"]),
                ("DeleteMetricAttribution", "metricAttributionArn", a["attribution"])]
    for operation, member, arn in blockers:
        assert c.error("DeleteDatasetGroup", datasetGroupArn=a["group"]) == \
            "ResourceInUseException", f"before {operation}"
        c.ok(operation, **{member: arn})
    c.ok("DeleteSchema", schemaArn=a["schema"])
    c.ok("DeleteDatasetGroup", datasetGroupArn=a["group"])
    # Jobs without a Delete operation go with their parents.
    assert c.ok("ListDataDeletionJobs")["dataDeletionJobs"] == []
    assert c.ok("ListDatasetImportJobs")["datasetImportJobs"] == []
    assert c.ok("ListBatchInferenceJobs")["batchInferenceJobs"] == []


def test_recommenders_block_deleting_their_group(world):
    c, a = world.c, world.arns
    assert c.error("DeleteDatasetGroup", datasetGroupArn=a["domain-group"]) == \
        "ResourceInUseException"
    c.ok("DeleteRecommender", recommenderArn=a["recommender"])
    c.ok("DeleteDatasetGroup", datasetGroupArn=a["domain-group"])


def test_schema_in_use_and_solution_with_campaigns(world):
    c, a = world.c, world.arns
    assert c.error("DeleteSchema", schemaArn=a["schema"]) == "ResourceInUseException"
    assert c.error("DeleteSolution", solutionArn=a["solution"]) == "ResourceInUseException"


def test_busy_children_block_deletes(client):
    world = World(client)
    group = world.group()
    dataset = world.dataset(group, world.schema())
    client.ok("CreateDatasetImportJob", jobName="j", datasetArn=dataset, dataSource={})
    assert client.error("DeleteDataset", datasetArn=dataset) == "ResourceInUseException"
    solution = world.solution(group)
    version = client.ok("CreateSolutionVersion", solutionArn=solution)["solutionVersionArn"]
    assert client.error("DeleteSolution", solutionArn=solution) == "ResourceInUseException"
    client.wait("SolutionVersion", version)
    client.ok("DeleteSolution", solutionArn=solution)


def test_a_resource_still_being_created_cannot_be_deleted(client):
    arn = client.ok("CreateDatasetGroup", name="g")["datasetGroupArn"]
    assert client.error("DeleteDatasetGroup", datasetGroupArn=arn) == "ResourceInUseException"


def test_domain_rules(world):
    c, a = world.c, world.arns
    # CreateRecommender needs a Domain dataset group and a use case of its domain.
    assert c.error("CreateRecommender", name="r", datasetGroupArn=a["group"],
                   recipeArn=RECIPE + "aws-ecomm-recommended-for-you") == "InvalidInputException"
    assert c.error("CreateRecommender", name="r", datasetGroupArn=a["domain-group"],
                   recipeArn=RECIPE + "aws-user-personalization") == "InvalidInputException"
    # A domain use case is not a solution recipe.
    assert c.error("CreateSolution", name="s", datasetGroupArn=a["group"],
                   recipeArn=RECIPE + "aws-ecomm-recommended-for-you") == "InvalidInputException"
    # CreateSchema domain: a Domain group's datasets use schemas of that domain.
    assert c.error("CreateDataset", name="d", schemaArn=a["schema"],
                   datasetGroupArn=a["domain-group"], datasetType="Items") == \
        "InvalidInputException"
    shop_schema = c.ok("CreateSchema", name="shop", schema=SCHEMA, domain="ECOMMERCE")["schemaArn"]
    c.ok("CreateDataset", name="d", schemaArn=shop_schema, datasetGroupArn=a["domain-group"],
         datasetType="Items")


def test_solution_recipe_rules(world):
    c, a = world.c, world.arns
    assert c.error("CreateSolution", name="s", datasetGroupArn=a["group"], performAutoML=True,
                   recipeArn=RECIPE + "aws-sims") == "InvalidInputException"
    arn = c.ok("CreateSolution", name="automl", datasetGroupArn=a["group"],
               performAutoML=True)["solutionArn"]
    assert c.ok("DescribeSolution", solutionArn=arn)["solution"]["autoMLResult"]


def test_dataset_type_is_case_insensitive_and_checked(world):
    c, a = world.c, world.arns
    arn = c.ok("CreateDataset", name="users", schemaArn=a["schema"], datasetGroupArn=a["group"],
               datasetType="users")["datasetArn"]
    assert arn == PREFIX + "dataset/custom/USERS"
    assert c.error("CreateDataset", name="x", schemaArn=a["schema"], datasetGroupArn=a["group"],
                   datasetType="Clicks") == "InvalidInputException"


def test_incremental_import_needs_an_earlier_import(world):
    c, a = world.c, world.arns
    dataset = c.ok("CreateDataset", name="items", schemaArn=a["schema"],
                   datasetGroupArn=a["group"], datasetType="Items")["datasetArn"]
    assert c.error("CreateDatasetImportJob", jobName="inc", datasetArn=dataset, dataSource={},
                   importMode="INCREMENTAL") == "InvalidInputException"


def test_batch_jobs_need_a_matching_recipe(world):
    c, a = world.c, world.arns
    io = {"jobInput": {"s3DataSource": {"path": "s3://b/i"}},
          "jobOutput": {"s3DataDestination": {"path": "s3://b/o"}}, "roleArn": ROLE}
    # Segments come from user segmentation recipes; batch recommendations never do.
    assert c.error("CreateBatchSegmentJob", jobName="s", solutionVersionArn=a["version"],
                   **io) == "InvalidInputException"
    assert c.error("CreateBatchInferenceJob", jobName="b", solutionVersionArn=a["segment-version"],
                   **io) == "InvalidInputException"
    # CreateBatchInferenceJob: not with the Trending-Now or Next-Best-Action recipes.
    trending = world.version(world.solution(a["group"], name="trending", recipe="aws-trending-now"))
    assert c.error("CreateBatchInferenceJob", jobName="b", solutionVersionArn=trending, **io) == \
        "InvalidInputException"


def test_theme_generation_needs_its_config(world):
    c, a = world.c, world.arns
    assert c.error("CreateBatchInferenceJob", jobName="themes", solutionVersionArn=a["version"],
                   batchInferenceJobMode="THEME_GENERATION", roleArn=ROLE,
                   jobInput={"s3DataSource": {"path": "s3://b/i"}},
                   jobOutput={"s3DataDestination": {"path": "s3://b/o"}}) == \
        "InvalidInputException"
