"""Member paths: how a strategy names a place in a request, and reads or writes it.

A path is a tuple of member names with three markers: `[]` for "an item of this list", `{}` for
"a value of this map" and `{key}` for "a key of this map". Rendered, `("tags", "[]", "tagKey")`
reads `tags[].tagKey`; a rule is the operation, the rendered path and the constraint kind:
`CreateSchema.name.maxLength`, `CreateCampaign.campaignConfig.rankingInfluence{key}.enum`.
"""
from __future__ import annotations

ITEM, VALUE, KEY = "[]", "{}", "{key}"
MARKERS = (ITEM, VALUE, KEY)
ROOT: tuple[str, ...] = ()
DELETE = object()  # placed at a path: the member is removed


def render(path: tuple[str, ...]) -> str:
    out = ""
    for part in path:
        out += part if part in MARKERS or not out else "." + part
    return out


def rule_name(operation: str, path: tuple[str, ...], kind: str) -> str:
    where = render(path)
    return f"{operation}.{where}.{kind}" if where else f"{operation}.{kind}"


def member_key(path: tuple[str, ...]) -> str:
    """The last member name with the markers after it: `tags[].tagKey` → `tagKey`,
    `recipeList[]` → `recipeList[]`; what the semantic tables are keyed by."""
    tail = ""
    for part in reversed(path):
        if part in MARKERS:
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
        elif part == KEY:
            schema = schema.get("x-aws-key") or {"type": "string"}
        else:
            schema = schema.get("properties", {}).get(part, {})
    return schema


def get(params, path: tuple[str, ...]):
    """The value at `path` (first list item, first map value or key), or KeyError."""
    node = params
    for part in path:
        if part == ITEM:
            node = node[0]
        elif part == VALUE:
            node = next(iter(node.values()))
        elif part == KEY:
            node = next(iter(node))
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
    if head == KEY:  # the first key renamed to `value`, its value kept, the order kept
        first = next(iter(params))
        return {(value if k == first else k): v for k, v in params.items() if k != value or k == first}
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


def every(params, path: tuple[str, ...]):
    """Every value at `path`: each list item, each map value (or key) along the way; nothing
    where the request does not reach."""
    if not path:
        yield params
        return
    head, rest = path[0], path[1:]
    if head == ITEM:
        if isinstance(params, list):
            for item in params:
                yield from every(item, rest)
    elif head == VALUE:
        if isinstance(params, dict):
            for value in params.values():
                yield from every(value, rest)
    elif head == KEY:
        if isinstance(params, dict) and not rest:
            yield from params
    elif isinstance(params, dict) and head in params:
        yield from every(params[head], rest)
