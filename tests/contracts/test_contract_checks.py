"""Every sequence-level contract fails on a crafted bad sequence and holds on a good one."""
import pytest

from personalize_conformance import contracts
from personalize_conformance.checks.contracts import CONTRACTS, judge
from personalize_conformance.contracts import GONE

CAMPAIGN = contracts.machine("campaign")
RECOMMENDER = contracts.machine("recommender")
VERSION = contracts.machine("solution-version")
FILTER = contracts.machine("filter")
CAMPAIGN_UPDATE = contracts.machine("campaign", "latestCampaignUpdate")
ARN = "arn:aws:personalize:us-east-1:123456789012:campaign/c{}"
REFUSED = dict(expected=("ResourceNotFoundException",), status=400)

# rule -> (an observation the rule accepts, one it rejects)
CASES = {
    "lifecycle.legal-transition": (
        dict(machine=CAMPAIGN, action="create", path=["CREATE PENDING", "ACTIVE", "ACTIVE"]),
        dict(machine=CAMPAIGN, action="create", path=["CREATE PENDING", "ACTIVE", "CREATE IN_PROGRESS"])),
    "lifecycle.known-status": (
        dict(machine=CAMPAIGN, path=["CREATE PENDING", "CREATE IN_PROGRESS", "ACTIVE"]),
        dict(machine=CAMPAIGN, action="create", path=["CREATING", "ACTIVE"])),
    "lifecycle.settles": (
        dict(machine=CAMPAIGN, action="create", path=["CREATE PENDING", "ACTIVE"], settled=True, polls=2, waited=0.1),
        dict(machine=CAMPAIGN, action="create", path=["CREATE PENDING"] * 9, settled=False, polls=9, waited=3.0)),
    "lifecycle.action-accepted": (
        dict(operation="StopRecommender", status=200, code=None, state="ACTIVE"),
        dict(operation="StopRecommender", status=400, code="ResourceInUseException", state="ACTIVE")),
    "lifecycle.failure-reason": (
        dict(machine=CAMPAIGN, action="create", path=["CREATE PENDING", "CREATE FAILED"],
             reason="The solution version is not ACTIVE.", members={"status", "failureReason"}),
        dict(machine=CAMPAIGN, action="create", path=["CREATE PENDING", "CREATE FAILED"],
             reason=None, members={"status", "failureReason"})),
    "lifecycle.create-identifies": (
        dict(operation="CreateCampaign", status=200, member="campaignArn", arn=ARN.format(1)),
        dict(operation="CreateCampaign", status=200, member="campaignArn", arn=None)),
    "lifecycle.gone-after-delete": (
        dict(resource=ARN.format(1), path=["DELETE PENDING", GONE], gone=True, polls=2, waited=0.1),
        dict(resource=ARN.format(1), path=["DELETE PENDING"] * 5, gone=False, polls=5, waited=2.0)),
    "consistency.describe-echoes-create": (
        dict(sent={"name": "c", "minProvisionedTPS": 1, "tags": []}, members={"name", "minProvisionedTPS"},
             described={"name": "c", "minProvisionedTPS": 1, "status": "ACTIVE"}),
        dict(sent={"name": "c", "minProvisionedTPS": 3}, members={"name", "minProvisionedTPS"},
             described={"name": "c", "minProvisionedTPS": 1})),
    "consistency.describe-after-create": (
        dict(operation="DescribeCampaign", status=200, code=None, resource="campaign", arn=ARN.format(1)),
        dict(operation="DescribeCampaign", status=400, code="ResourceNotFoundException", resource="campaign",
             arn=ARN.format(1))),
    "consistency.list-includes": (
        dict(arn=ARN.format(1), listed_arns=[ARN.format(1)], list_operation="ListCampaigns", scope="solutionArn"),
        dict(arn=ARN.format(1), listed_arns=[ARN.format(2)], list_operation="ListCampaigns", scope="solutionArn")),
    "consistency.list-status-agrees": (
        dict(described_status="ACTIVE", listed_status="ACTIVE", arn=ARN.format(1)),
        dict(described_status="ACTIVE", listed_status="CREATE PENDING", arn=ARN.format(1))),
    "consistency.list-drops-deleted": (
        dict(arn=ARN.format(1), listed_arns=[ARN.format(2)], list_operation="ListCampaigns"),
        dict(arn=ARN.format(1), listed_arns=[ARN.format(1)], list_operation="ListCampaigns")),
    "update.reflected": (
        dict(sent={"minProvisionedTPS": 2}, described={"minProvisionedTPS": 2, "name": "c"}, operation="UpdateCampaign"),
        dict(sent={"minProvisionedTPS": 2}, described={"minProvisionedTPS": 1}, operation="UpdateCampaign")),
    "reference.missing-parent": (
        dict(REFUSED, code="ResourceNotFoundException", operation="CreateCampaign", member="solutionVersionArn", arn="x"),
        dict(REFUSED, status=200, code=None, operation="CreateCampaign", member="solutionVersionArn", arn="x")),
    "uniqueness.duplicate-name": (
        dict(expected=("ResourceAlreadyExistsException",), status=400, code="ResourceAlreadyExistsException",
             operation="CreateSchema", name="s"),
        dict(expected=("ResourceAlreadyExistsException",), status=200, code=None, operation="CreateSchema", name="s")),
    "uniqueness.one-per-parent": (
        dict(expected=("ResourceAlreadyExistsException",), status=400, code="ResourceAlreadyExistsException",
             operation="CreateEventTracker", same=["datasetGroupArn"]),
        dict(expected=("ResourceAlreadyExistsException",), status=200, code=None,
             operation="CreateEventTracker", same=["datasetGroupArn"])),
    "dependency.delete-in-use": (
        dict(expected=("ResourceInUseException",), status=400, code="ResourceInUseException",
             operation="DeleteSchema", dependant="a dataset"),
        dict(expected=("ResourceInUseException",), status=200, code=None, operation="DeleteSchema",
             dependant="a dataset")),
    "dependency.parent-not-active": (
        dict(expected=("ResourceInUseException",), status=400, code="ResourceInUseException",
             operation="CreateDataset", parent="g", parent_status="CREATE PENDING"),
        dict(expected=("ResourceInUseException",), status=200, code=None, operation="CreateDataset",
             parent="g", parent_status="CREATE PENDING")),
    "pagination.exactly-once": (
        dict(pages=[["a"], ["b"], ["c"]], known={"a", "b", "c"}, max_results=1, operation="ListSchemas"),
        dict(pages=[["a", "b"], ["b", "c"]], known={"a", "b", "c"}, max_results=2, operation="ListSchemas")),
    "pagination.terminates": (
        dict(pages=[["a"], ["b"]], tokens=["t", None], terminated=True, max_results=1, operation="ListSchemas"),
        dict(pages=[["a"], ["b"]] * 20, tokens=["t"] * 40, terminated=False, max_results=1, operation="ListSchemas")),
    "pagination.max-results": (
        dict(pages=[["a", "b"], ["c"]], max_results=2, operation="ListSchemas"),
        dict(pages=[["a", "b", "c"]], max_results=2, operation="ListSchemas")),
    "pagination.forged-token": (
        dict(expected=("InvalidNextTokenException",), status=400, code="InvalidNextTokenException",
             operation="ListSchemas", token="forged"),
        dict(expected=("InvalidNextTokenException",), status=200, code=None, operation="ListSchemas", token="forged")),
    "tags.round-trip": (
        dict(expected={"a": "1"}, listed={"a": "1", "b": "2"}, how="at create"),
        dict(expected={"a": "1"}, listed={}, how="by TagResource")),
    "tags.untag-exact": (
        dict(before={"a": "1", "b": "2"}, removed=["a"], after={"b": "2"}),
        dict(before={"a": "1", "b": "2"}, removed=["a"], after={"a": "1", "b": "2"})),
    "tags.limit": (
        dict(expected=("TooManyTagsException",), status=400, code="TooManyTagsException", count=51, limit=50),
        dict(expected=("TooManyTagsException",), status=200, code=None, count=51, limit=50)),
    "tags.missing-arn": (
        dict(expected=("ResourceNotFoundException",), status=400, code="ResourceNotFoundException",
             operation="TagResource", arn="x"),
        dict(expected=("ResourceNotFoundException",), status=200, code=None, operation="TagResource", arn="x")),
    "consistency.list-scoped": (
        dict(list_operation="ListCampaigns", member="solutionArn", scope="s1", listed_arns=[ARN.format(1)],
             foreign={ARN.format(2): "s2"}),
        dict(list_operation="ListCampaigns", member="solutionArn", scope="s1", listed_arns=[ARN.format(1), ARN.format(2)],
             foreign={ARN.format(2): "s2"})),
    "resource.timestamps": (
        dict(arn=ARN.format(1), reads=[{"creationDateTime": 10, "lastUpdatedDateTime": 10},
                                       {"creationDateTime": 10, "lastUpdatedDateTime": 12}]),
        dict(arn=ARN.format(1), reads=[{"creationDateTime": 10, "lastUpdatedDateTime": 9}])),
    "resource.arn-names": (
        dict(operation="CreateCampaign", arn=ARN.format(1), form="campaign/{name}", values={"name": "c1"}),
        dict(operation="CreateCampaign", arn=ARN.format(1), form="campaign/{name}", values={"name": "other"})),
    "dependency.cascade": (
        dict(parent="the solution s", child="the solution version v", gone=True, status=400,
             code="ResourceNotFoundException"),
        dict(parent="the solution s", child="the solution version v", gone=True, status=200, code=None,
             child_status="ACTIVE")),
    "lifecycle.poll-answer": (
        dict(operation="DescribeCampaign", resource=ARN.format(1), action="delete", status=400,
             code="ResourceNotFoundException", polls=2),
        dict(operation="DescribeCampaign", resource=ARN.format(1), action="delete", status=400,
             code="InvalidInputException", polls=1)),
}


def test_every_registered_contract_has_a_good_and_a_bad_case():
    assert set(CASES) == set(CONTRACTS)


@pytest.mark.parametrize("rule", sorted(CASES))
def test_contract_holds_on_a_good_sequence(rule):
    assert judge(rule, **CASES[rule][0]) == []


# Contracts whose bad case is a warning by design: the model marks failureReason optional, so its
# absence is never held against a target as a failure.
WARNS = {"lifecycle.failure-reason"}


@pytest.mark.parametrize("rule", sorted(CASES))
def test_contract_fails_on_a_bad_sequence(rule):
    verdicts = judge(rule, **CASES[rule][1])
    assert [v.outcome for v in verdicts][:1] == ["warn" if rule in WARNS else "fail"], verdicts
    assert verdicts[0].message


def test_a_failed_create_is_a_legal_end_and_judged_only_for_its_reason():
    failed = ["CREATE PENDING", "CREATE IN_PROGRESS", "CREATE FAILED"]
    assert judge("lifecycle.legal-transition", machine=CAMPAIGN, action="create", path=failed) == []
    assert judge("lifecycle.settles", machine=CAMPAIGN, action="create", path=failed, settled=True,
                 polls=3, waited=0.1) == []
    members = {"status", "failureReason"}
    ended_active = dict(machine=CAMPAIGN, action="create", path=["ACTIVE"], reason=None, members=members)
    assert [v.outcome for v in judge("lifecycle.failure-reason", **ended_active)] == ["skip"]
    no_member = dict(machine=contracts.machine("dataset"), action="create", path=failed, reason=None,
                     members={"status"})  # Dataset has no failureReason member
    assert [v.outcome for v in judge("lifecycle.failure-reason", **no_member)] == ["skip"]


def test_batch_jobs_walk_the_observed_create_flow_and_the_documented_list_alike():
    batch = contracts.machine("batch-inference-job")
    for path in (["CREATE PENDING", "CREATE IN_PROGRESS", "ACTIVE"], ["PENDING", "IN PROGRESS", "ACTIVE"],
                 ["CREATE PENDING", "ACTIVE"], ["CREATE IN_PROGRESS", "CREATE FAILED"]):
        assert batch.path_problem("create", path) is None, path
    assert batch.path_problem("create", ["CREATE IN_PROGRESS", "CREATE PENDING"]) is not None
    assert batch.path_problem("create", ["ACTIVE", "CREATE IN_PROGRESS"]) is not None
    observed = batch.flow("create").observed
    assert observed and all(str(cite).endswith("observed in recorded AWS traffic") for _, cite in observed)


def test_a_dataset_update_walks_the_dataset_status_as_observed():
    dataset = contracts.machine("dataset")
    assert dataset.path_problem("update", ["UPDATE PENDING", "UPDATE IN_PROGRESS", "ACTIVE"], before="ACTIVE") is None
    assert dataset.path_problem("update", ["ACTIVE", "UPDATE IN_PROGRESS", "ACTIVE"], before="ACTIVE") is None
    assert dataset.path_problem("update", ["UPDATE IN_PROGRESS", "UPDATE PENDING"], before="ACTIVE") is not None
    assert judge("lifecycle.known-status", machine=dataset, path=["UPDATE PENDING"]) == []


def test_polls_may_skip_statuses_but_never_step_back():
    assert CAMPAIGN.path_problem("create", ["ACTIVE"]) is None
    assert CAMPAIGN.path_problem("create", ["CREATE PENDING", "CREATE FAILED"]) is None
    assert CAMPAIGN.path_problem("create", ["CREATE IN_PROGRESS", "CREATE PENDING"]) is not None
    assert CAMPAIGN.path_problem("create", ["ACTIVE", "CREATE FAILED"]) is not None


def test_a_read_from_before_the_action_is_not_a_step():
    assert CAMPAIGN.path_problem("delete", ["ACTIVE", "DELETE PENDING", GONE], before="ACTIVE") is None
    assert CAMPAIGN.path_problem("delete", ["DELETE IN_PROGRESS", "ACTIVE"], before="ACTIVE") is not None
    assert CAMPAIGN.path_problem("delete", ["DELETE PENDING", GONE, "DELETE PENDING"], before="ACTIVE") is not None


def test_recommender_stop_and_start_walk_their_own_halves_of_the_documented_chain():
    assert RECOMMENDER.path_problem("stop", ["STOP PENDING", "STOP IN_PROGRESS", "INACTIVE"], before="ACTIVE") is None
    assert RECOMMENDER.path_problem("start", ["INACTIVE", "START PENDING", "ACTIVE"], before="INACTIVE") is None
    # stopping must not wander on into a start by itself
    assert RECOMMENDER.path_problem("stop", ["STOP PENDING", "INACTIVE", "START PENDING"], before="ACTIVE") is not None


def test_solution_version_stop_accepts_both_spellings_the_spec_uses():
    assert VERSION.path_problem("stop", ["CREATE PENDING", "CREATE STOPPED"], before="CREATE PENDING") is None
    assert VERSION.path_problem("stop", ["CREATE_IN_PROGRESS", "CREATE_STOPPING", "CREATE_STOPPED"],
                                before="CREATE IN_PROGRESS") is None
    assert judge("lifecycle.known-status", machine=VERSION, path=["CREATE_STOPPING"]) == []
    assert VERSION.path_problem("stop", ["CREATE STOPPED", "CREATE STOPPING"], before="CREATE IN_PROGRESS")


def test_updates_accept_the_update_prefixed_chain_as_well_as_the_documented_one():
    for path in (["CREATE PENDING", "ACTIVE"], ["UPDATE PENDING", "UPDATE IN_PROGRESS", "ACTIVE"]):
        assert CAMPAIGN_UPDATE.path_problem("update", path) is None
    assert CAMPAIGN_UPDATE.path_problem("update", ["ACTIVE", "UPDATE PENDING"], before="ACTIVE") is None
    assert CAMPAIGN_UPDATE.path_problem("update", ["UPDATE IN_PROGRESS", "UPDATE PENDING"]) is not None


def test_an_undocumented_lifecycle_is_warned_about_unless_aws_was_seen_walking_it():
    verdicts = judge("lifecycle.legal-transition", machine=FILTER, action="delete",
                     path=["DELETE IN_PROGRESS", "DELETE PENDING"], before="ACTIVE")
    assert [v.outcome for v in verdicts] == ["warn"]
    # DescribeFilter lists no statuses, but recorded traffic walked a filter's create.
    verdicts = judge("lifecycle.legal-transition", machine=FILTER, action="create",
                     path=["ACTIVE", "CREATE PENDING"])
    assert [(v.outcome, v.level) for v in verdicts] == [("fail", "observed")]


def test_a_delete_refused_only_while_busy_is_not_judged_once_the_dependant_settled():
    obs = dict(expected=("ResourceInUseException",), status=200, code=None, operation="DeleteDataset",
               dependant="an import job")
    assert [v.outcome for v in judge("dependency.delete-in-use", busy=False, **obs)] == ["skip"]
    assert [v.outcome for v in judge("dependency.delete-in-use", busy=True, **obs)] == ["fail"]


def test_a_create_into_a_parent_that_was_already_active_is_not_judged():
    obs = dict(expected=("ResourceInUseException",), status=200, code=None, operation="CreateDataset", parent="g")
    assert [v.outcome for v in judge("dependency.parent-not-active", parent_status="ACTIVE", **obs)] == ["skip"]


def test_a_wrong_error_code_is_a_failure_that_names_both_codes():
    (verdict,) = judge("reference.missing-parent", expected=("ResourceNotFoundException",), status=400,
                       code="InvalidInputException", operation="CreateCampaign", member="solutionVersionArn", arn="x")
    assert "InvalidInputException" in verdict.message and "ResourceNotFoundException" in verdict.message


def test_case_insensitive_members_echo_in_any_case():
    assert judge("consistency.describe-echoes-create", sent={"datasetType": "Interactions"},
                 described={"datasetType": "INTERACTIONS"}, members={"datasetType"}, ignore_case=("datasetType",)) == []
    assert judge("consistency.describe-echoes-create", sent={"datasetType": "Interactions"},
                 described={"datasetType": "INTERACTIONS"}, members={"datasetType"})


def test_a_crashing_contract_is_a_harness_error_not_a_verdict_on_the_target():
    (verdict,) = judge("lifecycle.legal-transition", machine=None, action="create", path=[])
    assert verdict.outcome == "error"


def test_a_creation_time_that_moves_between_reads_is_caught_as_instability():
    (verdict,) = judge("resource.timestamps", arn="a", reads=[{"creationDateTime": 10, "lastUpdatedDateTime": 20},
                                                             {"creationDateTime": 11, "lastUpdatedDateTime": 20}])
    assert verdict.outcome == "fail" and "changed between reads" in verdict.message and verdict.level == "doc"


def test_a_wrong_answer_while_polling_names_the_error_or_else_the_status_and_no_answer_is_not_judged():
    poll = dict(operation="DescribeCampaign", resource=ARN.format(1), action="delete", polls=3)
    (named,) = judge("lifecycle.poll-answer", status=400, code="InvalidInputException", **poll)
    (unnamed,) = judge("lifecycle.poll-answer", status=500, code=None, **poll)
    assert "answered InvalidInputException (poll 3)" in named.message
    assert "answered HTTP 500 (poll 3)" in unnamed.message
    assert judge("lifecycle.poll-answer", status=200, code=None, **poll) == []
    assert [v.outcome for v in judge("lifecycle.poll-answer", status=None, code=None, **poll)] == ["skip"]


def test_a_last_update_time_that_goes_back_between_reads_is_caught_as_instability():
    (verdict,) = judge("resource.timestamps", arn="a", reads=[{"creationDateTime": 10, "lastUpdatedDateTime": 12},
                                                             {"creationDateTime": 10, "lastUpdatedDateTime": 11}])
    assert verdict.outcome == "fail" and "went back from 12 to 11" in verdict.message and verdict.level == "doc"


def test_timestamps_are_ordered_in_every_object_and_list_item_of_each_read_which_the_finding_names():
    ok = {"creationDateTime": 10, "lastUpdatedDateTime": 10}
    nested = {**ok, "latestCampaignUpdate": {"creationDateTime": 12, "lastUpdatedDateTime": 11}}
    listed = {"recipes": [ok, {"creationDateTime": 12, "lastUpdatedDateTime": 11}]}
    for reads, where in (([ok, nested], "read 2: $.latestCampaignUpdate.creationDateTime"),
                         ([listed], "read 1: $.recipes[1].creationDateTime")):
        (verdict,) = judge("resource.timestamps", arn="a", reads=reads)
        assert verdict.outcome == "fail" and where in verdict.message, verdict


def test_a_read_missing_one_of_its_timestamps_is_not_judged_for_their_order():
    assert judge("resource.timestamps", arn="a", reads=[{"creationDateTime": 10},
                                                        {"lastUpdatedDateTime": 9, "creationDateTime": None}]) == []


def test_without_a_read_or_an_arn_form_the_invariants_are_not_judged():
    assert [v.outcome for v in judge("resource.timestamps", arn="a", reads=[None, "x"])] == ["skip"]
    for arn, form in ((ARN.format(1), None), (None, "campaign/{name}")):
        assert [v.outcome for v in judge("resource.arn-names", operation="CreateCampaign", arn=arn, form=form,
                                         values={"name": "c1"})] == ["skip"]


def test_an_arn_embeds_its_parent_and_an_upper_cased_type_where_aws_builds_it_so():
    form = contracts.arn_form("dataset")
    values = {"datasetGroupArn": "arn:aws:personalize:us-east-1:123456789012:dataset-group/grp", "datasetType": "Items"}
    assert judge("resource.arn-names", operation="CreateDataset", form=form, values=values,
                 arn="arn:aws:personalize:us-east-1:123456789012:dataset/grp/ITEMS") == []
    (verdict,) = judge("resource.arn-names", operation="CreateDataset", form=form, values=values,
                       arn="arn:aws:personalize:us-east-1:123456789012:dataset/other/ITEMS")
    assert verdict.outcome == "fail" and verdict.level == "observed"


def test_what_a_delete_must_leave_is_caught_when_it_goes_with_it():
    kept = dict(parent="the campaign c", child="the solution version v", gone=False)
    assert judge("dependency.cascade", status=200, code=None, child_status="ACTIVE", **kept) == []
    (verdict,) = judge("dependency.cascade", status=400, code="ResourceNotFoundException", **kept)
    assert verdict.outcome == "fail" and "not deleted with it" in verdict.message
    assert "answered ResourceNotFoundException after" in verdict.message


def test_a_child_still_deleting_after_its_parent_went_has_gone_with_it_and_one_still_there_names_its_status():
    taken = dict(parent="the solution s", child="the solution version v", gone=True)
    for status in ("DELETE PENDING", "DELETE IN_PROGRESS"):
        assert judge("dependency.cascade", status=200, code=None, child_status=status, **taken) == []
    (active,) = judge("dependency.cascade", status=200, code=None, child_status="ACTIVE", **taken)
    (unnamed,) = judge("dependency.cascade", status=200, code=None, **taken)
    assert "is still there (ACTIVE)" in active.message and "is still there (HTTP 200)" in unnamed.message
    assert [v.outcome for v in judge("dependency.cascade", status=None, code=None, **taken)] == ["skip"]


def test_a_list_scoped_to_one_parent_names_the_first_stray_and_counts_the_others():
    scoped = dict(list_operation="ListCampaigns", member="solutionArn", scope="s1",
                  foreign={ARN.format(2): "s2", ARN.format(3): "s3"})
    (one,) = judge("consistency.list-scoped", listed_arns=[ARN.format(1), ARN.format(2)], **scoped)
    (two,) = judge("consistency.list-scoped", listed_arns=[ARN.format(2), ARN.format(3)], **scoped)
    assert one.message.endswith(f"also listed {ARN.format(2)}, created under s2")
    assert two.message.endswith(f"also listed {ARN.format(2)}, created under s2 (and 1 more of other parents)")
