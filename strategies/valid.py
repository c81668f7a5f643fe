"""Valid requests: every required member, optional members sometimes, every constraint respected.

`Generator` walks an operation's request schema once and builds the strategies every family
shares: a member's valid values (with the meaning `semantics` gives them), a whole request with
some path forced present (so a boundary or invalid value has somewhere to go), and the request
with only its required members.
"""
from __future__ import annotations

import zlib
from functools import lru_cache

from hypothesis import strategies as st

from . import semantics
from .paths import ITEM, ROOT, VALUE, member_key
from .patterns import accepts, capped, plausible
from .pool import ARN_FORMS, EMPTY_POOL, arn
from .strings import ALPHABET, FILLS, sized

DRAWN = 8  # items drawn one by one; longer lists repeat them (see `extend`)
MAX_LIST = 3  # list and map sizes beyond this add time, not coverage (boundary cases go further)
FREE_TEXT = 16  # free text longer than this adds nothing a boundary case does not test
INT_SPAN = 1000  # unbounded integers stay near their one bound: plausible, and edges are boundary's job
FLOAT_SPAN = 1e6
REFERENCES = ("existing", "missing")
FILL_CHARS = st.sampled_from(FILLS)


class Generator:
    """Strategies for one operation's request, member by member."""

    def __init__(self, schema: dict, operation: str = "", pool=None, references: str = "existing"):
        if references not in REFERENCES:
            raise ValueError(f"references must be one of {REFERENCES}, not {references!r}")
        self.schema = schema
        self.operation = operation
        self.pool = pool or EMPTY_POOL
        self.references = references
        # Strategies are immutable, and Hypothesis validates each new one on first draw: sharing
        # the subtrees no forced path runs through makes a probe cost one path, not a schema.
        self._memo: dict = {}

    # -- whole requests ----------------------------------------------------------------------

    def request(self, force: tuple[str, ...] = ROOT) -> st.SearchStrategy[dict]:
        """A valid request; every container on `force` is present and non-empty."""
        key = ("request", force)
        if key not in self._memo:
            self._memo[key] = self.node(self.schema, ROOT, force).map(self.fix)
        return self._memo[key]

    def fix(self, params):
        return semantics.apply_fixups(self.operation, params)

    def minimal(self, schema: dict, path: tuple[str, ...]) -> st.SearchStrategy:
        """The object at `path` with its required members only (and those only minimal)."""
        required = self.required(schema, path)
        props = schema.get("properties", {})
        return st.fixed_dictionaries({k: (self.minimal(props[k], path + (k,))
                                          if _is_structure(props[k]) else self.node(props[k], path + (k,)))
                                      for k in props if k in required})

    def required(self, schema: dict, path: tuple[str, ...]) -> set[str]:
        names = set(schema.get("required", ()))
        if path == ROOT:
            names |= set(semantics.DOCUMENTED_REQUIRED.get(self.operation, ()))
        return names & set(schema.get("properties", {}))

    # -- members -----------------------------------------------------------------------------

    def node(self, schema: dict, path: tuple[str, ...], force: tuple[str, ...] = ROOT) -> st.SearchStrategy:
        relevant = force if _next(path, force) else ROOT
        key = (path, relevant)
        if key not in self._memo:
            self._memo[key] = self._node(schema, path, relevant)
        return self._memo[key]

    def _node(self, schema: dict, path: tuple[str, ...], force: tuple[str, ...]) -> st.SearchStrategy:
        kind = schema.get("type")
        if kind == "object" and "properties" in schema:
            return self._structure(schema, path, force)
        if kind == "object":
            return self._map(schema, path, force)
        if kind == "array":
            return self._list(schema, path, force)
        return self.scalar(schema, path)

    def _structure(self, schema, path, force):
        nxt = _next(path, force)
        required = self.required(schema, path) | ({nxt} if nxt else set())
        props = schema["properties"]
        return st.fixed_dictionaries(
            {k: self.node(v, path + (k,), force) for k, v in props.items() if k in required},
            optional={k: self.node(v, path + (k,), force) for k, v in props.items() if k not in required})

    def _map(self, schema, path, force):
        lo = max(schema.get("minProperties", 0), 1 if _next(path, force) else 0)
        keys, limit = self.map_keys(path)
        hi = min(schema.get("maxProperties", MAX_LIST), max(lo, MAX_LIST), limit or MAX_LIST)
        values = self.node(schema.get("additionalProperties") or {"type": "string"}, path + (VALUE,), force)
        return st.dictionaries(keys, values, min_size=lo, max_size=max(lo, hi))

    def map_keys(self, path) -> tuple[st.SearchStrategy, int | None]:
        """Keys for the map at `path`, and how many distinct ones exist when the set is closed."""
        known, closed = semantics.MAP_KEYS.get(member_key(path), ((), False))
        if closed:
            return st.sampled_from(known), len(known)
        return (st.sampled_from(known) | semantics.GENERIC_KEYS) if known else semantics.GENERIC_KEYS, None

    def _list(self, schema, path, force):
        lo = max(schema.get("minItems", 0), 1 if _next(path, force) else 0)
        hi = min(schema.get("maxItems", MAX_LIST), max(lo, MAX_LIST))
        return self.items(schema, path, lo, hi, force)

    def items(self, schema, path, lo: int, hi: int, force=ROOT) -> st.SearchStrategy[list]:
        item = self.node(schema.get("items", {}), path + (ITEM,), force)
        member = member_key(path)
        unique = semantics.unique_key(member)
        kwargs = {"unique_by": unique} if unique else {}
        if lo <= DRAWN:
            return st.lists(item, min_size=lo, max_size=hi, **kwargs)
        # Long lists only come from boundary and invalid edges: draw a few items, repeat them.
        field = semantics.UNIQUE_ITEMS.get(member)
        return st.lists(item, min_size=DRAWN, max_size=DRAWN, **kwargs).map(
            lambda drawn: extend(drawn, lo, field, unique))

    def scalar(self, schema: dict, path: tuple[str, ...]) -> st.SearchStrategy:
        kind = schema.get("type")
        if kind == "string":
            return self.string(schema, path)
        if kind == "integer":
            lo, hi = int_bounds(schema)
            return st.integers(lo, hi)
        if kind == "number":
            if schema.get("x-aws-timestamp"):
                return st.integers(1_500_000_000, 1_900_000_000)
            lo, hi = float_bounds(schema)
            return st.floats(lo, hi, allow_nan=False, allow_infinity=False)
        if kind == "boolean":
            return st.booleans()
        return st.none() | st.booleans() | st.integers() | st.text(max_size=8)

    def string(self, schema: dict, path: tuple[str, ...]) -> st.SearchStrategy[str]:
        key = ("string", path)
        if key not in self._memo:
            self._memo[key] = self._string(schema, path)
        return self._memo[key]

    def _string(self, schema: dict, path: tuple[str, ...]) -> st.SearchStrategy[str]:
        if "enum" in schema:
            return st.sampled_from(schema["enum"])
        lo, hi = schema.get("minLength", 0), schema.get("maxLength", lo_plus(schema))
        pattern = schema.get("x-aws-pattern")
        kinds = semantics.reference_kinds(path, tuple(ARN_FORMS))
        if kinds:
            return self.reference(kinds).filter(lambda v: lo <= len(v) <= hi)
        meaning = semantics.lookup(self.operation, path)
        if meaning is not None:
            return meaning.values.filter(lambda v: lo <= len(v) <= hi and accepts(pattern, v))
        if pattern:
            ok = self.plausible(schema, path)
            return st.tuples(st.from_regex(capped(pattern, FREE_TEXT), fullmatch=True, alphabet=ALPHABET),
                             FILL_CHARS).map(
                lambda t: sized(t[0], min(max(len(t[0]), lo), hi), t[1], ok)).filter(lambda v: v is not None)
        return st.text(ALPHABET, min_size=lo, max_size=min(hi, lo + FREE_TEXT))

    def plausible(self, schema: dict, path: tuple[str, ...]):
        """Whether a string is what a real client would send for this member."""
        pattern = schema.get("x-aws-pattern")
        meaning = semantics.lookup(self.operation, path)
        check = meaning.check if meaning is not None else None
        return lambda v: plausible(pattern, v) and (check is None or check(v))

    def reference(self, kinds: tuple[str, ...]) -> st.SearchStrategy[str]:
        """An ARN the pool holds when there is one (read at draw time: a run's pool fills as it
        goes), else a well-formed missing one."""
        missing = missing_arns(kinds)
        if self.references == "missing" or self.pool is EMPTY_POOL:
            return missing
        pool = self.pool

        def pick(index: int, fallback: str) -> str:
            existing = [a for k in kinds for a in pool.arns(k)]
            return existing[index % len(existing)] if existing else fallback
        return st.builds(pick, st.integers(0, 255), missing)


def missing_arns(kinds: tuple[str, ...]) -> st.SearchStrategy[str]:
    """Well-formed ARNs of `kinds` no target has: names a create case would never choose."""
    def form(kind: str, name: str) -> str:
        digest = format(zlib.crc32(name.encode()), "08x")
        return arn(kind, name="absent-" + name, group="absent-" + name, id=digest)
    return st.builds(form, st.sampled_from(kinds), semantics.NAMES)


def extend(drawn: list, n: int, field: str | None, unique) -> list:
    """`drawn` repeated up to `n` items. Where items must be unique by `field` ("" for the item
    itself), each copy's key gets a numeric tail of the same length, which every pattern on
    such keys in the model allows."""
    out = list(drawn)
    seen = {unique(x) for x in out} if unique else set()
    i = 0
    while len(out) < n:
        item = drawn[i % len(drawn)]
        i += 1
        if unique is None:
            out.append(item)
            continue
        value = item.get(field) if field else item
        if not isinstance(value, str):
            out.append(item)
            continue
        copy_value = renumber(value, i, seen)
        seen.add(copy_value)
        out.append({**item, field: copy_value} if field else copy_value)
    return out


def renumber(value: str, i: int, taken: set) -> str:
    while True:
        tail = str(i)
        candidate = value[: len(value) - len(tail)] + tail if len(value) > len(tail) else value + tail
        if candidate not in taken:
            return candidate
        i += 7919


def int_bounds(schema: dict) -> tuple[int, int]:
    lo, hi = schema.get("minimum"), schema.get("maximum")
    if lo is None and hi is None:
        lo = 0
    lo = hi - INT_SPAN if lo is None else lo
    hi = lo + INT_SPAN if hi is None else hi
    return int(lo), int(hi)


def float_bounds(schema: dict) -> tuple[float, float]:
    lo, hi = schema.get("minimum"), schema.get("maximum")
    lo = (-FLOAT_SPAN if hi is None else hi - FLOAT_SPAN) if lo is None else lo
    hi = lo + 2 * FLOAT_SPAN if hi is None else hi
    return float(lo), float(hi)


def lo_plus(schema: dict) -> int:
    return schema.get("minLength", 0) + FREE_TEXT


def _next(path: tuple[str, ...], force: tuple[str, ...]) -> str | None:
    if len(force) > len(path) and force[:len(path)] == path:
        return force[len(path)]
    return None


def _is_structure(schema: dict) -> bool:
    return schema.get("type") == "object" and "properties" in schema


def from_schema(schema: dict, operation: str = "", pool=None) -> st.SearchStrategy:
    """Valid values of any request schema (or part of one)."""
    return Generator(schema, operation, pool).node(schema, ROOT)


@lru_cache(maxsize=None)
def _cached(spec, operation: str) -> st.SearchStrategy:
    op = spec.operation(operation)
    return Generator(op.request_schema, operation).request()


def generator(spec, operation: str, pool=None, references: str = "existing") -> Generator:
    return Generator(spec.operation(operation).request_schema, operation, pool, references)


def valid_params(spec, operation: str, pool=None, references: str = "existing") -> st.SearchStrategy[dict]:
    """Parameters of a valid request for `operation`, as a dict ready to serialise."""
    if pool is None and references == "existing":
        return _cached(spec, operation)
    return generator(spec, operation, pool, references).request()


__all__ = ["Generator", "from_schema", "generator", "valid_params", "missing_arns", "MAX_LIST"]
