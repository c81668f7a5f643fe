"""Where each contract does not judge (its cell stays NOT RUN rather than PASS), and what its
findings say: the decisions the good/bad sequences of tests/contracts do not reach."""
import pytest

from personalize_conformance import contracts
from personalize_conformance.checks.contracts import expect_error, judge
from personalize_conformance.contracts import GONE

CAMPAIGN = contracts.machine("campaign")
SCHEMA_ARN = "arn:aws:personalize:us-east-1:123456789012:schema/s"

# rule -> observations the rule cannot decide
UNDECIDED = {
    "consistency.describe-echoes-create": [dict(sent={"name": "c"}, described=None, members={"name"})],
    "consistency.describe-after-create": [dict(operation="DescribeSchema", status=None, code=None,
                                               resource="schema", arn=SCHEMA_ARN)],
    "consistency.list-includes": [dict(arn="a", listed_arns=["b"], list_operation="ListSchemas", scope=None,
                                       complete=False)],
    "consistency.list-status-agrees": [dict(described_status=None, listed_status="ACTIVE", arn="a"),
                                       dict(described_status="ACTIVE", listed_status=None, arn="a")],
    "consistency.list-drops-deleted": [dict(arn="a", listed_arns=["a"], list_operation="ListSchemas", gone=False)],
    "update.reflected": [dict(sent={"x": 1}, described=None, operation="UpdateCampaign")],
    "pagination.terminates": [dict(pages=[["a"], []], tokens=["t", None], terminated=True, max_results=1,
                                   operation="ListSchemas")],
    "pagination.max-results": [dict(pages=[["a", "b"]], max_results=None, operation="ListSchemas")],
    "lifecycle.legal-transition": [dict(machine=CAMPAIGN, action="stop", path=["ACTIVE"])],
    "lifecycle.settles": [dict(machine=CAMPAIGN, action="stop", path=[], settled=False, polls=1, waited=0.1),
                          dict(machine=CAMPAIGN, action="delete", path=["DELETE PENDING"], settled=False, polls=1,
                               waited=0.1)],
    "lifecycle.create-identifies": [dict(operation="CreateSchema", status=400, member="schemaArn", arn=None)],
    "tags.round-trip": [dict(expected={"a": "1"}, listed=None, how="at create")],
    "tags.untag-exact": [dict(before=None, removed=["a"], after={}), dict(before={"a": "1"}, removed=["a"], after=None)],
}


@pytest.mark.parametrize("rule,observation", [(r, o) for r, obs in UNDECIDED.items() for o in obs])
def test_a_contract_that_cannot_decide_says_so_and_is_not_a_pass(rule, observation):
    assert [v.outcome for v in judge(rule, **observation)] == ["skip"]


def _messages(rule, **observation):
    return [v.message for v in judge(rule, **observation)]


def test_read_after_write_findings_name_what_was_read():
    assert _messages("consistency.describe-after-create", operation="DescribeSchema", status=500, code=None,
                     resource="schema", arn=SCHEMA_ARN) == [f"DescribeSchema of the live schema {SCHEMA_ARN} answered HTTP 500"]
    assert "filtered by solutionArn" in _messages("consistency.list-includes", arn="a", listed_arns=[],
                                                  list_operation="ListCampaigns", scope="solutionArn")[0]
    assert "filtered" not in _messages("consistency.list-includes", arn="a", listed_arns=[],
                                       list_operation="ListSchemas", scope=None)[0]


def test_an_echo_compares_only_the_describe_members_and_never_tags():
    sent = {"name": "c", "tags": [{"tagKey": "a"}], "notDescribed": 1}
    assert judge("consistency.describe-echoes-create", sent=sent, described={"name": "c"},
                 members={"name", "tags"}) == []
    assert judge("consistency.describe-echoes-create", sent={"name": 1}, described={"name": 1.0}, members={"name"}) == []


def test_an_update_read_back_as_a_list_must_list_every_item_sent():
    sent = [{"eventType": "click"}, {"eventType": "view"}]
    assert judge("update.reflected", sent=sent, described=sent + [{"eventType": "x"}],
                 operation="UpdateMetricAttribution", where="ListMetricAttributionMetrics") == []
    assert _messages("update.reflected", sent=sent, described=sent[:1], operation="UpdateMetricAttribution",
                     where="ListMetricAttributionMetrics") == [
        "after UpdateMetricAttribution, ListMetricAttributionMetrics does not list {'eventType': 'view'}"]


def test_pagination_findings_count_what_went_wrong():
    twice = _messages("pagination.exactly-once", pages=[["a", "b"], ["a", "b"]], known=[], max_results=2,
                      operation="ListSchemas")
    assert twice == ["ListSchemas with maxResults=2 returned a 2 times (and 1 more items twice)"]
    missing = _messages("pagination.exactly-once", pages=[["a"]], known=["a", "b", "c"], max_results=None,
                        operation="ListSchemas")  # a walk that ended, by default
    assert missing == ["ListSchemas with default maxResults never returned b (and 1 more) across 1 pages"]
    one = _messages("pagination.exactly-once", pages=[["a"]], known=["a", "b"], max_results=1, operation="ListSchemas")
    assert one == ["ListSchemas with maxResults=1 never returned b across 1 pages"]
    assert _messages("pagination.max-results", pages=[["a"], ["a", "b", "c"]], max_results=2,
                     operation="ListSchemas") == ["ListSchemas page 2 holds 3 items with maxResults=2"]


def test_an_empty_last_page_is_allowed_only_after_a_token():
    common = dict(terminated=True, max_results=1, operation="ListSchemas")
    assert judge("pagination.terminates", pages=[["a"], []], tokens=["t", None], **common)[0].outcome == "skip"
    assert judge("pagination.terminates", pages=[[]], tokens=[None], **common) == []
    assert judge("pagination.terminates", pages=[["a"], []], tokens=[None, None], **common) == []


def test_lifecycle_findings_say_what_was_last_seen():
    stuck = _messages("lifecycle.settles", machine=CAMPAIGN, action="create", path=[], settled=False, polls=3,
                      waited=1.0)
    assert stuck[0].startswith("campaign status still 'nothing' after create (3 polls, 1.0s)")
    assert "still 'CREATE PENDING'" in _messages("lifecycle.settles", machine=CAMPAIGN, action="create",
                                                 path=["CREATE PENDING"], settled=False, polls=1, waited=0.1)[0]
    lingering = _messages("lifecycle.gone-after-delete", resource="r", path=[], gone=False, polls=2, waited=0.5)
    assert lingering[0].startswith("r still answers 'nothing' 2 polls")
    assert "still answers 'DELETE PENDING'" in _messages("lifecycle.gone-after-delete", resource="r",
                                                         path=["DELETE PENDING"], gone=False, polls=1, waited=0.1)[0]
    assert judge("lifecycle.gone-after-delete", resource="r", path=[GONE], gone=True, polls=1, waited=0.1) == []
    refused = _messages("lifecycle.action-accepted", operation="StopRecommender", status=500, code=None, state="ACTIVE")
    assert refused == ["StopRecommender on a resource in 'ACTIVE' was answered HTTP 500; expected success"]
    assert _messages("lifecycle.action-accepted", operation="CreateSchema", status=400, code="InvalidInputException") == [
        "CreateSchema was answered InvalidInputException; expected success"]


@pytest.mark.parametrize("arn", [None, "", 5])
def test_a_create_must_name_what_it_made_with_a_non_empty_arn(arn):
    verdicts = judge("lifecycle.create-identifies", operation="CreateSchema", status=200, member="schemaArn", arn=arn)
    assert [v.outcome for v in verdicts] == ["fail"]
    assert verdicts[0].message.startswith(f"CreateSchema answered HTTP 200 without schemaArn (got {arn!r})")


def test_a_refusal_that_was_due_names_the_answer_it_got():
    assert [v.message for v in expect_error(("X",), 200, None, "doing it")] == [
        "doing it was accepted (HTTP 200); expected X"]
    assert [v.message for v in expect_error(("X", "Y"), 201, None, "doing it")] == [
        "doing it was answered HTTP 201; expected X or Y"]
    assert [v.outcome for v in expect_error(("X",), 400, "X", "doing it")] == []
    assert [v.outcome for v in expect_error(("X",), 400, "Z", "doing it", documented=False)] == ["warn"]
