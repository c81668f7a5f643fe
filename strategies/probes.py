"""Probes: one strategy per thing a family aims at, so every constraint is exercised in every run.

A family's probes for an operation are: `valid` - one probe, whole valid requests; `boundary` -
one probe per constraint (the required members of one object share one: the object with only
them), drawing the member at its edge; `invalid` - one probe per breakable constraint, breaking
it alone, one per member for a wrong JSON type, one for a null somewhere, and one per request-level
defect (malformed JSON, empty body, wrong X-Amz-Target, wrong content type, unknown member).
Running each probe under Hypothesis keeps its failure shrinkable and pointing at one rule.
"""
from __future__ import annotations

import json
import zlib
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from hypothesis import strategies as st

from . import edges
from .case import ACCEPT, EITHER, REJECT, Case
from .constraints import Constraint, constraints, members
from .paths import DELETE, ITEM, ROOT, VALUE, place, rule_name
from .valid import Generator, generator


@dataclass(frozen=True)
class Probe:
    operation: str
    family: str
    rule: str  # what it aims at: a constraint rule, or a group name for the shared probes
    strategy: st.SearchStrategy = field(compare=False, repr=False)
    covers: tuple[str, ...] = ()  # the constraint rules a case of this probe exercises

    def __repr__(self) -> str:
        return f"Probe({self.family}: {self.rule})"


NAME_MEMBERS = ("name", "jobName")


def _distinct(params, rule: str, aimed: tuple):
    """The request's resource name, made this probe's own: without it every probe's simplest
    create would ask for the same name, and after the first each would only meet a duplicate."""
    if not isinstance(params, dict):
        return params
    for member in NAME_MEMBERS:
        value = params.get(member)
        if isinstance(value, str) and (member,) != aimed and value and len(value) <= 50:
            return {**params, member: f"{value}-{zlib.crc32(rule.encode()):08x}"}
    return params


# -- boundary ----------------------------------------------------------------------------------

def boundary_probes(gen: Generator, spec, operation: str) -> list[Probe]:
    probes = []
    required: dict[tuple, list[Constraint]] = defaultdict(list)
    for c in constraints(spec, operation):
        if c.kind == "required":
            required[c.path[:-1]].append(c)
            continue
        probes.append(_boundary(gen, operation, c))
    for parent, group in required.items():
        probes.insert(0 if parent == ROOT else len(probes), _minimal(gen, spec, operation, parent, group))
    return probes


def _boundary(gen, operation, c: Constraint) -> Probe:
    covers = (c.rule,)

    def build(t):
        params, (value, expect, note) = t
        params = gen.fix(place(_distinct(params, "boundary " + c.rule, c.path), c.path, value))
        return Case.from_params(operation, params, family="boundary", rule=c.rule, covers=covers,
                                expect=expect, note=f"{_where(c.path)} {note}")

    return Probe(operation, "boundary", c.rule,
                 st.tuples(gen.request(force=c.path), edges.boundary_values(gen, c)).map(build), covers)


def _minimal(gen, spec, operation, parent: tuple, group: list[Constraint]) -> Probe:
    from .paths import schema_at
    covers = tuple(c.rule for c in group)
    schema = schema_at(spec.operation(operation).request_schema, parent)
    label = rule_name(operation, parent, "required") if parent else f"{operation}.required"

    def build(t):
        params, minimal = t
        params = gen.fix(_distinct(place(params, parent, minimal) if parent else minimal, "boundary " + label, ()))
        return Case.from_params(operation, params, family="boundary", rule=label, covers=covers,
                                note=f"{_where(parent) or 'request'} with its required members only")

    return Probe(operation, "boundary", label,
                 st.tuples(gen.request(force=parent), gen.minimal(schema, parent)).map(build), covers)


# -- invalid -----------------------------------------------------------------------------------

def invalid_probes(gen: Generator, spec, operation: str) -> list[Probe]:
    probes = [_broken(gen, operation, c) for c in constraints(spec, operation) if c.breakable]
    probes += _wrong_types(gen, spec, operation) + [_null(gen, spec, operation)]
    probes += request_probes(gen, spec, operation)
    return [p for p in probes if p is not None]


def _broken(gen, operation, c: Constraint) -> Probe:
    covers = (c.rule,)
    if c.kind == "required":
        values = st.sampled_from(((DELETE, "missing"), (None, "null")))
    else:
        values = edges.invalid_values(gen, c)

    def build(t):
        params, (value, note) = t
        params = _distinct(params, c.rule, c.path)
        return Case.from_params(operation, place(params, c.path, value), family="invalid", rule=c.rule,
                                covers=covers, expect=REJECT, note=f"{_where(c.path)}: {note}")

    return Probe(operation, "invalid", c.rule, st.tuples(gen.request(force=c.path), values).map(build), covers)


def _wrong_types(gen, spec, operation) -> list[Probe]:
    """One probe per member: a JSON value of another type where it goes (a number for the Avro
    schema string, a string for a list)."""
    out = []
    for m in members(spec, operation):
        if m.schema.get("type") not in edges.WRONG_TYPES:
            continue

        def build(t, m=m):
            params, (value, note) = t
            params = _distinct(params, m.rule("type"), m.path)
            return Case.from_params(operation, place(params, m.path, value), family="invalid",
                                    rule=m.rule("type"), expect=REJECT, note=f"{_where(m.path)}: {note}")
        out.append(Probe(operation, "invalid", m.rule("type"),
                         st.tuples(gen.request(force=m.path), edges.wrong_types(m.schema)).map(build)))
    return out


def _null(gen, spec, operation) -> Probe | None:
    """A null where an optional member goes: AWS reads it as absent; a target must not crash.
    (A null required member is the `required` probe's business.)"""
    optional = [m for m in members(spec, operation) if not m.required]
    if not optional:
        return None

    def for_member(m):
        return gen.request(force=m.path).map(lambda p: Case.from_params(
            operation, place(p, m.path, None), family="invalid", rule=m.rule("null"), expect=EITHER,
            note=f"{_where(m.path)}: null (AWS treats it as absent)"))

    return Probe(operation, "invalid", f"{operation}.*.null", st.sampled_from(optional).flatmap(for_member))


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


def request_probes(gen, spec, operation: str) -> list[Probe]:
    request = gen.request()
    names = set(spec.operation(operation).request_schema.get("properties", {}))
    has_required = bool(gen.required(spec.operation(operation).request_schema, ROOT))
    prefix = "$" if names & {"body", "header"} else ""
    rule = lambda what: f"{operation}.{prefix}{what}"  # noqa: E731
    out = []

    def malformed(t):
        params, (cut, note) = t
        body = json.dumps(params, ensure_ascii=False, separators=(",", ":")).encode()
        return _body(operation, params, cut(body), rule("body.json"), f"malformed JSON: {note}")
    out.append(Probe(operation, "invalid", rule("body.json"),
                     st.tuples(request, st.sampled_from(MALFORMED)).map(malformed)))

    out.append(Probe(operation, "invalid", rule("body.object"), st.sampled_from(NOT_OBJECTS).map(
        lambda b: _body(operation, None, b, rule("body.object"), f"the body is JSON {b.decode()}, not an object"))))

    empty_expect = REJECT if has_required else EITHER
    out.append(Probe(operation, "invalid", rule("body.empty"), st.just(None).map(lambda _: _body(
        operation, None, b"", rule("body.empty"),
        "empty body" + ("" if has_required else " (no required members: AWS may read it as {})"),
        expect=empty_expect))))

    lower = operation[0].lower() + operation[1:]
    def retarget(t):
        params, target = t
        value = None if target is None else target.format(op=operation, lower=lower)
        return Case.from_params(operation, params, headers={"X-Amz-Target": value}, family="invalid",
                                rule=rule("header.X-Amz-Target"), expect=REJECT,
                                note=f"X-Amz-Target {'missing' if value is None else repr(value)}")
    out.append(Probe(operation, "invalid", rule("header.X-Amz-Target"),
                     st.tuples(request, st.sampled_from(TARGETS)).map(retarget)))

    def recontent(t):
        params, ctype = t
        return Case.from_params(operation, params, headers={"Content-Type": ctype}, family="invalid",
                                rule=rule("header.Content-Type"), expect=REJECT,
                                note=f"Content-Type {'missing' if ctype is None else repr(ctype)}")
    out.append(Probe(operation, "invalid", rule("header.Content-Type"),
                     st.tuples(request, st.sampled_from(CONTENT_TYPES)).map(recontent)))

    def unknown(t):
        params, name = t
        return Case.from_params(operation, {**params, name: "x"}, family="invalid",
                                rule=rule("body.unknownMember"), expect=EITHER,
                                note=f"unknown member {name!r} (AWS ignores unknown members)")
    extra = st.sampled_from(("unknownMember", "Name", "__proto__")).filter(lambda n: n not in names)
    out.append(Probe(operation, "invalid", rule("body.unknownMember"), st.tuples(request, extra).map(unknown)))
    return out


# -- valid -------------------------------------------------------------------------------------

def valid_probe(gen: Generator, operation: str) -> Probe:
    return Probe(operation, "valid", f"{operation}.valid",
                 gen.request().map(lambda p: Case.from_params(operation, p, family="valid", expect=ACCEPT)))


# -- all together ------------------------------------------------------------------------------

def _where(path: tuple) -> str:
    from .paths import render
    return render(path)


def probes(spec, operation: str, family: str, pool=None, references: str = "existing") -> list[Probe]:
    """The probes of `family` for `operation` (built once per spec, pool and reference mode)."""
    return list(_cached(spec, operation, family, pool, references))


@lru_cache(maxsize=1024)
def _cached(spec, operation: str, family: str, pool, references: str) -> tuple[Probe, ...]:
    return tuple(_build(spec, operation, family, generator(spec, operation, pool, references)))


def _build(spec, operation, family, gen) -> list[Probe]:
    if family == "valid":
        return [valid_probe(gen, operation)]
    if family == "boundary":
        return boundary_probes(gen, spec, operation)
    if family == "invalid":
        return invalid_probes(gen, spec, operation)
    raise ValueError(f"no generated family {family!r}")


__all__ = ["Probe", "probes", "ITEM", "VALUE"]
