"""Fault injection: named misbehaviours for testing the harness itself. Off by default.

Every fault is a small class registered under its name. A fault may act at exactly one of
three marked points, and the clean code path never asks whether a fault is on:

* ``relax``     - constraint families the validators stop checking (compiled in);
* ``install``   - wraps methods listed in ``Service.HOOKS`` (and the pager's ``window``);
* ``intercept`` / ``transform`` - answers before the service runs, or reshapes its reply.

A fault can be scoped to operations: ``server-error:CreateSchema`` or
``page-drop:ListDatasets,ListSchemas``. Unscoped, it applies to every operation.
"""
from __future__ import annotations

import copy
import datetime
import hashlib
import json
import re
from typing import Callable, Iterable

from . import errors, model, wire
from .errors import ApiError
from .lifecycle import GONE
from .paging import DEFAULT_MAX_RESULTS
from .store import Resource

FAULTS: dict[str, type["Fault"]] = {}


def fault(name: str):
    def register(cls):
        cls.name = name
        FAULTS[name] = cls
        return cls
    return register


class Fault:
    """Base: does nothing. ``summary`` is the one-line description shown by ``--help``."""

    name = ""
    summary = ""
    relax: frozenset[str] = frozenset()

    def __init__(self, operations: frozenset[str] | None):
        self.operations = operations

    def applies(self, operation: str | None) -> bool:
        return self.operations is None or operation in self.operations

    def install(self, service) -> None:
        pass

    def intercept(self, request: wire.Request) -> wire.Reply | None:
        return None

    def transform(self, request: wire.Request, reply: wire.Reply) -> wire.Reply:
        return reply

    def reset(self) -> None:
        pass

    def wrap_hook(self, service, name: str, make: Callable[[Callable], Callable]) -> None:
        """Replace ``service.<name>`` by ``make(original)``, only for in-scope calls."""
        if name not in service.HOOKS:
            raise ValueError(f"{name} is not a service hook")
        original = getattr(service, name)
        replacement = make(original)

        def hooked(call, *args, **kwargs):
            chosen = replacement if self.applies(call.op) else original
            return chosen(call, *args, **kwargs)

        setattr(service, name, hooked)

    def wrap_window(self, service, make: Callable[[Callable], Callable]) -> None:
        """Replace the pager's window computation for in-scope list operations."""
        pager = service.pager
        original = pager.window
        replacement = make(original)

        def window(operation, ranks, after, limit):
            chosen = replacement if self.applies(operation) else original
            return chosen(operation, ranks, after, limit)

        pager.window = window


# -- helpers for payload faults ---------------------------------------------------------------

def _walk(value, shape, visit: Callable) -> None:
    """Call ``visit(struct_dict, struct_shape)`` on every structure inside ``value``."""
    if shape is None or value is None:
        return
    if shape.type_name == "structure" and isinstance(value, dict):
        visit(value, shape)
        for name, member in shape.members.items():
            _walk(value.get(name), member, visit)
    elif shape.type_name == "list" and isinstance(value, list):
        for item in value:
            _walk(item, shape.member, visit)
    elif shape.type_name == "map" and isinstance(value, dict):
        for item in value.values():
            _walk(item, shape.value, visit)


def _reshape(reply: wire.Reply, operation: str | None, visit: Callable) -> wire.Reply:
    """Apply ``visit`` to the structures of a successful reply (on a private copy)."""
    if reply.status != 200 or reply.payload is None or operation is None:
        return reply
    reply.payload = copy.deepcopy(reply.payload)
    _walk(reply.payload, model.output_shape(operation), visit)
    return reply


def _resource_structs(reply: wire.Reply, operation: str | None) -> list[dict]:
    """The resource objects of a Describe or List reply."""
    if reply.status != 200 or not reply.payload or not operation:
        return []
    found = []
    for value in reply.payload.values():
        if operation.startswith("Describe") and isinstance(value, dict):
            found.append(value)
        elif operation.startswith("List") and isinstance(value, list):
            found.extend(item for item in value if isinstance(item, dict))
    return found


# -- wire and schema faults -------------------------------------------------------------------

@fault("content-type-html")
class ContentTypeHtml(Fault):
    summary = "successful replies are labelled Content-Type: text/html"

    def transform(self, request, reply):
        if reply.status == 200:
            reply.content_type = "text/html; charset=utf-8"
        return reply


@fault("no-request-id")
class NoRequestId(Fault):
    summary = "replies carry no x-amzn-RequestId header"

    def transform(self, request, reply):
        reply.request_id = None
        return reply


@fault("server-error")
class ServerError(Fault):
    summary = "every request is answered 500 with an HTML body"

    def intercept(self, request):
        return wire.Reply(500, raw=b"<html><body><h1>500 Internal Server Error</h1></body></html>",
                          content_type="text/html; charset=utf-8",
                          request_id=wire.new_request_id())


@fault("unknown-operation")
class UnknownOperation(Fault):
    summary = "requests are refused 400 UnknownOperationException, as for an operation never built"

    def intercept(self, request):
        return wire.error(errors.unknown_operation(f"Unknown operation {request.operation}."))


@fault("unknown-error-type")
class UnknownErrorType(Fault):
    summary = "error replies use the undeclared __type WeirdException"

    def transform(self, request, reply):
        if reply.error is not None and reply.payload is not None:
            reply.error = "WeirdException"
            reply.payload = {**reply.payload, "__type": "WeirdException"}
        return reply


def _iso(value):
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        moment = datetime.datetime.fromtimestamp(value, tz=datetime.timezone.utc)
        return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    return value


@fault("iso-timestamps")
class IsoTimestamps(Fault):
    summary = "timestamps are sent as ISO-8601 strings instead of epoch seconds"

    def transform(self, request, reply):
        def visit(struct, shape):
            for name, member in shape.members.items():
                if member.type_name == "timestamp" and name in struct:
                    struct[name] = _iso(struct[name])
        return _reshape(reply, request.operation, visit)


@fault("null-members")
class NullMembers(Fault):
    summary = "absent optional members are sent as null instead of being omitted"

    def transform(self, request, reply):
        def visit(struct, shape):
            for name in shape.members:
                struct.setdefault(name, None)
        return _reshape(reply, request.operation, visit)


@fault("off-schema")
class OffSchema(Fault):
    summary = "Describe replies send the resource's name (a string member) as a number"

    def transform(self, request, reply):
        if not (request.operation or "").startswith("Describe"):
            return reply
        reply.payload = copy.deepcopy(reply.payload)
        for struct in _resource_structs(reply, request.operation):
            for member in ("name", "jobName"):
                if member in struct:
                    struct[member] = 12345
                    break
        return reply


# -- validation-strategy faults ---------------------------------------------------------------

@fault("no-length-check")
class NoLengthCheck(Fault):
    summary = "string length constraints are not validated"
    relax = frozenset({"length"})


@fault("no-enum-check")
class NoEnumCheck(Fault):
    summary = "enum constraints are not validated"
    relax = frozenset({"enum"})


@fault("no-required-check")
class NoRequiredCheck(Fault):
    summary = "required members are not validated (the operation then runs without them)"
    relax = frozenset({"required"})


@fault("prefix-patterns")
class PrefixPatterns(Fault):
    summary = "patterns are checked against a prefix of the value, not the whole value"
    relax = frozenset({"whole-value"})


def _has_non_ascii(value) -> bool:
    if isinstance(value, str):
        return not value.isascii()
    if isinstance(value, dict):
        return any(_has_non_ascii(k) or _has_non_ascii(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_non_ascii(v) for v in value)
    return False


@fault("multibyte-500")
class Multibyte500(Fault):
    summary = "a request whose strings contain non-ASCII characters is answered 500"

    def intercept(self, request):
        try:
            params = json.loads(request.body.decode("utf-8")) if request.body.strip() else {}
        except (UnicodeDecodeError, ValueError, RecursionError):
            return None
        if not _has_non_ascii(params):
            return None
        return wire.Reply(500, {"__type": "InternalFailure",
                                "message": "The server encountered an internal error."},
                          error="InternalFailure", request_id=wire.new_request_id())


# -- contract faults --------------------------------------------------------------------------

@fault("backwards-transition")
class BackwardsTransition(Fault):
    summary = "a resource seen ACTIVE is later described as CREATE IN_PROGRESS"

    def __init__(self, operations):
        super().__init__(operations)
        self.seen_active: set[str] = set()

    def reset(self):
        self.seen_active.clear()

    def transform(self, request, reply):
        if not (request.operation or "").startswith("Describe"):
            return reply
        for struct in _resource_structs(reply, request.operation):
            if struct.get("status") != "ACTIVE":
                continue
            key = json.dumps({k: v for k, v in struct.items() if k.endswith("Arn")},
                             sort_keys=True)
            if key in self.seen_active:
                struct["status"] = "CREATE IN_PROGRESS"
            else:
                self.seen_active.add(key)
        return reply


@fault("unknown-status")
class UnknownStatus(Fault):
    summary = "Describe and List replies report the undocumented status CREATING"

    def transform(self, request, reply):
        for struct in _resource_structs(reply, request.operation):
            if "status" in struct:
                struct["status"] = "CREATING"
        return reply


@fault("delete-in-use")
class DeleteInUse(Fault):
    summary = "deletes ignore dependants instead of answering ResourceInUseException"

    def install(self, service):
        self.wrap_hook(service, "check_dependants", lambda original: lambda call, res: None)


@fault("duplicate-accepted")
class DuplicateAccepted(Fault):
    summary = "creating a duplicate succeeds (replacing the original) instead of failing"

    def install(self, service):
        self.wrap_hook(service, "check_unique", lambda original: lambda call, kind, values: None)


@fault("missing-reference-accepted")
class MissingReferenceAccepted(Fault):
    summary = "a referenced ARN that does not exist is accepted as if it were ACTIVE"

    def install(self, service):
        def make(original):
            def resolve(call, kind, arn, active=False):
                try:
                    return original(call, kind, arn, active)
                except ApiError as exc:
                    if exc.code != "ResourceNotFoundException":
                        raise
                    return Resource(kind, arn, {"name": arn.rsplit("/", 1)[-1],
                                                "status": "ACTIVE"}, {})
            return resolve
        self.wrap_hook(service, "resolve_reference", make)


@fault("page-overlap")
class PageOverlap(Fault):
    summary = "the next page starts again with the last item of the previous page"

    def install(self, service):
        def make(original):
            def window(operation, ranks, after, limit):
                start, stop, nxt = original(operation, ranks, after, limit)
                if nxt is not None and stop - start >= 2:
                    nxt = ranks[stop - 2]
                return start, stop, nxt
            return window
        self.wrap_window(service, make)


@fault("page-drop")
class PageDrop(Fault):
    summary = "one item is skipped between consecutive pages"

    def install(self, service):
        def make(original):
            def window(operation, ranks, after, limit):
                start, stop, nxt = original(operation, ranks, after, limit)
                if nxt is not None:
                    nxt = ranks[stop] if stop + 1 < len(ranks) else None
                return start, stop, nxt
            return window
        self.wrap_window(service, make)


@fault("endless-token")
class EndlessToken(Fault):
    summary = "every list page carries a nextToken, even the last"

    def install(self, service):
        def make(original):
            def window(operation, ranks, after, limit):
                start, stop, nxt = original(operation, ranks, after, limit)
                if nxt is None:
                    nxt = ranks[stop - 1] if stop > start else (after or 0)
                return start, stop, nxt
            return window
        self.wrap_window(service, make)


@fault("max-results-ignored")
class MaxResultsIgnored(Fault):
    summary = "maxResults is ignored; pages hold up to 100 items"

    def install(self, service):
        self.wrap_window(service, lambda original: lambda operation, ranks, after, limit:
                         original(operation, ranks, after, DEFAULT_MAX_RESULTS))


@fault("tags-lost")
class TagsLost(Fault):
    summary = "TagResource answers success but stores nothing"

    def install(self, service):
        self.wrap_hook(service, "store_tags", lambda original: lambda call, res, tags: None)


@fault("untag-ignored")
class UntagIgnored(Fault):
    summary = "UntagResource answers success but removes nothing"

    def install(self, service):
        self.wrap_hook(service, "remove_tags", lambda original: lambda call, res, keys: None)


@fault("update-ignored")
class UpdateIgnored(Fault):
    summary = "updates answer success but Describe never reflects them"

    def install(self, service):
        self.wrap_hook(service, "start_update",
                       lambda original: lambda call, res, field, summary, apply: None)


@fault("never-deleted")
class NeverDeleted(Fault):
    summary = "a deleted resource stays in DELETE PENDING forever"

    def install(self, service):
        def make(original):
            def begin_delete(call, res):
                flow = ("DELETE PENDING",) if res.status is not None else (GONE,)
                service.lifecycle.begin(res, flow, call.now)
            return begin_delete
        self.wrap_hook(service, "begin_delete", make)


# -- invariants beyond single answers ---------------------------------------------------------

@fault("wrong-not-found")
class WrongNotFound(Fault):
    summary = "Describe of a missing resource answers InvalidInputException, not ResourceNotFoundException"

    def transform(self, request, reply):
        if (request.operation or "").startswith("Describe") and reply.error == "ResourceNotFoundException":
            reply.error = "InvalidInputException"
            reply.payload = {**(reply.payload or {}), "__type": "InvalidInputException"}
        return reply


@fault("list-ignores-filter")
class ListIgnoresFilter(Fault):
    summary = "a List narrowed by a parent's ARN answers the resources of every parent"

    def install(self, service):
        self.wrap_hook(service, "in_scope", lambda original: lambda call, items, member, scope: items)


@fault("timestamps-reversed")
class TimestampsReversed(Fault):
    summary = "Describe replies say a resource was last updated an hour before it was created"

    def transform(self, request, reply):
        if (request.operation or "").startswith("Describe"):
            for struct in _resource_structs(reply, request.operation):
                if isinstance(struct.get("creationDateTime"), (int, float)):
                    struct["lastUpdatedDateTime"] = struct["creationDateTime"] - 3600
        return reply


@fault("creation-time-drifts")
class CreationTimeDrifts(Fault):
    summary = "each Describe moves a resource's creationDateTime a second later"

    def __init__(self, operations):
        super().__init__(operations)
        self.reads = 0

    def reset(self):
        self.reads = 0

    def transform(self, request, reply):
        if (request.operation or "").startswith("Describe"):
            for struct in _resource_structs(reply, request.operation):
                if isinstance(struct.get("creationDateTime"), (int, float)):
                    self.reads += 1
                    struct["creationDateTime"] = struct["creationDateTime"] + self.reads
        return reply


_PERSONALIZE_ARN = re.compile(r"arn:aws[a-z-]*:personalize:[a-z0-9-]*:\d{12}:([a-z-]+)/([^\s\"]+)")


@fault("arn-without-name")
class ArnWithoutName(Fault):
    summary = "resource ARNs carry a made-up id instead of the name (and parent) they were created with"

    def __init__(self, operations):
        super().__init__(operations)
        self.alias: dict[str, str] = {}   # real ARN -> the ARN clients see
        self.real: dict[str, str] = {}

    def reset(self):
        self.alias.clear()
        self.real.clear()

    def _hide(self, match) -> str:
        arn = match.group(0)
        if arn in self.real:
            return arn
        if arn not in self.alias:
            kind, rest = match.group(1), match.group(2)
            ids = "/".join(hashlib.sha1(f"{arn}:{i}".encode()).hexdigest()[:10] for i in range(rest.count("/") + 1))
            self.alias[arn] = arn[:match.start(1) - match.start(0)] + f"{kind}/{ids}"
            self.real[self.alias[arn]] = arn
        return self.alias[arn]

    def intercept(self, request):
        if self.real:
            text = request.body.decode("utf-8", "replace")
            for alias, arn in self.real.items():
                if alias in text:
                    text = text.replace(alias, arn)
            request.body = text.encode("utf-8")
        return None

    def transform(self, request, reply):
        if reply.status == 200 and reply.payload:
            reply.payload = json.loads(_PERSONALIZE_ARN.sub(self._hide, json.dumps(reply.payload)))
        return reply


@fault("creation-time-omitted")
class CreationTimeOmitted(Fault):
    summary = "Describe replies leave out creationDateTime, which AWS always answers (the model requires nothing)"

    def transform(self, request, reply):
        if (request.operation or "").startswith("Describe"):
            for struct in _resource_structs(reply, request.operation):
                struct.pop("creationDateTime", None)
        return reply


@fault("names-folded")
class NamesFolded(Fault):
    summary = "Describe and List answer resource names lower-cased"

    def transform(self, request, reply):
        for struct in _resource_structs(reply, request.operation):
            for member in ("name", "jobName"):
                if isinstance(struct.get(member), str):
                    struct[member] = struct[member].lower()
        return reply


def _mangle(value):
    """Non-ASCII text as a client reading UTF-8 bytes as Latin-1 would answer it back."""
    if isinstance(value, str) and not value.isascii():
        return value.encode("utf-8").decode("latin-1")
    if isinstance(value, dict):
        return {_mangle(k): _mangle(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_mangle(v) for v in value]
    return value


@fault("non-ascii-mangled")
class NonAsciiMangled(Fault):
    summary = "non-ASCII text comes back re-encoded (its UTF-8 bytes read as Latin-1)"

    def transform(self, request, reply):
        if reply.status == 200 and reply.payload:
            reply.payload = _mangle(reply.payload)
        return reply


@fault("cascade-skipped")
class CascadeSkipped(Fault):
    summary = "what a delete should take with it (a solution's versions) outlives it"

    def install(self, service):
        original = service.cascade

        def cascade(state, res, at):
            from .catalogue import BY_KEY
            if not self.applies(BY_KEY[res.kind].info.delete_op):
                original(state, res, at)
        service.cascade = cascade


_ESCAPED_NON_ASCII = re.compile(rb"\\u(?!00[0-7][0-9a-fA-F])[0-9a-fA-F]{4}")


@fault("escaped-unicode-500")
class EscapedUnicode500(Fault):
    summary = "a body with non-ASCII text \\u-escaped (as boto3 sends it) is answered 500; raw UTF-8 is fine"

    def intercept(self, request):
        if not _ESCAPED_NON_ASCII.search(request.body):
            return None
        return wire.Reply(500, {"__type": "InternalFailure", "message": "The server encountered an internal error."},
                          error="InternalFailure", request_id=wire.new_request_id())


def _folded(value):
    if isinstance(value, str):
        return "".join(c if c.isascii() else "a" for c in value)
    if isinstance(value, dict):
        return {_folded(k): _folded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_folded(v) for v in value]
    return value


@fault("non-ascii-folded")
class NonAsciiFolded(Fault):
    summary = "non-ASCII letters are folded to 'a' before validation, so patterns that forbid them pass"

    def intercept(self, request):
        try:
            params = json.loads(request.body.decode("utf-8")) if request.body.strip() else None
        except (UnicodeDecodeError, ValueError, RecursionError):
            return None
        if params is not None and params != _folded(params):
            request.body = json.dumps(_folded(params)).encode("utf-8")
        return None


@fault("delete-statuses-renamed")
class DeleteStatusesRenamed(Fault):
    summary = "a resource being deleted reports DELETING, a status only the docs' vocabulary rules out"

    def transform(self, request, reply):
        for struct in _resource_structs(reply, request.operation):
            if str(struct.get("status", "")).startswith("DELETE"):
                struct["status"] = "DELETING"
        return reply


@fault("create-without-arn")
class CreateWithoutArn(Fault):
    summary = "Creates answer success without the ARN of what they created"

    def transform(self, request, reply):
        if (request.operation or "").startswith("Create") and reply.status == 200 and reply.payload:
            reply.payload = {k: v for k, v in reply.payload.items() if not k.endswith("Arn")}
        return reply


@fault("parent-not-echoed")
class ParentNotEchoed(Fault):
    summary = "Describe replies name a resource's dataset group by another ARN than the one it was created in"

    def transform(self, request, reply):
        if (request.operation or "").startswith("Describe"):
            for struct in _resource_structs(reply, request.operation):
                if isinstance(struct.get("datasetGroupArn"), str):
                    struct["datasetGroupArn"] = struct["datasetGroupArn"] + "-other"
        return reply


# -- the set of active faults -----------------------------------------------------------------

class FaultSet:
    """The faults one Emulator runs with, and the three places they are applied."""

    def __init__(self, faults: list[Fault]):
        self.faults = faults

    @classmethod
    def parse(cls, specs: Iterable[str] | str) -> "FaultSet":
        if isinstance(specs, str):
            specs = [specs]
        faults = []
        for spec in specs:
            name, _, scope = str(spec).strip().partition(":")
            if name not in FAULTS:
                raise ValueError(f"unknown fault {name!r}; known: {', '.join(sorted(FAULTS))}")
            operations = frozenset(op.strip() for op in scope.split(",") if op.strip()) or None
            unknown = (operations or frozenset()) - set(model.operation_names())
            if unknown:
                raise ValueError(f"fault {name!r} names unknown operations: {sorted(unknown)}")
            faults.append(FAULTS[name](operations))
        return cls(faults)

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.faults]

    def validators(self, build: Callable) -> dict:
        """Validators for every operation, relaxed per operation as the faults ask."""
        operations = model.operation_names()
        relax_for = {op: frozenset().union(*(f.relax for f in self.faults if f.applies(op)))
                     for op in operations}
        validators = {}
        for relax in set(relax_for.values()):
            group = [op for op in operations if relax_for[op] == relax]
            validators.update(build(group, relax))
        return validators

    def install(self, service) -> None:
        for f in self.faults:
            f.install(service)

    def reset(self) -> None:
        for f in self.faults:
            f.reset()

    def wrap(self, respond: Callable[[wire.Request], wire.Reply]):
        if not self.faults:
            return respond
        faults = self.faults

        def respond_with_faults(request: wire.Request) -> wire.Reply:
            op = request.operation
            for f in faults:
                if f.applies(op):
                    early = f.intercept(request)
                    if early is not None:
                        return early
            reply = respond(request)
            for f in faults:
                if f.applies(op):
                    reply = f.transform(request, reply)
            return reply

        return respond_with_faults


def describe_faults() -> str:
    """One line per fault, for ``--help`` and the documentation."""
    return "\n".join(f"{name}: {cls.summary}" for name, cls in sorted(FAULTS.items()))
