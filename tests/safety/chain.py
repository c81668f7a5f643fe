"""A tree of resources of most types, built through a target, for teardown and sweep to remove."""
from __future__ import annotations

import json

from personalize_conformance import contracts

# Every type whose minimal request needs no chain variant (a recommender needs a Domain group).
TYPES = ("dataset-group", "schema", "dataset", "solution", "solution-version", "campaign", "filter",
         "event-tracker", "metric-attribution", "batch-inference-job", "dataset-import-job",
         "dataset-export-job", "data-deletion-job")


def build(target, prefix: str, *, tags: dict | None = None) -> dict[str, str]:
    """One resource of each of TYPES, parents first, named `prefix…`: type -> ARN."""
    arns: dict[str, str] = {}
    for key in contracts.creation_order():
        if key not in TYPES:
            continue
        rt = contracts.resource_type(key)
        parents = {member: arns[ptype] for member, ptype in rt.parents.items()}
        params = contracts.create_request(key, f"{prefix}{key}"[:63], parents,
                                          tags=tags if rt.taggable else None)
        response = target.send(rt.op("create"), json.dumps(params).encode())
        assert response.status == 200, (key, response.body)
        arns[key] = json.loads(response.body)[rt.arn]
        _settle(target, rt, arns[key])
    return arns


def _settle(target, rt, arn: str, polls: int = 50) -> None:
    """Describe until the resource rests (children need ACTIVE parents); bounded."""
    if not rt.status:
        return
    for _ in range(polls):
        body = json.loads(target.send(rt.op("describe"), json.dumps({rt.arn: arn}).encode()).body)
        status = body.get(rt.describe_key, {}).get(rt.status, "")
        if status in ("ACTIVE", "COMPLETED") or "FAILED" in status:
            return
    raise AssertionError(f"{arn} did not settle")


def remaining(target) -> dict[str, list[str]]:
    """Every resource on the target, by type, from every List operation (all pages)."""
    from personalize_conformance.runner.sweep import list_all
    out = {}
    for rt in contracts.resource_types().values():
        items = [item[rt.arn] for item in list_all(target, rt)]
        if items:
            out[rt.key] = items
    return out
