"""Strategies: Hypothesis strategies that turn an operation's request schema into cases.

Families: `valid` (every constraint respected), `boundary` and `invalid` (see their modules).
"""
from hypothesis import strategies as st

from .case import FAMILIES, Case
from .valid import from_schema, valid_params

__all__ = ["Case", "FAMILIES", "from_schema", "valid_params", "valid_cases"]


def valid_cases(spec, operation: str) -> st.SearchStrategy[Case]:
    return valid_params(spec, operation).map(lambda p: Case.from_params(operation, p, family="valid"))
