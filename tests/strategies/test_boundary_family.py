"""The boundary family: one member at the edge of one constraint, the request still valid."""
import json

from personalize_conformance.checks.acceptance import request_violations
from personalize_conformance.specs import load_spec
from personalize_conformance.strategies import ACCEPT, EITHER, constraints, probes
from personalize_conformance.strategies.paths import ITEM, VALUE, get
from personalize_conformance.strategies.patterns import accepts, plausible
from personalize_conformance.strategies.strings import MULTIBYTE

from .helpers import draw, minimal, reaches, simplest_of_each

SPEC = load_spec()


def _constraint(rule):
    op = rule.split(".", 1)[0]
    return next(c for c in constraints(SPEC, op) if c.rule == rule)


def _probe(rule):
    op = rule.split(".", 1)[0]
    return next(p for p in probes(SPEC, op, "boundary") if p.rule == rule)


def _at_edge(c, value, note="") -> bool:
    if c.kind == "maxLength":
        return len(value) in (c.limit, c.limit - 1) or ("shortest" in note and len(value) <= c.limit)
    if c.kind == "minLength":
        return c.limit <= len(value) <= c.schema.get("maxLength", 1 << 20)
    if c.kind in ("maxItems", "maxProperties"):
        return len(value) in (c.limit, max(c.limit - 1, 0), 0, 1)
    if c.kind in ("minItems", "minProperties"):
        return len(value) in (c.limit, c.limit + 1)
    if c.kind == "minimum":
        return c.limit <= value <= c.limit + 1
    if c.kind == "maximum":
        return c.limit - 1 <= value <= c.limit
    if c.kind == "enum":
        return value in c.limit
    if c.kind == "pattern":
        return accepts(c.limit, value)
    return True


def test_every_boundary_case_is_valid_and_sits_at_its_edge():
    for op in SPEC.operations:
        aimed = probes(SPEC, op, "boundary")
        for probe, case in zip(aimed, simplest_of_each(aimed)):
            assert request_violations(SPEC, op, case.params) == set(), (probe, case.note)
            assert case.family == "boundary" and case.covers == probe.covers
            assert case.expectation in (ACCEPT, EITHER)
            assert json.loads(case.body) == case.params
            if len(probe.covers) == 1 and not probe.rule.endswith(".required"):
                c = _constraint(probe.rule)
                assert _at_edge(c, get(case.params, c.path), case.note), (probe, case.note)


def test_every_constraint_has_a_boundary_probe():
    for op in SPEC.operations:
        covered = {rule for p in probes(SPEC, op, "boundary") for rule in p.covers}
        assert covered == {c.rule for c in constraints(SPEC, op)}, op


def test_required_members_alone_make_the_minimal_request():
    case = draw(_probe("CreateSchema.required").strategy)[0]
    assert set(case.params) == {"name", "schema"}
    assert set(case.covers) == {"CreateSchema.name.required", "CreateSchema.schema.required"}


def test_the_simplest_length_edge_puts_multibyte_characters_at_the_limit():
    case = draw(_probe("CreateDatasetGroup.tags[].tagKey.maxLength").strategy)[0]
    key = case.params["tags"][0]["tagKey"]
    assert len(key) == 128 and any(c in key for c in MULTIBYTE)
    assert len(key.encode("utf-8")) > 128  # a byte count would refuse what the spec allows


def test_length_edges_keep_members_meaningful():
    probe = _probe("CreateDatasetImportJob.roleArn.maxLength")
    role = draw(probe.strategy, n=6, at=1) + [reaches(probe.strategy, lambda c: len(c.params["roleArn"]) == 256)]
    assert all(c.params["roleArn"].startswith("arn:aws:iam::123456789012:role/") for c in role)
    schema = draw(_probe("CreateSchema.schema.maxLength").strategy)[0].params["schema"]
    assert len(schema) == 20000 and json.loads(schema)["type"] == "record"


def test_pattern_edges_match_the_whole_value():
    # `^[a-zA-Z0-9][a-zA-Z0-9\-_]*` leaves the end open in the model, but AWS checks the whole
    # value: a value matching only at its start is invalid, not an edge.
    cases = draw(_probe("CreateSchema.name.pattern").strategy, n=12, at=2)
    pattern = _constraint("CreateSchema.name.pattern").limit
    assert cases and all(plausible(pattern, c.params["name"]) for c in cases)
    assert all(c.expectation == ACCEPT for c in cases)


def test_a_list_with_only_a_maximum_also_gets_empty_and_single():
    probe = _probe("CreateSolution.solutionConfig.autoMLConfig.recipeList.maxItems")
    def size(case):
        return len(case.params["solutionConfig"]["autoMLConfig"]["recipeList"])
    assert {size(c) for c in draw(probe.strategy, 25, 3)} <= {0, 1, 99, 100}
    for edge in (0, 1, 99, 100):
        assert size(reaches(probe.strategy, lambda c: size(c) == edge)) == edge


def test_numeric_and_list_edges():
    probe = _probe("ListSchemas.maxResults.maximum")
    assert {c.params["maxResults"] for c in draw(probe.strategy, n=6, at=3)} <= {99, 100}
    assert reaches(probe.strategy, lambda c: c.params["maxResults"] == 100).params["maxResults"] == 100
    tags = draw(_probe("TagResource.tags.maxItems").strategy)[0].params["tags"]
    assert len(tags) == 200 and len({t["tagKey"] for t in tags}) == 200


def test_a_value_only_the_schema_allows_expects_either_answer():
    # CreateDataset datasetType: one of five words; 256 letters satisfy the schema, not the service
    case = draw(_probe("CreateDataset.datasetType.maxLength").strategy)[0]
    assert len(case.params["datasetType"]) in (255, 256) and case.expectation == EITHER


def test_paths_reach_into_lists_and_maps():
    assert ITEM == "[]" and VALUE == "{}"
    case = draw(_probe("CreateSolution.solutionConfig.algorithmHyperParameters{}.maxLength").strategy)[0]
    values = list(case.params["solutionConfig"]["algorithmHyperParameters"].values())
    assert len(values[0]) in (999, 1000)


SHAPES = ("CreateSchema", "CreateDatasetGroup", "CreateSolution", "CreateFilter", "TagResource", "ListSchemas",
          "CreateCampaign", "CreateRecommender")


def test_the_first_case_is_the_simplest_example_hypothesis_would_draw_so_nothing_smaller_exists():
    # Hypothesis's simplest example is its first draw in some releases and what it shrinks to in
    # all of them; a newer release draws a tag's members in another order first, the same members
    # once shrunk. The built case must be one or the other, never something larger.
    for op in SHAPES:
        for family in ("boundary", "invalid"):
            for probe in probes(SPEC, op, family):
                built, drawn = probe.cases(1)[0], draw(probe.strategy)[0]
                if (built.body, built.headers) == (drawn.body, drawn.headers):
                    continue
                shrunk = minimal(probe.strategy)
                assert (built.body, built.headers) == (shrunk.body, shrunk.headers), probe


def test_a_length_or_size_edge_is_sent_at_its_limit_not_just_inside():
    from personalize_conformance.strategies.coverage import unreachable_edges
    for op in SHAPES:
        unreachable = unreachable_edges(SPEC, op)
        for probe in probes(SPEC, op, "boundary"):
            if probe.rule.rsplit(".", 1)[1] not in ("minLength", "maxLength", "minItems", "maxItems", "maxProperties",
                                                   "minimum", "maximum") or probe.rule in unreachable:
                continue
            c = _constraint(probe.rule)
            value = get(probe.cases(1)[0].params, c.path)
            assert (value if c.kind in ("minimum", "maximum") else len(value)) == c.limit, probe.rule


def test_the_same_seed_builds_the_same_bytes_and_another_seed_orders_the_rest_anew():
    probe = _probe("CreateDatasetGroup.tags[].tagKey.maxLength")
    first = [c.body for c in probe.cases(6, seed=1)]
    assert first == [c.body for c in probe.cases(6, seed=1)]
    other = [c.body for c in probe.cases(6, seed=2)]
    assert other[0] == first[0] and other != first and len(set(first)) == 6
