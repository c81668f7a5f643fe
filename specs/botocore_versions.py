"""Specs built from any botocore release, not only the installed one: for `drift` across SDK releases.

A source names a release as `botocore` (the installed one), `botocore==X.Y.Z`, a botocore wheel
file, or a folder holding an unpacked botocore (the package, the folder above it, or its `data`
folder). `botocore==X` is the installed package when the versions agree, else a wheel in the cache
(`$PERSONALIZE_CONFORMANCE_CACHE`, default `~/.cache/personalize-conformance`), else one that
`pip download --no-deps` puts there when a package index answers. Only the service's model and
paginators are read; no other botocore code is imported or run.
"""
from __future__ import annotations

import gzip
import json
import os
import pathlib
import re
import subprocess
import sys
import zipfile

from .botocore_build import SERVICE, build_document

CACHE_ENV = "PERSONALIZE_CONFORMANCE_CACHE"
_PINNED = re.compile(r"^botocore==(?P<version>\d+(?:\.\d+)*)$")
_WHEEL_VERSION = re.compile(r"^botocore-(?P<version>[^-]+)-")
_MODEL = re.compile(rf"(?:^|/){SERVICE}/(?P<api>[^/]+)/(?P<kind>service-2|paginators-1)\.json(?P<gz>\.gz)?$")
_VERSION_LINE = re.compile(r"""^__version__\s*=\s*['"]([^'"]+)['"]""", re.M)


class BotocoreUnavailable(ValueError):
    """The named botocore release cannot be found here (and could not be downloaded)."""


def cache_dir() -> pathlib.Path:
    root = os.environ.get(CACHE_ENV) or pathlib.Path.home() / ".cache" / "personalize-conformance"
    return pathlib.Path(root) / "botocore"


def is_botocore_source(source: str) -> bool:
    """Whether `source` names a botocore release rather than an OpenAPI document."""
    if _PINNED.match(source):
        return True
    path = pathlib.Path(source).expanduser()
    return (path.suffix == ".whl" and path.name.startswith("botocore-")) or path.is_dir()


def read_release(source: str) -> tuple[dict, str]:
    """The OpenAPI document built from the release `source` names, and a label for it."""
    pinned = _PINNED.match(source)
    if pinned:
        return _pinned(pinned.group("version"))
    path = pathlib.Path(source).expanduser()
    if path.is_dir():
        model, paginators = _from_folder(path)
        version = _folder_version(path)
        return build_document(model=model, paginators=paginators, version=version), \
            f"botocore {version or 'of unknown version'} ({path})"
    if not path.exists():
        raise FileNotFoundError(f"wheel not found: {source}")
    return _from_wheel(path)


def _pinned(version: str) -> tuple[dict, str]:
    import botocore
    if botocore.__version__ == version:
        return build_document(), f"botocore {version}"
    cache = cache_dir()
    wheel = _cached_wheel(cache, version) or _download(cache, version)
    return _from_wheel(wheel)


def _cached_wheel(cache: pathlib.Path, version: str) -> pathlib.Path | None:
    return next(iter(sorted(cache.glob(f"botocore-{version}-*.whl"))), None) if cache.is_dir() else None


def _download(cache: pathlib.Path, version: str) -> pathlib.Path:
    """`pip download --no-deps botocore==version` into the cache; one line of why when it fails."""
    cache.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "--quiet",
               "--disable-pip-version-check", f"botocore=={version}", "-d", str(cache)]
    try:
        proc = subprocess.run(command, capture_output=True, text=True, timeout=300)
        failure = None if proc.returncode == 0 else _last_line(proc.stderr or proc.stdout)
    except (OSError, subprocess.TimeoutExpired) as exc:
        failure = str(exc)
    wheel = _cached_wheel(cache, version)
    if wheel is None:
        raise BotocoreUnavailable(
            f"botocore {version} is not the installed one ({_installed()}) nor in {cache}, and "
            f"`pip download --no-deps botocore=={version}` failed ({failure or 'no wheel'}); "
            f"give a botocore wheel file or an unpacked botocore folder instead")
    return wheel


def _installed() -> str:
    import botocore
    return botocore.__version__


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "no output"


def _pick(found: dict[tuple[str, str], object]) -> tuple[object, object | None]:
    """The newest API version's model and paginators among what a release holds."""
    apis = sorted({api for api, kind in found if kind == "service-2"})
    if not apis:
        raise BotocoreUnavailable(f"no {SERVICE} service model in it")
    return found[(apis[-1], "service-2")], found.get((apis[-1], "paginators-1"))


def _load(data: bytes, gz: bool) -> dict:
    return json.loads(gzip.decompress(data) if gz else data)


def _from_wheel(path: pathlib.Path) -> tuple[dict, str]:
    try:
        with zipfile.ZipFile(path) as wheel:
            found = {}
            for name in wheel.namelist():
                m = _MODEL.search(name)
                if m and name.startswith(f"botocore/data/{SERVICE}/"):
                    found[(m.group("api"), m.group("kind"))] = (name, bool(m.group("gz")))
            model_at, paginators_at = _pick(found)
            model = _load(wheel.read(model_at[0]), model_at[1])
            paginators = _load(wheel.read(paginators_at[0]), paginators_at[1]) if paginators_at else {}
    except zipfile.BadZipFile as exc:
        raise BotocoreUnavailable(f"{path} is not a wheel: {exc}") from None
    m = _WHEEL_VERSION.match(path.name)
    version = m.group("version") if m else None
    document = build_document(model=model, paginators=paginators.get("pagination", {}), version=version)
    return document, f"botocore {version or 'of unknown version'} ({path.name})"


def _data_folder(path: pathlib.Path) -> pathlib.Path:
    """The botocore `data` folder in or at `path`."""
    for candidate in (path, path / "data", path / "botocore" / "data"):
        if (candidate / SERVICE).is_dir():
            return candidate
    raise BotocoreUnavailable(f"{path} holds no botocore data folder with a {SERVICE} model")


def _from_folder(path: pathlib.Path) -> tuple[dict, dict]:
    data = _data_folder(path)
    found = {}
    for file in (data / SERVICE).glob("*/*.json*"):
        m = _MODEL.search(file.relative_to(data).as_posix())
        if m:
            found[(m.group("api"), m.group("kind"))] = (file, bool(m.group("gz")))
    model_at, paginators_at = _pick(found)
    model = _load(model_at[0].read_bytes(), model_at[1])
    paginators = _load(paginators_at[0].read_bytes(), paginators_at[1]) if paginators_at else {}
    return model, paginators.get("pagination", {})


def _folder_version(path: pathlib.Path) -> str | None:
    """`__version__` of the botocore package the data folder belongs to, when it is there."""
    init = _data_folder(path).parent / "__init__.py"
    if init.is_file():
        m = _VERSION_LINE.search(init.read_text(encoding="utf-8", errors="replace"))
        if m:
            return m.group(1)
    return None


__all__ = ["BotocoreUnavailable", "CACHE_ENV", "cache_dir", "is_botocore_source", "read_release"]
