"""The spec decides what runs: which operations a scenario sends, and whether the spec has them.

A run exercises exactly the operations of its spec. A lifecycle scenario (one contract family on
one resource type) or the state machine that needs an operation the spec does not describe is
NOT RUN, with that reason, before it sends anything. What the scenarios need is read off the
contract data (`contracts/resources.yaml`, `rules.yaml`): the operations of the type, of every
ancestor it is built on, and of the family's own steps. Steps a scenario can do without (a
lifecycle's update, stop/start, tags or delete) are left out by the scenario when the spec lacks
them, and are not needed here. `Driver.call` refuses any other operation the spec lacks, so a
sequence this table misjudges is still NOT RUN, never sent.
"""
from __future__ import annotations

from personalize_conformance import contracts

TAG_OPERATIONS = ("TagResource", "UntagResource", "ListTagsForResource")


def _ops(rtype: str, *kinds: str) -> set[str]:
    rt = contracts.resource_type(rtype)
    return {rt.op(kind) for kind in kinds if rt.op(kind)}


def built(rtype: str) -> set[str]:
    """Creating one `rtype` on ACTIVE parents: its create, and the create and describe of each
    ancestor (parents are polled until they settle); its own describe when it has a status."""
    need = _ops(rtype, "create") | (_ops(rtype, "describe") if contracts.resource_type(rtype).status else set())
    for ancestor in contracts.ancestors(rtype):
        need |= _ops(ancestor, "create", "describe")
    return need


def scenario_operations(family: str, rtype: str) -> set[str]:
    """Every operation the `family` scenario on `rtype` cannot run without."""
    if family == "lifecycle":
        return built(rtype) | _ops(rtype, "describe", "list")
    if family in ("reference", "uniqueness"):
        return built(rtype)
    if family == "pagination":
        return built(rtype) | _ops(rtype, "list")
    if family == "tags":
        return built(rtype) | set(TAG_OPERATIONS)
    if family == "update":
        update = contracts.updates().get(rtype)
        need = built(rtype) | _ops(rtype, "describe", "update")
        if update is not None:
            for ntype in update.needs.values():
                need |= built(ntype) | _ops(ntype, "describe")
            if update.reflect:
                need.add(update.reflect["operation"])
        return need
    if family == "dependency":
        need: set[str] = set()
        for rule in [d for d in contracts.dependencies() if d.parent == rtype]:
            need |= built(rule.child) | _ops(rule.child, "describe") | _ops(rtype, "delete")
        for rule in [a for a in contracts.active_parents() if a.child == rtype]:
            ptype = contracts.resource_type(rtype).parents[rule.member]
            need |= built(rtype) | built(ptype) | _ops(ptype, "describe")
        return need
    raise KeyError(f"unknown contract family {family!r}")


def machine_operations() -> set[str]:
    """The state machine's rules: every operation of every resource type, and tagging."""
    need = set(TAG_OPERATIONS)
    for rt in contracts.resource_types().values():
        need |= set(rt.operations.values())
    for update in contracts.updates().values():
        if update.reflect:
            need.add(update.reflect["operation"])
    return need


def absent(spec, operations) -> list[str]:
    """The operations of `operations` that `spec` does not describe, sorted."""
    return sorted(set(operations) - set(spec.operations))


def not_in_spec_reason(spec, missing) -> str:
    names = ", ".join(missing)
    return f"needs {names}, which the spec ({spec.source}) does not describe"


__all__ = ["absent", "built", "machine_operations", "not_in_spec_reason", "scenario_operations", "TAG_OPERATIONS"]
