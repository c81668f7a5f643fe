"""Service quotas as data (``quotas.yaml``): a create past one answers LimitExceededException.

AWS counts some resources while they exist (five active dataset groups per region) and some only
while they run (five dataset import jobs pending or in progress). Both are counted here from the
store, at the moment of the create, after the request is otherwise known to be good.
"""
from __future__ import annotations

import pathlib
from dataclasses import dataclass
from functools import lru_cache

import yaml

from .catalogue import BY_KEY
from .errors import ApiError

HERE = pathlib.Path(__file__).resolve().parent
# Statuses in which a resource no longer counts as active.
INACTIVE_PREFIXES = ("DELETE",)
FAILED = ("CREATE FAILED", "FAILED")


@dataclass(frozen=True)
class Quota:
    kind: str
    per: str                       # "region", or the parent member that scopes the count
    counts: str | tuple[str, ...]  # "active", or the statuses that count
    limit: int
    quota: str                     # the documentation's wording
    message: str | None = None     # the documented error message, where there is one

    def counted(self, res) -> bool:
        status = res.status or ""
        if self.counts == "active":
            return not status.startswith(INACTIVE_PREFIXES) and status not in FAILED
        return status in self.counts

    def error(self) -> ApiError:
        if self.message:
            return limit_exceeded(self.message)
        if self.counts != "active":
            return limit_exceeded(f"More than {self.limit} resources with PENDING or IN_PROGRESS "
                                  f"status.")
        scope = "per region" if self.per == "region" else "per dataset group"
        return limit_exceeded(f"The {BY_KEY[self.kind].label} cannot be created: "
                              f"{self.quota.rstrip('.')} is {self.limit} {scope}.")


def limit_exceeded(message: str) -> ApiError:
    return ApiError("LimitExceededException", message)


@lru_cache(maxsize=1)
def load() -> tuple[Quota, ...]:
    rows = yaml.safe_load((HERE / "quotas.yaml").read_text(encoding="utf-8"))
    quotas = []
    for row in rows:
        if row["kind"] not in BY_KEY:
            raise ValueError(f"quotas.yaml: unknown kind {row['kind']!r}")
        counts = row["counts"] if row["counts"] == "active" else tuple(row["counts"])
        quotas.append(Quota(row["kind"], row["per"], counts, int(row["limit"]), row["quota"],
                            row.get("message")))
    return tuple(quotas)


class Quotas:
    """The quotas of one emulator; ``check`` raises LimitExceededException for a create that
    would go past one. ``Quotas(())`` enforces nothing (``--no-quotas``)."""

    def __init__(self, quotas: tuple[Quota, ...]):
        self.by_kind: dict[str, list[Quota]] = {}
        for quota in quotas:
            self.by_kind.setdefault(quota.kind, []).append(quota)

    def check(self, kind: str, values: dict, existing) -> None:
        """``values``: the new resource's members and references; ``existing``: its settled
        siblings of the same kind, in the same account and region."""
        for quota in self.by_kind.get(kind, ()):
            if quota.per == "region":
                peers = existing
            else:
                scope = values.get(quota.per)
                if scope is None:
                    continue
                peers = [res for res in existing if res.value(quota.per) == scope]
            if sum(1 for res in peers if quota.counted(res)) >= quota.limit:
                raise quota.error()
