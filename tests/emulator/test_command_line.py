"""``python -m emulator``: prints its URL first, serves until stopped."""
from __future__ import annotations

import json
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

from personalize_conformance.emulator.__main__ import build_parser, main

from .helpers import headers_for

ROOT = Path(__file__).resolve().parents[2]


def test_module_prints_its_url_and_serves():
    process = subprocess.Popen(
        [sys.executable, "-m", "personalize_conformance.emulator", "--port", "0", "--timing", "immediate",
         "--fault", "no-request-id"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        request = urllib.request.Request(url + "/", data=b"{}", method="POST",
                                         headers=headers_for("ListSchemas"))
        with urllib.request.urlopen(request, timeout=5) as response:
            assert json.loads(response.read()) == {"schemas": []}
            assert response.headers.get("x-amzn-RequestId") is None   # the fault is on
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0


def test_bad_arguments_exit_with_status_2(capsys):
    assert main(["--timing", "eventually"]) == 2
    assert main(["--fault", "no-such-fault"]) == 2
    assert "error:" in capsys.readouterr().err


def test_help_lists_every_fault():
    text = build_parser().format_help()
    assert "never-deleted:" in text and "server-error:" in text
