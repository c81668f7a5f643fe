"""The invalid family: each case breaks exactly the rule it names, everything else valid."""
import json

from personalize_conformance.checks.acceptance import request_violations
from personalize_conformance.specs import load_spec
from personalize_conformance.strategies import EITHER, REJECT, constraints, invalid_cases, members, probes
from personalize_conformance.strategies.semantics import is_avro_record

from .helpers import draw, simplest_of_each

SPEC = load_spec()
REQUEST_LEVEL = ("body.json", "body.object", "body.empty", "header.X-Amz-Target", "header.Content-Type",
                 "body.unknownMember")


def _kind(rule: str) -> str:
    return rule.rsplit(".", 1)[1]


def _member(rule: str) -> str:
    return rule.rsplit(".", 1)[0]


def _schema_of(op, rule):
    return next(c for c in constraints(SPEC, op) if _member(c.rule) == _member(rule)).schema


def check_breaks_only_its_rule(op, case):
    rest = case.rule.split(".", 1)[1]
    if rest in REQUEST_LEVEL:
        check_request_level(op, case, rest)
        return
    broken = request_violations(SPEC, op, case.params)
    kind = _kind(case.rule)
    if kind in ("avro", "expression", "dataset-type"):  # beyond the schema: schema-valid, meaning broken
        assert broken == set(), case.note
        return
    if kind == "null":
        assert broken == {case.rule} and case.expectation == EITHER
        return
    assert case.rule in broken, (case.rule, broken, case.note)
    implied = broken - {case.rule}
    if implied:  # the only rules that may fall with another: those the first one takes down with it
        allowed = {"minLength": {_member(case.rule) + ".pattern"},  # "" cannot match `^[a-zA-Z0-9]`
                   # \p{ASCII}{0,1500} has no whole match of 1501 characters
                   "maxLength": {_member(case.rule) + ".pattern"} if _member(case.rule).endswith(
                       ".nextToken") else set(),
                   "type": {_member(case.rule) + ".enum"}}.get(kind, set())  # 123 is no enum value
        assert implied <= allowed, (case.rule, broken)
    assert case.expectation == REJECT


def check_request_level(op, case, rest):
    if rest == "body.json":
        try:
            json.loads(case.body.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            return
        raise AssertionError(f"parseable body for {case.rule}: {case.body[:80]!r}")
    if rest == "body.object":
        assert not isinstance(json.loads(case.body), dict)
    elif rest == "body.empty":
        assert case.body == b""
    elif rest == "header.X-Amz-Target":
        assert case.headers["X-Amz-Target"] != f"AmazonPersonalize.{op}"
        assert request_violations(SPEC, op, case.params) == set()
    elif rest == "header.Content-Type":
        assert case.headers["Content-Type"] not in ("application/x-amz-json-1.1", "application/json")
    elif rest == "body.unknownMember":
        assert set(case.params) - set(SPEC.operation(op).request_schema.get("properties", {}))
        assert case.expectation == EITHER


def test_every_invalid_case_breaks_exactly_its_named_rule():
    for op in SPEC.operations:
        aimed = probes(SPEC, op, "invalid")
        for probe, case in zip(aimed, simplest_of_each(aimed)):
            assert case.family == "invalid" and case.rule.startswith(op)
            assert case.rule in (probe.rule, probe.rule.removesuffix(".unicode")) or probe.rule.endswith(".null")
            check_breaks_only_its_rule(op, case)


def test_random_invalid_cases_still_break_only_their_rule():
    for op in ("CreateSolution", "CreateDatasetGroup"):
        for case in draw(invalid_cases(SPEC, op), n=40, at=11):
            check_breaks_only_its_rule(op, case)


def test_a_pattern_is_broken_first_by_a_valid_prefix_with_a_tail():
    # `^[a-zA-Z0-9][a-zA-Z0-9\-_]*`: `my group` matches its start, not the whole value; a target
    # reading the pattern as a prefix takes it, AWS refuses it.
    from personalize_conformance.strategies.patterns import accepts, prefix_only
    for op, rule in (("CreateDatasetGroup", "CreateDatasetGroup.name.pattern"),
                     ("DescribeDatasetGroup", "DescribeDatasetGroup.datasetGroupArn.pattern"),
                     ("ListSchemas", "ListSchemas.nextToken.pattern")):
        probe = next(p for p in probes(SPEC, op, "invalid") if p.rule == rule)
        pattern = next(c.limit for c in constraints(SPEC, op) if c.rule == rule)
        member = rule.split(".")[1]
        for case in draw(probe.strategy, n=6, at=2):
            value = case.params[member]
            assert prefix_only(pattern, value), (rule, value)
            assert not accepts(pattern, value) and case.expectation == REJECT
            assert "at its start but not as a whole" in case.note


def test_a_pattern_anchored_at_both_ends_is_broken_where_matching_starts():
    from personalize_conformance.strategies.patterns import accepts
    probe = next(p for p in probes(SPEC, "TagResource", "invalid") if p.rule == "TagResource.tags[].tagKey.pattern")
    for case in draw(probe.strategy, n=4, at=2):
        key = case.params["tags"][0]["tagKey"]
        assert not accepts(r"^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$", key) and case.expectation == REJECT


def test_every_breakable_constraint_has_an_invalid_probe():
    for op in SPEC.operations:
        aimed = {p.rule for p in probes(SPEC, op, "invalid")}
        assert {c.rule for c in constraints(SPEC, op) if c.breakable} <= aimed, op
        assert {f"{op}.{r}" for r in REQUEST_LEVEL} <= aimed


def test_an_empty_body_must_be_refused_only_where_members_are_required():
    def empty(op):
        probe = next(p for p in probes(SPEC, op, "invalid") if p.rule.endswith("body.empty"))
        return draw(probe.strategy)[0]
    assert empty("CreateSchema").expectation == REJECT
    assert empty("ListSchemas").expectation == EITHER


def test_an_avro_rule_breaker_is_a_string_that_is_not_avro():
    probe = next(p for p in probes(SPEC, "CreateSchema", "invalid") if p.rule == "CreateSchema.schema.avro")
    for case in draw(probe.strategy, n=5, at=3):
        value = case.params["schema"]
        assert isinstance(value, str) and not is_avro_record(value) and len(value) <= 20000


def test_every_member_gets_a_wrong_json_type():
    for op in ("CreateSchema", "CreateSolution", "TagResource"):
        aimed = {p.rule for p in probes(SPEC, op, "invalid")}
        assert {m.rule("type") for m in members(SPEC, op)} <= aimed
    probe = next(p for p in probes(SPEC, "CreateSchema", "invalid") if p.rule == "CreateSchema.schema.type")
    assert draw(probe.strategy)[0].params["schema"] == 123  # a number where the Avro schema goes
