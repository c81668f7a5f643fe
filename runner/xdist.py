"""One conformance run across pytest-xdist workers: one run id, one seed, one report.

The controller draws the run id and the Hypothesis seed once and hands them to every worker
(`workerinput`), so every worker generates what a serial run would for the operations it gets,
and names what it creates `pc-<run>-<worker>-…` - no two workers ask for the same name, and each
worker's teardown takes only its own. Each worker sends its results document back
(`workeroutput`); the controller merges them and writes the report a serial run would have.
Without xdist these functions fall back to the serial behaviour.
"""
from __future__ import annotations

import json
import random

KEY = "personalize_conformance"


def is_worker(config) -> bool:
    return hasattr(config, "workerinput")


def worker_id(config) -> str | None:
    return getattr(config, "workerinput", {}).get("workerid")


def shared(config) -> tuple[str, int]:
    """(run id, seed) of this run: the controller's when under xdist, else drawn once here."""
    given = getattr(config, "workerinput", {}).get(KEY)
    if given:
        return given["run_id"], int(given["seed"])
    cached = getattr(config, "_pc_shared", None)
    if cached is None:
        from personalize_conformance.runner.session import new_run_id
        seed = config.getoption("hypothesis_seed", default=None)
        seed = int(seed) if seed not in (None, "") else random.SystemRandom().randrange(2**32)
        cached = config._pc_shared = (new_run_id(), seed)
    return cached


def configure_node(node) -> None:
    """Controller side: give a starting worker the run's id and seed."""
    run_id, seed = shared(node.config)
    node.workerinput[KEY] = {"run_id": run_id, "seed": seed}


def send_document(config, doc: dict) -> None:
    """Worker side: hand the worker's results to the controller."""
    config.workeroutput[KEY] = json.dumps(doc, default=str)


def collect(node, into: list) -> None:
    """Controller side: keep a finished worker's results."""
    text = getattr(node, "workeroutput", {}).get(KEY)
    if text:
        into.append(json.loads(text))


def _merge_row(a: dict, b: dict) -> dict:
    """Two workers' matrix rows for one operation: the worst verdict wins each cell, as it
    would have in one worker's matrix."""
    from personalize_conformance.runner.verdicts import worst
    checks = {rule: worst(v for v in (a["checks"].get(rule), b["checks"].get(rule)) if v)
              for rule in {**a.get("checks", {}), **b.get("checks", {})}}
    status = worst([a["status"], b["status"]])  # a success seen by either worker counts for both
    reason = next((row.get("reason", "") for row in (a, b) if row["status"] == status), "")
    return {**a, "checks": checks, "cases": a.get("cases", 0) + b.get("cases", 0),
            "successes": a.get("successes", 0) + b.get("successes", 0), "status": status, "reason": reason}


def merge(docs: list[dict]) -> dict | None:
    """The workers' documents as one: operations and cases joined, totals recounted."""
    from personalize_conformance.runner import verdicts
    docs = [d for d in docs if d]
    if not docs:
        return None
    if len(docs) == 1:
        return docs[0]
    out = dict(docs[0])
    operations: dict = {}
    for doc in docs:  # one operation's families may have run on different workers
        for name, row in doc.get("operations", {}).items():
            operations[name] = _merge_row(operations[name], row) if name in operations else row
    out["operations"] = dict(sorted(operations.items()))
    out["totals"] = verdicts.totals(out["operations"])
    out["cases"] = [c for doc in docs for c in doc.get("cases", [])]
    out["rules"] = dict(sorted({k: v for doc in docs for k, v in doc.get("rules", {}).items()}.items()))
    out["spec"] = {**out.get("spec", {}), "operations": len(out["operations"])}
    out["started"] = min(d.get("started", "") for d in docs)
    out["finished"] = max(d.get("finished", "") for d in docs)
    out["duration_s"] = max(d.get("duration_s", 0) for d in docs)
    out["settings"] = {**out.get("settings", {}), "workers": len(docs)}
    out["summary_sections"] = [s for doc in docs for s in doc.get("summary_sections", [])]
    if any("teardown" in d for d in docs):
        out["teardown"] = {"workers": [d["teardown"] for d in docs if "teardown" in d]}
    known = {"operations", "totals", "cases", "rules", "spec", "started", "finished", "duration_s",
             "settings", "summary_sections", "teardown"}
    for key in {k for doc in docs for k in doc} - known:  # sections later stages add
        values = [d[key] for d in docs if key in d]
        if all(isinstance(v, dict) for v in values):
            out[key] = {k: v for value in values for k, v in value.items()}
        elif all(isinstance(v, list) for v in values):
            out[key] = [x for value in values for x in value]
    if any("coverage" in d for d in docs):  # a constraint counts if any worker exercised it
        from personalize_conformance.strategies.coverage import merge_into
        merge_into(out, [d["coverage"] for d in docs if "coverage" in d])
    from personalize_conformance.runner import graded
    return graded.annotate(out)  # FAILs by evidence level, over every worker's cases


__all__ = ["is_worker", "worker_id", "shared", "configure_node", "send_document", "collect", "merge"]
