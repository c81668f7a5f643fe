"""Each fault does what its one-line summary says, only when asked, only where scoped."""
from __future__ import annotations

import json

import pytest

from personalize_conformance.emulator import FAULTS, Emulator

from .helpers import SCHEMA, Client, World

EXPECTED = {
    "content-type-html", "no-request-id", "server-error", "unknown-operation", "unknown-error-type", "iso-timestamps",
    "null-members", "off-schema", "no-length-check", "multibyte-500", "no-enum-check",
    "no-required-check", "backwards-transition", "unknown-status", "delete-in-use",
    "duplicate-accepted", "missing-reference-accepted", "page-overlap", "page-drop",
    "endless-token", "max-results-ignored", "tags-lost", "untag-ignored", "update-ignored",
    "never-deleted", "prefix-patterns",
    # invariants beyond one answer (tests/contracts/test_invariant_faults.py, tests/checks/test_unicode_text.py)
    "wrong-not-found", "list-ignores-filter", "timestamps-reversed", "creation-time-drifts", "arn-without-name",
    "creation-time-omitted", "names-folded", "non-ascii-mangled", "cascade-skipped", "escaped-unicode-500",
    "non-ascii-folded", "delete-statuses-renamed", "create-without-arn", "parent-not-echoed",
}
MISSING = "arn:aws:personalize:us-east-1:123456789012:dataset-group/missing"


def faulty(*faults, timing="immediate") -> Client:
    return Client(Emulator(timing=timing, faults=faults), conformance=False)


def test_the_fault_catalogue():
    assert set(FAULTS) == EXPECTED
    assert all(cls.summary for cls in FAULTS.values())


def test_faults_are_off_by_default():
    assert Emulator().faults.names == []


@pytest.mark.parametrize("spec", ["no-such-fault", "server-error:NoSuchOperation"])
def test_unknown_faults_are_rejected(spec):
    with pytest.raises(ValueError):
        Emulator(faults=[spec])


# -- wire and schema ---------------------------------------------------------------------------

def test_content_type_html():
    c = faulty("content-type-html")
    assert c.call("ListSchemas").headers["content-type"].startswith("text/html")
    assert c.call("DescribeSchema", schemaArn=MISSING).headers["content-type"] == \
        "application/x-amz-json-1.1"


def test_no_request_id():
    assert "x-amzn-requestid" not in faulty("no-request-id").call("ListSchemas").headers


def test_server_error_answers_everything_with_an_html_500():
    reply = faulty("server-error").call("ListSchemas")
    assert reply.status == 500
    assert reply.headers["content-type"].startswith("text/html")
    assert reply.body.startswith(b"<html>")


def test_unknown_operation_answers_as_for_an_operation_never_built():
    reply = faulty("unknown-operation:ListSchemas").call("ListSchemas")
    assert reply.status == 400
    assert reply.code == "UnknownOperationException" == reply.data["__type"]


def test_the_harness_reports_an_unknown_operation_as_not_implemented_not_as_a_failure(tmp_path):
    from personalize_conformance.runner import RunOptions, conformance_run
    doc, _ = conformance_run(RunOptions(target="emulator", seed=1, examples=1, out_dir=str(tmp_path),
                                        operations=["ListSchemas", "ListRecipes"], progress=False,
                                        emulator_options={"faults": ("unknown-operation:ListRecipes",)}))
    assert doc["operations"]["ListRecipes"]["status"] == "NOT IMPLEMENTED"
    assert doc["operations"]["ListSchemas"]["status"] == "PASS"


def test_faults_can_be_scoped_to_operations():
    c = faulty("server-error:CreateSchema")
    assert c.call("CreateSchema", name="s", schema=SCHEMA).status == 500
    assert c.call("ListSchemas").status == 200
    assert c.ok("ListSchemas") == {"schemas": []}


def test_unknown_error_type():
    reply = faulty("unknown-error-type").call("DescribeSchema", schemaArn=MISSING)
    assert reply.status == 400
    assert reply.code == "WeirdException" and reply.data["__type"] == "WeirdException"


def test_iso_timestamps():
    c = faulty("iso-timestamps")
    arn = c.ok("CreateDatasetGroup", name="g")["datasetGroupArn"]
    described = c.ok("DescribeDatasetGroup", datasetGroupArn=arn)["datasetGroup"]
    assert isinstance(described["creationDateTime"], str)
    assert described["creationDateTime"].endswith("Z") and "T" in described["creationDateTime"]
    listed = c.ok("ListDatasetGroups")["datasetGroups"][0]
    assert isinstance(listed["lastUpdatedDateTime"], str)


def test_null_members():
    c = faulty("null-members")
    arn = c.ok("CreateDatasetGroup", name="g")["datasetGroupArn"]
    described = c.ok("DescribeDatasetGroup", datasetGroupArn=arn)["datasetGroup"]
    assert described["domain"] is None and described["failureReason"] is None
    assert c.ok("ListDatasetGroups")["nextToken"] is None


def test_payload_faults_never_touch_stored_state():
    c = faulty("null-members", "iso-timestamps")
    group = c.ok("CreateDatasetGroup", name="g")["datasetGroupArn"]
    solution = c.ok("CreateSolution", name="s", datasetGroupArn=group,
                    recipeArn="arn:aws:personalize:::recipe/aws-sims",
                    solutionConfig={"eventValueThreshold": "1"})["solutionArn"]
    c.ok("DescribeSolution", solutionArn=solution)
    (state,) = c.emulator._partitions.values()
    stored = state.find(solution).attrs
    assert stored["solutionConfig"] == {"eventValueThreshold": "1"}
    assert isinstance(stored["creationDateTime"], float)


def test_off_schema_sends_a_string_member_as_a_number():
    c = faulty("off-schema")
    arn = c.ok("CreateSchema", name="s", schema=SCHEMA)["schemaArn"]
    assert c.ok("DescribeSchema", schemaArn=arn)["schema"]["name"] == 12345
    assert c.ok("ListSchemas")["schemas"][0]["name"] == "s"


# -- validation strategies ---------------------------------------------------------------------

def test_no_length_check():
    c = faulty("no-length-check")
    assert c.call("CreateDatasetGroup", name="a" * 100).status == 200
    assert c.call("CreateDatasetGroup", name="g", domain="RETAIL").status == 400   # enums still


def test_no_enum_check():
    c = faulty("no-enum-check")
    assert c.call("CreateDatasetGroup", name="g", domain="RETAIL").status == 200
    assert c.call("CreateDatasetGroup", name="a" * 100).status == 400


def test_no_required_check_runs_the_operation_without_the_member():
    c = faulty("no-required-check")
    reply = c.call("CreateDatasetGroup")
    assert reply.code != "InvalidInputException"
    assert reply.status == 500   # like a server that forgot its null check
    assert c.call("CreateDatasetGroup", name="a" * 100).status == 400


def test_multibyte_500():
    c = faulty("multibyte-500")
    assert c.call("CreateDatasetGroup", name="g", tags=[{"tagKey": "é", "tagValue": "v"}]
                  ).status == 500
    assert c.call("CreateDatasetGroup", name="g").status == 200


# -- contracts ---------------------------------------------------------------------------------

def test_backwards_transition():
    c = faulty("backwards-transition")
    arn = c.ok("CreateDatasetGroup", name="g")["datasetGroupArn"]
    assert c.status("DatasetGroup", arn) == "ACTIVE"
    assert c.status("DatasetGroup", arn) == "CREATE IN_PROGRESS"


def test_unknown_status():
    c = faulty("unknown-status")
    arn = c.ok("CreateDatasetGroup", name="g")["datasetGroupArn"]
    assert c.status("DatasetGroup", arn) == "CREATING"
    assert c.ok("ListDatasetGroups")["datasetGroups"][0]["status"] == "CREATING"


def test_delete_in_use():
    c = faulty("delete-in-use")
    world = World(c)
    group = world.group()
    world.dataset(group, world.schema())
    c.ok("DeleteDatasetGroup", datasetGroupArn=group)
    assert c.ok("ListDatasetGroups")["datasetGroups"] == []


def test_duplicate_accepted():
    c = faulty("duplicate-accepted")
    c.ok("CreateDatasetGroup", name="g")
    c.ok("CreateDatasetGroup", name="g")


def test_missing_reference_accepted():
    c = faulty("missing-reference-accepted")
    schema = c.ok("CreateSchema", name="s", schema=SCHEMA)["schemaArn"]
    arn = c.ok("CreateDataset", name="d", schemaArn=schema, datasetGroupArn=MISSING,
               datasetType="Users")["datasetArn"]
    assert arn.endswith("dataset/missing/USERS")
    assert c.error("DescribeDatasetGroup", datasetGroupArn=MISSING) == "ResourceNotFoundException"


def make_groups(c: Client, n: int = 5) -> list[str]:
    return [c.ok("CreateDatasetGroup", name=f"g{i}")["datasetGroupArn"] for i in range(n)]


def pages(c: Client, size: int, limit: int = 6) -> list[list[str]]:
    out, token = [], None
    for _ in range(limit):
        data = c.ok("ListDatasetGroups", maxResults=size, **({"nextToken": token} if token else {}))
        out.append([g["name"] for g in data["datasetGroups"]])
        token = data.get("nextToken")
        if token is None:
            break
    return out


def test_page_overlap():
    c = faulty("page-overlap")
    make_groups(c)
    assert pages(c, 2)[:2] == [["g0", "g1"], ["g1", "g2"]]


def test_page_drop():
    c = faulty("page-drop")
    make_groups(c)
    assert pages(c, 2) == [["g0", "g1"], ["g3", "g4"]]


def test_endless_token():
    c = faulty("endless-token")
    make_groups(c, 2)
    assert len(pages(c, 5, limit=4)) == 4
    assert "nextToken" in c.ok("ListCampaigns")


def test_max_results_ignored():
    c = faulty("max-results-ignored")
    make_groups(c)
    assert pages(c, 2) == [["g0", "g1", "g2", "g3", "g4"]]


def test_tags_lost():
    c = faulty("tags-lost")
    arn = c.ok("CreateDatasetGroup", name="g", tags=[{"tagKey": "a", "tagValue": "1"}]
               )["datasetGroupArn"]
    c.ok("TagResource", resourceArn=arn, tags=[{"tagKey": "b", "tagValue": "2"}])
    assert c.ok("ListTagsForResource", resourceArn=arn)["tags"] == [
        {"tagKey": "a", "tagValue": "1"}]


def test_untag_ignored():
    c = faulty("untag-ignored")
    arn = c.ok("CreateDatasetGroup", name="g", tags=[{"tagKey": "a", "tagValue": "1"}]
               )["datasetGroupArn"]
    c.ok("UntagResource", resourceArn=arn, tagKeys=["a"])
    assert len(c.ok("ListTagsForResource", resourceArn=arn)["tags"]) == 1


def test_update_ignored():
    c = faulty("update-ignored")
    world = World(c)
    campaign = world.campaign(world.version(world.solution(world.group())))
    c.ok("UpdateCampaign", campaignArn=campaign, minProvisionedTPS=9)
    assert c.ok("DescribeCampaign", campaignArn=campaign)["campaign"]["minProvisionedTPS"] == 1


@pytest.mark.parametrize("timing", ["immediate", "describes:1"])
def test_never_deleted(timing):
    c = faulty("never-deleted", timing=timing)
    arn = c.ok("CreateDatasetGroup", name="g")["datasetGroupArn"]
    c.wait("DatasetGroup", arn)
    c.ok("DeleteDatasetGroup", datasetGroupArn=arn)
    assert [c.status("DatasetGroup", arn) for _ in range(5)] == ["DELETE PENDING"] * 5


def test_reset_clears_state_and_fault_memory():
    c = faulty("backwards-transition")
    arn = c.ok("CreateDatasetGroup", name="g")["datasetGroupArn"]
    c.status("DatasetGroup", arn)
    c.emulator.reset()
    assert c.ok("ListDatasetGroups")["datasetGroups"] == []
    arn = c.ok("CreateDatasetGroup", name="g")["datasetGroupArn"]
    assert c.status("DatasetGroup", arn) == "ACTIVE"
    assert json.loads(json.dumps(c.emulator.faults.names)) == ["backwards-transition"]


def test_the_readme_lists_every_fault_with_its_summary():
    from pathlib import Path
    from personalize_conformance import emulator
    readme = (Path(emulator.__file__).parent / "README.md").read_text()
    for name, cls in FAULTS.items():
        assert f"| `{name}` | {cls.summary} |" in readme, name
