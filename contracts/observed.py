"""Observed AWS traffic (`observations/*.yaml`) as objects: what real Personalize has been seen to answer.

Each file holds the observations of one public source (a notebook's printed outputs, the CLI
examples of the developer guide, issue threads). An observation is one of:

- a response: `operation`, `response` (the printed value, values as printed), `printed` (where
  that value sits in the answer: `$` for the whole body, a member name, or `member[]` for one item
  of a list), `http` (status and headers when the SDK printed its ResponseMetadata);
- a status transcript: `operation` (the Describe that was polled), `resource`, `member`,
  `action`, `statuses` (as polls saw them, repeats folded), `polls`;
- an error: `operation`, `error: {code, message}`, `http` when printed (`partial: true` when the
  source shows only some of the headers);
- ARNs printed outside a response: `arns`.

`kind` is `recorded` (real traffic) or `example` (documentation examples: a weaker kind, whose
placeholders stand where AWS would print values). Printed bodies are what boto3 or the CLI made
of the wire, so `wire_body()` turns them back into what AWS sent: timestamps become epoch-second
numbers again, and an empty answer an empty body. `python -m personalize_conformance.contracts.observed`
prints the count per operation and what remains unobserved.
"""
from __future__ import annotations

import collections
import datetime
import json
import pathlib
import re
from dataclasses import dataclass, field
from functools import lru_cache

import yaml

HERE = pathlib.Path(__file__).resolve().parent / "observations"
RECORDED, EXAMPLE = "recorded", "example"
WIRE_HEADERS = {"content-type": "application/x-amz-json-1.1", "x-amzn-requestid": "observed"}


@dataclass(frozen=True)
class Observation:
    file: str
    source: str
    kind: str
    operation: str | None = None
    at: str = ""                      # "cell 12", "line 40": where in the source
    response: object = None
    printed: str = "$"
    http: dict | None = None
    error: dict | None = None
    statuses: tuple[str, ...] = ()
    resource: str | None = None
    member: str | None = None
    action: str | None = None
    polls: int = 0
    label: str = ""
    arns: tuple[str, ...] = ()
    note: str = ""
    raw: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def citation(self) -> str:
        return f"{self.source}" + (f" ({self.at})" if self.at else "")

    @property
    def is_response(self) -> bool:
        return self.response is not None

    @property
    def is_transcript(self) -> bool:
        return bool(self.statuses)

    @property
    def complete(self) -> bool:
        """True when the whole answer was printed, so its member set is AWS's."""
        return self.is_response and self.printed == "$"

    @property
    def trigger(self) -> str | None:
        """The operation whose effect a transcript watched (CreateCampaign, UpdateDataset, ...)."""
        if not self.is_transcript or not self.resource:
            return None
        from .catalogue import resource_type
        return resource_type(self.resource).op(self.action or "create")

    def body(self) -> dict:
        """The answer the printed value belongs to, values as printed."""
        if self.printed == "$":
            return dict(self.response)
        if self.printed.endswith("[]"):
            return {self.printed[:-2]: [self.response]}
        return {self.printed: self.response}

    def headers(self) -> dict[str, str]:
        """The headers AWS sent where the SDK printed them (completed by the protocol's own two
        where the source printed only some, `partial`); else the protocol's own two."""
        printed = {k.lower(): str(v) for k, v in ((self.http or {}).get("headers") or {}).items()}
        if printed and (self.http or {}).get("partial"):
            return {**WIRE_HEADERS, **printed}
        return printed or dict(WIRE_HEADERS)

    @property
    def status_code(self) -> int:
        return int((self.http or {}).get("status") or (400 if self.error else 200))

    def wire_body(self) -> bytes:
        """What AWS sent for this answer: compact JSON with epoch-second timestamps, or nothing
        where it sent nothing (content-length 0)."""
        if self.error is not None:
            return json.dumps({"__type": self.error["code"], "message": self.error.get("message", "")},
                              separators=(",", ":")).encode()
        if self.headers().get("content-length") == "0":
            return b""
        shape = _output_shape(self.operation)
        return json.dumps(_to_wire(self.body(), shape), separators=(",", ":"), ensure_ascii=False).encode()


# -- printed values back to the wire ------------------------------------------------------------

_PY_DATETIME = re.compile(r"datetime\.datetime\(([\d,\s]+?)(?:,\s*tzinfo=(\w+)\(\))?\)$")


def epoch(value) -> float | None:
    """Epoch seconds of a timestamp as boto3, json.dumps(default=str) or the CLI printed it.
    A naive time (boto3's tzlocal) is read as UTC: the notebooks ran on UTC hosts."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if not isinstance(value, str):
        return None
    text = value.strip()
    m = _PY_DATETIME.match(text)
    if m:
        parts = [int(p) for p in m.group(1).split(",") if p.strip()]
        moment = datetime.datetime(*parts, tzinfo=datetime.timezone.utc)
        return moment.timestamp()
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.timezone.utc)
    return moment.timestamp()


def _to_wire(value, shape):
    if shape is None or value is None:
        return value
    kind = shape.type_name
    if kind == "timestamp":
        seconds = epoch(value)
        return value if seconds is None else (int(seconds) if seconds == int(seconds) else round(seconds, 3))
    if kind == "structure" and isinstance(value, dict):
        return {k: _to_wire(v, shape.members.get(k)) for k, v in value.items()}
    if kind == "list" and isinstance(value, list):
        return [_to_wire(v, shape.member) for v in value]
    if kind == "map" and isinstance(value, dict):
        return {k: _to_wire(v, shape.value) for k, v in value.items()}
    return value


@lru_cache(maxsize=1)
def _service_model():
    import botocore.session
    return botocore.session.get_session().get_service_model("personalize")


def _output_shape(operation: str | None):
    model = _service_model()
    if operation not in model.operation_names:
        return None
    return model.operation_model(operation).output_shape


def operation_names() -> tuple[str, ...]:
    return tuple(sorted(_service_model().operation_names))


# -- loading ------------------------------------------------------------------------------------

def _observation(file: str, data: dict) -> Observation:
    at = f"cell {data['cell']}" if "cell" in data else f"line {data['line']}" if "line" in data else ""
    return Observation(
        file=file, source=data["source"], kind=data.get("kind", RECORDED), operation=data.get("operation"),
        at=at, response=data.get("response"), printed=data.get("printed", "$"), http=data.get("http"),
        error=data.get("error"), statuses=tuple(data.get("statuses") or ()), resource=data.get("resource"),
        member=data.get("member"), action=data.get("action"), polls=int(data.get("polls") or 0),
        label=str(data.get("label") or ""), arns=tuple(data.get("arns") or ()), note=str(data.get("note") or ""),
        raw=data)


@lru_cache(maxsize=1)
def observations() -> tuple[Observation, ...]:
    return read_folder(HERE)


def read_folder(folder) -> tuple[Observation, ...]:
    """Every observation in a folder laid out like this one (`*.yaml` with `observations`)."""
    out = []
    for path in sorted(pathlib.Path(folder).glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        out.extend(_observation(path.name, item) for item in doc.get("observations") or ())
    return tuple(out)


def responses(kind: str | None = None) -> list[Observation]:
    return [o for o in observations() if o.is_response and (kind is None or o.kind == kind)]


def transcripts(kind: str | None = None) -> list[Observation]:
    return [o for o in observations() if o.is_transcript and (kind is None or o.kind == kind)]


def errors(kind: str | None = None) -> list[Observation]:
    return [o for o in observations() if o.error is not None and (kind is None or o.kind == kind)]


_ARN = re.compile(r"^arn:aws[a-z-]*:personalize:")


def arns(kind: str | None = None) -> list[tuple[str, str | None, Observation]]:
    """Every Personalize ARN observed: (arn, the member that held it or None, observation)."""
    found = []
    for o in observations():
        if kind is not None and o.kind != kind:
            continue
        found.extend((a, None, o) for a in o.arns)
        if o.is_response:
            found.extend((a, m, o) for m, a in _arn_members(o.body()))
        if o.error is not None:
            found.extend((a, None, o) for a in re.findall(r"arn:aws[a-z-]*:personalize:[^\s,]+[^\s,.]",
                                                             o.error.get("message", "")))
    return found


def _arn_members(node, member: str | None = None):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _arn_members(value, key)
    elif isinstance(node, list):
        for value in node:
            yield from _arn_members(value, member)
    elif isinstance(node, str) and _ARN.match(node):
        yield member, node


# -- member sets ----------------------------------------------------------------------------------

def member_paths(value, shape, prefix: str = "$") -> set[str]:
    """The member paths of an answer, as the model names them: `$.campaign.status`,
    `$.recipes[].name`; a map's keys are data, so a map is one path."""
    if shape is None or not isinstance(value, (dict, list)):
        return set()
    kind = shape.type_name
    out: set[str] = set()
    if kind == "structure" and isinstance(value, dict):
        for name, member in shape.members.items():
            if name in value and value[name] is not None:
                path = f"{prefix}.{name}"
                out.add(path)
                out |= member_paths(value[name], member, path)
    elif kind == "list" and isinstance(value, list):
        for item in value:
            out.add(f"{prefix}[]")  # the list had items: their members can be compared
            out |= member_paths(item, shape.member, f"{prefix}[]")
    return out


def answered_members() -> dict[str, tuple[set[str], set[str]]]:
    """operation -> (members in every complete recorded answer, members in any)."""
    sets = collections.defaultdict(list)
    for o in responses(RECORDED):
        if o.complete:
            sets[o.operation].append(member_paths(o.body(), _output_shape(o.operation)))
    return {op: (set.intersection(*s), set.union(*s)) for op, s in sets.items()}


# Members every recorded answer had, whose presence depends on what the request asked for: not
# held to a target whatever it was asked.
CONDITIONAL: dict[str, dict[str, str]] = {
    "DescribeSolution": {
        "$.solution.recipeArn": "the recipe a solution was created with: a solution with performAutoML "
                                "names its recipe in autoMLResult instead",
    },
}
ALWAYS_ANSWERS, ALWAYS_SOURCES = 3, 2  # the least evidence for "AWS always answers it"


@lru_cache(maxsize=1)
def always_answered() -> dict[str, frozenset[str]]:
    """operation -> the members AWS was seen to answer every time (in every one of at least
    ALWAYS_ANSWERS complete recorded answers from ALWAYS_SOURCES sources or more), but for
    CONDITIONAL ones. The model marks no output member required; these are what a client can
    count on."""
    sources = collections.defaultdict(set)
    counts = collections.Counter()
    for o in responses(RECORDED):
        if o.complete:
            sources[o.operation].add(o.file)
            counts[o.operation] += 1
    out = {}
    for op, (always, _) in answered_members().items():
        if counts[op] >= ALWAYS_ANSWERS and len(sources[op]) >= ALWAYS_SOURCES:
            kept = {p for p in always if not p.endswith("[]") and p not in CONDITIONAL.get(op, {})}
            if kept:
                out[op] = frozenset(kept)
    return out


# -- what the corpus covers ---------------------------------------------------------------------

WHAT = ("response", "complete", "transcript", "walked", "error")


def counts() -> dict[str, collections.Counter]:
    """Per operation: how many responses (and complete ones), transcripts it polled, transcripts
    that walked its effect, and errors, per kind."""
    table: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for o in observations():
        if not o.operation:
            continue
        c = table[o.operation]
        if o.is_response:
            c[("response", o.kind)] += 1
            if o.complete:
                c[("complete", o.kind)] += 1
        if o.is_transcript:
            c[("transcript", o.kind)] += 1
            if o.trigger and o.trigger != o.operation:
                table[o.trigger][("walked", o.kind)] += 1
        if o.error is not None:
            c[("error", o.kind)] += 1
    return dict(table)


def unobserved() -> list[str]:
    """Operations of the model with no recorded observation at all."""
    seen = {op for op, c in counts().items() if any(k == RECORDED for (_, k) in c)}
    return [op for op in operation_names() if op not in seen]


def statuses_seen() -> dict[tuple[str, str], set[str]]:
    """(resource type, status member) → every status value recorded, in transcripts or bodies."""
    from .catalogue import resource_types
    by_describe = {rt.op("describe"): rt for rt in resource_types().values()}
    by_list = {rt.op("list"): rt for rt in resource_types().values()}
    seen: dict[tuple[str, str], set[str]] = collections.defaultdict(set)
    for o in transcripts(RECORDED):
        seen[(o.resource, o.member)].update(o.statuses)
    for o in responses(RECORDED):
        rt = by_describe.get(o.operation) or by_list.get(o.operation)
        if rt is None or rt.status is None:
            continue
        body = o.body()
        key = rt.describe_key if o.operation == rt.op("describe") else rt.list_key
        items = body.get(key)
        for item in items if isinstance(items, list) else [items]:
            if not isinstance(item, dict):
                continue
            if isinstance(item.get(rt.status), str):
                seen[(rt.key, "status")].add(item[rt.status])
            for member, value in item.items():
                if member.startswith("latest") and isinstance(value, dict) and isinstance(value.get("status"), str):
                    seen[(rt.key, member)].add(value["status"])
    return dict(seen)


def figures() -> dict[str, int]:
    """The corpus in numbers, as the README quotes them."""
    return {
        "observations": len(observations()), "sources": len({o.file for o in observations()}),
        "responses": len(responses(RECORDED)), "operations": len({o.operation for o in responses(RECORDED)}),
        "transcripts": len(transcripts(RECORDED)), "types": len({o.resource for o in transcripts(RECORDED)}),
        "errors": len(errors(RECORDED)), "arns": len({a for a, _, _ in arns(RECORDED)}),
        "examples": len([o for o in observations() if o.kind == EXAMPLE]), "unobserved": len(unobserved()),
    }


def table() -> str:
    """The coverage table in Markdown: observations per operation, per kind, and the unobserved."""
    rows = ["| operation | responses (complete) | transcripts polled | transcripts of its effect | errors | examples |",
            "|---|---|---|---|---|---|"]
    data = counts()
    for op in operation_names():
        c = data.get(op)
        if not c:
            continue
        rec = lambda what: c.get((what, RECORDED), 0)  # noqa: E731
        ex = sum(n for (what, kind), n in c.items() if kind == EXAMPLE and what not in ("complete", "walked"))
        rows.append(f"| {op} | {rec('response')} ({rec('complete')}) | {rec('transcript')} | {rec('walked')} "
                    f"| {rec('error')} | {ex} |")
    rows += ["", "| resource type | status member | action | transcripts | paths seen |", "|---|---|---|---|---|"]
    walks: dict[tuple, collections.Counter] = collections.defaultdict(collections.Counter)
    for o in transcripts(RECORDED):
        walks[(o.resource, o.member, o.action)][" > ".join(o.statuses)] += 1
    for (rtype, member, action), paths in sorted(walks.items()):
        seen = "; ".join(f"{p} ({n})" for p, n in paths.most_common())
        rows.append(f"| {rtype} | {member} | {action} | {sum(paths.values())} | {seen} |")
    from .rules import machines
    unwalked = sorted(f"{rtype} {member} {action}" for (rtype, member), m in machines().items()
                      for action in m.flows if (rtype, member, action) not in walks)
    by_origin: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for o in observations():
        origin = o.source.split("@", 1)[0] if "@" in o.source else "/".join(o.source.split("/")[3:5])
        by_origin[origin]["observations"] += 1
        by_origin[origin][o.file] = 1
    rows += ["", "| source repository | files | observations |", "|---|---|---|"]
    for origin, c in sorted(by_origin.items(), key=lambda kv: -kv[1]["observations"]):
        rows.append(f"| {origin} | {len(c) - 1} | {c['observations']} |")
    totals = collections.Counter(o.kind for o in observations())
    missing = unobserved()
    lines = [
        f"{len(observations())} observations from {len({o.file for o in observations()})} sources: "
        f"{totals[RECORDED]} recorded, {totals[EXAMPLE]} examples; "
        f"{len(responses(RECORDED))} recorded responses, {len(transcripts(RECORDED))} status transcripts, "
        f"{len(errors(RECORDED))} errors, {len({a for a, _, _ in arns(RECORDED)})} distinct ARNs.",
        "", *rows, "",
        f"Unobserved ({len(missing)} of {len(operation_names())} operations): " + ", ".join(missing) + ".",
        "", f"Lifecycle flows never seen walked ({len(unwalked)}): " + ", ".join(unwalked) + ".",
    ]
    return "\n".join(lines) + "\n"


DOC = HERE / "README.md"
DOC_HEAD = """# Observed AWS traffic

What real Amazon Personalize was seen to answer, gathered from public material and kept as data
(one file per source; the format is described in `contracts/observed.py`). The harness's rules
are tested against it in `tests/contracts/test_observations*.py`: a rule an observation
contradicts is a bug in the harness. This page is generated:
`python -m personalize_conformance.contracts.observed --write`.

"""


def document() -> str:
    return DOC_HEAD + table()


if __name__ == "__main__":  # pragma: no cover - a report for people
    import sys
    if "--write" in sys.argv[1:]:
        DOC.write_text(document(), encoding="utf-8")
        print(f"wrote {DOC}")
    else:
        print(table(), end="")
