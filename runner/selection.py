"""`--include` / `--exclude`: which operations, families and check rules a run keeps.

A pattern is a glob, optionally prefixed by what it selects: `operation:Create*`, `family:invalid`,
`rule:schema.*` (`check:` is the same as `rule:`). Without a prefix it selects whatever it matches
among the spec's operations, the families and the rules, in that order; a pattern that matches
nothing is an error, since a typo would otherwise select nothing in silence. Per kind, includes
keep only what they match, then excludes take away. The gates (`target.*`, `harness`) are never
filtered: they say whether anything could be judged at all.
"""
from __future__ import annotations

import fnmatch
from dataclasses import dataclass

from personalize_conformance.errors import UsageError

KINDS = ("operation", "family", "rule")
ALIASES = {"operation": "operation", "op": "operation", "family": "family", "rule": "rule", "check": "rule"}
FAMILIES = ("valid", "boundary", "invalid", "lifecycle")
ALWAYS_KEPT = ("target.", "harness")


def known_rules() -> list[str]:
    from personalize_conformance.checks import CHECKS
    from personalize_conformance.checks.contracts import CONTRACTS
    return sorted(r for r in {*CHECKS, *CONTRACTS} if not r.startswith(ALWAYS_KEPT))


@dataclass(frozen=True)
class Selection:
    """Patterns per kind: `include[kind]` and `exclude[kind]` are tuples of globs."""
    include: dict
    exclude: dict
    operations_all: tuple = ()

    @classmethod
    def parse(cls, include, exclude, operations) -> "Selection":
        names = {"operation": list(operations), "family": list(FAMILIES), "rule": known_rules()}
        sides = {"include": {k: [] for k in KINDS}, "exclude": {k: [] for k in KINDS}}
        for side, patterns in (("include", include or ()), ("exclude", exclude or ())):
            for raw in patterns:
                kind, pattern = _split(raw, side)
                kinds = [k for k in ([kind] if kind else KINDS) if _matches(names[k], pattern)]
                if not kinds:
                    raise UsageError(f"--{side} {raw!r} matches no {kind or 'operation, family or rule'} "
                                     f"(families: {', '.join(FAMILIES)}; rules: the check names of a "
                                     "report, e.g. schema.response, lifecycle.settles)")
                sides[side][kinds[0]].append(pattern)
        return cls({k: tuple(v) for k, v in sides["include"].items()},
                   {k: tuple(v) for k, v in sides["exclude"].items()}, tuple(operations))

    def keeps(self, kind: str, name: str) -> bool:
        inc, exc = self.include.get(kind, ()), self.exclude.get(kind, ())
        if inc and not any(fnmatch.fnmatchcase(name, p) for p in inc):
            return False
        return not any(fnmatch.fnmatchcase(name, p) for p in exc)

    def operations(self, names) -> list[str]:
        return [n for n in names if self.keeps("operation", n)]

    @property
    def families(self) -> tuple[str, ...]:
        return tuple(f for f in FAMILIES if self.keeps("family", f))

    def keeps_rule(self, rule: str) -> bool:
        return rule.startswith(ALWAYS_KEPT) or self.keeps("rule", rule)

    @property
    def filters_rules(self) -> bool:
        return bool(self.include["rule"] or self.exclude["rule"])

    def describe(self) -> dict:
        """What the report records of the selection (only what was asked for)."""
        out = {}
        for side, table in (("include", self.include), ("exclude", self.exclude)):
            chosen = {k: list(v) for k, v in table.items() if v}
            if chosen:
                out[side] = chosen
        return out


def _matches(names, pattern: str) -> bool:
    return any(fnmatch.fnmatchcase(n, pattern) for n in names)


def _split(raw: str, side: str) -> tuple[str | None, str]:
    text = (raw or "").strip()
    if not text:
        raise UsageError(f"--{side} needs a pattern, e.g. 'Create*', 'family:invalid', 'rule:schema.*'")
    head, sep, tail = text.partition(":")
    if sep and head.lower() in ALIASES:
        if not tail:
            raise UsageError(f"--{side} {raw!r}: nothing after '{head}:'")
        return ALIASES[head.lower()], tail
    return None, text


def filter_findings(records, selection: Selection) -> None:
    """Drop the findings of rules the selection leaves out, in place."""
    if not selection.filters_rules:
        return
    for record in records:
        record.findings = [f for f in record.findings if selection.keeps_rule(f.rule)]


__all__ = ["Selection", "FAMILIES", "known_rules", "filter_findings"]
