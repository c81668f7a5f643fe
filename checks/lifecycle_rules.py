"""Cross-resource contracts: references, uniqueness, dependencies between resources.

Each observation is the answer to a request the rule says must be refused: `status` (HTTP) and
`code` (the error code, or None), with `expected` the error codes that may refuse it.
"""
from __future__ import annotations

from .contracts import contract, expect_error
from .findings import SKIP, fail


@contract("reference.missing-parent",
          source="A create naming a missing parent or referenced ARN: ResourceNotFoundException (declared by each Create)")
def missing_parent(*, expected, status, code, operation, member, arn):
    yield from expect_error(expected, status, code, f"{operation} naming a missing {member} ({arn})")


@contract("uniqueness.duplicate-name",
          source="A second create with the same name: ResourceAlreadyExistsException (declared by each Create)")
def duplicate_name(*, expected, status, code, operation, name):
    yield from expect_error(expected, status, code, f"a second {operation} with the name {name!r}")


@contract("uniqueness.one-per-parent", source="One dataset per type per group; one event tracker per group")
def one_per_parent(*, expected, status, code, operation, same):
    yield from expect_error(expected, status, code, f"a second {operation} with the same {same}")


@contract("dependency.delete-in-use",
          source="Deletes are refused while dependants exist: ResourceInUseException (each Delete's documentation)")
def delete_in_use(*, expected, status, code, operation, dependant, documented=True, busy=None):
    if busy is False:
        yield SKIP  # the rule blocks only while the dependant is being created, and it was not
        return
    yield from expect_error(expected, status, code, f"{operation} while {dependant} depends on it",
                            documented)


@contract("dependency.parent-not-active",
          source="Creates into a parent that is not ACTIVE are refused: ResourceInUseException")
def parent_not_active(*, expected, status, code, operation, parent, parent_status):
    if parent_status in (None, "ACTIVE"):
        yield SKIP  # the parent was (or may have been) ACTIVE already: nothing to judge
        return
    yield from expect_error(expected, status, code, f"{operation} into {parent} while it was {parent_status!r}")


@contract("dependency.cascade",
          source="What a delete takes with it is gone once it is gone, and what it leaves stays (each Delete's "
                 "documentation)")
def cascade(*, parent, child, gone, status, code, child_status=None):
    if status is None:
        yield SKIP
        return
    went = code == "ResourceNotFoundException" or (child_status or "").startswith("DELETE")
    if gone and not went:
        yield fail(f"{child} is still there ({child_status or code or f'HTTP {status}'}) after {parent} was deleted")
    elif not gone and status != 200:
        yield fail(f"{child} answered {code or f'HTTP {status}'} after {parent} was deleted; it is not deleted with it")
