"""Probes: one per thing a family aims at, so every constraint is exercised in every run.

A family's probes for an operation are: `valid` - one probe, whole valid requests; `boundary` -
one probe per constraint (the required members of one object share one: the object with only
them), the member at its edge; `invalid` - one probe per breakable constraint, breaking it alone,
one per member for a wrong JSON type, one for a null somewhere, and one per request-level defect
(malformed JSON, empty body, wrong X-Amz-Target, wrong content type, unknown member).

Boundary and invalid probes are enumerations: `probe.cases(n, seed)` builds their first `n` cases
directly from the operation's skeleton and the edge's choices, with no search. The first is the
simplest (the smallest valid request with the simplest value at the edge), so a failure of it is
minimal by construction; the ones after it take the remaining choices in an order the seed picks,
which is the only free choice there is. Every probe also has a Hypothesis strategy: the valid
family's is what a run draws; a boundary or invalid one makes the same cases as the enumeration,
its simplest example being the first case, and shrinks a failure of a later one.
"""
from __future__ import annotations

import json
import random
import zlib
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable

from hypothesis import strategies as st

from . import edges
from .case import ACCEPT, EITHER, REJECT, Case
from .constraints import Constraint, constraints, members
from .paths import DELETE, ITEM, KEY, ROOT, VALUE, place, rule_name
from .valid import Generator, generator


@dataclass(frozen=True)
class Probe:
    operation: str
    family: str
    rule: str  # what it aims at: a constraint rule, or a group name for the shared probes
    drawn: object = field(compare=False, repr=False)  # its Hypothesis strategy, or a function making it
    covers: tuple[str, ...] = ()  # the constraint rules a case of this probe exercises
    enumerate: Callable[[int, int], list[Case]] | None = field(default=None, compare=False, repr=False)

    def __repr__(self) -> str:
        return f"Probe({self.family}: {self.rule})"

    @property
    def strategy(self) -> st.SearchStrategy:
        """The probe's cases as Hypothesis draws them; built when first asked for (a run that
        enumerates needs it only to shrink a failure)."""
        if not isinstance(self.drawn, st.SearchStrategy):
            object.__setattr__(self, "drawn", self.drawn())
        return self.drawn

    @property
    def enumerated(self) -> bool:
        return self.enumerate is not None

    def cases(self, n: int = 1, seed: int = 0) -> list[Case]:
        """The probe's first `n` cases, built directly: the simplest first (minimal by
        construction), then the other choices in the order `seed` picks. The same `n` and seed
        make the same bytes."""
        if self.enumerate is None:
            raise TypeError(f"{self!r} is drawn by Hypothesis, not enumerated")
        return self.enumerate(n, seed)


NAME_MEMBERS = ("name", "jobName")


LENGTH_KINDS = ("minLength", "maxLength")


def _distinct(params, rule: str, aimed: tuple):
    """The request's resource name, made this probe's own: without it every probe's simplest
    create would ask for the same name, and after the first each would only meet a duplicate.
    A name whose length is the point (`aimed`) is left as it is."""
    if not isinstance(params, dict):
        return params
    for member in NAME_MEMBERS:
        value = params.get(member)
        if isinstance(value, str) and (member,) != aimed and value and len(value) <= 50:
            return {**params, member: f"{value}-{zlib.crc32(rule.encode()):08x}"}
    return params


def shuffled(seed: int):
    """The order the free choices after the simplest are taken in: the seed's."""
    def order(rest: list) -> list:
        rest = list(rest)
        random.Random(seed).shuffle(rest)
        return rest
    return order


def _listed(options) -> Callable:
    """A fixed list of options, simplest first, for `_enumerator`."""
    options = list(options)
    return lambda order: options[:1] + order(options[1:])


def _enumerator(options: Callable, build: Callable) -> Callable[[int, int], list[Case]]:
    """`cases(n, seed)`: `build(option)` for the first `n` options, the simplest first and the
    rest in the order `seed` picks, each request once. `options(order)` is called per call
    (references read the pool as it is then) and may take the order itself, to stay lazy."""
    def first_cases(n: int, seed: int) -> list[Case]:
        out, seen = [], set()
        for option in options(shuffled(seed)):
            case = build(option)
            key = (case.body, tuple(sorted(case.headers.items(), key=lambda kv: kv[0])))
            if key in seen:
                continue
            seen.add(key)
            out.append(case)
            if len(out) >= n:
                break
        return out
    return first_cases


def _edge_options(skel, c: Constraint, edge: edges.Edge) -> Callable:
    """The edge's values made from the skeleton's base for `c`'s member."""
    def options(order):
        if edge.base == edges.STRING:
            base = skel.value(c.path)
        elif edge.base == edges.ITEMS:
            base = skel.node(c.schema.get("items", {}), c.path + (ITEM,))
        elif edge.base == edges.ENTRIES:
            value = skel.node(c.schema.get("additionalProperties") or {"type": "string"}, c.path + (VALUE,))
            base = (skel.values.get(c.path + (KEY,), "a"), value)
        else:
            base = None
        return edge.values(base, order)
    return options


# -- boundary ----------------------------------------------------------------------------------

def boundary_probes(gen: Generator, skel, spec, operation: str) -> list[Probe]:
    probes = []
    required: dict[tuple, list[Constraint]] = defaultdict(list)
    for c in constraints(spec, operation):
        if c.kind == "required":
            required[c.path[:-1]].append(c)
            continue
        probes.append(_boundary(gen, skel, operation, c))
    for parent, group in required.items():
        probes.insert(0 if parent == ROOT else len(probes), _minimal(gen, skel, spec, operation, parent, group))
    return probes


def _boundary(gen, skel, operation, c: Constraint) -> Probe:
    covers = (c.rule,)
    edge = edges.boundary_edge(gen, c)

    def build(params, made):
        value, expect, note = made
        params = place(params, c.path, value)  # then distinct, unless the name's length is the edge
        params = gen.fix(_distinct(params, "boundary " + c.rule, c.path if c.kind in LENGTH_KINDS else ()))
        return Case.from_params(operation, params, family="boundary", rule=c.rule, covers=covers,
                                expect=expect, note=f"{_where(c.path)} {note}")

    return Probe(operation, "boundary", c.rule,
                 lambda: st.tuples(gen.request(force=c.path), edge.strategy(gen, c)).map(lambda t: build(*t)), covers,
                 _enumerator(_edge_options(skel, c, edge), lambda made: build(skel.request(c.path), made)))


def _minimal(gen, skel, spec, operation, parent: tuple, group: list[Constraint]) -> Probe:
    from .paths import schema_at
    covers = tuple(c.rule for c in group)
    schema = schema_at(spec.operation(operation).request_schema, parent)
    label = rule_name(operation, parent, "required") if parent else f"{operation}.required"

    def build(params, minimal):
        params = gen.fix(_distinct(place(params, parent, minimal) if parent else minimal, "boundary " + label, ()))
        return Case.from_params(operation, params, family="boundary", rule=label, covers=covers,
                                note=f"{_where(parent) or 'request'} with its required members only")

    return Probe(operation, "boundary", label,
                 lambda: st.tuples(gen.request(force=parent), gen.minimal(schema, parent)).map(lambda t: build(*t)),
                 covers,
                 _enumerator(_listed([None]), lambda _: build(skel.request(parent), skel.minimal(parent))))


# -- invalid -----------------------------------------------------------------------------------

REQUIRED_BREAKERS = ((DELETE, "missing"), (None, "null"))


def invalid_probes(gen: Generator, skel, spec, operation: str) -> list[Probe]:
    probes = [_broken(gen, skel, operation, c) for c in constraints(spec, operation) if _sent(c)]
    probes += _wrong_types(gen, skel, spec, operation) + [_null(gen, skel, spec, operation)]
    probes += request_probes(gen, skel, spec, operation)
    return [p for p in probes if p is not None]


def _sent(c: Constraint) -> bool:
    """Breakable constraints, and a `minLength` of 1 whose `""` also breaks the pattern: the
    target must refuse it all the same, though it exercises no constraint alone."""
    return c.breakable or (c.kind == "minLength" and c.limit == 1)


def _broken(gen, skel, operation, c: Constraint) -> Probe:
    covers = (c.rule,) if c.breakable else ()
    if c.kind == "required":
        edge = edges.Edge(edges.NOTHING, tuple(edges.constant(v) for v in REQUIRED_BREAKERS))
    else:
        edge = edges.invalid_edge(gen, c)
    combined = "" if c.breakable else f" (also breaks its other rules: {c.why_not})"

    def build(params, made):
        value, note = made
        params = _distinct(params, c.rule, c.path)
        return Case.from_params(operation, place(params, c.path, value), family="invalid", rule=c.rule,
                                covers=covers, expect=REJECT, note=f"{_where(c.path)}: {note}{combined}",
                                evidence_level="doc" if c.semantic else "")

    return Probe(operation, "invalid", c.rule,
                 lambda: st.tuples(gen.request(force=c.path), edge.strategy(gen, c)).map(lambda t: build(*t)), covers,
                 _enumerator(_edge_options(skel, c, edge), lambda made: build(skel.request(c.path), made)))


def _wrong_types(gen, skel, spec, operation) -> list[Probe]:
    """One probe per member: a JSON value of another type where it goes (a number for the Avro
    schema string, a string for a list). Map keys have none: a JSON key is always a string."""
    return [_wrong_type(gen, skel, operation, m) for m in members(spec, operation)
            if m.schema.get("type") in edges.WRONG_TYPES]


def _wrong_type(gen, skel, operation, m) -> Probe:
    values = edges.wrong_type_values(m.schema)

    def build(params, made):
        value, note = made
        params = _distinct(params, m.rule("type"), m.path)
        return Case.from_params(operation, place(params, m.path, value), family="invalid",
                                rule=m.rule("type"), expect=REJECT, note=f"{_where(m.path)}: {note}")

    return Probe(operation, "invalid", m.rule("type"),
                 lambda: st.tuples(gen.request(force=m.path), st.sampled_from(values)).map(lambda t: build(*t)), (),
                 _enumerator(_listed(values), lambda made: build(skel.request(m.path), made)))


def _null(gen, skel, spec, operation) -> Probe | None:
    """A null where an optional member goes: AWS reads it as absent; a target must not crash.
    (A null required member is the `required` probe's business.)"""
    optional = [m for m in members(spec, operation) if not m.required]
    if not optional:
        return None

    def build(params, m):
        params = _distinct(params, m.rule("null"), ())
        return Case.from_params(operation, place(params, m.path, None), family="invalid", rule=m.rule("null"),
                                expect=EITHER, note=f"{_where(m.path)}: null (AWS treats it as absent)")

    def for_member(m):
        return gen.request(force=m.path).map(lambda p: build(p, m))

    return Probe(operation, "invalid", f"{operation}.*.null", lambda: st.sampled_from(optional).flatmap(for_member), (),
                 _enumerator(_listed(optional), lambda m: build(skel.request(m.path), m)))


# Request-level defects: (rule suffix, expectation, how to make the case from valid params).
def _body(operation, params, body: bytes, rule: str, note: str, expect=REJECT, **kw) -> Case:
    return Case(operation=operation, body=body, params=None, family="invalid", rule=rule, expect=expect,
                note=note, **kw)


MALFORMED = (
    (lambda b: b[:-1], "the JSON is cut short"),
    (lambda b: b[:1] + b'"' + b[1:], "a stray quote"),
    (lambda b: b.replace(b"{", b"{,", 1), "a leading comma"),
    (lambda b: b'{"' + b"\xff\xfe" + b'": 1}', "bytes that are not UTF-8"),
    (lambda b: b"{'single': 'quotes'}", "single-quoted JSON"),
)
NOT_OBJECTS = (b"[]", b"null", b'"text"', b"42")
TARGETS = (None, "AmazonPersonalize.NoSuchOperation", "AmazonPersonalizeRuntime.{op}", "{op}",
           "AmazonPersonalize.{lower}")
CONTENT_TYPES = ("text/plain", "application/xml", "application/x-www-form-urlencoded", None)
UNKNOWN_MEMBERS = ("unknownMember", "Name", "__proto__")


def request_probes(gen, skel, spec, operation: str) -> list[Probe]:
    names = set(spec.operation(operation).request_schema.get("properties", {}))
    has_required = bool(gen.required(spec.operation(operation).request_schema, ROOT))
    prefix = "$" if names & {"body", "header"} else ""
    rule = lambda what: f"{operation}.{prefix}{what}"  # noqa: E731
    out = []

    def probe(what: str, strategy, options, build) -> Probe:
        """Drawn: `build(params, option)` over valid params; enumerated: over the skeleton's."""
        def distinct(params, option):
            return build(_distinct(params, rule(what), ()), option)
        return Probe(operation, "invalid", rule(what),
                     lambda: st.tuples(gen.request(), strategy).map(lambda t: distinct(*t)), (),
                     _enumerator(_listed(options), lambda option: distinct(skel.request(), option)))

    def malformed(params, how):
        cut, note = how
        body = json.dumps(params, ensure_ascii=False, separators=(",", ":")).encode()
        return _body(operation, params, cut(body), rule("body.json"), f"malformed JSON: {note}")
    out.append(probe("body.json", st.sampled_from(MALFORMED), MALFORMED, malformed))

    def not_object(params, b):
        return _body(operation, None, b, rule("body.object"), f"the body is JSON {b.decode()}, not an object")
    out.append(probe("body.object", st.sampled_from(NOT_OBJECTS), NOT_OBJECTS, not_object))

    empty_expect = REJECT if has_required else EITHER

    def empty(params, _):
        return _body(operation, None, b"", rule("body.empty"),
                     "empty body" + ("" if has_required else " (no required members: AWS may read it as {})"),
                     expect=empty_expect)
    out.append(probe("body.empty", st.just(None), (None,), empty))

    lower = operation[0].lower() + operation[1:]

    def retarget(params, target):
        value = None if target is None else target.format(op=operation, lower=lower)
        return Case.from_params(operation, params, headers={"X-Amz-Target": value}, family="invalid",
                                rule=rule("header.X-Amz-Target"), expect=REJECT,
                                note=f"X-Amz-Target {'missing' if value is None else repr(value)}")
    out.append(probe("header.X-Amz-Target", st.sampled_from(TARGETS), TARGETS, retarget))

    def recontent(params, ctype):
        return Case.from_params(operation, params, headers={"Content-Type": ctype}, family="invalid",
                                rule=rule("header.Content-Type"), expect=REJECT,
                                note=f"Content-Type {'missing' if ctype is None else repr(ctype)}")
    out.append(probe("header.Content-Type", st.sampled_from(CONTENT_TYPES), CONTENT_TYPES, recontent))

    def unknown(params, name):
        return Case.from_params(operation, {**params, name: "x"}, family="invalid",
                                rule=rule("body.unknownMember"), expect=EITHER,
                                note=f"unknown member {name!r} (AWS ignores unknown members)")
    extra = tuple(n for n in UNKNOWN_MEMBERS if n not in names)
    out.append(probe("body.unknownMember", st.sampled_from(extra), extra, unknown))
    return out


# -- valid -------------------------------------------------------------------------------------

def valid_probe(gen: Generator, operation: str) -> Probe:
    """Whole valid requests; their names marked apart from the other families' (a boundary
    case's one-character name is the valid family's simplest one too)."""
    return Probe(operation, "valid", f"{operation}.valid", gen.request().map(
        lambda p: Case.from_params(operation, _distinct(p, "valid", ()), family="valid", expect=ACCEPT)))


# -- all together ------------------------------------------------------------------------------

def _where(path: tuple) -> str:
    from .paths import render
    return render(path)


def probes(spec, operation: str, family: str, pool=None, references: str = "existing") -> list[Probe]:
    """The probes of `family` for `operation` (built once per spec, pool and reference mode)."""
    return list(_cached(spec, operation, family, pool, references))


@lru_cache(maxsize=1024)
def _cached(spec, operation: str, family: str, pool, references: str) -> tuple[Probe, ...]:
    return tuple(_build(spec, operation, family, pool, references))


def _build(spec, operation, family, pool, references) -> list[Probe]:
    from . import unicode
    from .skeleton import skeleton
    gen = generator(spec, operation, pool, references)
    skel = skeleton(spec, operation, pool, references)
    if family == "valid":  # the whole-request probe first: the valid family's examples go to it
        return [valid_probe(gen, operation)] + unicode.valid_probes(gen, skel, spec, operation)
    if family == "boundary":
        return boundary_probes(gen, skel, spec, operation)
    if family == "invalid":
        return invalid_probes(gen, skel, spec, operation) + unicode.invalid_probes(gen, skel, spec, operation)
    raise ValueError(f"no generated family {family!r}")


__all__ = ["Probe", "probes", "ITEM", "VALUE", "KEY"]
