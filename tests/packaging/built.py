"""A copy of this checkout as a used one looks (old runs, recordings, caches), built into an sdist
and a wheel once per test session, and the wheel installed into a fresh virtual environment.

Under pytest-xdist the first worker to ask builds and the others wait for it (a file lock in the
session's shared temporary folder), so the build is paid once.
"""
from __future__ import annotations

import json
import os
import pathlib
import shutil
import subprocess
import sys
import tarfile
import zipfile
from dataclasses import dataclass

ROOT = pathlib.Path(__file__).resolve().parents[2]

# What a checkout that has been used holds beside its code; none of it may be packaged.
LITTER = {
    "reports/20260101T000000-0a0b0c/results.json": "{}",
    "reports/20260101T000000-0a0b0c/index.html": "<html></html>",
    "runner/reports/20260101T000000-0d0e0f/results.json": "{}",  # a run started from inside a code folder
    "contracts/reports/20260101T000000-0d0e0f/summary.md": "# old run",
    "specs/exported.json": "{}",
    "traffic.har": "{}",
    "checks/__pycache__/stale.cpython-311.pyc": "",
    ".hypothesis/examples/x": "",
}
LITTER_MARKS = ("20260101T000000", "traffic.har", "exported.json", "__pycache__", ".hypothesis", ".pyc")


@dataclass
class Built:
    sdist: pathlib.Path
    wheel: pathlib.Path
    venv: pathlib.Path
    added: list[str]  # what installing the wheel added to the environment's site-packages

    @property
    def bin(self) -> pathlib.Path:
        return self.venv / "bin"

    def wheel_names(self) -> list[str]:
        with zipfile.ZipFile(self.wheel) as z:
            return z.namelist()

    def sdist_names(self) -> list[str]:
        with tarfile.open(self.sdist) as t:
            return [name.split("/", 1)[1] for name in t.getnames() if "/" in name]

    def env(self) -> dict:
        """The environment a user of the installed wheel has: no source checkout on the path."""
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
        env["PATH"] = str(self.bin) + os.pathsep + env.get("PATH", "")
        env.pop("PYTEST_DISABLE_PLUGIN_AUTOLOAD", None)
        env.pop("PERSONALIZE_CONFORMANCE_EXAMPLES", None)
        return env


def _checkout_files() -> list[str]:
    try:
        out = subprocess.run(["git", "-C", str(ROOT), "ls-files", "--cached", "--others", "--exclude-standard"],
                             capture_output=True, text=True, check=True, timeout=60).stdout
    except (OSError, subprocess.CalledProcessError):
        return [str(p.relative_to(ROOT)) for p in ROOT.rglob("*")
                if p.is_file() and not {".git", "reports", "build", "dist", ".tox", "__pycache__"} & set(p.parts)]
    return [line for line in out.splitlines() if line and (ROOT / line).is_file()]


def _copy_used_checkout(dest: pathlib.Path) -> None:
    for name in _checkout_files():
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)
    for name, text in LITTER.items():
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)


def _run(argv: list, **kwargs) -> subprocess.CompletedProcess:
    proc = subprocess.run([str(a) for a in argv], capture_output=True, text=True, **kwargs)
    if proc.returncode != 0:
        raise AssertionError(f"{' '.join(map(str, argv))} exited {proc.returncode}\n"
                             f"{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return proc


def _site_packages(python: pathlib.Path) -> pathlib.Path:
    out = _run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], timeout=60)
    return pathlib.Path(out.stdout.strip())


def build_and_install(folder: pathlib.Path) -> Built:
    """`python -m build` on a used copy of the checkout, then the wheel into a new venv, offline."""
    source, dist, venv = folder / "checkout", folder / "dist", folder / "venv"
    _copy_used_checkout(source)
    _run([sys.executable, "-m", "build", "--outdir", dist, source], timeout=900)
    (sdist,), (wheel,) = dist.glob("*.tar.gz"), dist.glob("*.whl")
    # The venv sees this interpreter's packages (the wheel's dependencies), so installing the
    # wheel alone with --no-deps needs no network; --no-index makes sure of it.
    _run([sys.executable, "-m", "venv", "--system-site-packages", venv], timeout=300)
    site = _site_packages(venv / "bin" / "python")
    before = set(os.listdir(site))
    _run([venv / "bin" / "python", "-m", "pip", "install", "--quiet", "--no-deps", "--no-index",
          "--force-reinstall", wheel], timeout=600)
    added = sorted(set(os.listdir(site)) - before)
    return Built(sdist=sdist, wheel=wheel, venv=venv, added=added)


def shared_build(tmp_path_factory) -> Built:
    """One build per test session, whichever xdist worker asks first."""
    from filelock import FileLock
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    folder, record = shared / "wheel-build", shared / "wheel-build.json"
    with FileLock(str(shared / "wheel-build.lock")):
        if record.exists():
            fields = json.loads(record.read_text())
            return Built(**{k: pathlib.Path(v) if k != "added" else v for k, v in fields.items()})
        built = build_and_install(folder)
        record.write_text(json.dumps({"sdist": str(built.sdist), "wheel": str(built.wheel),
                                      "venv": str(built.venv), "added": built.added}))
        return built
