"""Non-ASCII text in every string member: valid where its pattern allows it, invalid where it does not.

Targets get text wrong in ways ASCII never shows: a 5xx on an astral character, a length counted
in bytes, a right-to-left run or a combining mark lost on the way back. So each operation also
gets requests whose free-text members carry letters of four kinds (`SAMPLES`), wherever the
member's pattern matches the whole value, and a request per member whose pattern forbids them,
starting with one (so the value breaks the pattern however it is anchored). Each is sent as raw
UTF-8 and as boto3 sends it, every non-ASCII character `\\uXXXX`-escaped (astral ones as a
surrogate pair), since a target may decode one and not the other. Like the boundary and
invalid families, these probes are enumerations built from the operation's skeleton
(`strategies.skeleton`), their first case the simplest; their Hypothesis strategies shrink a
later case that fails.
"""
from __future__ import annotations

import json

from hypothesis import strategies as st

from .case import ACCEPT, REJECT, Case
from .constraints import constraints
from .paths import ITEM, ROOT, VALUE, place, render
from .patterns import accepts, plausible, prefix_only

# kind -> text: letters of the Basic Multilingual Plane, astral letters (two UTF-16 units each,
# as Java and AWS count them), a letter and its combining mark, and two right-to-left scripts.
SAMPLES = {
    "bmp": "Créé日本",
    "astral": "𝒜𝔅𝕮",
    "combining": "e\u0301te\u0301",
    "rtl": "שלום مرحبا",
}
KINDS = tuple(SAMPLES)
ENCODINGS = ("raw", "escaped")


def units(text: str) -> int:
    """Length as AWS counts it: UTF-16 code units."""
    return sum(2 if ord(c) > 0xFFFF else 1 for c in text)


def fitted(text: str, schema: dict) -> str | None:
    """`text` repeated or cut to fit the member's length limits (in UTF-16 units), or None."""
    lo, hi = schema.get("minLength", 0), schema.get("maxLength", 256)
    out = text
    while units(out) < max(lo, 1):
        out += text
    while out and units(out) > hi:
        out = out[:-1]
    if out and "\u0301" == out[0]:
        return None  # a lone combining mark is no letter
    return out if out and lo <= units(out) <= hi else None


def encode(params, encoding: str) -> bytes:
    """The body as raw UTF-8, or with every non-ASCII character escaped (what boto3 sends)."""
    return json.dumps(params, ensure_ascii=encoding == "escaped", separators=(",", ":")).encode("utf-8")


def _strings(schema: dict, path: tuple = ROOT):
    """(path, schema) of every free-text string member: no enum, no format of its own."""
    kind = schema.get("type")
    if kind == "string" and path and "enum" not in schema and not schema.get("x-aws-timestamp"):
        yield path, schema
    elif kind == "object" and "properties" in schema:
        for name, sub in schema["properties"].items():
            yield from _strings(sub, path + (name,))
    elif kind == "object" and isinstance(schema.get("additionalProperties"), dict):
        yield from _strings(schema["additionalProperties"], path + (VALUE,))
    elif kind == "array" and isinstance(schema.get("items"), dict):
        yield from _strings(schema["items"], path + (ITEM,))


# Members whose values are the user's own words, where any letter is as good as another: tags,
# event types, the names of the metrics a user defines. Other strings without a pattern still
# mean something to AWS (a hyperparameter's name, a number in a string, an expression) and keep
# the values `semantics` gives them, so the request stays valid to AWS and not only to the model.
FREE_TEXT = ("tags[].tagKey", "tags[].tagValue", "tagKeys[]", "eventType", "metrics[].metricName",
             "addMetrics[].metricName")


def _free_text(operation: str, path: tuple, schema: dict, text: str) -> bool:
    """Whether `text` may stand for this member in a valid request: the member holds free text,
    its pattern matches all of `text`, and any check of its meaning still holds."""
    from . import semantics
    where = render(path)
    if not any(where == f or where.endswith("." + f) for f in FREE_TEXT):
        return False
    if not plausible(schema.get("x-aws-pattern"), text):
        return False
    meaning = semantics.lookup(operation, path)
    return meaning is None or meaning.check is None or meaning.check(text)


def _rewrite(operation: str, value, schema: dict, path: tuple, kind: str):
    """`value` with every free-text string that may hold non-ASCII text holding the `kind` sample."""
    t = schema.get("type")
    if t == "string" and isinstance(value, str) and "enum" not in schema:
        for candidate in (SAMPLES[kind], *SAMPLES.values()):
            text = fitted(candidate, schema)
            if text is not None and _free_text(operation, path, schema, text):
                return text
        return value
    if t == "object" and isinstance(value, dict):
        if "properties" in schema:
            return {k: _rewrite(operation, v, schema["properties"].get(k, {}), path + (k,), kind)
                    for k, v in value.items()}
        sub = schema.get("additionalProperties")
        if isinstance(sub, dict):  # map keys are data with their own rules: only values change
            return {k: _rewrite(operation, v, sub, path + (VALUE,), kind) for k, v in value.items()}
    if t == "array" and isinstance(value, list):
        items = [_rewrite(operation, v, schema.get("items", {}), path + (ITEM,), kind) for v in value]
        return value if len(set(map(repr, items))) < len(items) else items  # unique items stay unique
    return value


def text_members(spec, operation: str) -> list[tuple]:
    """The paths of the string members of the request that may hold non-ASCII text."""
    schema = spec.operation(operation).request_schema
    return [p for p, s in _strings(schema)
            if any(fitted(t, s) is not None and _free_text(operation, p, s, fitted(t, s)) for t in SAMPLES.values())]


def valid_probes(gen, skel, spec, operation: str) -> list:
    """One probe per encoding: valid requests with non-ASCII text wherever it is allowed, one
    such member made present in each. Enumerated like the boundary family: the first case is the
    skeleton with the first member present and holding the first kind of letter (the escaped
    probe starts from the astral ones, whose escapes are surrogate pairs); the seed orders the
    other members and kinds."""
    from .probes import Probe, _distinct, _enumerator, _listed
    members = text_members(spec, operation)
    if not members:
        return []
    schema = spec.operation(operation).request_schema
    out = []
    for e, encoding in enumerate(ENCODINGS):
        rule = f"{operation}.unicode.{encoding}"
        kinds = KINDS[e:] + KINDS[:e]
        options = [(path, kind) for kind in kinds for path in members]

        def build(params, path, kind, encoding=encoding, rule=rule):
            params = gen.fix(_distinct(_rewrite(operation, params, schema, ROOT, kind), f"{rule} {kind} {render(path)}", ()))
            return Case(operation=operation, body=encode(params, encoding), params=params, family="valid",
                        rule=rule, expect=ACCEPT,
                        note=f"non-ASCII text ({kind}) in every free-text member, {render(path)} among them, "
                             f"sent {encoding}")

        def drawn(build=build, kinds=kinds):  # its simplest example is the first case
            return st.sampled_from(members).flatmap(
                lambda path: st.tuples(gen.request(force=path), st.sampled_from(kinds)).map(
                    lambda t: build(t[0], path, t[1])))

        out.append(Probe(operation, "valid", rule, drawn, (),
                         _enumerator(_listed(options), lambda o, build=build: build(skel.request(o[0]), *o))))
    return out


def invalid_targets(spec, operation: str) -> list[tuple]:
    """(constraint, values) for every pattern that non-ASCII text breaks however it is anchored."""
    targets = []
    for c in constraints(spec, operation):
        if c.kind != "pattern" or not c.breakable:
            continue
        values = [v for v in (fitted(t, c.schema) for t in SAMPLES.values())
                  if v is not None and not accepts(c.limit, v) and not prefix_only(c.limit, v)]
        if values:
            targets.append((c, tuple(dict.fromkeys(values))))
    return targets


def invalid_probes(gen, skel, spec, operation: str) -> list:
    """One probe per pattern that forbids non-ASCII text: the member given a value that starts
    with it, the rest of the request the skeleton. Its first case takes the first kind of letter
    the pattern refuses, sent raw or escaped by turns from one pattern to the next (so a run with
    one case per probe sends both); the seed orders the other kinds and encodings."""
    from .probes import Probe, _distinct, _enumerator, _listed
    out = []
    for i, (c, values) in enumerate(invalid_targets(spec, operation)):
        encodings = ENCODINGS[i % 2:] + ENCODINGS[:i % 2]
        options = [(value, encoding) for value in values for encoding in encodings]

        def build(params, value, encoding, c=c):
            params = place(_distinct(params, c.rule + ".unicode", c.path), c.path, value)
            return Case(operation=operation, body=encode(params, encoding), params=params, family="invalid",
                        rule=c.rule, covers=(c.rule,), expect=REJECT,
                        note=f"{render(c.path)}: non-ASCII text {value!r} its pattern forbids, sent {encoding}")

        def drawn(c=c, values=values, encodings=encodings, build=build):  # its simplest is the first case
            return st.tuples(gen.request(force=c.path), st.sampled_from(values), st.sampled_from(encodings)).map(
                lambda t: build(*t))

        out.append(Probe(operation, "invalid", f"{c.rule}.unicode", drawn, (c.rule,),
                         _enumerator(_listed(options), lambda o, c=c, build=build: build(skel.request(c.path), *o))))
    return out


__all__ = ["SAMPLES", "KINDS", "ENCODINGS", "units", "fitted", "encode", "text_members", "valid_probes",
           "invalid_targets", "invalid_probes"]
