"""Status lifecycles as data, and the timing policy that moves resources through them.

A *flow* is the sequence of statuses a change walks through, ending either in a resting
status or in ``GONE`` (the resource is removed). A ``Track`` is one flow in progress on one
resource: the main ``status`` member, or the status inside a latest-update object such as
``latestCampaignUpdate``. The ``Timing`` decides when a track takes its next step:

* ``seconds:T``    - a track steps once every T seconds (evaluated lazily on each read);
* ``describes:N``  - a track steps once after every N Describe calls of its resource;
* ``immediate``    - every flow jumps to its last step at once.

The default, ``seconds:0.05``, moves with the clock as AWS does, only faster: a client that
creates a dataset group, waits without describing it, and creates a dataset in it succeeds, and
a List after a pause shows the new status. ``describes:1`` is for tests that need determinism:
each Describe shows the current status, then moves it on, so a poller sees every status.
"""
from __future__ import annotations

from typing import Callable

GONE = None  # terminal marker: the resource is removed when a flow reaches it

FLOWS: dict[str, tuple[str | None, ...]] = {
    # CreateCampaign, CreateDataset, CreateSolution, ...: "CREATE PENDING > CREATE IN_PROGRESS
    # > ACTIVE -or- CREATE FAILED"
    "create": ("CREATE PENDING", "CREATE IN_PROGRESS", "ACTIVE"),
    # Batch inference and batch segment jobs: their documentation lists "PENDING IN PROGRESS
    # ACTIVE CREATE FAILED", but recorded AWS traffic shows them walking the create flow.
    "batch": ("CREATE PENDING", "CREATE IN_PROGRESS", "ACTIVE"),
    # CreateDataDeletionJob: "PENDING > IN_PROGRESS > COMPLETED -or- FAILED"
    "data-deletion": ("PENDING", "IN_PROGRESS", "COMPLETED"),
    # CreateCampaign, CreateDataset, ...: "DELETE PENDING > DELETE IN_PROGRESS"
    "delete": ("DELETE PENDING", "DELETE IN_PROGRESS", GONE),
    # CreateDatasetGroup lists only "DELETE PENDING" for a dataset group.
    "delete-dataset-group": ("DELETE PENDING", GONE),
    # Schemas carry no status: DeleteSchema removes at once.
    "remove": (GONE,),
    # CreateRecommender: "STOP PENDING > STOP IN_PROGRESS > INACTIVE > START PENDING >
    # START IN_PROGRESS > ACTIVE"
    "stop": ("STOP PENDING", "STOP IN_PROGRESS", "INACTIVE"),
    "start": ("START PENDING", "START IN_PROGRESS", "ACTIVE"),
    # Latest-update objects (latestCampaignUpdate, latestRecommenderUpdate,
    # latestSolutionUpdate): the member documentation of CampaignUpdateSummary /
    # RecommenderUpdateSummary / SolutionUpdateSummary and UpdateSolution ("A solution update
    # can be in one of the following states") name CREATE PENDING > CREATE IN_PROGRESS > ACTIVE,
    # and recorded AWS traffic shows a campaign update in CREATE IN_PROGRESS.
    "update": ("CREATE PENDING", "CREATE IN_PROGRESS", "ACTIVE"),
    # UpdateDataset: the dataset's own status walks UPDATE PENDING > UPDATE IN_PROGRESS > ACTIVE
    # (recorded AWS traffic; the documentation names no status for it), and clients poll it. Its
    # latestDatasetUpdate, whose statuses are documented nowhere, walks the same.
    "update-dataset": ("UPDATE PENDING", "UPDATE IN_PROGRESS", "ACTIVE"),
    # StopSolutionVersionCreation: "CREATE_PENDING > CREATE_STOPPED or CREATE_IN_PROGRESS >
    # CREATE_STOPPING > CREATE_STOPPED" (spelled with spaces like every other status).
    "stop-pending-version": ("CREATE STOPPED",),
    "stop-running-version": ("CREATE STOPPING", "CREATE STOPPED"),
}


# The update flow each latest-update member walks, where it is not "update".
UPDATE_FLOWS = {"latestDatasetUpdate": "update-dataset"}

# Where a create that fails ends instead of its resting status ("-or- CREATE FAILED").
FAILED_ENDS = {"create": "CREATE FAILED", "batch": "CREATE FAILED", "data-deletion": "FAILED"}


def failing(flow_name: str) -> tuple[str | None, ...]:
    """The create flow ``flow_name`` ending in its failure status instead of its resting one."""
    return FLOWS[flow_name][:-1] + (FAILED_ENDS[flow_name],)


class Track:
    """One flow in progress; writes its status into ``holder`` as it steps."""

    __slots__ = ("field", "steps", "pos", "seen", "since", "holder", "done")

    def __init__(self, field: str, steps, holder: dict, now: float, done):
        self.field = field
        self.steps = steps
        self.pos = 0
        self.seen = 0
        self.since = now
        self.holder = holder
        self.done = done

    @property
    def finished(self) -> bool:
        return self.pos >= len(self.steps) - 1


class Timing:
    """When tracks step. Subclasses answer how many steps to take at each moment."""

    spec = "immediate"

    def on_start(self, track: Track) -> int:
        return 0

    def on_read(self, track: Track, now: float) -> int:
        return 0

    def on_describe(self, track: Track) -> int:
        return 0


class Immediate(Timing):
    def on_start(self, track):
        return len(track.steps)


class Describes(Timing):
    def __init__(self, every: int):
        self.every = every
        self.spec = f"describes:{every}"

    def on_describe(self, track):
        track.seen += 1
        if track.seen >= self.every:
            track.seen = 0
            return 1
        return 0


class Seconds(Timing):
    def __init__(self, interval: float):
        self.interval = interval
        self.spec = f"seconds:{interval:g}"

    def on_read(self, track, now):
        steps = int((now - track.since) // self.interval) if self.interval > 0 else len(track.steps)
        if steps > 0:
            track.since += steps * self.interval
        return steps


DEFAULT_TIMING = "seconds:0.05"


def parse_timing(spec: str | Timing) -> Timing:
    """``immediate`` | ``describes:N`` (N >= 1) | ``seconds:T`` (T >= 0)."""
    if isinstance(spec, Timing):
        return spec
    name, _, arg = str(spec).strip().partition(":")
    try:
        if name == "immediate" and not arg:
            return Immediate()
        if name == "describes" and int(arg) >= 1:
            return Describes(int(arg))
        if name == "seconds" and float(arg) >= 0:
            return Seconds(float(arg))
    except ValueError:
        pass
    raise ValueError(f"timing must be immediate, describes:N or seconds:T, not {spec!r}")


class Lifecycle:
    """Starts and advances tracks; ``remove`` is called when a flow reaches ``GONE``."""

    def __init__(self, timing: Timing, remove: Callable[[object, float], None]):
        self.timing = timing
        self.remove = remove

    def begin(self, res, flow: tuple, now: float, field: str = "status",
              holder: dict | None = None, done: Callable[[float], None] | None = None) -> None:
        holder = res.attrs if holder is None else holder
        track = Track(field, flow, holder, now, done)
        res.tracks[field] = track
        self._enter(res, track, now)
        self._advance(res, track, self.timing.on_start(track), now)

    def settle(self, res, now: float) -> None:
        """Apply time-based progress; called before every read of a resource."""
        if res.tracks:
            for track in list(res.tracks.values()):
                self._advance(res, track, self.timing.on_read(track, now), now)

    def observed(self, res, now: float) -> None:
        """Count one Describe of ``res``; called after its response has been rendered."""
        if res.tracks:
            for track in list(res.tracks.values()):
                self._advance(res, track, self.timing.on_describe(track), now)

    def _enter(self, res, track: Track, now: float) -> bool:
        status = track.steps[track.pos]
        if status is GONE:
            res.tracks.pop(track.field, None)
            self.remove(res, now)
            return False
        # A change is later than what it changes, as on AWS, where minutes pass between them;
        # here both can fall in one millisecond.
        previous = max((v for v in (track.holder.get("lastUpdatedDateTime"), track.holder.get("creationDateTime"),
                                    res.attrs.get("creationDateTime")) if isinstance(v, (int, float))), default=0.0)
        now = max(now, round(previous + 0.001, 3)) if track.holder.get("status") else now
        track.holder["status"] = status
        track.holder["lastUpdatedDateTime"] = now
        if track.holder is not res.attrs:
            res.attrs["lastUpdatedDateTime"] = now
        return True

    def _advance(self, res, track: Track, steps: int, now: float) -> None:
        while steps > 0 and not track.finished:
            track.pos += 1
            steps -= 1
            if not self._enter(res, track, now):
                return
        if track.finished and res.tracks.get(track.field) is track:
            del res.tracks[track.field]
            if track.done is not None:
                track.done(now)
