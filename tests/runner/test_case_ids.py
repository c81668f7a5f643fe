"""`replay CASE_ID` names one case: a run's ids are distinct, and the same seed gives the same ids."""
from __future__ import annotations

import functools
from collections import Counter

from personalize_conformance.checks import Finding
from personalize_conformance.runner import RunOptions, case_ids, conformance_run
from personalize_conformance.runner.lifecycle import lifecycle_stage
from personalize_conformance.runner.records import CaseRecord
from personalize_conformance.strategies import Case

# Creates, a Describe the lifecycle polls with one body over and over, a List: bodies repeat.
OPERATIONS = ["CreateDatasetGroup", "CreateSchema", "DescribeDatasetGroup", "ListDatasetGroups", "DeleteDatasetGroup"]


def _records(n: int = 4):
    """The same request `n` times, as a lifecycle poll sends it."""
    out = []
    for _ in range(n):
        case = Case.from_params("DescribeDatasetGroup", {"datasetGroupArn": "arn:x"}, family="lifecycle")
        out.append(CaseRecord(case, None, [Finding("wire.request-id", "pass", case_id=case.case_id)]))
    return out


def test_the_same_request_sent_again_gets_an_id_of_its_own():
    records = _records()
    assert len({r.case.case_id for r in records}) == 1  # by content alone, one id for four cases
    case_ids.assign(records, seed=1)
    ids = [r.case.case_id for r in records]
    assert len(set(ids)) == 4 and all(i.startswith("DescribeDatasetGroup-lifecycle-") for i in ids)
    assert [r.findings[0].case_id for r in records] == ids


def test_ids_follow_the_seed_and_the_worker():
    def ids(seed, worker=None):
        records = _records()
        case_ids.assign(records, seed=seed, worker=worker)
        return [r.case.case_id for r in records]
    assert ids(1) == ids(1)
    assert set(ids(1)).isdisjoint(ids(2))
    assert set(ids(1, "gw0")).isdisjoint(ids(1, "gw1"))  # two workers' reports merge without clashes


def test_one_case_behind_two_records_gives_two_ids():
    case = Case.from_params("ListSchemas", {})
    records = [CaseRecord(case, None, []), CaseRecord(case, None, [])]
    case_ids.assign(records, seed=1)
    assert records[0].case.case_id != records[1].case.case_id


def _run(tmp_path, name):
    stage = functools.partial(lifecycle_stage, types=["dataset-group"])
    doc, _ = conformance_run(RunOptions(seed=99, examples=3, operations=OPERATIONS, out_dir=str(tmp_path),
                                        run_id=name, progress=False), stages=[stage])
    return doc


def test_a_runs_case_ids_are_distinct_and_a_second_run_with_its_seed_gives_the_same(tmp_path):
    first, second = _run(tmp_path, "first"), _run(tmp_path, "second")
    ids = [c["case_id"] for c in first["cases"]]
    bodies = Counter((c["operation"], c["body"]) for c in first["cases"])
    assert max(bodies.values()) > 1  # requests did repeat: ids by content would clash here
    assert len(set(ids)) == len(ids)
    assert [c["case_id"] for c in second["cases"]] == ids
