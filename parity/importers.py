"""Snapshots of traffic recorded elsewhere: a HAR file, or botocore's debug log.

Either becomes one scenario of exchanges in the order they were sent, normalised like a
recording, so `compare` can replay it on any target. Only Personalize control-plane calls are
kept (`X-Amz-Target: AmazonPersonalize.<Op>`); everything else in the file is skipped.
"""
from __future__ import annotations

import ast
import json
import pathlib
import re

from .exchanges import Raw, normalised
from .snapshot import Scenario, SnapshotError

PREFIX = "AmazonPersonalize."


def from_har(path) -> Scenario:
    try:
        data = json.loads(pathlib.Path(path).read_text(encoding="utf-8"))
        entries = data["log"]["entries"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise SnapshotError(f"{path}: not a HAR file ({exc.__class__.__name__}: {exc})") from None
    raws = []
    for entry in entries:
        request, response = entry.get("request") or {}, entry.get("response") or {}
        headers = {h.get("name", "").lower(): h.get("value", "") for h in request.get("headers") or []}
        target = headers.get("x-amz-target", "")
        if not target.startswith(PREFIX):
            continue
        params = _json((request.get("postData") or {}).get("text") or "{}")
        rheaders = {h.get("name", "").lower(): h.get("value", "") for h in response.get("headers") or []}
        raws.append(_raw(target[len(PREFIX):], params if isinstance(params, dict) else {},
                         response.get("status"), rheaders, ((response.get("content") or {}).get("text") or "")))
    return Scenario(f"imported/{pathlib.Path(path).stem}", normalised(raws), outcome="IMPORTED", source=str(path))


_OPERATION = re.compile(r"Event before-call\.personalize\.(\w+)|Making request for OperationModel\(name=(\w+)\)")
_PARAMS = re.compile(r"'body': b'(?P<body>(?:[^'\\]|\\.)*)'")
_HEADERS = re.compile(r"Response headers: (\{.*\})")
_LITERAL = re.compile(r"^b'(?P<body>(?:[^'\\]|\\.)*)'$")


def from_botocore_log(path) -> Scenario:
    """botocore's DEBUG log (`boto3.set_stream_logger('')`): each `Making request for
    OperationModel(name=Op)` line with its request body, then `Response headers:` and the
    `Response body:` that follows it."""
    try:
        lines = pathlib.Path(path).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError as exc:
        raise SnapshotError(f"{path}: {exc}") from None
    raws, current, waiting_body = [], None, False
    for line in lines:
        op = _OPERATION.search(line)
        if op and "Making request" in line:
            body = _PARAMS.search(line)
            params = _json(_unescape(body["body"])) if body else {}
            current = {"operation": op.group(1) or op.group(2), "params": params if isinstance(params, dict) else {},
                       "headers": {}}
            continue
        if current is None:
            continue
        headers = _HEADERS.search(line)
        if headers:
            try:
                current["headers"] = {str(k).lower(): str(v) for k, v in ast.literal_eval(headers[1]).items()}
            except (ValueError, SyntaxError, AttributeError):
                pass
            continue
        if line.rstrip().endswith("Response body:"):
            waiting_body = True
            continue
        literal = _LITERAL.match(line.strip())
        if waiting_body and literal:
            text = _unescape(literal["body"])
            status = 400 if re.search(r'"__type"\s*:', text) else 200
            raws.append(_raw(current["operation"], current["params"], status,
                             current["headers"] or {"content-type": "application/x-amz-json-1.1"}, text))
            current, waiting_body = None, False
    if not raws:
        raise SnapshotError(f"{path}: no Personalize request and response found (a botocore DEBUG log?)")
    return Scenario(f"imported/{pathlib.Path(path).stem}", normalised(raws), outcome="IMPORTED", source=str(path))


def _raw(operation, params, status, headers, body_text) -> Raw:
    from personalize_conformance.targets import WireResponse
    from .exchanges import raw_from_response
    status = status if isinstance(status, int) else None
    if status is None:
        return Raw(operation, params, None, None, None, None)
    return raw_from_response(operation, params, WireResponse(status, headers, body_text.encode("utf-8"), 0.0))


def _json(text: str):
    try:
        return json.loads(text)
    except ValueError:
        return {}


def _unescape(text: str) -> str:
    try:
        return ast.literal_eval("b'" + text + "'").decode("utf-8", "replace")
    except (ValueError, SyntaxError):
        return text


def from_observations(folder=None) -> list[Scenario]:
    """The observed-AWS corpus (`contracts/observations/`, or a folder laid out like it) as
    snapshots: one scenario per source, each complete response, error and status walk an
    exchange. They carry no request (the sources printed answers, not calls), so `compare`
    matches them by operation against what the target answers in the scenario set, instead
    of replaying them."""
    from personalize_conformance.contracts import observed
    items = observed.observations() if folder is None else _observations_in(folder)
    by_file: dict[str, list] = {}
    for item in items:
        by_file.setdefault(item.file, []).append(item)
    scenarios = []
    for file, found in sorted(by_file.items()):
        raws = []
        for o in found:
            if o.is_transcript and o.resource:
                from personalize_conformance import contracts
                describe = contracts.resource_type(o.resource).op("describe")
                raws.append(Raw(describe, {}, 200, None, None, None,
                                poll={"resource": o.resource, "action": o.action or "create",
                                      "member": o.member or "status", "statuses": list(o.statuses)}))
            elif o.error is not None and o.operation:
                raws.append(Raw(o.operation, {}, o.status_code, o.error.get("code"), None, None))
            elif o.complete and o.operation and o.kind == "recorded":
                from personalize_conformance.targets import WireResponse
                from .exchanges import raw_from_response
                raws.append(raw_from_response(o.operation, {}, WireResponse.of(o.status_code, o.headers(), o.wire_body())))
        if raws:
            scenarios.append(Scenario(f"observed/{pathlib.Path(file).stem}", normalised(raws), outcome=OBSERVED,
                                      source=found[0].source.split("@")[0]))
    return scenarios


OBSERVED = "OBSERVED"


def _observations_in(folder):
    from personalize_conformance.contracts import observed
    try:
        out = observed.read_folder(folder)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise SnapshotError(f"{folder}: {exc.__class__.__name__}: {exc}") from None
    if not out:
        raise SnapshotError(f"{folder}: no observations (*.yaml with an `observations` list)")
    return out
