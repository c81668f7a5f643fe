"""`personalize-conformance emulator`: its options reach the emulator's own parser as typed."""
from __future__ import annotations

import json
import os
import pathlib
import signal
import subprocess
import sys
import urllib.request

from personalize_conformance.cli.main import main

from tests.emulator.helpers import headers_for

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _command(*args: str) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    return subprocess.Popen([sys.executable, "-m", "personalize_conformance", "emulator", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def _list_schemas(url: str) -> tuple[dict, dict]:
    request = urllib.request.Request(url + "/", data=b"{}", method="POST", headers=headers_for("ListSchemas"))
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read()), dict(response.headers)


def test_port_0_serves_on_a_free_port_and_prints_its_url_first():
    process = _command("--port", "0", "--timing", "immediate", "--fault", "no-request-id")
    try:
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:") and not url.endswith(":0"), url + process.stderr.read()
        body, headers = _list_schemas(url)
        assert body == {"schemas": []}
        assert not any(k.lower() == "x-amzn-requestid" for k in headers)  # --fault reached the emulator
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 0


def test_help_is_the_emulators_own_with_its_options_and_faults():
    process = _command("--help")
    out, _ = process.communicate(timeout=60)
    assert process.returncode == 0
    assert out.startswith("usage: personalize-conformance emulator")
    assert "--port" in out and "--fault" in out and "never-deleted:" in out


def test_an_unknown_option_or_value_is_a_usage_error(capsys):
    assert main(["emulator", "--timing", "eventually"]) == 2
    assert "error:" in capsys.readouterr().err
    process = _command("--no-such-option")
    _, err = process.communicate(timeout=60)
    assert process.returncode == 2
    assert "unrecognized arguments: --no-such-option" in err
