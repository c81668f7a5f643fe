"""An operation's simplest valid request, built once and copied for every enumerated case.

The boundary and invalid families need no search: each case is the operation's smallest valid
request (required members only, each at its simplest value, the containers on the way to the
member aimed at holding one entry) with one value changed. Every member's simplest value is drawn
once per operation, all together in one Hypothesis example (the first one Hypothesis makes, which
is each strategy's simplest), so a case costs a dictionary copy, not a Hypothesis run; and since
it is the example Hypothesis would start from, its shrinker has nothing smaller to go to.

References are resolved when a case is built, not when the skeleton is: the run's pool fills as
it goes, and a case points at the first resource of the kind it holds, as the simplest example of
`Generator.reference` does, else at the well-formed missing ARN drawn for it.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass
from functools import lru_cache

from hypothesis import strategies as st

from . import semantics
from .paths import ITEM, KEY, ROOT, VALUE, member_key
from .pool import ARN_FORMS
from .valid import Generator, _next, extend, missing_arns, renumber

MAX_DEPTH = 24  # no Personalize shape nests this deep; a recursive spec stops here


@dataclass(frozen=True)
class Ref:
    """A reference member: the pool's first resource of `kinds`, else `missing`."""
    kinds: tuple[str, ...]
    lo: int
    hi: int
    missing: str


class Skeleton:
    """The simplest value of every member of one operation's request, and requests built from them."""

    def __init__(self, gen: Generator, values: dict):
        self.gen = gen
        self.values = values  # path -> simplest value (a Ref for a reference member)

    # -- requests --------------------------------------------------------------------------

    def value(self, path: tuple):
        """The simplest value of the member at `path` (references resolved against the pool now)."""
        return self._resolve(self.values[path])

    def request(self, force: tuple = ROOT) -> dict:
        """A fresh copy of the simplest valid request in which every container on `force` is
        present and holds one entry (or its minimum): `Generator.request(force)`'s simplest example."""
        return self.gen.fix(self.node(self.gen.schema, ROOT, force))

    def minimal(self, path: tuple) -> dict:
        """The object at `path` with its required members only: `Generator.minimal`'s simplest."""
        from .paths import schema_at
        return self.node(schema_at(self.gen.schema, path), path, ROOT)

    def node(self, schema: dict, path: tuple, force: tuple = ROOT):
        kind = schema.get("type")
        nxt = _next(path, force)
        if kind == "object" and "properties" in schema:
            names = self.gen.required(schema, path) | ({nxt} if nxt else set())
            return {k: self.node(v, path + (k,), force) for k, v in schema["properties"].items() if k in names}
        if kind == "object":
            n = max(schema.get("minProperties", 0), 1 if nxt else 0)
            value = self.node(schema.get("additionalProperties") or {"type": "string"}, path + (VALUE,), force)
            known = semantics.MAP_KEYS.get(member_key(path), ((), False))[0]
            return entries(self.values.get(path + (KEY,), "a"), value, n, known)
        if kind == "array":
            n = max(schema.get("minItems", 0), 1 if nxt else 0)
            item = self.node(schema.get("items", {}), path + (ITEM,), force)
            return items(item, n, member_key(path))
        return self.value(path)

    def _resolve(self, value):
        if not isinstance(value, Ref):
            return value
        if self.gen.references == "existing":
            existing = next((a for k in value.kinds for a in self.gen.pool.arns(k)), None)
            if existing is not None and value.lo <= len(existing) <= value.hi:
                return existing
        return value.missing


def items(item, n: int, member: str) -> list:
    """`n` copies of `item`, made distinct where the list's items must be (`valid.extend`)."""
    if n <= 0:
        return []
    unique = semantics.unique_key(member)
    field = semantics.UNIQUE_ITEMS.get(member)
    return [copy.deepcopy(x) for x in extend([item], n, field, unique)]


def entries(key: str, value, n: int, known: tuple = ()) -> dict:
    """A map of `n` entries: `key` first, then the other keys that mean something, then `key`
    renumbered; every value a copy of `value`."""
    out: dict = {}
    for k in (key, *(k for k in known if k != key)):
        if len(out) == n:
            return out
        out[k] = copy.deepcopy(value)
    i = 0
    while len(out) < n:
        i += 1
        out[renumber(key, i, set(out))] = copy.deepcopy(value)
    return out


# -- the one draw --------------------------------------------------------------------------------

@lru_cache(maxsize=512)
def simplest_values(spec, operation: str) -> dict:
    """Every member's simplest value, drawn once per spec and operation (references as `Ref`s,
    which do not depend on the pool)."""
    from .sample import sample
    from .valid import generator
    gen = generator(spec, operation)
    leaves: dict[tuple, st.SearchStrategy] = {}
    _leaves(gen, gen.schema, ROOT, leaves, 0)
    drawn = sample(st.tuples(*leaves.values()))[0] if leaves else ()
    return dict(zip(leaves, drawn))


def _leaves(gen, schema: dict, path: tuple, out: dict, depth: int) -> None:
    if depth > MAX_DEPTH:
        return
    kind = schema.get("type")
    if kind == "object" and "properties" in schema:
        for name, sub in schema["properties"].items():
            _leaves(gen, sub, path + (name,), out, depth + 1)
    elif kind == "object":
        out[path + (KEY,)] = gen.map_keys(path)[0]
        _leaves(gen, schema.get("additionalProperties") or {"type": "string"}, path + (VALUE,), out, depth + 1)
    elif kind == "array":
        _leaves(gen, schema.get("items", {}), path + (ITEM,), out, depth + 1)
    else:
        out[path] = _scalar(gen, schema, path)


def _scalar(gen, schema: dict, path: tuple) -> st.SearchStrategy:
    kinds = semantics.reference_kinds(path, tuple(ARN_FORMS)) if schema.get("type") == "string" else ()
    if kinds and "enum" not in schema:
        lo, hi = schema.get("minLength", 0), schema.get("maxLength", 1 << 20)
        return missing_arns(kinds).filter(lambda v: lo <= len(v) <= hi).map(lambda v: Ref(kinds, lo, hi, v))
    return gen.scalar(schema, path)


def skeleton(spec, operation: str, pool=None, references: str = "existing") -> Skeleton:
    """The operation's skeleton for a run's pool and reference mode."""
    from .valid import generator
    return Skeleton(generator(spec, operation, pool, references), simplest_values(spec, operation))


__all__ = ["Skeleton", "Ref", "skeleton", "items", "entries"]
