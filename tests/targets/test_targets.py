"""Targets put real AWS JSON 1.1 requests on the wire and report a silent target as unavailable."""
import json
import socket
import threading

import pytest

from personalize_conformance.runner.stateless import run_stateless
from personalize_conformance.runner.verdicts import matrix
from personalize_conformance.specs import load_spec
from personalize_conformance.checks import CHECKS
from personalize_conformance.runner.records import RunResult
from personalize_conformance.targets import TargetTimeout, TargetUnavailable, make_target, redact, sign, wire_headers


def test_requests_are_signed_for_personalize_over_the_final_body():
    headers = sign("http://127.0.0.1:1/", b'{"a":1}', wire_headers("ListSchemas"), "eu-west-1")
    assert headers["X-Amz-Target"] == "AmazonPersonalize.ListSchemas"
    assert headers["Content-Type"] == "application/x-amz-json-1.1"
    assert "/eu-west-1/personalize/aws4_request" in headers["Authorization"]
    assert redact(headers)["Authorization"] == "<redacted>"


def test_header_overrides_replace_or_remove_wire_defaults():
    headers = wire_headers("ListSchemas", {"content-type": "text/plain", "X-Amz-Target": None})
    assert headers == {"content-type": "text/plain"}


def test_moto_in_process_requests_reach_personalize_not_s3():
    target = make_target("moto")
    try:
        created = target.send("CreateSchema", json.dumps({"name": "reach", "schema": "{}"}).encode())
        assert created.status == 200
        assert json.loads(created.body)["schemaArn"].endswith(":schema/reach")
        listed = json.loads(target.send("ListSchemas", b"{}").body)
        assert "reach" in [s["name"] for s in listed["schemas"]]
    finally:
        target.close()


def _verdicts(name: str, operations):
    spec = load_spec()
    target = make_target(name)
    try:
        records = run_stateless(spec, target, run_seed=7, examples=3, operations=operations)
    finally:
        target.close()
    result = RunResult("t", name, "", "", "", 7, {o: spec.operation(o) for o in operations}, records)
    return {op: row["status"] for op, row in matrix(result, list(CHECKS)).items()}


def test_moto_server_gives_the_same_verdicts_as_moto_in_process():
    operations = ["DescribeSchema", "ListSchemas", "CreateCampaign", "ListCampaigns"]
    in_process, server = _verdicts("moto", operations), _verdicts("moto-server", operations)
    assert in_process == server
    assert in_process["CreateCampaign"] == "NOT IMPLEMENTED"
    assert in_process["ListSchemas"] == "FAIL"  # moto sends no JSON content type


def test_refused_connection_is_reported_unavailable():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    target = make_target(f"http://127.0.0.1:{port}")
    with pytest.raises(TargetUnavailable):
        target.send("ListSchemas", b"{}")


def test_hanging_target_times_out():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    accepted = []
    threading.Thread(target=lambda: accepted.append(server.accept()), daemon=True).start()
    target = make_target(f"http://127.0.0.1:{server.getsockname()[1]}", timeout=0.5)
    try:
        with pytest.raises(TargetTimeout):
            target.send("ListSchemas", b"{}")
    finally:
        server.close()


def test_unknown_target_name_is_refused():
    with pytest.raises(ValueError, match="unknown target"):
        make_target("nope")
