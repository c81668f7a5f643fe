"""Tags: stored at create, TagResource/UntagResource/ListTagsForResource, the 50-tag limit."""
from __future__ import annotations

import pytest

from personalize_conformance.emulator.catalogue import KINDS


def tags(n: int, prefix: str = "k") -> list[dict]:
    return [{"tagKey": f"{prefix}{i}", "tagValue": f"v{i}"} for i in range(n)]


def test_tags_given_at_create_are_stored(fast):
    arn = fast.ok("CreateDatasetGroup", name="g", tags=tags(2))["datasetGroupArn"]
    assert fast.ok("ListTagsForResource", resourceArn=arn)["tags"] == tags(2)


def test_tag_untag_and_list(world):
    c, arn = world.c, world.arns["solution"]
    c.ok("TagResource", resourceArn=arn, tags=tags(3))
    c.ok("TagResource", resourceArn=arn, tags=[{"tagKey": "k1", "tagValue": "changed"}])
    c.ok("UntagResource", resourceArn=arn, tagKeys=["k0", "not-there"])
    assert c.ok("ListTagsForResource", resourceArn=arn)["tags"] == [
        {"tagKey": "k1", "tagValue": "changed"}, {"tagKey": "k2", "tagValue": "v2"}]


def test_fifty_tags_fit_and_the_fifty_first_does_not(fast):
    arn = fast.ok("CreateDatasetGroup", name="g", tags=tags(50))["datasetGroupArn"]
    fast.ok("TagResource", resourceArn=arn, tags=[{"tagKey": "k0", "tagValue": "overwrite"}])
    assert fast.error("TagResource", resourceArn=arn, tags=tags(1, "new")) == \
        "TooManyTagsException"
    assert len(fast.ok("ListTagsForResource", resourceArn=arn)["tags"]) == 50


def test_creating_with_more_than_fifty_tags_is_too_many(fast):
    assert fast.error("CreateDatasetGroup", name="g", tags=tags(51)) == "TooManyTagsException"
    assert fast.ok("ListDatasetGroups")["datasetGroups"] == []


def test_untagging_more_than_fifty_keys_is_too_many(fast):
    arn = fast.ok("CreateDatasetGroup", name="g")["datasetGroupArn"]
    assert fast.error("UntagResource", resourceArn=arn, tagKeys=[f"k{i}" for i in range(51)]) \
        == "TooManyTagKeysException"


def test_reserved_prefix_is_invalid(fast):
    arn = fast.ok("CreateDatasetGroup", name="g")["datasetGroupArn"]
    assert fast.error("TagResource", resourceArn=arn,
                      tags=[{"tagKey": "aws:owner", "tagValue": "x"}]) == "InvalidInputException"


def test_unknown_resource_is_not_found(fast):
    arn = "arn:aws:personalize:us-east-1:123456789012:campaign/missing"
    for op, extra in (("TagResource", {"tags": tags(1)}), ("UntagResource", {"tagKeys": ["k"]}),
                      ("ListTagsForResource", {})):
        assert fast.error(op, resourceArn=arn, **extra) == "ResourceNotFoundException"


def test_untaggable_resources_are_invalid_input(world):
    c, a = world.c, world.arns
    for arn in (a["schema"], a["attribution"], "arn:aws:personalize:::recipe/aws-sims"):
        assert c.error("ListTagsForResource", resourceArn=arn) == "InvalidInputException"


@pytest.mark.parametrize("kind", [k for k in KINDS if k.info.taggable], ids=lambda k: k.key)
def test_every_taggable_kind_takes_tags(world, kind):
    key = {"dataset-group": "group", "dataset-import-job": "import",
           "dataset-export-job": "export", "solution-version": "version",
           "event-tracker": "tracker", "batch-inference-job": "batch-inference",
           "batch-segment-job": "batch-segment", "data-deletion-job": "deletion"}.get(
        kind.key, kind.key)
    arn = world.arns[key]
    world.c.ok("TagResource", resourceArn=arn, tags=tags(1))
    assert world.c.ok("ListTagsForResource", resourceArn=arn)["tags"] == tags(1)
