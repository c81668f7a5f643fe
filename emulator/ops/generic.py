"""Describe, List and Delete for every stored kind, generated from the catalogue.

These three behave alike for all fifteen resource types, so they are written once and bound
per kind; what differs (keys, shapes, filters, flows, blockers) is data in ``catalogue``.
"""
from __future__ import annotations

import functools

from .. import model
from ..catalogue import KINDS, Kind
from ._registry import Registry

registry = Registry()

# The kind a list filter member points at.
FILTER_KINDS = {
    "datasetGroupArn": "dataset-group",
    "datasetArn": "dataset",
    "solutionArn": "solution",
    "solutionVersionArn": "solution-version",
}


def describe(svc, kind: Kind, call, params) -> dict:
    info = kind.info
    res = svc.require(call, kind.key, params[info.arn_member])
    out = {info.describe_key: svc.view(res, info.shape)}
    # Render first, then count the Describe: a poller sees every status at least once.
    svc.lifecycle.observed(res, call.now)
    return out


def list_resources(svc, kind: Kind, call, params) -> dict:
    info = kind.info
    scope = params.get(kind.list_filter) if kind.list_filter else None
    if scope is not None and "ResourceNotFoundException" in model.declared_errors(call.op):
        # ListSolutionVersions declares ResourceNotFound for an unknown solutionArn.
        svc.require(call, FILTER_KINDS[kind.list_filter], scope)
    items = svc.settled(call, kind.key)
    if scope is not None:
        items = svc.in_scope(call, items, kind.list_filter, scope)
    if kind.newest_first:
        items.reverse()
    ranks = [-res.seq if kind.newest_first else res.seq for res in items]
    page, token = svc.page(call, scope or "", items, ranks, params)
    out = {info.list_key: [svc.view(res, info.summary_shape) for res in page]}
    if token is not None:
        out["nextToken"] = token
    return out


def delete(svc, kind: Kind, call, params) -> dict:
    res = svc.require(call, kind.key, params[kind.info.arn_member])
    svc.check_deletable(res)
    svc.check_dependants(call, res)
    svc.begin_delete(call, res)
    return {}


@registry.on_bind
def _bind(svc, table):
    for kind in KINDS:
        info = kind.info
        table[info.describe_op] = functools.partial(describe, svc, kind)
        table[info.list_op] = functools.partial(list_resources, svc, kind)
        if info.delete_op is not None:
            table[info.delete_op] = functools.partial(delete, svc, kind)
