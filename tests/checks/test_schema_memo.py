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


def test_the_last_64_bodies_are_remembered_and_the_oldest_forgotten_first():
    from personalize_conformance.checks.context import CheckContext
    ctx = CheckContext(load_spec())
    real = ctx.response_validator("DescribeCampaign").validator
    calls = []
    ctx._validators["DescribeCampaign"] = SimpleNamespace(validator=SimpleNamespace(
        iter_errors=lambda data: calls.append(data["campaign"]["name"]) or real.iter_errors(data)))
    bodies = [{"campaign": {**CAMPAIGN["campaign"], "name": f"c{i}"}} for i in range(65)]
    for body in bodies:
        ctx.response_errors("DescribeCampaign", response(body).body, body)
    assert len(calls) == 65
    ctx.response_errors("DescribeCampaign", response(bodies[1]).body, bodies[1])  # among the last 64
    assert len(calls) == 65
    ctx.response_errors("DescribeCampaign", response(bodies[0]).body, bodies[0])  # the 65th back: forgotten
    assert calls[65:] == ["c0"]
