"""Each built-in check fails on the defect it exists for, and passes a conformant response."""
import copy
import json

import pytest

from personalize_conformance.checks import CHECKS

from .crafted import CAMPAIGN, error, failed_rules, findings, judge, response


def campaign_with(**changes):
    body = copy.deepcopy(CAMPAIGN)
    body["campaign"].update(changes)
    return body


def test_conformant_describe_campaign_passes_every_check():
    verdicts = judge("DescribeCampaign", response(CAMPAIGN))
    assert {o for outcomes in verdicts.values() for o in outcomes} == {"pass"}
    assert {"wire.content-type", "wire.json-body", "wire.request-id", "schema.response",
            "schema.timestamps", "schema.no-null"} <= set(verdicts)


def test_conformant_error_passes_every_check():
    verdicts = judge("DescribeCampaign", error("ResourceNotFoundException"))
    assert {o for outcomes in verdicts.values() for o in outcomes} == {"pass"}


@pytest.mark.parametrize("content_type", ["text/html; charset=utf-8", "application/json", None])
def test_wrong_or_missing_content_type_fails(content_type):
    wire = (response(CAMPAIGN, headers={"content-type": content_type}) if content_type
            else response(CAMPAIGN, drop=("content-type",)))
    assert failed_rules("DescribeCampaign", wire) == {"wire.content-type"}


def test_a_missing_content_type_is_named_missing():
    messages = [f.message for f in findings("DescribeCampaign", response(CAMPAIGN, drop=("content-type",)))
                if f.rule == "wire.content-type"]
    assert messages == ["Content-Type is 'missing', expected application/x-amz-json-1.1"]


SUCCESS_RULES = {"wire.content-type", "wire.json-body", "schema.response", "schema.timestamps", "schema.no-null",
                 "schema.extra-members", "sdk.response-roundtrip"}
ERROR_RULES = {"wire.error-code", "wire.error-status", "errors.declared"}


def test_a_success_is_not_judged_by_the_error_rules_nor_an_error_by_the_success_rules():
    # a rule that does not apply leaves its cell NOT RUN: a PASS there would claim a judgement
    assert not ERROR_RULES & set(judge("DescribeCampaign", response(CAMPAIGN)))
    html_error = response(b"<h1>not found</h1>", status=400, headers={"content-type": "text/html",
                                                                      "x-amzn-errortype": "ResourceNotFoundException"})
    judged = judge("DescribeCampaign", html_error)
    assert not SUCCESS_RULES & set(judged)
    assert ERROR_RULES <= set(judged)


def test_content_type_with_charset_passes():
    wire = response(CAMPAIGN, headers={"content-type": "application/x-amz-json-1.1; charset=utf-8"})
    assert failed_rules("DescribeCampaign", wire) == set()


def test_missing_request_id_fails():
    assert failed_rules("DescribeCampaign", response(CAMPAIGN, drop=("x-amzn-requestid",))) == {"wire.request-id"}


@pytest.mark.parametrize("blank", ["", "   ", "\t"])
def test_a_blank_request_id_fails_like_a_missing_one(blank):
    wire = response(CAMPAIGN, headers={"x-amzn-requestid": blank})
    assert failed_rules("DescribeCampaign", wire) == {"wire.request-id"}


@pytest.mark.parametrize("body", [b"<html>oops</html>", b'{"campaign": ', b"[1, 2]", b"\xff\xfe"])
def test_body_that_is_not_a_json_object_fails(body):
    assert "wire.json-body" in failed_rules("DescribeCampaign", response(body))


def test_server_error_on_a_well_formed_request_fails():
    wire = response(b"<html>Internal Server Error</html>", status=500, headers={"content-type": "text/html"})
    assert {"errors.no-5xx", "wire.error-code"} <= failed_rules("DescribeCampaign", wire)


def test_server_error_on_an_invalid_request_is_not_a_no_5xx_failure():
    wire = error("InternalFailure", status=500)
    assert "errors.no-5xx" not in failed_rules("DescribeCampaign", wire, family="invalid")


def test_client_error_sent_as_5xx_fails():
    assert "wire.error-status" in failed_rules("DescribeCampaign", error("InvalidInputException", status=500))


@pytest.mark.parametrize("status", [300, 302, 399, 600, 999])
def test_a_status_that_is_neither_success_nor_error_fails(status):
    wire = error("ResourceNotFoundException", status=status)
    assert "wire.error-status" in failed_rules("DescribeCampaign", wire)
    assert "wire.error-code" in failed_rules("DescribeCampaign", response(b"", status=status))
    assert "neither a success nor an error" in " ".join(
        f.message for f in findings("DescribeCampaign", wire) if f.rule == "wire.error-status")


@pytest.mark.parametrize("status", [400, 404, 499])
def test_a_client_error_status_passes_the_status_rule(status):
    assert "wire.error-status" not in failed_rules("DescribeCampaign", error("ResourceNotFoundException", status=status))


def test_unknown_error_type_fails():
    assert failed_rules("DescribeCampaign", error("WeirdException")) == {"errors.declared"}


def test_framework_error_is_accepted_for_any_operation():
    assert failed_rules("DescribeCampaign", error("ValidationException")) == set()


def test_error_code_is_read_from_the_header_and_sanitised():
    wire = response({"message": "x"}, status=400,
                    headers={"x-amzn-errortype": "ResourceNotFoundException:http://internal.amazon.com/"})
    assert failed_rules("DescribeCampaign", wire) == {"sdk.error-code"}  # boto3 reads no header: sdk_errors
    wire = response({"__type": "com.amazonaws.personalize#ResourceNotFoundException", "message": "x"}, status=400)
    assert failed_rules("DescribeCampaign", wire) == set()


def test_error_without_a_code_fails():
    assert "wire.error-code" in failed_rules("DescribeCampaign", response({"message": "no code"}, status=400))


def test_body_off_schema_fails():
    wire = response(campaign_with(minProvisionedTPS="one"))
    assert failed_rules("DescribeCampaign", wire) == {"schema.response"}


def test_value_breaking_an_aws_pattern_fails():
    wire = response(campaign_with(campaignArn="not-an-arn"))
    assert failed_rules("DescribeCampaign", wire) == {"schema.response"}


def test_an_aws_pattern_must_match_the_whole_value():
    # `^[a-zA-Z0-9][a-zA-Z0-9\-_]*` leaves the end open in the model; AWS matches the whole value
    assert failed_rules("DescribeCampaign", response(campaign_with(name="movies"))) == set()
    assert failed_rules("DescribeCampaign", response(campaign_with(name="movies!"))) == {"schema.response"}
    assert failed_rules("DescribeCampaign", response(campaign_with(name="my movies"))) == {"schema.response"}
    assert failed_rules("DescribeCampaign", response(campaign_with(name="-movies"))) == {"schema.response"}


@pytest.mark.parametrize("stamp", ["2023-10-27T18:51:05Z", "1698432665.917"])
def test_iso_or_string_timestamp_fails(stamp):
    rules = failed_rules("DescribeCampaign", response(campaign_with(creationDateTime=stamp)))
    assert "schema.timestamps" in rules and "schema.response" in rules


def test_exponent_form_timestamp_passes():
    body = json.dumps(campaign_with(creationDateTime="STAMP")).replace('"STAMP"', "1.6984E9")
    assert failed_rules("DescribeCampaign", response(body.encode())) == set()


def test_unexpected_null_fails():
    rules = failed_rules("DescribeCampaign", response(campaign_with(failureReason=None)))
    assert "schema.no-null" in rules


def test_undocumented_member_is_a_warning_not_a_failure():
    verdicts = judge("DescribeCampaign", response(campaign_with(shinyNewMember=3)))
    assert verdicts["schema.extra-members"] == {"warn"}
    assert not any("fail" in o for o in verdicts.values())


def test_moto_style_not_implemented_answer_is_reported_apart():
    wire = response(b"NotImplementedError: The create_campaign action has not been implemented",
                    status=500, headers={"content-type": "text/html"})
    assert judge("CreateCampaign", wire) == {"target.not-implemented": {"not-implemented"}}


def test_unknown_operation_for_a_spec_operation_is_not_implemented():
    assert judge("CreateCampaign", error("UnknownOperationException")) == {
        "target.not-implemented": {"not-implemented"}}


@pytest.mark.parametrize("wire", [error("ThrottlingException"), response(b"", status=429),
                                  response(b"", status=503)])
def test_throttling_is_reported_as_unavailable_not_as_non_conformance(wire):
    assert judge("DescribeCampaign", wire) == {"target.throttled": {"unavailable"}}


def test_a_crashing_check_is_a_harness_error_not_a_target_failure(monkeypatch):
    chk = CHECKS["wire.request-id"]

    def explode(case, response, ctx):
        raise RuntimeError("bug in a check")
    monkeypatch.setitem(CHECKS, "wire.request-id", chk.__class__(chk.rule, chk.source, explode, chk.families))
    assert judge("DescribeCampaign", response(CAMPAIGN))["wire.request-id"] == {"error"}


def test_every_registered_check_names_its_source():
    assert all(c.source for c in CHECKS.values())


def test_an_undeclared_code_on_a_300_is_judged_like_any_error():
    assert "errors.declared" in failed_rules("DescribeCampaign", error("NoSuchThingException", status=300))


def test_a_server_fault_without_a_code_says_so():
    messages = [f.message for f in findings("DescribeCampaign", response(b"<h1>oops</h1>", status=500))
                if f.rule == "errors.no-5xx"]
    assert messages == ["well-formed request answered HTTP 500 (no error code)"]


def test_an_operation_the_spec_lacks_has_no_response_validator():
    from personalize_conformance.checks import context_for
    from personalize_conformance.specs import load_spec
    assert context_for(load_spec()).response_validator("NoSuchOperation") is None


def test_one_response_breaking_a_rule_many_times_is_five_findings_the_last_counting_the_rest():
    from personalize_conformance.checks.findings import fail
    from personalize_conformance.checks.registry import Check, run_check
    from personalize_conformance.strategies import Case
    many = Check("x.many", "src", lambda case, response, ctx: (fail(f"defect {i}") for i in range(8)), None)
    out = run_check(many, Case.from_params("ListSchemas", {}), response(b"{}"), None)
    assert [f.message for f in out] == ["defect 0", "defect 1", "defect 2", "defect 3",
                                        "defect 4 (and 3 more like it)"]


def test_only_the_first_4_kib_of_a_body_are_searched_for_a_missing_operation():
    head = 4096  # written out: a test reading the module's constant would follow it wherever it moved
    marker = b"NotImplementedError: The create_campaign action has not been implemented"
    within = response(b" " * (head - len(marker)) + marker, status=500)
    beyond = response(b" " * (head - len(marker) + 1) + marker, status=500)
    assert judge("CreateCampaign", within) == {"target.not-implemented": {"not-implemented"}}
    assert judge("CreateCampaign", beyond)["target.not-implemented"] == {"pass"}


def _judge_request(operation, params, wire):
    from personalize_conformance.checks import context_for, run_checks
    from personalize_conformance.specs import load_spec
    from personalize_conformance.strategies import Case
    return run_checks(Case.from_params(operation, params), wire, context_for(load_spec()))


SOLUTION_ARN = "arn:aws:personalize:us-east-1:123456789012:solution/s"


def test_members_inside_lists_and_maps_are_judged_where_they_are():
    listed = {"campaigns": [{"name": "c", "campaignArn": CAMPAIGN["campaign"]["campaignArn"],
                             "creationDateTime": "2023-10-27T18:51:05Z"}, {"name": 5}]}
    found = {(f.rule, f.message) for f in _judge_request("ListCampaigns", {}, response(listed)) if f.outcome == "fail"}
    assert ("schema.timestamps", "$.campaigns[0].creationDateTime is '2023-10-27T18:51:05Z': a timestamp must be an "
            "epoch-seconds number") in found
    assert any(rule == "schema.response" and message.startswith("$.campaigns[1].name:") for rule, message in found)
    solution = {"solution": {"name": "s", "solutionArn": SOLUTION_ARN,
                             "solutionConfig": {"algorithmHyperParameters": {"k": None}}}}
    nulls = [f.message for f in _judge_request("DescribeSolution", {"solutionArn": SOLUTION_ARN}, response(solution))
             if f.rule == "schema.no-null" and f.outcome == "fail"]
    assert nulls == ["$.solution.solutionConfig.algorithmHyperParameters.k is null; absent members must be omitted"]


def test_a_body_on_an_operation_without_output_is_a_warning_and_an_empty_one_passes():
    params = {"schemaArn": "arn:aws:personalize:us-east-1:123456789012:schema/s"}
    warned = {f.outcome for f in _judge_request("DeleteSchema", params, response({"deleted": True}))
              if f.rule == "schema.response"}
    assert warned == {"warn"}
    assert {f.outcome for f in _judge_request("DeleteSchema", params, response({})) if f.rule == "schema.response"} == {"pass"}


def test_a_throttled_answer_says_how():
    messages = [f.message for f in findings("DescribeCampaign", response(b"", status=429, drop=("content-type",)))]
    assert messages == ["throttled: HTTP 429"]
    assert [f.message for f in findings("DescribeCampaign", error("ThrottlingException"))] == [
        "throttled: HTTP 400 ThrottlingException"]


@pytest.mark.parametrize("name, config", [
    ({"x": None}, {"itemExplorationConfig": {"explorationWeight": "0.3"}}),
    (["m"], {"itemExplorationConfig": ["0.3"]}),
], ids=["objects-where-a-string-and-a-map-belong", "lists-where-a-string-and-a-map-belong"])
def test_a_container_where_the_schema_has_none_fails_the_schema_and_crashes_no_walk(name, config):
    verdicts = judge("DescribeCampaign", response(campaign_with(name=name, campaignConfig=config)))
    assert verdicts["schema.response"] == {"fail"}
    # what the schema does not describe is not walked into: nothing under it is judged null or a timestamp
    assert verdicts["schema.no-null"] == verdicts["schema.timestamps"] == verdicts["schema.extra-members"] == {"pass"}


def _body_verdict(operation, params, body):
    return {f.outcome for f in _judge_request(operation, params, response(body)) if f.rule == "wire.json-body"}


def test_an_empty_200_body_is_allowed_only_to_an_operation_without_output():
    # observed: DeleteCampaign answers 200 with Content-Length 0, and botocore reads it as {}
    params = {"schemaArn": "arn:aws:personalize:us-east-1:123456789012:schema/s"}
    assert _body_verdict("DeleteSchema", params, b"") == {"pass"}
    assert _body_verdict("DeleteSchema", params, b"[1]") == {"fail"}  # a body it has must still be an object
    assert _body_verdict("DescribeCampaign", {"campaignArn": CAMPAIGN["campaign"]["campaignArn"]}, b"") == {"fail"}
    assert _body_verdict("NoSuchOperation", {}, b"  ") == {"pass"}  # nothing known of its output to hold it to
