"""Values at and across the edges of one member's constraints, shared by the boundary and
invalid families.

Boundary values come as `(value, expectation, note)`: the expectation is ACCEPT when the value
is one a real client could send, EITHER when only the schema allows it (a 1-character filter
expression satisfies `minLength` but cannot be an expression). Invalid values come as
`(value, note)`; the note says in words what the case does, for reports.
"""
from __future__ import annotations

import json
import math

from hypothesis import strategies as st

from . import semantics
from .case import ACCEPT, EITHER
from .patterns import accepts, plausible, prefix_only
from .strings import FILLS, MULTIBYTE, OFF_PATTERN, TAILS, off_pattern, shortest_sized, sized, with_tail
from .valid import DRAWN, renumber


FILL_CHARS = st.sampled_from(FILLS)
MULTIBYTE_CHARS = st.sampled_from(MULTIBYTE)
OFF_PATTERN_CHARS = st.sampled_from(OFF_PATTERN)
TAIL_CHARS = st.sampled_from(TAILS)


def _multibyte(value: str) -> bool:
    return any(c in value for c in MULTIBYTE)


def _describe(value: str) -> str:
    return f"{len(value)} characters" + (", multibyte" if _multibyte(value) else "")


def strings_of_length(gen, schema: dict, path: tuple, n: int, *, at_least: int | None = None,
                      across: bool = False):
    """Strings of exactly `n` characters for the member (or, with `at_least`, the shortest
    length from `n` up to `at_least` the member's pattern and meaning allow). With `across` (a
    length outside the limits), a length the pattern itself rules out (`\\p{ASCII}{0,1500}` has
    no 1501-character match) still gets a value: one whose start matches, EITHER."""
    pattern = schema.get("x-aws-pattern")
    meaning = semantics.lookup(gen.operation, path)
    full = gen.plausible(schema, path)

    def by_pattern(v):
        return plausible(pattern, v)

    def fit(value: str, fill: str, ok) -> str | None:
        if meaning is not None and meaning.resize is not None and ok is full:
            out = meaning.resize(value, n, fill)
            return out if out is not None and full(out) else None
        if at_least is not None:
            return shortest_sized(value, n, at_least, fill, ok)
        return sized(value, n, fill, ok)

    def make(t):
        value, fill = t
        out = fit(value, fill, full)
        if out is not None:
            return out, ACCEPT
        out = fit(value, fill, by_pattern)
        if out is None and across:
            out = fit(value, fill, lambda v: prefix_only(pattern, v) or plausible(pattern, v))
        return (out, EITHER) if out is not None else None

    return st.tuples(gen.string(schema, path), FILL_CHARS).map(make).filter(
        lambda r: r is not None)


# -- boundary: values on the edge, still valid --------------------------------------------------

def boundary_values(gen, c) -> st.SearchStrategy:
    """`(value, expectation, note)` at the edge of constraint `c` (not `required`)."""
    s, path, kind = c.schema, c.path, c.kind
    if kind == "minLength":
        hi = s.get("maxLength", c.limit + 64)
        return st.one_of(
            _noted(strings_of_length(gen, s, path, c.limit, at_least=hi), f"at minLength {c.limit}"),
            _noted(strings_of_length(gen, s, path, min(c.limit + 1, hi), at_least=hi),
                   f"just inside minLength {c.limit}"))
    if kind == "maxLength":
        lo = s.get("minLength", 0)
        options = [_noted(strings_of_length(gen, s, path, c.limit), f"at maxLength {c.limit}"),
                   _noted(strings_of_length(gen, s, path, max(c.limit - 1, lo)), f"just inside maxLength {c.limit}")]
        if "minLength" not in s:  # no minLength probe takes the short end: this one does
            options.append(_noted(strings_of_length(gen, s, path, 1, at_least=c.limit), "the shortest it can be"))
        return st.one_of(options)
    if kind == "pattern":
        return pattern_edges(gen, c)
    if kind == "enum":
        return st.sampled_from(c.limit).map(lambda v: (v, ACCEPT, f"enum value {v!r}"))
    if kind in ("minimum", "maximum"):
        return number_edges(s, kind, c.limit)
    if kind in ("minItems", "maxItems"):
        return collection_edges(gen, c, list_of_size, "items")
    if kind in ("minProperties", "maxProperties"):
        return collection_edges(gen, c, map_of_size, "properties")
    meaning = semantics.lookup(gen.operation, path)
    return meaning.values.map(lambda v: (v, ACCEPT, f"a plausible value for {kind}"))


def _noted(strategy, label: str):
    return strategy.map(lambda r: (r[0], r[1], f"{label}: {_describe(r[0])}"))


def pattern_edges(gen, c):
    """Values the pattern accepts that a naive implementation might not: multibyte letters where
    the pattern allows them. (A value matching only at its start is no edge: AWS checks the whole
    value, so those are the invalid family's.)"""
    s, path = c.schema, c.path
    lo, hi = s.get("minLength", 0), s.get("maxLength", 64)
    full = gen.plausible(s, path)
    base = gen.string(s, path)

    # Where a variant is impossible (no multibyte letter fits `^[a-zA-Z0-9]...`), the branch
    # falls back to the plain value rather than filtering: a filter that never passes costs
    # Hypothesis a run of retries on every probe.
    def multibyte(t):
        value, fill = t
        out = sized(value, min(max(len(value) + 3, lo), hi), fill, full)
        if out is None or not _multibyte(out):
            return value, ACCEPT, "plain match (no multibyte letter fits the pattern)"
        return out, ACCEPT, f"multibyte, {_describe(out)}"

    return st.one_of(st.tuples(base, MULTIBYTE_CHARS).map(multibyte),
                     base.map(lambda v: (v, ACCEPT, "plain match")))


def number_edges(schema: dict, kind: str, limit):
    integer = schema.get("type") == "integer"
    other = schema.get("maximum" if kind == "minimum" else "minimum")
    inward = 1 if kind == "minimum" else -1
    if integer:
        near = limit + inward
    else:
        near = math.nextafter(limit, math.inf if kind == "minimum" else -math.inf)
    values = [limit] + ([near] if other is None or (near - other) * inward <= 0 else [])
    return st.sampled_from(values).map(lambda v: (v, ACCEPT, f"{'at' if v == limit else 'just inside'} {kind} {limit}"))


def collection_edges(gen, c, of_size, what: str):
    """Lists or maps at the size limit and one inside it; a maximum with no minimum beside it
    also takes the empty and the one-element collection."""
    s, path, n = c.schema, c.path, c.limit
    sizes = [n, n + 1] if c.kind.startswith("min") else [n, max(n - 1, 0)]
    if c.kind.startswith("max") and not ({"minItems", "minProperties"} & set(s)):
        sizes += [0, 1]
    sizes = sorted({k for k in sizes if k <= n or c.kind.startswith("min")}, key=sizes.index)
    return st.one_of([of_size(gen, s, path, k).map(
        lambda pair, k=k: (pair[0], pair[1], f"{k} {what} ({'at' if k == n else 'just inside'} {c.kind} {n})"))
        for k in sizes])


def map_of_size(gen, schema: dict, path: tuple, k: int):
    keys, limit = gen.map_keys(path)
    expect = ACCEPT
    if limit is not None and limit < k:
        keys, expect = semantics.GENERIC_KEYS, EITHER  # more entries than plausible keys exist
    values = gen.node(schema.get("additionalProperties") or {"type": "string"}, path + ("{}",))
    if k <= DRAWN:
        return st.dictionaries(keys, values, min_size=k, max_size=k).map(lambda d: (d, expect))
    # Large maps: a few drawn entries, then their values under numbered keys.
    return st.dictionaries(keys, values, min_size=DRAWN, max_size=DRAWN).map(
        lambda d: (_grow(d, k), expect))


def _grow(drawn: dict, k: int) -> dict:
    out = dict(drawn)
    items = list(drawn.items())
    i = 0
    while len(out) < k:
        key, value = items[i % len(items)]
        i += 1
        out[renumber(key, i, set(out))] = value
    return out


# gen.items returns bare lists; give it the same (value, expectation) shape as map_of_size.
def list_of_size(gen, schema, path, k):
    return gen.items(schema, path, k, k).map(lambda items: (items, ACCEPT))


# -- invalid: values across the edge, breaking that constraint only ----------------------------

def invalid_values(gen, c) -> st.SearchStrategy:
    """`(value, note)` breaking constraint `c` of its member and, where possible, nothing else."""
    s, path, kind, n = c.schema, c.path, c.kind, c.limit
    if kind == "minLength":
        if n == 1:
            return st.just(("", "empty string (minLength 1)"))
        return strings_of_length(gen, s, path, n - 1, across=True).map(
            lambda r: (r[0], f"{len(r[0])} characters (minLength {n})"))
    if kind == "maxLength":
        return strings_of_length(gen, s, path, n + 1, across=True).map(
            lambda r: (r[0], f"{_describe(r[0])} (maxLength {n})"))
    if kind == "pattern":
        lo, hi = s.get("minLength", 0), s.get("maxLength", 64)
        return st.tuples(gen.string(s, path), TAIL_CHARS, OFF_PATTERN_CHARS).map(
            lambda t: across_pattern(n, *t, lo, hi)).filter(lambda r: r is not None)
    if kind == "enum":
        allowed = set(n)
        variants = [v.lower() for v in n if v.lower() not in allowed] + [v.title() for v in n if v.title() not in allowed]
        wrong = (st.sampled_from(variants) if variants else st.nothing()) | \
            st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ_", min_size=1, max_size=12).filter(lambda v: v not in allowed)
        return wrong.map(lambda v: (v, f"{v!r} is not one of {list(n)}"))
    if kind in ("minimum", "maximum"):
        return outside_number(s, kind, n)
    if kind in ("minItems", "maxItems"):
        k = n - 1 if kind == "minItems" else n + 1
        return list_of_size(gen, s, path, k).map(lambda r: (r[0], f"{k} items ({kind} {n})"))
    if kind in ("minProperties", "maxProperties"):
        k = n - 1 if kind == "minProperties" else n + 1
        return map_of_size(gen, s, path, k).map(lambda r: (r[0], f"{k} entries ({kind} {n})"))
    meaning = semantics.lookup(gen.operation, path)
    lo, hi, pattern = s.get("minLength", 0), s.get("maxLength", 1 << 20), s.get("x-aws-pattern")
    return meaning.invalid[kind].filter(lambda v: lo <= len(v) <= hi and accepts(pattern, v)).map(
        lambda v: (v, f"{v[:60]!r} is not {kind}"))


def across_pattern(pattern: str, value: str, tail: str, bad: str, lo: int, hi: int):
    """`(value, note)` breaking `pattern` as AWS reads it, within [lo, hi] characters. First a
    valid value with a tail the pattern does not allow (`my group` for a Name): it matches the
    pattern's start but not the whole value, so a target that checks prefixes takes it. Where no
    such value exists (a pattern anchored at both ends), a bad character where matching starts."""
    out = with_tail(value, tail, lo, hi, lambda v: prefix_only(pattern, v))
    if out is not None:
        return out, f"{out[-40:]!r} matches {pattern!r} at its start but not as a whole"
    out = off_pattern(value, bad, lo, hi, lambda v: not accepts(pattern, v))
    if out is not None:
        return out, f"{out[:40]!r} does not match {pattern!r}"
    return None


def outside_number(schema: dict, kind: str, limit):
    outward = -1 if kind == "minimum" else 1
    if schema.get("type") == "integer":
        values = [limit + outward, limit + 1000 * outward]
    else:
        values = [limit + outward, limit + 0.5 * outward,
                  math.nextafter(limit, -math.inf if kind == "minimum" else math.inf)]
    return st.sampled_from(values).map(lambda v: (v, f"{v!r} is {'below' if outward < 0 else 'above'} {kind} {limit}"))


# A wrong JSON type for each schema type: the simplest first.
WRONG_TYPES = {
    "string": (123, True, ["x"], {"k": "v"}),
    "integer": ("1", 1.5, True, [1]),
    "number": ("1.0", True, [1.0], {"n": 1}),
    "boolean": ("true", 1, [True]),
    "array": ("x", {"k": "v"}, 1),
    "object": (["x"], "x", 1),
}


JSON_NAMES = {bool: "boolean", int: "number", float: "number", str: "string", list: "array", dict: "object"}


def wrong_types(schema: dict) -> st.SearchStrategy:
    kind = schema.get("type")
    return st.sampled_from(WRONG_TYPES.get(kind, ())).map(
        lambda v: (v, f"JSON {JSON_NAMES[type(v)]} {json.dumps(v)} where a {kind} belongs"))
