"""The report folder as a whole: every writer registered, one broken writer costing nothing else."""
import json

import pytest

from personalize_conformance import reporting as reports
from personalize_conformance.cli.main import build_parser, main
from personalize_conformance.reporting import results_json, summary_md

from .docs import crafted


def test_a_run_folder_gets_all_four_files(tmp_path):
    written = reports.write_all(crafted(), tmp_path)
    assert {p.name for p in written} == {"results.json", "summary.md", "junit.xml", "index.html"}


def test_a_writer_that_raises_is_reported_and_the_others_still_write(tmp_path, capsys, monkeypatch):
    def broken(path, doc):
        raise RuntimeError("boom")
    monkeypatch.setitem(reports.WRITERS, "broken.txt", broken)
    written = reports.write_all(crafted(), tmp_path)
    assert {p.name for p in written} == {"results.json", "summary.md", "junit.xml", "index.html"}
    err = capsys.readouterr().err
    assert "could not write" in err and "broken.txt" in err and "boom" in err


def test_summary_of_recorded_traffic_names_its_source_and_no_seed():
    doc = crafted()
    doc.update(hypothesis_seed=None, source="HAR traffic.har")
    text = summary_md.render(doc)
    assert "- source: HAR traffic.har" in text and "hypothesis seed" not in text


def test_summary_names_the_seed_with_the_hypothesis_version_that_replays_it():
    doc = crafted()
    doc["hypothesis_version"] = "6.170.27"
    assert "--hypothesis-seed 7` under Hypothesis 6.170.27)" in summary_md.render(doc)


def test_summary_counts_implemented_operations_from_the_totals():
    assert "- operations implemented: 3 of 5 (1 not implemented)" in summary_md.render(crafted())


def test_report_rewrites_the_views_from_results_json(tmp_path, capsys):
    results_json.write(tmp_path / "results.json", crafted())
    assert main(["report", str(tmp_path)]) == 1  # the crafted run has a FAIL
    assert {p.name for p in tmp_path.iterdir()} == {"results.json", "summary.md", "junit.xml", "index.html"}
    out = tmp_path / "elsewhere"
    assert main(["report", str(tmp_path / "results.json"), "--out", str(out)]) == 1
    assert json.loads((out / "results.json").read_text())["run_id"] == "crafted-run"


def test_report_of_a_missing_run_exits_2(tmp_path, capsys):
    assert main(["report", str(tmp_path / "none")]) == 2


# `emulator` hands every argument, --help included, to the emulator's own command line.
COMMANDS = sorted(set(build_parser()._subparsers._group_actions[0].choices) - {"emulator"})


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_states_its_exit_codes_in_help(command, capsys):
    assert main([command, "--help"]) == 0
    out = capsys.readouterr().out
    assert "exit codes:" in out and "\n  0  " in out and "\n  2  " in out
