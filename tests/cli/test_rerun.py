"""`run --replay RUN`: a recorded run drawn again, with a warning when the Hypothesis installed
is not the one that drew it."""
import json

import pytest

from personalize_conformance.cli.main import main
from personalize_conformance.reporting import results_json


@pytest.fixture(scope="module")
def recorded(tmp_path_factory):
    out = tmp_path_factory.mktemp("runs")
    assert main(["run", "--operation", "CreateSchema", "--operation", "ListSchemas", "--examples", "2",
                 "--hypothesis-seed", "4321", "--out", str(out), "--run-id", "first"]) == 0
    return out / "first"


def _case_ids(folder) -> list[str]:
    return [c["case_id"] for c in results_json.load(folder)["cases"] if c["family"] != "lifecycle"]


def test_a_replayed_run_draws_the_recorded_cases_again(recorded, tmp_path, capsys):
    capsys.readouterr()
    assert main(["run", "--replay", str(recorded), "--out", str(tmp_path), "--run-id", "again"]) == 0
    captured = capsys.readouterr()
    assert "warning" not in captured.err
    again = results_json.load(tmp_path / "again")
    assert again["hypothesis_seed"] == 4321 and again["settings"]["examples"] == 2
    assert set(again["operations"]) == {"CreateSchema", "ListSchemas"}
    assert _case_ids(tmp_path / "again") == _case_ids(recorded)


def test_a_run_drawn_by_another_hypothesis_is_replayed_with_a_warning(recorded, tmp_path, capsys):
    import hypothesis
    doc = results_json.load(recorded)
    doc["hypothesis_version"] = "6.100.0"
    (tmp_path / "old").mkdir()
    results_json.write(tmp_path / "old" / "results.json", doc)
    capsys.readouterr()
    assert main(["run", "--replay", str(tmp_path / "old"), "--out", str(tmp_path), "--run-id", "b"]) == 0
    err = capsys.readouterr().err
    assert "warning" in err and "6.100.0" in err and hypothesis.__version__ in err


def test_a_run_that_recorded_no_version_is_replayed_with_a_warning(recorded, tmp_path, capsys):
    doc = results_json.load(recorded)
    del doc["hypothesis_version"]
    (tmp_path / "older").mkdir()
    results_json.write(tmp_path / "older" / "results.json", doc)
    capsys.readouterr()
    assert main(["run", "--replay", str(tmp_path / "older"), "--plan"]) == 0
    assert "did not record its Hypothesis version" in capsys.readouterr().err


def test_a_document_without_a_seed_cannot_be_replayed(recorded, tmp_path, capsys):
    doc = json.loads((recorded / "results.json").read_text())
    doc["hypothesis_seed"] = None
    (tmp_path / "har").mkdir()
    (tmp_path / "har" / "results.json").write_text(json.dumps(doc))
    assert main(["run", "--replay", str(tmp_path / "har")]) == 2
    assert "names no hypothesis seed" in capsys.readouterr().err


def test_a_replay_refuses_a_seed_that_contradicts_it(recorded, capsys):
    assert main(["run", "--replay", str(recorded), "--hypothesis-seed", "1", "--plan"]) == 2
    assert "draws seed 4321" in capsys.readouterr().err
