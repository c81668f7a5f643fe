"""junit.xml: one testcase per operation × check, with the evidence in each failure."""
import xml.etree.ElementTree as ET

from personalize_conformance.reporting import junit_xml

from .docs import RULES, crafted


def _parse(doc):
    return ET.fromstring(junit_xml.render(doc, "reports/crafted-run"))


def _cases(root):
    return {(tc.get("classname").rsplit(".", 1)[-1], tc.get("name")): tc for tc in root.iter("testcase")}


def test_there_is_one_testcase_per_operation_and_check_and_one_for_its_verdict():
    root = _parse(crafted())
    cases = _cases(root)
    assert len(cases) == 5 * (len(RULES) + 1) == int(root.get("tests"))
    assert set(cases) == {(op, rule) for op in crafted()["operations"] for rule in [*RULES, "verdict"]}


def test_the_verdict_testcase_says_how_many_successes_it_rests_on():
    doc = crafted()
    doc["operations"]["DescribeSchema"].update(status="NOT RUN", successes=0,
                                               reason="no success seen: none of its 3 requests was answered")
    cases = _cases(_parse(doc))
    props = {p.get("name"): p.get("value") for p in cases[("CreateSchema", "verdict")].iter("property")}
    assert props == {"successes": "2", "status": "FAIL"}
    assert cases[("CreateSchema", "verdict")].find("failure").get("message") == "FAIL: wire.content-type"
    unjudged = cases[("DescribeSchema", "verdict")]
    assert unjudged.find("skipped").get("message").startswith("no success seen")
    assert {p.get("name"): p.get("value") for p in unjudged.iter("property")}["successes"] == "0"
    assert cases[("ListSchemas", "verdict")].find("*[@message]") is None  # WARN: judged, not a failure


def test_each_cell_verdict_maps_to_the_junit_outcome():
    cases = _cases(_parse(crafted()))
    assert cases[("CreateSchema", "wire.content-type")].find("failure") is not None
    assert cases[("DescribeSchema", "wire.content-type")].find("*") is None  # a plain pass
    assert cases[("CreateCampaign", "wire.request-id")].find("skipped") is not None
    assert cases[("CreateSchema", "errors.declared")].find("skipped").get("message").startswith("not run")
    assert cases[("DeleteCampaign", "errors.declared")].find("error") is not None
    assert "WARN" in cases[("ListSchemas", "schema.response")].find("system-out").text


def test_totals_count_failures_errors_and_skips():
    root = _parse(crafted())
    # one failing and one crashing cell, and the verdicts of their rows
    assert (root.get("failures"), root.get("errors")) == ("2", "2")
    # NOT IMPLEMENTED (4 cells and the row's verdict) and NOT RUN (CreateSchema 1, ListSchemas 1, DeleteCampaign 2)
    assert root.get("skipped") == "9"
    assert sum(int(s.get("tests")) for s in root.iter("testsuite")) == int(root.get("tests"))


def test_a_failure_carries_message_source_request_response_reproductions_and_seed():
    failure = _cases(_parse(crafted()))[("CreateSchema", "wire.content-type")].find("failure")
    assert failure.get("message").startswith("Content-Type is 'text/html'")
    text = failure.text
    for expected in (RULES["wire.content-type"], "CreateSchema-valid-aaa", "shrunk", '{"name":"a"}',
                     "HTTP 200", "curl -X POST", "import boto3", "hypothesis seed: 7", "operation seed: 42",
                     "replay CreateSchema-valid-aaa --run reports/crafted-run", "1 more case"):
        assert expected in text, expected


def test_control_characters_in_a_response_do_not_break_the_xml():
    text = junit_xml.render(crafted()).decode()
    assert "\x00" not in text and "\x1b" not in text
    ET.fromstring(text)  # parses


def test_verdicts_are_the_documents_even_where_findings_would_say_otherwise():
    doc = crafted()
    doc["operations"]["DescribeSchema"]["checks"]["wire.request-id"] = "FAIL"  # no finding backs it
    failure = _cases(_parse(doc))[("DescribeSchema", "wire.request-id")].find("failure")
    assert failure is not None
    assert "holds no finding" in failure.text


def test_a_document_missing_every_section_still_renders():
    root = ET.fromstring(junit_xml.render({"schema_version": 1}))
    assert root.get("tests") == "0"
    root = ET.fromstring(junit_xml.render({"operations": {"X": "garbage", "Y": {"checks": {"r": 3}}},
                                           "cases": ["junk", {"findings": "junk"}]}))
    assert root.get("tests") == "4"  # X × r and Y × r and their verdicts: odd rows and odd verdicts read as NOT RUN
    assert root.get("skipped") == "4"
