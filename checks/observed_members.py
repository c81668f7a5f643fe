"""`schema.observed-members` (observed): a 200 answer holds every member AWS was seen to answer
every time.

The model marks no output member required, so the response schema passes an answer without a
campaign's status or a Create without its ARN. What a client can count on is what AWS always
sends: the members present in every complete recorded answer of the operation
(`contracts.observed.always_answered`). A member inside a list item is required of each item,
and one inside an object only where that object is present.
"""
from __future__ import annotations

from .context import parse_json
from .findings import SKIP, fail
from .registry import check


def _nodes(value, parts: list[str]):
    """The values at a `$.a[].b` path's parent parts, as many as the answer holds."""
    if not parts:
        yield value
        return
    head, rest = parts[0], parts[1:]
    if head.endswith("[]"):
        items = value.get(head[:-2]) if isinstance(value, dict) else None
        for item in items if isinstance(items, list) else ():
            yield from _nodes(item, rest)
    elif isinstance(value, dict) and value.get(head) is not None:
        yield from _nodes(value[head], rest)


def missing(body: dict, paths) -> list[str]:
    """The paths of `paths` absent where their parent is present in `body`."""
    out = []
    for path in sorted(paths):
        parts = path[2:].split(".")
        leaf = parts[-1]
        for node in _nodes(body, parts[:-1]):
            if isinstance(node, dict) and node.get(leaf) is None:
                out.append(path)
                break
    return out


@check("schema.observed-members",
       source="Observed AWS traffic: the members present in every complete recorded answer of the operation "
              "(contracts/observations/), which a client can count on though the model requires none")
def observed_members(case, response, ctx):
    from personalize_conformance.contracts.observed import always_answered
    want = always_answered().get(case.operation)
    if response.status != 200 or not want:
        yield SKIP
        return
    try:
        body = parse_json(response.body) if response.body.strip() else {}
    except ValueError:
        yield SKIP  # wire.json-body reports it
        return
    if not isinstance(body, dict):
        yield SKIP
        return
    for path in missing(body, want)[:5]:
        yield fail(f"{path} is missing; AWS was seen to answer it every time {case.operation} succeeded")
