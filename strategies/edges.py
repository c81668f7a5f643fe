"""Values at and across the edges of one member's constraints, shared by the boundary and
invalid families.

An edge is a short list of choices, simplest first, each a plain function of the member's base
value (its own valid value, a list item, a map entry, or nothing): the fill character of a
string brought to a length, the character that breaks a pattern, the size of a list. The run
enumerates them directly (`Edge.values`, from the operation's skeleton); Hypothesis draws them
(`Edge.strategy`) where a failure is shrunk or a test wants variety. Both make the same values
from the same choices.

Boundary values come as `(value, expectation, note)`: the expectation is ACCEPT when the value
is one a real client could send, EITHER when only the schema allows it (a 1-character filter
expression satisfies `minLength` but cannot be an expression). Invalid values come as
`(value, note)`; the note says in words what the case does, for reports.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

from hypothesis import strategies as st

from . import semantics
from .case import ACCEPT, EITHER
from .paths import ITEM, KEY, VALUE, member_key
from .patterns import accepts, plausible, prefix_only
from .strings import FILLS, MULTIBYTE, OFF_PATTERN, TAILS, off_pattern, shortest_sized, sized, with_tail

STRING, ITEMS, ENTRIES, NOTHING = "string", "items", "entries", "nothing"  # what a choice is made from


@dataclass(frozen=True)
class Edge:
    """The values of one edge: `choices` applied to the member's base value, simplest first; a
    choice answers None where it cannot make a value for that base."""
    base: str  # STRING, ITEMS (a list item), ENTRIES (a map's key and value) or NOTHING
    choices: tuple[Callable, ...]
    drawn: st.SearchStrategy | None = None  # values from a strategy of their own (semantic rules)

    def values(self, base, order=None):
        """The values the choices make from `base`, each once: the simplest first, then in the
        order `order(rest)` gives the other choices (their given order without it). Lazy: a run
        sending one case per probe makes one value."""
        seen = set()
        pending = list(self.choices)
        first = True
        while pending:
            choice = pending.pop(0)
            made = choice(base)
            if made is None:
                continue
            key = json.dumps(made[0], sort_keys=True, default=repr)
            if key in seen:
                continue
            seen.add(key)
            yield made
            if first and order is not None:
                pending = order(pending)
            first = False

    def strategy(self, gen, c) -> st.SearchStrategy:
        if self.drawn is not None:
            return self.drawn
        return st.tuples(base_strategy(gen, c.schema, c.path, self.base), st.sampled_from(self.choices)).map(
            lambda t: t[1](t[0])).filter(lambda made: made is not None)


def base_strategy(gen, schema: dict, path: tuple, base: str) -> st.SearchStrategy:
    if base == STRING and path and path[-1] == KEY:
        return gen.map_keys(path[:-1])[0]  # the keys that mean something in that map
    if base == STRING:
        return gen.string(schema, path)
    if base == ITEMS:
        return gen.node(schema.get("items", {}), path + (ITEM,))
    if base == ENTRIES:
        return st.tuples(gen.map_keys(path)[0],
                         gen.node(schema.get("additionalProperties") or {"type": "string"}, path + (VALUE,)))
    return st.none()


def _multibyte(value: str) -> bool:
    return any(c in value for c in MULTIBYTE)


def _describe(value: str) -> str:
    return f"{len(value)} characters" + (", multibyte" if _multibyte(value) else "")


def fit_length(gen, schema: dict, path: tuple, n: int, *, at_least: int | None = None, across: bool = False):
    """`fit(value, fill)`: `value` brought to exactly `n` characters with `fill` (or, with
    `at_least`, the shortest length from `n` up to `at_least` the member's pattern and meaning
    allow), as `(value, expectation)`; None where no such value exists. With `across` (a length
    outside the limits), a length the pattern itself rules out (`\\p{ASCII}{0,1500}` has no
    1501-character match) still gets a value: one whose start matches, EITHER."""
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

    def make(value: str, fill: str):
        if not isinstance(value, str):
            return None
        out = fit(value, fill, full)
        if out is not None:
            return out, ACCEPT
        out = fit(value, fill, by_pattern)
        if out is None and across:
            out = fit(value, fill, lambda v: prefix_only(pattern, v) or plausible(pattern, v))
        return (out, EITHER) if out is not None else None

    return make


def _lengths(gen, s, path, n, label: str, *, at_least=None, across=False, shape=None) -> list[Callable]:
    """One choice per fill character: the base brought to `n` characters, noted `label`."""
    make = fit_length(gen, s, path, n, at_least=at_least, across=across)
    shape = shape or (lambda r: (r[0], r[1], f"{label}: {_describe(r[0])}"))

    def choice(fill):
        def at(value):
            r = make(value, fill)
            return None if r is None else shape(r)
        return at
    return [choice(fill) for fill in FILLS]


# -- boundary: values on the edge, still valid --------------------------------------------------

def boundary_edge(gen, c) -> Edge:
    """The values at the edge of constraint `c` (not `required`), the value at the limit first."""
    s, path, kind = c.schema, c.path, c.kind
    if kind == "minLength":
        hi = s.get("maxLength", c.limit + 64)
        return Edge(STRING, tuple(
            _lengths(gen, s, path, c.limit, f"at minLength {c.limit}", at_least=hi)
            + _lengths(gen, s, path, min(c.limit + 1, hi), f"just inside minLength {c.limit}", at_least=hi)))
    if kind == "maxLength":
        lo = s.get("minLength", 0)
        choices = (_lengths(gen, s, path, c.limit, f"at maxLength {c.limit}")
                   + _lengths(gen, s, path, max(c.limit - 1, lo), f"just inside maxLength {c.limit}"))
        if "minLength" not in s:  # no minLength probe takes the short end: this one does
            choices += _lengths(gen, s, path, 1, "the shortest it can be", at_least=c.limit)
        return Edge(STRING, tuple(choices))
    if kind == "pattern":
        return pattern_edge(gen, c)
    if kind == "enum":
        return Edge(NOTHING, tuple(constant((v, ACCEPT, f"enum value {v!r}")) for v in c.limit))
    if kind in ("minimum", "maximum"):
        return Edge(NOTHING, tuple(constant(v) for v in number_edges(s, kind, c.limit)))
    if kind in ("minItems", "maxItems", "minProperties", "maxProperties"):
        return collection_edge(gen, c)
    return Edge(STRING, (lambda v: (v, ACCEPT, f"a plausible value for {kind}"),))


def boundary_values(gen, c) -> st.SearchStrategy:
    """`(value, expectation, note)` at the edge of constraint `c`, drawn by Hypothesis."""
    return boundary_edge(gen, c).strategy(gen, c)


def constant(made):
    """A choice making `made` whatever the base."""
    return lambda _base: made


def pattern_edge(gen, c) -> Edge:
    """Values the pattern accepts that a naive implementation might not: multibyte letters where
    the pattern allows them. (A value matching only at its start is no edge: AWS checks the whole
    value, so those are the invalid family's.)"""
    s, path = c.schema, c.path
    lo, hi = s.get("minLength", 0), s.get("maxLength", 64)
    full = gen.plausible(s, path)

    # Where a variant is impossible (no multibyte letter fits `^[a-zA-Z0-9]...`), the choice
    # falls back to the plain value rather than making nothing.
    def multibyte(fill):
        def make(value):
            out = sized(value, min(max(len(value) + 3, lo), hi), fill, full)
            if out is None or not _multibyte(out):
                return value, ACCEPT, "plain match (no multibyte letter fits the pattern)"
            return out, ACCEPT, f"multibyte, {_describe(out)}"
        return make

    return Edge(STRING, (*(multibyte(fill) for fill in MULTIBYTE), lambda v: (v, ACCEPT, "plain match")))


def number_edges(schema: dict, kind: str, limit) -> list:
    """`(value, expectation, note)`: the limit, then the number just inside it."""
    integer = schema.get("type") == "integer"
    other = schema.get("maximum" if kind == "minimum" else "minimum")
    inward = 1 if kind == "minimum" else -1
    if integer:
        near = limit + inward
    else:
        near = math.nextafter(limit, math.inf if kind == "minimum" else -math.inf)
    values = [limit] + ([near] if other is None or (near - other) * inward <= 0 else [])
    return [(v, ACCEPT, f"{'at' if v == limit else 'just inside'} {kind} {limit}") for v in values]


def collection_edge(gen, c) -> Edge:
    """Lists or maps at the size limit and one inside it; a maximum with no minimum beside it
    also takes the empty and the one-element collection."""
    s, path, n = c.schema, c.path, c.limit
    sizes = [n, n + 1] if c.kind.startswith("min") else [n, max(n - 1, 0)]
    if c.kind.startswith("max") and not ({"minItems", "minProperties"} & set(s)):
        sizes += [0, 1]
    sizes = sorted({k for k in sizes if k <= n or c.kind.startswith("min")}, key=sizes.index)
    what = "items" if c.kind.endswith("Items") else "properties"
    sized_to = list_of_size(path) if what == "items" else map_of_size(gen, path)

    def choice(k):
        def make(base):
            value, expect = sized_to(base, k)
            return value, expect, f"{k} {what} ({'at' if k == n else 'just inside'} {c.kind} {n})"
        return make
    return Edge(ITEMS if what == "items" else ENTRIES, tuple(choice(k) for k in sizes))


def list_of_size(path: tuple):
    """`(item, k)` -> (`k` items, ACCEPT): copies of `item`, distinct where the list's must be."""
    from .skeleton import items
    member = member_key(path)
    return lambda item, k: (items(item, k, member), ACCEPT)


def map_of_size(gen, path: tuple):
    """`((key, value), k)` -> (a map of `k` entries, expectation): the keys that mean something
    first; past a closed set of them (three dataset types), made-up keys, EITHER."""
    from .skeleton import entries
    known, closed = semantics.MAP_KEYS.get(member_key(path), ((), False))

    def make(base, k: int):
        key, value = base
        expect = EITHER if closed and k > len(known) else ACCEPT
        return entries(key, value, k, known), expect
    return make


# -- invalid: values across the edge, breaking that constraint only ----------------------------

def invalid_edge(gen, c) -> Edge:
    """The values breaking constraint `c` of its member and, where possible, nothing else."""
    s, path, kind, n = c.schema, c.path, c.kind, c.limit
    if kind == "minLength":
        if n == 1:
            return Edge(NOTHING, (constant(("", "empty string (minLength 1)")),))
        return Edge(STRING, tuple(_lengths(gen, s, path, n - 1, "", across=True, shape=lambda r: (
            r[0], f"{len(r[0])} characters (minLength {n})"))))
    if kind == "maxLength":
        return Edge(STRING, tuple(_lengths(gen, s, path, n + 1, "", across=True, shape=lambda r: (
            r[0], f"{_describe(r[0])} (maxLength {n})"))))
    if kind == "pattern":
        lo, hi = s.get("minLength", 0), s.get("maxLength", 64)

        def off(tail, bad):
            def make(value):
                return across_pattern(n, value, tail, bad, lo, hi) if isinstance(value, str) else None
            return make
        return Edge(STRING, tuple(off(tail, bad) for tail in TAILS for bad in OFF_PATTERN))
    if kind == "enum":
        return Edge(NOTHING, tuple(constant((v, f"{v!r} is not one of {list(n)}")) for v in wrong_enum(n)))
    if kind in ("minimum", "maximum"):
        return Edge(NOTHING, tuple(constant(v) for v in outside_number(s, kind, n)))
    if kind in ("minItems", "maxItems"):
        k = n - 1 if kind == "minItems" else n + 1
        size = list_of_size(path)
        return Edge(ITEMS, (lambda item: (size(item, k)[0], f"{k} items ({kind} {n})"),))
    if kind in ("minProperties", "maxProperties"):
        k = n - 1 if kind == "minProperties" else n + 1
        size = map_of_size(gen, path)
        return Edge(ENTRIES, (lambda entry: (size(entry, k)[0], f"{k} entries ({kind} {n})"),))
    drawn = semantic_breakers(gen.operation, path, kind, s.get("minLength", 0), s.get("maxLength", 1 << 20),
                              s.get("x-aws-pattern"))
    return Edge(NOTHING, tuple(constant(v) for v in semantic_examples(drawn)), drawn)


def invalid_values(gen, c) -> st.SearchStrategy:
    """`(value, note)` breaking constraint `c`, drawn by Hypothesis."""
    return invalid_edge(gen, c).strategy(gen, c)


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


def wrong_enum(allowed) -> list[str]:
    """Values that are no enum value, the near misses first: another case, then made-up words."""
    values = list(allowed)
    near = [v.lower() for v in values] + [v.title() for v in values]
    made_up = ["A", "B", "UNKNOWN", "NOT_A_VALUE"]
    return list(dict.fromkeys(v for v in near + made_up if v not in set(values)))


@lru_cache(maxsize=None)
def semantic_breakers(operation: str, path: tuple, kind: str, lo: int, hi: int, pattern) -> st.SearchStrategy:
    meaning = semantics.lookup(operation, path)
    return meaning.invalid[kind].filter(lambda v: lo <= len(v) <= hi and accepts(pattern, v)).map(
        lambda v: (v, f"{v[:60]!r} is not {kind}"))


SEMANTIC_EXAMPLES = 8


@lru_cache(maxsize=None)
def semantic_examples(drawn: st.SearchStrategy) -> tuple:
    """A rule beyond the schema's breakers, drawn once: the simplest first, then a few more."""
    from .sample import sample
    out = []
    for made in sample(drawn, SEMANTIC_EXAMPLES, 0):
        if made not in out:
            out.append(made)
    return tuple(out)


def outside_number(schema: dict, kind: str, limit) -> list:
    """`(value, note)`: one step outside the limit, then further out."""
    outward = -1 if kind == "minimum" else 1
    if schema.get("type") == "integer":
        values = [limit + outward, limit + 1000 * outward]
    else:
        values = [limit + outward, limit + 0.5 * outward,
                  math.nextafter(limit, -math.inf if kind == "minimum" else math.inf)]
    return [(v, f"{v!r} is {'below' if outward < 0 else 'above'} {kind} {limit}") for v in values]


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


def wrong_type_values(schema: dict) -> list:
    """`(value, note)`: a JSON value of another type for each member type, simplest first."""
    kind = schema.get("type")
    return [(v, f"JSON {JSON_NAMES[type(v)]} {json.dumps(v)} where a {kind} belongs")
            for v in WRONG_TYPES.get(kind, ())]


def wrong_types(schema: dict) -> st.SearchStrategy:
    return st.sampled_from(wrong_type_values(schema))


__all__ = ["Edge", "boundary_edge", "invalid_edge", "boundary_values", "invalid_values", "wrong_types",
           "wrong_type_values", "fit_length", "constant", "WRONG_TYPES"]
