"""Every expectation carries its evidence, and the evidence decides what breaking it is worth.

A doc-only vocabulary or order departure warns (and fails under --strict), doc-level behaviour
fails citing the doc, and every `observed` label is held to the recorded corpus, so no rule
claims more than AWS was seen to do.
"""
import collections
import json

import pytest

from personalize_conformance import contracts
from personalize_conformance.checks import CHECKS, context_for, evidence, run_checks, sdk_errors
from personalize_conformance.checks.contracts import CONTRACTS, judge
from personalize_conformance.checks.findings import Verdict, fail
from personalize_conformance.contracts import observed
from personalize_conformance.specs import load_spec
from personalize_conformance.strategies import Case
from personalize_conformance.targets import WireResponse

CTX = context_for(load_spec())
JSON = {"content-type": "application/x-amz-json-1.1", "x-amzn-requestid": "r"}


def test_every_rule_names_the_evidence_of_each_of_its_expectations():
    for rule in list(CHECKS) + list(CONTRACTS):
        assert rule in evidence.RULES, f"{rule} has no evidence in checks/evidence.py"
    for rule, expectations in evidence.RULES.items():
        for which, e in expectations.items():
            assert e.level in evidence.LEVELS, (rule, which)
            assert e.kind in (evidence.BEHAVIOUR, evidence.VOCABULARY), (rule, which)
            if evidence.doc_only(e.level, e.kind):
                assert e.claim, f"{rule} {which}: a doc-only expectation says what the docs say"


def test_the_sdk_checks_rest_on_the_evidence_their_module_declares():
    for rule, level in sdk_errors.EVIDENCE.items():
        assert evidence.level(rule) == level


def test_an_observed_error_name_is_one_aws_was_recorded_answering():
    recorded = {o.error["code"] for o in observed.errors(observed.RECORDED)}
    for rule, expectations in evidence.RULES.items():
        for which, e in expectations.items():
            if e.level == evidence.OBSERVED and e.backed_by.endswith("Exception"):
                assert e.backed_by in recorded, (rule, which, e.backed_by)


def _walked() -> dict[tuple[str, str, str], set[str]]:
    walks = collections.defaultdict(set)
    for o in observed.transcripts(observed.RECORDED):
        walks[(o.resource, o.member, o.action)] |= set(o.statuses)
    return walks


def test_a_flow_is_labelled_observed_exactly_when_recorded_traffic_walked_it():
    """Two statuses or more seen in recorded transcripts of the flow make its vocabulary and order
    AWS's; a flow seen only resting (ACTIVE) or never is the docs' alone."""
    from tests.contracts.test_observations import LIFECYCLE_GAPS
    walks = _walked()
    for (rtype, member), machine in contracts.machines().items():
        for action, flow in machine.flows.items():
            if (rtype, member, action) in LIFECYCLE_GAPS:
                continue  # the data still disagrees with AWS there: listed, with its reason, in that test
            seen = walks.get((rtype, member, action), set())
            want = evidence.OBSERVED if len(seen) >= 2 else evidence.DOC
            labelled = evidence.OBSERVED if flow.evidence == evidence.OBSERVED or getattr(flow, "observed", ()) \
                else evidence.DOC
            assert labelled == want, f"{rtype}.{member}.{action}: labelled {labelled}, corpus says {want} ({sorted(seen)})"


def test_where_the_docs_are_contradicted_the_report_lists_it():
    from personalize_conformance.runner import graded
    for entry in graded.contradicted():
        machine = contracts.machine(entry["resource"], entry["member"])
        assert evidence.OBSERVED in {f.evidence for f in machine.flows.values()} | {
            "observed" for f in machine.flows.values() if getattr(f, "observed", ())}


# -- grading -------------------------------------------------------------------------------------

def test_a_doc_only_vocabulary_departure_warns_saying_the_docs_are_all_it_rests_on():
    graded = evidence.grade("dependency.delete-in-use", fail("DeleteSchema answered InvalidInputException",
                                                             expectation=evidence.ERROR_CODE))
    assert graded.outcome == "warn" and graded.level == "doc"
    assert graded.message.startswith("the docs say ") and "AWS has not been observed doing so" in graded.message
    with evidence.strictness(True):
        strict = evidence.grade("dependency.delete-in-use", fail("x", expectation=evidence.ERROR_CODE))
    assert strict.outcome == "fail" and "--strict" in strict.message


def test_doc_level_behaviour_still_fails():
    graded = evidence.grade("dependency.delete-in-use", fail("DeleteSchema was accepted", expectation=evidence.REFUSED))
    assert (graded.outcome, graded.level) == ("fail", "doc")


def test_an_observed_error_name_fails_even_where_the_docs_alone_would_only_warn():
    (verdict,) = judge("reference.missing-parent", expected=("ResourceNotFoundException",), status=400,
                       code="InvalidInputException", operation="CreateCampaign", member="solutionVersionArn", arn="x")
    assert (verdict.outcome, verdict.level) == ("fail", "observed")


def test_model_and_protocol_failures_are_never_softened():
    for rule in ("schema.response", "wire.content-type"):
        assert evidence.grade(rule, Verdict("fail", "x")).outcome == "fail"
    assert evidence.grade("wire.content-type", Verdict("fail", "x")).level == "protocol"


def test_a_rule_nobody_labelled_is_held_to_the_weakest_source():
    assert evidence.level("no.such-rule") == "doc"


def test_a_lifecycle_status_is_graded_by_its_flow():
    dataset = contracts.machine("dataset")
    created = judge("lifecycle.known-status", machine=dataset, action="create", path=["CREATING"])
    deleted = judge("lifecycle.known-status", machine=dataset, action="delete", path=["DELETING"])
    assert [(v.outcome, v.level) for v in created] == [("fail", "observed")]
    assert [(v.outcome, v.level) for v in deleted] == [("warn", "doc")]
    assert deleted[0].message.startswith("the docs say the dataset status values are")
    with evidence.strictness(True):
        assert [v.outcome for v in judge("lifecycle.known-status", machine=dataset, action="delete",
                                         path=["DELETING"])] == ["fail"]


def test_a_finding_carries_its_evidence_level_into_the_report():
    case = Case(operation="DescribeSchema", body=b"{}", family="valid", case_id="c")
    findings = run_checks(case, WireResponse.of(200, {"x-amzn-requestid": "r"}, b"{}"), CTX)
    by_rule = {f.rule: f for f in findings}
    assert by_rule["wire.content-type"].outcome == "fail"
    assert by_rule["wire.content-type"].evidence_level == "protocol"
    assert by_rule["schema.response"].evidence_level == "model"


# -- invalid cases aimed at what only the docs say -------------------------------------------------

def _negative(case, status, body):
    return [f for f in run_checks(case, WireResponse.of(status, JSON, json.dumps(body).encode()), CTX)
            if f.rule == "acceptance.negative"]


def _doc_case():
    params = {"name": "n", "schema": "not an avro schema"}
    return Case.from_params("CreateSchema", params, family="invalid", rule="CreateSchema.schema.avro",
                            expect="reject", evidence_level="doc")


def test_a_documented_only_constraint_may_be_refused_with_any_client_error():
    case = _doc_case()
    (finding,) = _negative(case, 404, {"__type": "ResourceNotFoundException", "message": "no"})
    assert finding.outcome == "pass"
    model_case = Case.from_params("CreateSchema", {"name": "n" * 64, "schema": "{}"}, family="invalid",
                                  rule="CreateSchema.name.maxLength", expect="reject")
    (finding,) = _negative(model_case, 404, {"__type": "ResourceNotFoundException", "message": "no"})
    assert finding.outcome == "fail" and finding.evidence_level == "model"


def test_accepting_what_only_the_docs_forbid_is_a_warning_and_a_failure_under_strict():
    (finding,) = _negative(_doc_case(), 200, {"schemaArn": "arn:aws:personalize:us-east-1:123456789012:schema/n"})
    assert (finding.outcome, finding.evidence_level) == ("warn", "doc")
    with evidence.strictness(True):
        (finding,) = _negative(_doc_case(), 200, {"schemaArn": "arn:aws:personalize:us-east-1:123456789012:schema/n"})
    assert finding.outcome == "fail"


def test_semantic_invalid_cases_are_labelled_doc_level_and_model_ones_are_not():
    from personalize_conformance.strategies.probes import probes
    from personalize_conformance.strategies.sample import sample
    spec = load_spec()
    by_rule = {p.rule: p for p in probes(spec, "CreateSchema", "invalid")}
    assert sample(by_rule["CreateSchema.schema.avro"].strategy)[0].evidence_level == "doc"
    assert sample(by_rule["CreateSchema.name.maxLength"].strategy)[0].evidence_level == ""


@pytest.mark.parametrize("rule", ["lifecycle.known-status", "lifecycle.legal-transition"])
def test_a_lifecycle_rule_lists_every_level_its_flows_rest_on(rule):
    assert evidence.levels(rule) == ["observed", "doc"]


def test_the_readme_says_which_observations_back_which_rules_per_operation():
    import pathlib
    readme = (pathlib.Path(evidence.__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    assert evidence.backing_table() in readme, "regenerate the table: checks.evidence.backing_table()"
    rows = evidence.backing()
    assert "schema.observed-members" in rows["DescribeCampaign"]["rules"]
    assert "uniqueness.duplicate-name" in rows["CreateSchema"]["rules"]


def test_what_a_recorded_observation_backs_depends_on_what_it_shows(monkeypatch):
    """A walk backs a flow's statuses only where that flow is labelled observed, a Create backs the
    ARN rule only where its type has an ARN form, and an example (not recorded) backs nothing."""
    def seen(operation, kind=observed.RECORDED, **fields):
        return observed.Observation(file="f.yaml", source="s", kind=kind, operation=operation, **fields)
    corpus = (
        seen("DescribeCampaign", statuses=("DELETE PENDING", "DELETE IN_PROGRESS"), resource="campaign",
             member="status", action="delete"),  # a flow only the docs describe
        seen("DescribeDataset", statuses=("CREATE PENDING", "ACTIVE"), resource="dataset", member="status",
             action="create"),
        seen("CreateMetricAttribution", response={"metricAttributionArn": "arn"}),  # a type with no ARN form
        seen("CreateCampaign", response={"campaignArn": "arn"}),
        seen("CreateCampaign", response={"campaignArn": "arn"}, printed="$.campaignArn"),  # not complete
        seen("DescribeSolution", response={"solution": {"creationDateTime": 1}}),
        seen("DescribeSchema", error={"code": "ResourceNotFoundException"}),
        seen("DescribeFilter", kind=observed.EXAMPLE, response={"filter": {"creationDateTime": 1}}),
    )
    monkeypatch.setattr(observed, "observations", lambda: corpus)
    monkeypatch.setattr(observed, "always_answered", lambda: {"DescribeSolution": frozenset({"$.solution"})})
    lifecycle = {"lifecycle.known-status", "lifecycle.legal-transition"}
    assert evidence.backing() == {
        "CreateCampaign": {"observations": 2, "rules": {"lifecycle.create-identifies", "resource.arn-names"}},
        "CreateMetricAttribution": {"observations": 1, "rules": {"lifecycle.create-identifies"}},
        "DescribeCampaign": {"observations": 1, "rules": set()},
        "DescribeDataset": {"observations": 1, "rules": lifecycle},
        "DescribeSchema": {"observations": 1, "rules": {r for r, exps in evidence.RULES.items() for e in exps.values()
                                                        if e.backed_by == "ResourceNotFoundException"}},
        "DescribeSolution": {"observations": 1, "rules": {"schema.observed-members", "resource.timestamps"}},
    }


def test_a_harness_imported_outside_the_plugin_and_the_cli_is_not_strict():
    import os
    import pathlib
    import subprocess
    import sys
    root = pathlib.Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", "from personalize_conformance.checks import evidence; "
                                                "print(evidence.strict())"],
                         cwd=root, env={**os.environ, "PYTHONPATH": str(root)}, capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"
