"""A Hypothesis state machine over every resource type: random interleavings of creates, deletes,
updates, stop/start, tags, describes and lists, judged against a model of what must exist.

Bundles hold the ARNs of live resources per type (and per chain variant: a Domain dataset group
for recommenders, a segmentation solution for batch segment jobs), the parents of creates; deletes
`consume` them and put them back when the delete is refused. Describes, tags, updates and stop/start
pick a live resource from the model. Creates poll until their resource settles, so every ARN in a
bundle is a settled parent. What the spec decides is predicted by the model
(`runner.statemachine_model`: plain functions, no target); the machine sends, and hands what it
saw and what the model predicted to the same contracts as the lifecycle sequences. Invariants
check that List agrees with the model. A failing run is shrunk by Hypothesis to its shortest
sequence and reported as a replayable boto3 script.

The machine is one class for every run; a run's target, seed and tallies reach each example
through the `Walk` it is built with.
"""
from __future__ import annotations

import contextlib
import functools
import time
from dataclasses import dataclass, field

from hypothesis import HealthCheck, settings
from hypothesis import seed as hypothesis_seed
from hypothesis import strategies as st
from hypothesis.stateful import (Bundle, RuleBasedStateMachine, consumes, invariant, multiple, precondition,
                                 rule, run_state_machine_as_test)

from personalize_conformance import contracts
from personalize_conformance.checks.contracts import judge
from personalize_conformance.strategies.hypothesis_fence import pinned_generation

from .cleanup import teardown
from .lifecycle_driver import Driver, NotImplementedByTarget, ScenarioStop, rtype_has_status
from .lifecycle_script import script
from .polling import PollPolicy
from .statemachine_model import (MAX_PER_NODE, MAX_UPDATES, REFUSE, TAG_KEYS, TAG_VALUES, UNSPECIFIED, Item, Model,
                                 nodes, parent_node)


class ContractViolation(AssertionError):
    """A step broke a contract; the message starts with the rule's name."""


class _ShrinkBudgetSpent(BaseException):
    """Ends Hypothesis's shrinking at once: the shortest failure seen so far is reported."""


@dataclass
class Outcome:
    examples: int = 0
    steps: int = 0
    failure: str | None = None
    script: str | None = None
    rules: dict[str, int] = field(default_factory=dict)
    shrink_examples: int = 0  # examples run after the first failure, shrinking it

    def to_dict(self) -> dict:
        return {"examples": self.examples, "steps": self.steps, "failure": self.failure, "boto3": self.script,
                "rules_exercised": self.rules, "shrink_examples": self.shrink_examples}


@dataclass
class Failure:
    """One failing example: the first line of what broke, and the calls that led there."""
    message: str
    steps: list
    endpoint: str | None


@dataclass
class Walk:
    """What one run shares between its examples: how to reach the target, the tallies, the
    types the target turned out not to implement, and the failures seen."""
    spec: object
    make_target: object
    poll: PollPolicy | None = None
    seed: int = 0
    shrink_seconds: float = 60.0
    outcome: Outcome = field(default_factory=Outcome)
    unsupported: set = field(default_factory=set)
    last: Failure | None = None      # the last example torn down, failing or not
    shortest: Failure | None = None  # the shortest failing example seen
    failed_at: float = 0.0
    stopped: bool = False  # shrinking was cut short: the shortest failure seen stands

    def step(self, name: str) -> None:
        self.outcome.steps += 1
        self.outcome.rules[name] = self.outcome.rules.get(name, 0) + 1

    def ended(self, failure: Failure) -> None:
        self.last = failure
        if not failure.message:
            return
        self.failed_at = self.failed_at or time.monotonic()
        if self.shortest is None or len(failure.steps) < len(self.shortest.steps):
            self.shortest = failure

    def stop_when_time_is_spent(self) -> None:
        """Called as an example starts: once shrinking has had its time, end the run here."""
        if self.failed_at and time.monotonic() - self.failed_at > self.shrink_seconds:
            self.stopped = True
            raise _ShrinkBudgetSpent()


GRAPH = nodes()
BUNDLES = {name: Bundle(name.replace("-", "_").replace("@", "__")) for name in GRAPH}


def _judged(fn):
    """Remembers, for the report, that the example broke a contract here."""
    @functools.wraps(fn)
    def judged(self, *args, **kwargs):
        try:
            return fn(self, *args, **kwargs)
        except (ContractViolation, ScenarioStop) as exc:
            self.failure = self.failure or (str(exc).splitlines() or [exc.__class__.__name__])[0]
            raise
    return judged


class LifecycleMachine(RuleBasedStateMachine):
    def __init__(self, walk: Walk):
        walk.stop_when_time_is_spent()
        super().__init__()
        self.walk = walk
        walk.outcome.shrink_examples += bool(walk.failed_at)
        self.target = walk.make_target()
        self.driver = Driver(walk.spec, self.target, seed=walk.seed, poll=walk.poll, wire_checks=False)
        self.model = Model()
        self.failure: str | None = None
        walk.outcome.examples += 1

    # -- helpers ----------------------------------------------------------------------

    def expect(self, rule_id: str, **observation) -> None:
        for verdict in judge(rule_id, **observation):
            if verdict.outcome in ("fail", "error"):
                raise ContractViolation(f"{rule_id}: {verdict.message}")

    def settle(self, item: Item, action: str, before: str | None, member: str = "status"):
        path = self.driver.poll(item.rtype, item.arn, action, member=member, before=before)
        machine = contracts.machine(item.rtype, member)
        last = path.steps[-1] if path.steps else None
        if last is not None and last.status is not None:  # a wrong answer ends polling at once
            self.expect("lifecycle.poll-answer", operation=last.operation, resource=item.arn, action=action,
                        status=last.status, code=last.code, polls=len(path.steps))
        if machine is not None and action in machine.flows:
            common = dict(machine=machine, path=path.statuses, action=action)
            self.expect("lifecycle.known-status", **common)  # graded by the flow's evidence
            self.expect("lifecycle.legal-transition", before=before, **common)
            self.expect("lifecycle.settles", settled=path.settled, polls=len(path.steps),
                        waited=path.waited, stopped=path.stopped, **common)
        if action == "delete" and not path.stopped:
            self.expect("lifecycle.gone-after-delete", resource=item.arn, path=path.statuses,
                        gone=path.settled, polls=len(path.steps), waited=path.waited)
        return path

    def teardown(self):
        self.walk.ended(Failure(self.failure or "", list(self.driver.steps), getattr(self.target, "endpoint", None)))
        if getattr(self.target, "name", "") != "emulator":
            teardown(self.target, self.driver.created, policy=self.driver.poll_policy)

    # -- creates ----------------------------------------------------------------------

    def create(self, node: str, parents: dict[str, str]):
        rtype, variant = GRAPH[node]
        self.walk.step(f"create {node}")
        if rtype in self.walk.unsupported:
            return multiple()
        if not all(self.model.live(a) for a in parents.values()):
            return multiple()
        prediction = self.model.predict_create(rtype, parents)
        try:
            step = self.driver.create(rtype, parents, variant=variant)
        except NotImplementedByTarget:
            self.walk.unsupported.add(rtype)
            return multiple()
        if prediction.answer == REFUSE:
            self.expect("uniqueness.one-per-parent", expected=prediction.rule.expect, status=step.status,
                        code=step.code, operation=step.operation, same=list(prediction.rule.same))
            if not step.ok:
                return multiple()
        if not step.ok:
            if prediction.answer == UNSPECIFIED:
                return multiple()
            self.expect("lifecycle.action-accepted", operation=step.operation, status=step.status, code=step.code)
            return multiple()
        arn = self.driver.arn_of(rtype, step)
        item = Item(node, rtype, arn, dict(self.driver.lineage.get(arn, {})), None)
        if rtype_has_status(rtype):
            path = self.settle(item, "create", None)
            item.status = path.last
        self.model.created(item)
        return arn

    # -- deletes ----------------------------------------------------------------------

    def delete(self, node: str, arn: str):
        rtype, _ = GRAPH[node]
        self.walk.step(f"delete {node}")
        item = self.model.live(arn)
        if item is None:
            return multiple()
        rt = contracts.resource_type(rtype)
        plan = self.model.plan_delete(item)
        step = self.driver.call(rt.op("delete"), {rt.arn: arn})
        if plan.blocker is not None:
            self.expect("dependency.delete-in-use", expected=contracts.dependency_expect(), status=step.status,
                        code=step.code, operation=step.operation,
                        dependant=f"{plan.blocker.rtype} {plan.blocker.arn}", documented=plan.rule.documented)
        elif not plan.dependants and not step.ok:
            self.expect("lifecycle.action-accepted", operation=step.operation, status=step.status, code=step.code,
                        state=item.status)
        if not step.ok:
            return arn
        self.settle(item, "delete", item.status)
        self.model.deleted(item, plan)
        self.driver.created.discard(arn)
        return multiple()

    # -- reads --------------------------------------------------------------------------

    def describe(self, arn: str) -> None:
        self.walk.step("describe")
        item = self.model.live(arn)
        if item is None:
            return
        step = self.driver.describe(item.rtype, arn)
        self.expect("consistency.describe-after-create", operation=step.operation, status=step.status,
                    code=step.code, resource=item.rtype, arn=arn)
        if item.status is not None:
            self.expect("lifecycle.legal-transition", machine=contracts.machine(item.rtype), action=None,
                        path=[self.driver.status_of(item.rtype, step)], before=item.status, arn=arn)

    @invariant()
    @_judged
    def lists_agree_with_the_model(self):
        plan = self.model.next_list()
        if plan is None:
            return
        with contextlib.suppress(NotImplementedByTarget):
            pages, tokens, items, terminated, _ = self.driver.list_walk(plan.rtype, None, plan.max_results,
                                                                        max_pages=500)
            operation = contracts.resource_type(plan.rtype).op("list")
            common = dict(pages=pages, max_results=plan.max_results, operation=operation)
            self.expect("pagination.terminates", tokens=tokens, terminated=terminated, **common)
            self.expect("pagination.max-results", **common)
            self.expect("pagination.exactly-once", known=list(plan.alive), terminated=terminated, **common)
            for arn in plan.gone:
                self.expect("consistency.list-drops-deleted", arn=arn, listed_arns=list(items),
                            list_operation=operation)
            status_member = contracts.resource_type(plan.rtype).status
            for arn in plan.alive:
                if status_member and arn in items and self.model.items[arn].status:
                    self.expect("consistency.list-status-agrees", arn=arn,
                                described_status=self.model.items[arn].status,
                                listed_status=items[arn].get(status_member))

    # -- changes ------------------------------------------------------------------------

    def toggle(self, arn: str) -> None:
        self.walk.step("stop/start recommender")
        item = self.model.live(arn)
        action = self.model.toggle_action(item) if item is not None else None
        if action is None:
            return
        rt = contracts.resource_type("recommender")
        step = self.driver.call(rt.op(action), {rt.arn: arn})
        self.expect("lifecycle.action-accepted", operation=step.operation, status=step.status, code=step.code,
                    state=item.status)
        path = self.settle(item, action, item.status)
        item.status = path.last

    def update(self, arn: str) -> None:
        self.walk.step("update")
        item = self.model.live(arn)
        if item is None or not self.model.may_update(item):
            return
        rt = contracts.resource_type(item.rtype)
        spec_ = contracts.updates()[item.rtype]
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
        self.walk.step("tag")
        item = self.model.live(arn)
        if item is None:
            return
        step = self.driver.call("TagResource", {"resourceArn": arn, "tags": [{"tagKey": key, "tagValue": value}]})
        self.expect("lifecycle.action-accepted", operation=step.operation, status=step.status, code=step.code)
        self.model.tagged(item, key, value)
        self.expect("tags.round-trip", expected=item.tags, listed=self.listed_tags(item.arn),
                    how=f"by TagResource({key}={value})")

    def untag(self, arn: str, keys: list[str]) -> None:
        self.walk.step("untag")
        item = self.model.live(arn)
        if item is None:
            return
        before = dict(item.tags)
        step = self.driver.call("UntagResource", {"resourceArn": arn, "tagKeys": keys})
        self.expect("lifecycle.action-accepted", operation=step.operation, status=step.status, code=step.code)
        self.model.untagged(item, keys)
        self.expect("tags.untag-exact", before=before, removed=keys, after=self.listed_tags(arn))

    def listed_tags(self, arn: str) -> dict | None:
        step = self.driver.call("ListTagsForResource", {"resourceArn": arn})
        if not step.ok:
            raise ContractViolation(f"tags.round-trip: ListTagsForResource of the live {arn} answered {step.outcome}")
        return {t.get("tagKey"): t.get("tagValue") for t in (step.body or {}).get("tags") or []}


def _rule_name(verb: str, node: str) -> str:
    return f"{verb}_{node.replace('-', '_').replace('@', '__')}"


def _add_rules(machine) -> None:
    """The rules, generated from the catalogue: one create (and delete) per bundle, then the
    changes and reads over every bundle they apply to."""
    for name, (rtype, variant) in GRAPH.items():
        rt = contracts.resource_type(rtype)
        parents = {member: BUNDLES[parent_node(ptype, variant)] for member, ptype in rt.parents.items()}

        def make_create(name=name, members=tuple(parents), parents=parents):
            def create_rule(self, **given):
                return self.create(name, {m: given[m] for m in members})
            create_rule.__name__ = _rule_name("create", name)
            room = precondition(lambda self: self.model.room(name))
            return room(rule(target=BUNDLES[name], **parents)(_judged(create_rule)))

        setattr(machine, _rule_name("create", name), make_create())
        if rt.op("delete"):
            def make_delete(name=name):
                def delete_rule(self, arn):
                    return self.delete(name, arn)
                delete_rule.__name__ = _rule_name("delete", name)
                return rule(target=BUNDLES[name], arn=consumes(BUNDLES[name]))(_judged(delete_rule))

            setattr(machine, _rule_name("delete", name), make_delete())

    def on_a_live(pick, **more):
        """A rule over one live resource of the types `pick` accepts, drawn from the model (a
        rule over several bundles at once would draw from empty ones and waste the example)."""
        def decorate(body):
            def chosen(self, data, **given):
                arn = data.draw(st.sampled_from(self.model.live_arns(pick)), label="arn")
                return body(self, arn, **given)
            chosen.__name__ = body.__name__
            wanted = precondition(lambda self: bool(self.model.live_arns(pick)))
            return wanted(rule(data=st.data(), **more)(_judged(chosen)))
        return decorate

    def every(rtype):
        return True

    def taggable(rtype):
        return contracts.resource_type(rtype).taggable

    def updatable(rtype):
        return rtype in contracts.updates()

    def recommender(rtype):
        return rtype == "recommender"

    @on_a_live(every)
    def describe_resource(self, arn):
        self.describe(arn)

    @on_a_live(taggable, key=st.sampled_from(TAG_KEYS), value=st.sampled_from(TAG_VALUES))
    def tag_resource(self, arn, key, value):
        self.tag(arn, key, value)

    @on_a_live(taggable, keys=st.lists(st.sampled_from(TAG_KEYS), min_size=1, max_size=2, unique=True))
    def untag_resource(self, arn, keys):
        self.untag(arn, keys)

    @on_a_live(updatable)
    def update_resource(self, arn):
        self.update(arn)

    @on_a_live(recommender)
    def stop_or_start_recommender(self, arn):
        self.toggle(arn)

    for changed in (describe_resource, tag_resource, untag_resource, update_resource, stop_or_start_recommender):
        setattr(machine, changed.__name__, changed)


_add_rules(LifecycleMachine)


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
        poll: PollPolicy | None = None, shrink_seconds: float = 60) -> Outcome:
    """Run the state machine; on a contract violation, the shrunk sequence as a boto3 script.

    Hypothesis shrinks for up to five minutes; against a slow target that is most of a CI budget,
    so shrinking ends `shrink_seconds` after the first failure and the shortest failing sequence
    seen by then is reported."""
    walk = Walk(spec, make_target, poll=poll, seed=seed, shrink_seconds=shrink_seconds)

    @hypothesis_seed(seed)
    def machine():
        return LifecycleMachine(walk)

    failure: Failure | None = None
    try:
        with pinned_generation():
            run_state_machine_as_test(machine, settings=settings(
                max_examples=examples, stateful_step_count=steps_per_example, deadline=None, database=None,
                suppress_health_check=list(HealthCheck), report_multiple_bugs=False, print_blob=False))
    except BaseException as exc:
        # Ending an example before it draws what it drew last time is, to Hypothesis, an
        # inconsistent test: what reaches here after a stop may be its complaint, not ours.
        if walk.stopped and not isinstance(exc, (KeyboardInterrupt, SystemExit)):
            failure = walk.shortest
        elif isinstance(exc, (ContractViolation, ScenarioStop)):
            last = walk.last if walk.last and walk.last.message else walk.shortest
            failure = Failure(str(exc).splitlines()[0], last.steps if last else [], last.endpoint if last else None)
        else:
            raise
    if failure is not None:
        walk.outcome.failure = failure.message
        walk.outcome.script = script(failure.steps, failure.endpoint, seed=seed, expectation=failure.message)
    return walk.outcome


__all__ = ["ContractViolation", "LifecycleMachine", "Outcome", "Walk", "fresh_emulator", "nodes", "run",
           "MAX_PER_NODE", "MAX_UPDATES", "TAG_KEYS", "TAG_VALUES", "UNSPECIFIED"]
