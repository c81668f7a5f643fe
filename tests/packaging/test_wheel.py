"""The distribution as a user gets it: `python -m build` on a used checkout makes an sdist and a
wheel that carry the package and nothing else, and the wheel, installed into a fresh virtual
environment, runs every command in an empty folder."""
from __future__ import annotations

import json
import pathlib
import re
import signal
import subprocess
import urllib.request

import pytest

from tests.cli.test_cli import DESCRIBE_CAMPAIGN
from tests.emulator.helpers import headers_for

from .built import LITTER_MARKS, ROOT, _checkout_files, shared_build

pytestmark = pytest.mark.slow

PACKAGE = "personalize_conformance"


def _stages() -> list[str]:
    """The folders pyproject.toml maps into the package (its package-dir table)."""
    text = (ROOT / "pyproject.toml").read_text()
    return [folder for folder in re.findall(r'^"personalize_conformance\.\w+" = "(\w+)"$', text, re.M)]


STAGES = _stages()
# Every file beside the code of a stage is data the package reads (contracts, observations,
# quotas, deviations, the report template): all of it ships.
PACKAGE_DATA = [name for name in _checkout_files()
                if name.split("/")[0] in STAGES and not name.endswith(".py") and "/" in name]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return shared_build(tmp_path_factory)


@pytest.fixture
def empty(tmp_path):
    folder = tmp_path / "empty"
    folder.mkdir()
    return folder


def _in(built, folder, *argv, timeout=600, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in argv], cwd=folder, env=built.env(), capture_output=True,
                          text=True, timeout=timeout, **kwargs)


def test_the_wheel_adds_one_import_name_and_the_console_script(built):
    tops = {name.split("/")[0] for name in built.wheel_names() if not name.split("/")[0].endswith(".dist-info")}
    assert tops == {PACKAGE}
    top_level = [n for n in built.wheel_names() if n.endswith(".dist-info/top_level.txt")]
    with __import__("zipfile").ZipFile(built.wheel) as z:
        assert all(z.read(n).decode().split() == [PACKAGE] for n in top_level)
        entry_points = z.read(next(n for n in z.namelist() if n.endswith("entry_points.txt"))).decode()
    assert "personalize-conformance = personalize_conformance.cli.main:main" in entry_points
    assert "[pytest11]" in entry_points and "personalize_conformance.runner.pytest_plugin" in entry_points
    # ... and installing it adds that one name to site-packages (beside its metadata)
    assert [a for a in built.added if not a.endswith(".dist-info")] == [PACKAGE], built.added
    assert (built.bin / "personalize-conformance").exists()


def test_the_wheel_carries_every_stage_and_its_data_and_nothing_of_the_checkout(built):
    names = built.wheel_names()
    assert {"specs", "checks", "runner", "suite", "contracts", "reporting"} <= set(STAGES)
    for stage in STAGES:
        assert f"{PACKAGE}/{stage}/__init__.py" in names, stage
    assert any(d.startswith("contracts/") and d.endswith(".yaml") for d in PACKAGE_DATA)
    for data in PACKAGE_DATA:
        assert f"{PACKAGE}/{data}" in names, f"{data} is not in the wheel"
    assert any(n.startswith(f"{PACKAGE}/suite/test_") for n in names)
    for name in names:
        parts = name.split("/")
        assert not {"reports", "tests", "bench", "build", "dist"} & set(parts), name
        assert not any(mark in name for mark in LITTER_MARKS), name


def test_the_sdist_carries_the_source_and_no_old_run(built):
    names = built.sdist_names()
    assert {"pyproject.toml", "README.md"} <= set(names)
    for stage in STAGES:
        assert f"{stage}/__init__.py" in names, stage
    for data in PACKAGE_DATA:
        assert data in names, data
    for name in names:
        assert not name.startswith("reports/"), name
        assert not any(mark in name for mark in LITTER_MARKS), name


def test_the_installed_wheel_is_what_runs(built, empty):
    out = _in(built, empty, built.bin / "python", "-c", f"import {PACKAGE}; print({PACKAGE}.__file__)")
    assert out.returncode == 0, out.stderr
    assert pathlib.Path(out.stdout.strip()).is_relative_to(built.venv), out.stdout


def test_run_in_an_empty_folder_writes_its_report_there(built, empty):
    out = _in(built, empty, "personalize-conformance", "run", "--examples", "1", "--operation", "CreateSchema",
              "--operation", "DescribeSchema", "--operation", "ListSchemas", "--hypothesis-seed", "1")
    assert out.returncode == 0, out.stdout + out.stderr
    (folder,) = (empty / "reports").iterdir()
    assert {p.name for p in folder.iterdir()} >= {"results.json", "summary.md", "junit.xml", "index.html"}
    assert set(json.loads((folder / "results.json").read_text())["operations"]) >= {"CreateSchema", "ListSchemas"}


def test_spec_and_validate(built, empty):
    out = _in(built, empty, "personalize-conformance", "spec")
    assert out.returncode == 0 and out.stdout.startswith("# botocore") and ": 71 operations" in out.stdout, out.stderr
    (empty / "response.json").write_text(json.dumps(DESCRIBE_CAMPAIGN))
    out = _in(built, empty, "personalize-conformance", "validate", "--operation", "DescribeCampaign", "response.json")
    assert out.returncode == 0 and "checks passed, 0 failed" in out.stdout, out.stdout + out.stderr


def test_emulator_on_port_0_prints_its_url_and_serves_until_stopped(built, empty):
    process = subprocess.Popen([built.bin / "personalize-conformance", "emulator", "--port", "0"], cwd=empty,
                               env=built.env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:"), url + process.stderr.read()
        request = urllib.request.Request(url + "/", data=b"{}", method="POST", headers=headers_for("ListSchemas"))
        with urllib.request.urlopen(request, timeout=10) as response:
            assert json.loads(response.read()) == {"schemas": []}
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 0  # a loaded machine is slow to schedule it


USER_TEST = '''
import personalize_conformance


def test_my_contract(personalize_client, conformance_run_id):
    assert personalize_conformance.__file__.startswith({venv!r})
    assert personalize_client.list_schemas()["schemas"] == []
    assert conformance_run_id
'''


def test_pytest_with_target_runs_a_users_test_and_the_shipped_suite(built, empty):
    (empty / "test_mine.py").write_text(USER_TEST.format(venv=str(built.venv)))
    out = _in(built, empty, built.bin / "python", "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:schemathesis", "--target", "emulator")
    assert out.returncode == 0 and "1 passed" in out.stdout, out.stdout[-3000:] + out.stderr[-3000:]
    (empty / "test_mine.py").unlink()
    out = _in(built, empty, built.bin / "python", "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:schemathesis",
              "--pyargs", f"{PACKAGE}.suite", "--target", "emulator", "-k", "CreateSchema",
              "--conformance-examples", "1")
    assert out.returncode == 0 and "3 passed" in out.stdout, out.stdout[-3000:] + out.stderr[-3000:]
    assert "conformance report: reports/" in out.stdout
    assert len(list((empty / "reports").iterdir())) == 1
