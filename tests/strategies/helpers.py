"""Drawing examples from strategies the way a run does: seeded, simplest first, no database."""
from __future__ import annotations

from hypothesis import HealthCheck, Phase, given, seed, settings


def draw(strategy, n: int = 1, at: int = 0) -> list:
    """`n` examples of `strategy`: the first is Hypothesis's simplest, the rest random from `at`."""
    out: list = []

    @settings(max_examples=n, database=None, deadline=None, suppress_health_check=list(HealthCheck),
              phases=(Phase.generate,))
    @seed(at)
    @given(strategy)
    def collect(value):
        out.append(value)

    collect()
    return out


def simplest_of_each(probes) -> list:
    """The simplest case of every probe: the cases a one-example-per-probe run sends."""
    return [draw(p.strategy)[0] for p in probes]
