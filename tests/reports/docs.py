"""Results documents made by hand, small enough to know every verdict in them."""
from __future__ import annotations

import copy

RULES = {
    "wire.content-type": "AWS JSON 1.1 protocol: a 200 carries Content-Type application/x-amz-json-1.1",
    "wire.request-id": "AWS JSON 1.1 protocol: every response carries x-amzn-RequestId",
    "schema.response": "Spec: the operation's response schema",
    "errors.declared": "Operation's declared errors, plus the AWS JSON 1.1 framework-level errors",
}


def _case(op, case_id, findings, *, status=200, body='{"schemaArn": "arn"}', headers=None, shrunk=False,
          request='{"name":"a"}', reproduction=True):
    entry = {
        "case_id": case_id, "operation": op, "family": "valid", "rule": None, "seed": 42,
        "headers": headers or {}, "params": None, "body": request, "shrunk": shrunk,
        "response": {"status": status, "headers": {"x-amzn-requestid": "r-1"}, "body": body,
                     "body_truncated": False, "elapsed_ms": 1.5},
        "findings": [{"rule": r, "outcome": o, "message": m, "source": RULES.get(r, "src"), "evidence": {}}
                     for r, o, m in findings],
    }
    if reproduction and any(o in ("fail", "error") for _, o, _ in findings):
        entry["reproduction"] = {"curl": f"curl -X POST http://127.0.0.1:PORT/ --data-binary '{request}'",
                                 "boto3": "import boto3\nclient.create_schema(name='a')",
                                 "hypothesis_seed": 7, "operation_seed": 42}
    return entry


def _row(resource, kind, status, checks, cases, successes=0, reason=""):
    return {"resource": resource, "kind": kind, "cases": cases, "successes": successes, "status": status,
            "reason": reason, "checks": checks}


def crafted() -> dict:
    """Five operations, one of each interesting verdict."""
    rules = list(RULES)
    every = lambda v: {r: v for r in rules}  # noqa: E731
    return copy.deepcopy({
        "schema_version": 1, "run_id": "crafted-run", "started": "2026-01-01T00:00:00Z",
        "finished": "2026-01-01T00:00:01Z", "duration_s": 1.0,
        "target": {"name": "crafted", "endpoint": "http://127.0.0.1:1"},
        "spec": {"source": "botocore 1.0", "version": "2018-05-22", "operations": 5},
        "hypothesis_seed": 7, "settings": {"examples": 3}, "rules": dict(RULES),
        "totals": {"operations": 5, "PASS": 1, "WARN": 1, "FAIL": 1, "NOT IMPLEMENTED": 1, "ERROR": 1,
                   "UNAVAILABLE": 0, "NOT RUN": 0},
        "operations": {
            "CreateSchema": _row("schema", "create", "FAIL", {
                "wire.content-type": "FAIL", "wire.request-id": "PASS", "schema.response": "PASS",
                "errors.declared": "NOT RUN"}, 2, 2),
            "DescribeSchema": _row("schema", "describe", "PASS", {
                "wire.content-type": "PASS", "wire.request-id": "PASS", "schema.response": "PASS",
                "errors.declared": "PASS"}, 1, 1),
            "ListSchemas": _row("schema", "list", "WARN", {
                "wire.content-type": "PASS", "wire.request-id": "PASS", "schema.response": "WARN",
                "errors.declared": "NOT RUN"}, 1, 1),
            "CreateCampaign": _row("campaign", "create", "NOT IMPLEMENTED", every("NOT IMPLEMENTED"), 1),
            "DeleteCampaign": _row("campaign", "delete", "ERROR", {
                "wire.content-type": "NOT RUN", "wire.request-id": "PASS", "schema.response": "NOT RUN",
                "errors.declared": "ERROR"}, 1),
        },
        "cases": [
            _case("CreateSchema", "CreateSchema-valid-aaa", [
                ("wire.content-type", "fail", "Content-Type is 'text/html', expected application/x-amz-json-1.1"),
                ("wire.request-id", "pass", ""), ("schema.response", "pass", "")],
                body="<html><script>alert(1)</script>\x00\x1b</html>", shrunk=True),
            _case("CreateSchema", "CreateSchema-valid-bbb", [
                ("wire.content-type", "fail", "Content-Type is 'text/html', expected application/x-amz-json-1.1"),
                ("wire.request-id", "pass", "")]),
            _case("DescribeSchema", "DescribeSchema-valid-ccc", [
                ("wire.content-type", "pass", ""), ("wire.request-id", "pass", ""), ("schema.response", "pass", ""),
                ("errors.declared", "pass", "")]),
            _case("ListSchemas", "ListSchemas-valid-ddd", [
                ("wire.content-type", "pass", ""), ("wire.request-id", "pass", ""),
                ("schema.response", "warn", "$ has undocumented members ['extra']")]),
            _case("CreateCampaign", "CreateCampaign-valid-eee", [
                ("target.not-implemented", "not-implemented", "HTTP 501")], status=501, body="not implemented"),
            _case("DeleteCampaign", "DeleteCampaign-valid-fff", [
                ("wire.request-id", "pass", ""),
                ("errors.declared", "error", "check crashed: KeyError: 'x'")], status=400,
                body='{"__type": "ResourceNotFoundException"}'),
        ],
    })


def with_cells(doc: dict, changes: dict) -> dict:
    """A copy of `doc` with some matrix cells (and the row status they imply) replaced."""
    doc = copy.deepcopy(doc)
    for (op, rule), verdict in changes.items():
        row = doc["operations"][op]
        if rule is None:
            row["status"] = verdict
            row["checks"] = {r: verdict for r in row["checks"]}
        else:
            row["checks"][rule] = verdict
    return doc
