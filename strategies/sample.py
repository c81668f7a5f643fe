"""Examples drawn from a strategy outside a run: seeded, simplest first, no database, and the
same draws whatever else the process imported (as in a run).

Why not `strategy.example()`: it is unseeded and skips the simplest example, which is the one a
run sends first; tests and benchmarks want the same draws a run makes.
"""
from __future__ import annotations

from hypothesis import HealthCheck, Phase, given, seed, settings

from .hypothesis_fence import pinned_test


def sample(strategy, n: int = 1, at: int = 0) -> list:
    """`n` examples of `strategy`: the first is Hypothesis's simplest, the rest random from seed `at`."""
    out: list = []

    @settings(max_examples=n, database=None, deadline=None, suppress_health_check=list(HealthCheck),
              phases=(Phase.generate,))
    @seed(at)
    @given(strategy)
    def collect(value):
        out.append(value)

    pinned_test(collect)()
    return out
