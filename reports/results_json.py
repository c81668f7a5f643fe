"""results.json: every case of a run, with its findings and reproductions. Schema: RESULTS_SCHEMA.md."""
from __future__ import annotations

import json
import pathlib
import time

from targets import redact

from .repro import boto3_snippet, curl

SCHEMA_VERSION = 1


def _iso(ts: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts)) if ts else ""


def build(result, mat: dict, totals: dict, rules: dict) -> dict:
    cases = []
    for record in result.records:
        case = record.case
        entry = case.to_dict()
        entry["headers"] = redact(entry["headers"])
        entry.update(
            shrunk=record.shrunk,
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
        "run_id": result.run_id,
        "started": _iso(result.started),
        "finished": _iso(result.finished),
        "duration_s": round(result.finished - result.started, 3),
        "target": {"name": result.target, "endpoint": result.endpoint},
        "spec": {"source": result.spec_source, "version": result.spec_version,
                 "operations": len(result.operations)},
        "hypothesis_seed": result.seed,
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
