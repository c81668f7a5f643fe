"""What the SDK sees: an error boto3 cannot resolve to the code Smithy clients resolve fails
`sdk.error-code`, and an error the model defines must travel with the model's HTTP status."""
import pytest

from personalize_conformance.checks import context_for, run_checks
from personalize_conformance.checks.sdk_errors import (EVIDENCE, botocore_code, modeled_error, modeled_status,
                                                       smithy_code)
from personalize_conformance.contracts import observed
from personalize_conformance.specs import load_spec
from personalize_conformance.strategies import Case
from personalize_conformance.targets import make_target

from .crafted import error, findings, judge, response

RULES = ("sdk.error-code", "errors.http-status")


def outcomes(wire, operation="DescribeCampaign"):
    found = judge(operation, wire)
    return {rule: found.get(rule, set()) for rule in RULES}


def test_an_error_named_in_type_is_seen_alike_by_smithy_and_boto3():
    assert outcomes(error("ResourceNotFoundException")) == {"sdk.error-code": {"pass"}, "errors.http-status": {"pass"}}


def test_an_error_named_only_in_the_header_fails_because_boto3_sees_the_status():
    wire = response({"message": "no such campaign"}, status=400,
                    headers={"x-amzn-errortype": "ResourceNotFoundException"})
    assert outcomes(wire)["sdk.error-code"] == {"fail"}
    assert smithy_code(wire.headers, wire.body) == "ResourceNotFoundException"
    assert botocore_code(wire.status, wire.headers, wire.body, "DescribeCampaign") == "400"


def test_an_error_named_only_in_code_fails_for_the_same_reason():
    wire = response({"code": "ResourceNotFoundException", "message": "no such campaign"}, status=400)
    assert outcomes(wire)["sdk.error-code"] == {"fail"}


def test_a_header_and_a_type_that_disagree_fail():
    wire = response({"__type": "InvalidInputException", "message": "x"}, status=400,
                    headers={"x-amzn-errortype": "ResourceNotFoundException"})
    assert outcomes(wire)["sdk.error-code"] == {"fail"}


@pytest.mark.parametrize("written", [
    "com.amazonaws.personalize#ResourceNotFoundException",
    "ResourceNotFoundException:http://internal.amazon.com/coral/com.amazonaws.personalize/",
    "aws.protocoltests#ResourceNotFoundException:http://x",
])
def test_a_qualified_code_is_cut_alike_by_both(written):
    wire = response({"__type": written, "message": "x"}, status=400, headers={"x-amzn-errortype": written})
    assert outcomes(wire)["sdk.error-code"] == {"pass"}


def test_an_error_body_botocore_cannot_parse_fails():
    wire = response(b"[1, 2]", status=400, headers={"x-amzn-errortype": "ResourceNotFoundException"})
    assert outcomes(wire)["sdk.error-code"] == {"fail"}


def test_an_error_no_client_can_name_is_left_to_wire_error_code():
    found = judge("DescribeCampaign", response({"message": "x"}, status=400))
    assert "sdk.error-code" not in found and found["wire.error-code"] == {"fail"}


@pytest.mark.parametrize("status", [403, 404, 409, 500])
def test_a_modeled_error_with_another_status_than_the_model_gives_fails(status):
    assert outcomes(error("ResourceNotFoundException", status=status))["errors.http-status"] == {"fail"}


def test_a_framework_error_has_no_modeled_status_to_hold_it_to():
    assert outcomes(error("ValidationException", status=403))["errors.http-status"] == set()


def test_every_personalize_error_is_modeled_with_status_400():
    model_errors = {"InvalidInputException", "InvalidNextTokenException", "LimitExceededException",
                    "ResourceAlreadyExistsException", "ResourceInUseException", "ResourceNotFoundException",
                    "TooManyTagKeysException", "TooManyTagsException"}
    assert {code: modeled_status(modeled_error(code)) for code in model_errors} == dict.fromkeys(model_errors, 400)


def test_each_rule_names_its_evidence():
    assert EVIDENCE == {"sdk.error-code": "protocol", "errors.http-status": "model"}


@pytest.mark.parametrize("operation, params", [
    ("DescribeCampaign", {"campaignArn": "arn:aws:personalize:us-east-1:123456789012:campaign/absent"}),
    ("CreateSchema", {"name": "x", "schema": "not avro"}),
    ("DeleteDatasetGroup", {"datasetGroupArn": "arn:aws:personalize:us-east-1:123456789012:dataset-group/absent"}),
    ("ListSchemas", {"nextToken": "forged"}),
])
def test_the_bundled_emulators_errors_pass_both_rules(operation, params):
    target = make_target("emulator")
    case = Case.from_params(operation, params, family="valid")
    wire = target.send(case.operation, case.body, case.headers)
    assert wire.status == 400
    found = {f.rule: f.outcome for f in run_checks(case, wire, context_for(load_spec())) if f.rule in RULES}
    assert found == {"sdk.error-code": "pass", "errors.http-status": "pass"}


def test_the_error_observed_from_aws_passes_both_rules():
    o = next(o for o in observed.errors(observed.RECORDED) if o.http)
    case = Case(operation=o.operation, body=b"{}", family="recorded", case_id="observed")
    from personalize_conformance.targets import WireResponse
    wire = WireResponse.of(o.status_code, o.headers(), o.wire_body())
    found = {f.rule: f.outcome for f in run_checks(case, wire, context_for(load_spec())) if f.rule in RULES}
    assert found == {"sdk.error-code": "pass"}  # UnknownOperationException: a framework error, no modeled status


def _messages(wire, rule="sdk.error-code", operation="DescribeCampaign"):
    return [f.message for f in findings(operation, wire) if f.rule == rule]


def test_a_finding_says_where_the_code_was_read_whether_the_operation_declares_it_and_what_boto3_raises():
    tail = "botocore reads the code from `__type` only"
    declared = response({"message": "x"}, status=400, headers={"x-amzn-errortype": "ResourceNotFoundException"})
    assert _messages(declared) == [
        "Smithy clients resolve DescribeCampaign's declared error ResourceNotFoundException (from X-Amzn-Errortype); "
        f"boto3 resolves '400', so it raises ClientError, not client.exceptions.ResourceNotFoundException: {tail}"]
    undeclared = response({"code": "ResourceAlreadyExistsException", "message": "x"}, status=400)
    assert _messages(undeclared) == [
        "Smithy clients resolve the error ResourceAlreadyExistsException (from `code`); boto3 resolves '400', so it "
        f"raises ClientError, not client.exceptions.ResourceAlreadyExistsException: {tail}"]
    framework = response({"code": "ValidationException", "message": "x"}, status=400)
    assert _messages(framework) == [
        "Smithy clients resolve the error ValidationException (from `code`); boto3 resolves '400', so it raises "
        f"another error: {tail}"]


def test_a_3xx_naming_an_error_is_judged_by_both_rules_as_botocore_reads_it_a_success():
    moved = error("ResourceNotFoundException", status=300)
    assert outcomes(moved) == {"sdk.error-code": {"fail"}, "errors.http-status": {"fail"}}
    assert "boto3 resolves ''" in _messages(moved)[0]


def test_a_success_is_never_judged_as_an_error_whatever_its_body_holds():
    assert outcomes(response({"__type": "ResourceNotFoundException", "code": "x"}, status=200)) == {
        "sdk.error-code": set(), "errors.http-status": set()}


def test_botocore_resolves_an_error_to_an_operation_its_model_lacks():
    body = b'{"__type": "ResourceNotFoundException", "message": "x"}'
    assert botocore_code(400, {}, body, "NoSuchOperation") == "ResourceNotFoundException"
    assert botocore_code(400, {}, body) == "ResourceNotFoundException"


def test_resolving_a_code_never_logs_the_answer_which_may_echo_the_request(caplog):
    import logging
    body = b'{"__type": "InvalidInputException", "message": "secret-looking value"}'
    with caplog.at_level(logging.DEBUG):
        assert botocore_code(400, {}, body, "DescribeCampaign") == "InvalidInputException"
    assert not [r for r in caplog.records if r.name.startswith("botocore.parsers")]
    assert not logging.getLogger("botocore.parsers").disabled  # and the logger is handed back as it was
