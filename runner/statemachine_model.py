"""What the state machine expects of a target, as plain data and functions.

The model knows which resources a walk created, which are alive, which were orphaned by the
delete of an ancestor, their statuses and tags; from that it predicts what the spec decides
(a second event tracker in a group is refused, a schema used by a dataset cannot be deleted, a
deleted resource is gone from its List) and says so where the spec does not decide (whether a
group may hold two metric attributions). It sends nothing and judges nothing: the machine
(`runner.statemachine`) sends, and hands what it saw with these predictions to the contracts. So
every prediction can be tested without a target.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from personalize_conformance import contracts

TAG_KEYS = ("team", "stage", "owner")
TAG_VALUES = ("a", "b")
MAX_PER_NODE = 2  # live resources per bundle: a few of each, so walks go deeper instead of wider
MAX_UPDATES = 8  # a metric attribution holds at most 10 metrics (MetricAttributes: max 10)

ACCEPT = "accept"
REFUSE = "refuse"
UNSPECIFIED = "unspecified"  # the spec does not decide: either answer is accepted


@dataclass
class Item:
    node: str
    rtype: str
    arn: str
    lineage: dict[str, str]
    status: str | None
    tags: dict[str, str] = field(default_factory=dict)
    alive: bool = True
    updates: int = 0
    orphaned: bool = False  # an ancestor was deleted: whether it still exists is not the spec's to say


def _affects(rtype: str, variant: str) -> bool:
    rt = contracts.resource_type(rtype)
    return variant in rt.variants or any(_affects(p, variant) for p in rt.parents.values())


def nodes() -> dict[str, tuple[str, str | None]]:
    """Bundle name → (type, chain variant): one per type, plus the variant chains some need
    (a Domain dataset group for recommenders, a segmentation solution for batch segment jobs)."""
    out: dict[str, tuple[str, str | None]] = {}

    def node(rtype: str, variant: str | None) -> str:
        variant = variant if variant and _affects(rtype, variant) else None
        name = f"{rtype}@{variant}" if variant else rtype
        if name not in out:
            for ptype in contracts.resource_type(rtype).parents.values():
                node(ptype, variant)
            out[name] = (rtype, variant)
        return name

    for rtype in contracts.creation_order():
        node(rtype, contracts.resource_type(rtype).chain)
    return out


def parent_node(ptype: str, variant: str | None) -> str:
    """The bundle a parent of type `ptype` comes from, on the chain `variant`."""
    return f"{ptype}@{variant}" if variant and _affects(ptype, variant) else ptype


@dataclass(frozen=True)
class Prediction:
    """What a create must get: accepted, refused under `rule` (a uniqueness rule), or either."""
    answer: str
    rule: object = None  # contracts' uniqueness rule behind a REFUSE


@dataclass(frozen=True)
class DeletePlan:
    """What deleting a resource touches: the live resources below it, and the first of them a
    documented dependency rule says must block the delete (with that rule)."""
    dependants: tuple[Item, ...]
    blocker: Item | None = None
    rule: object = None


@dataclass(frozen=True)
class ListPlan:
    """The List the invariant walks next, and what it must show."""
    rtype: str
    max_results: int | None
    alive: tuple[str, ...]  # must be listed, each once
    gone: tuple[str, ...]   # deleted by the walk (not by an ancestor's delete): must not be listed


def one_per_parent() -> dict[str, object]:
    return {u.types[0]: u for u in contracts.uniqueness() if u.same and isinstance(u.types, tuple)}


def documented_blockers() -> dict[tuple[str, str], object]:
    return {(d.parent, d.child): d for d in contracts.dependencies() if not d.while_busy}


@dataclass
class Model:
    """The resources one walk created, and the predictions they imply."""
    items: dict[str, Item] = field(default_factory=dict)
    tick: int = 0  # invariant checks so far: picks the next List and its page size
    uniqueness: dict = field(default_factory=one_per_parent)
    blockers: dict = field(default_factory=documented_blockers)

    # -- what exists ----------------------------------------------------------------------

    def live(self, arn) -> Item | None:
        item = self.items.get(arn)
        return item if item is not None and item.alive else None

    def live_arns(self, pick) -> list[str]:
        """The live resources of the types `pick` accepts, oldest first."""
        return [i.arn for i in self.items.values() if i.alive and pick(i.rtype)]

    def descendants(self, item: Item) -> list[Item]:
        return [i for i in self.items.values() if i.alive and i.arn != item.arn and item.arn in i.lineage.values()]

    def room(self, node: str) -> bool:
        return sum(i.alive and i.node == node for i in self.items.values()) < MAX_PER_NODE

    # -- predictions ----------------------------------------------------------------------

    def predict_create(self, rtype: str, parents: dict[str, str]) -> Prediction:
        rule = self.uniqueness.get(rtype)
        if rule:
            siblings = [i for i in self.items.values() if i.alive and i.rtype == rtype
                        and all(i.lineage.get(contracts.references()[m]) == parents.get(m)
                                for m in rule.same if m in parents)]
            if siblings:
                return Prediction(REFUSE, rule)
        if rtype == "metric-attribution" and any(
                i.alive and i.rtype == rtype and i.lineage.get("dataset-group") == parents["datasetGroupArn"]
                for i in self.items.values()):
            return Prediction(UNSPECIFIED)
        return Prediction(ACCEPT)

    def plan_delete(self, item: Item) -> DeletePlan:
        dependants = self.descendants(item)
        blockers = [d for d in dependants if (item.rtype, d.rtype) in self.blockers]
        if not blockers:
            return DeletePlan(tuple(dependants))
        return DeletePlan(tuple(dependants), blockers[0], self.blockers[(item.rtype, blockers[0].rtype)])

    def next_list(self) -> ListPlan | None:
        """The type the invariant lists next (round robin over the types the walk made), every
        fourth walk with a small maxResults (1, 2 or 3) so that pages turn."""
        types = sorted({i.rtype for i in self.items.values() if not i.orphaned})
        if not types:
            return None
        self.tick += 1
        rtype = types[self.tick % len(types)]
        max_results = (1 + self.tick // 4 % 3) if self.tick % 4 == 0 else None
        alive = tuple(i.arn for i in self.items.values() if i.alive and i.rtype == rtype)
        gone = tuple(i.arn for i in self.items.values() if i.rtype == rtype and not i.alive and not i.orphaned)
        return ListPlan(rtype, max_results, alive, gone)

    @staticmethod
    def toggle_action(item: Item) -> str | None:
        """A recommender at rest is stopped when ACTIVE and started when INACTIVE."""
        return {"ACTIVE": "stop", "INACTIVE": "start"}.get(item.status)

    @staticmethod
    def may_update(item: Item) -> bool:
        return item.status == "ACTIVE" and item.updates < MAX_UPDATES

    # -- what happened --------------------------------------------------------------------

    def created(self, item: Item) -> None:
        self.items[item.arn] = item

    def deleted(self, item: Item, plan: DeletePlan) -> None:
        """Gone, and everything below it: whether those still exist is not the spec's to say."""
        item.alive = False
        for child in plan.dependants:
            child.alive, child.orphaned = False, True

    @staticmethod
    def tagged(item: Item, key: str, value: str) -> None:
        item.tags[key] = value

    @staticmethod
    def untagged(item: Item, keys) -> None:
        for key in keys:
            item.tags.pop(key, None)


__all__ = ["ACCEPT", "REFUSE", "UNSPECIFIED", "DeletePlan", "Item", "ListPlan", "Model", "Prediction",
           "MAX_PER_NODE", "MAX_UPDATES", "TAG_KEYS", "TAG_VALUES", "nodes", "parent_node"]
