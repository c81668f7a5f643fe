"""Invariants across the members of one resource, and across reads of it.

- `resource.timestamps`: a resource the account made was created no later than it was last
  updated (every recorded Describe of one holds it; AWS's built-in recipes do not, so they are
  not judged), and its creation time never changes from one read to the next, nor does its
  last update time go back (`stable`, from the docs: "the date and time that the X was created").
- `resource.arn-names`: a Create's ARN embeds the name it was given and, where AWS builds it so,
  the parent it was created under (`contracts/rules.yaml` `arn_names`, each format held to every
  recorded Describe and List answer).
"""
from __future__ import annotations

from .contracts import contract
from .findings import SKIP, fail

CREATED, UPDATED = "creationDateTime", "lastUpdatedDateTime"


def _pairs(value, path: str = "$"):
    """(path, creation, last update) of every object in `value` holding both as numbers."""
    if isinstance(value, dict):
        created, updated = value.get(CREATED), value.get(UPDATED)
        if _number(created) and _number(updated):
            yield path, created, updated
        for key, sub in value.items():
            yield from _pairs(sub, f"{path}.{key}")
    elif isinstance(value, list):
        for i, sub in enumerate(value):
            yield from _pairs(sub, f"{path}[{i}]")


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


@contract("resource.timestamps",
          source="A resource is created no later than it is last updated, and its creation time stays what it "
                 "was (the Describe shape's creationDateTime and lastUpdatedDateTime)")
def timestamps(*, arn, reads):
    reads = [r for r in reads if isinstance(r, dict)]
    if not reads:
        yield SKIP
        return
    for index, read in enumerate(reads, 1):
        for path, created, updated in _pairs(read):
            if created > updated:
                yield fail(f"{arn} read {index}: {path}.{CREATED} {created} is after {path}.{UPDATED} {updated}")
                return
    firsts = [r.get(CREATED) for r in reads if _number(r.get(CREATED))]
    if len(set(firsts)) > 1:
        yield fail(f"{arn}: {CREATED} changed between reads with no action taken: "
                   f"{' → '.join(map(str, dict.fromkeys(firsts)))}", expectation="stable")
    lasts = [r.get(UPDATED) for r in reads if _number(r.get(UPDATED))]
    back = next((i for i in range(1, len(lasts)) if lasts[i] < lasts[i - 1]), None)
    if back is not None:
        yield fail(f"{arn}: {UPDATED} went back from {lasts[back - 1]} to {lasts[back]} between reads",
                   expectation="stable")


@contract("resource.arn-names",
          source="A Create's ARN embeds the name given and the parent it was made under, as every recorded "
                 "ARN of its type does (contracts/rules.yaml arn_names)")
def arn_names(*, operation, arn, form, values):
    from personalize_conformance.contracts import arn_problem
    if not isinstance(arn, str) or form is None:
        yield SKIP
        return
    problem = arn_problem(form, arn, values)
    if problem:
        yield fail(f"{operation} answered {arn}: {problem}")
