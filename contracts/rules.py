"""Cross-resource rules (`rules.yaml`) and lifecycles (`lifecycles.yaml`) as objects."""
from __future__ import annotations

import pathlib
import re
from dataclasses import dataclass
from functools import lru_cache

import yaml

from .citations import Citation
from .machines import Machine, build_machine

HERE = pathlib.Path(__file__).resolve().parent


@dataclass(frozen=True)
class Uniqueness:
    rule: str
    types: tuple[str, ...] | str  # "*": every type with a name member
    expect: tuple[str, ...]
    same: tuple[str, ...] = ()    # members the second create keeps (its name changes)
    cite: Citation | None = None


@dataclass(frozen=True)
class Dependency:
    parent: str
    child: str
    cite: Citation
    documented: bool = True
    ancestor: bool = False
    while_busy: bool = False


@dataclass(frozen=True)
class Cascade:
    parent: str
    child: str
    gone: bool
    cite: Citation


@dataclass(frozen=True)
class ActiveParent:
    child: str
    member: str
    cite: Citation


@lru_cache(maxsize=1)
def _rules() -> dict:
    return yaml.safe_load((HERE / "rules.yaml").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _lifecycles() -> dict:
    return yaml.safe_load((HERE / "lifecycles.yaml").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def machines() -> dict[tuple[str, str], Machine]:
    """(resource type, status member) → machine."""
    return {(rtype, member): build_machine(rtype, member, data)
            for rtype, members in _lifecycles().items() for member, data in members.items()}


def machine(rtype: str, member: str = "status") -> Machine | None:
    return machines().get((rtype, member))


def reference_expect() -> tuple[str, ...]:
    return tuple(_rules()["reference"]["expect"])


@lru_cache(maxsize=1)
def uniqueness() -> tuple[Uniqueness, ...]:
    out = []
    for r in _rules()["uniqueness"]:
        types = r["types"] if r["types"] == "*" else tuple(r["types"])
        out.append(Uniqueness(rule=r["rule"], types=types, expect=tuple(r["expect"]),
                              same=tuple(r.get("same", ())),
                              cite=Citation.of(r["cite"]) if r.get("cite") else None))
    return tuple(out)


@lru_cache(maxsize=1)
def dependencies() -> tuple[Dependency, ...]:
    return tuple(Dependency(parent=r["parent"], child=r["child"], cite=Citation.of(r["cite"]),
                            documented=r.get("documented", True), ancestor=r.get("ancestor", False),
                            while_busy=r.get("while_busy", False))
                 for r in _rules()["dependencies"]["rules"])


@lru_cache(maxsize=1)
def cascades() -> tuple[Cascade, ...]:
    return tuple(Cascade(parent=r["parent"], child=r["child"], gone=bool(r["gone"]), cite=Citation.of(r["cite"]))
                 for r in _rules().get("cascades") or ())


def dependency_expect() -> tuple[str, ...]:
    return tuple(_rules()["dependencies"]["expect"])


@lru_cache(maxsize=1)
def active_parents() -> tuple[ActiveParent, ...]:
    return tuple(ActiveParent(child=r["child"], member=r["member"], cite=Citation.of(r["cite"]))
                 for r in _rules()["active_parents"]["rules"])


def active_parent_expect() -> tuple[str, ...]:
    return tuple(_rules()["active_parents"]["expect"])


def arn_form(rtype: str) -> str | None:
    """How `rtype`'s ARN is made (`rules.yaml` arn_names), or None where no recorded ARN shows it."""
    return (_rules().get("arn_names") or {}).get(rtype)


_SLOT = re.compile(r"\{(\w+)(?::(upper))?\}|\*")


def arn_pattern(form: str, values: dict) -> re.Pattern | None:
    """The resource part `form` gives for `values`, as a pattern; None when a member it names is missing."""
    out, at = [], 0
    for m in _SLOT.finditer(form):
        out.append(re.escape(form[at:m.start()]))
        at = m.end()
        if m.group(0) == "*":
            out.append("[^/]+")
            continue
        value = values.get(m.group(1))
        if not isinstance(value, str) or not value:
            return None
        if value.startswith("arn:"):  # a parent stands for its own name part
            value = value.split(":", 5)[-1].split("/", 1)[-1]
        out.append(re.escape(value.upper() if m.group(2) else value))
    out.append(re.escape(form[at:]))
    return re.compile("".join(out))


def arn_problem(form: str, arn: str, values: dict) -> str | None:
    """Why `arn` is not what `form` makes of `values`; None when it is (or cannot be told)."""
    pattern = arn_pattern(form, values)
    if pattern is None:
        return None
    resource = arn.split(":", 5)[-1] if arn.count(":") >= 5 else arn
    if pattern.fullmatch(resource):
        return None
    example = _SLOT.sub(lambda m: "<id>" if m.group(0) == "*" else "{%s}" % m.group(1), form)
    return (f"its resource part {resource!r} does not embed what it was created with; recorded AWS ARNs "
            f"of its type are {example}")


def tag_limit() -> int:
    return int(_rules()["tags"]["max_per_resource"])


def cite(section: str, name: str) -> Citation:
    """A named citation of a rules section (`tags`, `pagination`, `consistency`)."""
    return Citation.of(_rules()[section]["cite"][name])


def all_citations() -> list[tuple[str, Citation]]:
    """Every phrase or error citation in the contract data, labelled by where it sits (for the
    drift test; a machine's `sources` are locations, checked by extracting statuses from them)."""
    out: list[tuple[str, Citation]] = []
    for (rtype, member), m in machines().items():
        out += [(f"lifecycles {rtype}.{member}.{a}", f.cite) for a, f in m.flows.items()]
        out += [(f"lifecycles {rtype}.{member}.{a} observed", c) for a, f in m.flows.items() for _, c in f.observed]
    for u in uniqueness():
        if u.cite:
            out.append((f"rules {u.rule} {u.types}", u.cite))
    out += [(f"rules dependency {d.parent}<-{d.child}", d.cite) for d in dependencies()]
    out += [(f"rules active-parent {a.child}.{a.member}", a.cite) for a in active_parents()]
    out += [(f"rules cascade {c.parent}->{c.child}", c.cite) for c in cascades()]
    for section in ("tags", "pagination", "consistency"):
        out += [(f"rules {section}.{name}", Citation.of(c)) for name, c in _rules()[section]["cite"].items()]
    return out
