"""The plugin in a user's own repository: a folder outside this one holding nothing but the
user's tests, where pytest finds the plugin through the installed package's entry point alone."""
from __future__ import annotations

import json
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]

USER_TESTS = '''
import json

import pytest

SCHEMA = json.dumps({"type": "record", "name": "Interactions",
                     "namespace": "com.amazonaws.personalize.schema",
                     "fields": [{"name": "USER_ID", "type": "string"},
                                {"name": "ITEM_ID", "type": "string"},
                                {"name": "TIMESTAMP", "type": "long"}], "version": "1.0"})


@pytest.mark.conformance
def test_a_schema_i_create_is_described_back(personalize_client, conformance_run_id):
    name = f"pc-{conformance_run_id}-mine"
    arn = personalize_client.create_schema(name=name, schema=SCHEMA)["schemaArn"]
    try:
        assert personalize_client.describe_schema(schemaArn=arn)["schema"]["name"] == name
    finally:
        personalize_client.delete_schema(schemaArn=arn)


def test_mine_that_knows_nothing_of_personalize():
    assert "personalize".upper() == "PERSONALIZE"
'''

@pytest.fixture
def user_repo(pytester, monkeypatch):
    monkeypatch.delenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", raising=False)  # the entry point must load it
    monkeypatch.delenv("PERSONALIZE_CONFORMANCE_EXAMPLES", raising=False)
    assert ROOT not in pytester.path.parents and pytester.path != ROOT
    return pytester


def _run(pytester, *args):
    # schemathesis's own plugin, installed beside the harness, takes seconds to load and plays
    # no part here.
    return pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:schemathesis", "-p", "no:randomly",
                                         *args, timeout=300)


@pytest.mark.slow
@pytest.mark.parametrize("target", ["emulator", "moto"])
def test_a_users_contract_test_runs_on_the_target_beside_their_other_tests(user_repo, target):
    user_repo.makepyfile(test_contract=USER_TESTS)
    result = _run(user_repo, "--target", target, "--strict-markers", "-v")
    result.assert_outcomes(passed=2)  # --target deselects none of the user's own tests
    result.stdout.fnmatch_lines(["*test_a_schema_i_create_is_described_back PASSED*",
                                 "*test_mine_that_knows_nothing_of_personalize PASSED*"])
    assert not (user_repo.path / "reports").exists()  # no conformance suite ran: nothing to report


@pytest.mark.slow
def test_without_target_the_fixture_is_on_the_bundled_emulator(user_repo):
    user_repo.makepyfile(test_contract=USER_TESTS + '''

def test_the_default_target_is_the_emulator_in_process(personalize_client):
    assert personalize_client.meta.endpoint_url == "https://personalize.emulator.invalid"
''')
    result = _run(user_repo)
    result.assert_outcomes(passed=3)


@pytest.mark.slow
def test_the_shipped_suite_runs_in_a_users_repository_and_writes_a_report(user_repo):
    # The user's own settings file, named, so that in a source checkout the folder the suite is
    # found in does not lend the session its pytest settings and conftest.py.
    user_repo.makefile(".toml", pyproject="[tool.pytest.ini_options]\n")
    result = _run(user_repo, "-c", "pyproject.toml", "--rootdir", ".",
                  "--pyargs", "personalize_conformance.suite", "--target", "emulator",
                  "-k", "CreateSchema", "--conformance-examples", "2")
    result.assert_outcomes(passed=3)  # CreateSchema's valid, boundary and invalid families
    result.stdout.fnmatch_lines(["conformance report: reports/*/summary.md (hypothesis seed *)"])
    (folder,) = (user_repo.path / "reports").iterdir()
    assert {p.name for p in folder.iterdir()} >= {"results.json", "summary.md", "junit.xml", "index.html"}
    doc = json.loads((folder / "results.json").read_text())
    assert list(doc["operations"]) == ["CreateSchema"]
    assert doc["operations"]["CreateSchema"]["status"] == "PASS"
    assert doc["target"]["name"] == "emulator"


@pytest.mark.slow
def test_a_users_own_hypothesis_profiles_are_theirs(user_repo):
    user_repo.makeconftest('''
from hypothesis import settings
settings.register_profile("ci", max_examples=3)
''')
    user_repo.makepyfile(test_profiles='''
import pytest
from hypothesis import settings
from hypothesis.errors import InvalidArgument


def test_ci_is_mine():
    assert settings().max_examples == 3


@pytest.mark.parametrize("name", ["dev", "thorough"])
def test_the_plugin_registered_no_profile(name):
    with pytest.raises(InvalidArgument):
        settings.get_profile(name)
''')
    result = _run(user_repo, "--hypothesis-profile=ci")
    result.assert_outcomes(passed=3)


@pytest.mark.parametrize("args,message", [
    (["--target", "aws"], "pass --allow-aws to confirm"),
    (["--target", "localstack"], "--target localstack: use one of emulator, emulator-server, moto"),
])
def test_a_target_that_cannot_be_used_is_a_usage_error_before_any_test(user_repo, args, message):
    user_repo.makepyfile(test_contract=USER_TESTS)
    result = _run(user_repo, *args)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"*{message}*"])


def test_the_spec_option_of_pytest_spec_is_left_alone(user_repo):
    """pytest-spec owns --spec; ours is --conformance-spec."""
    result = _run(user_repo, "--help")
    text = result.stdout.str()
    assert "--conformance-spec=PATH|URL" in text
    assert " --spec" not in text and "--target=TARGET" in text


def test_importing_the_plugin_loads_nothing_heavy():
    probe = ("import sys; import personalize_conformance.runner.pytest_plugin; "
             "heavy = ('botocore', 'boto3', 'hypothesis', 'moto', 'schemathesis', 'openapi_core', 'yaml', "
             "'personalize_conformance.specs', 'personalize_conformance.strategies', "
             "'personalize_conformance.checks', 'personalize_conformance.runner.session'); "
             "print(sorted(m for m in heavy if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr
