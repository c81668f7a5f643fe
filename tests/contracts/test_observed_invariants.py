"""The invariants labelled `observed` hold in every recorded AWS answer they speak of, so a
target is never failed for what AWS was seen to do."""
import json
import re

from personalize_conformance import contracts
from personalize_conformance.checks import context_for, run_checks
from personalize_conformance.checks.contracts import judge
from personalize_conformance.checks.observed_members import missing
from personalize_conformance.contracts import observed
from personalize_conformance.specs import load_spec
from personalize_conformance.strategies import Case
from personalize_conformance.targets import WireResponse

CTX = context_for(load_spec())
CATALOGUE_OPERATIONS = ("ListRecipes", "DescribeRecipe", "DescribeAlgorithm", "DescribeFeatureTransformation")


def _items():
    """(resource type, the resource as answered) of every recorded Describe and List item."""
    by_op = {}
    for rt in contracts.resource_types().values():
        by_op[rt.op("describe")] = (rt, rt.describe_key)
        by_op[rt.op("list")] = (rt, rt.list_key)
    for o in observed.responses(observed.RECORDED):
        if o.operation not in by_op:
            continue
        rt, key = by_op[o.operation]
        value = o.body().get(key)
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, dict):
                yield rt, item, o


def test_every_recorded_arn_is_made_as_arn_names_says():
    judged = 0
    for rt, item, o in _items():
        form, arn = contracts.arn_form(rt.key), item.get(rt.arn)
        if form is None or not isinstance(arn, str):
            continue
        if contracts.arn_pattern(form, item) is not None:
            judged += 1
        assert contracts.arn_problem(form, arn, item) is None, (o.citation, arn)
    assert judged >= 15


def test_every_type_given_an_arn_form_has_recorded_arns_of_that_form():
    for rtype in contracts.resource_types():
        form = contracts.arn_form(rtype)
        if form is None:
            continue
        shape = re.compile(re.sub(r"\\\{[^}]*\\\}|\\\*", "[^/]+", re.escape(form)))
        seen = [a for a, _, _ in observed.arns(observed.RECORDED)
                if contracts.resource_type(rtype).matches_arn(a) and shape.fullmatch(a.split(":", 5)[-1])]
        assert seen, f"no recorded ARN backs the form of {rtype}: {form}"


def test_a_resource_the_account_made_was_never_updated_before_it_was_created():
    judged = 0
    for o in observed.responses(observed.RECORDED):
        if o.operation in CATALOGUE_OPERATIONS:
            continue  # built-in recipes: AWS answers a lastUpdatedDateTime of 0 for some
        verdicts = judge("resource.timestamps", arn=o.citation, reads=[json.loads(o.wire_body() or b"{}")])
        assert not [v for v in verdicts if v.outcome == "fail"], (o.citation, verdicts)
        judged += "creationDateTime" in json.dumps(o.response)
    assert judged >= 15


def test_what_aws_always_answers_is_in_every_recorded_answer_and_its_absence_is_caught():
    always = observed.always_answered()
    assert "$.campaign.status" in always["DescribeCampaign"] and "$.campaignArn" in always["CreateCampaign"]
    for o in observed.responses(observed.RECORDED):
        if o.complete and o.operation in always:
            assert not missing(json.loads(o.wire_body() or b"{}"), always[o.operation]), o.citation
    o = next(o for o in observed.responses(observed.RECORDED) if o.operation == "DescribeCampaign" and o.complete)
    body = json.loads(o.wire_body())
    del body["campaign"]["status"]
    case = Case(operation="DescribeCampaign", body=b"{}", family="valid", case_id="c")
    findings = [f for f in run_checks(case, WireResponse.of(200, dict(observed.WIRE_HEADERS), json.dumps(body).encode()), CTX)
                if f.rule == "schema.observed-members"]
    assert [(f.outcome, f.evidence_level) for f in findings] == [("fail", "observed")]
    assert "$.campaign.status" in findings[0].message


def test_a_member_only_some_answers_carry_is_not_required_and_a_list_item_is_judged_one_by_one():
    paths = {"$.recipes", "$.recipes[].name"}
    assert missing({"recipes": []}, paths) == []
    assert missing({"recipes": [{"name": "a"}, {"recipeArn": "b"}]}, paths) == ["$.recipes[].name"]
    assert "$.solution.recipeArn" not in observed.always_answered()["DescribeSolution"]


def test_every_recorded_create_answer_names_what_it_created():
    for o in observed.responses(observed.RECORDED):
        if o.operation.startswith("Create") and o.complete:
            assert any(k.endswith("Arn") and isinstance(v, str) for k, v in o.body().items()), o.citation


def test_a_member_of_an_absent_object_is_not_required():
    paths = {"$.campaign.status"}
    assert missing({}, paths) == [] and missing({"campaign": None}, paths) == []
    assert missing({"campaign": {}}, paths) == ["$.campaign.status"]


def test_a_member_missing_from_several_list_items_is_listed_once():
    assert missing({"recipes": [{}, {"recipeArn": "b"}, {}]}, {"$.recipes[].name"}) == ["$.recipes[].name"]


def test_only_a_successful_json_object_is_judged_for_what_aws_always_answers():
    """An error, a body that is not JSON or not an object: other rules report those; this one
    neither passes nor fails them."""
    case = Case(operation="DescribeCampaign", body=b"{}", family="valid", case_id="c")
    for status, body in ((400, b'{"__type":"ResourceNotFoundException","message":"no"}'), (200, b"{not json"),
                         (200, b"[]")):
        response = WireResponse.of(status, dict(observed.WIRE_HEADERS), body)
        assert run_checks(case, response, CTX, rules=["schema.observed-members"]) == [], (status, body)
    judged = run_checks(case, WireResponse.of(200, dict(observed.WIRE_HEADERS), b"{}"), CTX,
                        rules=["schema.observed-members"])
    assert [f.outcome for f in judged] == ["fail"]
