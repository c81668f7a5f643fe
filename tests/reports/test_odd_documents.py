"""Writers never crash on a document they did not expect: any section may hold any JSON value."""
import xml.etree.ElementTree as ET

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from personalize_conformance.reporting import diff, html_report, junit_xml

from .docs import crafted

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=20)

SECTIONS = ["operations", "cases", "rules", "totals", "target", "spec", "settings", "lifecycles",
            "hypothesis_seed", "run_id"]


def _mutated(section: str, value, row_value) -> dict:
    doc = crafted()
    doc[section] = value
    if isinstance(doc.get("operations"), dict) and doc["operations"]:
        first = next(iter(doc["operations"]))
        doc["operations"][first] = row_value
    if isinstance(doc.get("cases"), list) and doc["cases"]:
        doc["cases"][0] = {"operation": "ListSchemas", "findings": [{"outcome": "fail", "rule": row_value}],
                           "response": row_value, "headers": row_value, "reproduction": row_value}
    return doc


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.sampled_from(SECTIONS), json_values, json_values)
def test_html_and_junit_render_any_odd_section(section, value, row_value):
    doc = _mutated(section, value, row_value)
    assert html_report.render(doc).rstrip().endswith("</html>")
    ET.fromstring(junit_xml.render(doc))


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.sampled_from(SECTIONS), json_values, json_values)
def test_diff_compares_any_odd_document(section, value, row_value):
    result = diff.compare(crafted(), _mutated(section, value, row_value))
    assert result.exit_code in (0, 1, 2)
    diff.render_text(result)
