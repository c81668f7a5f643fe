"""What a CI job relies on: the baseline of accepted failures, --fail-on, a run where nothing was
judged, --format json, --version, --include/--exclude, and settings from pyproject.toml."""
from __future__ import annotations

import configparser
import json
import pathlib
import shlex

import pytest
import yaml

from personalize_conformance.cli.main import main
from personalize_conformance.errors import UsageError
from personalize_conformance.runner.gate import Gate, judge, load_baseline

ROOT = pathlib.Path(__file__).resolve().parents[2]
MOTO_BASELINE = ROOT / "baselines" / "moto.yaml"


def _cli(capsys, *argv) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def _tox_command(env: str) -> list[str]:
    """The command a tox environment runs, as words, without the program and {posargs}."""
    ini = configparser.ConfigParser(interpolation=None)
    ini.read(ROOT / "tox.ini")
    words = shlex.split(ini[f"testenv:{env}"]["commands"].strip())
    assert words[0] == "personalize-conformance"
    return [w for w in words[1:] if w != "{posargs}"]


# ---------------------------------------------------------------- the baseline, on moto

@pytest.mark.slow
def test_tox_conformance_moto_passes_with_its_baseline_and_fails_when_an_entry_is_removed(
        tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(ROOT)  # tox runs from the repository's root: the baseline path is relative
    command = _tox_command("conformance-moto")
    assert "--baseline" in command
    fixed = ["--hypothesis-seed", "1", "--out", tmp_path]
    code, out, err = _cli(capsys, *command, *fixed)
    assert code == 0, out + err
    assert "accepted by the baseline" in out and "new FAIL" not in out

    entries = yaml.safe_load(MOTO_BASELINE.read_text())
    removed = next(e for e in entries["accepted"]
                   if (e["operation"], e["rule"]) == ("CreateSchema", "wire.content-type"))
    entries["accepted"].remove(removed)
    entries["accepted"].append({"operation": "DescribeSchema", "rule": "wire.json-body",
                                "reason": "an entry whose failure is long fixed"})
    shorter = tmp_path / "shorter.yaml"
    shorter.write_text(yaml.safe_dump(entries))
    at = command.index("--baseline")
    code, out, err = _cli(capsys, *command[:at], "--baseline", shorter, *command[at + 2:], *fixed)
    assert code == 1, out + err
    assert "new FAIL: CreateSchema × wire.content-type" in out
    assert "now passes (its baseline entry can go): DescribeSchema × wire.json-body" in out


def test_not_implemented_fails_the_run_only_when_asked(tmp_path, capsys):
    ops = ["--target", "moto", "--operation", "CreateCampaign", "--operation", "DeleteSchema",
           "--examples", "2", "--hypothesis-seed", "3", "--out", tmp_path, "--baseline", MOTO_BASELINE]
    code, out, err = _cli(capsys, "run", *ops)
    assert code == 0, out + err
    code, out, err = _cli(capsys, "run", *ops, "--fail-on", "fail,not-implemented")
    assert code == 1, out + err
    assert "new NOT-IMPLEMENTED: CreateCampaign × target.not-implemented" in out


def test_a_run_in_which_nothing_is_implemented_never_passes_in_silence(tmp_path, capsys):
    code, out, err = _cli(capsys, "run", "--target", "moto", "--operation", "CreateCampaign",
                          "--operation", "ListRecipes", "--examples", "2", "--out", tmp_path)
    assert code == 2, out + err
    assert "nothing was judged: no operation of 2 got a verdict on moto (2 NOT IMPLEMENTED)" in out


# ---------------------------------------------------------------- the gate on crafted documents

def _doc(*cases, statuses=None) -> dict:
    """A results document: cases as (operation, family, rule, outcome)."""
    ops = {}
    for op, _, rule, outcome in cases:
        row = ops.setdefault(op, {"status": "PASS", "checks": {}})
        verdict = {"fail": "FAIL", "warn": "WARN", "pass": "PASS", "not-implemented": "NOT IMPLEMENTED",
                   "error": "ERROR"}[outcome]
        row["checks"][rule] = verdict
        if verdict != "PASS":
            row["status"] = verdict
    for op, status in (statuses or {}).items():
        ops[op]["status"] = status
    return {"target": {"name": "t"}, "operations": ops,
            "cases": [{"operation": op, "family": fam, "findings": [{"rule": rule, "outcome": outcome}]}
                      for op, fam, rule, outcome in cases]}


def _entries(tmp_path, *entries) -> list:
    path = tmp_path / "b.json"
    path.write_text(json.dumps({"accepted": list(entries)}))
    return load_baseline(str(path))


def test_a_failure_outside_the_baseline_fails_the_gate_and_one_inside_it_does_not(tmp_path):
    doc = _doc(("CreateSchema", "valid", "wire.request-id", "fail"), ("ListSchemas", "valid", "schema.response", "pass"))
    assert judge(doc, Gate()).exit_code == 1
    accepted = _entries(tmp_path, {"operation": "Create*", "rule": "wire.*", "reason": "known"})
    result = judge(doc, Gate(baseline=accepted))
    assert result.exit_code == 0 and sum(result.accepted.values()) == 1


def test_an_entry_for_one_family_does_not_accept_the_same_failure_in_another(tmp_path):
    doc = _doc(("CreateSchema", "valid", "wire.request-id", "fail"))
    only_invalid = _entries(tmp_path, {"operation": "CreateSchema", "rule": "wire.request-id", "family": "invalid",
                                       "reason": "known on invalid requests"})
    result = judge(doc, Gate(baseline=only_invalid))
    assert result.exit_code == 1
    assert list(result.new) == [("CreateSchema", "wire.request-id", "valid", "fail")]


def test_an_accepted_failure_that_now_passes_is_named_and_one_not_judged_is_not(tmp_path):
    doc = _doc(("ListSchemas", "valid", "schema.response", "pass"))
    entries = _entries(tmp_path, {"operation": "ListSchemas", "rule": "schema.response", "reason": "fixed since"},
                       {"operation": "CreateCampaign", "rule": "schema.response", "reason": "not in this run"})
    result = judge(doc, Gate(baseline=entries))
    assert result.exit_code == 0
    assert [e.operation for e in result.now_passing] == ["ListSchemas"]
    assert [e.operation for e in result.not_judged] == ["CreateCampaign"]
    assert any(line.startswith("now passes") and "fixed since" in line for line in result.lines())


def test_fail_on_decides_whether_warnings_and_missing_operations_fail(tmp_path):
    doc = _doc(("ListSchemas", "valid", "schema.extra-members", "warn"), ("DescribeSchema", "valid", "schema.response", "pass"),
               ("CreateCampaign", "valid", "target.not-implemented", "not-implemented"))
    assert judge(doc, Gate()).exit_code == 0
    assert judge(doc, Gate(fail_on=("fail", "warn"))).exit_code == 1
    assert judge(doc, Gate(fail_on=("not-implemented",))).exit_code == 1


def test_a_harness_error_is_exit_2_even_when_every_failure_is_accepted(tmp_path):
    doc = _doc(("ListSchemas", "valid", "harness", "error"), ("DescribeSchema", "valid", "schema.response", "pass"))
    assert judge(doc, Gate()).exit_code == 2


@pytest.mark.parametrize("text,problem", [
    ("accepted:\n  - {operation: A, rule: r}\n", "lacks reason"),
    ("accepted:\n  - {operation: A, rule: r, reason: x, colour: red}\n", "unknown keys colour"),
    ("accepted:\n  - {operation: A, rule: r, reason: x, outcome: error}\n", "outcome 'error'"),
    ("accepted: {operation: A}\n", "expected a list"),
    ("- just a string\n", "is not a mapping"),
    ("{\"accepted\": [}", "neither JSON nor YAML"),
])
def test_a_baseline_that_cannot_be_read_is_refused_with_its_reason(tmp_path, text, problem):
    path = tmp_path / "baseline.yaml"
    path.write_text(text)
    with pytest.raises(UsageError, match=problem):
        load_baseline(str(path))


def test_the_committed_moto_baseline_gives_a_reason_for_every_entry():
    entries = load_baseline(str(MOTO_BASELINE))
    assert entries and all(len(e.reason) > 10 for e in entries)


# ---------------------------------------------------------------- output for machines, version

def test_format_json_prints_only_the_summary_on_stdout(tmp_path, capsys):
    code, out, err = _cli(capsys, "run", "--operation", "ListSchemas", "--examples", "2", "--out", tmp_path,
                          "--run-id", "as-json", "--format", "json")
    summary = json.loads(out)
    assert code == summary["exit_code"] == 0
    assert summary["run_id"] == "as-json" and summary["operations"] == {"ListSchemas": "PASS"}
    assert summary["totals"]["PASS"] == 1 and summary["gate"]["new_failures"] == []
    assert pathlib.Path(summary["reports"]["results.json"]).is_file()
    assert "run as-json against emulator" in err


def test_version_names_the_package_and_botocore(capsys):
    import botocore

    from personalize_conformance import __version__
    code, out, _ = _cli(capsys, "--version")
    assert code == 0
    assert out.startswith(f"personalize-conformance {__version__} ") and botocore.__version__ in out


# ---------------------------------------------------------------- include / exclude

def test_include_and_exclude_select_operations_families_and_rules(tmp_path, capsys):
    code, out, err = _cli(capsys, "run", "--include", "Describe*Schema", "--exclude", "family:invalid",
                          "--exclude", "rule:schema.*", "--examples", "2", "--out", tmp_path, "--run-id", "sel")
    assert code == 0, out + err
    doc = json.loads((tmp_path / "sel" / "results.json").read_text())
    assert set(doc["operations"]) == {"DescribeSchema"}
    # the lifecycle that reaches DescribeSchema (a schema to describe) runs too: its success is judged
    assert {c["family"] for c in doc["cases"]} == {"valid", "boundary", "lifecycle"}
    assert doc["operations"]["DescribeSchema"]["successes"] >= 1
    rules = {f["rule"] for c in doc["cases"] for f in c["findings"]}
    assert rules and not any(r.startswith("schema.") for r in rules)
    assert not any(r.startswith("schema.") for row in doc["operations"].values() for r in row["checks"])
    assert doc["settings"]["selection"] == {"include": {"operation": ["Describe*Schema"]},
                                            "exclude": {"family": ["invalid"], "rule": ["schema.*"]}}


def test_a_pattern_selects_by_prefix_or_by_what_it_matches():
    from personalize_conformance.runner.selection import Selection
    ops = ["CreateSchema", "ListSchemas"]
    s = Selection.parse(["Create*", "valid"], ["check:wire.*"], ops)
    assert s.operations(ops) == ["CreateSchema"]
    assert s.families == ("valid",)
    assert not s.keeps_rule("wire.request-id") and s.keeps_rule("schema.response")
    assert s.keeps_rule("target.not-implemented")  # the gates are never left out
    with pytest.raises(UsageError, match="matches no operation"):
        Selection.parse(["operation:Delete*"], [], ops)


# ---------------------------------------------------------------- settings

SETTINGS = """
[tool.personalize-conformance]
examples = 2
hypothesis-seed = 42
exclude = ["family:invalid"]

[tool.personalize-conformance.run]
operation = ["ListSchemas"]
"""


def _plan_seed(out: str) -> int:
    return int(out.splitlines()[0].split("hypothesis seed ")[1].split()[0])


def test_settings_come_from_pyproject_and_the_command_line_wins(tmp_path, capsys, monkeypatch):
    (tmp_path / "pyproject.toml").write_text(SETTINGS)
    monkeypatch.chdir(tmp_path)
    code, out, err = _cli(capsys, "run", "--plan")
    assert code == 0, err
    assert _plan_seed(out) == 42
    rows = [line.split()[0] for line in out.splitlines()[4:] if line and not line.startswith(("total", " "))]
    assert rows[0] == "ListSchemas" and "CreateSchema" not in rows
    code, out, err = _cli(capsys, "run", "--plan", "--hypothesis-seed", "7", "--operation", "DescribeSchema")
    assert code == 0, err
    assert _plan_seed(out) == 7
    assert any(line.startswith("DescribeSchema") for line in out.splitlines())
    assert not any(line.startswith("ListSchemas") for line in out.splitlines())


def test_a_settings_file_given_by_option_is_read_as_well(tmp_path, capsys, monkeypatch):
    (tmp_path / "ci.toml").write_text('hypothesis-seed = 9\noperation = ["ListSchemas"]\n')
    monkeypatch.chdir(tmp_path)
    code, out, err = _cli(capsys, "run", "--plan", "--config", "ci.toml")
    assert code == 0, err
    assert _plan_seed(out) == 9


def test_a_setting_for_another_command_is_not_an_error_but_an_unknown_one_is(tmp_path, capsys, monkeypatch):
    (tmp_path / "pyproject.toml").write_text('[tool.personalize-conformance]\nbaseline = "b.yaml"\n')
    monkeypatch.chdir(tmp_path)
    code, out, err = _cli(capsys, "spec", "--json")
    assert code == 0, err
    (tmp_path / "pyproject.toml").write_text('[tool.personalize-conformance.spec]\nbaseline = "b.yaml"\n')
    code, out, err = _cli(capsys, "spec", "--json")
    assert code == 2 and "spec has no option --baseline" in err


def test_the_settings_shown_in_the_readme_are_accepted(tmp_path, capsys, monkeypatch):
    readme = (ROOT / "README.md").read_text()
    start = readme.index("```toml", readme.index("## In CI")) + len("```toml")
    block = "\n".join(line.strip() for line in readme[start:readme.index("```", start)].splitlines())
    (tmp_path / "pyproject.toml").write_text(block)
    (tmp_path / "baselines").mkdir()
    (tmp_path / "baselines" / "moto.yaml").write_text(MOTO_BASELINE.read_text())
    monkeypatch.chdir(tmp_path)
    code, out, err = _cli(capsys, "run", "--plan", "--operation", "ListSchemas", "--hypothesis-seed", "1")
    assert code == 0, err
    assert "ListSchemas" in out


def test_the_baseline_shown_in_the_readme_is_accepted(tmp_path):
    readme = (ROOT / "README.md").read_text()
    start = readme.index("```yaml", readme.index("## In CI")) + len("```yaml")
    block = "\n".join(line[2:] for line in readme[start:readme.index("```", start)].splitlines())
    (tmp_path / "b.yaml").write_text(block)
    assert [e.rule for e in load_baseline(str(tmp_path / "b.yaml"))] == ["schema.no-null"]
