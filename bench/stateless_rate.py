"""Cases per second of the harness's stateless run: generate, sign, send, check, shrink.

The run is `runner.stateless.run_stateless`, exactly as `personalize-conformance run` drives
it; only a counting wrapper sits between it and the target, so the count is the requests the
run really sent (shrinking included), not the examples it asked for.
"""
from __future__ import annotations

import time
import warnings

from bench.loops import Rate, own_cpu
from bench.raw import IN_PROCESS_URL, Prebuilt, prebuild


class Counting:
    """A target that counts what passes through it to the target it wraps."""

    def __init__(self, target):
        self.target = target
        self.name = target.name
        self.endpoint = target.endpoint
        self.sent = 0

    def send(self, operation, body, headers=None):
        self.sent += 1
        return self.target.send(operation, body, headers)

    def __getattr__(self, name):  # anything else a stage may ask of the target
        return getattr(self.target, name)

    def close(self) -> None:
        pass  # the benchmark owns the target's life


def harness_rate(spec, target, operations: list[str], *, examples: int, seed: int,
                 cpu=own_cpu) -> Rate:
    from personalize_conformance.runner.stateless import run_stateless
    counting = Counting(target)
    cpu_before = cpu()
    started = time.perf_counter()
    run_stateless(spec, counting, run_seed=seed, examples=examples, operations=operations)
    elapsed = time.perf_counter() - started
    return Rate(counting.sent, elapsed, cpu() - cpu_before)


def first_cases(spec, operations: list[str], url: str = IN_PROCESS_URL) -> list[Prebuilt]:
    """One valid request per operation, generated and signed once: the raw floor's request mix."""
    from hypothesis.errors import NonInteractiveExampleWarning
    from personalize_conformance.strategies import valid_cases
    built = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NonInteractiveExampleWarning)
        for name in operations:
            try:
                body = valid_cases(spec, name).example().body
            except Exception:  # a strategy that cannot draw outside a run still gets a request
                body = b"{}"
            built.append(prebuild(name, body, url))
    return built
