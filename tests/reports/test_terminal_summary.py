"""The lines a run ends with name what failed - the top (operation × rule) pairs - not only counts."""
from __future__ import annotations

from personalize_conformance.reporting.terminal import summary_lines

from tests.safety.cli import run_cli

from .docs import _case, crafted


def make_doc(cases):
    doc = crafted()
    doc["cases"] = cases
    return doc


def _doc():
    failing = [_case("CreateSchema", f"cs-{i}", [("wire.content-type", "fail", "Content-Type text/html")])
               for i in range(3)]
    failing += [_case("ListSchemas", "ls-1", [("schema.response", "fail", "nextToken: 5 is not a string")])]
    failing += [_case(f"Describe{n}", f"d-{n}", [("wire.request-id", "fail", "no x-amzn-RequestId header")])
                for n in ("A", "B", "C", "D", "E")]
    return make_doc(failing)


def test_the_summary_names_the_top_failing_pairs_most_cases_first():
    lines = summary_lines(_doc(), "reports/r1")
    assert lines[0].startswith("run ")
    named = [line for line in lines if line.startswith("  FAIL")]
    assert named[0] == "  FAIL  CreateSchema × wire.content-type (3 cases): Content-Type text/html"
    assert len(named) == 5
    assert "  … and 2 more in reports/r1/summary.md" in lines
    assert any(line.startswith("top failing (operation × rule), of 7") for line in lines)


def test_a_run_with_nothing_failing_names_nothing():
    lines = summary_lines(make_doc([_case("ListSchemas", "ok", [("wire.request-id", "pass", "")])]))
    assert not any(line.startswith("  ") or "top failing" in line for line in lines)


def test_the_run_command_ends_by_naming_what_failed(capsys, tmp_path):
    proc = run_cli(capsys, "run", "--examples", "2", "--hypothesis-seed", "4", "--out", str(tmp_path),
                   "--emulator-fault", "no-request-id:DescribeSchema",
                   "--operation", "DescribeSchema", "--operation", "ListSchemas")
    assert proc.returncode == 1
    assert "FAIL  DescribeSchema × wire.request-id" in proc.stdout, proc.stdout
    assert "ListSchemas ×" not in proc.stdout
