"""Specs: the OpenAPI document a run is driven by, patched to describe the wire, and its index.

`load_spec()` builds the default from the installed botocore model; `load_spec(path_or_url)`
loads any OpenAPI document (e.g. the APIs.guru conversion).
"""
from __future__ import annotations

from functools import lru_cache

from personalize_conformance.errors import SpecError

from .index import Operation, Spec, classify
from .loader import DEFAULT_SOURCE, read_document
from .patches import FRAMEWORK_ERRORS, WIRE_CONTENT_TYPE, describe as describe_patches

__all__ = ["Operation", "Spec", "classify", "load_spec", "DEFAULT_SOURCE", "FRAMEWORK_ERRORS",
           "WIRE_CONTENT_TYPE", "describe_patches"]


@lru_cache(maxsize=8)
def load_spec(source: str | None = None) -> Spec:
    raw, label = read_document(source)
    try:
        spec = Spec(raw=raw, source=label)
    except (KeyError, TypeError, AttributeError, ValueError) as exc:  # a document of the wrong shape
        raise SpecError(f"spec {label} cannot be read as OpenAPI: {exc.__class__.__name__}: {exc}") from None
    if not spec.operations:
        raise SpecError(f"spec {label} has no operation the harness can send (no path has a POST "
                        "with an operationId)")
    return spec
