"""Read-after-write contracts: Describe echoes a create, List agrees with Describe, updates show.

Values are compared the way a client would read them: a member sent as an object is echoed when
every member sent is echoed (the service may add defaults beside them); lists and scalars must be
equal; a member the spec calls case insensitive is compared without case.
"""
from __future__ import annotations

from .contracts import contract
from .findings import SKIP, fail

ECHO_SOURCE = "Read-after-write: Describe shows what Create sent (the Describe shape's members)"
LIST_SOURCE = "Read-after-write: List, under the right parent filter, agrees with Describe"


def differences(sent, got, path: str, ignore_case: tuple[str, ...] = ()) -> list[str]:
    """Where `got` does not echo `sent`, as `path: sent … got …` lines."""
    if isinstance(sent, dict):
        if not isinstance(got, dict):
            return [f"{path}: sent an object, got {got!r}"]
        out = []
        for key, value in sent.items():
            if key not in got:
                out.append(f"{path}.{key}: sent {value!r}, missing")
            else:
                out += differences(value, got[key], f"{path}.{key}", ignore_case)
        return out
    leaf = path.rsplit(".", 1)[-1]
    if isinstance(sent, str) and isinstance(got, str) and leaf in ignore_case:
        return [] if sent.lower() == got.lower() else [f"{path}: sent {sent!r}, got {got!r}"]
    return [] if sent == got else [f"{path}: sent {sent!r}, got {got!r}"]  # 1 and 1.0 are one number


@contract("consistency.describe-echoes-create", source=ECHO_SOURCE)
def describe_echoes_create(*, sent, described, members, ignore_case=()):
    if not isinstance(described, dict):
        yield SKIP
        return
    comparable = {k: v for k, v in sent.items() if k in members and k != "tags"}
    for line in differences(comparable, described, "$", tuple(ignore_case))[:5]:
        yield fail(f"Describe after Create: {line}")


@contract("consistency.describe-after-create",
          source="Read-after-write: Describe finds a resource its Create made and no Delete removed")
def describe_after_create(*, operation, status, code, resource, arn):
    if status is None:
        yield SKIP  # no answer: the target's availability is reported, not this rule
        return
    if status != 200:
        yield fail(f"{operation} of the live {resource} {arn} answered {code or f'HTTP {status}'}")


@contract("consistency.list-includes", source=LIST_SOURCE)
def list_includes(*, arn, listed_arns, list_operation, scope, complete=True):
    if arn not in listed_arns:
        where = f" filtered by {scope}" if scope else ""
        if complete:
            yield fail(f"{list_operation}{where} does not include {arn} ({len(listed_arns)} items listed)")
        else:
            yield SKIP


@contract("consistency.list-status-agrees", source=LIST_SOURCE)
def list_status_agrees(*, described_status, listed_status, arn):
    if described_status is None or listed_status is None:
        yield SKIP
        return
    if described_status != listed_status:
        yield fail(f"{arn}: Describe says {described_status!r}, List says {listed_status!r} "
                   "(both read after the resource settled)")


@contract("consistency.list-drops-deleted", source="After Delete, List no longer includes the resource")
def list_drops_deleted(*, arn, listed_arns, list_operation, gone=True):
    if not gone:
        yield SKIP
        return
    if arn in listed_arns:
        yield fail(f"{list_operation} still includes {arn} after Describe answered ResourceNotFoundException")


@contract("update.reflected", source="Updates: Describe shows each Update operation's change once it settled")
def update_reflected(*, sent, described, operation, where="Describe"):
    if described is None:
        yield SKIP
        return
    if isinstance(described, list):  # a list read (ListMetricAttributionMetrics): each item sent is listed
        for item in sent:
            if item not in described:
                yield fail(f"after {operation}, {where} does not list {item!r}")
        return
    for line in differences(sent, described, "$")[:5]:
        yield fail(f"after {operation} settled, {where}: {line}")


@contract("consistency.list-scoped",
          source="A List narrowed by a parent's ARN answers that parent's resources only (the filter member's "
                 "documentation)")
def list_scoped(*, list_operation, member, scope, listed_arns, foreign):
    """`foreign`: ARN -> the other parent it was created under, for the resources the harness made
    that are not `scope`'s."""
    strays = [arn for arn in listed_arns if arn in foreign]
    if strays:
        yield fail(f"{list_operation} with {member}={scope} also listed {strays[0]}, created under "
                   f"{foreign[strays[0]]}" + (f" (and {len(strays) - 1} more of other parents)" if len(strays) > 1 else ""))
