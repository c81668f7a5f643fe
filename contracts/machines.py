"""Lifecycle state machines built from `lifecycles.yaml`.

A `Flow` is what one action (create, delete, update, stop, start) walks: the union of its chains
as a small directed graph, plus `GONE` after the last step of a delete. Its chains are the ones
the spec documents, those accepted beyond it (`also`), and those AWS has been seen to walk
(`observed`, each with where it was seen). A path observed by polling is legal when every step
moves forward in that graph or stays put; it may skip statuses, because a poll can miss one.
A `Machine` is the set of flows of one status member.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .chains import Chain, parse
from .citations import Citation

GONE = "(gone)"  # what a path records once Describe answers ResourceNotFoundException


@dataclass
class Flow:
    action: str
    chains: tuple[Chain, ...]
    cite: Citation
    gone: bool = False
    also: tuple[Chain, ...] = ()  # accepted beyond the spec, for the reason in `note`
    note: str = ""
    observed: tuple[tuple[Chain, Citation], ...] = ()  # walked by AWS, with where it was seen
    # `observed` when recorded AWS traffic walked this flow (or its `observed` chains say how),
    # else `doc` (checks.evidence): its statuses and their order are then only as good as the docs.
    evidence: str = "doc"
    edges: dict[str, set[str]] = field(default_factory=dict, init=False)

    @property
    def walks(self) -> tuple[Chain, ...]:
        """Every chain the flow accepts: documented, accepted beyond the spec, observed."""
        return self.chains + self.also + tuple(chain for chain, _ in self.observed)

    @property
    def failures(self) -> set[str]:
        """The statuses a failed action rests in (`-or- CREATE FAILED`)."""
        return {chain.failure for chain in self.walks if chain.failure}

    def __post_init__(self) -> None:
        for chain in self.walks:
            steps = chain.steps + ((GONE,) if self.gone else ())
            for a, b in zip(steps, steps[1:]):
                self.edges.setdefault(a, set()).add(b)
            if chain.failure:
                for step in chain.steps[:-1]:
                    self.edges.setdefault(step, set()).add(chain.failure)
            for state in steps + ((chain.failure,) if chain.failure else ()):
                self.edges.setdefault(state, set())

    @property
    def states(self) -> set[str]:
        return set(self.edges)

    @property
    def entries(self) -> set[str]:
        return {c.steps[0] for c in self.walks}

    @property
    def resting(self) -> set[str]:
        """Where the action ends: nothing follows these statuses in the flow."""
        return {s for s, nxt in self.edges.items() if not nxt}

    def reaches(self, a: str, b: str) -> bool:
        """True when `b` is `a` or follows it in this flow."""
        seen, stack = set(), [a]
        while stack:
            state = stack.pop()
            if state == b:
                return True
            if state not in seen:
                seen.add(state)
                stack.extend(self.edges.get(state, ()))
        return False


@dataclass
class Machine:
    """The statuses of one member (`status`, `latestCampaignUpdate`, ...) of one resource type."""
    resource: str
    member: str
    documented: bool
    sources: tuple[Citation, ...]
    flows: dict[str, Flow]
    aliases: dict[str, str] = field(default_factory=dict)
    note: str = ""

    @property
    def states(self) -> set[str]:
        found: set[str] = set()
        for flow in self.flows.values():
            found |= flow.states
        return found - {GONE}

    def canonical(self, status: str) -> str:
        return self.aliases.get(status, status)

    def knows(self, status: str) -> bool:
        return status == GONE or self.canonical(status) in self.states

    def flow(self, action: str) -> Flow | None:
        return self.flows.get(action)

    def path_problem(self, action: str, path: list[str], before: str | None = None) -> str | None:
        """Why `path` (statuses in the order polls saw them) is not a legal walk of `action`
        starting from `before` (the status seen before the action, or None for a create); None
        when it is legal. Unknown statuses are left to the known-status rule."""
        flow = self.flows.get(action)
        if flow is None:
            return None
        old = self.canonical(before) if before is not None else None
        previous, started = None, before is None
        for raw in path:
            status = self.canonical(raw)
            if not self.knows(status):
                continue
            if not started:
                if status == old:
                    continue  # a read from before the action took effect
                started = True
            if previous is None:
                if status not in flow.states:
                    return f"{raw!r} is not a status {action} walks through ({_chains(flow)})"
            elif status != previous and not flow.reaches(previous, status):
                return f"{previous!r} → {raw!r} is not a legal step of {action} ({_chains(flow)})"
            previous = status
        return None


def _chains(flow: Flow) -> str:
    text = "; ".join(str(c) for c in flow.chains)
    if flow.gone and text:
        text += " > (gone)"
    if flow.observed:
        seen = "; ".join(str(c) for c, _ in flow.observed)
        text = f"{text}; observed on AWS: {seen}" if text else f"observed on AWS: {seen}"
    if flow.also:
        text += "; also accepted: " + "; ".join(str(c) for c in flow.also)
    return text


def build_machine(resource: str, member: str, data: dict) -> Machine:
    flows = {}
    for action, spec in (data.get("flows") or {}).items():
        texts = spec.get("chains") or ([spec["chain"]] if spec.get("chain") else [])
        chains = tuple(parse(t) for t in texts)
        observed = tuple((parse(o["chain"]), Citation.of(o["cite"])) for o in spec.get("observed", ()))
        if not chains and not observed:
            raise ValueError(f"lifecycles.yaml {resource}.{member}.{action}: no chain")
        cite = Citation.of(spec.get("cite"), texts[0]) if texts else observed[0][1]
        flows[action] = Flow(action=action, chains=chains, cite=cite,
                             gone=bool(spec.get("gone")), also=tuple(parse(t) for t in spec.get("also", ())),
                             note=" ".join(str(spec.get("note", "")).split()), observed=observed,
                             evidence=str(spec.get("evidence", "observed" if observed else "doc")))
    return Machine(resource=resource, member=member, documented=bool(data.get("documented", True)),
                   sources=tuple(Citation.of(s) for s in data.get("sources", ())), flows=flows,
                   aliases=dict(data.get("aliases") or {}),
                   note=" ".join(str(data.get("note", "")).split()))
