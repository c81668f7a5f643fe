"""junit.xml: one testcase per operation × check, with the evidence in each failure."""
import xml.etree.ElementTree as ET

from personalize_conformance.reporting import junit_xml

from .docs import RULES, crafted


def _parse(doc):
    return ET.fromstring(junit_xml.render(doc, "reports/crafted-run"))


def _cases(root):
    return {(tc.get("classname").rsplit(".", 1)[-1], tc.get("name")): tc for tc in root.iter("testcase")}


def test_there_is_one_testcase_per_operation_and_check():
    root = _parse(crafted())
    cases = _cases(root)
    assert len(cases) == 5 * len(RULES) == int(root.get("tests"))
    assert set(cases) == {(op, rule) for op in crafted()["operations"] for rule in RULES}


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
    assert (root.get("failures"), root.get("errors")) == ("1", "1")
    # NOT IMPLEMENTED (4 cells) and NOT RUN (CreateSchema 1, ListSchemas 1, DeleteCampaign 2)
    assert root.get("skipped") == "8"
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
    assert root.get("tests") == "2"  # X × r and Y × r: odd rows and odd verdicts read as NOT RUN
    assert root.get("skipped") == "2"
