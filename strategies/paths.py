"""Member paths: how a strategy names a place in a request, and reads or writes it.

A path is a tuple of member names with two markers: `[]` for "an item of this list" and `{}` for
"a value of this map". Rendered, `("tags", "[]", "tagKey")` reads `tags[].tagKey`; a rule is the
operation, the rendered path and the constraint kind: `CreateSchema.name.maxLength`.
"""
from __future__ import annotations

ITEM, VALUE = "[]", "{}"
ROOT: tuple[str, ...] = ()
DELETE = object()  # placed at a path: the member is removed


def render(path: tuple[str, ...]) -> str:
    out = ""
    for part in path:
        out += part if part in (ITEM, VALUE) or not out else "." + part
    return out


def rule_name(operation: str, path: tuple[str, ...], kind: str) -> str:
    where = render(path)
    return f"{operation}.{where}.{kind}" if where else f"{operation}.{kind}"


def member_key(path: tuple[str, ...]) -> str:
    """The last member name with the markers after it: `tags[].tagKey` → `tagKey`,
    `recipeList[]` → `recipeList[]`; what the semantic tables are keyed by."""
    tail = ""
    for part in reversed(path):
        if part in (ITEM, VALUE):
            tail = part + tail
        else:
            return part + tail
    return tail


def schema_at(schema: dict, path: tuple[str, ...]) -> dict:
    for part in path:
        if part == ITEM:
            schema = schema.get("items", {})
        elif part == VALUE:
            schema = schema.get("additionalProperties") or {}
        else:
            schema = schema.get("properties", {}).get(part, {})
    return schema


def get(params, path: tuple[str, ...]):
    """The value at `path` (first list item, first map value), or KeyError."""
    node = params
    for part in path:
        if part == ITEM:
            node = node[0]
        elif part == VALUE:
            node = next(iter(node.values()))
        else:
            node = node[part]
    return node


def place(params: dict, path: tuple[str, ...], value) -> dict:
    """`params` with `value` at `path` (or the member removed, for DELETE); copies what it changes.

    The containers along the path must exist: strategies force them present before placing.
    """
    if not path:
        return value
    head, rest = path[0], path[1:]
    if head == ITEM:
        items = list(params)
        items[0] = place(items[0], rest, value) if rest else value
        return items
    if head == VALUE:
        out = dict(params)
        key = next(iter(out))
        out[key] = place(out[key], rest, value) if rest else value
        return out
    out = dict(params)
    if not rest:
        if value is DELETE:
            out.pop(head, None)
        else:
            out[head] = value
    else:
        out[head] = place(out[head], rest, value)
    return out


def prefixes(path: tuple[str, ...]):
    for i in range(len(path) + 1):
        yield path[:i]
