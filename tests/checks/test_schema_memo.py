"""The same 200 body is validated against the response schema once, and judged the same each time."""
from __future__ import annotations

from types import SimpleNamespace

from personalize_conformance.checks import context_for
from personalize_conformance.specs import load_spec

from .crafted import CAMPAIGN, failed_rules, response


def test_a_body_answered_again_is_judged_alike_without_validating_it_again(monkeypatch):
    ctx = context_for(load_spec())
    real = ctx.response_validator("DescribeCampaign").validator
    calls = []
    counting = SimpleNamespace(iter_errors=lambda data: calls.append(1) or real.iter_errors(data))
    monkeypatch.setitem(ctx._validators, "DescribeCampaign", SimpleNamespace(validator=counting))
    bad = response({"campaign": {**CAMPAIGN["campaign"], "name": "memo", "minProvisionedTPS": "one"}})
    assert "schema.response" in failed_rules("DescribeCampaign", bad)
    assert "schema.response" in failed_rules("DescribeCampaign", bad)
    assert len(calls) == 1
    good = response({"campaign": {**CAMPAIGN["campaign"], "name": "memo"}})
    assert "schema.response" not in failed_rules("DescribeCampaign", good)
    assert len(calls) == 2
