"""Record a target, compare a target: whole runs on the bundled emulator and on moto, traffic
imported from elsewhere, and the command line's answers."""
import json
import logging

import boto3
import pytest

from personalize_conformance.cli.main import main
from personalize_conformance.parity import importers, snapshot
from personalize_conformance.parity.record import scenario_names
from personalize_conformance.parity.session import compare_with, record_to
from personalize_conformance.specs import load_spec
from personalize_conformance.targets import make_target
from personalize_conformance.targets.har_recorder import RecordingTarget

SPEC = load_spec(None)
SCHEMA_OPERATIONS = {"CreateSchema", "DescribeSchema", "ListSchemas", "DeleteSchema"}
FEW = ["lifecycle/dataset-group", "lifecycle/solution-version", "dependency/dataset", "pagination/schema",
       "errors/invalid-name", "errors/unknown-operation"]


@pytest.fixture(scope="module")
def emulator_snapshots(tmp_path_factory):
    folder = tmp_path_factory.mktemp("parity") / "emulator"
    record_to(folder, SPEC, make_target("emulator"))
    return folder


@pytest.mark.slow
def test_the_emulator_compared_with_its_own_record_is_identical_twice_in_a_row(emulator_snapshots, tmp_path):
    for attempt in range(2):
        doc, _ = compare_with(emulator_snapshots, SPEC, make_target("emulator"), out_dir=tmp_path / str(attempt))
        section = doc["parity"]
        assert (section["different"], section["not comparable"]) == (0, 0), section["scenarios"]
        assert section["score"] == 1.0 and section["identical"] > 500


@pytest.mark.slow
def test_every_operation_of_the_spec_is_in_the_scenario_set(emulator_snapshots):
    _, scenarios = snapshot.read(emulator_snapshots)
    sent = {ex.operation for s in scenarios for ex in s.exchanges}
    assert set(SPEC.operations) <= sent
    assert [s.name for s in scenarios] == scenario_names(SPEC)


def test_two_records_of_one_target_are_the_same_bytes(tmp_path):
    """Nothing run-specific leaks into a snapshot: ARNs, names, ids, tokens, times."""
    for name in ("a", "b"):
        record_to(tmp_path / name, SPEC, make_target("emulator"), scenarios=FEW)
    for path in sorted((tmp_path / "a").iterdir()):
        if path.name != "manifest.json":
            assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes(), path.name


@pytest.mark.slow
def test_moto_differs_on_the_schema_operations_and_cannot_be_compared_on_the_rest(emulator_snapshots, tmp_path):
    doc, _ = compare_with(emulator_snapshots, SPEC, make_target("moto"), out_dir=tmp_path)
    operations = doc["parity"]["operations"]
    different = {op for op, row in operations.items() if row["verdict"] == "different"}
    not_comparable = {op for op, row in operations.items() if row["verdict"] == "not comparable" and op in SPEC.operations}
    assert different == SCHEMA_OPERATIONS
    assert len(not_comparable) == len(SPEC.operations) - 4 == 67
    texts = [d for verdicts in doc["parity"]["scenarios"].values() for v in verdicts for d in v["differences"]]
    assert any("domain: not in the record (null)" in t for t in texts)
    assert any(t.startswith("content type application/x-amz-json-1.1 →") for t in texts)


def test_a_comparison_writes_a_parity_section_in_every_report(tmp_path):
    record_to(tmp_path / "snaps", SPEC, make_target("emulator"), scenarios=FEW[:1])
    doc, out = compare_with(tmp_path / "snaps", SPEC, make_target("moto"), out_dir=tmp_path / "reports")
    written = json.loads((out / "results.json").read_text())
    assert written["parity"]["operations"]["CreateDatasetGroup"]["verdict"] == "not comparable"
    assert "## Parity" in (out / "summary.md").read_text()
    assert 'testsuite name="parity"' in (out / "junit.xml").read_text()
    assert "Parity with recorded snapshots" in (out / "index.html").read_text()


def test_a_har_file_imports_as_snapshots_that_replay_identically(tmp_path):
    har = tmp_path / "traffic.har"
    recorder = RecordingTarget(make_target("emulator"), har)
    record_to(tmp_path / "unused", SPEC, recorder, scenarios=["lifecycle/dataset-group"])
    recorder.save()
    scenario = importers.from_har(har)
    assert [e.operation for e in scenario.exchanges][:2] == ["CreateDatasetGroup", "DescribeDatasetGroup"]
    snapshot.write(tmp_path / "imported", [scenario], target="imported")
    doc, _ = compare_with(tmp_path / "imported", SPEC, make_target("emulator"), out_dir=tmp_path / "r")
    assert doc["parity"]["different"] == 0 and doc["parity"]["identical"] == len(scenario.exchanges)


def test_a_botocore_debug_log_imports_as_snapshots(tmp_path):
    from personalize_conformance.emulator import serve
    server = serve(port=0, timing="immediate")
    log = tmp_path / "botocore.log"
    handler = logging.FileHandler(log)
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s [%(levelname)s] %(message)s"))
    logger = logging.getLogger("botocore")
    old = logger.level
    logger.setLevel(logging.DEBUG)
    logger.addHandler(handler)
    try:
        client = boto3.client("personalize", endpoint_url=server.url, region_name="us-east-1",
                              aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret")
        arn = client.create_dataset_group(name="pc0a0b0c-1")["datasetGroupArn"]
        client.describe_dataset_group(datasetGroupArn=arn)
        with pytest.raises(client.exceptions.ResourceNotFoundException):
            client.describe_dataset_group(datasetGroupArn=arn + "x")
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old)
        handler.close()
        server.shutdown()
    scenario = importers.from_botocore_log(log)
    assert [(e.operation, e.status, e.error) for e in scenario.exchanges] == [
        ("CreateDatasetGroup", 200, None), ("DescribeDatasetGroup", 200, None),
        ("DescribeDatasetGroup", 400, "ResourceNotFoundException")]
    assert scenario.exchanges[1].response["datasetGroup"]["datasetGroupArn"] == "<dataset-group:1>"


def test_the_commands_record_compare_and_refuse_what_they_cannot_read(tmp_path, capsys):
    assert main(["record", "--target", "emulator", "--out", str(tmp_path / "s"),
                 "--scenario", "lifecycle/schema"]) == 0
    assert main(["compare", "--snapshots", str(tmp_path / "s"), "--target", "emulator",
                 "--out", str(tmp_path / "r")]) == 0
    assert main(["compare", "--snapshots", str(tmp_path / "s"), "--target", "moto",
                 "--out", str(tmp_path / "r")]) == 1
    assert main(["compare", "--snapshots", str(tmp_path / "nothing"), "--target", "emulator"]) == 2
    assert main(["record", "--out", str(tmp_path / "x"), "--scenario", "lifecycle/unicorn"]) == 2
    assert main(["import", str(tmp_path / "missing.har"), "--out", str(tmp_path / "i")]) == 2
    assert "no manifest.json" in capsys.readouterr().err


def test_record_plan_lists_what_each_scenario_creates_and_sends_nothing(capsys):
    assert main(["record", "--plan", "--out", "unused", "--target", "aws"]) == 0
    out = capsys.readouterr().out
    assert "lifecycle/campaign" in out and "creates campaign ← solution-version" in out


def test_the_observed_aws_corpus_imports_as_snapshots_matched_by_operation(tmp_path):
    from personalize_conformance.parity.shapes import compare_observed
    scenarios = importers.from_observations()
    assert len(scenarios) > 20 and all(s.outcome == importers.OBSERVED for s in scenarios)
    kinds = {("poll" if e.poll else "error" if e.error else "response") for s in scenarios for e in s.exchanges}
    assert kinds == {"poll", "error", "response"}
    walk = next(e for s in scenarios for e in s.exchanges
                if e.poll and e.poll["resource"] == "batch-inference-job")
    ours = snapshot.Exchange("DescribeBatchInferenceJob", {}, 200, None, None, {},
                             poll={**walk.poll, "statuses": ["PENDING", "IN PROGRESS", "ACTIVE"]})
    verdict = compare_observed(snapshot.Scenario("x", [walk]), [ours])[0]
    assert verdict["outcome"] == "different" and "CREATE PENDING" in verdict["differences"][0]
    theirs = snapshot.Exchange("DescribeBatchInferenceJob", {}, 200, None, None, {},
                               poll={**walk.poll, "statuses": ["CREATE PENDING", "CREATE IN_PROGRESS", "ACTIVE"]})
    assert compare_observed(snapshot.Scenario("x", [walk]), [theirs])[0]["outcome"] == "identical"


def test_an_observed_response_differs_only_by_what_the_target_lacks():
    from personalize_conformance.parity.shapes import compare_observed
    observed = snapshot.Exchange("DescribeCampaign", {}, 200, None, None,
                                 {"campaign": {"campaignArn": "<campaign:1>", "campaignConfig": {}}})
    lacking = snapshot.Exchange("DescribeCampaign", {}, 200, None, None, {"campaign": {"campaignArn": "<campaign:3>",
                                                                                      "newer": 1}})
    verdict = compare_observed(snapshot.Scenario("x", [observed]), [lacking])[0]
    assert verdict["differences"] == ["$.campaign.campaignConfig: AWS answers it, the target does not"]
    fuller = snapshot.Exchange("DescribeCampaign", {}, 200, None, None,
                               {"campaign": {"campaignArn": "<campaign:2>", "campaignConfig": {}, "newer": 1}})
    assert compare_observed(snapshot.Scenario("x", [observed]), [lacking, fuller])[0]["outcome"] == "identical"
    assert compare_observed(snapshot.Scenario("x", [observed]), [])[0]["outcome"] == "not comparable"


@pytest.mark.slow
def test_compare_with_the_observed_corpus_says_how_close_the_emulator_is_to_aws(tmp_path, capsys):
    assert main(["import", "--observations", "--out", str(tmp_path / "observed")]) == 0
    code = main(["compare", "--snapshots", str(tmp_path / "observed"), "--target", "emulator",
                 "--out", str(tmp_path / "r"), "--run-id", "observed"])
    section = json.loads((tmp_path / "r" / "observed" / "results.json").read_text())["parity"]
    assert section["recorded_target"] == "observed AWS" and section["identical"] > 400
    assert code == (1 if section["different"] else 0)
