"""results.json: every case of a run, with its findings and reproductions. Schema: RESULTS_SCHEMA.md.

Every other report, `diff` and `replay` read this document, so it is the one place a run's
verdicts live. `load` is how they read it back: it refuses, with one clear line, anything that
is not a results document this version understands.
"""
from __future__ import annotations

import base64
import json
import pathlib
import time

from personalize_conformance.errors import ConformanceError
from personalize_conformance.targets import redact

from .repro import boto3_snippet, curl

# Bumped only when a field changes meaning or disappears; added fields keep the version.
SCHEMA_VERSION = 1
GENERATOR = "personalize-conformance"


class ResultsError(ConformanceError, ValueError):
    """A path that does not hold a results document this version can read."""


def _iso(ts: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts)) if ts else ""


def generator() -> dict:
    try:
        from importlib.metadata import version
        return {"name": GENERATOR, "version": version(GENERATOR)}
    except Exception:  # running from a source tree that was never installed
        return {"name": GENERATOR, "version": "unknown"}


def hypothesis_version() -> str | None:
    """The Hypothesis that drew the run's cases: a seed replays them only under the same one."""
    try:
        from importlib.metadata import version
        return version("hypothesis")
    except Exception:
        return None


def _request_entry(case) -> dict:
    entry = case.to_dict()
    entry["headers"] = redact(entry["headers"])
    try:
        case.body.decode("utf-8")
    except UnicodeDecodeError:  # `body` is lossy here: replay needs the exact bytes
        entry["body_b64"] = base64.b64encode(case.body).decode("ascii")
    return entry


def build(result, mat: dict, totals: dict, rules: dict) -> dict:
    cases = []
    for record in result.records:
        case = record.case
        entry = _request_entry(case)
        entry.update(
            shrunk=record.shrunk,
            shrunk_by=getattr(record, "shrunk_by", "") or None,
            response=record.response_dict(),
            findings=[{k: v for k, v in f.to_dict().items() if k not in ("operation", "case_id")}
                      for f in record.findings],
        )
        if any(f.outcome in ("fail", "error") for f in record.findings):
            entry["reproduction"] = {"curl": curl(case, result.endpoint),
                                     "boto3": boto3_snippet(case, result.endpoint),
                                     "hypothesis_seed": result.seed, "operation_seed": case.seed}
        cases.append(entry)
    return {
        "schema_version": SCHEMA_VERSION,
        "generator": generator(),
        "run_id": result.run_id,
        "started": _iso(result.started),
        "finished": _iso(result.finished),
        "duration_s": round(result.finished - result.started, 3),
        "target": {"name": result.target, "endpoint": result.endpoint},
        "spec": {"source": result.spec_source, "version": result.spec_version,
                 "operations": len(result.operations)},
        "hypothesis_seed": result.seed,
        "hypothesis_version": hypothesis_version() if result.seed is not None else None,
        "settings": result.settings,
        "rules": rules,
        "totals": totals,
        "operations": mat,
        "cases": cases,
        **result.extra,
    }


def write(path: pathlib.Path, document: dict) -> pathlib.Path:
    path.write_text(json.dumps(document, indent=1, ensure_ascii=False, default=str), encoding="utf-8")
    return path


def resolve(path: str | pathlib.Path) -> pathlib.Path:
    """A run folder or a results.json path → the results.json path."""
    p = pathlib.Path(path).expanduser()
    return p / "results.json" if p.is_dir() else p


def load(path: str | pathlib.Path) -> dict:
    """The results document at `path` (a run folder or the file itself), checked enough to use."""
    file = resolve(path)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ResultsError(f"{path}: no results.json there") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ResultsError(f"{path}: cannot read it ({exc.__class__.__name__}: {exc})") from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ResultsError(f"{file}: not JSON ({exc.msg} at line {exc.lineno})") from None
    if not isinstance(doc, dict) or "schema_version" not in doc:
        raise ResultsError(f"{file}: not a results document (no schema_version)")
    version = doc["schema_version"]
    if not isinstance(version, int) or version < 1:
        raise ResultsError(f"{file}: schema_version {version!r} is not a version number")
    if version > SCHEMA_VERSION:
        raise ResultsError(f"{file}: schema_version {version} is newer than this harness reads "
                           f"({SCHEMA_VERSION}); upgrade personalize-conformance")
    operations = doc.get("operations")
    if not isinstance(operations, dict) or not all(
            isinstance(row, dict) and isinstance(row.get("checks", {}), dict) for row in operations.values()):
        raise ResultsError(f"{file}: its operations matrix is missing or malformed")
    if not isinstance(doc.get("cases", []), list):
        raise ResultsError(f"{file}: its cases are not a list")
    return doc
