"""The driver of sequence-level runs: sends calls, remembers them, polls, judges contracts.

Every request goes through `send_and_check`, so the wire and schema checks judge lifecycle
traffic too, and every request becomes a `CaseRecord` of the run. A contract's findings are
attached to the record of the call that revealed the problem, with the sequence that led there
as evidence: the calls in order and a replayable boto3 script. Everything the driver creates is
registered for `cleanup.teardown`.
"""
from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass, field

from personalize_conformance import contracts
from personalize_conformance.checks import ERROR, NOT_IMPLEMENTED, PASS, UNAVAILABLE, Finding, context_for, evidence
from personalize_conformance.checks.contracts import CONTRACTS, judge
from personalize_conformance.checks.errorcode import error_code
from personalize_conformance.contracts import GONE, Citation, Placeholders
from personalize_conformance.contracts.text import member_doc
from personalize_conformance.strategies import Case

from .cleanup import Created
from .lifecycle_script import script
from .polling import PollPolicy
from .stateless import send_and_check

NOT_FOUND = "ResourceNotFoundException"
THROTTLE_RETRIES = 3
ONE_PER_PARENT = ("ResourceAlreadyExistsException", "LimitExceededException")


class ScenarioStop(Exception):
    """A sequence cannot go on; the reason is reported, never raised out of a run."""


class NotImplementedByTarget(ScenarioStop):
    def __init__(self, operation: str, message: str):
        super().__init__(f"{operation}: {message}")
        self.operation = operation


class Unavailable(ScenarioStop):
    pass


class Blocked(ScenarioStop):
    """A parent or precondition could not be built, so the rule under test cannot be reached."""


class OutsideSpec(ScenarioStop):
    """The sequence needs an operation the run's spec does not describe: it is not sent."""

    def __init__(self, operation: str, source: str):
        super().__init__(f"needs {operation}, which the spec ({source}) does not describe")
        self.operation = operation


@dataclass
class Step:
    index: int
    operation: str
    params: dict
    record: object  # runner.records.CaseRecord
    status: int | None
    code: str | None
    body: dict | None
    at: float  # seconds since the driver started

    @property
    def ok(self) -> bool:
        return self.status == 200

    @property
    def outcome(self) -> str:
        if self.status is None:
            return "nothing (target unavailable)"
        if not self.ok:
            return self.code or f"HTTP {self.status}"
        status = next((v.get("status") for v in (self.body or {}).values()
                       if isinstance(v, dict) and isinstance(v.get("status"), str)), None)
        return f"HTTP 200, status {status}" if status else "HTTP 200"

    def summary(self) -> dict:
        return {"step": self.index, "operation": self.operation, "params": self.params,
                "answer": self.outcome, "at_s": round(self.at, 3)}


@dataclass
class Path:
    """Statuses one action walked, as polls saw them."""
    rtype: str
    arn: str
    member: str
    action: str
    before: str | None
    statuses: list[str] = field(default_factory=list)
    times: list[float] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    settled: bool = False
    waited: float = 0.0
    failed: bool = False                 # it rested in the flow's failure status (a legal end)
    failure_reason: str | None = None    # what the resource said about it
    stopped: str = ""  # why polling stopped at once: an answer no legal walk gives (empty: it did not)

    @property
    def last(self) -> str | None:
        return self.statuses[-1] if self.statuses else None

    def to_dict(self) -> dict:
        out = {"resource": self.rtype, "arn": self.arn, "member": self.member, "action": self.action,
               "before": self.before, "statuses": self.statuses,
               "times_s": [round(t, 4) for t in self.times], "polls": len(self.steps),
               "settled": self.settled, "waited_s": round(self.waited, 4)}
        if self.stopped:
            out["stopped"] = self.stopped
        if self.failed:
            out["failed"] = True
            out["failure_reason"] = self.failure_reason
        return out


class Driver:
    def __init__(self, spec, target, *, seed: int, poll: PollPolicy | None = None,
                 placeholders: Placeholders | None = None, records: list | None = None,
                 created: Created | None = None, wire_checks: bool = True):
        self.spec = spec
        self.wire_checks = wire_checks  # False: only the gates (not implemented, throttled) judge responses
        self.target = target
        self.seed = seed
        self.ctx = context_for(spec)
        self.poll_policy = poll or PollPolicy.for_target(target)
        self.placeholders = placeholders or Placeholders.from_env()
        self.records = records if records is not None else []
        self.created = created if created is not None else Created()
        self.steps: list[Step] = []
        self.paths: list[Path] = []
        self.mark = 0  # first step of the current scenario: where reproductions start
        self.started = time.monotonic()
        self._salt = secrets.token_hex(3)
        self._names = 0
        self._shared: dict[tuple[str, str | None], dict[str, str]] = {}
        self.lineage: dict[str, dict[str, str]] = {}  # ARN -> {type: ARN} of itself and its ancestors

    # -- names and calls ------------------------------------------------------------------

    def name(self) -> str:
        self._names += 1
        # Mixed case, so a target that folds names is caught echoing them (the parity normaliser
        # reads `pc<salt>-<n>` and any `-<alnum>` tail as one name).
        return f"pc{self._salt}-{self._names}-Case"

    def begin(self) -> None:
        """Start a scenario: its reproductions begin here."""
        self.mark = len(self.steps)

    def has(self, operation: str | None) -> bool:
        """Whether the run's spec describes `operation`: a run sends nothing else."""
        return operation is not None and operation in self.spec.operations

    def call(self, operation: str, params: dict) -> Step:
        if not self.has(operation):
            raise OutsideSpec(operation, self.spec.source)
        for attempt in range(THROTTLE_RETRIES + 1):
            case = Case.from_params(operation, params, family="lifecycle", seed=self.seed)
            record = send_and_check(self.target, case, self.ctx) if self.wire_checks else \
                _send_gated(self.target, case, self.ctx)
            record.seed = self.seed
            outcomes = {f.outcome for f in record.findings}
            throttled = any(f.rule == "target.throttled" and f.outcome == UNAVAILABLE for f in record.findings)
            if throttled and attempt < THROTTLE_RETRIES and getattr(self.target, "name", "") not in ("emulator", "moto"):
                time.sleep(2 ** attempt)
                continue
            break
        self.records.append(record)
        response = record.response
        body = None
        if response is not None and response.status == 200:
            try:
                parsed = json.loads(response.body.decode("utf-8"))
                body = parsed if isinstance(parsed, dict) else None
            except ValueError:
                body = None
        code = error_code(response.headers, response.body) if response is not None and response.status != 200 else None
        step = Step(len(self.steps), operation, params, record, response.status if response else None, code, body,
                    time.monotonic() - self.started)
        self.steps.append(step)
        if NOT_IMPLEMENTED in outcomes:
            raise NotImplementedByTarget(operation, next(f.message for f in record.findings if f.outcome == NOT_IMPLEMENTED))
        if UNAVAILABLE in outcomes:
            raise Unavailable(next(f.message for f in record.findings if f.outcome == UNAVAILABLE))
        if ERROR in outcomes and response is None:
            raise ScenarioStop(next(f.message for f in record.findings if f.outcome == ERROR))
        return step

    # -- judging ----------------------------------------------------------------------------

    def verdict(self, rule: str, step: Step, citation=None, *, level: str | None = None, **observation) -> str:
        """Judge one contract and attach its finding to `step`'s record; returns the outcome.
        `level` is the evidence level of what was judged where it is not the rule's own (a
        lifecycle flow's)."""
        verdicts = judge(rule, **observation)
        if any(v.outcome == "skip" for v in verdicts):
            return "skip"
        source = str(citation) if citation else CONTRACTS[rule].source
        base = dict(rule=rule, operation=step.operation, case_id=step.record.case.case_id, source=source)
        if not verdicts:
            step.record.findings.append(Finding(outcome=PASS, evidence_level=level or evidence.level(rule), **base))
            return PASS
        for v in verdicts:
            reproduction = self.evidence(v.message) if v.outcome in ("fail", "warn", "error") else {}
            step.record.findings.append(Finding(outcome=v.outcome, message=v.message, evidence=reproduction,
                                                evidence_level=v.level or "", **base))
        return verdicts[0].outcome

    def evidence(self, expectation: str) -> dict:
        sequence = self.steps[self.mark:]
        return {"sequence": [s.summary() for s in sequence],
                "boto3": script(sequence, getattr(self.target, "endpoint", None), seed=self.seed,
                                expectation=expectation),
                "hypothesis_seed": self.seed}

    # -- resources ----------------------------------------------------------------------------

    def create(self, rtype: str, parents: dict[str, str], *, variant: str | None = None,
               tags: dict | None = None, name: str | None = None, **overrides) -> Step:
        rt = contracts.resource_type(rtype)
        params = contracts.create_request(rtype, name or self.name(), parents, variant=variant,
                                          placeholders=self.placeholders, tags=tags, **overrides)
        step = self.call(rt.op("create"), params)
        arn = (step.body or {}).get(rt.arn)
        if step.ok:  # what a create made must be named, or no later step can reach it
            self.verdict("lifecycle.create-identifies", step,
                         contracts.Citation(operation=rt.op("create"), response=rt.arn, phrase="ARN"),
                         operation=step.operation, status=step.status, member=rt.arn, arn=arn)
        if step.ok and isinstance(arn, str) and arn:
            self.created.add(rtype, arn)
            family = {rtype: arn}
            for member, ptype in rt.parents.items():
                parent = params.get(member)
                if isinstance(parent, str):
                    family = {**self.lineage.get(parent, {}), ptype: parent, **family}
            self.lineage[arn] = family
        return step

    def scope_for(self, rtype: str, arn_or_parents) -> str | None:
        """The value of `rtype`'s list filter for a resource (its ARN) or a create's parents."""
        rt = contracts.resource_type(rtype)
        if not rt.list_filter:
            return None
        want = contracts.references()[rt.list_filter]
        if isinstance(arn_or_parents, dict):
            if rt.list_filter in arn_or_parents:
                return arn_or_parents[rt.list_filter]
            for parent in arn_or_parents.values():
                if want in self.lineage.get(parent, {}):
                    return self.lineage[parent][want]
            return None
        return self.lineage.get(arn_or_parents, {}).get(want)

    def foreign(self, rtype: str, scope: str | None) -> dict[str, str]:
        """ARN -> its scope, for every `rtype` the driver made under another scope than `scope`."""
        if not scope:
            return {}
        out = {}
        for arn in [a for a, family in self.lineage.items() if family.get(rtype) == a]:
            theirs = self.scope_for(rtype, arn)
            if theirs and theirs != scope:
                out[arn] = theirs
        return out

    def new(self, rtype: str, *, variant: str | None = None, tags: dict | None = None,
            shared: bool = True) -> tuple[Step, dict[str, str]]:
        """Create one more `rtype` on ACTIVE parents: (the create's step, the parents used).

        Some types allow one per parent (an event tracker per dataset group, a dataset per type):
        when the shared parents already hold one, the create is retried on private parents.
        """
        parents = self.ready(rtype, variant=variant, shared=shared)
        step = self.create(rtype, parents, variant=variant, tags=tags)
        if shared and step.code in ONE_PER_PARENT:
            parents = self.ready(rtype, variant=variant, shared=False)
            step = self.create(rtype, parents, variant=variant, tags=tags)
        return step, parents

    def arn_of(self, rtype: str, step: Step) -> str | None:
        arn = (step.body or {}).get(contracts.resource_type(rtype).arn)
        return arn if isinstance(arn, str) else None

    def describe(self, rtype: str, arn: str) -> Step:
        rt = contracts.resource_type(rtype)
        return self.call(rt.op("describe"), {rt.arn: arn})

    @staticmethod
    def described(rtype: str, step: Step) -> dict | None:
        value = (step.body or {}).get(contracts.resource_type(rtype).describe_key)
        return value if isinstance(value, dict) else None

    def status_of(self, rtype: str, step: Step, member: str = "status") -> str | None:
        if step.code == NOT_FOUND:
            return GONE
        resource = self.described(rtype, step)
        if resource is None:
            return None
        if member == "status":
            value = resource.get(contracts.resource_type(rtype).status or "status")
        else:
            value = (resource.get(member) or {}).get("status") if isinstance(resource.get(member), dict) else None
        return value if isinstance(value, str) else None

    def poll(self, rtype: str, arn: str, action: str, *, member: str = "status",
             before: str | None = None, policy: PollPolicy | None = None) -> Path:
        """Describe until the action's flow rests (or the resource is gone after a delete).

        An answer no legal walk gives (an error other than ResourceNotFoundException, a status the
        machine does not know, a step backwards) ends polling at once: waiting longer cannot make
        it right, and the rule it broke is judged on it (`judge_path`)."""
        machine = contracts.machine(rtype, member)
        flow = machine.flow(action) if machine else None
        resting = set(flow.resting) if flow else set()
        if action == "delete":
            resting.add(GONE)
        elif not resting:
            resting = {None}  # no lifecycle: existing is resting
        policy = policy or self.poll_policy
        path = Path(rtype, arn, member, action, before)
        started = time.monotonic()
        for delay in policy.delays():
            if delay:
                time.sleep(delay)
            step = self.describe(rtype, arn)
            status = self.status_of(rtype, step, member)
            path.steps.append(step)
            path.waited = time.monotonic() - started
            if status is not None or step.code == NOT_FOUND:
                path.statuses.append(status)
                path.times.append(round(path.waited, 4))
            canonical = machine.canonical(status) if machine and status else status
            if canonical in resting or (not rtype_has_status(rtype) and action != "delete" and step.ok):
                path.settled = True
                if flow is not None and canonical in flow.failures:
                    path.failed = True
                    reason = (self.described(rtype, step) or {}).get("failureReason")
                    path.failure_reason = reason if isinstance(reason, str) else None
                break
            path.stopped = self._wrong_answer(step, status, machine, path, member)
            if path.stopped or path.waited > policy.max_wait or (status == GONE and action != "delete"):
                break  # a wrong answer, out of time, or gone while it should settle: polling longer cannot help
        self.paths.append(path)
        return path

    def _wrong_answer(self, step: Step, status: str | None, machine, path: Path, member: str) -> str:
        """Why this poll's answer is one no legal walk of `path.action` gives, or ""."""
        if step.status is not None and not step.ok and step.code != NOT_FOUND:
            return f"{step.operation} answered {step.outcome} while polling"
        if machine is None or status is None or status == GONE:
            if step.ok and status is None and machine is not None and member == "status":
                return f"{step.operation} answered without the {machine.resource}'s status"
            return ""
        from personalize_conformance.checks.lifecycle_paths import flow_level
        flow = machine.flow(path.action)
        if flow is None or not (flow_level(machine, path.action) == evidence.OBSERVED or evidence.strict()):
            return ""  # the docs alone name these statuses: a departure is warned about, and the walk goes on
        if not machine.knows(status):
            return f"{status!r} is not a status of the {machine.resource}"
        if machine.path_problem(path.action, path.statuses, path.before):
            return f"{' → '.join(map(str, path.statuses))} is not a legal walk"
        return ""

    def judge_path(self, path: Path) -> str:
        """The lifecycle contracts on one walked path; attached to its last poll."""
        from personalize_conformance.checks.lifecycle_paths import flow_level
        if not path.steps:
            return "skip"
        last = path.steps[-1]
        machine = contracts.machine(path.rtype, path.member)
        outcomes = []
        if last.status is not None:
            rt = contracts.resource_type(path.rtype)
            outcomes.append(self.verdict("lifecycle.poll-answer", last, Citation(operation=rt.op("describe"),
                                                                               declares=NOT_FOUND),
                                         operation=last.operation, resource=path.arn, action=path.action,
                                         status=last.status, code=last.code, polls=len(path.steps)))
        if machine is not None and path.action in machine.flows:
            flow = machine.flows[path.action]
            cite, level = flow.cite, flow_level(machine, path.action)
            outcomes.append(self.verdict("lifecycle.known-status", last, cite, level=level, machine=machine,
                                         path=path.statuses, action=path.action))
            outcomes.append(self.verdict("lifecycle.legal-transition", last, cite, level=level, machine=machine,
                                         action=path.action, path=path.statuses, before=path.before))
            outcomes.append(self.verdict("lifecycle.settles", last, cite, machine=machine, action=path.action,
                                         path=path.statuses, settled=path.settled, polls=len(path.steps),
                                         waited=path.waited, stopped=path.stopped))
            if path.failed:
                outcomes.append(self.verdict("lifecycle.failure-reason", last, self.reason_cite(path.rtype),
                                             machine=machine, action=path.action, path=path.statuses,
                                             reason=path.failure_reason, members=self.members(path.rtype)))
        if path.action == "delete" and not path.stopped:
            rt = contracts.resource_type(path.rtype)
            cite = contracts.Citation(operation=rt.op("describe"), declares=NOT_FOUND)
            outcomes.append(self.verdict("lifecycle.gone-after-delete", last, cite, resource=path.arn,
                                         path=path.statuses, gone=path.settled, polls=len(path.steps),
                                         waited=path.waited))
        return _worst(outcomes)

    def members(self, rtype: str) -> set[str]:
        """The members the spec gives `rtype`'s Describe answer."""
        rt = contracts.resource_type(rtype)
        op = self.spec.operations.get(rt.op("describe") or "")
        schema = (op.response_schema or {}) if op else {}
        return set(schema.get("properties", {}).get(rt.describe_key, {}).get("properties", {}))

    def reason_cite(self, rtype: str):
        """Where the spec says a failed `rtype` gives its reason: its failureReason's documentation."""
        rt = contracts.resource_type(rtype)
        op = self.spec.operations.get(rt.op("describe") or "")
        where = f"{rt.describe_key}.failureReason"
        phrase = member_doc(op.response_schema if op else None, where)
        return contracts.Citation(operation=rt.op("describe"), response=where, phrase=phrase or None)

    def ready(self, rtype: str, *, variant: str | None = None, shared: bool = True) -> dict[str, str]:
        """Parent members → ARNs of ACTIVE parents for a `rtype` create, built on demand.

        Shared parents are reused by later scenarios; `shared=False` builds a private chain.
        """
        rt = contracts.resource_type(rtype)
        variant = variant or rt.chain
        parents = {}
        for member, ptype in rt.parents.items():
            parents[member] = self.active(ptype, variant=variant, shared=shared)
        return parents

    def active(self, rtype: str, *, variant: str | None = None, shared: bool = True, **overrides) -> str:
        """The ARN of an ACTIVE resource of `rtype`, created (with its parents) when needed."""
        key = (rtype, variant)
        if shared and key in self._shared and not overrides:
            return self._shared[key]["arn"]
        if overrides:
            step = self.create(rtype, self.ready(rtype, variant=variant, shared=shared), variant=variant, **overrides)
        else:
            step, _ = self.new(rtype, variant=variant, shared=shared)
        arn = self.arn_of(rtype, step)
        if not step.ok or arn is None:
            raise Blocked(f"could not create a {rtype} to build on: {step.operation} answered {step.outcome}")
        if rtype_has_status(rtype):
            path = self.poll(rtype, arn, "create")
            if path.last != "ACTIVE":
                raise Blocked(f"the {rtype} {arn} built to test on did not become ACTIVE "
                              f"(statuses seen: {' → '.join(map(str, path.statuses)) or 'none'})")
        if shared and not overrides:
            self._shared[key] = {"arn": arn}
        return arn

    def forget_shared(self, arn: str) -> None:
        """Drop a shared parent that a scenario deleted."""
        self._shared = {k: v for k, v in self._shared.items() if v["arn"] != arn}

    def list_walk(self, rtype: str, scope: str | None, max_results: int | None, *, max_pages: int = 200):
        """Walk a List by nextToken: (pages of ARNs, tokens, items by ARN, terminated, steps)."""
        rt = contracts.resource_type(rtype)
        params: dict = {}
        if scope and rt.list_filter:
            params[rt.list_filter] = scope
        if max_results:
            params["maxResults"] = max_results
        pages, tokens, items, steps = [], [], {}, []
        token = None
        seen_tokens = set()
        for _ in range(max_pages):
            step = self.call(rt.op("list"), {**params, **({"nextToken": token} if token else {})})
            steps.append(step)
            if not step.ok:
                return pages, tokens, items, False, steps
            page = [i for i in (step.body or {}).get(rt.list_key) or [] if isinstance(i, dict)]
            pages.append([i.get(rt.arn) for i in page])
            for item in page:
                items.setdefault(item.get(rt.arn), item)
            token = (step.body or {}).get("nextToken")
            tokens.append(token)
            if not token:
                return pages, tokens, items, True, steps
            if token in seen_tokens and not pages[-1]:
                break
            seen_tokens.add(token)
        return pages, tokens, items, False, steps

    def lifecycles(self) -> list[dict]:
        return [p.to_dict() for p in self.paths]


def _send_gated(target, case, ctx):
    """`send_and_check` with the gates alone: for long random walks whose every response the
    per-response checks have judged elsewhere already."""
    from personalize_conformance.checks.registry import GATES, run_checks
    from personalize_conformance.targets import TargetUnavailable

    from .records import CaseRecord
    try:
        response = target.send(case.operation, case.body, case.headers)
    except TargetUnavailable as exc:
        return CaseRecord(case, None, [Finding("target.available", UNAVAILABLE, str(exc), case.operation,
                                               case.case_id, "Target answered")])
    except Exception as exc:  # an adapter bug is a harness error, reported, never a crash
        return CaseRecord(case, None, [Finding("harness", ERROR, f"{exc.__class__.__name__}: {exc}",
                                               case.operation, case.case_id, "Harness")])
    return CaseRecord(case, response, run_checks(case, response, ctx, rules=GATES))


def rtype_has_status(rtype: str) -> bool:
    return bool(contracts.resource_type(rtype).status)


_ORDER = ["error", "fail", "warn", "pass", "skip"]


def _worst(outcomes) -> str:
    outcomes = [o for o in outcomes if o in _ORDER]
    return min(outcomes, key=_ORDER.index) if outcomes else "skip"
