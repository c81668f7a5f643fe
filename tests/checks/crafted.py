"""Crafted responses for the checks' own tests: a conformant baseline and one defect at a time."""
from __future__ import annotations

import json

from personalize_conformance.checks import context_for, run_checks
from personalize_conformance.specs import load_spec
from personalize_conformance.strategies import Case
from personalize_conformance.targets import WireResponse

GOOD_HEADERS = {"content-type": "application/x-amz-json-1.1", "x-amzn-requestid": "4f1c7d2e-0000-4000-8000-000000000000"}

CAMPAIGN = {
    "campaign": {
        "name": "movies",
        "campaignArn": "arn:aws:personalize:us-east-1:123456789012:campaign/movies",
        "solutionVersionArn": "arn:aws:personalize:us-east-1:123456789012:solution/movies/3d2e7f01",
        "minProvisionedTPS": 1,
        "campaignConfig": {},
        "status": "ACTIVE",
        "creationDateTime": 1.698432665917E9,
        "lastUpdatedDateTime": 1698432999.5,
    }
}


def response(body, status=200, headers=None, drop=()) -> WireResponse:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    h = {**GOOD_HEADERS, **(headers or {})}
    for name in drop:
        h.pop(name, None)
    return WireResponse(status, h, raw)


def error(code: str, status: int = 400, headers=None) -> WireResponse:
    return response({"__type": code, "message": "crafted"}, status=status, headers=headers)


# The well-formed requests the crafted responses answer.
REQUESTS = {
    "DescribeCampaign": {"campaignArn": CAMPAIGN["campaign"]["campaignArn"]},
    "CreateCampaign": {"name": "movies", "solutionVersionArn": CAMPAIGN["campaign"]["solutionVersionArn"]},
}


def findings(operation: str, wire: WireResponse, family: str = "valid", spec=None):
    """Every check's findings on one crafted response to the operation's well-formed request."""
    case = Case.from_params(operation, REQUESTS[operation], family=family)
    return run_checks(case, wire, context_for(spec or load_spec()))


def judge(operation: str, wire: WireResponse, family: str = "valid", spec=None):
    """{rule: {outcomes}} of every check on one crafted response."""
    out: dict = {}
    for f in findings(operation, wire, family, spec):
        out.setdefault(f.rule, set()).add(f.outcome)
    return out


def failed_rules(operation: str, wire: WireResponse, family: str = "valid") -> set[str]:
    return {rule for rule, outcomes in judge(operation, wire, family).items() if "fail" in outcomes}
