"""The service core: shared rules every operation handler builds on.

Handlers (in ``emulator/ops``) stay short because the recurring decisions live here: find a
resource or answer ResourceNotFound, resolve a referenced ARN and insist that it is ACTIVE,
refuse duplicates, refuse deletes that would orphan dependants, store tags, start lifecycle
flows, page lists, and render a resource through the model's shape.

Fault injection (``faults.py``) may wrap exactly the methods named in ``Service.HOOKS``;
nothing else in the clean path knows that faults exist.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Callable

from . import model
from .catalogue import BLOCKERS, BY_KEY, CASCADES
from .errors import ApiError, already_exists, in_use, invalid_input, not_found
from .failures import Failures
from .lifecycle import FLOWS, UPDATE_FLOWS, Lifecycle, Timing, failing
from .paging import Pager
from .quotas import Quotas
from .recipes import ALGORITHMS, RECIPES_BY_ARN, TRANSFORMATIONS, Recipe
from .store import Partition, Resource

MAX_TAGS = 50          # TooManyTagsException: tags per resource
RESERVED_TAG_PREFIX = "aws:"


def now() -> float:
    """Epoch seconds with millisecond precision, as AWS puts them on the wire."""
    return round(time.time(), 3)


@dataclass
class Call:
    """One operation invocation: its name, the caller's partition and the clock reading."""

    op: str
    state: Partition
    now: float


class Service:
    # The hook points fault injection may wrap (see faults.py).
    HOOKS = ("resolve_reference", "check_unique", "check_dependants", "start_update",
             "begin_delete", "store_tags", "remove_tags", "in_scope", "cascade")

    def __init__(self, timing: Timing, pager: Pager, quotas: Quotas | None = None,
                 failures: Failures | None = None):
        self.lifecycle = Lifecycle(timing, self._gone)
        self.pager = pager
        self.quotas = quotas or Quotas(())
        self.failures = failures or Failures()
        self._views: dict[str, Callable[[Resource, dict], None]] = {}

    # -- finding ----------------------------------------------------------------------------

    def require(self, call: Call, kind: str, arn: str) -> Resource:
        """The resource of ``kind`` at ``arn``, brought up to date, or ResourceNotFound."""
        res = call.state.get(kind, arn)
        if res is not None:
            self.lifecycle.settle(res, call.now)
            if res.home is not None:
                return res
        raise not_found(BY_KEY[kind].label, arn)

    def resolve_reference(self, call: Call, kind: str, arn: str, active: bool = False) -> Resource:
        """[hook] A resource another request member points at. With ``active``, the referent
        must be ACTIVE, else ResourceInUse (the documented "must be ACTIVE before ..." rules)."""
        res = self.require(call, kind, arn)
        if active and res.status != "ACTIVE":
            raise in_use(f"The {BY_KEY[kind].label} {arn} is in {res.status} state; "
                         f"it must be ACTIVE.")
        return res

    @staticmethod
    def resolve_recipe(arn: str) -> Recipe:
        recipe = RECIPES_BY_ARN.get(arn)
        if recipe is None:
            raise not_found("recipe", arn)
        return recipe

    def settled(self, call: Call, kind: str) -> list[Resource]:
        """Every resource of ``kind`` in creation order, brought up to date."""
        items = call.state.all(kind)
        for res in items:
            self.lifecycle.settle(res, call.now)
        return [res for res in items if res.home is not None]

    # -- creating ---------------------------------------------------------------------------

    def check_unique(self, call: Call, kind: str, values: dict[str, Any]) -> None:
        """[hook] ResourceAlreadyExists when another resource of ``kind`` matches on any of
        the kind's uniqueness keys."""
        for key in BY_KEY[kind].unique:
            wanted = tuple(values.get(member) for member in key)
            if None in wanted:
                continue
            for other in self.settled(call, kind):
                if tuple(other.value(member) for member in key) == wanted:
                    raise already_exists(BY_KEY[kind].label, other.arn)

    def create(self, call: Call, kind: str, arn: str, attrs: dict[str, Any],
               refs: dict[str, str] | None = None, tags: list | None = None,
               done: Callable[[float], None] | None = None) -> Resource:
        """Store a new resource and start its create flow. ``attrs`` are the wire members
        (absent optional members must simply be left out). A create asked to fail (see
        ``failures.py``) walks the same flow but ends in its failure status, with a reason."""
        spec = BY_KEY[kind]
        refs = refs or {}
        self.check_unique(call, kind, {**refs, **attrs})
        tag_map = self.tag_map(tags or [])
        if len(tag_map) > MAX_TAGS:
            raise too_many_tags(len(tag_map))
        self.quotas.check(kind, {**refs, **attrs}, self.settled(call, kind))
        attrs[spec.info.arn_member] = arn
        attrs["creationDateTime"] = attrs["lastUpdatedDateTime"] = call.now
        res = call.state.add(Resource(kind, arn, attrs, refs, tag_map))
        if spec.create_flow is not None:
            reason = self.failures.reason(kind, tag_map)
            if reason is None:
                self.lifecycle.begin(res, FLOWS[spec.create_flow], call.now, done=done)
            else:
                self.lifecycle.begin(res, failing(spec.create_flow), call.now,
                                     done=lambda at: attrs.__setitem__("failureReason", reason))
        elif done is not None:
            done(call.now)
        return res

    # -- changing ---------------------------------------------------------------------------

    def require_settled(self, res: Resource, *statuses: str) -> None:
        """ResourceInUse unless ``res`` rests in one of ``statuses`` with no flow running."""
        if res.busy or res.status not in statuses:
            where = "has a change in progress" if res.busy else f"is in {res.status} state"
            raise in_use(f"The {BY_KEY[res.kind].label} {res.arn} {where}; "
                         f"it must be {' or '.join(statuses)}.")

    def start_update(self, call: Call, res: Resource, field: str | None, summary: dict | None,
                     apply: Callable[[float], None]) -> None:
        """[hook] Record an update. With a latest-update ``field`` the change walks the update
        flow inside that object and ``apply`` runs when it turns ACTIVE; without one the
        change applies at once."""
        if field is None:
            apply(call.now)
            return
        summary["creationDateTime"] = call.now
        res.attrs[field] = summary
        flow = FLOWS[UPDATE_FLOWS.get(field, "update")]
        self.lifecycle.begin(res, flow, call.now, field=field, holder=summary, done=apply)

    # -- deleting ---------------------------------------------------------------------------

    def check_deletable(self, res: Resource) -> None:
        status = res.status or ""
        if status.startswith("DELETE"):
            raise in_use(f"The {BY_KEY[res.kind].label} {res.arn} is already being deleted.")
        if res.busy:
            raise in_use(f"The {BY_KEY[res.kind].label} {res.arn} is in {status} state or has "
                         f"a change in progress; wait for it to finish before deleting.")

    def check_dependants(self, call: Call, res: Resource) -> None:
        """[hook] ResourceInUse when a dependant listed in ``catalogue.BLOCKERS`` exists."""
        for blocker in BLOCKERS.get(res.kind, ()):
            target = res.refs.get(blocker.via) if blocker.via else res.arn
            if target is None:
                continue
            for other in call.state.linked(blocker.kind, blocker.link, target):
                self.lifecycle.settle(other, call.now)
                if other.home is None or (blocker.busy_only and not other.busy):
                    continue
                raise in_use(f"Cannot delete {BY_KEY[res.kind].label} {res.arn}: "
                             f"{BY_KEY[other.kind].label} {other.arn} depends on it.")

    def begin_delete(self, call: Call, res: Resource) -> None:
        """[hook] Start the kind's delete flow; the resource goes when the flow ends."""
        res.attrs.pop("modelMetrics", None)   # DescribeRecommender: absent while deleting
        self.lifecycle.begin(res, FLOWS[BY_KEY[res.kind].delete_flow], call.now)

    def _gone(self, res: Resource, at: float) -> None:
        state = res.home
        if state is None:
            return
        state.discard(res)
        self.cascade(state, res, at)

    def cascade(self, state: Partition, res: Resource, at: float) -> None:
        """[hook] Take the children that have no Delete of their own with ``res``."""
        for kind, link in CASCADES.get(res.kind, ()):
            for child in state.linked(kind, link, res.arn):
                self._gone(child, at)

    def in_scope(self, call: Call, items: list[Resource], member: str, scope: str) -> list[Resource]:
        """[hook] The items of a List whose parent ``member`` is ``scope``."""
        return [res for res in items if res.refs.get(member) == scope]

    # -- tags -------------------------------------------------------------------------------

    @staticmethod
    def tag_map(tags: list[dict]) -> dict[str, str]:
        result: dict[str, str] = {}
        for tag in tags:
            key = tag["tagKey"]
            if key.lower().startswith(RESERVED_TAG_PREFIX):
                raise invalid_input(f"Tag keys may not begin with the reserved prefix "
                                    f"'{RESERVED_TAG_PREFIX}'.")
            result[key] = tag["tagValue"]
        return result

    def taggable(self, call: Call, arn: str) -> Resource:
        res = call.state.find(arn)
        if res is not None:
            self.lifecycle.settle(res, call.now)
        if res is None or res.home is None:
            if arn in RECIPES_BY_ARN or arn in ALGORITHMS or arn in TRANSFORMATIONS:
                raise invalid_input(f"The resource {arn} does not support tagging.")
            raise not_found("resource", arn)
        if not BY_KEY[res.kind].info.taggable:
            raise invalid_input(f"The {BY_KEY[res.kind].label} {arn} does not support tagging.")
        return res

    def store_tags(self, call: Call, res: Resource, tags: dict[str, str]) -> None:
        """[hook] Add or overwrite tags."""
        res.tags.update(tags)

    def remove_tags(self, call: Call, res: Resource, keys: list[str]) -> None:
        """[hook] Remove tags by key; unknown keys are ignored, as AWS does."""
        for key in keys:
            res.tags.pop(key, None)

    # -- rendering and paging ---------------------------------------------------------------

    def add_view(self, kind: str, extend: Callable[[Resource, dict], None]) -> None:
        """Register members computed at render time (e.g. a solution's latest version)."""
        self._views[kind] = extend

    def view(self, res: Resource, shape: str) -> dict[str, Any]:
        """``res`` as the structure ``shape``: only the shape's members, absent ones omitted.
        Nested objects are copied so a later status step cannot alter a rendered reply."""
        attrs = res.attrs
        extend = self._views.get(res.kind)
        if extend is not None:
            attrs = dict(attrs)
            extend(res, attrs)
        out = {}
        for member in model.shape_members(shape):
            value = attrs.get(member)
            if value is not None:
                out[member] = dict(value) if type(value) is dict else value
        return out

    def page(self, call: Call, scope: str, items: list, ranks: list[int], params: dict,
             default_size: int | None = None) -> tuple[list, str | None]:
        return self.pager.page(call.op, scope, items, ranks, params.get("nextToken"),
                               params.get("maxResults") or default_size)


def too_many_tags(count: int) -> ApiError:
    return ApiError("TooManyTagsException",
                    f"A resource can have at most {MAX_TAGS} tags; this request would give it "
                    f"{count}.")
