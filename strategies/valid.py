"""Valid requests: every required member, optional members sometimes, every constraint respected."""
from __future__ import annotations

from functools import lru_cache

import regex
from hypothesis import strategies as st

from .patterns import generable

# Printable ASCII, Latin letters beyond it, and the CJK letters `patterns.generable` may use: what
# `.` and `\d` draw from, so every generated character is plausible in a real request.
ALPHABET = st.characters(min_codepoint=0x20, max_codepoint=0x17F, exclude_categories=("Cc", "Cs")) | \
    st.characters(min_codepoint=0x4E00, max_codepoint=0x4E20)
MAX_LIST = 4  # list and map sizes drawn beyond this add time, not coverage (boundary cases go further)


def _string(schema: dict) -> st.SearchStrategy:
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    lo, hi = schema.get("minLength", 0), schema.get("maxLength", 64)
    pattern = schema.get("x-aws-pattern")
    if pattern:
        check = regex.compile(pattern)
        return (st.from_regex(generable(pattern), fullmatch=True, alphabet=ALPHABET)
                .filter(lambda s: lo <= len(s) <= hi and check.match(s) is not None))
    return st.text(ALPHABET, min_size=lo, max_size=min(hi, lo + 40))


def _number(schema: dict, integer: bool) -> st.SearchStrategy:
    lo, hi = schema.get("minimum"), schema.get("maximum")
    if schema.get("x-aws-timestamp"):
        return st.integers(1_500_000_000, 1_900_000_000)
    if integer:
        return st.integers(min_value=lo, max_value=hi)
    return st.floats(min_value=lo, max_value=hi, allow_nan=False, allow_infinity=False)


def from_schema(schema: dict) -> st.SearchStrategy:
    kind = schema.get("type")
    if kind == "object" and "properties" in schema:
        required = set(schema.get("required", ()))
        props = schema["properties"]
        return st.fixed_dictionaries(
            {k: from_schema(v) for k, v in props.items() if k in required},
            optional={k: from_schema(v) for k, v in props.items() if k not in required})
    if kind == "object":
        values = from_schema(schema.get("additionalProperties") or {"type": "string"})
        lo = schema.get("minProperties", 0)
        hi = min(schema.get("maxProperties", MAX_LIST), max(lo, MAX_LIST))
        keys = st.from_regex(r"[A-Za-z][A-Za-z0-9_]{0,15}", fullmatch=True)
        return st.dictionaries(keys, values, min_size=lo, max_size=hi)
    if kind == "array":
        lo = schema.get("minItems", 0)
        hi = min(schema.get("maxItems", MAX_LIST), max(lo, MAX_LIST))
        return st.lists(from_schema(schema.get("items", {})), min_size=lo, max_size=hi)
    if kind == "string":
        return _string(schema)
    if kind == "integer":
        return _number(schema, True)
    if kind == "number":
        return _number(schema, False)
    if kind == "boolean":
        return st.booleans()
    return st.none() | st.booleans() | st.integers() | st.text(max_size=8)


@lru_cache(maxsize=None)
def _cached(operation_key: tuple) -> st.SearchStrategy:
    spec, name = operation_key
    return from_schema(spec.operation(name).request_schema)


def valid_params(spec, operation: str) -> st.SearchStrategy[dict]:
    """Parameters of a valid request for `operation`, as a dict ready to serialise."""
    return _cached((spec, operation))
