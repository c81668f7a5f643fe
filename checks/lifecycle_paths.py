"""Lifecycle contracts: the statuses a resource walks through after each action.

Observations: `machine` (contracts.Machine), `action` (create, delete, update, stop, start),
`path` (statuses in the order the polls saw them; `contracts.GONE` once Describe answered
ResourceNotFoundException) and `before` (the status seen before the action, None for a create).
A path that ends in the flow's failure status (`-or- CREATE FAILED`) has ended legally.
"""
from __future__ import annotations

from personalize_conformance.contracts import GONE

from .contracts import contract, severity
from .findings import SKIP, fail, warn

SOURCE = "Lifecycles in contracts/lifecycles.yaml, each chain cited to its operation's documentation"


def flow_level(machine, action: str | None) -> str:
    """The evidence of a flow's statuses and order: `observed` where AWS traffic walked it
    (labelled so, or given the chains AWS was seen to walk), else `doc`."""
    flow = machine.flow(action) if action else None
    if flow is None:
        return "doc"
    return "observed" if flow.evidence == "observed" or getattr(flow, "observed", ()) else "doc"


def _severity(machine, level: str):
    """An observed flow FAILs whatever the docs say of it; a doc-only one is graded by the docs."""
    return severity(machine.documented or level == "observed")


@contract("lifecycle.legal-transition", source=SOURCE)
def legal_transition(*, machine, action, path, before=None, arn=None):
    """`action` None: no action was taken since the resource settled at `before`, so any other
    status is a step nothing called for."""
    if action is None:
        yield from _stayed(machine, path, before, arn)
        return
    if machine.flow(action) is None:
        yield SKIP
        return
    problem = machine.path_problem(action, path, before)
    if problem:
        level = flow_level(machine, action)
        yield _severity(machine, level)(
            f"{machine.resource} {machine.member}: {problem}; observed {' → '.join(path)}", level=level,
            claim=f"{machine.resource} {machine.member} walks {_walks(machine.flow(action))} on {action}")


def _stayed(machine, path, before, arn):
    if machine is None or before is None:
        yield SKIP
        return
    moved = next((s for s in path if s and machine.canonical(s) != machine.canonical(before)), None)
    if moved is not None:
        where = f" {arn}" if arn else ""
        yield severity(machine.documented)(
            f"the settled {machine.resource}{where} was {before!r} and is now {moved!r} with no action taken",
            expectation="stays")


@contract("lifecycle.known-status", source=SOURCE)
def known_status(*, machine, path, action=None, **_):
    unknown = sorted({s for s in path if not machine.knows(s)})
    if not unknown:
        return
    level = flow_level(machine, action)
    yield _severity(machine, level)(
        f"{machine.resource} {machine.member} reported {', '.join(map(repr, unknown))}, which the "
        f"spec does not list (known: {', '.join(sorted(machine.states))})", level=level,
        claim=f"the {machine.resource} {machine.member} values are {', '.join(sorted(machine.states))}")


def _walks(flow) -> str:
    return "; ".join(str(c) for c in flow.walks)


@contract("lifecycle.settles", source="Polling is bounded: every action ends in a resting status within the wait")
def settles(*, machine, action, path, settled, polls, waited, stopped=None, **_):
    flow = machine.flow(action)
    if flow is None or action == "delete" or stopped:
        yield SKIP  # polling stopped at a wrong answer: the rule that answer broke reports it
        return
    if not settled:
        last = path[-1] if path else "nothing"
        yield severity(machine.documented)(
            f"{machine.resource} {machine.member} still {last!r} after {action} "
            f"({polls} polls, {waited:.1f}s); expected one of {', '.join(sorted(flow.resting))}")


@contract("lifecycle.failure-reason",
          source="A resource that ends in a failure status says why in failureReason (CreateSolutionVersion: "
                 "\"If the status shows as CREATE FAILED, the response includes a failureReason key\")")
def failure_reason(*, machine, action, path, reason, members, **_):
    """Judged only on a path that ended in failure, for a type whose Describe has the member. The
    model marks failureReason optional, so a missing one is a warning, never a failure."""
    flow = machine.flow(action)
    last = machine.canonical(path[-1]) if path else None
    if flow is None or last not in flow.failures or "failureReason" not in members:
        yield SKIP
        return
    if not isinstance(reason, str) or not reason.strip():
        yield warn(f"{machine.resource} {machine.member} ended its {action} in {last!r} without a "
                   f"failureReason saying why")


@contract("lifecycle.gone-after-delete",
          source="After Delete, Describe answers ResourceNotFoundException (or a DELETE status on the way) "
                 "within the wait")
def gone_after_delete(*, resource, path, gone, polls, waited, **_):
    if not gone:
        last = path[-1] if path else "nothing"
        yield severity(True)(f"{resource} still answers {last!r} {polls} polls ({waited:.1f}s) after its "
                             f"delete was accepted; it never went away")


@contract("lifecycle.create-identifies",
          source="Each Create's response names what it created by its ARN (the Create's response syntax)")
def create_identifies(*, operation, status, member, arn):
    if status != 200:
        yield SKIP  # a refused create is lifecycle.action-accepted's to judge
        return
    if not isinstance(arn, str) or not arn:
        yield severity(True)(f"{operation} answered HTTP 200 without {member} (got {arn!r}): what it created "
                             "cannot be described, listed or deleted")


@contract("lifecycle.action-accepted",
          source="A minimal valid create, and a documented change of a resource in the state it asks for, is accepted")
def action_accepted(*, operation, status, code, state=None):
    if status is not None and status != 200:
        where = f" on a resource in {state!r}" if state else ""
        yield severity(True)(f"{operation}{where} was answered {code or f'HTTP {status}'}; expected success")




@contract("lifecycle.poll-answer",
          source="While a resource changes, its Describe answers it, or ResourceNotFoundException once it is "
                 "gone (the Describe's declared error); any other answer ends polling at once")
def poll_answer(*, operation, resource, action, status, code, polls, **_):
    if status is None:
        yield SKIP  # no answer: the target's availability is reported, not this rule
        return
    if status == 200 or code == "ResourceNotFoundException":
        return
    yield fail(f"{operation} of {resource}, polled after its {action}, answered {code or f'HTTP {status}'} "
               f"(poll {polls}); expected the resource, or ResourceNotFoundException once it is gone")


__all__ = ["action_accepted", "create_identifies", "legal_transition", "known_status", "settles", "failure_reason",
           "gone_after_delete", "poll_answer", "flow_level", "GONE"]
