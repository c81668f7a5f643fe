"""Comparing answers that were observed, not sent: the corpus of real AWS traffic.

Observations printed answers, not the calls that caused them, so they cannot be replayed. Each
is matched by operation against what the target answered in the scenario set instead:

- a response: its members and their JSON types must be in one of the target's answers to that
  operation (the closest one; values differ by nature, and members the target adds beyond the
  observation are left to the schema checks: AWS has added members since most recordings);
- an error: the target must have answered that operation with that code somewhere;
- a status walk: every status AWS walked must show in the target's walks of that flow, and
  where AWS's walk ended in success, one of the target's must end there too.
With nothing of its kind from the target, an observation is not comparable, and says why.
"""
from __future__ import annotations

from .compare import DIFFERENT, IDENTICAL, NOT_COMPARABLE, Verdict, _type
from .snapshot import Exchange, Scenario


def _flow(poll: dict) -> tuple:
    return poll.get("resource"), poll.get("action", "create"), poll.get("member", "status")


def compare_observed(scenario: Scenario, answers: list[Exchange]) -> list[dict]:
    by_operation: dict[str, list[Exchange]] = {}
    walks: dict[tuple, list[list]] = {}
    for ex in answers:
        by_operation.setdefault(ex.operation, []).append(ex)
        if ex.poll:
            walks.setdefault(_flow(ex.poll), []).append(ex.poll.get("statuses") or [])
    out = []
    for i, ex in enumerate(scenario.exchanges):
        if ex.poll:
            verdict = _walk(i, ex, walks.get(_flow(ex.poll), []))
        elif ex.error:
            same = [a for a in by_operation.get(ex.operation, []) if a.error == ex.error]
            verdict = Verdict(ex.operation, i, IDENTICAL) if same else Verdict(
                ex.operation, i, NOT_COMPARABLE, [f"the scenario set never made {ex.operation} answer {ex.error}"])
        else:
            verdict = _response(i, ex, [a for a in by_operation.get(ex.operation, [])
                                        if a.status == ex.status and a.response is not None])
        out.append(verdict.to_dict())
    return out


def _walk(i: int, ex: Exchange, theirs: list[list]) -> Verdict:
    """AWS's statuses must show up in the target's walks (a poll may miss a passing state, so
    the target may show more), and where AWS's walk ended in a success the target's must too."""
    from personalize_conformance import contracts
    if not theirs:
        return Verdict(ex.operation, i, NOT_COMPARABLE,
                       [f"the target walked no {ex.poll.get('action', 'create')} of a {ex.poll.get('resource')}"])
    observed = [s for s in ex.poll.get("statuses") or [] if s]
    shown = {s for w in theirs for s in w}
    diffs = []
    unseen = [s for s in observed if s not in shown and "FAILED" not in s]  # a failure is its situation's
    if unseen:
        diffs.append(f"AWS walked {', '.join(unseen)}; the target's walks never show it "
                     f"(they show {', '.join(sorted(map(str, shown)))})")
    machine = contracts.machine(ex.poll.get("resource", ""), ex.poll.get("member", "status"))
    flow = machine.flow(ex.poll.get("action", "create")) if machine else None
    success = {s for s in (flow.resting if flow else ()) if "FAILED" not in str(s)}
    if observed and observed[-1] in success and not any(w and w[-1] == observed[-1] for w in theirs):
        diffs.append(f"AWS rested in {observed[-1]}; the target's walks rest in "
                     f"{', '.join(sorted({str(w[-1]) for w in theirs if w}))}")
    return Verdict(ex.operation, i, DIFFERENT if diffs else IDENTICAL, diffs)


def _response(i: int, ex: Exchange, theirs: list[Exchange]) -> Verdict:
    if not theirs:
        return Verdict(ex.operation, i, NOT_COMPARABLE,
                       [f"the target gave no {ex.status} answer to {ex.operation} in the scenario set"])
    best = min((list(_missing(ex.response, t.response, "$")) for t in theirs), key=len)
    return Verdict(ex.operation, i, DIFFERENT if best else IDENTICAL, best)


def _missing(observed, theirs, path: str):
    """What the observation has that the target's answer lacks, or holds as another type."""
    if _type(observed) != _type(theirs):
        if observed is not None:
            yield f"{path}: {_type(observed)} on AWS, {_type(theirs)} here"
        return
    if isinstance(observed, dict):
        for key, value in observed.items():
            if key not in theirs:
                yield f"{path}.{key}: AWS answers it, the target does not"
            else:
                yield from _missing(value, theirs[key], f"{path}.{key}")
    elif isinstance(observed, list) and observed and theirs:
        for n, item in enumerate(observed):  # each item against the target's closest one
            yield from min((list(_missing(item, other, f"{path}[{n}]")) for other in theirs), key=len)
