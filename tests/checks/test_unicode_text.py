"""Non-ASCII text in every free-text member, raw and \\u-escaped: a target that breaks on either
encoding, or lets a pattern that forbids such text pass, is caught by the checks already there."""
import json

import pytest

from personalize_conformance.runner.stateless import Budget, OperationRun
from personalize_conformance.specs import load_spec
from personalize_conformance.strategies import unicode
from personalize_conformance.strategies.probes import probes
from personalize_conformance.strategies.sample import sample
from personalize_conformance.targets import make_target

SPEC = load_spec()
SEED = 20261204


def run(operation, faults=(), families=("valid", "invalid")):
    target = make_target("emulator", emulator_options={"faults": tuple(faults)})
    try:
        return OperationRun(SPEC, target, SEED, Budget(valid=2, per_probe=3), families)(operation)
    finally:
        target.close()


def fails(records, rule):
    return [r for r in records if any(f.rule == rule and f.outcome == "fail" for f in r.findings)]


def test_valid_text_probes_send_every_kind_of_letter_raw_and_escaped():
    raw, escaped = probes(SPEC, "TagResource", "valid")[1:]
    cases = sample(raw.strategy, 30) + sample(escaped.strategy, 30)
    bodies = [c.body for c in cases]
    assert any(b"\\u" in b for b in bodies) and any(not b.isascii() for b in bodies)
    assert any(not t["tagValue"].isascii() for c in cases for t in c.params["tags"])
    schema = SPEC.operation("TagResource").request_schema
    tagged = {"resourceArn": "arn:aws:personalize:us-east-1:123456789012:dataset-group/g",
              "tags": [{"tagKey": "k", "tagValue": "v"}]}
    for kind in ("bmp", "astral", "rtl"):  # a tag allows letters of any script, but no combining mark
        rewritten = unicode._rewrite("TagResource", tagged, schema, (), kind)
        assert rewritten["tags"][0]["tagValue"] == unicode.SAMPLES[kind], kind
        assert rewritten["resourceArn"] == tagged["resourceArn"]
    for c in cases:
        assert json.loads(c.body) == c.params
    metrics = sample(probes(SPEC, "CreateMetricAttribution", "valid")[1].strategy, 8)
    assert any(unicode.SAMPLES["combining"] in json.dumps(c.params, ensure_ascii=False) for c in metrics)


def test_valid_text_cases_are_built_from_the_skeleton_each_kind_each_way():
    raw, escaped = probes(SPEC, "TagResource", "valid")[1:]
    for probe, ascii_only in ((raw, False), (escaped, True)):
        cases = probe.cases(8, seed=5)
        assert [c.body for c in probe.cases(8, seed=5)] == [c.body for c in cases]  # the same bytes again
        assert {c.params["tags"][0]["tagValue"] for c in cases} == set(unicode.SAMPLES.values()) - {
            unicode.SAMPLES["combining"]}  # a tag takes any script's letters, not a lone combining mark
        assert all(c.body.isascii() == ascii_only and json.loads(c.body) == c.params for c in cases)
    assert not raw.cases(1)[0].params["tags"][0]["tagValue"].isascii()
    assert escaped.cases(1)[0].params["tags"][0]["tagValue"] == unicode.SAMPLES["astral"]  # surrogate pairs first


def _unicode_probe(operation, rule):
    return next(p for p in probes(SPEC, operation, "invalid") if p.rule == f"{rule}.unicode")


def test_a_combining_mark_a_pattern_forbids_is_an_invalid_case():
    probe = _unicode_probe("TagResource", "TagResource.tags[].tagValue.pattern")
    for cases in (probe.cases(4, seed=3), sample(probe.strategy, 30)):  # enumerated, and drawn to shrink
        assert any("\u0301" in c.params["tags"][0]["tagValue"] for c in cases)
        assert all(c.rule == "TagResource.tags[].tagValue.pattern" for c in cases)


def test_a_member_whose_pattern_forbids_non_ascii_is_sent_it_as_an_invalid_case():
    probe = _unicode_probe("CreateDatasetGroup", "CreateDatasetGroup.name.pattern")
    cases = probe.cases(8, seed=0)
    first = cases[0]
    assert first.expectation == "reject" and first.rule == "CreateDatasetGroup.name.pattern"
    assert not first.params["name"][0].isascii()
    assert any(a.params == b.params and a.body != b.body for a in cases for b in cases)  # raw and escaped
    assert [c.body for c in probe.cases(8, seed=0)] == [c.body for c in cases]  # built, not searched


def test_every_pattern_that_forbids_non_ascii_has_its_probe_and_both_encodings_go_first():
    first = []
    for operation in SPEC.operations:
        for c, _ in unicode.invalid_targets(SPEC, operation):
            first.append(_unicode_probe(operation, c.rule).cases(1)[0].body.isascii())
    assert len(first) > 100 and any(first) and not all(first)


def test_lengths_are_fitted_as_aws_counts_them():
    assert unicode.units("𝒜a") == 3
    assert unicode.fitted("𝒜𝔅𝕮", {"maxLength": 4}) == "𝒜𝔅"
    assert unicode.fitted("e\u0301", {"minLength": 3, "maxLength": 3}) is None or \
        unicode.units(unicode.fitted("e\u0301", {"minLength": 3, "maxLength": 3})) == 3


def test_the_clean_emulator_takes_text_both_ways_and_refuses_it_where_forbidden():
    records = run("TagResource")
    text = [r for r in records if ".unicode." in (r.case.rule or "")]
    assert {r.case.rule.rsplit(".", 1)[-1] for r in text} == {"raw", "escaped"}
    assert not [r for r in records if r.failed]


@pytest.mark.parametrize("fault, operation, rule, family", [
    ("escaped-unicode-500", "TagResource", "errors.no-5xx", "valid"),
    ("non-ascii-folded", "CreateDatasetGroup", "acceptance.negative", "invalid"),
])
def test_a_target_broken_on_non_ascii_text_is_caught(fault, operation, rule, family):
    records = run(operation, [fault])
    caught = fails(records, rule)
    assert caught and all(r.case.family == family for r in caught), [r.case for r in records if r.failed][:3]
    if fault == "escaped-unicode-500":  # raw UTF-8 still goes through: only the escaped form breaks it
        assert all(b"\\u" in r.case.body for r in caught)
        assert not fails([r for r in records if r.case.rule == f"{operation}.unicode.raw"], rule)
