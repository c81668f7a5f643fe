"""Contracts: what the Personalize control plane promises across calls, as data.

- `resources.yaml`  the resource catalogue (operations, members, parents, minimal requests)
- `lifecycles.yaml` status machines per resource type, cited to the spec
- `rules.yaml`      reference, uniqueness, dependency, tag and paging rules, cited to the spec

Every citation is checked against the spec's text by tests/contracts/test_drift.py; the status
chains are also extracted from the spec by code (`chains.extract`) and compared with the data.
"""
from .catalogue import (ResourceType, Update, ancestors, creation_order, references, resource_type,
                        resource_types, type_of_arn, updates)
from .chains import Chain, extract, parse
from .citations import Citation
from .machines import GONE, Flow, Machine
from .requests import Placeholders, create_request, update_request
from .rules import (active_parent_expect, active_parents, all_citations, arn_form, arn_pattern, arn_problem, cascades, cite,
                    dependencies, dependency_expect, machine, machines, reference_expect, tag_limit, uniqueness)

__all__ = [
    "ResourceType", "Update", "ancestors", "creation_order", "references", "resource_type",
    "resource_types", "type_of_arn", "updates", "Chain", "extract", "parse", "Citation", "GONE",
    "Flow", "Machine", "Placeholders", "create_request", "update_request", "active_parent_expect",
    "active_parents", "all_citations", "arn_form", "arn_pattern", "arn_problem", "cascades", "cite", "dependencies", "dependency_expect", "machine",
    "machines", "reference_expect", "tag_limit", "uniqueness",
]
