"""Comparing two OpenAPI documents of the service, operation by operation and shape by shape.

Used by the spec comparison test (botocore-built vs APIs.guru) and by `drift`: both want the same
facts — which operations, members, required lists, types and constraints differ.
"""
from __future__ import annotations

from dataclasses import dataclass

CONSTRAINTS = ("type", "format", "minLength", "maxLength", "minimum", "maximum", "minItems", "maxItems",
               "minProperties", "maxProperties", "enum", "x-aws-pattern", "required")


@dataclass(frozen=True)
class Difference:
    where: str   # e.g. "CreateSchema.request.schema" or "operation CreateDataDeletionJob"
    what: str    # the constraint or aspect
    left: object
    right: object

    def __str__(self) -> str:
        return f"{self.where}: {self.what} {self.left!r} -> {self.right!r}"


def _walk(schema: dict | None, path: str, out: dict) -> None:
    if not isinstance(schema, dict):
        return
    out[path] = {k: schema[k] for k in CONSTRAINTS if k in schema
                 and not (k == "format" and str(schema[k]).startswith("aws-pattern:"))}  # = x-aws-pattern
    for name, sub in schema.get("properties", {}).items():
        _walk(sub, f"{path}.{name}", out)
    if isinstance(schema.get("items"), dict):
        _walk(schema["items"], f"{path}[]", out)
    if isinstance(schema.get("additionalProperties"), dict):
        _walk(schema["additionalProperties"], f"{path}{{}}", out)


def flatten(op, side: str) -> dict[str, dict]:
    """Every member path of an operation's request or response with its constraints."""
    out: dict[str, dict] = {}
    schema = op.request_schema if side == "request" else op.response_schema
    _walk(schema, f"{op.name}.{side}", out)
    return out


def compare_operations(left, right) -> list[Difference]:
    """Differences between two loaded specs (specs.Spec), in a stable order."""
    diffs: list[Difference] = []
    for name in sorted(set(left.operations) - set(right.operations)):
        diffs.append(Difference(f"operation {name}", "removed", "present", None))
    for name in sorted(set(right.operations) - set(left.operations)):
        diffs.append(Difference(f"operation {name}", "added", None, "present"))
    for name in sorted(set(left.operations) & set(right.operations)):
        a, b = left.operations[name], right.operations[name]
        if set(a.errors) != set(b.errors):
            diffs.append(Difference(name, "errors", sorted(set(a.errors)), sorted(set(b.errors))))
        for side in ("request", "response"):
            fa, fb = flatten(a, side), flatten(b, side)
            for path in sorted(set(fa) | set(fb)):
                if path not in fb:
                    diffs.append(Difference(path, "member", "present", None))
                elif path not in fa:
                    diffs.append(Difference(path, "member", None, "present"))
                else:
                    for key in CONSTRAINTS:
                        va, vb = fa[path].get(key), fb[path].get(key)
                        if key in ("required", "enum") and va is not None and vb is not None:
                            va, vb = sorted(va), sorted(vb)
                        if va != vb:
                            diffs.append(Difference(path, key, va, vb))
    return diffs
