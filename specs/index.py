"""The operation index: what the rest of the harness knows about each operation.

It is derived once from the patched document; strategies, checks and reports read it and never
the raw spec.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from .patches import AWS_PATTERN_FORMAT, apply_patches

KINDS = ("create", "describe", "list", "update", "delete", "stop", "start")

# Operations whose resource type the verb-and-noun rule cannot read off their name.
_RESOURCE_OVERRIDES = {
    "GetSolutionMetrics": ("solution-version", "other"),
    "ListMetricAttributionMetrics": ("metric-attribution", "other"),
    "TagResource": ("tag", "other"),
    "UntagResource": ("tag", "other"),
    "ListTagsForResource": ("tag", "other"),
    "StopSolutionVersionCreation": ("solution-version", "stop"),
}


def kebab(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()


def _singular(noun: str) -> str:
    for plural, singular in (("ies", "y"), ("ses", "s"), ("s", "")):
        if noun.endswith(plural) and not noun.endswith("ss"):
            return noun[: -len(plural)] + singular
    return noun


def classify(operation: str) -> tuple[str, str]:
    """(resource type, kind) of an operation, from its name."""
    if operation in _RESOURCE_OVERRIDES:
        return _RESOURCE_OVERRIDES[operation]
    m = re.match(r"^(Create|Describe|List|Update|Delete|Stop|Start|Get)([A-Z]\w*)$", operation)
    if not m:
        return kebab(operation), "other"
    verb, noun = m.groups()
    if verb == "List":
        noun = _singular(noun)
    kind = verb.lower() if verb.lower() in KINDS else "other"
    return kebab(noun), kind


def _deref(doc: dict, ref: str) -> dict:
    node = doc
    for part in ref.lstrip("#/").split("/"):
        node = node[part]
    return node


def inline(doc: dict, schema: dict, _depth: int = 0) -> dict:
    """A schema with $refs replaced and `allOf: [$ref, {description}]` folded into one object."""
    if _depth > 40:
        return {}
    if "$ref" in schema:
        return inline(doc, _deref(doc, schema["$ref"]), _depth + 1)
    if "allOf" in schema and not {"properties", "type"} & schema.keys():
        merged: dict = {}
        for part in schema["allOf"]:
            merged.update(inline(doc, part, _depth + 1))
        return merged
    out = {}
    for key, value in schema.items():
        if key == "properties":
            out[key] = {k: inline(doc, v, _depth + 1) for k, v in value.items()}
        elif key in ("items", "additionalProperties", "x-aws-key") and isinstance(value, dict):
            out[key] = inline(doc, value, _depth + 1)
        else:
            out[key] = value
    return out


@dataclass
class Operation:
    name: str
    target: str
    path: str
    resource: str
    kind: str
    errors: tuple[str, ...]
    description: str
    request_schema: dict
    response_schema: dict | None
    request_ref: str | None = None
    response_ref: str | None = None
    content_type: str = "application/x-amz-json-1.1"


@dataclass(eq=False)
class Spec:
    """A loaded, patched spec and its operation index."""
    raw: dict
    source: str
    document: dict = field(init=False)
    operations: dict[str, Operation] = field(init=False)

    def __post_init__(self) -> None:
        self.document = apply_patches(self.raw)
        self.operations = dict(sorted(
            (op.name, op) for op in (self._operation(p, i) for p, i in self.document.get("paths", {}).items())
            if op is not None))

    @property
    def framework_errors(self) -> tuple[str, ...]:
        return tuple(self.document.get("x-aws-framework-errors", ()))

    @property
    def version(self) -> str:
        return str(self.raw.get("info", {}).get("version", "?"))

    def operation(self, name: str) -> Operation:
        try:
            return self.operations[name]
        except KeyError:
            raise KeyError(f"operation {name!r} is not in the spec ({self.source})") from None

    @cached_property
    def aws_patterns(self) -> set[str]:
        """Every AWS pattern the document uses, for the format validators built once."""
        from .patches import walk
        return {s["x-aws-pattern"] for s in walk(self.document.get("components", {}))
                if isinstance(s, dict) and "x-aws-pattern" in s}

    def _operation(self, path: str, item: dict) -> Operation | None:
        post = item.get("post")
        if not post or "operationId" not in post:
            return None
        name = post["operationId"]
        resource, kind = classify(name)
        request_ref = (post.get("requestBody", {}).get("content", {})
                       .get("application/x-amz-json-1.1", {}).get("schema", {}).get("$ref"))
        ok = post.get("responses", {}).get("200", {})
        response_ref = (ok.get("content", {}).get("application/x-amz-json-1.1", {})
                        .get("schema", {}).get("$ref"))
        request = inline(self.document, {"$ref": request_ref}) if request_ref else {"type": "object"}
        response = inline(self.document, {"$ref": response_ref}) if response_ref else None
        return Operation(
            name=name, target=post.get("x-amz-target", f"AmazonPersonalize.{name}"), path=path,
            resource=resource, kind=kind, errors=tuple(post.get("x-aws-errors", ())),
            description=post.get("description", ""), request_schema=request,
            response_schema=response, request_ref=request_ref, response_ref=response_ref,
        )


def pattern_of(fmt: str) -> str | None:
    return fmt[len(AWS_PATTERN_FORMAT):] if fmt.startswith(AWS_PATTERN_FORMAT) else None
