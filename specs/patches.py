"""The patch layer: every place where the Personalize wire differs from its OpenAPI description.

Both the APIs.guru conversion and the document built from botocore describe the JSON 1.1
protocol through REST-shaped conventions that do not hold on the wire. Each patch below is one
such difference, with one line of reason. Nothing else in the harness special-cases the spec.
Patches run once, on a deep copy of the document, when a spec is loaded; a document patched
before (`spec --export`) comes out of them the same.
"""
from __future__ import annotations

import copy
import re
from functools import lru_cache
from typing import Callable

import regex

PATCHES: list[tuple[str, str, Callable[[dict], None]]] = []

WIRE_CONTENT_TYPE = "application/x-amz-json-1.1"

# Errors the AWS JSON protocol front end can answer for any operation, declared or not.
FRAMEWORK_ERRORS = (
    "AccessDeniedException", "IncompleteSignature", "InternalFailure", "InvalidAction",
    "InvalidClientTokenId", "InvalidParameterCombination", "InvalidParameterValue",
    "InvalidQueryParameter", "MalformedQueryString", "MissingAction", "MissingAuthenticationToken",
    "MissingParameter", "NotAuthorized", "OptInRequired", "RequestExpired", "ServiceUnavailable",
    "ThrottlingException", "ValidationError", "ValidationException", "SerializationException",
    "UnknownOperationException", "UnrecognizedClientException", "InvalidSignatureException",
    "RequestEntityTooLargeException", "ExpiredTokenException", "ServiceUnavailableException",
    "InternalServerError", "InternalServerException",
)

_FRAGMENT = re.compile(r"^/#X-Amz-Target=(?P<target>[A-Za-z0-9_]+\.(?P<op>[A-Za-z0-9]+))$")
_ERROR_STATUS = re.compile(r"^4[89]\d$")
AWS_PATTERN_FORMAT = "aws-pattern:"


def patch(name: str, reason: str):
    def register(fn: Callable[[dict], None]):
        PATCHES.append((name, reason, fn))
        return fn
    return register


def apply_patches(document: dict) -> dict:
    """A patched deep copy of `document`; the original is left as loaded."""
    doc = copy.deepcopy(document)
    for _name, _reason, fn in PATCHES:
        fn(doc)
    return doc


def _schemas(doc: dict):
    yield from doc.get("components", {}).get("schemas", {}).values()


def walk(node):
    """Every dict inside a schema tree, the tree's root included."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            yield item
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


@patch("fragment-paths",
       "The wire is always `POST /` with X-Amz-Target; fragment paths become one routable path per target.")
def _fragment_paths(doc: dict) -> None:
    paths = {}
    for path, item in doc.get("paths", {}).items():
        m = _FRAGMENT.match(path)
        if m:
            item.setdefault("post", {})["x-amz-target"] = m.group("target")
            path = f"/{m.group('target')}"
        paths[path] = item
    doc["paths"] = paths


@patch("error-codes",
       "Errors are HTTP 400 named by `__type`; the 480-485 codes are invented, so they become a name list.")
def _error_codes(doc: dict) -> None:
    for item in doc.get("paths", {}).values():
        post = item.get("post", {})
        responses = post.get("responses", {})
        names = list(post.get("x-aws-errors", []))  # a document patched before keeps its list
        for status in [s for s in responses if _ERROR_STATUS.match(str(s))]:
            response = responses.pop(status)
            ref = (response.get("content", {}).get("application/json", {})
                   .get("schema", {}).get("$ref", ""))
            name = ref.rsplit("/", 1)[-1] or response.get("description", "")
            if name not in names:
                names.append(name)
        post["x-aws-errors"] = names
        responses["400"] = {"description": "Error", "content": {WIRE_CONTENT_TYPE: {
            "schema": {"type": "object", "properties": {
                "__type": {"type": "string"}, "message": {"type": "string"},
                "Message": {"type": "string"}}}}}}


@patch("framework-errors",
       "The protocol front end (throttling, auth, serialization, validation) can answer any operation.")
def _framework_errors(doc: dict) -> None:
    doc.setdefault("x-aws-framework-errors", list(FRAMEWORK_ERRORS))


@patch("content-type",
       "Requests and responses are `application/x-amz-json-1.1`, not `application/json`.")
def _content_type(doc: dict) -> None:
    for item in doc.get("paths", {}).values():
        post = item.get("post", {})
        bodies = [post.get("requestBody", {})] + list(post.get("responses", {}).values())
        for body in bodies:
            content = body.get("content")
            if content and "application/json" in content:
                content[WIRE_CONTENT_TYPE] = content.pop("application/json")


@patch("epoch-timestamps",
       "Timestamps travel as epoch-seconds JSON numbers (exponent form allowed), not date-time strings.")
def _epoch_timestamps(doc: dict) -> None:
    for schema in _schemas(doc):
        if schema.get("type") == "string" and schema.get("format") == "date-time":
            schema.clear()
            schema.update(type="number", **{"x-aws-timestamp": True})


# Java's `.` stops at every line terminator; Python's only at "\n".
JAVA_DOT = "[^\\n\\r\\u0085\\u2028\\u2029]"


def java_regex(pattern: str) -> str:
    """An AWS (Java) pattern in Python `regex` syntax, unanchored: `\\d` is ASCII digits in Java and
    `.` excludes every line terminator; `\\p{..}` classes are left to the `regex` package."""
    out: list[str] = []
    in_class = False
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern):
            nxt = pattern[i + 1]
            out.append(("0-9" if in_class else "[0-9]") if nxt == "d" else ch + nxt)
            i += 2
            continue
        if ch == "." and not in_class:
            out.append(JAVA_DOT)
        else:
            if ch == "[" and not in_class:
                in_class = True
            elif ch == "]" and in_class:
                in_class = False
            out.append(ch)
        i += 1
    return "".join(out)


@lru_cache(maxsize=None)
def aws_pattern(pattern: str) -> "regex.Pattern":
    """`pattern` as AWS applies it: to the whole value (Java's `Matcher.matches()`), though the model
    writes only a leading `^`. Anchored at both ends, so `match` and `fullmatch` agree. The one
    place the harness turns a model pattern into a matcher: checks and strategies both use it."""
    return regex.compile(rf"\A(?:{java_regex(pattern)})\Z")


def matches(pattern: str | None, value: str) -> bool:
    """Whether AWS would take `value` for a member with `pattern` (no pattern: anything)."""
    return pattern is None or aws_pattern(pattern).match(value) is not None


@patch("aws-patterns",
       "AWS patterns are Java regexes checked against the whole value (`Matcher.matches()`), though the "
       "model writes only a leading `^`, and use `\\p{..}` classes Python `re` lacks; JSON-Schema "
       "`pattern` would search. They become a format checked with `aws_pattern`.")
def _aws_patterns(doc: dict) -> None:
    for schema in walk(doc.get("components", {})):
        pattern = schema.get("pattern")
        if isinstance(pattern, str) and schema.get("type") == "string":
            del schema["pattern"]
            schema.setdefault("x-aws-pattern", pattern)  # an exported document has both: its own stays
        if isinstance(schema.get("x-aws-pattern"), str) and "format" not in schema:
            schema["format"] = AWS_PATTERN_FORMAT + schema["x-aws-pattern"]


# An unnamed solution version's name, as AWS answers it: `<solution name>/<version id>`.
VERSION_NAME_PATTERN = r"^[a-zA-Z0-9][a-zA-Z0-9\-_]*(/[a-z0-9]+)?"


@patch("solution-version-names",
       "AWS names a solution version created without a name `<solution name>/<version id>` (observed in "
       "recorded AWS traffic), which the `Name` pattern does not allow: in answers the member takes that form.")
def _solution_version_names(doc: dict) -> None:
    version = doc.get("components", {}).get("schemas", {}).get("SolutionVersion", {})
    member = version.get("properties", {}).get("name")
    if isinstance(member, dict):
        version["properties"]["name"] = {
            "type": "string", "x-aws-pattern": VERSION_NAME_PATTERN,
            "format": AWS_PATTERN_FORMAT + VERSION_NAME_PATTERN,
            "description": "The name of the solution version."}


@patch("role-arn-members",
       "DatasetImportJob/DatasetExportJob/Algorithm `roleArn` are typed as Personalize ARNs, yet the service echoes the IAM role.")
def _role_arn_members(doc: dict) -> None:
    for schema in _schemas(doc):
        member = schema.get("properties", {}).get("roleArn", {})
        for part in member.get("allOf", []):
            if part.get("$ref", "").endswith("/Arn") and "RoleArn" in doc["components"]["schemas"]:
                part["$ref"] = part["$ref"][: -len("Arn")] + "RoleArn"


@patch("list-query-parameters",
       "maxResults/nextToken travel in the JSON body; the query parameters of paginated operations do not exist.")
def _list_query_parameters(doc: dict) -> None:
    for item in doc.get("paths", {}).values():
        post = item.get("post", {})
        post["parameters"] = [p for p in post.get("parameters", []) if p.get("in") != "query"]


@patch("map-keys",
       "OpenAPI 3.0 cannot constrain a map's keys, so the conversion drops the model's key shapes; "
       "each map gets its key schema back as `x-aws-key`, from the botocore model by shape name.")
def _map_keys(doc: dict) -> None:
    from .botocore_build import KEY_EXTENSION, _shape_schema, installed_model
    schemas = doc.get("components", {}).get("schemas", {})
    maps = [n for n, s in schemas.items() if isinstance(s, dict) and s.get("type") == "object"
            and isinstance(s.get("additionalProperties"), dict) and KEY_EXTENSION not in s]
    if not maps:
        return  # a document built from botocore carries its key shapes already
    shapes = installed_model()[0]["shapes"]
    for name in maps:
        shape = shapes.get(name, {})
        key = shape.get("key", {}).get("shape") if shape.get("type") == "map" else None
        if key is None or key not in shapes:
            continue
        if key not in schemas:
            schemas[key] = _shape_schema(shapes[key])
            pattern = schemas[key].pop("pattern", None)  # as the aws-patterns patch leaves a pattern
            if pattern is not None:
                schemas[key].update({"x-aws-pattern": pattern, "format": AWS_PATTERN_FORMAT + pattern})
        schemas[name][KEY_EXTENSION] = {"$ref": f"#/components/schemas/{key}"}


def describe() -> list[tuple[str, str]]:
    """The patch layer as (name, reason) rows, for docs and `spec --patches`."""
    return [(name, reason) for name, reason, _ in PATCHES]
