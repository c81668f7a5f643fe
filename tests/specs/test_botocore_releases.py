"""drift between botocore releases without exporting by hand: `botocore==X`, a wheel, a folder.

The "older" release is the installed model with an operation and a member removed, written where
botocore keeps it, so no test needs the network.
"""
import copy
import gzip
import json
import os
import pathlib
import zipfile

import botocore
import pytest

from personalize_conformance.cli.main import main
from personalize_conformance.specs import load_spec
from personalize_conformance.specs.botocore_build import installed_model
from personalize_conformance.specs.botocore_versions import CACHE_ENV, is_botocore_source

OLDER = "1.34.999"


def write_release(root: pathlib.Path, *, gz: bool = False) -> pathlib.Path:
    """An unpacked botocore under `root`: botocore/__init__.py and botocore/data/personalize/<api>/."""
    model, paginators = installed_model()
    model = copy.deepcopy(model)
    del model["operations"]["UpdateSolution"]
    del model["shapes"]["CreateSolutionRequest"]["members"]["performAutoTraining"]
    package = root / "botocore"
    api = package / "data" / "personalize" / model["metadata"]["apiVersion"]
    api.mkdir(parents=True)
    (package / "__init__.py").write_text(f"__version__ = '{OLDER}'\n")
    data = json.dumps(model).encode()
    if gz:
        (api / "service-2.json.gz").write_bytes(gzip.compress(data))
    else:
        (api / "service-2.json").write_bytes(data)
    (api / "paginators-1.json").write_text(json.dumps({"pagination": paginators}))
    return package


def write_wheel(root: pathlib.Path, folder_root: pathlib.Path) -> pathlib.Path:
    wheel = root / f"botocore-{OLDER}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as zf:
        for path in (folder_root / "botocore").rglob("*"):
            if path.is_file():
                zf.write(path, path.relative_to(folder_root).as_posix())
    return wheel


def _drift(capsys, a, b="botocore") -> tuple[int, str, str]:
    code = main(["drift", str(a), b])
    out = capsys.readouterr()
    return code, out.out, out.err


def _says_what_the_older_release_lacked(text: str) -> None:
    added = text.split("operations added (", 1)[1].split("\n\n", 1)[0]
    assert added.splitlines()[1:] == ["  UpdateSolution"]
    assert "CreateSolutionRequest.performAutoTraining: member added" in text


@pytest.mark.parametrize("where", ["package", "above it", "data folder"])
def test_drift_reads_an_unpacked_botocore_folder(tmp_path, capsys, where):
    package = write_release(tmp_path, gz=where == "package")
    folder = {"package": package, "above it": tmp_path, "data folder": package / "data"}[where]
    code, out, _ = _drift(capsys, folder)
    assert code == 1
    assert out.startswith(f"drift from botocore {OLDER} ({folder})\n        to botocore {botocore.__version__}")
    _says_what_the_older_release_lacked(out)


def test_drift_reads_a_botocore_wheel(tmp_path, capsys):
    write_release(tmp_path / "src")
    wheel = write_wheel(tmp_path, tmp_path / "src")
    code, out, _ = _drift(capsys, wheel)
    assert code == 1 and f"drift from botocore {OLDER} ({wheel.name})" in out
    _says_what_the_older_release_lacked(out)


def test_a_pinned_version_is_found_in_the_cache_without_downloading(tmp_path, capsys, monkeypatch):
    write_release(tmp_path / "src")
    cache = tmp_path / "cache" / "botocore"
    cache.mkdir(parents=True)
    write_wheel(cache, tmp_path / "src")
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.setenv("PIP_NO_INDEX", "1")  # were it to download, it would fail
    code, out, _ = _drift(capsys, f"botocore=={OLDER}")
    assert code == 1
    _says_what_the_older_release_lacked(out)


def test_the_installed_version_pinned_is_the_installed_package(capsys):
    code, out, _ = _drift(capsys, f"botocore=={botocore.__version__}")
    assert code == 0 and "no drift" in out


def test_a_version_that_cannot_be_had_is_one_line_and_exit_2(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.setenv("PIP_CONFIG_FILE", os.devnull)  # no configured index or wheel folder
    monkeypatch.setenv("PIP_NO_INDEX", "1")            # and no network
    code, out, err = _drift(capsys, "botocore==0.0.1")
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1
    assert "botocore 0.0.1 is not the installed one" in err and "pip download --no-deps botocore==0.0.1" in err


def test_a_folder_without_a_personalize_model_is_a_usage_error(tmp_path, capsys):
    (tmp_path / "botocore" / "data").mkdir(parents=True)
    code, _, err = _drift(capsys, tmp_path)
    assert code == 2 and "holds no botocore data folder" in err


def test_an_older_release_drives_a_run_as_its_spec(tmp_path):
    package = write_release(tmp_path)
    spec = load_spec(str(package))
    assert len(spec.operations) == len(load_spec().operations) - 1 and "UpdateSolution" not in spec.operations
    assert "performAutoTraining" not in spec.operation("CreateSolution").request_schema["properties"]
    assert spec.raw["info"]["x-origin"][0]["x-botocore-version"] == OLDER


def test_only_pinned_versions_wheels_and_folders_are_releases(tmp_path):
    assert is_botocore_source("botocore==1.34.0") and is_botocore_source(str(tmp_path))
    assert is_botocore_source("botocore-1.34.0-py3-none-any.whl")
    assert not is_botocore_source("spec.json") and not is_botocore_source("botocore>=1.34")
