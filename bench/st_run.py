"""Schemathesis (`st run`) on the same spec and the same target as the harness, for comparison.

What schemathesis is given, and why: the document `personalize-conformance spec --export` writes
(the harness's patched document in standard OpenAPI: JSON 1.1 content type, 400 errors, epoch
timestamps, AWS patterns as anchored `pattern`s), so both tools judge against the same spec, and
the hooks any user loads (`personalize_conformance.targets.schemathesis_hooks`: every request to
`POST /`, the protocol headers, botocore's SigV4 over the bytes sent). It runs only its fuzzing
phase in positive mode, one worker, the checks that match the harness's, its default shrinking,
and `--continue-on-failure` so that a target failing every case (moto's text/html Content-Type)
still gets all its examples: the figure is schemathesis's steady rate, not its start-up.
"""
from __future__ import annotations

import json
import pathlib
import re
import subprocess
import time
from dataclasses import dataclass

from bench.servers import child_env

HOOKS = "personalize_conformance.targets.schemathesis_hooks"
CHECKS = ("not_a_server_error,status_code_conformance,content_type_conformance,"
          "response_headers_conformance,response_schema_conformance")


def st_document(spec) -> dict:
    """The document `spec --export` writes for `spec`."""
    from personalize_conformance.specs.export import export_document
    return export_document(spec)


@dataclass
class StResult:
    command: list[str]
    generated: int | None      # "N generated" from its summary
    fuzzing_seconds: float | None  # its fuzzing phase, from its NDJSON events
    wall_seconds: float        # the whole process, start-up and schema loading included
    exit_code: int
    tail: str


def run_st(spec, url: str, operations: list[str], examples: int, seed: int, workdir: pathlib.Path,
           timeout: float = 600) -> StResult:
    workdir.mkdir(parents=True, exist_ok=True)
    spec_path = workdir / "st-spec.json"
    spec_path.write_text(json.dumps(st_document(spec)), encoding="utf-8")
    events = workdir / f"st-{time.monotonic_ns()}.ndjson"
    command = ["st", "run", str(spec_path), "--url", url, "--phases", "fuzzing", "--mode", "positive",
               "--max-examples", str(examples), "--seed", str(seed), "--workers", "1",
               "--checks", CHECKS,
               "--report", "ndjson", "--report-ndjson-path", str(events), "--no-color",
               "--continue-on-failure", "--generation-database", "none"]
    for name in operations:
        command += ["--include-operation-id", name]
    env = child_env()
    env["SCHEMATHESIS_HOOKS"] = HOOKS
    started = time.perf_counter()
    proc = subprocess.run(command, cwd=workdir, env=env, capture_output=True, text=True, timeout=timeout)
    wall = time.perf_counter() - started
    out = proc.stdout + proc.stderr
    generated = re.search(r"(\d+) generated", out)
    return StResult(command=_shown(command, spec_path, events), generated=int(generated.group(1)) if generated else None,
                    fuzzing_seconds=_fuzzing_seconds(events), wall_seconds=wall, exit_code=proc.returncode,
                    tail="\n".join(out.strip().splitlines()[-6:]))


def _fuzzing_seconds(events: pathlib.Path) -> float | None:
    started = finished = None
    if not events.exists():
        return None
    for line in events.read_text(encoding="utf-8").splitlines():
        event = json.loads(line)
        for kind in ("PhaseStarted", "PhaseFinished"):
            body = event.get(kind)
            if body and body.get("phase", {}).get("name") == "fuzzing":
                if kind == "PhaseStarted":
                    started = body["timestamp"]
                else:
                    finished = body["timestamp"]
    return finished - started if started and finished else None


def _shown(command: list[str], spec_path, events) -> list[str]:
    """The command as a reader can repeat it: placeholders for the temporary files."""
    return [part.replace(str(spec_path), "ST_SPEC.json").replace(str(events), "EVENTS.ndjson") for part in command]
