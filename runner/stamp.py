"""Marking what a run creates with the run's id: a name prefix and, where taggable, a tag.

A resource a run leaves behind (a killed process, a lost answer) must be findable later by
`sweep`: by name prefix `pc-<run>-` on every type, and by the tag `personalize-conformance:run-id`
on the taggable ones. Under pytest-xdist the worker id follows the run id, so two workers never
ask for the same name.

Generated create requests are stamped before they are sent *and* recorded, so reports and
reproductions show exactly the bytes that went out. A stamp never moves the edge a case is
about: a name the case aims at (its length, its pattern) goes out as generated, and a case about
the tag list, or an object with its required members only, gets no tag; such resources are
found by the ARN their create answered. Only names the spec accepts are stamped (a deliberately
invalid name stays invalid), and the stamped name keeps within the member's maximum length.
Lifecycle sequences choose their own names and are left alone.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import time

import regex

NAME_PREFIX = "pc-"
TAG_KEY = "personalize-conformance:run-id"
NAME_MEMBERS = ("name", "jobName")
STAMPED_FAMILIES = ("valid", "boundary", "invalid")
MAX_TOKEN = 24
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


def run_token(run_id: str) -> str:
    """The run id as it appears in names: letters, digits, `-` and `_` only, at most 24 long."""
    token = _UNSAFE.sub("-", run_id).strip("-_") or "run"
    if len(token) > MAX_TOKEN:
        token = token[:MAX_TOKEN - 7] + "-" + hashlib.sha1(run_id.encode()).hexdigest()[:6]
    return token


def name_prefix(run_id: str | None = None, worker: str | None = None) -> str:
    """`pc-<run>-` (and `<worker>-`), or `pc-` for every run's resources."""
    if run_id is None:
        return NAME_PREFIX
    prefix = f"{NAME_PREFIX}{run_token(run_id)}-"
    return prefix + (f"{run_token(worker)}-" if worker else "")


def stamped_name(name: str, prefix: str, max_length: int = 63) -> str:
    """`prefix + name`, cut to `max_length` with a digest of `name` so cut names stay distinct."""
    if name.startswith(prefix):
        return name
    full = prefix + name
    if len(full) <= max_length:
        return full
    digest = hashlib.sha1(name.encode("utf-8")).hexdigest()[:6]
    keep = max(0, max_length - len(prefix) - len(digest) - 1)
    return (prefix + name[:keep] + "-" + digest)[:max_length]


def run_started(name: str) -> float | None:
    """When the run that stamped `name` started, read off a default run id (`20261126T231638-…`)."""
    m = re.match(rf"^{re.escape(NAME_PREFIX)}(\d{{8}}T\d{{6}})-", name or "")
    if not m:
        return None
    try:
        return float(time.mktime(time.strptime(m.group(1), "%Y%m%dT%H%M%S")) - time.timezone)
    except (ValueError, OverflowError):
        return None


def _fits(value, schema: dict) -> bool:
    if not isinstance(value, str):
        return False
    if not schema.get("minLength", 0) <= len(value) <= schema.get("maxLength", 63):
        return False
    pattern = schema.get("x-aws-pattern")
    return pattern is None or regex.match(pattern, value) is not None


def stamp_params(operation, params: dict, prefix: str, run_id: str, aimed: frozenset = frozenset()) -> dict | None:
    """A create request's params with the stamped name and run tag; None when nothing changes.
    `aimed`: the top-level members whose value the case is about, left as they are (`tags`
    there also means: add no tag; `*` means: add no member at all)."""
    props = (operation.request_schema or {}).get("properties", {})
    out = dict(params)
    changed = False
    for member in NAME_MEMBERS:
        schema = props.get(member)
        if member in aimed:
            break
        if schema and _fits(params.get(member), schema):
            new = stamped_name(params[member], prefix, schema.get("maxLength", 63))
            if new != params[member] and _fits(new, schema):
                out[member], changed = new, True
            break
    tags_schema = props.get("tags")
    tags = params.get("tags", [])
    if "tags" in aimed or ("*" in aimed and "tags" not in params):
        return out if changed else None
    if tags_schema and isinstance(tags, list) and all(isinstance(t, dict) for t in tags) \
            and len(tags) < tags_schema.get("maxItems", 50) and len(tags) < 50 \
            and not any(t.get("tagKey") == TAG_KEY for t in tags):
        out["tags"] = [*tags, {"tagKey": TAG_KEY, "tagValue": run_id}]
        changed = True
    return out if changed else None


def aimed_members(case) -> frozenset:
    """The top-level members a case's edge is about, read off its rule and the rules it covers:
    `CreateSchema.name.maxLength` is about `name`; `CreateSchema.required` (the required members
    only) about the set of members itself, `*`."""
    out = set()
    for rule in (case.rule, *case.covers):
        if not rule or case.family == "valid":
            continue
        rest = rule.split(".", 1)[1] if "." in rule else ""
        parts = rest.split(".")
        if len(parts) <= 2 and parts[-1] == "required":
            out.add("*")  # `Op.required`, `Op.name.required`: which members are there is the point
        elif len(parts) >= 2:
            out.add(parts[0].split("[", 1)[0].split("{", 1)[0])
    return frozenset(out)


def stamp_case(case, spec, prefix: str, run_id: str):
    """The case with its create request stamped; the same case when it is not a create, cannot
    be read as a JSON object, or belongs to a lifecycle sequence."""
    operation = spec.operations.get(case.operation)
    if operation is None or operation.kind != "create" or case.family not in STAMPED_FAMILIES:
        return case
    params = case.params
    if params is None:
        try:
            params = json.loads(case.body.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            return case
    if not isinstance(params, dict):
        return case
    stamped = stamp_params(operation, params, prefix, run_id, aimed_members(case))
    if stamped is None:
        return case
    body = json.dumps(stamped, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return dataclasses.replace(case, body=body, params=stamped if case.params is not None else None)


__all__ = ["NAME_PREFIX", "TAG_KEY", "run_token", "name_prefix", "stamped_name", "stamp_params",
           "stamp_case", "run_started"]
