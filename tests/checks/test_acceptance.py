"""The acceptance checks fail on the defect they exist for and pass a conformant answer."""
import json

import pytest

from personalize_conformance.checks import context_for, run_checks
from personalize_conformance.specs import load_spec
from personalize_conformance.strategies import EITHER, REJECT, Case
from personalize_conformance.targets import WireResponse

SPEC = load_spec()
HEADERS = {"content-type": "application/x-amz-json-1.1", "x-amzn-requestid": "4f1c7d2e-0000-4000-8000-000000000000"}
NAME = {"name": "movies", "schema": '{"type":"record","name":"Interactions","fields":[{"name":"USER_ID","type":"string"}]}'}


def answer(status, body):
    return WireResponse(status, dict(HEADERS), json.dumps(body).encode() if not isinstance(body, bytes) else body)


def refusal(code, message="crafted", status=400):
    return answer(status, {"__type": code, "message": message})


def outcomes(case, response, rule):
    return {f.outcome for f in run_checks(case, response, context_for(SPEC), rules=[rule])} or {"skip"}


def messages(case, response, rule):
    return [f.message for f in run_checks(case, response, context_for(SPEC), rules=[rule])]


def valid(params=NAME, operation="CreateSchema", family="valid", **kw):
    return Case.from_params(operation, params, family=family, **kw)


# -- acceptance.positive --------------------------------------------------------------------------

def test_positive_passes_success_and_refusals_for_other_reasons():
    case = valid()
    for response in (answer(200, {"schemaArn": "arn:aws:personalize:us-east-1:123456789012:schema/movies"}),
                     refusal("ResourceAlreadyExistsException"), refusal("LimitExceededException"),
                     refusal("ResourceNotFoundException"), refusal("ResourceInUseException")):
        assert outcomes(case, response, "acceptance.positive") == {"pass"}


def test_positive_fails_a_framework_refusal_of_a_valid_member_naming_it():
    response = refusal("InvalidInputException", "1 validation error detected: Value at 'name' failed to "
                       "satisfy constraint: Member must have length less than or equal to 5")
    assert outcomes(valid(), response, "acceptance.positive") == {"fail"}
    assert "'name'" in messages(valid(), response, "acceptance.positive")[0]


def test_positive_fails_a_serialization_error_and_a_server_fault():
    assert outcomes(valid(), refusal("SerializationException"), "acceptance.positive") == {"fail"}
    assert outcomes(valid(), refusal("InternalFailure", status=500), "acceptance.positive") == {"fail"}


def test_positive_fails_a_boundary_value_refused_by_name():
    case = valid(family="boundary", rule="CreateSchema.name.maxLength", note="name at maxLength 63")
    response = refusal("InvalidInputException", "The name is too long")
    assert outcomes(case, response, "acceptance.positive") == {"fail"}


def test_positive_warns_of_refusals_beyond_the_schema_and_judges_none_it_cannot():
    assert outcomes(valid(), refusal("InvalidInputException", "Schema already in use somewhere"),
                    "acceptance.positive") == {"warn"}
    existing = valid({"datasetGroupArn": "arn:aws:personalize:us-east-1:123456789012:dataset-group/movies",
                      "name": "s", "recipeArn": "arn:aws:personalize:::recipe/aws-sims"}, "CreateSolution")
    assert outcomes(existing, refusal("InvalidInputException", "The dataset group is not ACTIVE"),
                    "acceptance.positive") == {"pass"}
    either = valid(family="boundary", expect=EITHER, rule="CreateSchema.name.maxLength")
    assert outcomes(either, refusal("InvalidInputException", "name!"), "acceptance.positive") == {"pass"}


def test_positive_does_not_blame_a_target_for_a_case_that_breaks_the_schema():
    broken = valid({"name": "x" * 64, "schema": NAME["schema"]})
    response = refusal("InvalidInputException", "Value at 'name' failed to satisfy constraint: too long")
    assert outcomes(broken, response, "acceptance.positive") == {"skip"}


# -- acceptance.negative --------------------------------------------------------------------------

def invalid(rule="CreateSchema.name.maxLength", expect=REJECT, **kw):
    return Case.from_params("CreateSchema", {"name": "x" * 64, "schema": NAME["schema"]}, family="invalid",
                            rule=rule, expect=expect, note="name: 64 characters (maxLength 63)", **kw)


def test_negative_passes_an_input_refusal():
    for code in ("InvalidInputException", "ValidationException", "SerializationException"):
        assert outcomes(invalid(), refusal(code), "acceptance.negative") == {"pass"}


def test_negative_fails_acceptance_a_server_fault_and_a_refusal_for_another_reason():
    accepted = answer(200, {"schemaArn": "arn:aws:personalize:us-east-1:123456789012:schema/x"})
    assert outcomes(invalid(), accepted, "acceptance.negative") == {"fail"}
    assert "CreateSchema.name.maxLength" in messages(invalid(), accepted, "acceptance.negative")[0]
    assert "CreateSchemaRequest" in messages(invalid(), accepted, "acceptance.negative")[0]
    assert outcomes(invalid(), refusal("InternalFailure", status=500), "acceptance.negative") == {"fail"}
    assert outcomes(invalid(), answer(500, b"<html>oops</html>"), "acceptance.negative") == {"fail"}
    assert outcomes(invalid(), refusal("ResourceNotFoundException"), "acceptance.negative") == {"fail"}


def test_negative_takes_front_end_errors_for_request_level_defects_only():
    target = invalid(rule="CreateSchema.header.X-Amz-Target", headers={"X-Amz-Target": "AmazonPersonalize.Nope"})
    assert outcomes(target, refusal("UnknownOperationException"), "acceptance.negative") == {"pass"}
    assert outcomes(invalid(), refusal("UnknownOperationException"), "acceptance.negative") == {"fail"}


def test_negative_tolerates_what_aws_tolerates_but_never_a_server_fault():
    tolerated = invalid(rule="CreateSchema.body.unknownMember", expect=EITHER)
    assert outcomes(tolerated, answer(200, {"schemaArn": "arn:x"}), "acceptance.negative") == {"pass"}
    assert outcomes(tolerated, refusal("InternalFailure", status=500), "acceptance.negative") == {"fail"}


# -- SDK round trips ------------------------------------------------------------------------------

def test_request_roundtrip_passes_a_body_botocore_would_send():
    assert outcomes(valid(), answer(200, {}), "sdk.request-roundtrip") == {"pass"}


def test_request_roundtrip_fails_a_body_that_differs_from_its_parameters_naming_the_member():
    case = valid()
    case.body = json.dumps({**NAME, "name": "other"}).encode()
    assert outcomes(case, answer(200, {}), "sdk.request-roundtrip") == {"fail"}
    assert messages(case, answer(200, {}), "sdk.request-roundtrip")[0].startswith("$.name:")


def test_request_roundtrip_fails_parameters_botocore_refuses():
    case = valid({"name": 5, "schema": NAME["schema"]})
    assert outcomes(case, answer(200, {}), "sdk.request-roundtrip") == {"fail"}


CAMPAIGN = {"campaign": {"name": "m", "campaignArn": "arn:aws:personalize:us-east-1:123456789012:campaign/m",
                         "minProvisionedTPS": 1, "status": "ACTIVE", "creationDateTime": 1698432665.917,
                         "campaignConfig": {"itemExplorationConfig": {"explorationWeight": "0.3"}}}}
DESCRIBE = Case.from_params("DescribeCampaign", {"campaignArn": CAMPAIGN["campaign"]["campaignArn"]})


def test_response_roundtrip_passes_what_botocore_parses_member_for_member():
    assert outcomes(DESCRIBE, answer(200, CAMPAIGN), "sdk.response-roundtrip") == {"pass"}
    iso = json.loads(json.dumps(CAMPAIGN))
    iso["campaign"]["creationDateTime"] = "2023-10-27T18:51:05.917Z"  # the same instant, another form
    assert outcomes(DESCRIBE, answer(200, iso), "sdk.response-roundtrip") == {"pass"}


def test_response_roundtrip_fails_timestamps_in_milliseconds_and_wrong_containers():
    millis = json.loads(json.dumps(CAMPAIGN))
    millis["campaign"]["creationDateTime"] = 1698432665917
    assert outcomes(DESCRIBE, answer(200, millis), "sdk.response-roundtrip") == {"fail"}
    assert "cannot parse" in messages(DESCRIBE, answer(200, millis), "sdk.response-roundtrip")[0]
    assert outcomes(DESCRIBE, answer(200, {"campaign": ["m"]}), "sdk.response-roundtrip") == {"fail"}


def test_response_roundtrip_fails_a_timestamp_botocore_reads_as_another_instant():
    # botocore reads `true` as the epoch second 1: the client sees 1970, the wire said something else
    odd = json.loads(json.dumps(CAMPAIGN))
    odd["campaign"]["creationDateTime"] = True
    assert outcomes(DESCRIBE, answer(200, odd), "sdk.response-roundtrip") == {"fail"}
    assert messages(DESCRIBE, answer(200, odd), "sdk.response-roundtrip")[0].startswith("$.campaign.creationDateTime:")


def test_timestamps_compare_as_instants_to_the_millisecond():
    import datetime

    from personalize_conformance.checks.acceptance import _differences, _operation_model
    shape = _operation_model("DescribeCampaign").output_shape.members["campaign"].members["creationDateTime"]
    instant = datetime.datetime.fromtimestamp(1698432665.917, datetime.timezone.utc)
    assert list(_differences(1698432665.917, instant, shape, "$")) == []
    assert list(_differences(1698432665.9174, instant, shape, "$")) == []
    assert [d[0] for d in _differences(1698432666.917, instant, shape, "$")] == ["$"]
    assert [d[0] for d in _differences(1698432665.919, instant, shape, "$")] == ["$"]


def test_response_roundtrip_skips_errors():
    assert outcomes(DESCRIBE, refusal("ResourceNotFoundException"), "sdk.response-roundtrip") == {"skip"}


# -- what each judgement rests on -------------------------------------------------------------------
# (each pins one decision of the checks that no test above reaches; the mutation run lists the rest)

def test_a_server_fault_is_reported_with_its_error_code():
    assert "(InternalFailure)" in messages(valid(), refusal("InternalFailure", status=500), "acceptance.positive")[0]
    assert "(no error code)" in messages(valid(), answer(500, b"<html/>"), "acceptance.positive")[0]


def test_an_accepted_invalid_case_is_described_by_its_note_then_its_rule():
    accepted = answer(200, {"schemaArn": "arn:aws:personalize:us-east-1:123456789012:schema/x"})
    assert messages(invalid(), accepted, "acceptance.negative")[0].startswith("accepted name: 64 characters")
    bare = Case.from_params("CreateSchema", {"name": "x" * 64, "schema": NAME["schema"]}, family="invalid",
                            rule="CreateSchema.name.maxLength")
    assert messages(bare, accepted, "acceptance.negative")[0].startswith("accepted CreateSchema.name.maxLength")


def test_a_300_refusal_naming_a_valid_member_is_judged_like_any_refusal():
    blamed = answer(300, {"__type": "InvalidInputException",
                          "message": "Value at 'name' failed to satisfy constraint: too long"})
    assert outcomes(valid(), blamed, "acceptance.positive") == {"fail"}


def test_a_missing_reference_reported_as_invalid_input_is_fine_where_no_not_found_error_is_declared():
    # ListDatasets declares no ResourceNotFoundException: a missing group can only be invalid input
    missing = valid({"datasetGroupArn": "arn:aws:personalize:us-east-1:123456789012:dataset-group/absent-g"},
                    "ListDatasets")
    assert outcomes(missing, refusal("InvalidInputException", "no such group"), "acceptance.positive") == {"pass"}
    declared = valid({"schemaArn": "arn:aws:personalize:us-east-1:123456789012:schema/absent-s"}, "DescribeSchema")
    assert outcomes(declared, refusal("InvalidInputException", "no such schema"), "acceptance.positive") == {"warn"}


def test_only_a_boundary_case_is_blamed_for_a_refusal_naming_its_member():
    named = refusal("InvalidInputException", "The name is too long")
    edge = valid(family="boundary", rule="CreateSchema.name.maxLength", note="name at maxLength 63")
    plain = valid(rule="CreateSchema.name.maxLength")
    assert outcomes(edge, named, "acceptance.positive") == {"fail"}
    assert outcomes(plain, named, "acceptance.positive") == {"warn"}
    unaimed = valid(family="boundary", rule=None)
    assert outcomes(unaimed, named, "acceptance.positive") == {"warn"}


def test_the_request_round_trip_judges_only_what_botocore_would_have_built():
    overridden = valid(headers={"content-type": "application/json"})
    assert outcomes(overridden, answer(200, {}), "sdk.request-roundtrip") == {"skip"}
    raw = Case(operation="CreateSchema", body=b'{"name": "movies"', family="valid")
    assert outcomes(raw, answer(200, {}), "sdk.request-roundtrip") == {"skip"}
    unknown = Case.from_params("NoSuchOperation", {}, family="valid")
    assert outcomes(unknown, answer(200, {}), "sdk.request-roundtrip") == {"skip"}


def test_a_member_sent_that_botocore_would_not_send_is_named_with_nothing_beside_it():
    case = valid()
    case.body = json.dumps({**NAME, "domain": "ECOMMERCE"}).encode()  # the parameters hold no domain
    assert messages(case, answer(200, {}), "sdk.request-roundtrip") == [
        "$.domain: the harness sent 'ECOMMERCE', botocore serialises nothing"]


def test_a_200_that_is_not_a_json_object_is_left_to_the_wire_checks():
    assert outcomes(DESCRIBE, answer(200, [1, 2]), "sdk.response-roundtrip") == {"skip"}
    assert outcomes(DESCRIBE, answer(200, b"<html/>"), "sdk.response-roundtrip") == {"skip"}


@pytest.mark.parametrize("odd", [["m"], {"m": 1}], ids=["list", "object"])
def test_a_scalar_member_holding_a_container_is_a_difference_never_a_crash(odd):
    body = json.loads(json.dumps(CAMPAIGN))
    body["campaign"]["name"] = odd
    assert outcomes(DESCRIBE, answer(200, body), "sdk.response-roundtrip") <= {"fail", "pass"}


def test_the_request_validator_knows_only_the_specs_operations():
    from personalize_conformance.checks.acceptance import request_violations
    assert request_violations(SPEC, "NoSuchOperation", {"x": 1}) == set()


def test_every_constraint_a_request_breaks_is_named_once():
    from personalize_conformance.checks.acceptance import request_violations
    broken = {"name": "x" * 64, "domain": None, "schema": NAME["schema"]}
    assert {"CreateSchema.name.maxLength", "CreateSchema.domain.null"} <= request_violations(SPEC, "CreateSchema", broken)
    # a null fails `enum` too, which is not reported again; the members after it are still judged
    group = {"name": "g", "domain": None, "tags": [{"tagKey": "x" * 200, "tagValue": "v"}]}
    assert request_violations(SPEC, "CreateDatasetGroup", group) == {"CreateDatasetGroup.domain.null",
                                                                      "CreateDatasetGroup.tags[].tagKey.maxLength"}
    missing = {"name": "x" * 64}
    assert request_violations(SPEC, "CreateSchema", missing) >= {"CreateSchema.schema.required",
                                                                  "CreateSchema.name.maxLength"}


def test_a_member_breaking_its_pattern_or_its_type_is_named_by_that_kind():
    from personalize_conformance.checks.acceptance import request_violations
    assert request_violations(SPEC, "CreateSchema", {"name": "bad name!", "schema": "{}"}) == {"CreateSchema.name.pattern"}
    assert request_violations(SPEC, "CreateSchema", {"name": 5, "schema": "{}"}) == {"CreateSchema.name.type"}


def test_members_inside_maps_and_lists_are_named_where_they_are():
    from personalize_conformance.checks.acceptance import request_violations
    config = {"trainingDataConfig": {"excludedDatasetColumns": {"Items": ["x" * 200]}},
              "algorithmHyperParameters": {"k": "v" * 1001}}
    params = {"name": "s", "datasetGroupArn": "arn:aws:personalize:us-east-1:123456789012:dataset-group/g",
              "solutionConfig": config}
    assert request_violations(SPEC, "CreateSolution", params) == {
        "CreateSolution.solutionConfig.trainingDataConfig.excludedDatasetColumns{}[].maxLength",
        "CreateSolution.solutionConfig.algorithmHyperParameters{}.maxLength"}


def test_a_finding_cites_the_request_shape_and_the_rule_broken():
    accepted = answer(200, {"schemaArn": "arn:aws:personalize:us-east-1:123456789012:schema/x"})
    assert messages(invalid(), accepted, "acceptance.negative")[0].endswith(
        "(spec: CreateSchemaRequest, CreateSchema.name.maxLength)")
    unaimed = Case.from_params("CreateSchema", {"name": "x" * 64, "schema": NAME["schema"]}, family="invalid")
    assert messages(unaimed, accepted, "acceptance.negative")[0].endswith("(spec: CreateSchemaRequest, request)")


def test_a_server_fault_to_an_invalid_case_names_its_error_code_or_its_absence():
    assert "HTTP 500 (InternalFailure) for name: 64" in messages(
        invalid(), refusal("InternalFailure", status=500), "acceptance.negative")[0]
    assert "HTTP 500 (no error code) for name: 64" in messages(
        invalid(), answer(500, b"<html>oops</html>"), "acceptance.negative")[0]


def test_a_3xx_to_an_invalid_case_is_not_called_accepted():
    # neither a success nor a refusal: wire.error-status reports the status itself
    moved = answer(300, {"schemaArn": "arn:aws:personalize:us-east-1:123456789012:schema/x"})
    assert outcomes(invalid(), moved, "acceptance.negative") == {"pass"}


def test_a_positive_finding_carries_the_cases_note_and_only_when_it_has_one():
    edge = valid(family="boundary", rule="CreateSchema.name.maxLength", note="name at maxLength 63")
    fault = refusal("InternalFailure", status=500)
    assert messages(edge, fault, "acceptance.positive")[0].endswith("(InternalFailure); name at maxLength 63")
    assert messages(valid(), fault, "acceptance.positive")[0].endswith("(InternalFailure)")
    blamed = refusal("InvalidInputException", "Value at 'name' failed to satisfy constraint: too long")
    assert messages(edge, blamed, "acceptance.positive")[0].endswith("satisfies the spec; name at maxLength 63")
    assert messages(valid(), blamed, "acceptance.positive")[0].endswith("satisfies the spec")


def test_parameters_botocore_refuses_are_named_one_line_each_without_botocores_heading():
    case = valid({"name": 5, "schema": NAME["schema"]})
    found = messages(case, answer(200, {}), "sdk.request-roundtrip")
    assert len(found) == 1 and found[0].startswith("botocore refuses parameters the spec allows: Invalid type for "
                                                   "parameter name")


def test_a_value_shown_in_a_finding_is_cut_to_80_characters():
    from personalize_conformance.checks.acceptance import _ABSENT, _short
    assert _short("x" * 78) == repr("x" * 78)  # 80 characters with its quotes: kept whole
    assert _short("x" * 79) == "'" + "x" * 76 + "..."
    assert _short(_ABSENT) == "nothing"


# -- _differences: what botocore does not produce from a valid body, crafted -----------------------

def _shape(*path, operation="DescribeCampaign"):
    from personalize_conformance.checks.acceptance import _operation_model
    shape = _operation_model(operation).output_shape
    for name in path:
        shape = shape.member if name == "[]" else shape.value if name == "{}" else shape.members[name]
    return shape


def _differing(ours, theirs, shape):
    from personalize_conformance.checks.acceptance import _differences
    return [(path, a, b) for path, a, b in _differences(ours, theirs, shape, "$")]


def test_a_structure_read_back_as_anything_else_is_a_difference():
    campaign = _shape("campaign")
    assert _differing({"name": "m"}, ["m"], campaign) == [("$", {"name": "m"}, ["m"])]
    assert _differing({"name": "m"}, {"name": "m"}, campaign) == []


def test_a_list_of_another_length_or_with_another_member_is_a_difference():
    listed = _shape("campaigns", operation="ListCampaigns")
    one = [{"name": "a"}]
    assert _differing(one, one + [{"name": "b"}], listed) == [("$", one, one + [{"name": "b"}])]
    assert _differing(one, {"name": "a"}, listed) == [("$", one, {"name": "a"})]
    assert _differing(one, [{"name": "b"}], listed) == [("$[0].name", "a", "b")]
    assert _differing(one, [{"name": "a"}], listed) == []


def test_a_map_with_other_keys_or_another_value_is_a_difference():
    exploration = _shape("campaign", "campaignConfig", "itemExplorationConfig")
    sent = {"explorationWeight": "0.3"}
    assert _differing(sent, {"explorationWeight": "0.3", "x": "1"}, exploration) == [
        ("$", sent, {"explorationWeight": "0.3", "x": "1"})]
    assert _differing(sent, ["0.3"], exploration) == [("$", sent, ["0.3"])]
    assert _differing(sent, {"explorationWeight": "0.4"}, exploration) == [("$.explorationWeight", "0.3", "0.4")]
    assert _differing(sent, dict(sent), exploration) == []


def test_a_boolean_never_equals_the_number_it_compares_equal_to():
    from botocore.model import Shape
    flag, number = Shape("Flag", {"type": "boolean"}), Shape("Count", {"type": "integer"})
    assert _differing(True, 1, flag) == [("$", True, 1)]
    assert _differing(1, True, number) == [("$", 1, True)]
    assert _differing(True, False, flag) == [("$", True, False)]
    assert _differing(True, True, flag) == [] and _differing(1, 1, number) == []


def test_a_blob_compares_as_bytes_once_parsed_and_as_its_text_when_sent_and_serialised():
    # no Personalize shape is a blob today; the SDK's shapes of other services have them
    from botocore.model import Shape
    blob = Shape("Data", {"type": "blob"})
    assert _differing("aGk=", b"hi", blob) == []
    assert _differing("aGk=", b"ho", blob) == [("$", "aGk=", b"ho")]
    assert _differing("a", b"", blob) == [("$", "a", b"")]  # not base64 at all
    assert _differing("aGk=", "aGk=", blob) == []
    assert _differing("aGk=", "aG8=", blob) == [("$", "aGk=", "aG8=")]


def test_a_null_where_a_value_is_required_is_a_required_rule_and_elsewhere_a_null_rule():
    from personalize_conformance.checks.acceptance import request_violations
    assert request_violations(SPEC, "CreateSchema", {"name": None, "schema": "{}"}) == {"CreateSchema.name.required"}
    assert request_violations(SPEC, "CreateDatasetGroup", {"name": "g", "tags": [None]}) == {
        "CreateDatasetGroup.tags[].required"}
    assert request_violations(SPEC, "CreateDatasetGroup", {"name": "g", "domain": None}) == {
        "CreateDatasetGroup.domain.null"}


def test_a_refused_parameter_whose_value_holds_blank_lines_makes_no_empty_finding():
    params = {"name": "c", "solutionVersionArn": "arn:aws:personalize:us-east-1:123456789012:solution/s/1",
              "minProvisionedTPS": "1\n\n2"}
    found = messages(valid(params, "CreateCampaign"), answer(200, {}), "sdk.request-roundtrip")
    prefix = "botocore refuses parameters the spec allows: "
    assert found and found[0].startswith(prefix + "Invalid type for parameter minProvisionedTPS")
    assert all(m[len(prefix):].strip() for m in found)
