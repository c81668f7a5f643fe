"""Drawing examples from strategies the way a run does: seeded, simplest first, no database."""
from __future__ import annotations

from personalize_conformance.strategies.sample import sample as draw  # noqa: F401  (the tests' name for it)


def simplest_of_each(probes) -> list:
    """The simplest case of every probe: the cases a one-example-per-probe run sends."""
    return [draw(p.strategy)[0] for p in probes]
