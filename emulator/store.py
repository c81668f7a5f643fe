"""In-memory state: resources grouped by kind, one partition per account and region.

The store knows nothing about rules; it keeps records in creation order and finds them by
ARN. Callers hold the emulator's lock around every use.
"""
from __future__ import annotations

import itertools
from typing import Any, Iterator

from .catalogue import KINDS


class Resource:
    """One resource. ``attrs`` are wire members (what Describe shows, before filtering by the
    shape); ``refs`` are the ARNs it points at (parents, used for list filters, dependants and
    cascades); ``tracks`` are the lifecycle flows in progress."""

    __slots__ = ("kind", "arn", "attrs", "refs", "tags", "tracks", "seq", "extra", "home")

    def __init__(self, kind: str, arn: str, attrs: dict[str, Any], refs: dict[str, str],
                 tags: dict[str, str] | None = None):
        self.kind = kind
        self.arn = arn
        self.attrs = attrs
        self.refs = refs
        self.tags = dict(tags or {})
        self.tracks: dict[str, Any] = {}
        self.seq = 0
        self.extra: dict[str, Any] = {}   # kind-specific state that is not on the wire
        self.home: "Partition | None" = None   # the partition holding it; None once removed

    def value(self, member: str) -> Any:
        """A member for matching rules: the wire member, else the reference."""
        found = self.attrs.get(member)
        return self.refs.get(member) if found is None else found

    @property
    def status(self) -> str | None:
        return self.attrs.get("status")

    @property
    def busy(self) -> bool:
        """True while any flow (create, update, stop, ...) is still in progress."""
        return bool(self.tracks)


def partition_for(region: str) -> str:
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"


class Partition:
    """The resources of one account in one region."""

    def __init__(self, account: str, region: str):
        self.account = account
        self.region = region
        self.prefix = f"arn:{partition_for(region)}:personalize:{region}:{account}:"
        self.kinds: dict[str, dict[str, Resource]] = {kind.key: {} for kind in KINDS}
        self.index: dict[str, Resource] = {}
        self._seq = itertools.count(1)

    def arn(self, path: str) -> str:
        return self.prefix + path

    def add(self, res: Resource) -> Resource:
        """Store ``res``; a record with the same ARN is replaced (and moves to the end)."""
        old = self.index.get(res.arn)
        if old is not None:
            self.discard(old)
        res.seq = next(self._seq)
        res.home = self
        self.kinds[res.kind][res.arn] = res
        self.index[res.arn] = res
        return res

    def get(self, kind: str, arn: str) -> Resource | None:
        return self.kinds[kind].get(arn)

    def find(self, arn: str) -> Resource | None:
        return self.index.get(arn)

    def discard(self, res: Resource) -> None:
        if self.index.get(res.arn) is res:
            del self.index[res.arn]
            del self.kinds[res.kind][res.arn]
        res.home = None

    def all(self, kind: str) -> list[Resource]:
        return list(self.kinds[kind].values())

    def linked(self, kind: str, link: str, value: str) -> Iterator[Resource]:
        return (res for res in list(self.kinds[kind].values()) if res.refs.get(link) == value)
