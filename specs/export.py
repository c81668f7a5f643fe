"""The patched document in a form a generic OpenAPI tool can drive: `spec --export`.

The patch layer describes the wire for this harness; a tool such as schemathesis reads standard
keywords only. Each step below turns one harness-only fact back into standard OpenAPI, with one
line of reason. What OpenAPI cannot say (every operation is `POST /` with X-Amz-Target, SigV4
over the final bytes, the JSON 1.1 media type read as JSON) is done by
`targets/schemathesis_hooks.py`. The exported document also loads back as a `--spec`.
"""
from __future__ import annotations

import copy
import re
from typing import Callable

from .patches import AWS_PATTERN_FORMAT, java_regex, walk

EXPORT_STEPS: list[tuple[str, str, Callable[[dict], None]]] = []

# Unicode separators (Java's \p{Z}: Zs, Zl, Zp), which Python's `re` has no class for.
_SEPARATORS = r"\u0020\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
# Fragments of AWS (Java) patterns that Python's `re` lacks, and their exact equivalents: in Python
# `\w` is a letter (L), a number (N) or `_`.
_EXACT_CLASSES = {
    r"[\p{L}\p{Z}\p{N}_": r"[\w" + _SEPARATORS,
    r"\p{ASCII}": r"[\x00-\x7F]",
}
_SIGV4_PARAMETER = re.compile(r"^#/components/parameters/X-Amz-")


def step(name: str, reason: str):
    def register(fn: Callable[[dict], None]):
        EXPORT_STEPS.append((name, reason, fn))
        return fn
    return register


def export_document(spec) -> dict:
    """The spec's patched document, made standard: a deep copy, the spec left as loaded."""
    doc = copy.deepcopy(spec.document)
    for _name, _reason, fn in EXPORT_STEPS:
        fn(doc)
    return doc


def unusable_patterns(doc: dict) -> list[str]:
    """AWS patterns left as `x-aws-pattern` only: no `re` equivalent, so a tool cannot use them."""
    return sorted({s["x-aws-pattern"] for s in walk(doc.get("components", {}))
                   if isinstance(s, dict) and "x-aws-pattern" in s and "pattern" not in s})


def python_pattern(aws_pattern: str) -> str | None:
    """An AWS pattern as a JSON-Schema `pattern` with the same matches, or None when `re` cannot.
    Java's `\\d` and `.` as the patch layer reads them (`patches.java_regex`), and anchored at both
    ends: AWS checks the whole value. (Python's `$` also matches before a final newline.)"""
    translated = java_regex(aws_pattern)
    for aws, python in _EXACT_CLASSES.items():
        translated = translated.replace(aws, python)
    anchored = f"^(?:{translated})$"
    try:
        re.compile(anchored)
    except re.error:
        return None
    return anchored


@step("patterns",
      "AWS checks a pattern against the whole value; as `^(?:...)$` a searching `pattern` matches the same "
      "strings, where Python's `re` can compile them.")
def _patterns(doc: dict) -> None:
    for schema in walk(doc.get("components", {})):
        if not isinstance(schema, dict) or "x-aws-pattern" not in schema:
            continue
        if str(schema.get("format", "")).startswith(AWS_PATTERN_FORMAT):
            del schema["format"]
        pattern = python_pattern(schema["x-aws-pattern"])
        if pattern is not None:
            schema["pattern"] = pattern


@step("signature-headers",
      "X-Amz-Date, X-Amz-Signature and the rest are the signature, written by the signer; generated "
      "values for them are noise.")
def _signature_headers(doc: dict) -> None:
    for item in doc.get("paths", {}).values():
        kept = [p for p in item.get("parameters", [])
                if not _SIGV4_PARAMETER.match(str(p.get("$ref", "")) if isinstance(p, dict) else "")]
        if kept:
            item["parameters"] = kept
        else:
            item.pop("parameters", None)
    parameters = doc.get("components", {}).get("parameters", {})
    for name in [n for n in parameters if n.startswith("X-Amz-")]:
        del parameters[name]


@step("security",
      "SigV4 is no apiKey: a generated Authorization header is never a signature, so the requirement goes; "
      "the hooks sign every request.")
def _security(doc: dict) -> None:
    doc.pop("security", None)
    for item in doc.get("paths", {}).values():
        item.get("post", {}).pop("security", None)


@step("servers",
      "No default server: the tool must be told where to send (`--url`), never real AWS by default.")
def _servers(doc: dict) -> None:
    doc["servers"] = [{"url": "/"}]


def describe() -> list[tuple[str, str]]:
    return [(name, reason) for name, reason, _ in EXPORT_STEPS]
