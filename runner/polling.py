"""How long and how often to poll a resource that is still changing: bounded, with backoff.

The bound is both a count and a time, so a fault that never settles costs at most `max_wait`.
In-process targets answer in microseconds and step on Describe calls, so they start with almost
no delay; real AWS needs minutes to hours (a solution version trains for an hour or more).
Override with PERSONALIZE_CONFORMANCE_POLL="max_wait=600,delay=2,max_delay=30".
"""
from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace

ENV = "PERSONALIZE_CONFORMANCE_POLL"


@dataclass(frozen=True)
class PollPolicy:
    max_wait: float = 10.0    # seconds, from the first poll
    max_polls: int = 40
    delay: float = 0.005      # the first pause between polls
    factor: float = 2.0       # each pause grows by this factor
    max_delay: float = 1.0    # up to this

    def delays(self):
        """The pause before each poll: none before the first, then growing up to `max_delay`."""
        pause = self.delay
        for index in range(self.max_polls):
            yield 0.0 if index == 0 else pause
            if index:
                pause = min(self.max_delay, pause * self.factor)

    @classmethod
    def parse(cls, text: str, base: "PollPolicy | None" = None) -> "PollPolicy":
        """`"max_wait=600,delay=2"` → a policy; unknown keys are an error worth seeing."""
        base = base or cls()
        names = {f.name: f.type for f in fields(cls)}
        changes = {}
        for part in filter(None, (p.strip() for p in text.split(","))):
            key, _, value = part.partition("=")
            key = key.strip()
            if key not in names:
                raise ValueError(f"unknown poll setting {key!r}; known: {', '.join(names)}")
            changes[key] = int(value) if key == "max_polls" else float(value)
        return replace(base, **changes)

    @classmethod
    def for_target(cls, target, env=None) -> "PollPolicy":
        env = os.environ if env is None else env
        name = getattr(target, "name", "")
        if name == "aws":
            base = cls(max_wait=7200.0, max_polls=100_000, delay=5.0, factor=1.5, max_delay=60.0)
        elif name in ("emulator", "moto"):
            # A status that moves only when described settles no sooner for a pause.
            base = cls() if getattr(target, "status_waits_for_time", True) else cls(delay=0.0, max_delay=0.0)
        else:  # a local server: a little slower per request, same shape
            base = cls(max_wait=20.0, max_polls=60, delay=0.01, max_delay=1.0)
        return cls.parse(env[ENV], base) if env.get(ENV) else base
