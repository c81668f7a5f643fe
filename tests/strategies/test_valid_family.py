"""The valid family: every request satisfies the request schema and means what a client means."""
import json
import re

from personalize_conformance.checks.acceptance import request_violations
from personalize_conformance.specs import load_spec
from personalize_conformance.strategies import ACCEPT, StaticPool, from_schema, valid_cases
from personalize_conformance.strategies.patterns import accepts
from personalize_conformance.strategies.semantics import CATALOGUE, CUSTOM_RECIPES, DOMAIN_RECIPES, is_avro_record

from .helpers import draw

SPEC = load_spec()


def test_valid_requests_of_every_operation_pass_the_harness_validator():
    for op in SPEC.operations:
        for case in draw(valid_cases(SPEC, op), n=4, at=1):
            assert request_violations(SPEC, op, case.params) == set(), (op, case.body[:300])
            assert json.loads(case.body) == case.params
            assert case.family == "valid" and case.expectation == ACCEPT


def test_create_schema_sends_an_avro_record_with_personalize_fields():
    for case in draw(valid_cases(SPEC, "CreateSchema"), n=8, at=2):
        schema = case.params["schema"]
        assert is_avro_record(schema)
        names = {f["name"] for f in json.loads(schema)["fields"]}
        assert names & {"USER_ID", "ITEM_ID"}


def test_recipes_come_from_the_catalogue_and_suit_the_operation():
    solutions = [c.params.get("recipeArn") for c in draw(valid_cases(SPEC, "CreateSolution"), n=15, at=3)]
    recommenders = [c.params["recipeArn"] for c in draw(valid_cases(SPEC, "CreateRecommender"), n=8, at=3)]
    assert {r for r in solutions if r} <= {CATALOGUE + "recipe/" + n for n in CUSTOM_RECIPES}
    assert set(recommenders) <= {CATALOGUE + "recipe/" + n for n in DOMAIN_RECIPES}


def test_role_arns_s3_paths_and_filter_expressions_are_plausible():
    for case in draw(valid_cases(SPEC, "CreateDatasetImportJob"), n=6, at=4):
        p = case.params
        assert re.match(r"^arn:aws:iam::\d{12}:role/", p.get("roleArn", "arn:aws:iam::123456789012:role/x"))
        assert p["dataSource"].get("dataLocation", "s3://b/k").startswith("s3://")
    for case in draw(valid_cases(SPEC, "CreateFilter"), n=6, at=4):
        assert re.match(r"\s*(INCLUDE|EXCLUDE)\s", case.params["filterExpression"])


def test_documented_cross_member_rules_hold():
    for case in draw(valid_cases(SPEC, "CreateSolution"), n=20, at=5):
        p = case.params
        assert bool(p.get("performAutoML")) != ("recipeArn" in p), p  # exactly one of the two
    for case in draw(valid_cases(SPEC, "CreateDatasetGroup"), n=20, at=5):
        if case.params.get("roleArn"):
            assert case.params.get("kmsKeyArn")


def test_references_point_into_the_pool_when_it_holds_the_kind():
    group = "arn:aws:personalize:us-east-1:123456789012:dataset-group/movies"
    pool = StaticPool({"dataset-group": [group]})
    for case in draw(valid_cases(SPEC, "CreateSolution", pool=pool), n=5, at=6):
        assert case.params["datasetGroupArn"] == group


def test_missing_references_are_well_formed_and_recognisably_absent():
    pattern = SPEC.operation("DescribeSchema").request_schema["properties"]["schemaArn"]["x-aws-pattern"]
    for case in draw(valid_cases(SPEC, "DescribeSchema", references="missing"), n=5, at=7):
        arn = case.params["schemaArn"]
        assert ":schema/absent-" in arn and accepts(pattern, arn)


def test_from_schema_generates_for_any_schema():
    schema = {"type": "object", "required": ["n"], "properties": {
        "n": {"type": "integer", "minimum": 3, "maximum": 5},
        "tags": {"type": "array", "maxItems": 2, "items": {"type": "string", "maxLength": 4}}}}
    for value in draw(from_schema(schema), n=10, at=8):
        assert 3 <= value["n"] <= 5
        assert len(value.get("tags", [])) <= 2 and all(len(t) <= 4 for t in value.get("tags", []))


def test_hyperparameter_ranges_are_valid_to_aws_not_only_to_the_model():
    """The model bounds minValue and maxValue one side each; AWS refuses a range whose minimum is
    above its maximum. Every valid and boundary range keeps minValue <= maxValue, and a boundary
    case keeps the member it puts at its edge."""
    from personalize_conformance.strategies.probes import probes
    from personalize_conformance.strategies.sample import sample
    from personalize_conformance.specs import load_spec
    spec = load_spec()
    ranges, edges = 0, 0
    for family in ("valid", "boundary"):
        for probe in probes(spec, "CreateSolution", family):
            for case in sample(probe.strategy, 4):
                hpo = ((case.params.get("solutionConfig") or {}).get("hpoConfig") or {})
                for kind, items in (hpo.get("algorithmHyperParameterRanges") or {}).items():
                    for r in items if kind != "categoricalHyperParameterRanges" else ():
                        if "minValue" in r and "maxValue" in r:
                            ranges += 1
                            assert r["minValue"] <= r["maxValue"], (case.rule, r)
                if case.rule and case.rule.endswith(("maxValue.maximum", "minValue.minimum")):
                    edges += 1
    assert ranges >= 100 and edges


def test_out_of_order_ranges_are_put_in_order_keeping_the_edge():
    from personalize_conformance.strategies.semantics import _in_order
    assert _in_order({"minValue": 5, "maxValue": 1000000}, -1000000, 1000000, True) == {"minValue": 5, "maxValue": 1000000}
    assert _in_order({"minValue": 2000000, "maxValue": 1000000}, -1000000, 1000000, True)["maxValue"] == 1000000
    assert _in_order({"minValue": -1000000, "maxValue": -3000000}, -1000000, 1000000, True)["minValue"] == -1000000
    assert _in_order({"minValue": 7.5, "maxValue": -1000000}, -1000000, -1000000, False) == {"minValue": -1000000, "maxValue": -1000000}
