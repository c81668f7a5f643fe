"""How far a run has got, stage by stage, on stderr.

On a terminal one live line per stage (operations done, cases, failing, seconds), redrawn at most
ten times a second and kept when the stage ends; elsewhere (a CI log) nothing but the stage's one
line when it ends, so a log shows where the time went without a carriage-return mess. The line
moves with every request a stage sends, so a long stage (lifecycles poll for seconds) never looks
frozen. Stdout is left to the run's summary.
"""
from __future__ import annotations

import sys
import time

REDRAW_EVERY = 0.1  # seconds


class Progress:
    def __init__(self, stream=None, *, live: bool | None = None, clock=time.monotonic):
        self.stream = stream or sys.stderr
        self.live = _isatty(self.stream) if live is None else live
        self.clock = clock
        self.stage: str | None = None
        self._records: list = []
        self._first = 0
        self._started = 0.0
        self._drawn = 0.0
        self._count = None  # () -> (done, total) of the stage's own unit, or None
        self._unit = ""
        self._cases = True

    def begin(self, stage: str, records: list | None = None, *, unit: str = "", count=None) -> None:
        """Start `stage`; its cases are the ones added to `records` from now on (None: a stage
        that judges nothing, such as teardown: only its time is shown)."""
        if self.stage is not None:
            self.end()
        self._cases = records is not None
        self.stage, self._records = stage, records if records is not None else []
        self._first = len(self._records)
        self._unit, self._count = unit, count
        self._started = self._drawn = self.clock()
        self.update(force=True)

    def update(self, *_args, force: bool = False) -> None:
        """Redraw the live line (cheap to call on every request: it redraws at most every 0.1 s)."""
        if not self.live or self.stage is None:
            return
        now = self.clock()
        if not force and now - self._drawn < REDRAW_EVERY:
            return
        self._drawn = now
        self.stream.write("\r\033[K" + self._line())
        self.stream.flush()

    def end(self, note: str = "") -> None:
        """Close the stage with its final line: kept on a terminal, the only line elsewhere."""
        if self.stage is None:
            return
        line = self._line() + (f" ({note})" if note else "")
        self.stream.write(("\r\033[K" if self.live else "") + line + "\n")
        self.stream.flush()
        self.stage = None

    def say(self, stage: str, text: str) -> None:
        """A stage that is one fact, not a count (teardown not needed, say)."""
        if self.stage is not None:
            self.end()
        self.stream.write(f"[{stage}] {text}\n")
        self.stream.flush()

    def _line(self) -> str:
        cases = self._records[self._first:]
        failing = sum(1 for r in cases if r.failed) if self._cases else 0
        parts = []
        if self._count is not None:
            done, total = self._count()
            parts.append(f"{done}/{total} {self._unit}" if total else f"{done} {self._unit}")
        if self._cases:
            parts += [f"{len(cases):,} cases", f"{failing:,} failing"]
        parts.append(f"{self.clock() - self._started:.1f}s")
        return f"[{self.stage}] " + ", ".join(parts)


class Silent(Progress):
    """No progress at all (tests, `progress=False`)."""

    def __init__(self):
        super().__init__(stream=_Null(), live=False)

    def end(self, note: str = "") -> None:
        self.stage = None

    def say(self, stage: str, text: str) -> None:
        pass


class _Null:
    def write(self, text: str) -> None:
        pass

    def flush(self) -> None:
        pass


def _isatty(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def for_run(enabled: bool | None, stream=None) -> Progress:
    """`enabled`: None - live on a terminal, one line per stage elsewhere; True - live; False - none."""
    if enabled is False:
        return Silent()
    return Progress(stream, live=None if enabled is None else True)


__all__ = ["Progress", "Silent", "for_run"]
