"""On AWS, what a run creates carries its run id - a `pc-<run>-` name prefix and, where taggable, a
tag - wherever that moves no edge a case is about; elsewhere creates go out as generated and
teardown finds them by the ARNs their answers gave."""
from __future__ import annotations

import json

import pytest

from personalize_conformance.emulator import Emulator
from personalize_conformance.runner import RunOptions, conformance_run
from personalize_conformance.runner.stamp import TAG_KEY, name_prefix, run_token, stamp_case, stamped_name
from personalize_conformance.specs import load_spec
from personalize_conformance.strategies import Case
from tests.robustness.broken import BrokenServer, proxy

SPEC = load_spec()
PREFIX = name_prefix("20261126T120000-abcdef")


def _stamped(operation, params, family="valid"):
    case = Case.from_params(operation, params, family=family)
    return case, stamp_case(case, SPEC, PREFIX, "20261126T120000-abcdef")


def test_a_generated_create_gets_the_prefix_and_the_run_tag():
    case, stamped = _stamped("CreateDatasetGroup", {"name": "shop"})
    assert stamped.params["name"] == "pc-20261126T120000-abcdef-shop"
    assert {"tagKey": TAG_KEY, "tagValue": "20261126T120000-abcdef"} in stamped.params["tags"]
    assert json.loads(stamped.body) == stamped.params  # what is recorded is what is sent
    assert stamped.case_id == case.case_id  # the same case across runs, whatever the run id


def test_job_names_are_stamped_and_untaggable_types_only_named():
    _, job = _stamped("CreateDatasetImportJob", {"jobName": "imp", "datasetArn": "a", "dataSource": {}, "roleArn": "r"})
    assert job.params["jobName"].startswith(PREFIX)
    _, schema = _stamped("CreateSchema", {"name": "s", "schema": "{}"})
    assert schema.params["name"] == PREFIX + "s" and "tags" not in schema.params


def test_a_long_name_is_cut_to_63_and_cut_names_stay_distinct():
    a = stamped_name("x" * 60 + "a", PREFIX)
    b = stamped_name("x" * 60 + "b", PREFIX)
    assert len(a) == len(b) == 63 and a != b and a.startswith(PREFIX)


@pytest.mark.parametrize("name", ["-starts-with-a-dash", "", "x" * 64, 7])
def test_an_invalid_name_stays_invalid(name):
    case, stamped = _stamped("CreateDatasetGroup", {"name": name}, family="invalid")
    assert stamped.params["name"] == name


def test_lifecycle_sequences_and_reads_are_left_alone():
    case, stamped = _stamped("CreateDatasetGroup", {"name": "mine"}, family="lifecycle")
    assert stamped is case
    case, stamped = _stamped("ListDatasetGroups", {})
    assert stamped is case


def test_a_raw_body_that_is_not_an_object_is_left_alone():
    case = Case(operation="CreateDatasetGroup", body=b"{not json", family="invalid")
    assert stamp_case(case, SPEC, PREFIX, "r") is case


def test_the_tag_is_not_added_where_the_tag_list_is_already_full():
    tags = [{"tagKey": f"k{i}", "tagValue": "v"} for i in range(50)]
    _, stamped = _stamped("CreateDatasetGroup", {"name": "full", "tags": tags}, family="boundary")
    assert len(stamped.params["tags"]) == 50 and stamped.params["name"].startswith(PREFIX)


@pytest.mark.parametrize("run_id,token", [("20261126T120000-abcdef", "20261126T120000-abcdef"),
                                          ("my run/1", "my-run-1")])
def test_run_ids_become_name_safe_tokens(run_id, token):
    assert run_token(run_id) == token


def test_a_long_run_id_is_shortened_but_stays_distinct():
    a, b = run_token("a" * 40 + "1"), run_token("a" * 40 + "2")
    assert len(a) <= 24 and a != b


def test_workers_get_distinct_prefixes():
    assert name_prefix("r", "gw0") == "pc-r-gw0-" != name_prefix("r", "gw1")


def test_a_case_aimed_at_the_name_keeps_its_name_and_one_about_the_tags_gets_no_tag():
    at_limit = Case.from_params("CreateDatasetGroup", {"name": "a" * 63}, family="boundary",
                                rule="CreateDatasetGroup.name.maxLength", covers=("CreateDatasetGroup.name.maxLength",))
    stamped = stamp_case(at_limit, SPEC, PREFIX, "r")
    assert stamped.params["name"] == "a" * 63 and {"tagKey": TAG_KEY, "tagValue": "r"} in stamped.params["tags"]
    empty_tags = Case.from_params("CreateDatasetGroup", {"name": "g", "tags": []}, family="boundary",
                                  rule="CreateDatasetGroup.tags.maxItems", covers=("CreateDatasetGroup.tags.maxItems",))
    stamped = stamp_case(empty_tags, SPEC, PREFIX, "r")
    assert stamped.params["tags"] == [] and stamped.params["name"] == PREFIX + "g"


def test_a_request_with_its_required_members_only_gets_no_member_added():
    minimal = Case.from_params("CreateDatasetGroup", {"name": "g"}, family="boundary", rule="CreateDatasetGroup.required",
                               covers=("CreateDatasetGroup.name.required",))
    assert stamp_case(minimal, SPEC, PREFIX, "r").params == {"name": PREFIX + "g"}


def _run_through(safe, operations):
    from personalize_conformance.runner.stateless import run_stateless
    return run_stateless(SPEC, safe, run_seed=3, examples=3, operations=operations)


def test_off_aws_creates_go_out_as_generated_and_teardown_finds_them_by_their_answers(tmp_path):
    emulator = Emulator(timing="immediate")
    with BrokenServer(proxy(emulator)) as server:
        options = RunOptions(target=server.url, seed=3, examples=3, run_id="stamp-run", out_dir=str(tmp_path),
                             operations=["CreateDatasetGroup", "CreateSchema"], progress=False)
        doc, _ = conformance_run(options)
    created = [c for c in doc["cases"] if c["response"] and c["response"]["status"] == 200
               and c["operation"].startswith("Create")]
    assert created, "the run created something"
    assert not any(json.loads(c["body"])["name"].startswith("pc-") for c in created if c["family"] != "lifecycle")
    assert doc["teardown"]["status"] == "done" and doc["teardown"]["created"] == len(created)
    assert doc["coverage"]["overall"]["boundary_pct"] == 100.0


def test_stamped_as_on_aws_every_create_carries_the_run_id_where_no_edge_is_at_stake():
    from personalize_conformance.runner.safety import SafeTarget
    from personalize_conformance.strategies.coverage import coverage
    from personalize_conformance.targets import make_target
    safe = SafeTarget(make_target("emulator", emulator_options={"timing": "immediate"}), SPEC, "stamp-run",
                      stamp=True)
    records = _run_through(safe, ["CreateDatasetGroup", "CreateSchema"])
    created = [r for r in records if r.response is not None and r.response.status == 200]
    assert created
    for record in created:
        params, aimed = record.case.params, record.case.rule or ""
        if ".name." not in aimed:
            assert params["name"].startswith("pc-stamp-run-"), record.case.rule
        if record.case.operation == "CreateDatasetGroup" and ".tags" not in aimed and aimed != "CreateDatasetGroup.required":
            assert {"tagKey": TAG_KEY, "tagValue": "stamp-run"} in params["tags"], record.case.rule
    report = coverage(SPEC, [(r.case, r.response is not None) for r in records], ["CreateDatasetGroup", "CreateSchema"])
    assert report["overall"]["boundary_pct"] == 100.0 and report["overall"]["invalid_pct"] == 100.0
