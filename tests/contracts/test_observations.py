"""The observed-AWS corpus holds the harness to what real Personalize was seen to do.

A rule an observation contradicts is a bug in the harness, not in AWS: every recorded response
passes `validate`, every recorded status transcript is a legal path of its lifecycle, and every
recorded ARN has the catalogue's format. Where the lifecycle data still disagrees with AWS, the
disagreement is listed below with its reason, as an expected failure.
"""
import collections
import json
import re

import pytest

from personalize_conformance import contracts
from personalize_conformance.checks import context_for, run_checks
from personalize_conformance.cli.main import main as cli_main
from personalize_conformance.contracts import observed
from personalize_conformance.specs import load_spec
from personalize_conformance.strategies import Case
from personalize_conformance.targets import WireResponse

SPEC = load_spec()
CTX = context_for(SPEC)
OBS = observed.observations()
RECORDED = [o for o in OBS if o.kind == observed.RECORDED]
PINNED = re.compile(r"^[\w.-]+/[\w.-]+@[0-9a-f]{40}:\S.*$|^https://github\.com/\S+$")
# Account fields an observation may carry: the placeholder real ids were replaced with, the
# documentation's own placeholders, and ids the sources masked themselves.
ACCOUNTS = {"111122223333", "123456789012", "XXXXXXXXXXXX", "acct-id", ""}


def _by_file(items):
    groups = collections.defaultdict(list)
    for o in items:
        groups[o.file].append(o)
    return sorted(groups.items())


def _wire(o) -> WireResponse:
    return WireResponse.of(o.status_code, o.headers(), o.wire_body())


def _failures(o) -> list[str]:
    case = Case(operation=o.operation, body=b"{}", family="recorded", case_id="observed")
    return [f"{f.rule}: {f.message}" for f in run_checks(case, _wire(o), CTX) if f.outcome in ("fail", "error")]


# -- the corpus itself ------------------------------------------------------------------------

def test_the_corpus_holds_responses_transcripts_errors_and_arns_of_real_traffic():
    assert len(observed.responses(observed.RECORDED)) >= 500
    assert len(observed.transcripts(observed.RECORDED)) >= 100
    assert len(observed.errors(observed.RECORDED)) >= 5
    assert len({a for a, _, _ in observed.arns(observed.RECORDED)}) >= 400


@pytest.mark.parametrize("file, items", _by_file(OBS), ids=lambda v: v if isinstance(v, str) else "")
def test_every_observation_names_a_pinned_source_and_holds_one_fact(file, items):
    for o in items:
        _well_formed(o)


def _well_formed(o):
    assert PINNED.match(o.source), o.source
    assert o.kind in (observed.RECORDED, observed.EXAMPLE)
    facts = [o.is_response, o.is_transcript, o.error is not None, bool(o.arns)]
    assert sum(facts) == 1, o.raw
    if o.operation is not None:
        assert o.operation in observed.operation_names()
    if ".ipynb" in o.source:
        assert o.at.startswith("cell "), "a notebook observation names its cell"
    if o.is_transcript:
        assert o.resource in contracts.resource_types() and o.action and o.member and o.polls >= len(o.statuses)
        assert o.operation == contracts.resource_type(o.resource).op("describe")


def test_recorded_account_ids_are_redacted_to_a_placeholder():
    for arn, _member, o in observed.arns(observed.RECORDED):
        assert arn.split(":")[4] in ACCOUNTS, f"{arn} in {o.citation}"


def test_a_printed_body_is_the_wire_body_byte_for_byte_where_its_length_was_printed():
    """The SDK printed Content-Length beside most bodies: the compact JSON the loader rebuilds
    from the printed values must be exactly that long, unless the source says it edited them."""
    checked = 0
    for o in observed.responses(observed.RECORDED):
        length = (o.http or {}).get("headers", {}).get("content-length")
        if not o.complete or length is None or "DateTime" in json.dumps(o.response) or o.note:
            continue
        assert len(o.wire_body()) == int(length), o.citation
        checked += 1
    assert checked >= 400


@pytest.mark.parametrize("printed, seconds", [
    ("2019-11-25 22:39:20.422000+00:00", 1574721560.422),
    ("datetime.datetime(2019, 11, 25, 22, 39, 20, 422000, tzinfo=tzlocal())", 1574721560.422),
    ("datetime.datetime(2019, 6, 10, 0, 0, tzinfo=tzlocal())", 1560124800.0),
    ("2021-05-12T16:27:59.819000-07:00", 1620862079.819),
    (1542392161.262, 1542392161.262),
])
def test_every_printed_timestamp_form_reads_as_epoch_seconds(printed, seconds):
    assert observed.epoch(printed) == pytest.approx(seconds)


def test_a_printed_timestamp_goes_back_on_the_wire_as_a_number():
    o = next(o for o in observed.responses(observed.RECORDED) if o.operation == "DescribeCampaign")
    wire = json.loads(o.wire_body())
    assert isinstance(wire["campaign"]["creationDateTime"], (int, float))


def test_the_coverage_page_is_current():
    assert observed.DOC.read_text(encoding="utf-8") == observed.document(), \
        "regenerate: python -m personalize_conformance.contracts.observed --write"


def test_the_readme_quotes_the_corpus_as_it_is():
    import pathlib
    text = " ".join((pathlib.Path(observed.__file__).parents[1] / "README.md").read_text(encoding="utf-8").split())
    f = observed.figures()
    for phrase in (f"{f['observations']:,} observations from {f['sources']} public sources",
                   f"{f['responses']} recorded responses of {f['operations']} operations",
                   f"{f['transcripts']} status transcripts over {f['types']} resource types",
                   f"{f['errors']} errors and {f['arns']} distinct ARNs", f"{f['examples']} documentation examples",
                   f"the {f['unobserved']} operations no public source shows"):
        assert phrase in text, phrase


def test_the_coverage_table_counts_operations_and_names_the_unobserved():
    text = observed.table()
    assert "| CreateDatasetGroup |" in text and "| DescribeSolutionVersion |" in text
    missing = observed.unobserved()
    assert "DescribeAlgorithm" in missing and "CreateDatasetGroup" not in missing
    assert set(missing) <= set(observed.operation_names())


# -- validate passes every recorded answer ------------------------------------------------------

@pytest.mark.parametrize("file, items", _by_file(observed.responses(observed.RECORDED) + observed.errors(observed.RECORDED)),
                         ids=lambda v: v if isinstance(v, str) else "")
def test_validate_passes_every_recorded_response(file, items):
    bad = {o.citation: _failures(o) for o in items}
    assert not {k: v for k, v in bad.items() if v}


@pytest.mark.parametrize("o", observed.responses(observed.EXAMPLE), ids=lambda o: f"{o.file}:{o.at}")
def test_validate_passes_documentation_examples_but_for_their_placeholders(o):
    departures = o.raw.get("departures") or {}
    for failure in _failures(o):
        rule, _, message = failure.partition(": ")
        assert any(message.startswith(path) for path in departures), failure


def test_the_validate_command_passes_an_observed_answer_and_fails_a_broken_one(tmp_path, capsys):
    o = next(o for o in observed.responses(observed.RECORDED) if o.operation == "DescribeSolution" and o.complete)
    body = tmp_path / "body.json"
    body.write_bytes(o.wire_body())
    assert cli_main(["validate", "--operation", o.operation, str(body)]) == 0
    broken = json.loads(o.wire_body())
    broken["solution"]["creationDateTime"] = "yesterday"
    body.write_text(json.dumps(broken))
    assert cli_main(["validate", "--operation", o.operation, str(body)]) == 1
    assert "schema.timestamps" in capsys.readouterr().out


def test_an_empty_answer_of_an_operation_without_output_is_valid_and_of_one_with_output_is_not():
    delete = next(o for o in observed.responses(observed.RECORDED) if o.operation == "DeleteCampaign")
    assert delete.wire_body() == b"" and not _failures(delete)
    case = Case(operation="CreateSchema", body=b"{}", family="recorded", case_id="observed")
    findings = run_checks(case, WireResponse.of(200, dict(observed.WIRE_HEADERS), b""), CTX)
    assert any(f.rule == "wire.json-body" and f.outcome == "fail" for f in findings)


# -- lifecycles: every recorded transcript is a legal path ---------------------------------------

# (resource type, status member, action) -> why lifecycles.yaml still disagrees with AWS.
# (resource, member, action) -> why lifecycles.yaml cannot yet take what AWS was seen to walk.
# (Batch jobs' CREATE-prefixed create and the dataset status's update are `observed` chains now.)
LIFECYCLE_GAPS: dict[tuple[str, str, str], str] = {}


def _lifecycle_problem(o) -> str | None:
    machine = contracts.machine(o.resource, o.member)
    if machine is None:
        return f"no machine for {o.resource}.{o.member}"
    unknown = [s for s in o.statuses if not machine.knows(s)]
    if unknown:
        return f"{unknown} unknown to {o.resource}.{o.member}"
    if o.action not in machine.flows:
        return f"{o.resource}.{o.member} has no {o.action} flow"
    return machine.path_problem(o.action, list(o.statuses))


def _walks():
    groups = collections.defaultdict(list)
    for o in observed.transcripts(observed.RECORDED):
        groups[(o.resource, o.member, o.action)].append(o)
    for key, items in sorted(groups.items()):
        marks = [pytest.mark.xfail(strict=True, reason=LIFECYCLE_GAPS[key])] if key in LIFECYCLE_GAPS else []
        yield pytest.param(key, items, marks=marks, id="-".join(key))


@pytest.mark.parametrize("key, items", _walks())
def test_every_recorded_status_transcript_is_a_legal_path_of_its_lifecycle(key, items):
    problems = {f"{o.citation}: {' > '.join(o.statuses)}": _lifecycle_problem(o) for o in items}
    assert not {k: v for k, v in problems.items() if v}


def test_every_lifecycle_gap_listed_is_still_observed():
    walked = {(o.resource, o.member, o.action) for o in observed.transcripts(observed.RECORDED)}
    assert set(LIFECYCLE_GAPS) <= walked


def test_a_transcript_against_its_lifecycle_can_fail():
    o = next(o for o in observed.transcripts(observed.RECORDED) if o.resource == "campaign" and len(o.statuses) == 3)
    backwards = observed.Observation(**{**o.__dict__, "statuses": tuple(reversed(o.statuses))})
    assert _lifecycle_problem(backwards)


def test_every_status_seen_in_a_recorded_body_is_known_to_its_machine():
    for (rtype, member), statuses in observed.statuses_seen().items():
        machine = contracts.machine(rtype, member)
        if machine is None or (rtype, member, "update") in LIFECYCLE_GAPS or (rtype, member, "create") in LIFECYCLE_GAPS:
            continue
        assert all(machine.knows(s) for s in statuses), (rtype, member, statuses)


# -- ARNs ---------------------------------------------------------------------------------------

# Personalize ARNs of things the catalogue does not create: built-in recipes and what they use,
# and the models a solution version trains (GetSolutionMetrics of the first API version).
NOT_CATALOGUED = re.compile(r"^arn:aws:personalize:[^:]*:[^:]*:(recipe|algorithm|feature-transformation|model)/\S+$")


def _arn_problem(arn: str, member: str | None) -> str | None:
    if not re.match(r"arn:([a-z\d-]+):personalize:.*:.*:.+", arn):
        return "does not match the model's Arn pattern"
    want = contracts.references().get(member) if member else None
    if want:
        return None if contracts.resource_type(want).matches_arn(arn) else \
            f"{member} holds a {want}, whose ARN is {contracts.resource_type(want).arn_resource}"
    if contracts.type_of_arn(arn) or NOT_CATALOGUED.match(arn):
        return None
    return "names no catalogue type"


def test_every_recorded_arn_has_the_catalogue_format():
    problems = {f"{arn} ({member or 'printed'}, {o.citation})": _arn_problem(arn, member)
                for arn, member, o in observed.arns(observed.RECORDED)}
    assert not {k: v for k, v in problems.items() if v}


@pytest.mark.parametrize("arn, member", [
    ("arn:aws:personalize:us-east-1:111122223333:dataset/group", "datasetArn"),
    ("arn:aws:personalize:us-east-1:111122223333:campaign/c", "solutionVersionArn"),
    ("arn:aws:personalize:us-east-1:111122223333:widget/w", None),
])
def test_an_arn_off_the_catalogue_format_is_caught(arn, member):
    assert _arn_problem(arn, member)
