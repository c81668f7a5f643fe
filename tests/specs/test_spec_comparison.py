"""The botocore-built spec agrees with the APIs.guru conversion on the operations both have.

Both documents go through the one spec comparer (`specs.compare`, also behind `drift`). Every
difference is either a defect of the builder (the test fails) or listed here by name with the
reason it is accepted: the installed model is newer than the conversion (x-release v4).
"""
import copy
import pathlib

import pytest

from personalize_conformance.specs import Spec, load_spec
from personalize_conformance.specs.compare import compare, shapes_reached

APISGURU = pathlib.Path(__file__).resolve().parents[2].parent / "shared" / "specs" / \
    "personalize-2018-05-22.apisguru.openapi.json"

NEWER_MODEL = "added to the service model after the APIs.guru conversion"

ADDED_OPERATIONS = {
    "CreateDataDeletionJob": NEWER_MODEL, "DescribeDataDeletionJob": NEWER_MODEL,
    "ListDataDeletionJobs": NEWER_MODEL, "UpdateSolution": NEWER_MODEL,
}

# Members the newer model has, as Shape.member.
ADDED_MEMBERS = {
    "BatchInferenceJob.batchInferenceJobMode", "BatchInferenceJob.themeGenerationConfig",
    "BatchInferenceJobConfig.rankingInfluence", "BatchInferenceJobSummary.batchInferenceJobMode",
    "CampaignConfig.enableMetadataWithRecommendations", "CampaignConfig.rankingInfluence",
    "CampaignConfig.syncWithLatestSolutionVersion", "CreateBatchInferenceJobRequest.batchInferenceJobMode",
    "CreateBatchInferenceJobRequest.themeGenerationConfig", "CreateSolutionRequest.performAutoTraining",
    "CreateSolutionRequest.performIncrementalUpdate", "Dataset.trackingId",
    "RecommenderConfig.enableMetadataWithRecommendations", "Solution.latestSolutionUpdate",
    "Solution.performAutoTraining", "Solution.performIncrementalUpdate", "SolutionConfig.autoTrainingConfig",
    "SolutionConfig.eventsConfig", "SolutionVersion.performIncrementalUpdate", "SolutionVersion.trainingType",
    "SolutionVersionSummary.trainingMode", "SolutionVersionSummary.trainingType",
    "TrainingDataConfig.includedDatasetColumns",
}

# Shapes no operation reaches in the built document (the builder keeps every model shape).
UNUSED_SHAPES = {
    "ErrorMessage": "the model's exception message shape; exceptions are built as empty schemas",
    "RankingInfluenceType": "a map key shape; JSON Schema has no key schemas",
}

# (subject, keyword, direction) -> why the two documents differ there.
ACCEPTED_CONSTRAINTS = {
    ("NextToken", "pattern", "tightened"): "NextToken gained the pattern \\p{ASCII}{0,1500} in the newer model",
    ("DatasetType", "pattern", "tightened"): "DatasetType gained a pattern in the newer model",
    ("ColumnName", "pattern", "tightened"): "ColumnName gained a pattern in the newer model",
    ("AvroSchema", "maxLength", "loosened"): "AvroSchema grew from 10000 to 20000 characters",
    ("TrainingMode", "enum", "loosened"): "TrainingMode gained AUTOTRAIN (automatic training)",
    ("CreateDatasetImportJobRequest.roleArn", "required", "loosened"):
        "roleArn became optional for dataset import jobs",
}


@pytest.fixture(scope="module")
def specs():
    if not APISGURU.exists():
        pytest.skip(f"reference spec not present at {APISGURU}")
    return load_spec(str(APISGURU)), load_spec()


@pytest.fixture(scope="module")
def differences(specs):
    return compare(*specs)


@pytest.fixture(scope="module")
def newer_shapes(specs):
    """The shapes the newer model's additions reach: new shapes there are part of those additions."""
    built = specs[1]
    roots: set[str] = set()
    for name in ADDED_OPERATIONS:
        op = built.operation(name)
        roots |= {ref.rsplit("/", 1)[-1] for ref in (op.request_ref, op.response_ref) if ref}
    for member in ADDED_MEMBERS:
        shape, prop = member.split(".")
        node = built.raw["components"]["schemas"][shape]["properties"][prop]
        roots |= {part["$ref"].rsplit("/", 1)[-1] for part in [node, *node.get("allOf", [])] if "$ref" in part}
    return shapes_reached(built, roots)


def _accepted(change, newer_shapes) -> bool:
    if change.kind == "operation-added":
        return change.subject in ADDED_OPERATIONS
    if change.kind == "member-added":
        return change.subject in ADDED_MEMBERS
    if change.kind == "shape-added":
        return change.subject in newer_shapes or change.subject in UNUSED_SHAPES
    return (change.subject, change.keyword, change.direction) in ACCEPTED_CONSTRAINTS


def test_built_spec_has_every_operation_of_the_apisguru_spec_and_the_four_newer_ones(differences):
    assert len(load_spec().operations) == 71
    assert len(load_spec(str(APISGURU)).operations) == 67
    assert {c.subject for c in differences if c.kind == "operation-added"} == set(ADDED_OPERATIONS)
    assert not [c for c in differences if c.kind == "operation-removed"]


def test_every_difference_on_shared_operations_is_accepted_by_name(differences, newer_shapes):
    unexplained = [f"{c.kind} {c.subject}: {c.detail}" for c in differences if not _accepted(c, newer_shapes)]
    assert unexplained == []


def test_every_accepted_difference_still_occurs(differences):
    """An accepted difference that no longer occurs is stale: remove it, so the lists stay true."""
    seen = {(c.subject, c.keyword, c.direction) for c in differences}
    stale = sorted(m for m in ADDED_MEMBERS if not any(c.kind == "member-added" and c.subject == m for c in differences))
    stale += sorted(s for s in UNUSED_SHAPES if not any(c.kind == "shape-added" and c.subject == s for c in differences))
    stale += sorted(str(key) for key in ACCEPTED_CONSTRAINTS if key not in seen)
    assert stale == []


def test_the_comparer_catches_a_changed_constraint_and_a_retyped_member():
    raw = copy.deepcopy(load_spec().raw)
    raw["components"]["schemas"]["Name"]["maxLength"] = 64
    raw["components"]["schemas"]["CreateCampaignRequest"]["properties"]["minProvisionedTPS"] = {
        "$ref": "#/components/schemas/Name"}
    changes = compare(load_spec(), Spec(raw=raw, source="mutated"))
    found = {(c.kind, c.subject, c.keyword) for c in changes}
    assert ("constraint", "Name", "maxLength") in found
    assert ("type-changed", "CreateCampaignRequest.minProvisionedTPS", "type") in found
