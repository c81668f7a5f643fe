"""The resource catalogue (`resources.yaml`) as objects: one `ResourceType` per Personalize type."""
from __future__ import annotations

import pathlib
from dataclasses import dataclass, field
from functools import lru_cache

import yaml

HERE = pathlib.Path(__file__).resolve().parent
KINDS = ("create", "describe", "list", "update", "delete", "stop", "start", "other")


@dataclass(frozen=True)
class ResourceType:
    key: str
    operations: dict[str, str]
    arn: str
    describe_key: str
    list_key: str
    name: str
    status: str | None
    arn_resource: str
    taggable: bool
    parents: dict[str, str]
    list_filter: str | None = None
    create: dict = field(default_factory=dict)
    variants: dict[str, dict] = field(default_factory=dict)
    chain: str | None = None
    echo_ignore_case: tuple[str, ...] = ()

    def op(self, kind: str) -> str | None:
        return self.operations.get(kind)

    @property
    def label(self) -> str:
        return self.key.replace("-", " ")

    def matches_arn(self, arn: str) -> bool:
        """True when `arn`'s resource part has this type's shape (`solution/*/*`)."""
        resource = arn.split(":", 5)[-1] if arn.count(":") >= 5 else ""
        want = self.arn_resource.split("/")
        got = resource.split("/")
        return len(got) == len(want) and got[0] == want[0] and all(got[1:])


@dataclass(frozen=True)
class Update:
    resource: str
    request: dict
    via: str | None = None
    needs: dict[str, str] = field(default_factory=dict)
    reflect: dict | None = None


@lru_cache(maxsize=1)
def _raw() -> dict:
    return yaml.safe_load((HERE / "resources.yaml").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def resource_types() -> dict[str, ResourceType]:
    raw = _raw()
    out = {}
    for key, data in raw.items():
        if key in ("references", "updates"):
            continue
        data = dict(data)
        data["echo_ignore_case"] = tuple(data.get("echo_ignore_case", ()))
        data["create"] = data.get("create") or {}
        data["variants"] = data.get("variants") or {}
        out[key] = ResourceType(key=key, **data)
    return out


def resource_type(key: str) -> ResourceType:
    try:
        return resource_types()[key]
    except KeyError:
        raise KeyError(f"unknown resource type {key!r}; known: {', '.join(resource_types())}") from None


@lru_cache(maxsize=1)
def references() -> dict[str, str]:
    """ARN-holding member → the type it refers to."""
    return dict(_raw()["references"])


@lru_cache(maxsize=1)
def updates() -> dict[str, Update]:
    return {key: Update(resource=key, request=data.get("request") or {}, via=data.get("via"),
                        needs=data.get("needs") or {}, reflect=data.get("reflect"))
            for key, data in _raw()["updates"].items()}


def type_of_arn(arn: str) -> ResourceType | None:
    """The catalogue type an ARN names, from its resource part; None for recipes and strangers."""
    for rt in resource_types().values():
        if rt.matches_arn(arn):
            return rt
    return None


def ancestors(key: str) -> list[str]:
    """Every type `key` depends on through its parents, nearest first, without repeats."""
    out: list[str] = []
    stack = list(resource_type(key).parents.values())
    while stack:
        parent = stack.pop(0)
        if parent not in out:
            out.append(parent)
            stack.extend(resource_type(parent).parents.values())
    return out


def creation_order() -> list[str]:
    """Types ordered so that every type comes after its parents (teardown walks it backwards)."""
    order: list[str] = []

    def visit(key: str) -> None:
        if key in order:
            return
        for parent in resource_type(key).parents.values():
            visit(parent)
        order.append(key)

    for key in resource_types():
        visit(key)
    return order
