"""Every command the README shows does what the README says, run as it is written there.

The commands come from README.md itself (tests/readme/extract.py); what each must do is a table
keyed by the command (tests/readme/lines.py). A new README command without an entry fails here.
"""
from __future__ import annotations

import contextlib
import json
import os
import pathlib
import re
import shutil
import signal
import socket
import subprocess
import sys
import urllib.request

import pytest

from tests.emulator.helpers import headers_for
from tests.packaging.built import _checkout_files

from .extract import Command, commands, python_blocks
from .lines import LINES, Covered, Run, make

ROOT = pathlib.Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
SHOWN = commands(README.read_text(encoding="utf-8"))
CLEARED = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_PROFILE",
           "AWS_DEFAULT_PROFILE", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
           "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN", "PYTEST_DISABLE_PLUGIN_AUTOLOAD", "PYTEST_ADDOPTS")


def _unique(shown: list[Command]) -> list[Command]:
    seen: dict[str, Command] = {}
    for c in shown:
        seen.setdefault(c.text, c)
    return list(seen.values())


def test_every_readme_command_has_an_entry():
    missing = [f"README line {c.line} has no entry: {c.text!r} (add what it must do to tests/readme/lines.py)"
               for c in _unique(SHOWN) if c.text not in LINES]
    assert not missing, "\n".join(missing)


def test_every_entry_is_still_a_readme_command():
    shown = {c.text for c in SHOWN}
    stale = [text for text in LINES if text not in shown]
    assert not stale, "no longer in README.md, remove from tests/readme/lines.py: " + ", ".join(map(repr, stale))


def test_the_extraction_finds_block_lines_compound_parts_and_inline_commands():
    markdown = "\n".join([
        "Run `personalize-conformance spec --patches` or `run --plan`.",
        "```sh",
        "pip install -e '.[test]' && personalize-conformance run     # a comment",
        "# a whole-line comment",
        "personalize-conformance diff \\",
        "    RUN_A RUN_B",
        "```",
        "```python",
        "`personalize-conformance not-a-command`",
        "```",
    ])
    assert [(c.text, c.line) for c in commands(markdown)] == [
        ("personalize-conformance spec --patches", 1), ("pip install -e '.[test]'", 3),
        ("personalize-conformance run", 3), ("personalize-conformance diff RUN_A RUN_B", 5)]
    assert python_blocks(markdown) == [(9, "`personalize-conformance not-a-command`\n")]


# ---------------------------------------------------------------- running one command

def _shims(folder: pathlib.Path) -> pathlib.Path:
    """`personalize-conformance`, `pytest` and `python` of this checkout and interpreter, first on PATH."""
    bin_dir = folder / "bin"
    bin_dir.mkdir()
    for name, argv in (("personalize-conformance", "-m personalize_conformance"), ("pytest", "-m pytest"),
                       ("python", "")):
        shim = bin_dir / name
        shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" {argv} "$@"\n')
        shim.chmod(0o755)
    return bin_dir


def _environment(bin_dir: pathlib.Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in CLEARED and not k.startswith("PYTEST_XDIST")}
    env.update({
        "PATH": f"{bin_dir}{os.pathsep}{env.get('PATH', '')}",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        "PERSONALIZE_CONFORMANCE_EXAMPLES": "1",
        "AWS_CONFIG_FILE": "/nonexistent/pc-readme-config",
        "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/pc-readme-credentials",
        "AWS_EC2_METADATA_DISABLED": "true",
    })
    return env


def _folder(tmp_path: pathlib.Path, where: str) -> pathlib.Path:
    folder = tmp_path / "work"
    if where == "checkout":
        for name in _checkout_files():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, folder / name)
        shutil.rmtree(folder / "reports", ignore_errors=True)
    folder.mkdir(exist_ok=True)
    return folder


@contextlib.contextmanager
def _emulator_on_port_4566():
    from personalize_conformance.emulator import serve
    try:
        server = serve(port=4566, quotas=False)  # as the README's line says to serve it
    except OSError as exc:
        pytest.skip(f"port 4566 is in use on this machine: {exc}")
    try:
        yield
    finally:
        server.shutdown()


def _serve(command: str, folder: pathlib.Path, env: dict) -> str:
    process = subprocess.Popen(["bash", "-c", command], cwd=folder, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        url = process.stdout.readline().strip()
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", url), f"first line is not a URL: {url!r}"
        request = urllib.request.Request(url + "/", data=b"{}", method="POST", headers=headers_for("ListSchemas"))
        with urllib.request.urlopen(request, timeout=10) as response:
            assert json.loads(response.read()) == {"schemas": []}
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        code = process.wait(timeout=60)
    assert code == 0, f"{command!r} exited {code} on SIGTERM: {process.stderr.read()[-2000:]}"
    return url


RUNNABLE = [pytest.param(c.text, id=f"line{c.line}:{c.text}", marks=pytest.mark.slow)
            for c in _unique(SHOWN) if isinstance(LINES.get(c.text), Run)]
COVERED = [pytest.param(c.text, id=f"line{c.line}:{c.text}")
           for c in _unique(SHOWN) if isinstance(LINES.get(c.text), Covered)]


@pytest.mark.parametrize("command", RUNNABLE)
def test_the_command_does_what_the_readme_says(command, tmp_path):
    expected: Run = LINES[command]
    bin_dir = _shims(tmp_path)
    env = _environment(bin_dir)
    folder = _folder(tmp_path, expected.where)

    def harness(*argv: str) -> str:
        proc = subprocess.run([str(bin_dir / "personalize-conformance"), *argv], cwd=folder, env=env,
                              capture_output=True, text=True, timeout=600)
        assert proc.returncode in (0, 1), f"making a file for {command!r}: {argv} exited {proc.returncode}\n{proc.stderr}"
        return proc.stdout

    if "port 4566 free" in expected.needs:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", 4566))
            except OSError as exc:
                pytest.skip(f"port 4566 is in use on this machine: {exc}")
    for name in expected.needs:
        if name not in ("emulator on port 4566", "port 4566 free"):
            make(name, folder, harness)
    with _emulator_on_port_4566() if "emulator on port 4566" in expected.needs else contextlib.nullcontext():
        if expected.serves:
            _serve(command, folder, env)
            return
        proc = subprocess.run(["bash", "-c", command], cwd=folder, env=env, capture_output=True, text=True,
                              timeout=900)
    output = proc.stdout + proc.stderr
    assert proc.returncode == expected.code, (
        f"README: {command!r} exited {proc.returncode}, expected {expected.code}\n{output[-4000:]}")
    assert re.search(expected.out, output, re.M), f"README: {command!r} printed no {expected.out!r}\n{output[-4000:]}"
    for name in expected.makes:
        assert (folder / name).exists(), f"README: {command!r} left no {name}"


@pytest.mark.parametrize("command", COVERED)
def test_a_command_run_elsewhere_is_still_run_there(command):
    LINES[command].check()


EXAMPLES = [pytest.param(start, source, id=f"line{start}") for start, source in python_blocks(README.read_text(encoding="utf-8"))]


@pytest.mark.slow
@pytest.mark.parametrize("target", ["emulator", "moto"])
@pytest.mark.parametrize("start,source", EXAMPLES)
def test_a_python_example_of_the_readme_passes_as_a_users_test(start, source, target, tmp_path):
    bin_dir = _shims(tmp_path)
    folder = _folder(tmp_path, "empty")
    (folder / "test_readme_example.py").write_text(source)
    proc = subprocess.run([str(bin_dir / "pytest"), "-q", "-p", "no:cacheprovider", "--target", target], cwd=folder,
                          env=_environment(bin_dir), capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0 and " passed" in proc.stdout, (
        f"README's python example at line {start} on {target}:\n{proc.stdout[-3000:]}{proc.stderr[-2000:]}")
