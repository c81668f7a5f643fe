"""Reading an OpenAPI document from wherever the user keeps it: a path, a URL, the default (the
installed botocore), or another botocore release (`botocore==X`, a wheel, an unpacked folder)."""
from __future__ import annotations

import json
import pathlib
import urllib.request

import yaml

DEFAULT_SOURCE = "botocore"


def read_document(source: str | None = None) -> tuple[dict, str]:
    """The raw document and a label naming where it came from."""
    if source in (None, "", DEFAULT_SOURCE):
        from .botocore_build import build_document
        import botocore
        return build_document(), f"botocore {botocore.__version__}"
    from .botocore_versions import is_botocore_source, read_release
    if is_botocore_source(source):  # botocore==X, a botocore wheel, an unpacked botocore folder
        return read_release(source)
    if source.startswith(("http://", "https://", "file://")):
        with urllib.request.urlopen(source, timeout=30) as response:  # noqa: S310 - user-given spec
            text = response.read().decode("utf-8")
    else:
        path = pathlib.Path(source).expanduser()
        if not path.exists():
            raise FileNotFoundError(f"spec not found: {source}")
        text = path.read_text(encoding="utf-8")
    return _parse(text, source), source


def _parse(text: str, source: str) -> dict:
    stripped = text.lstrip()
    if stripped.startswith("{"):
        return json.loads(text)
    document = yaml.safe_load(text)
    if not isinstance(document, dict):
        raise ValueError(f"{source} is not an OpenAPI document")
    return document
