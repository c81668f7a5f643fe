"""`run --plan`: what a run will send and create, per operation, before anything is sent.

The counts are not estimated from the spec: the run is rehearsed, with the same spec, seed, run
id, budget and selection, against the bundled emulator in this process, through a target that
counts every request per operation and every create it accepts. Nothing reaches the planned
target; no connection is opened and no credentials are read. On `--target aws` the rehearsal
holds back what the billable guard would, so the cost of a run is known before it starts.

A target that answers otherwise than the bundled emulator is sent otherwise, so each row also
has an upper bound, from what can add requests to a run: a failure is shrunk (at most
`SHRINK_SENDS` more requests per probe), a status settles late (each wait polls at most as the
poll policy of the planned target allows), a List walk has more pages (at most `MAX_PAGES`), a
delete is refused for a while (at most `DELETE_ATTEMPTS`). Fewer requests go out when the target
lacks an operation or stops answering.
"""
from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field

from personalize_conformance.targets.aws import BILLABLE, BILLABLE_WHEN_TRUE, NotSent, billable_reason

from .polling import PollPolicy
from .safety import IN_PROCESS, SafeTarget
from .stamp import TAG_KEY, name_prefix
from .stateless import SHRINK_SENDS, Budget

MAX_PAGES = 200  # runner.lifecycle_driver.list_walk and runner.sweep read at most this many pages
DELETE_ATTEMPTS = 4  # runner.cleanup.teardown

# What an operation that creates nothing does, by kind.
EFFECT = {"describe": "reads only", "list": "reads only",
          "delete": "deletes only the resource its request names",
          "update": "changes only the resource its request names",
          "stop": "stops only the resource its request names",
          "start": "starts only the resource its request names"}


class CountingTarget:
    """Counts what passes through to `inner`: requests per operation and stage, creates answered
    200, List walks begun (a List without a nextToken) and Describes outside the stateless
    stage (each may be the first poll of a wait). With `hold_back`, refuses what the billable
    guard of `--target aws` would refuse, as `NotSent`."""

    def __init__(self, inner, *, hold_back: bool = False):
        self.inner = inner
        self.hold_back = hold_back
        self.stage = "stateless"
        self.sends: Counter = Counter()
        self.by_stage: Counter = Counter()  # (operation, stage) -> requests
        self.accepted: Counter = Counter()  # operation -> answers 200
        self.walks: Counter = Counter()
        self.waits: Counter = Counter()
        self.held: Counter = Counter()

    @property
    def name(self) -> str:
        return self.inner.name

    @property
    def endpoint(self) -> str:
        return self.inner.endpoint

    def __getattr__(self, attr):
        if attr == "inner":
            raise AttributeError(attr)
        return getattr(self.inner, attr)

    def send(self, operation: str, body: bytes, headers: dict | None = None):
        if self.hold_back:
            reason = billable_reason(operation, body)
            if reason:
                self.held[operation] += 1
                raise NotSent(f"not sent: {operation} {reason}; pass --allow-billable to allow it")
        self.sends[operation] += 1
        self.by_stage[(operation, self.stage)] += 1
        if self.stage != "stateless":
            if operation.startswith("List") and b"nextToken" not in (body or b""):
                self.walks[operation] += 1
            if operation.startswith("Describe"):
                self.waits[operation] += 1
        response = self.inner.send(operation, body, headers)
        if response.status == 200:
            self.accepted[operation] += 1
        return response

    def close(self) -> None:
        self.inner.close()


class _Rehearsal(SafeTarget):
    """The run's SafeTarget (stamping, ledger), persistent when the planned target is, so that
    the run's own teardown is rehearsed too."""

    def __init__(self, *args, persistent: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self._persistent = persistent

    @property
    def persistent(self) -> bool:
        return self._persistent


@dataclass
class PlanRow:
    operation: str
    kind: str
    sends: int  # rehearsed: what the run sends when the target answers as the bundled emulator
    at_most: int  # whatever the target answers
    creates: int = 0  # rehearsed creates accepted
    creates_what: str = ""
    note: str = ""
    stages: dict = field(default_factory=dict)  # stage -> requests


@dataclass
class Plan:
    rows: list[PlanRow]
    target: str
    run_id: str
    seed: int
    seconds: float
    persistent: bool
    policy: PollPolicy
    polls_per_wait: int
    stages: tuple[str, ...]


def target_label(target: str | None, endpoint_url: str | None) -> str:
    return target or endpoint_url or "emulator"


def polls_per_wait(policy: PollPolicy) -> int:
    """The most Describes one wait can send under `policy`: it stops after `max_polls`, or at the
    first poll after `max_wait` seconds of pauses."""
    waited, polls = 0.0, 0
    for delay in policy.delays():
        waited += delay
        polls += 1
        if waited > policy.max_wait:
            break
    return polls


class _Named:
    def __init__(self, name: str):
        self.name = name


def build_plan(spec, *, operations, examples: int, target: str | None, endpoint_url: str | None,
               allow_billable: bool, run_id: str, seed: int = 0, selection=None,
               emulator_options: dict | None = None) -> Plan:
    """Rehearse the run on the bundled emulator and count it (see the module's docstring)."""
    from personalize_conformance.targets.inprocess import EmulatorTarget

    from .lifecycle import lifecycle_stage
    from .records import RunResult
    from .stateless import FAMILIES, run_stateless
    from .teardown import RunGuard

    label = target_label(target, endpoint_url)
    choice = target or ("url" if endpoint_url else "emulator")
    on_aws = choice == "aws"
    persistent = choice not in IN_PROCESS
    rehearse_with = emulator_options if choice in ("emulator", "emulator-server") else {}
    counter = CountingTarget(EmulatorTarget(**(rehearse_with or {})), hold_back=on_aws and not allow_billable)
    safe = _Rehearsal(counter, spec, run_id, persistent=persistent)
    families = selection.families if selection is not None else (*FAMILIES, "lifecycle")
    ops = {n: spec.operation(n) for n in operations}
    result = RunResult(run_id=run_id, target=label, endpoint="", spec_source=spec.source,
                       spec_version=spec.version, seed=seed, operations=ops, started=time.time())
    started = time.monotonic()
    records = run_stateless(spec, safe, run_seed=seed, examples=examples, operations=list(ops),
                            families=tuple(f for f in FAMILIES if f in families))
    result.records.extend(records)
    stages = ["stateless"]
    if "lifecycle" in families and set(ops) == set(spec.operations):
        counter.stage = "lifecycle"
        lifecycle_stage(spec, safe, result)
        stages.append("lifecycle")
    if persistent:
        counter.stage = "teardown"
        RunGuard(safe).teardown()
        stages.append("teardown")
    seconds = time.monotonic() - started
    counter.close()

    policy = PollPolicy.for_target(_Named(choice))
    per_wait = polls_per_wait(policy)
    budget = Budget.from_examples(examples)
    probes: Counter = Counter()
    for r in records:
        if r.case.family in ("boundary", "invalid") and r.case.rule:
            probes[(r.case.operation, r.case.family, r.case.rule)] = 1
    probes_per_op = Counter(op for op, _, _ in probes)
    prefix = name_prefix(run_id)
    rows = []
    for name, op in ops.items():
        sends = counter.sends[name]
        # a valid family sends up to its budget (the rehearsal's may repeat a request, sent once),
        # and each failure found is shrunk; each probe likewise
        shrink = (budget.valid + SHRINK_SENDS if "valid" in families else 0) \
            + probes_per_op[name] * (budget.per_probe + SHRINK_SENDS)
        at_most = (sends + shrink + counter.waits[name] * (per_wait - 1)
                   + counter.walks[name] * (MAX_PAGES - 1))
        if op.kind == "delete":
            at_most += (counter.by_stage[(name, "lifecycle")] + counter.by_stage[(name, "teardown")]) \
                * (DELETE_ATTEMPTS - 1)
        note = ""
        if on_aws and name in BILLABLE and not allow_billable:
            note = f"not sent: {BILLABLE[name]} (--allow-billable sends it)"
        elif on_aws and name in BILLABLE_WHEN_TRUE and not allow_billable:
            member, _, reason = BILLABLE_WHEN_TRUE[name]
            note = f"sent only with {member}=false: otherwise it {reason} (--allow-billable sends it)"
        elif on_aws and name in BILLABLE:
            note = f"billable: {BILLABLE[name]}"
        creates = counter.accepted[name] if op.kind == "create" else 0
        what = ""
        if op.kind == "create" and sends:
            props = (op.request_schema or {}).get("properties", {})
            named = next((m for m in ("name", "jobName") if m in props), None)
            what = op.resource + (f" named {prefix}…" if named else "")
            if "tags" in props:
                what += f", tagged {TAG_KEY}={run_id}"
        if not sends and name in counter.held:
            at_most = 0  # every request of it is held back
        rows.append(PlanRow(name, op.kind, sends, at_most, creates, what, note,
                            {s: counter.by_stage[(name, s)] for s in stages}))
    return Plan(rows, label, run_id, seed, seconds, persistent, policy, per_wait, tuple(stages))


def render(plan: Plan) -> str:
    rows = plan.rows
    width = max([len(r.operation) for r in rows] + [9])
    lines = [f"plan for run {plan.run_id} against {plan.target}, hypothesis seed {plan.seed} "
             f"(nothing has been sent to {plan.target})",
             f"counted by rehearsing the run on the bundled emulator in this process "
             f"({plan.seconds:.1f} s; stages: {', '.join(plan.stages)})", "",
             f"{'operation':{width}}  {'sends':>6}  {'at most':>7}  {'creates':>7}  what it creates / note"]
    for r in rows:
        text = "; ".join(x for x in ((f"{r.creates_what}" if r.creates_what else EFFECT.get(r.kind, "")), r.note) if x)
        lines.append(f"{r.operation:{width}}  {r.sends:>6}  {r.at_most:>7}  {r.creates if r.kind == 'create' else '':>7}  {text}")
    created = [r for r in rows if r.kind == "create" and r.sends]
    held = [r for r in rows if r.note.startswith("not sent")]
    lines += ["", f"{'total':{width}}  {sum(r.sends for r in rows):>6}  {sum(r.at_most for r in rows):>7}  "
                  f"{sum(r.creates for r in created):>7}",
              "", f"creates: {sum(r.creates for r in created)} resources through {len(created)} create operations "
                  "(a target accepting more of the create requests makes at most one resource per request)"]
    if held:
        lines.append(f"held back: {len(held)} billable operations ({', '.join(r.operation for r in held)})")
    lines += ["", f"sends: exactly these on a target answering as the bundled emulator does (same seed "
                  f"{plan.seed} and run id: `--hypothesis-seed {plan.seed} --run-id {plan.run_id}`).",
              "at most: whatever the target answers. Each failing probe is shrunk with up to "
              f"{SHRINK_SENDS} more requests; each wait for a status polls up to {plan.polls_per_wait} "
              f"times (within {plan.policy.max_wait:g} s on {plan.target}); each List walk reads up to "
              f"{MAX_PAGES} pages; each teardown delete is tried up to {DELETE_ATTEMPTS} times. A target "
              "lacking an operation, or not answering, is sent fewer."]
    if not plan.persistent:
        lines.append("teardown: not needed, the target does not outlive the run")
    else:
        lines.append("teardown: everything created is deleted at the end of the run, children first, "
                     "also after a failure, Ctrl-C or SIGTERM (its requests are counted above)")
    return "\n".join(lines)


__all__ = ["CountingTarget", "Plan", "PlanRow", "build_plan", "render", "target_label", "polls_per_wait"]
