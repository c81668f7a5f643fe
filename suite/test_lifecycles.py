"""Lifecycle, state and cross-resource contracts, one test per contract family and resource type.

`pytest --target moto -k schema` runs the schema's; without --target they run on the bundled
emulator. Findings go into the run's records and `result.extra["lifecycles"]` (the per-resource
view of the paths observed), so the report shows them.
"""
import pytest

from personalize_conformance import contracts
from personalize_conformance.runner.cleanup import teardown
from personalize_conformance.runner.lifecycle import (BLOCKED, ERROR, FAIL, NOT_IMPLEMENTED, NOT_RUN, UNAVAILABLE, finish,
                              record_scenario, run_scenario)
from personalize_conformance.runner.lifecycle_driver import Driver
from personalize_conformance.runner.lifecycle_families import applies

pytestmark = pytest.mark.conformance

TYPES = contracts.creation_order()


def _types(family):
    return [t for t in TYPES if applies(family, t)]


@pytest.fixture(scope="module")
def driver(conformance):
    driver = Driver(conformance.spec, conformance.target, seed=conformance.seed, records=conformance.result.records)
    yield driver
    report = teardown(conformance.target, driver.created, policy=driver.poll_policy)
    finish(conformance.result, driver, report)


def _check(conformance, driver, family, resource):
    first = len(driver.records)
    result = run_scenario(driver, family, resource)
    for record in driver.records[first:]:
        name = record.case.operation
        conformance.result.operations.setdefault(name, conformance.spec.operation(name))
    record_scenario(conformance.result, result, driver)
    if result.verdict == NOT_IMPLEMENTED:
        pytest.skip(result.reason)
    if result.verdict == NOT_RUN:
        pytest.skip(f"NOT RUN: {result.reason}")
    if result.verdict in (FAIL, ERROR, UNAVAILABLE, BLOCKED):
        lines = [f"{family} contracts on {resource}: {result.verdict} {result.reason}".rstrip()]
        for failure in [f for f in result.failures if f["outcome"] != "warn"][:3]:
            lines += [f"{failure['rule']}: {failure['message']}", f"  rule source: {failure['source']}",
                      f"  replay (hypothesis seed {failure.get('hypothesis_seed')}):", failure.get("boto3", "")]
        pytest.fail("\n".join(lines), pytrace=False)


@pytest.mark.parametrize("resource", _types("lifecycle"))
def test_lifecycle(conformance, driver, resource):
    """create → poll → describe/list → stop/start → update → tag → delete → gone."""
    _check(conformance, driver, "lifecycle", resource)


@pytest.mark.parametrize("resource", _types("reference"))
def test_missing_reference_is_refused(conformance, driver, resource):
    _check(conformance, driver, "reference", resource)


@pytest.mark.parametrize("resource", _types("uniqueness"))
def test_duplicate_is_refused(conformance, driver, resource):
    _check(conformance, driver, "uniqueness", resource)


@pytest.mark.parametrize("resource", _types("dependency"))
def test_dependants_and_inactive_parents_are_respected(conformance, driver, resource):
    _check(conformance, driver, "dependency", resource)


@pytest.mark.parametrize("resource", _types("pagination"))
def test_pagination_returns_each_item_once(conformance, driver, resource):
    _check(conformance, driver, "pagination", resource)


@pytest.mark.parametrize("resource", _types("tags"))
def test_tags_round_trip(conformance, driver, resource):
    _check(conformance, driver, "tags", resource)


@pytest.mark.parametrize("resource", _types("update"))
def test_update_is_reflected(conformance, driver, resource):
    _check(conformance, driver, "update", resource)
