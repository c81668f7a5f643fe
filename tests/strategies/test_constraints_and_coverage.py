"""Constraints are listed once, named as rules, judged breakable or not, and counted by coverage."""
from personalize_conformance.specs import load_spec
from personalize_conformance.strategies import Case, constraints, probes
from personalize_conformance.strategies.coverage import coverage, merge_into, summary_lines
from personalize_conformance.strategies.paths import DELETE, place, render, rule_name

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
    assert params["a"][0]["k"] == 1  # the original is left alone


def _all_cases(op, family):
    return [Case(op, b"{}", family=family, covers=p.covers, rule=p.rule)
            for p in probes(SPEC, op, family)]


def test_every_answered_probe_makes_full_coverage():
    answered = [(c, True) for f in ("boundary", "invalid") for c in _all_cases("CreateSchema", f)]
    report = coverage(SPEC, answered, ["CreateSchema"])
    row = report["operations"]["CreateSchema"]
    assert (row["boundary_pct"], row["invalid_pct"]) == (100.0, 100.0)
    assert report["overall"]["constraints"] == 8


def test_a_constraint_nobody_answered_is_missing_by_name():
    cases = _all_cases("CreateSchema", "invalid")
    answered = [(c, c.rule != "CreateSchema.name.maxLength") for c in cases]
    answered += [(c, True) for c in _all_cases("CreateSchema", "boundary") if c.rule != "CreateSchema.domain.enum"]
    row = coverage(SPEC, answered, ["CreateSchema"])["operations"]["CreateSchema"]
    assert row["missing_invalid"] == ["CreateSchema.name.maxLength"]
    assert row["missing_boundary"] == ["CreateSchema.domain.enum"]
    assert row["invalid_pct"] == round(100 * 7 / 8, 1) and row["boundary_pct"] == round(100 * 7 / 8, 1)


def test_unbreakable_constraints_leave_the_invalid_denominator():
    answered = [(c, True) for f in ("boundary", "invalid") for c in _all_cases("TagResource", f)]
    row = coverage(SPEC, answered, ["TagResource"])["operations"]["TagResource"]
    assert row["constraints"] == row["breakable"] + len(row["unbreakable"])
    assert "TagResource.tags[].tagValue.minLength" in row["unbreakable"] and row["invalid_pct"] == 100.0


def test_the_summary_prints_the_figures():
    answered = [(c, True) for f in ("boundary", "invalid") for c in _all_cases("CreateSchema", f)]
    lines = summary_lines(coverage(SPEC, answered, ["CreateSchema"]))
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
