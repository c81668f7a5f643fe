"""`st run` with the exported spec and the shipped hooks reaches the emulator as real Personalize
calls, schemathesis's own checks pass on conformant operations, and fail on a wire fault.

The command is the README's `st run` line, with the URL of a test server and a small budget added.
"""
import json
import os
import pathlib
import re
import shlex
import subprocess
import sys
import threading

import pytest

import personalize_conformance
from personalize_conformance.cli.main import main
from personalize_conformance.emulator import Emulator
from personalize_conformance.emulator.server import EmulatorServer

pytestmark = pytest.mark.slow

ROOT = pathlib.Path(personalize_conformance.__file__).resolve().parents[1]
OPERATIONS = ("ListSchemas", "DescribeSchema", "CreateDatasetGroup")
BUDGET = ["--max-examples", "4", "--seed", "1", "--workers", "1", "--phases", "examples,fuzzing",
          "--generation-database", "none", "--no-color"]


class RecordingEmulator(Emulator):
    """The emulator, noting what reached it: (method, path, X-Amz-Target, Authorization, status, body)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.seen = []
        self._seen_lock = threading.Lock()

    def handle(self, method, path, headers, body):
        status, out_headers, payload = super().handle(method, path, headers, body)
        with self._seen_lock:
            self.seen.append((method, path, headers.get("X-Amz-Target"), headers.get("Authorization", ""),
                              status, out_headers, payload))
        return status, out_headers, payload


def readme_st_line() -> list[str]:
    """The README's `st run` line, as words, its environment assignment split off."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    line = next(s for s in readme.splitlines() if re.match(r"^SCHEMATHESIS_HOOKS=\S+ st run ", s))
    return shlex.split(line)


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    path = tmp_path_factory.mktemp("st") / "personalize.openapi.json"
    assert main(["spec", "--export", str(path)]) == 0
    return path


def st_run(exported, url: str, operations=OPERATIONS, cwd=None) -> subprocess.CompletedProcess:
    words = readme_st_line()
    hooks = words.pop(0)
    assert words[:3] == ["st", "run", "personalize.openapi.json"]
    words[2] = str(exported)
    words[words.index("--url") + 1] = url
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    name, _, value = hooks.partition("=")
    env[name] = value
    command = [sys.executable, "-m", "schemathesis.cli", *words[1:], *BUDGET]
    for op in operations:
        command += ["--include-operation-id", op]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=300, cwd=cwd)


def test_st_run_reaches_the_emulator_as_signed_personalize_calls_and_its_checks_pass(exported, tmp_path):
    emulator = RecordingEmulator()
    with EmulatorServer(emulator) as server:
        proc = st_run(exported, server.url, cwd=tmp_path)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-3000:]
    targets = {f"AmazonPersonalize.{op}" for op in OPERATIONS}
    calls = [s for s in emulator.seen if s[2] in targets]
    assert {s[2] for s in calls} == targets
    for method, path, _target, authorization, status, headers, payload in calls:
        assert (method, path) == ("POST", "/")
        assert authorization.startswith("AWS4-HMAC-SHA256 Credential=testing/")
        assert "/us-east-1/personalize/aws4_request" in authorization
        assert status in (200, 400)
        assert headers["Content-Type"] == "application/x-amz-json-1.1"
        answer = json.loads(payload)
        if status == 400:  # a Personalize error: the operation was found and its body read as JSON 1.1
            assert answer["__type"] != "UnknownOperationException", answer
            assert "Content-Type" not in answer.get("message", ""), answer
    # schemathesis's negative mode may break the declared X-Amz-Target header: the hooks leave it broken
    broken = [s for s in emulator.seen if s[2] is not None and s[2] not in targets]
    assert all(s[4] == 400 and json.loads(s[6])["__type"] == "UnknownOperationException" for s in broken)
    # Hypothesis draws the simplest request first: ListSchemas with an empty body succeeds
    assert any(s[2] == "AmazonPersonalize.ListSchemas" and s[4] == 200 for s in calls)


def test_st_run_fails_a_target_whose_wire_breaks_the_spec(exported, tmp_path):
    """The same line against a defect the harness catches: schemathesis catches it too."""
    emulator = RecordingEmulator(faults=["content-type-html"])
    with EmulatorServer(emulator) as server:
        proc = st_run(exported, server.url, operations=("ListSchemas",), cwd=tmp_path)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out[-3000:]
    assert "Undocumented Content-Type" in out
    assert any(s[2] == "AmazonPersonalize.ListSchemas" and s[4] == 200 for s in emulator.seen)


def test_the_unexported_spec_fails_a_conformant_target(tmp_path):
    """Why the export exists: as loaded, the document declares 480-485 where the wire answers 400."""
    raw = tmp_path / "raw.json"
    assert main(["spec", "--export", str(raw), "--unpatched"]) == 0
    emulator = RecordingEmulator()
    with EmulatorServer(emulator) as server:
        env = dict(os.environ)
        env.pop("SCHEMATHESIS_HOOKS", None)
        proc = subprocess.run([sys.executable, "-m", "schemathesis.cli", "run", str(raw), "--url", server.url,
                               "--checks", "status_code_conformance", *BUDGET, "--include-operation-id",
                               "ListSchemas"], env=env, capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert proc.returncode == 1
    assert "Undocumented status code" in proc.stdout + proc.stderr
    answered = [s for s in emulator.seen if s[2] == "AmazonPersonalize.ListSchemas"]
    assert any(s[4] == 400 and json.loads(s[6])["__type"] == "InvalidNextTokenException" for s in answered)
