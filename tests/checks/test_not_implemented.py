"""A missing operation is told apart only by an answer that says so; any other 5xx is a fault."""
import pytest

from personalize_conformance.checks import context_for, run_checks
from personalize_conformance.specs import load_spec
from personalize_conformance.strategies import Case

from .crafted import REQUESTS, error, judge, response

HTML_500 = b"<!doctype html><title>500 Internal Server Error</title><h1>Internal Server Error</h1>"
MOTO = b"NotImplementedError: The create_campaign action has not been implemented"


@pytest.mark.parametrize("wire", [
    response(HTML_500, status=500, headers={"content-type": "text/html"}),
    response(b"", status=500, drop=("content-type",)),
    response(b"", status=501),
    response(b"", status=999),
    error("InternalFailure", status=500),
    response(b"not implemented", status=502),
], ids=["html-500", "empty-500", "bare-501", "999", "InternalFailure", "502-with-words"])
def test_a_server_error_that_does_not_name_a_missing_operation_is_a_server_fault(wire):
    verdicts = judge("CreateCampaign", wire)
    assert verdicts["target.not-implemented"] == {"pass"}
    assert "fail" in verdicts["errors.no-5xx"]


@pytest.mark.parametrize("wire", [
    response(MOTO, status=500, headers={"content-type": "text/plain"}),
    response(MOTO, status=500, headers={"content-type": "text/html"}),
    error("UnknownOperationException"),
    error("UnknownOperationException", status=404),
    error("InvalidAction"),
    response(b'{"message": "Unknown operation AmazonPersonalize.CreateCampaign"}', status=404),
    response(b"<h1>501 Not Implemented</h1>", status=501, headers={"content-type": "text/html"}),
    response(b'{"__type": "InternalFailure", "message": "API action CreateCampaign is not yet implemented"}',
             status=501),
], ids=["moto-text", "moto-html", "unknown-operation", "unknown-operation-404", "invalid-action",
        "404-unknown", "501-page", "501-not-yet-implemented"])
def test_an_answer_naming_the_operation_unknown_is_not_implemented_and_nothing_else(wire):
    assert judge("CreateCampaign", wire) == {"target.not-implemented": {"not-implemented"}}


def test_words_alone_do_not_make_a_404_or_500_a_missing_operation():
    assert judge("CreateCampaign", response(b'{"message": "not found"}', status=404))[
        "target.not-implemented"] == {"pass"}
    plain_500 = response(b"feature not implemented yet", status=500)  # not moto's marker: a fault
    assert "fail" in judge("CreateCampaign", plain_500)["errors.no-5xx"]


def test_an_unknown_operation_code_to_a_malformed_request_is_the_front_end_refusing_it():
    # AWS's front end answers UnknownOperationException to a request it cannot route (a wrong
    # content type, say) before any operation is chosen: the invalid family's answer, judged by
    # acceptance.negative, says nothing of whether the operation exists.
    case = Case.from_params("CreateCampaign", REQUESTS["CreateCampaign"], family="invalid",
                            rule="CreateCampaign.$header.content-type", headers={"content-type": "text/plain"})
    findings = run_checks(case, error("UnknownOperationException"), context_for(load_spec()))
    outcomes = {(f.rule, f.outcome) for f in findings}
    assert ("target.not-implemented", "pass") in outcomes
    assert ("acceptance.negative", "pass") in outcomes
    assert not any(o == "not-implemented" for _, o in outcomes)


def test_an_unknown_operation_code_to_a_member_level_invalid_case_is_not_implemented():
    case = Case.from_params("CreateCampaign", {**REQUESTS["CreateCampaign"], "name": ""}, family="invalid",
                            rule="CreateCampaign.name.minLength")
    findings = run_checks(case, error("UnknownOperationException"), context_for(load_spec()))
    assert {(f.rule, f.outcome) for f in findings} == {("target.not-implemented", "not-implemented")}


def test_an_answer_to_a_request_naming_another_operation_says_nothing_of_this_one():
    case = Case.from_params("CreateCampaign", REQUESTS["CreateCampaign"], family="invalid",
                            headers={"X-Amz-Target": "AmazonPersonalize.NoSuchThing"})
    findings = run_checks(case, response(MOTO, status=500), context_for(load_spec()))
    assert "not-implemented" not in {f.outcome for f in findings}
