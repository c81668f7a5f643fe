"""Snapshots on disk: one JSON file per scenario, and a manifest.

A snapshot folder is plain data a person can read and edit:

    manifest.json          {"format": 1, "target": "emulator", "recorded": "...", "scenarios": [...]}
    lifecycle--dataset-group.json
        {"scenario": "lifecycle/dataset-group", "outcome": "PASS", "exchanges": [
          {"operation": "CreateDatasetGroup", "request": {"name": "<name:1>"}, "status": 200,
           "error": null, "content_type": "application/x-amz-json-1.1",
           "response": {"datasetGroupArn": "<dataset-group:1>"}},
          {"operation": "DescribeDatasetGroup", "poll": {"resource": "dataset-group",
           "action": "create", "member": "status", "statuses": ["CREATE PENDING", "ACTIVE"]}, ...}]}

Every value a run makes up is a reference (`parity.normalise`), so a folder recorded twice from
the same target is byte-for-byte the same.
"""
from __future__ import annotations

import json
import pathlib
import time
from dataclasses import asdict, dataclass, field

from personalize_conformance.errors import ConformanceError

FORMAT = 1


class SnapshotError(ConformanceError, ValueError):
    """A snapshot folder that cannot be read: named, with the reason."""


@dataclass
class Exchange:
    operation: str
    request: dict
    status: int | None          # HTTP status; None when the target gave no answer
    error: str | None           # the error code a client sees, when not 2xx
    content_type: str | None
    response: dict | None       # the normalised body of a 2xx answer
    poll: dict | None = None    # for a poll: resource, action, member, statuses (as walked)

    def to_dict(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v is not None or k in ("status", "error", "response")}

    @classmethod
    def from_dict(cls, data: dict) -> "Exchange":
        if not isinstance(data, dict) or not isinstance(data.get("operation"), str):
            raise SnapshotError(f"an exchange without an operation: {str(data)[:120]}")
        return cls(operation=data["operation"], request=data.get("request") or {}, status=data.get("status"),
                   error=data.get("error"), content_type=data.get("content_type"),
                   response=data.get("response"), poll=data.get("poll"))


@dataclass
class Scenario:
    name: str
    exchanges: list[Exchange] = field(default_factory=list)
    outcome: str = ""   # how the recorded run of it went (PASS, NOT IMPLEMENTED: ..., ...)
    source: str = ""    # where imported exchanges came from

    @property
    def filename(self) -> str:
        return self.name.replace("/", "--") + ".json"

    def to_dict(self) -> dict:
        data = {"scenario": self.name, "outcome": self.outcome,
                "exchanges": [e.to_dict() for e in self.exchanges]}
        if self.source:
            data["source"] = self.source
        return data


def write(folder, scenarios: list[Scenario], *, target: str) -> pathlib.Path:
    folder = pathlib.Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for scenario in scenarios:
        (folder / scenario.filename).write_text(json.dumps(scenario.to_dict(), indent=1, sort_keys=True) + "\n",
                                                encoding="utf-8")
    manifest = {"format": FORMAT, "target": target, "recorded": time.strftime("%Y-%m-%d", time.gmtime()),
                "scenarios": [s.name for s in scenarios]}
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return folder


def read(folder) -> tuple[dict, list[Scenario]]:
    folder = pathlib.Path(folder)
    manifest_path = folder / "manifest.json"
    if not manifest_path.is_file():
        raise SnapshotError(f"{folder} holds no snapshots (no manifest.json)")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SnapshotError(f"{manifest_path}: {exc}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise SnapshotError(f"{manifest_path}: not a snapshot manifest of format {FORMAT}")
    scenarios = []
    for name in manifest.get("scenarios") or []:
        path = folder / (str(name).replace("/", "--") + ".json")
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise SnapshotError(f"{path}: {exc}") from None
        if not isinstance(data, dict) or not isinstance(data.get("exchanges"), list):
            raise SnapshotError(f"{path}: no exchanges")
        scenarios.append(Scenario(name=data.get("scenario", name), outcome=data.get("outcome", ""),
                                  source=data.get("source", ""),
                                  exchanges=[Exchange.from_dict(e) for e in data["exchanges"]]))
    return manifest, scenarios
