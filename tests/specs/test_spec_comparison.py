"""The botocore-built spec agrees with the APIs.guru conversion on the operations both have.

Every difference is either a defect of the builder (the test fails) or listed here by name with
the reason it is accepted: the installed model is newer than the conversion (x-release v4).
"""
import fnmatch
import pathlib

import pytest

from personalize_conformance.specs import load_spec
from personalize_conformance.specs.compare import compare_operations

APISGURU = pathlib.Path(__file__).resolve().parents[2].parent / "shared" / "specs" / \
    "personalize-2018-05-22.apisguru.openapi.json"

NEWER_MODEL = "added to the service model after the APIs.guru conversion"

ADDED_OPERATIONS = {
    "CreateDataDeletionJob": NEWER_MODEL, "DescribeDataDeletionJob": NEWER_MODEL,
    "ListDataDeletionJobs": NEWER_MODEL, "UpdateSolution": NEWER_MODEL,
}

# Members the newer model has (each path stands for the member and everything below it).
ADDED_MEMBERS = [
    "CreateBatchInferenceJob.request.batchInferenceJobConfig.rankingInfluence",
    "CreateBatchInferenceJob.request.batchInferenceJobMode",
    "CreateBatchInferenceJob.request.themeGenerationConfig",
    "CreateCampaign.request.campaignConfig.enableMetadataWithRecommendations",
    "CreateCampaign.request.campaignConfig.rankingInfluence",
    "CreateCampaign.request.campaignConfig.syncWithLatestSolutionVersion",
    "CreateRecommender.request.recommenderConfig.enableMetadataWithRecommendations",
    "CreateRecommender.request.recommenderConfig.trainingDataConfig.includedDatasetColumns",
    "CreateSolution.request.performAutoTraining",
    "CreateSolution.request.performIncrementalUpdate",
    "CreateSolution.request.solutionConfig.autoTrainingConfig",
    "CreateSolution.request.solutionConfig.eventsConfig",
    "CreateSolution.request.solutionConfig.trainingDataConfig.includedDatasetColumns",
    "DescribeBatchInferenceJob.response.batchInferenceJob.batchInferenceJobConfig.rankingInfluence",
    "DescribeBatchInferenceJob.response.batchInferenceJob.batchInferenceJobMode",
    "DescribeBatchInferenceJob.response.batchInferenceJob.themeGenerationConfig",
    "DescribeCampaign.response.campaign.campaignConfig.enableMetadataWithRecommendations",
    "DescribeCampaign.response.campaign.campaignConfig.rankingInfluence",
    "DescribeCampaign.response.campaign.campaignConfig.syncWithLatestSolutionVersion",
    "DescribeCampaign.response.campaign.latestCampaignUpdate.campaignConfig.enableMetadataWithRecommendations",
    "DescribeCampaign.response.campaign.latestCampaignUpdate.campaignConfig.rankingInfluence",
    "DescribeCampaign.response.campaign.latestCampaignUpdate.campaignConfig.syncWithLatestSolutionVersion",
    "DescribeDataset.response.dataset.trackingId",
    "DescribeRecommender.response.recommender.latestRecommenderUpdate.recommenderConfig.enableMetadataWithRecommendations",
    "DescribeRecommender.response.recommender.latestRecommenderUpdate.recommenderConfig.trainingDataConfig.includedDatasetColumns",
    "DescribeRecommender.response.recommender.recommenderConfig.enableMetadataWithRecommendations",
    "DescribeRecommender.response.recommender.recommenderConfig.trainingDataConfig.includedDatasetColumns",
    "DescribeSolution.response.solution.latestSolutionUpdate",
    "DescribeSolution.response.solution.latestSolutionVersion.trainingMode",
    "DescribeSolution.response.solution.latestSolutionVersion.trainingType",
    "DescribeSolution.response.solution.performAutoTraining",
    "DescribeSolution.response.solution.performIncrementalUpdate",
    "DescribeSolution.response.solution.solutionConfig.autoTrainingConfig",
    "DescribeSolution.response.solution.solutionConfig.eventsConfig",
    "DescribeSolution.response.solution.solutionConfig.trainingDataConfig.includedDatasetColumns",
    "DescribeSolutionVersion.response.solutionVersion.performIncrementalUpdate",
    "DescribeSolutionVersion.response.solutionVersion.solutionConfig.autoTrainingConfig",
    "DescribeSolutionVersion.response.solutionVersion.solutionConfig.eventsConfig",
    "DescribeSolutionVersion.response.solutionVersion.solutionConfig.trainingDataConfig.includedDatasetColumns",
    "DescribeSolutionVersion.response.solutionVersion.trainingType",
    "ListBatchInferenceJobs.response.batchInferenceJobs[].batchInferenceJobMode",
    "ListRecommenders.response.recommenders[].recommenderConfig.enableMetadataWithRecommendations",
    "ListRecommenders.response.recommenders[].recommenderConfig.trainingDataConfig.includedDatasetColumns",
    "ListSolutionVersions.response.solutionVersions[].trainingMode",
    "ListSolutionVersions.response.solutionVersions[].trainingType",
    "UpdateCampaign.request.campaignConfig.enableMetadataWithRecommendations",
    "UpdateCampaign.request.campaignConfig.rankingInfluence",
    "UpdateCampaign.request.campaignConfig.syncWithLatestSolutionVersion",
    "UpdateRecommender.request.recommenderConfig.enableMetadataWithRecommendations",
    "UpdateRecommender.request.recommenderConfig.trainingDataConfig.includedDatasetColumns",
]

# (member path glob, aspect) -> why the two documents may differ there.
ACCEPTED_CONSTRAINTS = {
    ("*.nextToken", "x-aws-pattern"): "NextToken gained the pattern \\p{ASCII}{0,1500} in the newer model",
    ("*.datasetType", "x-aws-pattern"): "DatasetType gained a pattern in the newer model",
    ("*.excludedDatasetColumns{}[]", "x-aws-pattern"): "ColumnName gained a pattern in the newer model",
    ("*.schema.schema", "maxLength"): "AvroSchema grew from 10000 to 20000 characters",
    ("CreateSchema.request.schema", "maxLength"): "AvroSchema grew from 10000 to 20000 characters",
    ("*.trainingMode", "enum"): "TrainingMode gained AUTOTRAIN (automatic training)",
    ("CreateDatasetImportJob.request", "required"): "roleArn became optional for dataset import jobs",
}


@pytest.fixture(scope="module")
def differences():
    if not APISGURU.exists():
        pytest.skip(f"reference spec not present at {APISGURU}")
    return compare_operations(load_spec(str(APISGURU)), load_spec())


def _accepted(diff) -> bool:
    if diff.where.startswith("operation "):
        return diff.where.split(" ", 1)[1] in ADDED_OPERATIONS and diff.what == "added"
    if diff.what == "member":
        return diff.left is None and any(
            diff.where == root or diff.where.startswith(root) and diff.where[len(root)] in ".[{"
            for root in ADDED_MEMBERS)
    return any(fnmatch.fnmatchcase(diff.where, glob) and diff.what == aspect
               for glob, aspect in ACCEPTED_CONSTRAINTS)


def test_built_spec_has_every_operation_of_the_apisguru_spec_and_the_four_newer_ones(differences):
    assert len(load_spec().operations) == 71
    assert len(load_spec(str(APISGURU)).operations) == 67
    added = {d.where.split(" ", 1)[1] for d in differences if d.where.startswith("operation ")}
    assert added == set(ADDED_OPERATIONS)


def test_every_difference_on_shared_operations_is_accepted_by_name(differences):
    unexplained = [str(d) for d in differences if not _accepted(d)]
    assert unexplained == []


def test_every_accepted_difference_still_occurs(differences):
    """An accepted difference that no longer occurs is stale: remove it, so the list stays true."""
    stale = [root for root in ADDED_MEMBERS if not any(d.where == root for d in differences)]
    stale += [key for key in ACCEPTED_CONSTRAINTS if not any(
        fnmatch.fnmatchcase(d.where, key[0]) and d.what == key[1] for d in differences)]
    assert stale == []


def test_comparison_catches_a_changed_constraint(differences):
    import copy
    raw = copy.deepcopy(load_spec().raw)
    raw["components"]["schemas"]["Name"]["maxLength"] = 64
    from personalize_conformance.specs import Spec
    mutated = Spec(raw=raw, source="mutated")
    diffs = compare_operations(load_spec(), mutated)
    assert any(d.where == "CreateCampaign.request.name" and d.what == "maxLength" for d in diffs)
