"""The same target through either door - in-process or over its own server - gets the same
verdicts, operation by operation and check by check."""
from __future__ import annotations

import json

import pytest

from personalize_conformance.runner import RunOptions, conformance_run
from personalize_conformance.targets import make_target

SEED = 5
# Wire, schema, paging and lifecycle defects on a few operations, so the comparison has FAIL and
# NOT IMPLEMENTED rows to agree on, not only PASS.
# (None slows a lifecycle down: a status fault would have every scenario poll until it gives up.)
FAULTS = ("server-error:ListRecipes", "unknown-operation:ListRecommenders", "no-request-id:DescribeSchema", "multibyte-500:CreateSchema",
          "page-overlap:ListDatasetGroups", "iso-timestamps:DescribeRecipe", "null-members:ListSchemas")


def _verdicts(tmp_path, target, **emulator_options):
    doc, _ = conformance_run(RunOptions(target=target, seed=SEED, examples=1, out_dir=str(tmp_path / target),
                                        progress=False, timeout=30, emulator_options=emulator_options))
    operations = {name: (row["status"], row["checks"]) for name, row in doc["operations"].items()}
    lifecycles = {rtype: {family: s["verdict"] for family, s in data["scenarios"].items()}
                  for rtype, data in doc.get("lifecycles", {}).get("resources", {}).items()}
    return operations, lifecycles


def _statuses(operations) -> set:
    return {status for status, _ in operations.values()}


@pytest.mark.slow
def test_moto_in_process_and_moto_server_give_the_same_verdicts(tmp_path):
    inside, inside_lifecycles = _verdicts(tmp_path, "moto")
    server, server_lifecycles = _verdicts(tmp_path, "moto-server")
    assert inside["CreateDatasetGroup"][0] == "NOT IMPLEMENTED"
    assert {"FAIL", "NOT IMPLEMENTED"} <= _statuses(inside)
    assert server == inside
    assert server_lifecycles == inside_lifecycles


@pytest.mark.slow
def test_the_emulator_in_process_and_over_http_give_the_same_verdicts(tmp_path):
    inside, inside_lifecycles = _verdicts(tmp_path, "emulator", faults=FAULTS)
    server, server_lifecycles = _verdicts(tmp_path, "emulator-server", faults=FAULTS)
    assert {"PASS", "FAIL", "NOT IMPLEMENTED"} <= _statuses(inside)
    assert server == inside
    assert server_lifecycles == inside_lifecycles


# -- why moto's two doors used to differ --------------------------------------------------------------

def test_an_operation_moto_lacks_gets_the_same_answer_through_either_door():
    """moto's stock server hides the NotImplementedError behind Flask's generic HTML 500 page, which
    says nothing a client could tell from a server fault; the harness's server answers moto's text."""
    body = json.dumps({"name": "g"}).encode()
    answers = {}
    for name in ("moto", "moto-server"):
        target = make_target(name, timeout=10)
        try:
            answers[name] = target.send("CreateDatasetGroup", body)
        finally:
            target.close()
    inside, server = answers["moto"], answers["moto-server"]
    assert inside.status == server.status == 500
    assert inside.body == server.body == b"NotImplementedError: The create_dataset_group action has not been implemented"
    assert inside.headers["content-type"] == server.headers["content-type"]


def test_the_comparison_sees_a_difference_between_doors(tmp_path):
    """The same comparison, one door with a defect the other lacks: the verdicts differ."""
    def verdicts(target, **options):
        doc, _ = conformance_run(RunOptions(target=target, seed=SEED, examples=1, out_dir=str(tmp_path / target),
                                            operations=["DescribeSchema", "ListSchemas"], progress=False,
                                            emulator_options=options))
        return {name: (row["status"], row["checks"]) for name, row in doc["operations"].items()}
    assert verdicts("emulator") != verdicts("emulator-server", faults=("no-request-id:ListSchemas",))
