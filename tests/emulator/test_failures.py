"""Creates that fail on purpose (failures.py): by tag or by resource type, a create walks its
pending statuses, then rests in CREATE FAILED (FAILED for a data deletion job) with a reason."""
from __future__ import annotations

import pytest

from personalize_conformance.emulator import Emulator
from personalize_conformance.emulator.__main__ import build_parser
from personalize_conformance.emulator.failures import FAIL_TAG

from .helpers import ROLE, Client, World


def _client(*fail) -> Client:
    return Client(Emulator(timing="describes:1", fail_creates=fail))


def test_a_tagged_create_fails_with_the_tag_value_as_its_reason():
    client = _client()
    arn = client.ok("CreateDatasetGroup", name="g",
                    tags=[{"tagKey": FAIL_TAG, "tagValue": "KMS key not usable"}])["datasetGroupArn"]
    seen = [client.ok("DescribeDatasetGroup", datasetGroupArn=arn)["datasetGroup"] for _ in range(4)]
    assert [g["status"] for g in seen] == ["CREATE PENDING", "CREATE IN_PROGRESS", "CREATE FAILED",
                                           "CREATE FAILED"]
    assert "failureReason" not in seen[0] and seen[-1]["failureReason"] == "KMS key not usable"
    assert client.ok("ListDatasetGroups")["datasetGroups"][0]["status"] == "CREATE FAILED"


def test_a_tag_without_a_value_still_fails_and_says_so():
    client = Client(Emulator(timing="immediate"))
    arn = client.ok("CreateDatasetGroup", name="g",
                    tags=[{"tagKey": FAIL_TAG, "tagValue": ""}])["datasetGroupArn"]
    group = client.ok("DescribeDatasetGroup", datasetGroupArn=arn)["datasetGroup"]
    assert group["status"] == "CREATE FAILED" and FAIL_TAG in group["failureReason"]


def test_every_create_of_a_named_type_fails_and_others_do_not():
    client = _client("solution-version=Not enough interactions to train.")
    world = World(client)
    solution = world.solution(world.group())
    version = client.ok("CreateSolutionVersion", solutionArn=solution)["solutionVersionArn"]
    described = client.wait("SolutionVersion", version, status="CREATE FAILED")
    assert described["failureReason"] == "Not enough interactions to train."
    assert "trainingHours" not in described
    # A failed version deploys nothing: CreateSolutionVersion asks to wait for ACTIVE.
    assert client.error("CreateCampaign", name="c", solutionVersionArn=version) == "ResourceInUseException"


def test_a_data_deletion_job_fails_with_failed():
    client = Client(Emulator(timing="immediate", fail_creates=["data-deletion-job"]))
    group = World(client).group()
    job = client.ok("CreateDataDeletionJob", jobName="d", datasetGroupArn=group, roleArn=ROLE,
                    dataSource={"dataLocation": "s3://bucket/users.csv"})["dataDeletionJobArn"]
    described = client.ok("DescribeDataDeletionJob", dataDeletionJobArn=job)["dataDeletionJob"]
    assert described["status"] == "FAILED" and described["failureReason"]
    assert "numDeleted" not in described


def test_a_type_without_a_failure_reason_member_fails_without_one():
    client = Client(Emulator(timing="immediate", fail_creates=["dataset"]))
    world = World(client)
    arn = client.ok("CreateDataset", name="d", schemaArn=world.schema(), datasetGroupArn=world.group(),
                    datasetType="Interactions")["datasetArn"]
    described = client.ok("DescribeDataset", datasetArn=arn)["dataset"]
    assert described["status"] == "CREATE FAILED" and "failureReason" not in described


def test_a_failed_resource_can_be_deleted():
    client = Client(Emulator(timing="immediate", fail_creates=["dataset-group"]))
    arn = client.ok("CreateDatasetGroup", name="g")["datasetGroupArn"]
    client.ok("DeleteDatasetGroup", datasetGroupArn=arn)
    assert client.error("DescribeDatasetGroup", datasetGroupArn=arn) == "ResourceNotFoundException"


@pytest.mark.parametrize("spec", ["no-such-type", "schema", "recipe=x"])
def test_only_types_with_a_status_can_be_made_to_fail(spec):
    with pytest.raises(ValueError):
        Emulator(fail_creates=[spec])


def test_the_command_line_takes_failures_per_type():
    args = build_parser().parse_args(["--fail-create", "campaign=Out of capacity",
                                      "--fail-create", "filter"])
    assert Emulator(fail_creates=args.fail_create).failures.kinds == {
        "campaign": "Out of capacity", "filter": None}
