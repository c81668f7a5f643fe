"""index.html rendered without a browser: self-contained, the document's verdicts, escaped."""
import re
from html.parser import HTMLParser

from personalize_conformance.reporting import html_report

from .docs import crafted


class _Elements(HTMLParser):
    """Every start tag with its attributes, and the text under each element with an id."""

    def __init__(self):
        super().__init__()
        self.tags, self.text, self._open = [], {}, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag not in ("br", "meta", "input", "link"):
            self._open.append(attrs.get("id"))

    def handle_endtag(self, tag):
        if self._open:
            self._open.pop()

    def handle_data(self, data):
        for element_id in self._open:
            if element_id:
                self.text[element_id] = self.text.get(element_id, "") + data


def _parse(page: str) -> _Elements:
    parser = _Elements()
    parser.feed(page)
    return parser


def test_the_page_fetches_nothing_from_the_network():
    page = html_report.render(crafted())
    assert "default-src 'none'" in page
    parsed = _parse(page)
    for tag, attrs in parsed.tags:
        assert "src" not in attrs, tag
        assert not attrs.get("href", "#").split("#")[0], (tag, attrs)  # only in-page anchors


def test_the_matrix_has_one_row_per_operation_with_the_documents_status():
    parsed = _parse(html_report.render(crafted()))
    rows = {a["data-operation"]: a["data-status"] for t, a in parsed.tags if t == "tr" and "data-operation" in a}
    assert rows == {op: row["status"] for op, row in crafted()["operations"].items()}
    cells = [a for t, a in parsed.tags if t == "td" and "data-verdict" in a]
    assert len(cells) == 5 * 4
    assert {(a["data-rule"], a["data-verdict"]) for a in cells} >= {("wire.content-type", "FAIL"),
                                                                    ("errors.declared", "ERROR")}


def test_totals_and_implemented_counts_are_the_documents():
    doc = crafted()
    parsed = _parse(html_report.render(doc))
    chips = {a["data-verdict"] for t, a in parsed.tags if t == "span" and "chip" in a.get("class", "")}
    assert chips == {k for k in doc["totals"] if k != "operations"}
    assert parsed.text["implemented-count"] == "3"  # PASS + WARN + FAIL
    assert parsed.text["not-implemented-count"] == "1"
    assert parsed.text["operations-count"] == "5"


def test_a_failure_expands_to_rule_source_request_reproductions_response_and_seed():
    page = html_report.render(crafted(), "reports/crafted-run")
    parsed = _parse(page)
    failures = [a for t, a in parsed.tags if t == "details" and a.get("data-verdict") == "FAIL"]
    assert [(a["data-operation"], a["data-rule"]) for a in failures] == [("CreateSchema", "wire.content-type")]
    body = parsed.text[failures[0]["id"]]
    for expected in ("a 200 carries Content-Type", "CreateSchema-valid-aaa", "shrunk", "X-Amz-Target: "
                     "AmazonPersonalize.CreateSchema", '{"name":"a"}', "HTTP 200", "curl -X POST",
                     "import boto3", "hypothesis seed 7", "operation seed 42", "(2 cases)",
                     "replay CreateSchema-valid-aaa --run reports/crafted-run"):
        assert expected in body, expected


def test_the_failing_cell_links_to_its_failure():
    parsed = _parse(html_report.render(crafted()))
    failure_id = next(a["id"] for t, a in parsed.tags if t == "details" and a.get("data-verdict") == "FAIL")
    assert ("a", {"href": f"#{failure_id}"}) in parsed.tags


def test_what_a_target_sent_is_escaped_never_run():
    page = html_report.render(crafted())
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)" in page


def test_without_lifecycles_the_section_says_so():
    parsed = _parse(html_report.render(crafted()))
    assert "no lifecycle paths" in parsed.text["lifecycles"]


def test_lifecycle_paths_are_shown_per_resource_with_statuses_and_timings():
    doc = crafted()
    doc["lifecycles"] = [
        {"resource": "solution", "arn": "arn:aws:personalize:us-east-1:1:solution/s",
         "path": [{"status": "CREATE PENDING", "t": 0}, {"status": "ACTIVE", "t": 1.25}], "verdict": "PASS"},
        {"resource": "campaign", "arn": "arn:c", "path": [{"status": "CREATE FAILED", "t": 3}], "verdict": "FAIL"},
    ]
    parsed = _parse(html_report.render(doc))
    text = parsed.text["lifecycles"]
    assert "CREATE PENDING" in text and "1.25 s" in text and "arn:c" in text
    groups = [a["data-resource"] for t, a in parsed.tags if t == "div" and "data-resource" in a]
    assert groups == ["campaign", "solution"]


def test_the_lifecycle_stages_sections_show_scenarios_and_paths():
    doc = crafted()
    doc["lifecycles"] = {"resources": {"dataset-group": {
        "verdict": "FAIL",
        "scenarios": {"lifecycle": {"verdict": "PASS", "reason": "", "rules": {"lifecycle.settles": "PASS"}},
                      "tags": {"verdict": "FAIL", "reason": "", "rules": {"tags.round-trip": "FAIL"}},
                      "update": {"verdict": "NOT APPLICABLE", "reason": "nothing to update", "rules": {}}},
        "paths": [{"resource": "dataset-group", "arn": "arn:dsg/1", "member": "status", "action": "create",
                   "statuses": ["CREATE PENDING", "ACTIVE"], "times_s": [0.01, 0.5], "polls": 2,
                   "settled": True, "waited_s": 0.5},
                  {"arn": "arn:dsg/1", "action": "delete", "statuses": ["DELETE PENDING"], "times_s": [],
                   "settled": False}]}},
        "poll_policy": {"interval_s": 0.1}}
    text = _parse(html_report.render(doc)).text["lifecycles"]
    for expected in ("dataset-group", "FAIL", "tags: tags.round-trip", "NOT APPLICABLE", "CREATE PENDING",
                     "0.50 s", "2 polls", "did not settle", "arn:dsg/1", "delete"):
        assert expected in text, expected


def test_malformed_lifecycles_render_without_crashing():
    doc = crafted()
    doc["lifecycles"] = ["junk", {"path": "junk"}, {"resource": "x", "path": [{"t": "soon"}, 5]}]
    text = _parse(html_report.render(doc)).text["lifecycles"]
    assert "soon" in text and "no status observed" in text
    for odd in ({"resources": "junk"}, {"resources": {"x": {"scenarios": [1], "paths": ["junk", {"statuses": 3}]}}},
                "junk", 42):
        doc["lifecycles"] = odd
        assert "lifecycles" in _parse(html_report.render(doc)).text


def test_an_empty_document_renders():
    page = html_report.render({})
    assert "holds no operations" in page and re.search(r"</html>\s*$", page)
