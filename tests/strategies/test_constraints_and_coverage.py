"""Constraints are listed once, named as rules, judged breakable or not, and counted by coverage."""
from personalize_conformance.specs import load_spec
from personalize_conformance.strategies import Case, constraints, probes
from personalize_conformance.strategies.coverage import coverage, merge_into, summary_lines
from personalize_conformance.strategies.paths import DELETE, KEY, place, render, rule_name

SPEC = load_spec()


def test_rules_name_operation_member_and_kind():
    assert rule_name("CreateSchema", ("name",), "maxLength") == "CreateSchema.name.maxLength"
    assert render(("tags", "[]", "tagKey")) == "tags[].tagKey"
    assert render(("solutionConfig", "algorithmHyperParameters", "{}")) == "solutionConfig.algorithmHyperParameters{}"


def test_create_schema_constraints_are_the_spec_plus_the_avro_rule():
    rules = {c.rule for c in constraints(SPEC, "CreateSchema")}
    assert rules == {"CreateSchema.name.required", "CreateSchema.name.minLength", "CreateSchema.name.maxLength",
                     "CreateSchema.name.pattern", "CreateSchema.schema.required", "CreateSchema.schema.maxLength",
                     "CreateSchema.schema.avro", "CreateSchema.domain.enum"}


def test_constraints_no_value_can_break_are_told_apart():
    by_rule = {c.rule: c for op in ("TagResource", "ListSchemas", "CreateSchema") for c in constraints(SPEC, op)}
    assert not by_rule["TagResource.tags[].tagValue.minLength"].breakable  # minLength 0
    assert by_rule["ListSchemas.nextToken.pattern"].breakable  # \p{ASCII}{0,1500}, whole value: no "é"
    assert by_rule["CreateSchema.name.pattern"].breakable
    assert by_rule["TagResource.tags[].tagKey.pattern"].breakable  # anchored at both ends


def test_place_writes_into_lists_and_maps_and_removes_members():
    params = {"a": [{"k": 1}], "m": {"x": "1"}, "r": 2}
    assert place(params, ("a", "[]", "k"), 5) == {"a": [{"k": 5}], "m": {"x": "1"}, "r": 2}
    assert place(params, ("m", "{}"), "2")["m"] == {"x": "2"}
    assert place(params, ("r",), DELETE) == {"a": [{"k": 1}], "m": {"x": "1"}}
    assert place(params, ("m", KEY), "y")["m"] == {"y": "1"}
    assert params["a"][0]["k"] == 1  # the original is left alone


def _all_cases(op, family):
    """The cases a one-example-per-probe run sends for `op`'s `family`."""
    return [p.cases(1)[0] for p in probes(SPEC, op, family)]


def _answered(op, families=("boundary", "invalid")):
    return [(c, True) for f in families for c in _all_cases(op, f)]


def _params_case(op, params, family, rule, covers=()):
    return Case.from_params(op, params, family=family, rule=rule, covers=covers)


def test_every_answered_probe_makes_full_coverage():
    report = coverage(SPEC, _answered("CreateSchema"), ["CreateSchema"])
    row = report["operations"]["CreateSchema"]
    assert (row["boundary_pct"], row["invalid_pct"]) == (100.0, 100.0)
    assert report["overall"]["constraints"] == 8


def test_a_constraint_nobody_answered_is_missing_by_name():
    answered = [(c, c.rule != "CreateSchema.name.maxLength") for c in _all_cases("CreateSchema", "invalid")]
    answered += [(c, True) for c in _all_cases("CreateSchema", "boundary") if c.rule != "CreateSchema.domain.enum"]
    row = coverage(SPEC, answered, ["CreateSchema"])["operations"]["CreateSchema"]
    assert row["missing_invalid"] == ["CreateSchema.name.maxLength"]
    assert row["missing_boundary"] == ["CreateSchema.domain.enum"]
    assert row["invalid_pct"] == round(100 * 6 / 7, 1) and row["boundary_pct"] == round(100 * 7 / 8, 1)


def test_what_counts_is_the_value_sent_not_the_rule_a_case_names():
    schema = _all_cases("CreateSchema", "boundary")[0].params["schema"]
    rule = "CreateSchema.name.maxLength"
    just_inside = _params_case("CreateSchema", {"name": "a" * 62, "schema": schema}, "boundary", rule, (rule,))
    at_limit = _params_case("CreateSchema", {"name": "a" * 63, "schema": schema}, "boundary", "valid")
    missed = coverage(SPEC, [(just_inside, True)], ["CreateSchema"])["operations"]["CreateSchema"]
    assert rule in missed["missing_boundary"]
    hit = coverage(SPEC, [(at_limit, True)], ["CreateSchema"])["operations"]["CreateSchema"]
    assert rule not in hit["missing_boundary"]  # whatever it aimed at, it sent 63 characters


def test_a_request_breaking_two_rules_exercises_neither():
    schema = _all_cases("CreateSchema", "boundary")[0].params["schema"]
    both = _params_case("CreateSchema", {"name": "!" * 64, "schema": schema}, "invalid", "CreateSchema.name.maxLength",
                        ("CreateSchema.name.maxLength",))
    row = coverage(SPEC, [(both, True)], ["CreateSchema"])["operations"]["CreateSchema"]
    assert {"CreateSchema.name.maxLength", "CreateSchema.name.pattern"} <= set(row["missing_invalid"])
    alone = _params_case("CreateSchema", {"name": "a" * 64, "schema": schema}, "invalid", "x")
    row = coverage(SPEC, [(alone, True)], ["CreateSchema"])["operations"]["CreateSchema"]
    assert "CreateSchema.name.maxLength" not in row["missing_invalid"]


def test_an_empty_name_breaks_its_pattern_too_and_is_not_counted_as_breaking_min_length():
    (case,) = [c for c in _all_cases("CreateDatasetGroup", "invalid") if c.rule == "CreateDatasetGroup.name.minLength"]
    assert case.params["name"] == "" and case.covers == () and "combined" in case.note
    row = coverage(SPEC, [(case, True)], ["CreateDatasetGroup"])["operations"]["CreateDatasetGroup"]
    assert "CreateDatasetGroup.name.minLength" in row["unbreakable"]
    assert "CreateDatasetGroup.name.minLength" not in row["missing_invalid"]


def test_unbreakable_constraints_leave_the_invalid_denominator():
    row = coverage(SPEC, _answered("TagResource"), ["TagResource"])["operations"]["TagResource"]
    assert row["constraints"] == row["breakable"] + len(row["unbreakable"])
    assert "TagResource.tags[].tagValue.minLength" in row["unbreakable"] and row["invalid_pct"] == 100.0


def test_an_edge_no_value_can_reach_is_listed_with_why_and_left_out():
    report = coverage(SPEC, _answered("CreateFilter"), ["CreateFilter"])
    row = report["operations"]["CreateFilter"]
    assert "CreateFilter.filterExpression.expression" in row["unreachable"]["CreateFilter.filterExpression.minLength"]
    assert row["boundary_pct"] == 100.0 and row["reachable"] == row["constraints"] - 1
    lines = summary_lines(report)
    assert any(line.startswith("- `CreateFilter.filterExpression.minLength`: no value of exactly 1 character")
               for line in lines)


def test_map_keys_are_constrained_members_the_families_reach():
    rules = {c.rule: c for c in constraints(SPEC, "CreateSolution")}
    key = "CreateSolution.solutionConfig.algorithmHyperParameters{key}.maxLength"
    assert rules[key].limit == 256
    row = coverage(SPEC, _answered("CreateSolution"), ["CreateSolution"])["operations"]["CreateSolution"]
    assert key not in row["missing_boundary"] + row["missing_invalid"] and row["keys"] == 4
    (sent,) = [c for c in _all_cases("CreateSolution", "boundary") if c.rule == key]
    (name,) = sent.params["solutionConfig"]["algorithmHyperParameters"]
    assert len(name) == 256


def test_a_minimum_of_zero_is_listed_but_not_counted():
    rule = "CreateSolution.solutionConfig.eventsConfig.eventParametersList[].weight.minimum"
    row = coverage(SPEC, _answered("CreateSolution"), ["CreateSolution"])["operations"]["CreateSolution"]
    assert rule in row["trivial"] and rule not in row["missing_boundary"] + row["missing_invalid"]


def test_the_summary_prints_the_figures():
    lines = summary_lines(coverage(SPEC, _answered("CreateSchema"), ["CreateSchema"]))
    assert "**Boundary-valid: 100.0%**" in lines[0] and "**invalid: 100.0%**" in lines[0]
    assert any(line.startswith("| maxLength | 2 | 2 | 2 of 2 |") for line in lines)


def test_workers_coverage_merges_into_the_run_figure():
    boundary = [(c, True) for c in _all_cases("CreateSchema", "boundary")]
    invalid = [(c, True) for c in _all_cases("CreateSchema", "invalid")]
    first = coverage(SPEC, boundary, ["CreateSchema", "ListSchemas"])   # one worker ran boundary
    second = coverage(SPEC, invalid, ["CreateSchema"])                  # another ran invalid
    document = {"summary_sections": [{"title": "Constraint coverage", "lines": ["partial"]},
                                     {"title": "Other", "lines": []}]}
    merge_into(document, [first, second])
    row = document["coverage"]["operations"]["CreateSchema"]
    assert (row["boundary_pct"], row["invalid_pct"]) == (100.0, 100.0)
    assert document["coverage"]["operations"]["ListSchemas"]["boundary_pct"] < 100
    titles = [s["title"] for s in document["summary_sections"]]
    assert titles.count("Constraint coverage") == 1 and "Other" in titles
    assert document["coverage"]["by_kind"]["semantic"] == {"constraints": 1, "breakable": 1, "boundary": 1,
                                                           "invalid": 1}
