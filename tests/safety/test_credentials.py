"""Credentials, session tokens and signatures never appear in any output: stdout, stderr, logs,
or any file of the report - even when the target echoes back what it received."""
from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys

import pytest

from personalize_conformance.emulator import Emulator
from personalize_conformance.runner.redaction import scrub
from personalize_conformance.targets.aws import AwsTarget
from tests.robustness.broken import BrokenServer, proxy, response

from .fakeaws import SECRETS, subprocess_env

SIGNATURE = re.compile(r"Signature=[0-9a-f]{64}")


def _echoing(emulator):
    """Answers like the emulator, except that every error repeats the request's headers."""
    emulate = proxy(emulator)

    def respond(req):
        if req.operation.startswith("Describe"):
            body = json.dumps({"__type": "ValidationException", "message": f"you sent {req.headers}"})
            return response(400, body.encode(), {"x-echo": req.headers.get("x-amz-security-token", "")})
        return emulate(req)
    return respond


def _leaks(text: str) -> list[str]:
    found = [s for s in SECRETS if s in text]
    return found + SIGNATURE.findall(text)


@pytest.mark.parametrize("runner", ["cli", "pytest"])
def test_no_output_of_a_run_on_the_aws_code_path_holds_a_secret(runner, tmp_path):
    with BrokenServer(_echoing(Emulator(timing="immediate"))) as server:
        env = subprocess_env(os.environ)
        if runner == "cli":
            argv = [sys.executable, "-m", "personalize_conformance", "run", "--target", "aws", "--allow-aws",
                    "--endpoint-url", server.url, "--examples", "2", "--out", str(tmp_path / "reports"),
                    "--operation", "DescribeSchema", "--operation", "ListSchemas", "--operation", "CreateCampaign"]
        else:
            env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
            argv = [sys.executable, "-m", "pytest", "-p", "_hypothesis_pytestplugin", "-p", "personalize_conformance.runner.pytest_plugin", "-q",
                    "-p", "no:cacheprovider", "--target", "aws", "--allow-aws", "--endpoint-url", server.url,
                    "--reports-dir", str(tmp_path / "reports"), "--log-level=DEBUG", "-o", "log_cli=true",
                    "--conformance-examples", "2", "-k", "DescribeSchema or ListSchemas",
                    "suite/test_stateless.py"]
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=180, env=env,
                              cwd=str(__import__("pathlib").Path(__file__).resolve().parents[2]))
        assert any("x-amz-security-token" in r.headers for r in server.requests)  # the token was sent ...
    files = [p for p in (tmp_path / "reports").rglob("*") if p.is_file()]
    assert files, proc.stdout + proc.stderr
    assert any(p.name == "results.json" for p in files)
    for name, text in [("stdout", proc.stdout), ("stderr", proc.stderr),
                       *[(str(p), p.read_text(errors="replace")) for p in files]]:
        assert _leaks(text) == [], f"{name} leaks a credential"  # ... and is nowhere in the output
    # The echo did reach the report, redacted: the scrubbing is what kept it out.
    results = next(p for p in files if p.name == "results.json").read_text()
    assert "<redacted>" in results


def test_botocores_signing_debug_log_never_carries_the_token(fake_aws_env, caplog):
    with BrokenServer(proxy(Emulator())) as server:
        target = AwsTarget(allow_aws=True, endpoint_url=server.url, timeout=2)
        with caplog.at_level(logging.DEBUG):
            target.send("ListSchemas", b"{}")
        target.close()
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert _leaks(text) == []


def test_scrub_replaces_secrets_anywhere_in_a_document():
    doc = {"cases": [{"response": {"body": f"token {SECRETS[2]} here", "headers": {"x": SECRETS[1]}}}],
           SECRETS[0]: ["Authorization: AWS4-HMAC-SHA256 Signature=" + "a" * 64]}
    text = json.dumps(scrub(doc, SECRETS))
    assert _leaks(text) == [] and text.count("<redacted>") == 4


def test_scrub_leaves_a_document_alone_when_there_is_nothing_secret():
    doc = {"body": "testing"}
    assert scrub(doc, ()) is doc
