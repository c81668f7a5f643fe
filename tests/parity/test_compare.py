"""Comparing exchanges: what a client would notice is a difference, under the right operation;
what only a run's own values change is not."""
import copy

from personalize_conformance.parity.compare import DIFFERENT, IDENTICAL, NOT_COMPARABLE, Deviation, compare
from personalize_conformance.parity.snapshot import Exchange

DESCRIBE = Exchange(operation="DescribeSchema", request={"schemaArn": "<schema:1>"}, status=200, error=None,
                    content_type="application/x-amz-json-1.1",
                    response={"schema": {"name": "<name:1>", "schemaArn": "<schema:1>", "schema": "{}",
                                         "domain": "ECOMMERCE", "creationDateTime": 0.0}})
POLL = Exchange(operation="DescribeDatasetGroup", request={"datasetGroupArn": "<dataset-group:1>"}, status=200,
                error=None, content_type="application/x-amz-json-1.1",
                response={"datasetGroup": {"status": "ACTIVE"}},
                poll={"resource": "dataset-group", "action": "create", "member": "status",
                      "statuses": ["CREATE PENDING", "CREATE IN_PROGRESS", "ACTIVE"]})
ERROR = Exchange(operation="DescribeSchema", request={"schemaArn": "<schema:9>"}, status=400,
                 error="ResourceNotFoundException", content_type="application/x-amz-json-1.1", response=None)


def _changed(exchange, **changes):
    out = copy.deepcopy(exchange)
    for key, value in changes.items():
        setattr(out, key, value)
    return out


def test_an_identical_exchange_is_identical():
    assert compare(0, DESCRIBE, copy.deepcopy(DESCRIBE)).outcome == IDENTICAL


def test_a_removed_member_is_a_difference_of_its_operation():
    replayed = copy.deepcopy(DESCRIBE)
    del replayed.response["schema"]["domain"]
    verdict = compare(0, DESCRIBE, replayed)
    assert (verdict.outcome, verdict.operation) == (DIFFERENT, "DescribeSchema")
    assert any("$.schema.domain: missing" in d for d in verdict.differences)


def test_a_member_of_another_type_is_a_difference():
    replayed = copy.deepcopy(DESCRIBE)
    replayed.response["schema"]["domain"] = None
    assert any("string → null" in d for d in compare(0, DESCRIBE, replayed).differences)


def test_a_renamed_status_is_a_difference_even_when_the_walk_rests():
    replayed = _changed(POLL, poll={**POLL.poll, "statuses": ["PENDING", "IN PROGRESS", "ACTIVE"]})
    verdict = compare(3, POLL, replayed)
    assert (verdict.outcome, verdict.operation) == (DIFFERENT, "DescribeDatasetGroup")
    assert any("neither the record nor the lifecycle knows: PENDING, IN PROGRESS" in d for d in verdict.differences)


def test_a_walk_that_skips_states_but_rests_where_the_record_did_is_identical():
    replayed = _changed(POLL, poll={**POLL.poll, "statuses": ["ACTIVE"]})
    assert compare(3, POLL, replayed).outcome == IDENTICAL


def test_a_walk_that_rests_elsewhere_is_a_difference():
    replayed = _changed(POLL, poll={**POLL.poll, "statuses": ["CREATE PENDING", "CREATE FAILED"]})
    assert compare(3, POLL, replayed).outcome == DIFFERENT


def test_a_changed_error_code_or_status_is_a_difference():
    verdict = compare(0, ERROR, _changed(ERROR, error="InvalidInputException"))
    assert verdict.outcome == DIFFERENT and any("error code" in d for d in verdict.differences)
    verdict = compare(0, ERROR, _changed(ERROR, status=404))
    assert verdict.outcome == DIFFERENT and any("HTTP status 400 → 404" in d for d in verdict.differences)


def test_a_changed_content_type_is_a_difference():
    assert compare(0, DESCRIBE, _changed(DESCRIBE, content_type="text/html")).outcome == DIFFERENT


def test_timestamp_values_are_not_compared_but_their_type_is():
    replayed = copy.deepcopy(DESCRIBE)
    replayed.response["schema"]["creationDateTime"] = 1.0
    assert compare(0, DESCRIBE, replayed).outcome == IDENTICAL
    replayed.response["schema"]["creationDateTime"] = "2023-10-27T00:00:00Z"
    assert compare(0, DESCRIBE, replayed).outcome == DIFFERENT


def test_list_items_compare_as_a_set():
    listing = _changed(DESCRIBE, operation="ListSchemas", response={"schemas": [{"schemaArn": "<schema:1>"},
                                                                                {"schemaArn": "<schema:2>"}]})
    reordered = _changed(listing, response={"schemas": [{"schemaArn": "<schema:2>"}, {"schemaArn": "<schema:1>"}]})
    assert compare(0, listing, reordered).outcome == IDENTICAL
    fewer = _changed(listing, response={"schemas": [{"schemaArn": "<schema:1>"}]})
    assert compare(0, listing, fewer).outcome == DIFFERENT


def test_a_known_deviation_covers_its_path_and_nothing_else():
    replayed = copy.deepcopy(DESCRIBE)
    replayed.response["schema"]["domain"] = None
    replayed.response["schema"]["name"] = "<name:7>"
    deviation = Deviation("DescribeSchema", "$.schema.domain", "this emulator writes null for an absent domain")
    verdict = compare(0, DESCRIBE, replayed, deviations=(deviation,))
    assert verdict.outcome == DIFFERENT and len(verdict.skipped) == 1
    assert all("domain" not in d for d in verdict.differences)


def test_an_exchange_not_sent_or_not_implemented_is_not_comparable():
    assert compare(0, DESCRIBE, "not sent: it needs <schema:1>").outcome == NOT_COMPARABLE
    assert compare(0, DESCRIBE, _changed(DESCRIBE, status=500, error="HTTP 500"),
                   not_implemented=True).outcome == NOT_COMPARABLE
