"""Reading an OpenAPI document from wherever the user keeps it: a path, a URL, the default (the
installed botocore), or another botocore release (`botocore==X`, a wheel, an unpacked folder)."""
from __future__ import annotations

import json
import pathlib
import urllib.request

import yaml

from personalize_conformance.errors import SpecError, SpecNotFound, one_line

DEFAULT_SOURCE = "botocore"


def read_document(source: str | None = None) -> tuple[dict, str]:
    """The raw document and a label naming where it came from."""
    if source in (None, "", DEFAULT_SOURCE):
        from .botocore_build import build_document
        import botocore
        return build_document(), f"botocore {botocore.__version__}"
    from .botocore_versions import is_botocore_source, read_release
    if is_botocore_source(source):  # botocore==X, a botocore wheel, an unpacked botocore folder
        try:
            return read_release(source)
        except SpecError:
            raise
        except (OSError, ValueError) as exc:  # not found, not downloadable, not a botocore
            raise SpecError(f"cannot build a spec from {source}: {one_line(exc)}") from None
    if source.startswith(("http://", "https://", "file://")):
        try:
            with urllib.request.urlopen(source, timeout=30) as response:  # noqa: S310 - user-given spec
                text = response.read().decode("utf-8")
        except (OSError, ValueError) as exc:  # URLError is an OSError; a bad URL a ValueError
            raise SpecError(f"cannot read spec {source}: {one_line(exc)}") from None
    else:
        path = pathlib.Path(source).expanduser()
        if not path.is_file():
            raise SpecNotFound(f"spec not found: {source}" + (" (a folder)" if path.is_dir() else ""))
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise SpecError(f"cannot read spec {source}: {one_line(exc)}") from None
    return _parse(text, source), source


def _parse(text: str, source: str) -> dict:
    """The document, or a `SpecError` saying in one line why `text` cannot be one."""
    try:
        document = json.loads(text) if text.lstrip().startswith("{") else yaml.safe_load(text)
    except json.JSONDecodeError as exc:
        raise SpecError(f"spec {source} is not valid JSON: {exc.msg} at line {exc.lineno} "
                        f"column {exc.colno}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1} column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or exc
        raise SpecError(f"spec {source} is not valid YAML: {one_line(problem)}{where}") from None
    check_openapi(document, source)
    return document


def check_openapi(document, source: str) -> None:
    """An OpenAPI document with at least one path; anything else cannot drive a run."""
    if not isinstance(document, dict):
        raise SpecError(f"spec {source} is not an OpenAPI document (not a mapping)")
    if not isinstance(document.get("openapi", document.get("swagger")), str):
        raise SpecError(f"spec {source} is not an OpenAPI document (no 'openapi' version field)")
    paths = document.get("paths")
    if not isinstance(paths, dict) or not paths:
        raise SpecError(f"spec {source} has no operations (its 'paths' is missing or empty)")
