"""Creates that fail on purpose, so that a client's failure handling can be tested.

AWS ends a create in ``CREATE FAILED`` (``FAILED`` for a data deletion job) with a
``failureReason`` when, say, a dataset import cannot read its bucket. The emulator does the same,
deterministically, when asked:

* per request: the create carries the tag ``emulator:fail`` (its value, if any, is the reason);
* per resource type: ``Emulator(fail_creates=["dataset-import-job=Access Denied"])``, or
  ``--fail-create dataset-import-job=Access Denied`` on the command line; every create of that
  type fails (the reason after ``=`` is optional).

The resource walks its usual pending and in-progress statuses first, then rests in the failure
status. This is a behaviour AWS has, not a defect: the fault switches (``faults.py``) are the
way to make the emulator non-conformant.
"""
from __future__ import annotations

from typing import Iterable, Mapping

from .catalogue import BY_KEY

FAIL_TAG = "emulator:fail"


def default_reason(kind: str, how: str) -> str:
    return f"The {BY_KEY[kind].label} failed as asked ({how})."


class Failures:
    def __init__(self, kinds: Mapping[str, str | None] | None = None):
        self.kinds = dict(kinds or {})

    @classmethod
    def parse(cls, specs: Iterable[str] | Mapping[str, str | None] | None) -> "Failures":
        """``["dataset-group", "solution-version=Out of memory"]`` (or a mapping kind -> reason)."""
        if isinstance(specs, Mapping):
            pairs = list(specs.items())
        else:
            pairs = []
            for spec in ([specs] if isinstance(specs, str) else specs or ()):
                kind, _, reason = str(spec).partition("=")
                pairs.append((kind.strip(), reason.strip() or None))
        for kind, _ in pairs:
            if kind not in BY_KEY or BY_KEY[kind].create_flow is None:
                known = sorted(k.key for k in BY_KEY.values() if k.create_flow is not None)
                raise ValueError(f"cannot make {kind!r} creates fail; resource types with a "
                                 f"status: {', '.join(known)}")
        return cls(dict(pairs))

    def reason(self, kind: str, tags: Mapping[str, str]) -> str | None:
        """Why this create fails, or None when it does not."""
        if FAIL_TAG in tags:
            return tags[FAIL_TAG] or default_reason(kind, f"tag {FAIL_TAG}")
        if kind in self.kinds:
            return self.kinds[kind] or default_reason(kind, f"every {kind} create fails")
        return None
