"""The constraints of an operation's request, listed once: what boundary and invalid cases aim at
and what coverage counts.

A constraint is one rule on one member: `CreateSchema.name.maxLength`. The list comes from the
patched request schema plus the semantic rules `semantics` adds (an Avro schema must be Avro).
Whether a constraint can be broken at all is decided here too: a `minLength` of 0 cannot, nor
can a pattern that every string within the member's length limits matches as a whole; a
`minLength` of 1 is broken alone only where the pattern takes `""` (else `""` breaks both: a
combined violation). Map keys are members too (`tags{key}`), with the key shape's constraints,
which the spec carries as `x-aws-key`. A `minimum` of 0 is listed but not counted: the simplest
number, which every request without a reason to differ sends, already sits on it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from . import semantics
from .paths import ITEM, KEY, MARKERS, ROOT, VALUE, rule_name
from .patterns import accepts
from .strings import OFF_PATTERN

# Kinds counted by coverage, in report order. `type` is not a constraint a value can sit at the
# edge of; its invalid cases are reported apart.
KINDS = ("required", "minLength", "maxLength", "pattern", "enum", "minimum", "maximum",
         "minItems", "maxItems", "minProperties", "maxProperties")
SCHEMA_KEYS = {"minLength": "minLength", "maxLength": "maxLength", "pattern": "x-aws-pattern",
               "enum": "enum", "minimum": "minimum", "maximum": "maximum", "minItems": "minItems",
               "maxItems": "maxItems", "minProperties": "minProperties", "maxProperties": "maxProperties"}


@dataclass(frozen=True)
class Constraint:
    operation: str
    path: tuple[str, ...]  # the member constrained (for `required`: the required member)
    kind: str
    limit: object = field(hash=False, compare=False)  # 63, the pattern, the enum values, True
    schema: dict = field(hash=False, compare=False, repr=False)  # the member's schema
    breakable: bool = True  # some value breaks this rule and no other rule of the member
    why_not: str = ""  # why it cannot be broken
    trivial: str = ""  # why reaching it proves nothing: listed, not counted by coverage

    @property
    def rule(self) -> str:
        return rule_name(self.operation, self.path, self.kind)

    @property
    def semantic(self) -> bool:
        return self.kind not in KINDS


@dataclass(frozen=True)
class Member:
    """A member of the request, for the per-member invalid cases (wrong type, null)."""
    operation: str
    path: tuple[str, ...]
    schema: dict = field(hash=False, compare=False, repr=False)
    required: bool = False

    def rule(self, kind: str) -> str:
        return rule_name(self.operation, self.path, kind)

    @property
    def key(self) -> bool:
        """A map key: always a JSON string, never null, so it has no wrong type to send."""
        return self.path[-1] == KEY


def _walk(schema: dict, path: tuple[str, ...], required: bool = False):
    """(path, schema, required) for every member, depth first, the root excluded."""
    if path:
        yield path, schema, required
    kind = schema.get("type")
    if kind == "object" and "properties" in schema:
        names = set(schema.get("required", ()))
        for name, sub in schema["properties"].items():
            yield from _walk(sub, path + (name,), name in names)
    elif kind == "object" and isinstance(schema.get("additionalProperties"), dict):
        if isinstance(schema.get("x-aws-key"), dict):
            yield from _walk(schema["x-aws-key"], path + (KEY,), True)
        yield from _walk(schema["additionalProperties"], path + (VALUE,), True)
    elif kind == "array" and isinstance(schema.get("items"), dict):
        yield from _walk(schema["items"], path + (ITEM,), True)


def members(spec, operation: str, keys: bool = False) -> list[Member]:
    """The request's members, map keys only when `keys` is set."""
    schema = spec.operation(operation).request_schema
    return [Member(operation, path, sub, req) for path, sub, req in _walk(schema, ROOT)
            if keys or path[-1] != KEY]


@lru_cache(maxsize=None)
def _constraints(spec, operation: str) -> tuple[Constraint, ...]:
    out = []
    for m in members(spec, operation, keys=True):
        s = m.schema
        if m.required and m.path[-1] not in MARKERS:
            out.append(Constraint(operation, m.path, "required", True, s))
        for kind, key in SCHEMA_KEYS.items():
            if key not in s or (kind in ("minimum", "maximum") and s.get("x-aws-timestamp")):
                continue
            out.append(_judged(Constraint(operation, m.path, kind, s[key], s)))
        meaning = semantics.lookup(operation, m.path) if s.get("type") == "string" else None
        for kind in (meaning.invalid if meaning else ()):
            out.append(Constraint(operation, m.path, kind, meaning.source, s))
    return tuple(out)


def constraints(spec, operation: str) -> list[Constraint]:
    """Every constraint of `operation`'s request, in schema order."""
    return list(_constraints(spec, operation))


def _judged(c: Constraint) -> Constraint:
    reason = unbreakable(c)
    trivial = ("minimum 0: the simplest number, which requests send unless they have a reason not to, "
               "sits on it") if c.kind == "minimum" and c.limit == 0 else ""
    if reason or trivial:
        return Constraint(c.operation, c.path, c.kind, c.limit, c.schema, not reason, reason, trivial)
    return c


def unbreakable(c: Constraint) -> str:
    """Why no value breaks `c` alone, or "" when one does."""
    s = c.schema
    if c.kind in ("minLength", "minItems", "minProperties") and c.limit == 0:
        return f"{c.kind} 0: no size is smaller"
    if c.kind == "minLength" and c.limit == 1 and not accepts(s.get("x-aws-pattern"), ""):
        return '"" is the only shorter value, and the pattern refuses it too (a combined violation)'
    if c.kind == "pattern":
        pattern = c.limit
        lo, hi = s.get("minLength", 0), s.get("maxLength", 64)
        for bad in OFF_PATTERN:
            for n in {max(lo, 1), min(hi, max(lo, 1) + 1)}:
                if lo <= n <= hi and not accepts(pattern, bad * n):
                    return ""
        return "no off-pattern value fits the length limits"
    return ""


__all__ = ["Constraint", "Member", "KINDS", "constraints", "members", "unbreakable"]
