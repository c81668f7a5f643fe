"""Status chains: the `A > B > C -or- D` notation the Personalize documentation uses for
lifecycles, parsed into steps, and read out of the documentation by code.

A chain lists the statuses one change walks through in order; `-or- X` names a failure status
that may end the chain instead of its last step. `extract()` finds every chain and every listed
status in a documentation fragment, so the contract data can be checked against the spec.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .text import plain

STATUS = r"[A-Z][A-Z_]*(?: [A-Z][A-Z_]*)*"
_STATUS = re.compile(rf"^{STATUS}$")
_CHAIN = re.compile(rf"^{STATUS}(?: > {STATUS})+(?: -or- {STATUS})?$")
_ITEM = re.compile(r"<li>(.*?)</li>", re.DOTALL | re.IGNORECASE)
_PARA = re.compile(r"<p>(.*?)</p>", re.DOTALL | re.IGNORECASE)


@dataclass(frozen=True)
class Chain:
    steps: tuple[str, ...]
    failure: str | None = None

    @property
    def states(self) -> tuple[str, ...]:
        return self.steps + ((self.failure,) if self.failure else ())

    def __str__(self) -> str:
        text = " > ".join(self.steps)
        return f"{text} -or- {self.failure}" if self.failure else text


def parse(text: str) -> Chain:
    """`"A > B > C -or- D"` → Chain(("A", "B", "C"), "D"). A single status is a one-step chain."""
    text = plain(text)
    main, _, failure = text.partition(" -or- ")
    steps = tuple(s.strip() for s in main.split(" > "))
    for status in steps + ((failure,) if failure else ()):
        if not _STATUS.match(status):
            raise ValueError(f"not a status: {status!r} in chain {text!r}")
    return Chain(steps, failure or None)


@dataclass
class Documented:
    """What one documentation fragment says about statuses."""
    chains: list[Chain] = field(default_factory=list)
    states: set[str] = field(default_factory=set)


def extract(fragment: str) -> Documented:
    """Chains in any paragraph or list item, and statuses listed one per list item, of an HTML
    documentation fragment."""
    found = Documented()
    fragment = fragment or ""
    blocks = [(p, False) for p in _PARA.findall(fragment)]
    for item in _ITEM.findall(fragment):
        blocks += [(p, True) for p in (_PARA.findall(item) or [item])]
    for block, listed in blocks:
        text = plain(block)
        if text.endswith(" or"):  # "CREATE_PENDING > CREATE_STOPPED</p> <p>or" (StopSolutionVersionCreation)
            text = text[:-3]
        if _CHAIN.match(text):
            chain = parse(text)
            if chain not in found.chains:
                found.chains.append(chain)
            found.states.update(chain.states)
        elif listed and _STATUS.match(text):
            found.states.add(text)
    return found
