"""Resources a strategy may point at: existing ones from a pool, or well-formed ones that are missing.

A request member that references another resource (`datasetGroupArn`, `schemaArn`, ...) is only
interesting against a target when the test decides which of the two it wants: an ARN the target
knows, to reach the operation's logic, or one it cannot know, to reach its not-found path. The
lifecycle stage creates resources and fills a pool; strategies draw from it.
"""
from __future__ import annotations

import re
from typing import Iterable, Protocol

ACCOUNT = "123456789012"
REGION = "us-east-1"
PARTITION = "aws"


class ResourcePool(Protocol):
    """What strategies need from whoever created resources on the target."""

    def arns(self, kind: str) -> tuple[str, ...]:
        """ARNs of existing resources of `kind` (`dataset-group`, `schema`, ...), oldest first."""


class StaticPool:
    """A pool filled by hand or by a lifecycle run: `pool.add("schema", arn)`."""

    def __init__(self, resources: dict[str, Iterable[str]] | None = None):
        self._by_kind: dict[str, list[str]] = {k: list(v) for k, v in (resources or {}).items()}

    def add(self, kind: str, arn: str) -> None:
        arns = self._by_kind.setdefault(kind, [])
        if arn not in arns:
            arns.append(arn)

    def discard(self, arn: str) -> None:
        for arns in self._by_kind.values():
            if arn in arns:
                arns.remove(arn)

    def arns(self, kind: str) -> tuple[str, ...]:
        return tuple(self._by_kind.get(kind, ()))

    def kinds(self) -> tuple[str, ...]:
        return tuple(k for k, v in self._by_kind.items() if v)

    def __repr__(self) -> str:
        return f"StaticPool({ {k: len(v) for k, v in self._by_kind.items()} })"


EMPTY_POOL = StaticPool()

# How each resource kind's ARN is formed after `arn:aws:personalize:<region>:<account>:`; `{name}`
# is a resource name, `{group}` a dataset group's name, `{id}` eight hex digits.
ARN_FORMS = {
    "dataset-group": "dataset-group/{name}",
    "dataset": "dataset/{group}/{dataset_type}",
    "schema": "schema/{name}",
    "dataset-import-job": "dataset-import-job/{name}",
    "dataset-export-job": "dataset-export-job/{name}",
    "solution": "solution/{name}",
    "solution-version": "solution/{name}/{id}",
    "campaign": "campaign/{name}",
    "filter": "filter/{name}",
    "event-tracker": "event-tracker/{id}",
    "recommender": "recommender/{name}",
    "batch-inference-job": "batch-inference-job/{name}",
    "batch-segment-job": "batch-segment-job/{name}",
    "metric-attribution": "metric-attribution/{name}",
    "data-deletion-job": "data-deletion-job/{name}",
}

# Kinds `TagResource` and friends accept: those whose Create operation takes tags.
TAGGABLE = ("dataset-group", "dataset", "dataset-import-job", "dataset-export-job", "solution",
            "solution-version", "campaign", "filter", "event-tracker", "recommender",
            "batch-inference-job", "batch-segment-job", "data-deletion-job")


_PERSONALIZE_ARN = re.compile(r"arn:[a-z0-9-]+:personalize:[a-z0-9-]+:\d{12}:[a-z-]+/[^\s\"]+")


def kind_of(arn_text: str) -> str | None:
    """The resource kind an ARN names (`solution/x/1a2b3c4d` is a solution version)."""
    resource = arn_text.split(":", 5)[-1]
    parts = resource.split("/")
    if parts[0] == "solution" and len(parts) == 3:
        return "solution-version"
    return parts[0] if parts[0] in ARN_FORMS else None


def observe(pool: StaticPool, operation: str, status: int, body: bytes, request: dict | None) -> None:
    """Keep what the run itself created: the resource ARNs in a successful Create's answer join
    the pool, and the resource a successful Delete named leaves it. Resources a List or Describe
    shows are never taken: on a real account they are the user's, and a later Delete or Update
    case must not touch them."""
    if status != 200:
        return
    if operation.startswith("Delete") and isinstance(request, dict):
        for value in request.values():
            if isinstance(value, str):
                pool.discard(value)
        return
    if not operation.startswith("Create"):
        return
    for found in _PERSONALIZE_ARN.findall(body.decode("utf-8", "replace")):
        kind = kind_of(found)
        if kind is not None and "absent-" not in found:
            pool.add(kind, found)


def arn(kind: str, *, name: str = "missing", group: str = "missing", dataset_type: str = "INTERACTIONS",
        id: str = "0badf00d", region: str = REGION, account: str = ACCOUNT) -> str:
    resource = ARN_FORMS[kind].format(name=name, group=group, dataset_type=dataset_type, id=id)
    return f"arn:{PARTITION}:personalize:{region}:{account}:{resource}"
