"""Checks: plain functions in a registry, each judging one response against one rule.

Importing this package registers the built-in rules: per-response checks in `CHECKS`, sequence-level
contracts in `contracts.CONTRACTS`, each with the source it cites.
"""
from . import acceptance, errors, not_implemented, schema, sdk_errors, wire  # noqa: F401 - registration
from . import (lifecycle_consistency, lifecycle_paging, lifecycle_paths,  # noqa: F401 - sequence-level
               lifecycle_rules, lifecycle_tags)  # contracts (lifecycles, references, paging, tags)
from . import resource_invariants  # noqa: F401 - timestamps and ARNs across one resource's members
from . import observed_members  # noqa: F401 - what AWS always answers, beside what the model requires
from .context import CheckContext, context_for
from .findings import (ERROR, FAIL, NOT_IMPLEMENTED, OUTCOMES, PASS, UNAVAILABLE, WARN, Finding,
                       Verdict, fail, warn)
from .registry import CHECKS, check, run_checks

__all__ = ["CHECKS", "check", "run_checks", "CheckContext", "context_for", "Finding", "Verdict",
           "fail", "warn", "PASS", "FAIL", "WARN", "ERROR", "NOT_IMPLEMENTED", "UNAVAILABLE", "OUTCOMES"]
