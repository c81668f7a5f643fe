"""Teardown of one run, however it ends: success, a failing stage, Ctrl-C or SIGTERM.

`RunGuard` wraps the stages of a run. On the way out it deletes what the run created - the
ledger of ARNs creates answered, plus anything named with the run's prefix (a create whose
answer was lost still made a resource), plus everything inside those - then lists again to
verify, and writes a `teardown` section for the report. It swallows the interrupt so the
partial report can be written; the caller re-raises it afterwards (`raise_if_interrupted`).
Targets that vanish with the run (in-process, harness-started servers) need no teardown.
"""
from __future__ import annotations

import sys

from personalize_conformance.targets import TargetUnavailable

from .interrupts import SkipTeardown, teardown_signals, terminate_as_interrupt
from .sweep import Selector, delete, discover


class RunInterrupted(KeyboardInterrupt):
    """The run was interrupted; its partial report is at `out` and teardown has run (or was skipped)."""

    def __init__(self, out=None, teardown: dict | None = None):
        super().__init__("interrupted")
        self.out = out
        self.teardown = teardown or {}


def sweep_hint(target) -> str:
    name = getattr(target, "name", "")
    where = "--target aws --allow-aws" if name == "aws" else f"--target {getattr(target, 'endpoint', name)}"
    return f"personalize-conformance sweep --run-id {target.run_id} {where}"


class RunGuard:
    def __init__(self, safe, *, policy=None, stream=None):
        self.safe = safe
        self.policy = policy
        self.stream = stream or sys.stderr
        self.interrupted = False
        self.section: dict = {}
        self._signals = None
        self._delivered: list[int] = []

    def __enter__(self):
        self._signals = terminate_as_interrupt()
        self._delivered = self._signals.__enter__()
        return self.safe

    def __exit__(self, exc_type, exc, tb) -> bool:
        if self._signals is None:  # already finished
            return False
        self._signals.__exit__(None, None, None)
        self._signals = None
        self.interrupted = (exc_type is not None and issubclass(exc_type, KeyboardInterrupt)) or bool(
            self._delivered)  # also an interrupt whose KeyboardInterrupt was swallowed
        if self.interrupted and self.safe.persistent:
            self._say("interrupted: tearing down what the run created (interrupt again to skip)")
        self.section = self.teardown()
        return self.interrupted

    def _say(self, line: str) -> None:
        live = getattr(self.stream, "isatty", lambda: False)()
        self.stream.write(("\r\033[K" if live else "") + line + "\n")  # over a live progress line
        self.stream.flush()

    def teardown(self) -> dict:
        safe = self.safe
        base = {"run_id": safe.run_id, "worker": safe.worker, "name_prefix": safe.name_prefix,
                "created": len(safe.created)}
        if not safe.persistent:
            return {**base, "status": "not needed", "reason": f"{safe.name} does not outlive the run"}
        hint = sweep_hint(safe)
        if safe.tripped:  # it stopped answering during the run: one more timeout would only delay the report
            reason = "the target stopped answering during the run"
            if len(safe.created):
                self._say(f"teardown incomplete: {reason}; remove leftovers later with: {hint}")
            return {**base, "status": "incomplete", "reason": reason, "sweep": hint,
                    "leftovers": [{"type": t, "arn": a} for t, a in safe.created.items]}
        ours = Selector(run_id=safe.run_id, worker=safe.worker, in_doubt=frozenset(getattr(safe, "in_doubt", ())),
                        since=getattr(safe, "started", None))
        via = safe.teardown_target
        try:
            with teardown_signals(self.interrupted, hint, self.stream):
                found = discover(via, ours, seed=list(safe.created.items), tags=False)
                report = delete(via, found, self.policy)
                after = discover(via, ours, tags=False)
        except SkipTeardown:
            self._say(f"teardown skipped: resources of run {safe.run_id} may be left; remove them with: {hint}")
            return {**base, "status": "skipped", "sweep": hint}
        except TargetUnavailable as exc:
            self._say(f"teardown incomplete: {exc}; remove leftovers later with: {hint}")
            return {**base, "status": "incomplete", "reason": str(exc), "sweep": hint}
        leftovers = [f.to_dict() for f in after.found]
        failed = report.to_dict()["failed"]
        status = "done" if not leftovers and not failed else "incomplete"
        if status != "done":
            self._say(f"teardown incomplete: {len(leftovers) or len(failed)} resources of run {safe.run_id} "
                      f"left; remove them with: {hint}")
        return {**base, **report.to_dict(), "status": status, "found": len(found.found),
                "leftovers": leftovers, "problems": found.problems + after.problems,
                **({"sweep": hint} if status != "done" else {})}

    def record(self, result) -> None:
        """Put the teardown section into the run's results (and a few lines into summary.md)."""
        result.extra["teardown"] = self.section
        s = self.section
        lines = [f"- status: {s.get('status')}" + (f" ({s['reason']})" if s.get("reason") else "")]
        if s.get("status") not in ("not needed",):
            lines.append(f"- deleted {len(s.get('deleted', []))}, gone with their parents "
                         f"{len(s.get('left_to_parent', []))}, could not delete {len(s.get('failed', []))}, "
                         f"left over {len(s.get('leftovers', []))}")
        lines += [f"- could not delete `{f['arn']}`: {f['reason']}" for f in s.get("failed", [])]
        if s.get("sweep"):
            lines.append(f"- clean up with `{s['sweep']}`")
        title = "Teardown" + (f" ({self.safe.worker})" if self.safe.worker else "")
        result.extra.setdefault("summary_sections", []).append({"title": title, "lines": lines})

    def raise_if_interrupted(self, out=None) -> None:
        if self.interrupted:
            raise RunInterrupted(out, self.section)


__all__ = ["RunGuard", "RunInterrupted", "sweep_hint"]
