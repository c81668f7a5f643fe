"""HAR 1.2 files: recorded traffic written by a run, or exported by a browser or a proxy.

Only what conformance needs is read: the operation (from the X-Amz-Target request header), the
request body, and the response's status, headers and body. Request headers are written redacted:
a HAR file is shared like any report, and credentials never leave the process.
"""
from __future__ import annotations

import base64
import datetime
import json
import pathlib
from dataclasses import dataclass

from personalize_conformance.errors import ConformanceError
from personalize_conformance.targets import WireResponse, redact
from personalize_conformance.targets.signing import TARGET_PREFIX

VERSION = "1.2"


class HarError(ConformanceError, ValueError):
    """A file that is not a HAR document."""


@dataclass
class Exchange:
    """One request and its response, as read back from a HAR entry."""
    index: int
    method: str
    url: str
    request_headers: dict[str, str]  # lower-case names
    body: bytes
    response: WireResponse | None  # None: the request got no answer (HAR status 0)
    started: float | None
    error: str = ""
    case: dict | None = None  # the `_case` a run's recorder kept: the case's own fields

    @property
    def operation(self) -> str | None:
        """The operation the X-Amz-Target header names; for a case a run sent without the header
        on purpose (a request-level defect), the operation its recorded case names."""
        target = self.request_headers.get("x-amz-target", "")
        prefix, _, name = target.partition(".")
        if prefix == TARGET_PREFIX and name:
            return name
        recorded = (self.case or {}).get("operation")
        return recorded if not target and isinstance(recorded, str) and recorded else None


def _iso(epoch: float) -> str:
    return datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc).isoformat(timespec="milliseconds")


def _epoch(text) -> float | None:
    try:
        return datetime.datetime.fromisoformat(str(text).replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


def _text(data: bytes) -> dict:
    try:
        return {"text": data.decode("utf-8")}
    except UnicodeDecodeError:
        return {"text": base64.b64encode(data).decode("ascii"), "encoding": "base64"}


def _pairs(headers: dict) -> list[dict]:
    return [{"name": str(k), "value": str(v)} for k, v in headers.items() if v is not None]


def entry(url: str, request_headers: dict, body: bytes, response: WireResponse | None,
          started: float, error: str = "") -> dict:
    """One HAR entry; `response` None records a request that got no answer, as browsers do."""
    posted = _text(body)
    post_data = {"mimeType": str(request_headers.get("Content-Type", "")), "text": posted["text"]}
    if "encoding" in posted:
        post_data["_encoding"] = posted["encoding"]  # HAR has no field for a binary request body
    elapsed = round(response.elapsed * 1000, 3) if response else 0
    record = {
        "startedDateTime": _iso(started),
        "time": elapsed,
        "request": {"method": "POST", "url": url, "httpVersion": "HTTP/1.1",
                    "headers": _pairs(redact(request_headers)), "queryString": [], "cookies": [],
                    "headersSize": -1, "bodySize": len(body), "postData": post_data},
        "response": {"status": 0, "statusText": "", "httpVersion": "HTTP/1.1", "headers": [], "cookies": [],
                     "content": {"size": 0, "mimeType": "", "text": ""}, "redirectURL": "",
                     "headersSize": -1, "bodySize": -1},
        "cache": {},
        "timings": {"send": 0, "wait": elapsed, "receive": 0},
    }
    if response is not None:
        content = {"size": len(response.body), "mimeType": response.headers.get("content-type", ""),
                   **_text(response.body)}
        record["response"].update(status=response.status, headers=_pairs(response.headers),
                                  content=content, bodySize=len(response.body))
    if error:
        record["response"]["_error"] = error
    return record


def document(entries: list[dict], creator_version: str = "") -> dict:
    return {"log": {"version": VERSION,
                    "creator": {"name": "personalize-conformance", "version": creator_version or "unknown"},
                    "entries": entries}}


def write(path: str | pathlib.Path, entries: list[dict], creator_version: str = "") -> pathlib.Path:
    path = pathlib.Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document(entries, creator_version), indent=1, ensure_ascii=False),
                    encoding="utf-8")
    return path


def _decode(container: dict, encoding_keys=("encoding", "_encoding")) -> bytes:
    text = container.get("text")
    if not isinstance(text, str):
        return b""
    if any(container.get(k) == "base64" for k in encoding_keys):
        try:
            return base64.b64decode(text, validate=False)
        except ValueError:
            return text.encode("utf-8")
    return text.encode("utf-8")


def _headers(items) -> dict[str, str]:
    """HAR headers as a dict; repeated names are joined the way HTTP folds them."""
    out: dict[str, str] = {}
    for item in items if isinstance(items, list) else ():
        if isinstance(item, dict) and "name" in item:
            name, value = str(item["name"]).lower(), str(item.get("value", ""))
            out[name] = f"{out[name]}, {value}" if name in out else value
    return out


# Response headers a browser's HAR may carry that are sessions, not protocol: never copied on.
SESSION_HEADERS = ("set-cookie", "set-cookie2")


def _exchange(index: int, raw: dict) -> Exchange:
    request = raw.get("request") if isinstance(raw.get("request"), dict) else {}
    response = raw.get("response") if isinstance(raw.get("response"), dict) else {}
    post = request.get("postData") if isinstance(request.get("postData"), dict) else {}
    status = response.get("status")
    wire = None
    if isinstance(status, int) and status > 0:
        content = response.get("content") if isinstance(response.get("content"), dict) else {}
        elapsed = raw.get("time")
        headers = {k: ("<redacted>" if k in SESSION_HEADERS else v) for k, v in _headers(response.get("headers")).items()}
        wire = WireResponse.of(status, headers, _decode(content),
                               (elapsed / 1000) if isinstance(elapsed, (int, float)) and elapsed > 0 else 0.0)
    return Exchange(index=index, method=str(request.get("method", "")).upper(), url=str(request.get("url", "")),
                    request_headers=_headers(request.get("headers")), body=_decode(post), response=wire,
                    started=_epoch(raw.get("startedDateTime")),
                    error=str(response.get("_error") or ("" if wire else "no response recorded")),
                    case=raw["_case"] if isinstance(raw.get("_case"), dict) else None)


def read(path: str | pathlib.Path) -> list[Exchange]:
    """Every entry of the HAR file at `path`, in order; raises HarError for anything else."""
    try:
        text = pathlib.Path(path).expanduser().read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise HarError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise HarError(f"{path}: cannot read it ({exc.__class__.__name__})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise HarError(f"{path}: not JSON ({exc.msg} at line {exc.lineno})") from None
    log = data.get("log") if isinstance(data, dict) else None
    if not isinstance(log, dict) or not isinstance(log.get("entries"), list):
        raise HarError(f"{path}: not a HAR file (no log.entries)")
    return [_exchange(i, e) for i, e in enumerate(log["entries"]) if isinstance(e, dict)]
