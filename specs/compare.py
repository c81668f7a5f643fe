"""The one spec comparer: what changed between two descriptions of the API.

Used by `drift` (its report is `reporting/drift.py`) and by the spec comparison test (the
botocore-built document against the APIs.guru conversion): both want the same facts, in the terms
a user acts on. Operations and shapes added or removed, constraints tightened or loosened, errors,
members and required members added or removed. Shapes are compared by name as the documents
define them (both the APIs.guru conversion and the botocore-built document name components after
the model's shapes), before the patch layer, so the drift is the documents' own. Each shape change
says whether the shape is used in requests, responses or both: a tightened request constraint can
break callers, a loosened response constraint can break readers.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass

LOWER = ("minLength", "minimum", "minItems", "minProperties")
UPPER = ("maxLength", "maximum", "maxItems", "maxProperties")
OTHER = ("exclusiveMinimum", "exclusiveMaximum", "multipleOf", "uniqueItems")
ZERO_IS_NONE = ("minLength", "minItems", "minProperties")  # a lower bound of 0 bounds nothing
TIGHTENED, LOOSENED, CHANGED = "tightened", "loosened", "changed"


@dataclass
class Change:
    kind: str        # operation-added, error-removed, constraint, member-added, required-added, ...
    subject: str     # Operation, Shape or Shape.member
    detail: str      # one line for a person
    keyword: str = ""
    before: object = None
    after: object = None
    direction: str = ""  # tightened | loosened | changed, where that means something
    used_in: str = ""    # request | response | request+response | unused, for shapes

    def to_dict(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v not in ("", None) or k in ("before", "after")}


def _ref_name(node) -> str | None:
    """The shape a schema node stands for: `$ref`, or the `$ref` inside `allOf: [$ref, {description}]`."""
    if not isinstance(node, dict):
        return None
    if "$ref" in node:
        return str(node["$ref"]).rsplit("/", 1)[-1]
    for part in node.get("allOf", ()) if isinstance(node.get("allOf"), list) else ():
        if isinstance(part, dict) and "$ref" in part:
            return str(part["$ref"]).rsplit("/", 1)[-1]
    return None


def _schemas(spec) -> dict:
    raw = spec.raw.get("components", {}).get("schemas", {}) if isinstance(spec.raw, dict) else {}
    return {k: v for k, v in raw.items() if isinstance(v, dict)} if isinstance(raw, dict) else {}


def _refs_in(node):
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if isinstance(item.get("$ref"), str):
                yield item["$ref"].rsplit("/", 1)[-1]
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def shapes_reached(spec, roots) -> set[str]:
    """Every shape reachable from the shapes named in `roots`, themselves included."""
    schemas = _schemas(spec)
    todo, seen = list(roots), set()
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo.extend(_refs_in(schemas.get(name, {})))
    return seen


def usage(spec) -> dict[str, set[str]]:
    """shape → {"request", "response"}: where the operations reach it from."""
    used: dict[str, set[str]] = defaultdict(set)
    for side in ("request", "response"):
        refs = {getattr(op, f"{side}_ref") for op in spec.operations.values()}
        for name in shapes_reached(spec, {ref.rsplit("/", 1)[-1] for ref in refs if ref}):
            used[name].add(side)
    return used


def _bound(keyword: str, before, after) -> str:
    if before is None:
        return TIGHTENED
    if after is None:
        return LOOSENED
    try:
        stricter = after > before if keyword in LOWER else after < before
    except TypeError:
        return CHANGED
    return TIGHTENED if stricter else LOOSENED


def _value(node: dict, keyword: str):
    value = node.get(keyword)
    return None if keyword in ZERO_IS_NONE and value == 0 else value


def constraint_changes(subject: str, a: dict, b: dict) -> list[Change]:
    """Constraints on one schema node: bounds, enum, pattern and the rarer keywords."""
    out = []
    for keyword in LOWER + UPPER:
        before, after = _value(a, keyword), _value(b, keyword)
        if before != after:
            direction = _bound(keyword, before, after)
            what = (f"{keyword} {before} → {after}" if before is not None and after is not None
                    else f"{keyword} {after} added" if before is None else f"{keyword} {before} removed")
            out.append(Change("constraint", subject, f"{what} ({direction})", keyword, before, after, direction))
    enum_a, enum_b = a.get("enum"), b.get("enum")
    if enum_a != enum_b:
        if enum_a is None or enum_b is None:
            direction = TIGHTENED if enum_a is None else LOOSENED
            detail = f"enum {'added' if enum_a is None else 'removed'} ({direction})"
            out.append(Change("constraint", subject, detail, "enum", enum_a, enum_b, direction))
        elif not (isinstance(enum_a, list) and isinstance(enum_b, list)):
            out.append(Change("constraint", subject, f"enum {enum_a!r} → {enum_b!r} ({CHANGED})",
                              "enum", enum_a, enum_b, CHANGED))
        else:
            added = [v for v in enum_b if v not in enum_a]
            removed = [v for v in enum_a if v not in enum_b]
            if removed:
                out.append(Change("constraint", subject, f"enum values removed {removed} ({TIGHTENED})",
                                  "enum", enum_a, enum_b, TIGHTENED))
            if added:
                out.append(Change("constraint", subject, f"enum values added {added} ({LOOSENED})",
                                  "enum", enum_a, enum_b, LOOSENED))
    pat_a, pat_b = a.get("pattern"), b.get("pattern")
    if pat_a != pat_b:
        direction = TIGHTENED if pat_a is None else LOOSENED if pat_b is None else CHANGED
        detail = (f"pattern added {pat_b!r}" if pat_a is None else f"pattern removed {pat_a!r}"
                  if pat_b is None else f"pattern {pat_a!r} → {pat_b!r}")
        out.append(Change("constraint", subject, f"{detail} ({direction})", "pattern", pat_a, pat_b, direction))
    for keyword in OTHER:
        if a.get(keyword) != b.get(keyword):
            out.append(Change("constraint", subject, f"{keyword} {a.get(keyword)} → {b.get(keyword)} ({CHANGED})",
                              keyword, a.get(keyword), b.get(keyword), CHANGED))
    return out


def _kind_of(node: dict) -> tuple:
    return (node.get("type"), node.get("format"), _ref_name(node.get("items")),
            _ref_name(node.get("additionalProperties")))


def shape_changes(name: str, a: dict, b: dict) -> list[Change]:
    out = []
    if _kind_of(a) != _kind_of(b):
        out.append(Change("type-changed", name, f"type {_describe(a)} → {_describe(b)}",
                          "type", _describe(a), _describe(b), CHANGED))
    out += constraint_changes(name, a, b)
    req_a = set(a.get("required") or ()) if isinstance(a.get("required"), list) else set()
    req_b = set(b.get("required") or ()) if isinstance(b.get("required"), list) else set()
    for member in sorted(req_b - req_a):
        out.append(Change("required-added", f"{name}.{member}", "member became required", "required",
                          False, True, TIGHTENED))
    for member in sorted(req_a - req_b):
        out.append(Change("required-removed", f"{name}.{member}", "member no longer required", "required",
                          True, False, LOOSENED))
    props_a = a.get("properties") if isinstance(a.get("properties"), dict) else {}
    props_b = b.get("properties") if isinstance(b.get("properties"), dict) else {}
    for member in sorted(set(props_b) - set(props_a)):
        out.append(Change("member-added", f"{name}.{member}", f"member added ({_ref_name(props_b[member]) or 'inline'})"))
    for member in sorted(set(props_a) - set(props_b)):
        out.append(Change("member-removed", f"{name}.{member}", "member removed"))
    for member in sorted(set(props_a) & set(props_b)):
        pa, pb = props_a[member], props_b[member]
        if not (isinstance(pa, dict) and isinstance(pb, dict)):
            continue
        ra, rb = _ref_name(pa), _ref_name(pb)
        if ra != rb or (ra is None and _kind_of(pa) != _kind_of(pb)):
            out.append(Change("type-changed", f"{name}.{member}",
                              f"member shape {ra or _describe(pa)} → {rb or _describe(pb)}", "type",
                              ra or _describe(pa), rb or _describe(pb), CHANGED))
        out += constraint_changes(f"{name}.{member}", pa, pb)  # constraints written on the member itself
    return out


def _describe(node: dict) -> str:
    kind, fmt, items, values = _kind_of(node)
    text = str(kind or "any") + (f"({fmt})" if fmt else "")
    if items:
        text += f"[{items}]"
    if values:
        text += f"{{{values}}}"
    return text


def _short(ref: str | None) -> str | None:
    return ref.rsplit("/", 1)[-1] if ref else None


def operation_changes(spec_a, spec_b) -> list[Change]:
    ops_a, ops_b = spec_a.operations, spec_b.operations
    out = [Change("operation-added", n, "operation added") for n in sorted(set(ops_b) - set(ops_a))]
    out += [Change("operation-removed", n, "operation removed") for n in sorted(set(ops_a) - set(ops_b))]
    for name in sorted(set(ops_a) & set(ops_b)):
        a, b = ops_a[name], ops_b[name]
        for error in sorted(set(b.errors) - set(a.errors)):
            out.append(Change("error-added", name, f"declares {error}", "errors", None, error))
        for error in sorted(set(a.errors) - set(b.errors)):
            out.append(Change("error-removed", name, f"no longer declares {error}", "errors", error, None))
        for side, ra, rb in (("input", a.request_ref, b.request_ref), ("output", a.response_ref, b.response_ref)):
            if _short(ra) != _short(rb):
                out.append(Change(f"{side}-changed", name, f"{side} shape {_short(ra)} → {_short(rb)}",
                                  side, _short(ra), _short(rb), CHANGED))
    return out


def compare(spec_a, spec_b) -> list[Change]:
    """Every change from `spec_a` to `spec_b`, operations first, then shapes by name."""
    changes = operation_changes(spec_a, spec_b)
    shapes_a, shapes_b = _schemas(spec_a), _schemas(spec_b)
    used_a, used_b = usage(spec_a), usage(spec_b)

    def where(name: str, used: dict) -> str:
        return "+".join(s for s in ("request", "response") if s in used.get(name, ())) or "unused"

    for name in sorted(set(shapes_b) - set(shapes_a)):
        changes.append(Change("shape-added", name, "shape added", used_in=where(name, used_b)))
    for name in sorted(set(shapes_a) - set(shapes_b)):
        changes.append(Change("shape-removed", name, "shape removed", used_in=where(name, used_a)))
    for name in sorted(set(shapes_a) & set(shapes_b)):
        for change in shape_changes(name, shapes_a[name], shapes_b[name]):
            change.used_in = where(name, used_b)
            changes.append(change)
    return changes


SECTIONS = (
    ("operations added", lambda c: c.kind == "operation-added"),
    ("operations removed", lambda c: c.kind == "operation-removed"),
    ("operation inputs or outputs changed", lambda c: c.kind in ("input-changed", "output-changed")),
    ("errors added", lambda c: c.kind == "error-added"),
    ("errors removed", lambda c: c.kind == "error-removed"),
    ("constraints tightened", lambda c: c.kind == "constraint" and c.direction == TIGHTENED),
    ("constraints loosened", lambda c: c.kind == "constraint" and c.direction == LOOSENED),
    ("constraints changed", lambda c: c.kind == "constraint" and c.direction == CHANGED),
    ("members became required", lambda c: c.kind == "required-added"),
    ("members no longer required", lambda c: c.kind == "required-removed"),
    ("types changed", lambda c: c.kind == "type-changed"),
    ("members added", lambda c: c.kind == "member-added"),
    ("members removed", lambda c: c.kind == "member-removed"),
    ("shapes added", lambda c: c.kind == "shape-added"),
    ("shapes removed", lambda c: c.kind == "shape-removed"),
)


def summary(changes: list[Change]) -> dict[str, int]:
    return {title: sum(1 for c in changes if test(c)) for title, test in SECTIONS}
