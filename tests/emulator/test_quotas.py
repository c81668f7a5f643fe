"""Service quotas (quotas.yaml): one create past each documented quota answers
LimitExceededException; freed room is usable again; ``quotas=False`` lifts them all."""
from __future__ import annotations

import pytest

from personalize_conformance.emulator import Emulator
from personalize_conformance.emulator.__main__ import build_parser
from personalize_conformance.emulator.quotas import load

from .helpers import RECIPE, ROLE, SCHEMA, Client, World

IO = {"jobInput": {"s3DataSource": {"path": "s3://bucket/in.json"}},
      "jobOutput": {"s3DataDestination": {"path": "s3://bucket/out/"}}, "roleArn": ROLE}


def _client(quotas=True) -> Client:
    # Describe-driven: a job nobody describes stays pending, so "pending or in progress" counts
    # do not depend on the clock.
    return Client(Emulator(timing="describes:1", quotas=quotas))


def once(world, key, make):
    """Build a shared parent the first time only."""
    if key not in world.arns:
        world.arns[key] = make()
    return world.arns[key]


def _schemas(c, w, i):
    return "CreateSchema", {"name": f"s{i}", "schema": SCHEMA}


def _groups(c, w, i):
    return "CreateDatasetGroup", {"name": f"g{i}"}


def _import_jobs(c, w, i):
    if "dataset" not in w.arns:
        w.arns["dataset"] = w.dataset(w.group(), w.schema())
    return "CreateDatasetImportJob", {"jobName": f"import{i}", "datasetArn": w.arns["dataset"],
                                      "roleArn": ROLE,
                                      "dataSource": {"dataLocation": "s3://bucket/i.csv"}}


def _version(w, recipe="aws-user-personalization"):
    return w.version(w.solution(w.group(), recipe=recipe))


def _batch_inference_jobs(c, w, i):
    once(w, "version", lambda: _version(w))
    return "CreateBatchInferenceJob", {"jobName": f"batch{i}", "solutionVersionArn": w.arns["version"], **IO}


def _batch_segment_jobs(c, w, i):
    once(w, "version", lambda: _version(w, "aws-item-affinity"))
    return "CreateBatchSegmentJob", {"jobName": f"segment{i}", "solutionVersionArn": w.arns["version"], **IO}


def _solution_versions(c, w, i):
    # One version in training per solution, ten solutions per dataset group: a new group every ten.
    if i % 10 == 0:
        w.arns["group"] = w.group(f"g{i}")
    solution = w.solution(w.arns["group"], name=f"solution{i}")
    return "CreateSolutionVersion", {"solutionArn": solution}


def _solutions(c, w, i):
    once(w, "group", lambda: w.group())
    return "CreateSolution", {"name": f"solution{i}", "datasetGroupArn": w.arns["group"],
                              "recipeArn": RECIPE + "aws-user-personalization"}


def _campaigns(c, w, i):
    once(w, "version", lambda: _version(w))
    return "CreateCampaign", {"name": f"campaign{i}", "solutionVersionArn": w.arns["version"]}


def _recommenders(c, w, i):
    once(w, "group", lambda: w.group("shop", domain="ECOMMERCE"))
    return "CreateRecommender", {"name": f"recommender{i}", "datasetGroupArn": w.arns["group"],
                                 "recipeArn": RECIPE + "aws-ecomm-recommended-for-you"}


def _filters(c, w, i):
    once(w, "group", lambda: w.group())
    return "CreateFilter", {"name": f"filter{i}", "datasetGroupArn": w.arns["group"],
                            "filterExpression": 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("x")'}


def _deletion_jobs(c, w, i):
    once(w, "group", lambda: w.group())
    return "CreateDataDeletionJob", {"jobName": f"forget{i}", "datasetGroupArn": w.arns["group"],
                                     "roleArn": ROLE, "dataSource": {"dataLocation": "s3://bucket/u.csv"}}


MAKERS = {
    "schema": _schemas, "dataset-group": _groups, "dataset-import-job": _import_jobs,
    "batch-inference-job": _batch_inference_jobs, "batch-segment-job": _batch_segment_jobs,
    "solution-version": _solution_versions, "solution": _solutions, "campaign": _campaigns,
    "recommender": _recommenders, "filter": _filters, "data-deletion-job": _deletion_jobs,
}


def test_every_quota_has_a_test():
    assert {q.kind for q in load()} == set(MAKERS)


@pytest.mark.parametrize("quota", load(), ids=lambda q: q.kind)
def test_one_create_past_each_quota_is_refused_with_limit_exceeded(quota):
    client = _client()
    world = World(client)
    for i in range(quota.limit):
        operation, params = MAKERS[quota.kind](client, world, i)
        client.ok(operation, **params)
    operation, params = MAKERS[quota.kind](client, world, quota.limit)
    reply = client.call(operation, **params)
    assert reply.status == 400 and reply.code == "LimitExceededException", reply.body
    if quota.message:
        assert reply.data["message"] == quota.message


def test_the_documented_import_job_message_is_answered():
    quota = next(q for q in load() if q.kind == "dataset-import-job")
    assert quota.message == "More than 5 resources with PENDING or IN_PROGRESS status."


def test_room_freed_by_a_delete_or_a_finished_job_is_usable_again():
    client = _client()
    groups = [client.ok("CreateDatasetGroup", name=f"g{i}")["datasetGroupArn"] for i in range(5)]
    assert client.error("CreateDatasetGroup", name="g5") == "LimitExceededException"
    client.wait("DatasetGroup", groups[0])
    client.ok("DeleteDatasetGroup", datasetGroupArn=groups[0])
    client.wait_gone("DatasetGroup", groups[0])
    client.ok("CreateDatasetGroup", name="g5")

    other = _client()
    w = World(other)
    jobs = []
    for i in range(5):
        operation, params = _import_jobs(other, w, i)
        jobs.append(other.ok(operation, **params)["datasetImportJobArn"])
    operation, params = _import_jobs(other, w, 5)
    assert other.error(operation, **params) == "LimitExceededException"
    other.wait("DatasetImportJob", jobs[0])   # no longer pending or in progress
    other.ok(operation, **params)


def test_a_failed_resource_does_not_count_as_active():
    client = Client(Emulator(timing="immediate", fail_creates=["dataset-group"]))
    for i in range(7):
        client.ok("CreateDatasetGroup", name=f"g{i}")   # each ends CREATE FAILED


def test_quotas_can_be_lifted():
    client = _client(quotas=False)
    for i in range(8):
        client.ok("CreateDatasetGroup", name=f"g{i}")
    assert build_parser().parse_args(["--no-quotas"]).quotas is False
    assert build_parser().parse_args([]).quotas is True
