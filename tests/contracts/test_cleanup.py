"""Teardown deletes children before parents, waits out busy resources, and never raises."""
import json

from personalize_conformance.runner.cleanup import Created, teardown
from personalize_conformance.runner.lifecycle_driver import Driver
from personalize_conformance.runner.polling import PollPolicy
from personalize_conformance.specs import load_spec
from personalize_conformance.targets import TargetUnavailable, make_target

SPEC = load_spec()
QUICK = PollPolicy(max_wait=60.0, max_polls=10, delay=0.0, max_delay=0.0)


class Recording:
    """A target that remembers the order of the deletes it was sent."""

    def __init__(self, inner):
        self.inner, self.name, self.endpoint, self.deletes = inner, inner.name, inner.endpoint, []

    def send(self, operation, body, headers=None):
        if operation.startswith("Delete"):
            self.deletes.append((operation, json.loads(body)))
        return self.inner.send(operation, body, headers)


def _chain(timing="describes:1"):
    target = Recording(make_target("emulator", emulator_options={"timing": timing}))
    driver = Driver(SPEC, target, seed=1, poll=QUICK)
    campaign = driver.active("campaign")
    driver.active("event-tracker")
    dataset = driver.active("dataset")
    return target, driver, campaign, dataset


def _exists(target, operation, member, arn):
    return target.send(operation, json.dumps({member: arn}).encode()).status == 200


def test_everything_created_is_deleted_children_first():
    target, driver, campaign, _ = _chain()
    report = teardown(target, driver.created, policy=QUICK)
    assert report.ok, report.failed
    order = [op for op, _ in target.deletes]
    assert order.index("DeleteCampaign") < order.index("DeleteSolution") < order.index("DeleteDatasetGroup")
    assert order.index("DeleteDataset") < order.index("DeleteSchema")
    assert order.index("DeleteEventTracker") < order.index("DeleteDatasetGroup")
    assert not _exists(target, "DescribeCampaign", "campaignArn", campaign)
    assert len(driver.created) == len(report.left_to_parent)  # only what has no Delete stays listed


def test_a_busy_dependant_is_waited_for_before_its_parent_goes():
    target, driver, _, dataset = _chain()
    job = driver.arn_of("dataset-import-job", driver.create("dataset-import-job", {"datasetArn": dataset}))
    assert job  # left CREATE PENDING: DeleteDataset would be refused until it settles
    report = teardown(target, driver.created, policy=QUICK)
    assert report.ok, report.failed
    assert not _exists(target, "DescribeDataset", "datasetArn", dataset)


def test_bare_arns_are_enough_and_unknown_ones_are_ignored():
    target, driver, campaign, _ = _chain("immediate")
    arns = [a for _, a in driver.created.items] + ["arn:aws:personalize:::recipe/aws-sims"]
    report = teardown(target, arns, policy=QUICK)
    assert report.ok and campaign in report.deleted


def test_a_resource_that_never_goes_away_is_reported_not_raised():
    target = make_target("emulator", emulator_options={"faults": ["never-deleted"], "timing": "immediate"})
    driver = Driver(SPEC, target, seed=1, poll=QUICK)
    group = driver.active("dataset-group")
    report = teardown(target, driver.created, policy=QUICK)
    assert [arn for arn, _ in report.failed] == [group]
    assert "still there" in report.failed[0][1]


def test_an_unavailable_target_leaves_a_report_of_what_was_not_deleted():
    class Gone:
        name, endpoint = "gone", "http://127.0.0.1:9"

        def send(self, *args, **kwargs):
            raise TargetUnavailable("refused")

    created = Created()
    created.add("dataset-group", "arn:aws:personalize:us-east-1:123456789012:dataset-group/g")
    report = teardown(Gone(), created, policy=QUICK)
    assert not report.ok and "unavailable" in report.failed[0][1]


def test_poll_policy_is_bounded_configurable_and_backs_off():
    policy = PollPolicy.parse("max_wait=5,max_polls=6,delay=0.5,factor=2,max_delay=1.5")
    assert list(policy.delays()) == [0.0, 0.5, 1.0, 1.5, 1.5, 1.5]
    assert PollPolicy.for_target(type("T", (), {"name": "aws"})()).max_wait >= 3600
    env = {"PERSONALIZE_CONFORMANCE_POLL": "max_wait=3"}
    assert PollPolicy.for_target(type("T", (), {"name": "emulator"})(), env=env).max_wait == 3.0
    try:
        PollPolicy.parse("forever=1")
    except ValueError as exc:
        assert "forever" in str(exc)
    else:
        raise AssertionError("an unknown poll setting must be refused")


def test_polls_pause_only_where_a_status_moves_with_time():
    from personalize_conformance.targets import make_target
    driven = PollPolicy.for_target(make_target("emulator"), env={})
    timed = PollPolicy.for_target(make_target("emulator", emulator_options={"timing": "seconds:0.05"}), env={})
    assert set(driven.delays()) == {0.0} and len(list(driven.delays())) == driven.max_polls
    assert max(timed.delays()) > 0
