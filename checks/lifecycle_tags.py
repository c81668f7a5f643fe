"""Tag contracts: what is tagged comes back, untagging removes exactly the named keys, limits hold."""
from __future__ import annotations

from .contracts import contract, expect_error
from .findings import SKIP, fail

SOURCE = "Tags: TagResource / UntagResource / ListTagsForResource on every taggable resource"


@contract("tags.round-trip", source=SOURCE)
def round_trip(*, expected, listed, how):
    if listed is None:
        yield SKIP
        return
    for key, value in sorted(expected.items()):
        if key not in listed:
            yield fail(f"tag {key!r} given {how} is missing from ListTagsForResource ({len(listed)} tags listed)")
        elif listed[key] != value:
            yield fail(f"tag {key!r} given {how} as {value!r} is listed as {listed[key]!r}")


@contract("tags.untag-exact", source=SOURCE)
def untag_exact(*, before, removed, after):
    if before is None or after is None:
        yield SKIP
        return
    still = sorted(k for k in removed if k in after)
    if still:
        yield fail(f"UntagResource of {still} answered success, yet they are still listed")
    lost = sorted(k for k in before if k not in removed and k not in after)
    if lost:
        yield fail(f"UntagResource of {sorted(removed)} also removed {lost}")


@contract("tags.limit", source=SOURCE)
def limit(*, expected, status, code, count, limit):
    yield from expect_error(expected, status, code, f"TagResource bringing a resource to {count} tags (limit {limit})")


@contract("tags.missing-arn", source=SOURCE)
def missing_arn(*, expected, status, code, operation, arn):
    yield from expect_error(expected, status, code, f"{operation} on the missing resource {arn}")
