"""Constraint coverage: which constraints a run exercised with a boundary-valid case and with an
invalid case, per operation and overall, counted from the bytes that were sent.

Every answered request is read back from its body and judged against the constraint index, not
taken at its word (a case's rule says what it aimed at, not what it sent):

- a constraint is exercised boundary-valid when a request of the valid or boundary family broke
  no rule at all and a value in it sits on the constraint's edge: a length, size or number
  exactly at its limit (one just inside does not count), a value the pattern, the enum or the
  rule's meaning takes, an object holding its required members and nothing else;
- it is exercised invalid when an invalid request broke that rule and no other, wrong types
  and nulls included (`""` for a name whose pattern needs a first character breaks two rules:
  it exercises neither alone).

Left out of the figures, each listed with its reason: constraints no value can break alone
(from the invalid figure), trivial ones (`minimum` 0, met by the simplest number), and edges no
request can reach (from the boundary figure). Map keys are members with constraints of their
own; a key is always a JSON string, so no wrong type is tried on one.
"""
from __future__ import annotations

import json
from collections import defaultdict
from functools import lru_cache

from . import semantics
from .constraints import KINDS, constraints, members
from .paths import ITEM, KEY, VALUE, every, render, schema_at
from .patterns import accepts

SECTION_TITLE = "Constraint coverage"
DEFINITION = ("counted from the bytes sent, re-checked against the constraint index: boundary-valid when "
              "a request breaking no rule sent a value on the constraint's edge (a limit exactly, not "
              "just inside); invalid when a request broke that rule and no other. Trivial constraints, "
              "edges no request can reach and constraints no value breaks alone are listed apart")
JSON_TYPES = {"string": (str,), "integer": (int,), "number": (int, float), "boolean": (bool,),
              "array": (list,), "object": (dict,)}


def _pct(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 100.0


# -- reading a request back ----------------------------------------------------------------------

@lru_cache(maxsize=512)
def _index(spec, operation: str):
    """(constraints, typed members, property names) of an operation, for judging its requests."""
    return (tuple(constraints(spec, operation)), tuple(members(spec, operation)),
            frozenset(spec.operation(operation).request_schema.get("properties", {})))


def _type_ok(value, schema: dict) -> bool:
    kind = schema.get("type")
    if kind not in JSON_TYPES or value is None:
        return True
    if isinstance(value, bool) and kind != "boolean":
        return False
    return isinstance(value, JSON_TYPES[kind])


def _size(value):
    return len(value) if isinstance(value, (str, list, dict)) else None


def _breaks(c, value) -> bool:
    """Whether `value`, at `c`'s member, breaks `c` (a value of the wrong type breaks its type only)."""
    kind, limit = c.kind, c.limit
    if kind in ("minLength", "maxLength"):
        return isinstance(value, str) and (len(value) < limit if kind == "minLength" else len(value) > limit)
    if kind in ("minItems", "maxItems"):
        return isinstance(value, list) and (len(value) < limit if kind == "minItems" else len(value) > limit)
    if kind in ("minProperties", "maxProperties"):
        return isinstance(value, dict) and (len(value) < limit if kind == "minProperties" else len(value) > limit)
    if kind in ("minimum", "maximum"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return False
        return value < limit if kind == "minimum" else value > limit
    if kind == "pattern":
        return isinstance(value, str) and not accepts(limit, value)
    if kind == "enum":
        return isinstance(value, str) and value not in limit
    meaning = semantics.lookup(c.operation, c.path)
    return isinstance(value, str) and meaning is not None and meaning.check is not None and not meaning.check(value)


def _at_edge(c, value) -> bool:
    kind, limit = c.kind, c.limit
    if kind in ("minLength", "maxLength"):
        return isinstance(value, str) and len(value) == limit
    if kind in ("minItems", "maxItems"):
        return isinstance(value, list) and len(value) == limit
    if kind in ("minProperties", "maxProperties"):
        return isinstance(value, dict) and len(value) == limit
    if kind in ("minimum", "maximum"):
        return not isinstance(value, bool) and isinstance(value, (int, float)) and value == limit
    if kind == "pattern":
        return isinstance(value, str) and accepts(limit, value)
    if kind == "enum":
        return isinstance(value, str) and value in limit
    meaning = semantics.lookup(c.operation, c.path)
    return isinstance(value, str) and (meaning is None or meaning.check is None or meaning.check(value))


def read_back(spec, operation: str, params) -> tuple[set[str], set[str]]:
    """(the rules `params` breaks, the constraint rules whose edge a value of it sits on), judged
    against the constraint index: wrong JSON types as `…type`, nulls of optional members as `…null`."""
    cs, typed, _ = _index(spec, operation)
    broken, edges = set(), set()
    for m in typed:
        for value in every(params, m.path):
            if value is None and not m.required:
                broken.add(m.rule("null"))
            elif not _type_ok(value, m.schema):
                broken.add(m.rule("type"))
    for c in cs:
        if c.kind == "required":
            name = c.path[-1]
            for parent in every(params, c.path[:-1]):
                if isinstance(parent, dict) and parent.get(name) is None:
                    broken.add(c.rule)
            continue
        for value in every(params, c.path):
            if value is None:
                continue
            if _breaks(c, value):
                broken.add(c.rule)
            elif _at_edge(c, value):
                edges.add(c.rule)
    return broken, edges


def key_violations(spec, operation: str, params) -> set[str]:
    """The map-key constraints `params` breaks (what OpenAPI 3.0 cannot check: `x-aws-key`)."""
    out = set()
    for c in _index(spec, operation)[0]:
        if c.path and c.path[-1] == KEY and any(_breaks(c, k) for k in every(params, c.path)):
            out.add(c.rule)
    return out


@lru_cache(maxsize=512)
def _required_parents(spec, operation: str) -> tuple:
    """(parent path, its required names, the names a required-only object may hold, its rules):
    an object with only its required members may also hold what a documented rule adds to the
    smallest valid request (CreateSolution's performAutoML, when there is no recipe)."""
    from .skeleton import skeleton
    cs = _index(spec, operation)[0]
    skel = skeleton(spec, operation)
    schema = spec.operation(operation).request_schema
    out = []
    for parent in dict.fromkeys(c.path[:-1] for c in cs if c.kind == "required"):
        sub = schema_at(schema, parent)
        names = frozenset(sub.get("required", ()))
        allowed = set(skel.gen.required(sub, parent)) | names
        if not parent:
            allowed |= set(skel.request())
        rules = frozenset(c.rule for c in cs if c.kind == "required" and c.path[:-1] == parent)
        out.append((parent, names, frozenset(allowed), rules))
    return tuple(out)


def _required_only(spec, operation: str, params) -> set[str]:
    """The `required` rules of every object holding its required members and nothing else."""
    out = set()
    for parent, names, allowed, rules in _required_parents(spec, operation):
        for obj in every(params, parent):
            if isinstance(obj, dict) and names <= {k for k, v in obj.items() if v is not None} \
                    and set(obj) <= allowed:
                out |= rules
                break
    return out


def exercised(spec, case) -> tuple[set[str], set[str], set[str]]:
    """(boundary-valid rules, invalid rules, member types tried alone) a sent case exercised."""
    if case.headers or case.family not in ("valid", "boundary", "invalid"):
        return set(), set(), set()
    try:
        params = json.loads(case.body.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return set(), set(), set()
    if not isinstance(params, dict) or case.operation not in spec.operations:
        return set(), set(), set()
    broken, edges = read_back(spec, case.operation, params)
    if case.family == "invalid":
        alone = broken if len(broken) == 1 else set()
        types = {r for r in alone if r.endswith(".type")}
        return set(), alone - types, types
    if broken:
        return set(), set(), set()
    return edges | _required_only(spec, case.operation, params), set(), set()


def request_defect(spec, case) -> str | None:
    """The request-level defect a sent invalid case carries, read from its bytes and headers."""
    if case.family != "invalid" or case.operation not in spec.operations:
        return None
    names = _index(spec, case.operation)[2]
    prefix = "$" if names & {"body", "header"} else ""
    headers = {k.lower(): v for k, v in case.headers.items()}
    if "x-amz-target" in headers and headers["x-amz-target"] != spec.operation(case.operation).target:
        return prefix + "header.X-Amz-Target"
    if "content-type" in headers:
        return prefix + "header.Content-Type"
    if case.body == b"":
        return prefix + "body.empty"
    try:
        params = json.loads(case.body.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return prefix + "body.json"
    if not isinstance(params, dict):
        return prefix + "body.object"
    if set(params) - names:
        return prefix + "body.unknownMember"
    return None


# -- the report ----------------------------------------------------------------------------------

def coverage(spec, answered, operations) -> dict:
    """`answered`: (case, got an answer) pairs of the run. Returns the `coverage` section."""
    hit = {"boundary": set(), "invalid": set()}
    typed = defaultdict(set)
    defects = defaultdict(set)
    for case, ok in answered:
        if not ok:
            continue
        boundary, invalid, types = exercised(spec, case)
        hit["boundary"] |= boundary
        hit["invalid"] |= invalid
        typed[case.operation] |= types
        defect = request_defect(spec, case)
        if defect:
            defects[case.operation].add(defect)
    per_op = {}
    for name in operations:
        cs = constraints(spec, name)
        kinds: dict = defaultdict(lambda: {"constraints": 0, "breakable": 0})
        counted = [c for c in cs if not c.trivial]
        unreachable, combined = limits(spec, name)
        alone = {c.rule for c in counted if c.breakable and c.rule not in combined}
        for c in counted:
            kinds[_kind(c.rule)]["constraints"] += 1
            kinds[_kind(c.rule)]["breakable"] += c.rule in alone
        per_op[name] = _counted({
            "kinds": dict(kinds),
            "missing_boundary": [c.rule for c in counted if c.rule not in hit["boundary"] and c.rule not in unreachable],
            "missing_invalid": [c.rule for c in counted if c.rule in alone and c.rule not in hit["invalid"]],
            "unbreakable": {**{c.rule: c.why_not for c in cs if not c.breakable}, **combined},
            "trivial": {c.rule: c.trivial for c in cs if c.trivial},
            "unreachable": unreachable,
            "type_members": len(typed[name]),
            "members": len(members(spec, name)),
            "keys": len([m for m in members(spec, name, keys=True) if m.key]),
            "request_defects": sorted(defects[name]),
        })
    return _report(per_op)


@lru_cache(maxsize=512)
def limits(spec, operation: str) -> tuple[dict, dict]:
    """(boundary edges no request can reach, constraints no value breaks alone), rule -> why,
    for the constraints the index alone cannot judge: a member whose pattern or meaning rules
    out every value of the length at its limit (a filter expression of one character cannot
    start with INCLUDE), or every value across it (a dataset type of 257 letters is no dataset
    type either). Judged on the values the families make there, from the skeleton's."""
    from . import edges
    from .skeleton import skeleton
    cs = [c for c in _index(spec, operation)[0] if not c.trivial and c.kind != "required"]
    by_member = defaultdict(list)
    for c in cs:
        by_member[c.path].append(c)
    unreachable, combined = {}, {}
    skel = None
    for c in cs:
        neighbours = by_member[c.path]
        if c.kind not in ("minLength", "maxLength", "pattern") or not c.path or c.path[-1] == KEY \
                or not any(o.kind == "pattern" or o.semantic for o in neighbours):
            continue  # any string of the length fits a member with no pattern and no meaning
        skel = skel or skeleton(spec, operation)
        try:
            base = skel.value(c.path)
        except KeyError:
            continue

        def broken_by(value):
            return {o.rule for o in neighbours if _breaks(o, value)}
        if c.kind != "pattern":
            make = edges.fit_length(skel.gen, c.schema, c.path, c.limit)
            at_limit = [r[0] for r in (make(base, fill) for fill in edges.FILLS) if r is not None]
            if not any(not broken_by(v) for v in at_limit):
                also = sorted({r for v in at_limit for r in broken_by(v)})
                what = f"{c.limit} character{'s' * (c.limit != 1)}"
                unreachable[c.rule] = (f"no value of exactly {what} is valid: it breaks "
                                       + ", ".join(f"`{r}`" for r in also) if also else
                                       f"no value of exactly {what} matches the pattern and keeps the member's meaning")
        if c.breakable:
            also = set()
            for made in edges.invalid_edge(skel.gen, c).values(base):
                broken = broken_by(made[0])
                if broken == {c.rule}:
                    break
                also |= broken - {c.rule}
            else:
                if also:
                    combined[c.rule] = ("every value across it breaks " + ", ".join(f"`{r}`" for r in sorted(also))
                                        + " too (a combined violation)")
    return unreachable, combined


def unreachable_edges(spec, operation: str) -> dict[str, str]:
    return limits(spec, operation)[0]


def _kind(rule: str) -> str:
    kind = rule.rsplit(".", 1)[1]
    return kind if kind in KINDS else "semantic"


def _counted(row: dict) -> dict:
    """A per-operation row with its counts and percentages worked out from its missing lists."""
    total = sum(k["constraints"] for k in row["kinds"].values())
    breakable = sum(k["breakable"] for k in row["kinds"].values())
    reachable = total - len(row.get("unreachable", {}))
    boundary, invalid = reachable - len(row["missing_boundary"]), breakable - len(row["missing_invalid"])
    return {**row, "constraints": total, "reachable": reachable, "breakable": breakable, "boundary": boundary,
            "invalid": invalid, "boundary_pct": _pct(boundary, reachable), "invalid_pct": _pct(invalid, breakable)}


def _report(per_op: dict) -> dict:
    totals: dict = defaultdict(int)
    by_kind: dict = defaultdict(lambda: defaultdict(int))
    for row in per_op.values():
        for key in ("constraints", "reachable", "breakable", "boundary", "invalid", "type_members", "members",
                    "keys"):
            totals[key] += row.get(key, 0)
        totals["trivial"] += len(row.get("trivial", {}))
        for kind, counts in row["kinds"].items():
            by_kind[kind]["constraints"] += counts["constraints"]
            by_kind[kind]["breakable"] += counts["breakable"]
            by_kind[kind]["boundary"] += counts["constraints"]
            by_kind[kind]["invalid"] += counts["breakable"]
        for rule in list(row["missing_boundary"]) + list(row.get("unreachable", {})):
            by_kind[_kind(rule)]["boundary"] -= 1
        for rule in list(row.get("unreachable", {})):
            by_kind[_kind(rule)]["unreachable"] += 1
        for rule in row["missing_invalid"]:
            by_kind[_kind(rule)]["invalid"] -= 1
    overall = dict(totals)
    overall["boundary_pct"] = _pct(totals["boundary"], totals["reachable"])
    overall["invalid_pct"] = _pct(totals["invalid"], totals["breakable"])
    return {"definition": DEFINITION, "overall": overall,
            "by_kind": {k: dict(v) for k, v in sorted(by_kind.items(), key=lambda kv: _kind_order(kv[0]))},
            "operations": per_op}


def merge(reports: list[dict]) -> dict:
    """Coverage sections of runs over the same spec (pytest-xdist workers) as one: a constraint
    is exercised when any of them exercised it."""
    per_op: dict = {}
    for report in reports:
        for name, row in report.get("operations", {}).items():
            if name not in per_op:
                per_op[name] = dict(row)
                continue
            seen = per_op[name]
            seen["missing_boundary"] = [r for r in seen["missing_boundary"] if r in set(row["missing_boundary"])]
            seen["missing_invalid"] = [r for r in seen["missing_invalid"] if r in set(row["missing_invalid"])]
            seen["type_members"] = max(seen["type_members"], row["type_members"])
            seen["request_defects"] = sorted(set(seen["request_defects"]) | set(row["request_defects"]))
    return _report({name: _counted(row) for name, row in sorted(per_op.items())})


def merge_into(document: dict, reports: list[dict]) -> None:
    """Put the merged coverage, and one summary section for it, into a merged results document."""
    document["coverage"] = merged = merge(reports)
    sections = [s for s in document.get("summary_sections", []) if s.get("title") != SECTION_TITLE]
    document["summary_sections"] = sections + [{"title": SECTION_TITLE, "lines": summary_lines(merged)}]


def _kind_order(kind: str) -> int:
    return KINDS.index(kind) if kind in KINDS else len(KINDS)


def summary_lines(report: dict) -> list[str]:
    o = report["overall"]
    ops = report["operations"]
    unreachable = {r: why for row in ops.values() for r, why in row.get("unreachable", {}).items()}
    trivial = {r: why for row in ops.values() for r, why in row.get("trivial", {}).items()}
    lines = [
        f"**Boundary-valid: {o['boundary_pct']}%** ({o['boundary']} of {o['reachable']} reachable edges; "
        f"{o['constraints'] - o['reachable']} cannot be reached) · "
        f"**invalid: {o['invalid_pct']}%** ({o['invalid']} of {o['breakable']} breakable; "
        f"{o['constraints'] - o['breakable']} cannot be broken alone) · "
        f"wrong JSON type tried on {o['type_members']} of {o['members']} members"
        + (f" ({o.get('keys', 0)} map keys apart: a JSON key is always a string)" if o.get("keys") else "")
        + (f" · {o.get('trivial', 0)} trivial, not counted" if o.get("trivial") else ""),
        "",
        "| constraint | count | boundary-valid | invalid |",
        "|---|---|---|---|",
    ]
    for kind, row in report["by_kind"].items():
        lines.append(f"| {kind} | {row['constraints']} | {row['boundary']}"
                     + (f" (+{row['unreachable']} unreachable)" if row.get("unreachable") else "")
                     + f" | {row['invalid']} of {row['breakable']} |")
    short_b = {n: r for n, r in ops.items() if r["boundary_pct"] < 100}
    short_i = {n: r for n, r in ops.items() if r["invalid_pct"] < 100}
    lines.append("")
    if not short_b and not short_i:
        lines.append(f"Every one of the {len(ops)} operations is at 100% on both.")
    else:
        for name, row in sorted({**short_b, **short_i}.items()):
            lines.append(f"- {name}: boundary-valid {row['boundary_pct']}%, invalid {row['invalid_pct']}%"
                         + (f"; not exercised: {', '.join((row['missing_boundary'] + row['missing_invalid'])[:4])}"
                            if row["missing_boundary"] or row["missing_invalid"] else ""))
    if unreachable:
        lines += ["", "Edges no request can reach:", ""]
        lines += [f"- `{rule}`: {why}" for rule, why in sorted(unreachable.items())]
    if trivial:
        reasons = sorted(set(trivial.values()))
        lines += ["", f"Not counted ({len(trivial)}): " + "; ".join(reasons) + ": "
                  + ", ".join(f"`{r}`" for r in sorted(trivial)[:6]) + (" …" if len(trivial) > 6 else "")]
    lines.append("")
    lines.append(f"_{report['definition']}._")
    return lines


__all__ = ["coverage", "merge", "merge_into", "summary_lines", "read_back", "exercised", "unreachable_edges",
           "DEFINITION", "SECTION_TITLE"]
