"""Drawing examples from strategies the way a run does: seeded, simplest first, no database."""
from __future__ import annotations

from hypothesis import HealthCheck, Phase, find, settings

from personalize_conformance.strategies.hypothesis_fence import pinned_generation
from personalize_conformance.strategies.sample import sample as draw  # noqa: F401  (the tests' name for it)

SEARCH = settings(max_examples=2000, database=None, derandomize=True, deadline=None,
                  suppress_health_check=list(HealthCheck), phases=(Phase.generate,))


def reaches(strategy, condition):
    """The first value `strategy` makes that meets `condition` (not shrunk: that is not what is
    asked, and shrinking a hundred-item list costs minutes): what a strategy can make is
    asserted by asking Hypothesis for it, with far more tries than a value that comes one draw in
    a few needs, never by hoping a handful of draws happened to include it."""
    with pinned_generation():
        return find(strategy, condition, settings=SEARCH)


def simplest_of_each(probes) -> list:
    """The simplest case of every probe: the cases a one-example-per-probe run sends (built
    directly for an enumerated probe, Hypothesis's first draw for the valid one)."""
    return [p.cases(1)[0] if p.enumerated else draw(p.strategy)[0] for p in probes]


def minimal(strategy):
    """What Hypothesis shrinks `strategy`'s values to: its simplest example, whatever it drew first."""
    with pinned_generation():
        return find(strategy, lambda _: True, settings=settings(SEARCH, max_examples=1,
                                                                phases=(Phase.generate, Phase.shrink)))
