"""A Hypothesis state machine over every resource type: random interleavings of creates, deletes,
updates, stop/start, tags, describes and lists, against a model of what must exist.

Bundles hold the ARNs of live resources per type (and per chain variant: a Domain dataset group
for recommenders, a segmentation solution for batch segment jobs); deletes `consume` them and put
them back when the delete is refused. Creates poll until their resource settles, so every ARN in a
bundle is a settled parent. The model predicts what the spec decides (a second event tracker in a
group is refused, a schema used by a dataset cannot be deleted, a deleted resource is gone) and
leaves alone what it does not (whether a group with a metric attribution may be deleted). Every
step is judged by the same contracts as the lifecycle sequences; invariants check that List agrees
with the model. A failing run is shrunk by Hypothesis to its shortest sequence and reported as a
replayable boto3 script.
"""
from __future__ import annotations

import contextlib
from dataclasses import dataclass, field

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (Bundle, RuleBasedStateMachine, consumes, invariant, multiple, precondition,
                                 rule, run_state_machine_as_test)

from personalize_conformance import contracts
from personalize_conformance.checks.contracts import judge

from .cleanup import teardown
from .lifecycle_driver import Driver, NotImplementedByTarget, ScenarioStop, rtype_has_status
from .lifecycle_script import script
from .polling import PollPolicy

TAG_KEYS = ("team", "stage", "owner")
TAG_VALUES = ("a", "b")
MAX_PER_NODE = 2
MAX_UPDATES = 8
UNSPECIFIED = "unspecified"  # the spec does not decide: either answer is accepted


class ContractViolation(AssertionError):
    """A step broke a contract; the message starts with the rule's name."""


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
    """Bundle name → (type, chain variant): one per type, plus the variant chains some need."""
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


def _parent_node(ptype: str, variant: str | None) -> str:
    return f"{ptype}@{variant}" if variant and _affects(ptype, variant) else ptype


@dataclass
class Outcome:
    examples: int = 0
    steps: int = 0
    failure: str | None = None
    script: str | None = None
    rules: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"examples": self.examples, "steps": self.steps, "failure": self.failure, "boto3": self.script,
                "rules_exercised": self.rules}


def build_machine(spec, make_target, *, poll: PollPolicy | None = None, seed: int = 0, outcome: Outcome | None = None):
    """A RuleBasedStateMachine class driving targets from `make_target()` (one per example when
    the factory builds fresh ones; a shared target is torn down after each example)."""
    graph = nodes()
    bundles = {name: Bundle(name.replace("-", "_").replace("@", "__")) for name in graph}
    outcome = outcome if outcome is not None else Outcome()
    unsupported: set[str] = set()
    one_per_parent = {u.types[0]: u for u in contracts.uniqueness() if u.same and isinstance(u.types, tuple)}
    documented_blockers = {(d.parent, d.child): d for d in contracts.dependencies() if not d.while_busy}

    class LifecycleMachine(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            self.target = make_target()
            self.driver = Driver(spec, self.target, seed=seed, poll=poll, wire_checks=False)
            self.items: dict[str, Item] = {}
            self.tick = 0
            outcome.examples += 1
            LifecycleMachine.last = self

        # -- helpers ----------------------------------------------------------------------

        def expect(self, rule_id: str, **observation) -> None:
            for verdict in judge(rule_id, **observation):
                if verdict.outcome in ("fail", "error"):
                    raise ContractViolation(f"{rule_id}: {verdict.message}")

        def step(self, name: str) -> None:
            outcome.steps += 1
            outcome.rules[name] = outcome.rules.get(name, 0) + 1

        def settle(self, item: Item, action: str, before: str | None, member: str = "status"):
            path = self.driver.poll(item.rtype, item.arn, action, member=member, before=before)
            machine = contracts.machine(item.rtype, member)
            if machine is not None and action in machine.flows:
                common = dict(machine=machine, path=path.statuses)
                self.expect("lifecycle.known-status", **common)
                self.expect("lifecycle.legal-transition", action=action, before=before, **common)
                self.expect("lifecycle.settles", action=action, settled=path.settled, polls=len(path.steps),
                            waited=path.waited, **common)
            if action == "delete":
                self.expect("lifecycle.gone-after-delete", resource=item.arn, path=path.statuses,
                            gone=path.settled, polls=len(path.steps), waited=path.waited)
            return path

        def live(self, arn) -> Item | None:
            item = self.items.get(arn)
            return item if item is not None and item.alive else None

        def descendants(self, item: Item) -> list[Item]:
            return [i for i in self.items.values() if i.alive and i.arn != item.arn and item.arn in i.lineage.values()]

        def teardown(self):
            LifecycleMachine.last_steps = list(self.driver.steps)
            LifecycleMachine.last_endpoint = getattr(self.target, "endpoint", None)
            if getattr(self.target, "name", "") != "emulator":
                teardown(self.target, self.driver.created, policy=self.driver.poll_policy)

        # -- creates ----------------------------------------------------------------------

        def create(self, node: str, parents: dict[str, str]):
            rtype, variant = graph[node]
            self.step(f"create {node}")
            if rtype in unsupported:
                return multiple()
            items = [self.live(a) for a in parents.values()]
            if not all(items):
                return multiple()
            rt = contracts.resource_type(rtype)
            prediction = "accept"
            rule_ = one_per_parent.get(rtype)
            siblings = [i for i in self.items.values() if i.alive and i.rtype == rtype
                        and all(i.lineage.get(contracts.references()[m]) == parents.get(m) for m in (rule_.same if rule_ else ())
                                if m in parents)]
            if rule_ and siblings:
                prediction = "refuse"
            elif rtype == "metric-attribution" and any(
                    i.alive and i.rtype == rtype and i.lineage.get("dataset-group") == parents["datasetGroupArn"]
                    for i in self.items.values()):
                prediction = UNSPECIFIED
            try:
                step = self.driver.create(rtype, parents, variant=variant)
            except NotImplementedByTarget:
                unsupported.add(rtype)
                return multiple()
            if prediction == "refuse":
                self.expect("uniqueness.one-per-parent", expected=rule_.expect, status=step.status, code=step.code,
                            operation=step.operation, same=list(rule_.same))
                if not step.ok:
                    return multiple()
            if not step.ok:
                if prediction == UNSPECIFIED:
                    return multiple()
                self.expect("lifecycle.action-accepted", operation=step.operation, status=step.status, code=step.code)
                return multiple()
            arn = self.driver.arn_of(rtype, step)
            item = Item(node, rtype, arn, dict(self.driver.lineage.get(arn, {})), None)
            if rtype_has_status(rtype):
                path = self.settle(item, "create", None)
                item.status = path.last
            self.items[arn] = item
            return arn

        # -- deletes ----------------------------------------------------------------------

        def delete(self, node: str, arn: str):
            rtype, _ = graph[node]
            self.step(f"delete {node}")
            item = self.live(arn)
            if item is None:
                return multiple()
            rt = contracts.resource_type(rtype)
            dependants = self.descendants(item)
            blockers = [d for d in dependants if (rtype, d.rtype) in documented_blockers]
            step = self.driver.call(rt.op("delete"), {rt.arn: arn})
            if blockers:
                rule_ = documented_blockers[(rtype, blockers[0].rtype)]
                self.expect("dependency.delete-in-use", expected=contracts.dependency_expect(), status=step.status,
                            code=step.code, operation=step.operation, dependant=f"{blockers[0].rtype} {blockers[0].arn}",
                            documented=rule_.documented)
            elif not dependants and not step.ok:
                self.expect("lifecycle.action-accepted", operation=step.operation, status=step.status, code=step.code,
                            state=item.status)
            if not step.ok:
                return arn
            self.settle(item, "delete", item.status)
            item.alive = False
            self.driver.created.discard(arn)
            for child in dependants:
                child.alive, child.orphaned = False, True
            return multiple()

        # -- reads --------------------------------------------------------------------------

        def describe(self, arn: str) -> None:
            self.step("describe")
            item = self.live(arn)
            if item is None:
                return
            step = self.driver.describe(item.rtype, arn)
            self.expect("consistency.describe-after-create", operation=step.operation, status=step.status,
                        code=step.code, resource=item.rtype, arn=arn)
            if item.status is not None:
                self.expect("lifecycle.legal-transition", machine=contracts.machine(item.rtype), action=None,
                            path=[self.driver.status_of(item.rtype, step)], before=item.status, arn=arn)

        @invariant()
        def lists_agree_with_the_model(self):
            types = sorted({i.rtype for i in self.items.values() if not i.orphaned})
            if not types:
                return
            self.tick += 1
            rtype = types[self.tick % len(types)]
            max_results = (1 + self.tick // 4 % 3) if self.tick % 4 == 0 else None
            with contextlib.suppress(NotImplementedByTarget):
                pages, tokens, items, terminated, steps = self.driver.list_walk(rtype, None, max_results,
                                                                                max_pages=500)
                operation = contracts.resource_type(rtype).op("list")
                alive = [i.arn for i in self.items.values() if i.alive and i.rtype == rtype]
                common = dict(pages=pages, max_results=max_results, operation=operation)
                self.expect("pagination.terminates", tokens=tokens, terminated=terminated, **common)
                self.expect("pagination.max-results", **common)
                self.expect("pagination.exactly-once", known=alive, terminated=terminated, **common)
                gone = [i.arn for i in self.items.values() if i.rtype == rtype and not i.alive and not i.orphaned]
                for arn in gone:
                    self.expect("consistency.list-drops-deleted", arn=arn, listed_arns=list(items),
                                list_operation=operation)
                status_member = contracts.resource_type(rtype).status
                for arn in alive:
                    if status_member and arn in items and self.items[arn].status:
                        self.expect("consistency.list-status-agrees", arn=arn,
                                    described_status=self.items[arn].status,
                                    listed_status=items[arn].get(status_member))

        # -- changes ------------------------------------------------------------------------

        def toggle(self, arn: str) -> None:
            self.step("stop/start recommender")
            item = self.live(arn)
            if item is None or item.status not in ("ACTIVE", "INACTIVE"):
                return
            action = "stop" if item.status == "ACTIVE" else "start"
            rt = contracts.resource_type("recommender")
            step = self.driver.call(rt.op(action), {rt.arn: arn})
            self.expect("lifecycle.action-accepted", operation=step.operation, status=step.status, code=step.code,
                        state=item.status)
            path = self.settle(item, action, item.status)
            item.status = path.last

        def update(self, arn: str) -> None:
            self.step("update")
            item = self.live(arn)
            if item is None:
                return
            rt = contracts.resource_type(item.rtype)
            spec_ = contracts.updates()[item.rtype]
            if item.status != "ACTIVE":
                return
            if item.updates >= MAX_UPDATES:
                return  # a metric attribution holds at most 10 metrics (MetricAttributes: max 10)
            item.updates += 1
            extra = {m: self.driver.active(t, shared=False) for m, t in spec_.needs.items()}
            params = contracts.update_request(item.rtype, arn, extra, n=item.updates)
            before = None
            if spec_.via:
                before = self.driver.status_of(item.rtype, self.driver.describe(item.rtype, arn), spec_.via)
            step = self.driver.call(rt.op("update"), params)
            self.expect("lifecycle.action-accepted", operation=step.operation, status=step.status, code=step.code,
                        state=item.status)
            if spec_.via:
                self.settle(item, "update", before, member=spec_.via)
            sent = {k: v for k, v in params.items() if k != rt.arn}
            for member, value in sent.items():  # an update may re-point a reference (a dataset's schema)
                if member in contracts.references() and isinstance(value, str):
                    item.lineage[contracts.references()[member]] = value
            if spec_.reflect:
                read = self.driver.call(spec_.reflect["operation"], {rt.arn: arn})
                self.expect("update.reflected", sent=sent[spec_.reflect["contains"]],
                            described=(read.body or {}).get(spec_.reflect["key"]), operation=rt.op("update"),
                            where=spec_.reflect["operation"])
            else:
                seen = self.driver.describe(item.rtype, arn)
                self.expect("update.reflected", sent=sent, described=self.driver.described(item.rtype, seen),
                            operation=rt.op("update"))

        def tag(self, arn: str, key: str, value: str) -> None:
            self.step("tag")
            item = self.live(arn)
            if item is None:
                return
            step = self.driver.call("TagResource", {"resourceArn": arn, "tags": [{"tagKey": key, "tagValue": value}]})
            self.expect("lifecycle.action-accepted", operation=step.operation, status=step.status, code=step.code)
            item.tags[key] = value
            self.check_tags(item, f"by TagResource({key}={value})")

        def untag(self, arn: str, keys: list[str]) -> None:
            self.step("untag")
            item = self.live(arn)
            if item is None:
                return
            before = dict(item.tags)
            step = self.driver.call("UntagResource", {"resourceArn": arn, "tagKeys": keys})
            self.expect("lifecycle.action-accepted", operation=step.operation, status=step.status, code=step.code)
            for key in keys:
                item.tags.pop(key, None)
            listed = self.listed_tags(arn)
            self.expect("tags.untag-exact", before=before, removed=keys, after=listed)

        def listed_tags(self, arn: str) -> dict | None:
            step = self.driver.call("ListTagsForResource", {"resourceArn": arn})
            if not step.ok:
                raise ContractViolation(f"tags.round-trip: ListTagsForResource of the live {arn} answered {step.outcome}")
            return {t.get("tagKey"): t.get("tagValue") for t in (step.body or {}).get("tags") or []}

        def check_tags(self, item: Item, how: str) -> None:
            self.expect("tags.round-trip", expected=item.tags, listed=self.listed_tags(item.arn), how=how)

    # Rules are generated from the catalogue: one create (and delete) per bundle.
    for name, (rtype, variant) in graph.items():
        rt = contracts.resource_type(rtype)
        parent_args = {member: bundles[_parent_node(ptype, variant)] for member, ptype in rt.parents.items()}

        def make_create(name=name, members=tuple(parent_args)):
            def create_rule(self, **parents):
                return self.create(name, {m: parents[m] for m in members})
            create_rule.__name__ = f"create_{name.replace('-', '_').replace('@', '__')}"
            # a few of each are enough: the steps go deeper instead of wider
            room = precondition(lambda self: sum(i.alive and i.node == name for i in self.items.values()) < MAX_PER_NODE)
            return room(rule(target=bundles[name], **parent_args)(create_rule))

        setattr(LifecycleMachine, f"create_{name.replace('-', '_').replace('@', '__')}", make_create())
        if rt.op("delete"):
            def make_delete(name=name):
                def delete_rule(self, arn):
                    return self.delete(name, arn)
                delete_rule.__name__ = f"delete_{name.replace('-', '_').replace('@', '__')}"
                return rule(target=bundles[name], arn=consumes(bundles[name]))(delete_rule)

            setattr(LifecycleMachine, f"delete_{name.replace('-', '_').replace('@', '__')}", make_delete())

    every = st.one_of(*bundles.values())
    taggable = st.one_of(*[b for n, b in bundles.items() if contracts.resource_type(graph[n][0]).taggable])
    updatable = st.one_of(*[b for n, b in bundles.items() if graph[n][0] in contracts.updates()])
    recommenders = st.one_of(*[b for n, b in bundles.items() if graph[n][0] == "recommender"])

    LifecycleMachine.describe_resource = rule(arn=every)(lambda self, arn: self.describe(arn))
    LifecycleMachine.tag_resource = rule(arn=taggable, key=st.sampled_from(TAG_KEYS),
                                         value=st.sampled_from(TAG_VALUES))(
        lambda self, arn, key, value: self.tag(arn, key, value))
    LifecycleMachine.untag_resource = rule(arn=taggable, keys=st.lists(st.sampled_from(TAG_KEYS), min_size=1,
                                                                       max_size=2, unique=True))(
        lambda self, arn, keys: self.untag(arn, keys))
    LifecycleMachine.update_resource = rule(arn=updatable)(lambda self, arn: self.update(arn))
    LifecycleMachine.stop_or_start_recommender = rule(arn=recommenders)(lambda self, arn: self.toggle(arn))
    LifecycleMachine.outcome = outcome
    LifecycleMachine.last_steps = []
    LifecycleMachine.last_endpoint = None
    return LifecycleMachine


class _UnsignedEmulator:
    """The in-process emulator without SigV4: signing costs more than the emulator's answer, and
    a random walk of thousands of calls is about state, not about the wire (which the stateless
    run and the lifecycle sequences judge with signed requests)."""
    name = "emulator"
    endpoint = "in-process"

    def __init__(self, emulator):
        self.emulator = emulator

    def send(self, operation: str, body: bytes, headers: dict | None = None):
        from personalize_conformance.targets import WireResponse, wire_headers
        status, out_headers, out_body = self.emulator.handle("POST", "/", wire_headers(operation, headers), body)
        return WireResponse.of(status, out_headers, out_body)

    def close(self) -> None:
        pass


def fresh_emulator(faults=(), timing: str = "describes:1"):
    """A target factory for the bundled emulator: one instance, emptied before each example
    (as independent as a new one per example, and cheaper). Quotas are lifted, as for every
    harness run (`targets.HARNESS_EMULATOR`): a random walk is about state, not account limits."""
    from personalize_conformance.emulator import Emulator
    target = _UnsignedEmulator(Emulator(faults=list(faults), timing=timing, quotas=False))

    def factory():
        target.emulator.reset()
        return target
    return factory


def run(spec, make_target, *, examples: int = 8, steps_per_example: int = 40, seed: int = 0,
        poll: PollPolicy | None = None, shrink_seconds: int = 60) -> Outcome:
    """Run the state machine; on a contract violation, the shrunk sequence as a boto3 script.

    Hypothesis shrinks for up to five minutes; against a slow target that is most of a CI budget,
    so the shrinking time is cut to `shrink_seconds` and the shortest sequence found by then is
    reported."""
    from hypothesis import core
    from hypothesis.internal.conjecture import engine

    outcome = Outcome()
    machine = build_machine(spec, make_target, poll=poll, seed=seed, outcome=outcome)
    previous = core.global_force_seed
    previous_budget = getattr(engine, "MAX_SHRINKING_SECONDS", None)
    core.global_force_seed = seed
    if previous_budget is not None:
        engine.MAX_SHRINKING_SECONDS = shrink_seconds
    try:
        run_state_machine_as_test(machine, settings=settings(
            max_examples=examples, stateful_step_count=steps_per_example, deadline=None, database=None,
            suppress_health_check=list(HealthCheck), report_multiple_bugs=False, print_blob=False))
    except (ContractViolation, ScenarioStop) as exc:
        outcome.failure = str(exc).splitlines()[0]
        outcome.script = script(machine.last_steps, machine.last_endpoint, seed=seed, expectation=outcome.failure)
    finally:
        core.global_force_seed = previous
        if previous_budget is not None:
            engine.MAX_SHRINKING_SECONDS = previous_budget
    return outcome


__all__ = ["ContractViolation", "Outcome", "build_machine", "fresh_emulator", "nodes", "run"]
