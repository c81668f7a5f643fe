"""Bounded timing loops: every benchmark loop stops after a count or a time, whichever is first.

On a shared 2-core machine one slow second says little. Configurations compared with each other
are measured in interleaved rounds and each keeps its best round; CPU seconds (this process plus
any server process) are recorded too, since CPU per request barely moves with the machine's load
while requests per second do.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable


@dataclass
class Rate:
    count: int
    seconds: float
    cpu: float = 0.0  # CPU seconds spent by client and server during the count

    @property
    def per_second(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0

    @property
    def cpu_per_request(self) -> float | None:
        return self.cpu / self.count if self.count else None


def own_cpu() -> float:
    return time.process_time()


def measure(step: Callable[[], object], *, seconds: float, max_count: int, warmup: int = 10,
            cpu: Callable[[], float] = own_cpu) -> Rate:
    """Call `step` until `seconds` pass or `max_count` calls are made; its rate and CPU cost."""
    for _ in range(warmup):
        step()
    clock = time.perf_counter
    cpu_before = cpu()
    started = clock()
    deadline = started + seconds
    count = 0
    while count < max_count:
        step()
        count += 1
        if not count % 16 and clock() >= deadline:
            break
    elapsed = clock() - started
    return Rate(count, elapsed, cpu() - cpu_before)


def interleaved(steps: dict[str, Callable[[], object]], *, rounds: int, seconds: float,
                max_count: int, cpu: dict[str, Callable[[], float]] | None = None) -> dict[str, Rate]:
    """The best round of each step, rounds taken in turn so that load drift hits all alike.

    The best round is the fastest by wall time; its CPU figure is the lowest seen in any round.
    """
    best: dict[str, Rate] = {}
    for _ in range(rounds):
        for name, step in steps.items():
            probe = (cpu or {}).get(name, own_cpu)
            rate = measure(step, seconds=seconds, max_count=max_count, cpu=probe)
            if name not in best:
                best[name] = rate
                continue
            low_cpu = min(best[name].cpu_per_request or 1e9, rate.cpu_per_request or 1e9)
            if rate.per_second > best[name].per_second:
                best[name] = rate
            best[name].cpu = low_cpu * best[name].count
    return best
