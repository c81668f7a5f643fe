"""A map's key shape reaches the spec as `x-aws-key`: built from botocore, or put back by the patch
layer where a converted document dropped it; its constraints join the constraint index."""
from __future__ import annotations

import pathlib

import pytest

from personalize_conformance.specs import load_spec
from personalize_conformance.specs.patches import apply_patches
from personalize_conformance.strategies import constraints
from personalize_conformance.strategies.paths import KEY

APISGURU = pathlib.Path(__file__).resolve().parents[2].parent / "shared" / "specs" / \
    "personalize-2018-05-22.apisguru.openapi.json"


def _key_rules(spec, operation: str) -> set[str]:
    return {c.rule for c in constraints(spec, operation) if KEY in c.path}


def test_the_built_spec_carries_each_maps_key_shape():
    spec = load_spec()
    schemas = spec.raw["components"]["schemas"]
    assert schemas["HyperParameters"]["x-aws-key"] == {"$ref": "#/components/schemas/ParameterName"}
    influence = spec.operation("CreateCampaign").request_schema["properties"]["campaignConfig"]
    key = influence["properties"]["rankingInfluence"]["x-aws-key"]
    assert key["enum"] == ["POPULARITY", "FRESHNESS"]
    assert _key_rules(spec, "CreateCampaign") >= {"CreateCampaign.campaignConfig.rankingInfluence{key}.enum",
                                                 "CreateCampaign.campaignConfig.itemExplorationConfig{key}.maxLength"}


def test_a_converted_document_gets_its_key_shapes_back_from_botocore():
    doc = {"openapi": "3.0.0", "info": {"title": "t", "version": "1"}, "paths": {},
           "components": {"schemas": {"HyperParameters": {"type": "object", "maxProperties": 100,
                                                          "additionalProperties": {"type": "string"}}}}}
    patched = apply_patches(doc)["components"]["schemas"]
    assert patched["HyperParameters"]["x-aws-key"] == {"$ref": "#/components/schemas/ParameterName"}
    assert patched["ParameterName"]["maxLength"] == 256


def test_the_apisguru_spec_gets_its_key_constraints():
    if not APISGURU.exists():
        pytest.skip("reference spec not present")
    spec = load_spec(str(APISGURU))
    assert "CreateSolution.solutionConfig.algorithmHyperParameters{key}.maxLength" in _key_rules(spec, "CreateSolution")
