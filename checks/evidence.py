"""Where each expectation of a rule comes from, and what that makes a target breaking it.

A FAIL is worth the trust its source deserves. Facts about AWS are ranked, and every expectation
a rule holds a target to carries the rank of its source:

- `model`: the botocore service model (shapes, required, lengths, ranges, patterns, enums,
  declared errors, `httpStatusCode`, paginators);
- `protocol`: the AWS JSON 1.1 protocol, as Smithy specifies it and botocore implements it;
- `observed`: what real AWS was seen to do in recorded public traffic (`contracts/observations/`);
- `doc`: the API reference's prose, and nothing more.

Doc-level expectations come in two kinds. *Behaviour* (a deleted parent takes its children with
it, names are unique, a resource in use is not deleted, a list pages exactly once) still FAILs,
citing the doc: checking it is what a conformance harness is for. *Vocabulary and order* (the exact
strings of statuses, values of a member named only in prose, members required only in prose, an
error's name for a situation, which validation runs first) is where the docs are demonstrably
loose: breaking one is a WARN saying "the docs say X; AWS has not been observed doing so", until
an observation backs it (it is then `observed`, and FAILs). `--strict` makes those WARNs FAIL.

The labels are data: `RULES` gives each rule's expectations; lifecycle flows carry their own in
`contracts/lifecycles.yaml` (`evidence:`), and invalid cases theirs in the strategies that make
them. `tests/checks/test_evidence.py` holds every `observed` label to the corpus.
"""
from __future__ import annotations

import contextlib
from dataclasses import dataclass, replace

from .findings import FAIL, WARN, Verdict

MODEL, PROTOCOL, OBSERVED, DOC = "model", "protocol", "observed", "doc"
LEVELS = (MODEL, PROTOCOL, OBSERVED, DOC)
BEHAVIOUR, VOCABULARY = "behaviour", "vocabulary"  # the two kinds of a doc-level expectation
REFUSED, ERROR_CODE = "refused", "error-code"      # the two expectations of a must-refuse rule


@dataclass(frozen=True)
class Expectation:
    level: str
    kind: str = BEHAVIOUR
    claim: str = ""      # what the source says, in words, for a doc-level warning
    backed_by: str = ""  # observed: what the corpus holds that backs it (an error code, a kind of answer)


def _e(level: str, kind: str = BEHAVIOUR, claim: str = "", backed_by: str = "") -> Expectation:
    return Expectation(level, kind, claim, backed_by)


def _refusal(code: Expectation) -> dict[str, Expectation]:
    """A must-refuse rule: refusing at all is documented behaviour; the error's name is `code`."""
    return {REFUSED: _e(DOC), ERROR_CODE: code}


_NOT_FOUND = _e(OBSERVED, VOCABULARY, backed_by="ResourceNotFoundException")
_ALREADY = _e(OBSERVED, VOCABULARY, backed_by="ResourceAlreadyExistsException")
_IN_USE = _e(DOC, VOCABULARY, "such a request is refused with ResourceInUseException")

# rule id -> its expectations (the key a verdict names in `expectation`; "" is the rule's own).
RULES: dict[str, dict[str, Expectation]] = {
    # -- per-response checks --
    "acceptance.positive": {"": _e(MODEL)},
    # An invalid case breaks one constraint: a model constraint must be refused as invalid input
    # before the operation runs; one only the docs state (strategies label it `doc`) may be
    # refused with any client error, and accepting it is a doc-level warning.
    "acceptance.negative": {"": _e(MODEL), "doc-constraint": _e(
        DOC, VOCABULARY, "a request breaking this documented constraint is refused")},
    "sdk.request-roundtrip": {"": _e(PROTOCOL)},
    "sdk.response-roundtrip": {"": _e(PROTOCOL)},
    "sdk.error-code": {"": _e(PROTOCOL)},
    "errors.declared": {"": _e(MODEL)},
    "errors.http-status": {"": _e(MODEL)},
    "errors.no-5xx": {"": _e(PROTOCOL)},
    "schema.response": {"": _e(MODEL)},
    "schema.timestamps": {"": _e(PROTOCOL)},
    "schema.no-null": {"": _e(PROTOCOL)},
    "schema.extra-members": {"": _e(MODEL)},
    "schema.observed-members": {"": _e(OBSERVED, backed_by="complete recorded answers")},
    "wire.content-type": {"": _e(PROTOCOL)},
    "wire.json-body": {"": _e(PROTOCOL)},
    "wire.request-id": {"": _e(PROTOCOL)},
    "wire.error-code": {"": _e(PROTOCOL)},
    "wire.error-status": {"": _e(PROTOCOL)},
    "target.not-implemented": {"": _e(PROTOCOL)},
    "target.throttled": {"": _e(PROTOCOL)},
    # -- sequence-level contracts --
    "consistency.describe-echoes-create": {"": _e(DOC)},
    "consistency.describe-after-create": {"": _e(DOC)},
    "consistency.list-includes": {"": _e(DOC)},
    "consistency.list-status-agrees": {"": _e(DOC)},
    "consistency.list-drops-deleted": {"": _e(DOC)},
    "consistency.list-scoped": {"": _e(DOC)},
    "resource.timestamps": {"": _e(OBSERVED, backed_by="recorded Describe answers"),
                            "stable": _e(DOC)},
    "resource.arn-names": {"": _e(OBSERVED, backed_by="recorded ARNs")},
    "update.reflected": {"": _e(DOC)},
    "pagination.exactly-once": {"": _e(DOC)},
    "pagination.terminates": {"": _e(MODEL)},
    "pagination.max-results": {"": _e(MODEL)},
    "pagination.forged-token": _refusal(_e(DOC, VOCABULARY, "a forged nextToken is refused with InvalidNextTokenException")),
    # A flow's statuses and their order: `observed` where the corpus walked the flow
    # (lifecycles.yaml says which), else the docs' vocabulary.
    "lifecycle.known-status": {"": _e(DOC, VOCABULARY, "these are the statuses")},
    "lifecycle.legal-transition": {"": _e(DOC, VOCABULARY, "the statuses come in this order"),
                                   "stays": _e(DOC)},  # a settled status changing with no action: behaviour
    "lifecycle.settles": {"": _e(DOC)},
    "lifecycle.failure-reason": {"": _e(DOC)},  # a warning whatever its evidence: the model makes it optional
    "lifecycle.gone-after-delete": {"": _e(DOC)},
    "lifecycle.action-accepted": {"": _e(DOC)},
    "lifecycle.create-identifies": {"": _e(OBSERVED, backed_by="recorded Create answers")},
    "lifecycle.poll-answer": {"": _e(OBSERVED, VOCABULARY, backed_by="ResourceNotFoundException")},
    "reference.missing-parent": _refusal(_NOT_FOUND),
    "uniqueness.duplicate-name": _refusal(_ALREADY),
    "uniqueness.one-per-parent": _refusal(_e(DOC, VOCABULARY, "such a create is refused with this error")),
    "dependency.delete-in-use": _refusal(_IN_USE),
    "dependency.parent-not-active": _refusal(_IN_USE),
    "dependency.cascade": {"": _e(DOC)},
    "tags.round-trip": {"": _e(DOC)},
    "tags.untag-exact": {"": _e(DOC)},
    "tags.limit": _refusal(_e(DOC, VOCABULARY, "going over the tag limit is refused with TooManyTagsException")),
    "tags.missing-arn": _refusal(_NOT_FOUND),
}
UNLABELLED = _e(DOC)  # a rule missing above is held to the weakest source, never to more


def expectation(rule: str, which: str | None = None) -> Expectation:
    """The expectation `which` of `rule` (its own when None or unknown)."""
    entries = RULES.get(rule) or {"": UNLABELLED}
    return entries.get(which or "", entries.get("", next(iter(entries.values()))))


def level(rule: str, which: str | None = None) -> str:
    return expectation(rule, which).level


def levels(rule: str) -> list[str]:
    """Every level `rule`'s expectations rest on, strongest first (lifecycle flows add their own)."""
    found = {e.level for e in (RULES.get(rule) or {"": UNLABELLED}).values()}
    if rule in ("lifecycle.known-status", "lifecycle.legal-transition"):
        found |= _flow_levels()
    return [lv for lv in LEVELS if lv in found]


def _flow_levels() -> set[str]:
    from personalize_conformance.contracts import machines
    return {flow.evidence for m in machines().values() for flow in m.flows.values()}


# -- strictness -----------------------------------------------------------------------------------

_STRICT = [False]


def strict() -> bool:
    """Whether doc-only vocabulary and order FAIL (`--strict`) instead of WARN."""
    return _STRICT[0]


def set_strict(on: bool) -> None:
    _STRICT[0] = bool(on)


@contextlib.contextmanager
def strictness(on: bool):
    before = _STRICT[0]
    _STRICT[0] = bool(on)
    try:
        yield
    finally:
        _STRICT[0] = before


# -- grading ------------------------------------------------------------------------------------

def doc_only(level_: str, kind: str) -> bool:
    return level_ == DOC and kind == VOCABULARY


def grade(rule: str, verdict: Verdict) -> Verdict:
    """The verdict as its evidence makes it: labelled with its level, and a doc-only vocabulary or
    order failure turned into a warning (unless strict) that says the docs are all it rests on."""
    if verdict.outcome not in (FAIL, WARN):
        return verdict
    exp = expectation(rule, verdict.expectation)
    lv = verdict.level or exp.level
    if verdict.outcome == FAIL and doc_only(lv, exp.kind):
        claim = verdict.claim or exp.claim or "so"
        note = f"the docs say {claim}; AWS has not been observed doing so"
        if strict():
            return replace(verdict, message=f"{verdict.message} ({note}; failed under --strict)", level=lv)
        return replace(verdict, outcome=WARN, message=f"{note}: {verdict.message}", level=lv)
    return replace(verdict, level=lv) if lv != verdict.level else verdict


# -- what the corpus backs, per operation ---------------------------------------------------------

def backing() -> dict[str, dict]:
    """operation -> {"observations": recorded observations of it, "rules": the observed-level
    rules those observations back}: what README.md quotes."""
    import collections

    from personalize_conformance import contracts
    from personalize_conformance.contracts import observed
    rows: dict[str, dict] = collections.defaultdict(lambda: {"observations": 0, "rules": set()})
    for o in observed.observations():
        if o.kind == observed.RECORDED and o.operation:
            rows[o.operation]["observations"] += 1
    for op in observed.always_answered():
        rows[op]["rules"].add("schema.observed-members")
    observed_flows = {(t, m, a) for (t, m), machine in contracts.machines().items()
                      for a, flow in machine.flows.items() if flow.evidence == OBSERVED}
    for o in observed.observations():
        if o.kind != observed.RECORDED or not o.operation:
            continue
        if o.is_transcript and (o.resource, o.member, o.action) in observed_flows:
            rows[o.operation]["rules"] |= {"lifecycle.known-status", "lifecycle.legal-transition"}
        if o.error is not None:
            rows[o.operation]["rules"] |= {r for r, exps in RULES.items() for e in exps.values()
                                           if e.level == OBSERVED and e.backed_by == o.error["code"]}
        if o.complete and o.operation.startswith("Create"):
            rows[o.operation]["rules"].add("lifecycle.create-identifies")
            rt = next((t for t in contracts.resource_types().values() if t.op("create") == o.operation), None)
            if rt is not None and contracts.arn_form(rt.key):
                rows[o.operation]["rules"].add("resource.arn-names")
        if o.complete and o.operation.startswith("Describe") and "creationDateTime" in str(o.response):
            rows[o.operation]["rules"].add("resource.timestamps")
    return dict(sorted(rows.items()))


def backing_table() -> str:
    """The README's table: recorded observations per operation and the rules they back."""
    lines = ["| operation | recorded observations | observed-level rules they back |", "|---|---|---|"]
    for op, row in backing().items():
        rules = ", ".join(f"`{r}`" for r in sorted(row["rules"])) or "none (kept for parity and validate)"
        lines.append(f"| {op} | {row['observations']} | {rules} |")
    return "\n".join(lines) + "\n"


__all__ = ["MODEL", "PROTOCOL", "OBSERVED", "DOC", "LEVELS", "BEHAVIOUR", "VOCABULARY", "REFUSED",
           "ERROR_CODE", "Expectation", "RULES", "expectation", "level", "levels", "strict", "set_strict",
           "strictness", "grade", "doc_only", "backing", "backing_table"]
