"""Strategies: Hypothesis strategies that turn an operation's request schema into cases.

Three generated families: `valid` (every constraint respected, members meaning what they say),
`boundary` (one member at the edge of one constraint, everything else valid) and `invalid` (one
constraint broken, or one request-level defect). `probes(spec, op, family)` lists a family's
probes one aim at a time, which is how runs reach every constraint: a boundary or invalid probe,
and the valid family's non-ASCII text probes (`unicode`), build their cases directly
(`probe.cases(n, seed)`, from the operation's `skeleton`), and every
probe has a Hypothesis strategy making the same cases (`probe.strategy`); `valid_cases`,
`boundary_cases` and `invalid_cases` join the strategies into one for use under `@given`.

Members mean what they say (`semantics`: Avro schemas, role ARNs, catalogue recipes, documented
cross-member rules); references point at resources a `ResourcePool` holds, or at well-formed
missing ones; `constraints` lists what the families aim at and `coverage` counts what a run hit.
"""
from hypothesis import strategies as st

from .case import ACCEPT, EITHER, FAMILIES, GENERATED, REJECT, Case
from .constraints import KINDS, Constraint, constraints, members
from .pool import EMPTY_POOL, ResourcePool, StaticPool
from .probes import Probe, probes
from .valid import from_schema, valid_params

__all__ = ["Case", "FAMILIES", "GENERATED", "ACCEPT", "REJECT", "EITHER", "from_schema", "valid_params",
           "valid_cases", "boundary_cases", "invalid_cases", "cases", "probes", "Probe", "constraints",
           "members", "Constraint", "KINDS", "ResourcePool", "StaticPool", "EMPTY_POOL"]


def valid_cases(spec, operation: str, pool=None, references: str = "existing") -> st.SearchStrategy[Case]:
    return cases(spec, operation, "valid", pool, references)


def boundary_cases(spec, operation: str, pool=None, references: str = "existing") -> st.SearchStrategy[Case]:
    return cases(spec, operation, "boundary", pool, references)


def invalid_cases(spec, operation: str, pool=None, references: str = "existing") -> st.SearchStrategy[Case]:
    return cases(spec, operation, "invalid", pool, references)


def cases(spec, operation: str, family: str, pool=None, references: str = "existing") -> st.SearchStrategy[Case]:
    """Every probe of `family` joined: each draw aims at one of them."""
    return st.one_of([p.strategy for p in probes(spec, operation, family, pool, references)])
