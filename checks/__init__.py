"""Checks: plain functions in a registry, each judging one response against one rule.

Importing this package registers the built-in checks; `RULES` lists them with their sources.
"""
from . import acceptance, errors, not_implemented, schema, sdk_errors, wire  # noqa: F401 - registration
from . import contracts  # noqa: F401 - sequence-level contracts (lifecycles, references, paging, tags)
from .context import CheckContext, context_for
from .findings import (ERROR, FAIL, NOT_IMPLEMENTED, OUTCOMES, PASS, UNAVAILABLE, WARN, Finding,
                       Verdict, fail, warn)
from .registry import CHECKS, check, run_checks

__all__ = ["CHECKS", "check", "run_checks", "CheckContext", "context_for", "Finding", "Verdict",
           "fail", "warn", "PASS", "FAIL", "WARN", "ERROR", "NOT_IMPLEMENTED", "UNAVAILABLE", "OUTCOMES"]
