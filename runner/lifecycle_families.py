"""The contract families as sequences of calls, one function per family and resource type.

Each function drives one short sequence through a `Driver` and judges it; what it found is in the
driver's records. A family that does not apply to a type (no Update operation, not taggable)
returns False before sending anything.
"""
from __future__ import annotations

from personalize_conformance import contracts
from personalize_conformance.contracts import GONE, Citation

from .lifecycle_driver import NOT_FOUND, ONE_PER_PARENT, Blocked, Driver

# Tag keys and values allow letters of any script (`[\p{L}\p{Z}\p{N}_.:/=+\-@]*`): one pair in
# mixed case with accents, a CJK, an astral and a right-to-left letter, which must come back exactly.
TAGS_AT_CREATE = {"conformance": "lifecycle", "phase": "create", "Région": "Créé-日本-𝒜-שלום"}
PAGE_ITEMS = 3


def _forged(arn: str, driver: Driver) -> str:
    """An ARN of the same type and shape as `arn` that names nothing."""
    head, _, tail = arn.rpartition("/")
    replacement = "deadbeef" if len(tail) == 8 and all(c in "0123456789abcdef" for c in tail) else f"{driver.name()}-missing"
    return f"{head}/{replacement}"


def _accepted(driver: Driver, step, state: str | None = None) -> bool:
    driver.verdict("lifecycle.action-accepted", step, Citation(operation=step.operation),
                   operation=step.operation, status=step.status, code=step.code, state=state)
    return step.ok


def _listed(driver: Driver, rtype: str, scope: str | None):
    pages, tokens, items, terminated, steps = driver.list_walk(rtype, scope, None)
    return items, terminated, (steps[-1] if steps else None)


# -- lifecycle ------------------------------------------------------------------------------

def lifecycle(driver: Driver, rtype: str) -> bool:
    """create → poll → describe/list → other reads → stop/start → update → tags → delete → gone.

    Every operation of the type is called on the settled resource at least once, so each has a
    success for the response checks to judge (a stateless request names resources that mostly do
    not exist)."""
    rt = contracts.resource_type(rtype)
    step, parents = driver.new(rtype, tags=TAGS_AT_CREATE if rt.taggable else None)
    arn = driver.arn_of(rtype, step)
    if not _accepted(driver, step) or arn is None:
        return True
    sent = step.params
    path = driver.poll(rtype, arn, "create")
    reread = driver.describe(rtype, arn)  # a settled resource must stay where it settled
    status = driver.status_of(rtype, reread)
    if status is not None and rt.status:
        path.statuses.append(status)
        path.times.append(round(reread.at - path.steps[0].at + path.times[0], 4) if path.times else 0.0)
        path.steps.append(reread)
    driver.judge_path(path)
    driver.verdict("resource.arn-names", step, Citation(operation=rt.op("create")), operation=step.operation,
                   arn=arn, form=contracts.arn_form(rtype), values=sent)
    reads = [driver.described(rtype, s) for s in path.steps + ([] if reread in path.steps else [reread])]
    driver.verdict("resource.timestamps", reread, Citation(operation=rt.op("describe"), response=f"{rt.describe_key}.creationDateTime"),
                   arn=arn, reads=reads)
    described = driver.described(rtype, reread)
    members = set(driver.spec.operation(rt.op("describe")).response_schema["properties"][rt.describe_key]["properties"])
    driver.verdict("consistency.describe-echoes-create", reread, Citation(operation=rt.op("describe")),
                   sent=sent, described=described, members=members, ignore_case=rt.echo_ignore_case)
    _check_listed(driver, rtype, arn, parents, described)
    if rt.status and path.last not in ("ACTIVE", "COMPLETED"):
        return True  # stuck or failed: nothing further can be exercised
    if driver.has(rt.op("other")):
        _accepted(driver, driver.call(rt.op("other"), {rt.arn: arn}), path.last)
    # The steps below are the type's where the run's spec has their operations (an older spec may not).
    if rtype == "recommender" and driver.has(rt.op("stop")) and driver.has(rt.op("start")):
        _stop_start(driver, rtype, arn)
    if rtype == "solution-version" and driver.has("StopSolutionVersionCreation"):
        _stop_version(driver, parents)
    if driver.has(rt.op("update")):
        update(driver, rtype, arn=arn)
    if rt.taggable and driver.has("ListTagsForResource"):
        tags = _tags_of(driver, arn)
        driver.verdict("tags.round-trip", tags[1], contracts.cite("tags", "round_trip"),
                       expected=TAGS_AT_CREATE, listed=tags[0], how="at create")
    if driver.has(rt.op("delete")):
        _delete_and_vanish(driver, rtype, arn, parents, before=status)
    return True


def _check_listed(driver: Driver, rtype: str, arn: str, parents: dict, described: dict | None) -> None:
    rt = contracts.resource_type(rtype)
    scope = driver.scope_for(rtype, parents)
    items, terminated, last = _listed(driver, rtype, scope)
    if last is None:
        return
    _scoped(driver, rtype, scope, items, last)
    driver.verdict("consistency.list-includes", last, contracts.cite("consistency", "list"), arn=arn,
                   listed_arns=list(items), list_operation=rt.op("list"), scope=rt.list_filter if scope else None,
                   complete=terminated)
    if rt.status and arn in items and described:
        driver.verdict("consistency.list-status-agrees", last, contracts.cite("consistency", "list"),
                       described_status=described.get(rt.status), listed_status=items[arn].get(rt.status), arn=arn)


def _scoped(driver: Driver, rtype: str, scope: str | None, items, last) -> None:
    """A List narrowed to `scope` lists none of what the driver made under another parent."""
    rt = contracts.resource_type(rtype)
    foreign = driver.foreign(rtype, scope)
    if scope and foreign and last.ok:
        driver.verdict("consistency.list-scoped", last, Citation(operation=rt.op("list"), request=rt.list_filter),
                       list_operation=rt.op("list"), member=rt.list_filter, scope=scope,
                       listed_arns=list(items), foreign=foreign)


def _delete_and_vanish(driver: Driver, rtype: str, arn: str, parents: dict, before: str | None) -> None:
    rt = contracts.resource_type(rtype)
    step = driver.call(rt.op("delete"), {rt.arn: arn})
    if not _accepted(driver, step, before):
        return
    path = driver.poll(rtype, arn, "delete", before=before)
    driver.judge_path(path)
    if path.settled:
        driver.created.discard(arn)
        driver.forget_shared(arn)
        scope = driver.scope_for(rtype, parents)
        items, terminated, last = _listed(driver, rtype, scope)
        if last is not None:
            driver.verdict("consistency.list-drops-deleted", last, contracts.cite("consistency", "gone"), arn=arn,
                           listed_arns=list(items), list_operation=rt.op("list"))


def _stop_start(driver: Driver, rtype: str, arn: str) -> None:
    rt = contracts.resource_type(rtype)
    for action, state in (("stop", "ACTIVE"), ("start", "INACTIVE")):
        step = driver.call(rt.op(action), {rt.arn: arn})
        if not _accepted(driver, step, state):
            return
        path = driver.poll(rtype, arn, action, before=state)
        driver.judge_path(path)
        if not path.settled:
            return


def _stop_version(driver: Driver, parents: dict) -> None:
    """A second version, stopped before it finishes: CREATE STOPPED by either documented road."""
    step = driver.create("solution-version", parents)
    arn = driver.arn_of("solution-version", step)
    if not step.ok or arn is None:
        return
    stop = driver.call("StopSolutionVersionCreation", {"solutionVersionArn": arn})
    if stop.ok:
        driver.judge_path(driver.poll("solution-version", arn, "stop"))
    else:
        # Only a version still being created can be stopped; one that finished already may refuse.
        settled = driver.poll("solution-version", arn, "create")
        if settled.last not in ("ACTIVE", "CREATE FAILED"):
            _accepted(driver, stop, "CREATE PENDING")


def _tags_of(driver: Driver, arn: str):
    step = driver.call("ListTagsForResource", {"resourceArn": arn})
    if not step.ok:
        return None, step
    tags = {t.get("tagKey"): t.get("tagValue") for t in (step.body or {}).get("tags") or [] if isinstance(t, dict)}
    return tags, step


# -- references, uniqueness, dependencies -------------------------------------------------------

def reference(driver: Driver, rtype: str) -> bool:
    rt = contracts.resource_type(rtype)
    if not rt.parents:
        return False
    parents = driver.ready(rtype)
    for member in rt.parents:
        driver.begin()
        forged = _forged(parents[member], driver)
        step = driver.create(rtype, {**parents, member: forged})
        driver.verdict("reference.missing-parent", step, Citation(operation=rt.op("create"), declares=NOT_FOUND),
                       expected=contracts.reference_expect(), status=step.status, code=step.code,
                       operation=step.operation, member=member, arn=forged)
    return True


def uniqueness(driver: Driver, rtype: str) -> bool:
    rt = contracts.resource_type(rtype)
    rules = [u for u in contracts.uniqueness() if u.types == "*" or rtype in u.types]
    first, parents = driver.new(rtype)
    arn = driver.arn_of(rtype, first)
    if not _accepted(driver, first) or arn is None:
        return True
    if rt.status:
        driver.poll(rtype, arn, "create")
    for rule in rules:
        if rule.same:
            again = driver.create(rtype, parents)
            doing = rule.same
        else:
            again = driver.create(rtype, parents, name=first.params[rt.name])
            doing = rt.name
        cite = rule.cite or Citation(operation=rt.op("create"), declares="ResourceAlreadyExistsException")
        if rule.rule == "uniqueness.duplicate-name":
            driver.verdict(rule.rule, again, cite, expected=rule.expect, status=again.status, code=again.code,
                           operation=again.operation, name=first.params[rt.name])
        else:
            driver.verdict(rule.rule, again, cite, expected=rule.expect, status=again.status, code=again.code,
                           operation=again.operation, same=list(doing))
    return True


def dependency(driver: Driver, rtype: str) -> bool:
    """Deletes of `rtype` refused while dependants exist; creates of `rtype` into a parent that is
    not ACTIVE refused."""
    ran = False
    for rule in [d for d in contracts.dependencies() if d.parent == rtype]:
        ran = True
        driver.begin()
        _delete_in_use(driver, rule)
    for rule in [a for a in contracts.active_parents() if a.child == rtype]:
        ran = True
        driver.begin()
        _parent_not_active(driver, rule)
    for rule in [c for c in contracts.cascades() if c.parent == rtype]:
        ran = True
        driver.begin()
        _cascade(driver, rule)
    return ran


def _cascade(driver: Driver, rule) -> None:
    """Delete a private `parent` of an ACTIVE `child`; once it is gone, read the child."""
    rt = contracts.resource_type(rule.parent)
    if rule.parent in contracts.ancestors(rule.child):
        child_arn = driver.active(rule.child, shared=False)
        parent_arn = driver.lineage.get(child_arn, {}).get(rule.parent)
    else:  # the child is the parent's parent (a campaign leaves its solution version)
        parent_arn = driver.active(rule.parent, shared=False)
        child_arn = driver.lineage.get(parent_arn, {}).get(rule.child)
    if parent_arn is None or child_arn is None:
        raise Blocked(f"no {rule.parent} and {rule.child} related as the rule needs")
    delete = driver.call(rt.op("delete"), {rt.arn: parent_arn})
    if not _accepted(driver, delete, "ACTIVE"):
        return
    path = driver.poll(rule.parent, parent_arn, "delete", before="ACTIVE")
    if not path.settled:
        driver.judge_path(path)
        return
    driver.created.discard(parent_arn)
    driver.forget_shared(parent_arn)
    read = driver.describe(rule.child, child_arn)
    driver.verdict("dependency.cascade", read, rule.cite, parent=f"the {rt.label} {parent_arn}",
                   child=f"the {contracts.resource_type(rule.child).label} {child_arn}", gone=rule.gone,
                   status=read.status, code=read.code, child_status=driver.status_of(rule.child, read))
    if rule.gone and read.code == NOT_FOUND:
        driver.created.discard(child_arn)


def _delete_in_use(driver: Driver, rule) -> None:
    rt = contracts.resource_type(rule.parent)
    child = contracts.resource_type(rule.child)
    if rule.while_busy:
        parents = driver.ready(rule.child, shared=False)
        step = driver.create(rule.child, parents)
        child_arn = driver.arn_of(rule.child, step)
        if not step.ok or child_arn is None:
            raise Blocked(f"could not create the {rule.child} the rule needs: {step.outcome}")
    else:
        child_arn = driver.active(rule.child, shared=False)
    parent_arn = driver.lineage.get(child_arn, {}).get(rule.parent)
    if parent_arn is None:
        raise Blocked(f"no {rule.parent} found among the parents of {child_arn}")
    busy = None
    if rule.while_busy:  # busy when read just before the delete and still busy (or gone with it) after
        before = driver.status_of(rule.child, driver.describe(rule.child, child_arn))
    delete = driver.call(rt.op("delete"), {rt.arn: parent_arn})
    if rule.while_busy:
        after = driver.status_of(rule.child, driver.describe(rule.child, child_arn))
        busy = _busy(before) and (_busy(after) or after == GONE)
    driver.verdict("dependency.delete-in-use", delete, rule.cite, expected=contracts.dependency_expect(),
                   status=delete.status, code=delete.code, operation=delete.operation,
                   dependant=f"the {child.label} {child_arn}", documented=rule.documented, busy=busy)
    if rule.while_busy and child.status:
        driver.poll(rule.child, child_arn, "create")  # let it settle so teardown can proceed


def _busy(status: str | None) -> bool:
    """Still being created: the states the busy-only dependency rules speak of."""
    return bool(status) and status != GONE and status.replace("_", " ").endswith(("PENDING", "IN PROGRESS"))


def _parent_not_active(driver: Driver, rule) -> None:
    rt = contracts.resource_type(rule.child)
    ptype = rt.parents[rule.member]
    parents = driver.ready(rule.child)
    fresh = driver.create(ptype, driver.ready(ptype, shared=False))
    parent_arn = driver.arn_of(ptype, fresh)
    if not fresh.ok or parent_arn is None:
        raise Blocked(f"could not create the {ptype} the rule needs: {fresh.outcome}")
    step = driver.create(rule.child, {**parents, rule.member: parent_arn})
    seen = driver.describe(ptype, parent_arn)
    driver.verdict("dependency.parent-not-active", step, rule.cite, expected=contracts.active_parent_expect(),
                   status=step.status, code=step.code, operation=step.operation,
                   parent=f"the {ptype.replace('-', ' ')} {parent_arn}", parent_status=driver.status_of(ptype, seen))
    driver.poll(ptype, parent_arn, "create")
    child_arn = driver.arn_of(rule.child, step)
    if step.ok and child_arn:
        driver.poll(rule.child, child_arn, "create")


# -- pagination ----------------------------------------------------------------------------------

def pagination(driver: Driver, rtype: str) -> bool:
    rt = contracts.resource_type(rtype)
    parents = driver.ready(rtype)
    arns, scope = [], driver.scope_for(rtype, parents)
    for _ in range(PAGE_ITEMS):
        step = driver.create(rtype, parents)
        if step.code in ONE_PER_PARENT:
            parents = driver.ready(rtype, shared=False)  # one per parent: spread over parents, list them all
            scope = None
            step = driver.create(rtype, parents)
        arn = driver.arn_of(rtype, step)
        if not _accepted(driver, step) or arn is None:
            return True
        arns.append(arn)
        if rt.status:
            driver.poll(rtype, arn, "create")
    if scope:  # one more under a sibling parent: a List narrowed to either parent must not show it
        sibling = driver.create(rtype, driver.ready(rtype, shared=False))
        sibling_arn = driver.arn_of(rtype, sibling)
        if sibling.ok and sibling_arn and rt.status:
            driver.poll(rtype, sibling_arn, "create")
    pages, tokens, items, terminated, steps = driver.list_walk(rtype, scope, None)
    if steps:
        _scoped(driver, rtype, scope, items, steps[-1])
    total = max(len(items), len(arns))
    first_token = None
    for max_results in [None] + list(range(1, PAGE_ITEMS + 2)):
        if max_results is not None:
            pages, tokens, items, terminated, steps = driver.list_walk(
                rtype, scope, max_results, max_pages=total // max_results + 4)
        if not steps or not steps[-1].ok:
            continue
        last = steps[-1]
        first_token = first_token or next((t for t in tokens if t), None)
        common = dict(pages=pages, max_results=max_results, operation=rt.op("list"))
        token_cite = Citation(operation=rt.op("list"), request="nextToken")
        driver.verdict("pagination.exactly-once", last, token_cite,
                       known=arns, terminated=terminated, **common)
        driver.verdict("pagination.terminates", last, token_cite,
                       tokens=tokens, terminated=terminated, pages=pages, max_results=max_results,
                       operation=rt.op("list"))
        driver.verdict("pagination.max-results", last, Citation(operation=rt.op("list"), request="maxResults"),
                       **common)
    params = {rt.list_filter: scope} if scope and rt.list_filter else {}
    for forged in _forged_tokens(first_token):
        step = driver.call(rt.op("list"), {**params, "maxResults": 1, "nextToken": forged})
        driver.verdict("pagination.forged-token", step,
                       Citation(operation=rt.op("list"), declares="InvalidNextTokenException"),
                       expected=("InvalidNextTokenException",), status=step.status, code=step.code,
                       operation=step.operation, token=forged)
    return True


def _forged_tokens(real: str | None) -> list[str]:
    tokens = ["pc-not-a-token"]
    if real:
        flipped = real[:-6] + ("A" * 6 if not real.endswith("A" * 6) else "B" * 6)
        tokens.append(flipped)
    return tokens


# -- tags -----------------------------------------------------------------------------------------

def tags(driver: Driver, rtype: str) -> bool:
    rt = contracts.resource_type(rtype)
    if not rt.taggable:
        return False
    limit = contracts.tag_limit()
    step, _ = driver.new(rtype, tags=TAGS_AT_CREATE)
    arn = driver.arn_of(rtype, step)
    if not _accepted(driver, step) or arn is None:
        return True
    if rt.status:
        driver.poll(rtype, arn, "create")
    listed, seen = _tags_of(driver, arn)
    driver.verdict("tags.round-trip", seen, contracts.cite("tags", "round_trip"),
                   expected=TAGS_AT_CREATE, listed=listed, how="at create")
    added = {"team": "conformance", "cost-centre": "42"}
    tag = driver.call("TagResource", {"resourceArn": arn, "tags": [{"tagKey": k, "tagValue": v} for k, v in added.items()]})
    if _accepted(driver, tag):
        listed, seen = _tags_of(driver, arn)
        driver.verdict("tags.round-trip", seen, contracts.cite("tags", "round_trip"),
                       expected={**TAGS_AT_CREATE, **added}, listed=listed, how="by TagResource")
    before = listed
    removed = ["phase", "team"]
    untag = driver.call("UntagResource", {"resourceArn": arn, "tagKeys": removed})
    if _accepted(driver, untag):
        after, seen = _tags_of(driver, arn)
        driver.verdict("tags.untag-exact", seen, contracts.cite("tags", "untag"), before=before, removed=removed,
                       after=after)
        before = after
    count = len(before or {})
    extra = [{"tagKey": f"pc-limit-{i}", "tagValue": "x"} for i in range(limit - count + 1)]
    over = driver.call("TagResource", {"resourceArn": arn, "tags": extra})
    driver.verdict("tags.limit", over, contracts.cite("tags", "limit"), expected=("TooManyTagsException",),
                   status=over.status, code=over.code, count=count + len(extra), limit=limit)
    missing = _forged(arn, driver)
    for operation, params in (("TagResource", {"resourceArn": missing, "tags": [{"tagKey": "a", "tagValue": "b"}]}),
                              ("ListTagsForResource", {"resourceArn": missing})):
        step = driver.call(operation, params)
        driver.verdict("tags.missing-arn", step, Citation(operation=operation, declares=NOT_FOUND),
                       expected=(NOT_FOUND,), status=step.status, code=step.code, operation=operation, arn=missing)
    return True


# -- updates ---------------------------------------------------------------------------------------

def update(driver: Driver, rtype: str, arn: str | None = None) -> bool:
    rt = contracts.resource_type(rtype)
    spec = contracts.updates().get(rtype)
    if spec is None:
        return False
    if arn is None:
        arn = driver.active(rtype, shared=False)
    extra = {member: driver.active(ntype, shared=False) for member, ntype in spec.needs.items()}
    params = contracts.update_request(rtype, arn, extra)
    before_step = driver.describe(rtype, arn)
    before = driver.status_of(rtype, before_step, spec.via) if spec.via else None
    step = driver.call(rt.op("update"), params)
    if not _accepted(driver, step, "ACTIVE"):
        return True
    own = contracts.machine(rtype)
    if own is not None and own.flow("update") is not None:
        # The resource's own status walks the update too (a dataset: observed on AWS).
        driver.judge_path(driver.poll(rtype, arn, "update", before=driver.status_of(rtype, before_step)))
    if spec.via:
        path = driver.poll(rtype, arn, "update", member=spec.via, before=before)
        driver.judge_path(path)
    sent = {k: v for k, v in params.items() if k != rt.arn}
    if spec.reflect:
        read = driver.call(spec.reflect["operation"], {rt.arn: arn})
        listed = (read.body or {}).get(spec.reflect["key"]) if read.ok else None
        driver.verdict("update.reflected", read, Citation(operation=rt.op("update")),
                       sent=sent[spec.reflect["contains"]], described=listed, operation=rt.op("update"),
                       where=spec.reflect["operation"])
    else:
        seen = driver.describe(rtype, arn)
        driver.verdict("update.reflected", seen, Citation(operation=rt.op("update")), sent=sent, described=driver.described(rtype, seen),
                       operation=rt.op("update"))
    return True


FAMILIES = {
    "lifecycle": lifecycle,
    "reference": reference,
    "uniqueness": uniqueness,
    "dependency": dependency,
    "pagination": pagination,
    "tags": tags,
    "update": update,
}


def applies(family: str, rtype: str) -> bool:
    """Whether `family` has anything to check on `rtype` (without sending a request)."""
    rt = contracts.resource_type(rtype)
    return {
        "lifecycle": True,
        "reference": bool(rt.parents),
        "uniqueness": True,
        "dependency": any(d.parent == rtype for d in contracts.dependencies())
        or any(a.child == rtype for a in contracts.active_parents())
        or any(c.parent == rtype for c in contracts.cascades()),
        "pagination": True,
        "tags": rt.taggable,
        "update": rtype in contracts.updates(),
    }[family]
