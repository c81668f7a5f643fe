"""The harness under pytest, in any repository the package is installed in (`pytest11` entry point).

- `pytest --pyargs personalize_conformance.suite --target moto` runs the conformance suite on moto
  and writes a report at the end of the session.
- A user's own contract tests take the `personalize_client` fixture (a boto3 client already on
  the chosen target) and `conformance_run_id` (to name and tag what they create), and may carry
  the `conformance` marker, so `pytest -m conformance --target X` selects them.

The plugin is loaded by every pytest session of an environment it is installed in, most of which
never use it: importing it costs nothing but pytest's own import, it registers nothing global
(no Hypothesis profiles), and it deselects nothing. Everything else loads when a fixture asks.
Without `--target` the fixtures use the bundled emulator, in-process.
"""
from __future__ import annotations

import os
import time

import pytest

# Generated requests per operation when neither --conformance-examples nor the environment says.
DEFAULT_EXAMPLES = 5
# ... and by the Hypothesis profile named on the command line, as the repository's own profiles
# (its conftest.py) scale them. A user's profile of the same name scales the suite the same way.
EXAMPLES_BY_PROFILE = {"dev": 5, "ci": 8, "thorough": 50}
EXAMPLES_VARIABLE = "PERSONALIZE_CONFORMANCE_EXAMPLES"
TARGETS = ("emulator", "emulator-server", "moto", "moto-server", "aws")  # as targets.TARGET_NAMES


def pytest_addoption(parser):
    group = parser.getgroup("personalize-conformance", "Amazon Personalize conformance")
    group.addoption("--target", default=None,
                    help="the target of the conformance suite and of the personalize_client fixture: "
                         "emulator (default), emulator-server, moto, moto-server, aws, or a URL")
    group.addoption("--conformance-spec", default=None, metavar="PATH|URL",
                    help="OpenAPI document to judge with (default: built from the installed botocore)")
    group.addoption("--endpoint-url", default=None, help="any emulator's URL (same as --target URL)")
    group.addoption("--allow-aws", action="store_true", default=False, help="let --target aws reach real AWS")
    group.addoption("--allow-billable", action="store_true", default=False,
                    help="with --target aws: also send operations that start paid work")
    group.addoption("--conformance-examples", type=int, default=None,
                    help=f"generated requests per operation (default: ${EXAMPLES_VARIABLE}, else by "
                         f"--hypothesis-profile, else {DEFAULT_EXAMPLES})")
    group.addoption("--conformance-timeout", type=float, default=30.0,
                    help="seconds to wait for each response (the state machine and lifecycles included)")
    group.addoption("--reports-dir", default="reports", help="where <run-id>/ of the report goes (default ./reports)")
    group.addoption("--conformance-strict", action="store_true", default=False,
                    help="fail, not warn, where a target departs from what only the docs say of statuses, "
                         "values, required members, error names or validation order")


def explicit_target(config) -> bool:
    """Whether the session names a target; only then is a report written."""
    return bool(config.getoption("--target", None) or config.getoption("--endpoint-url", None))


def pytest_configure(config):
    config.addinivalue_line("markers", "conformance: a contract test of the Amazon Personalize API "
                                       "(`pytest -m conformance --target X` runs these alone)")
    if not any(line.split(":")[0].strip() == "slow" for line in config.getini("markers")):
        config.addinivalue_line("markers", "slow: takes seconds (the conformance suite's state machine)")
    target = config.getoption("--target", None)
    if target and target not in TARGETS and not target.startswith(("http://", "https://")):
        raise pytest.UsageError(f"--target {target}: use one of {', '.join(TARGETS)} or an http(s) URL")
    if target == "aws" and not config.getoption("--allow-aws"):
        raise pytest.UsageError("--target aws sends requests to real AWS and may cost money: "
                                "pass --allow-aws to confirm")
    from personalize_conformance.checks import evidence
    evidence.set_strict(config.getoption("--conformance-strict", False))


def examples(config) -> int:
    given = config.getoption("--conformance-examples", None)
    if given:
        return given
    from_env = os.environ.get(EXAMPLES_VARIABLE, "").strip()
    if from_env.isdigit() and int(from_env) > 0:
        return int(from_env)
    profile = config.getoption("hypothesis_profile", None)  # the hypothesis plugin's option
    return EXAMPLES_BY_PROFILE.get(profile, DEFAULT_EXAMPLES)


def _make_target(config):
    from personalize_conformance.targets import make_target
    return make_target(config.getoption("--target"), endpoint_url=config.getoption("--endpoint-url"),
                       allow_aws=config.getoption("--allow-aws"),
                       allow_billable=config.getoption("--allow-billable"),
                       timeout=config.getoption("--conformance-timeout"))


class ConformanceSession:
    """The pieces of a run shared by every conformance test of one pytest session."""

    def __init__(self, config, target):
        from personalize_conformance.runner import xdist
        from personalize_conformance.runner.records import RunResult
        from personalize_conformance.runner.safety import SafeTarget
        from personalize_conformance.runner.teardown import RunGuard
        from personalize_conformance.specs import load_spec
        self.config = config
        self.spec = load_spec(config.getoption("--conformance-spec"))
        run_id, self.seed = xdist.shared(config)  # the same for every xdist worker
        self.target = SafeTarget(target, self.spec, run_id, worker=xdist.worker_id(config))
        self.guard = RunGuard(self.target)
        self._closed = False
        self.guard.__enter__()  # teardown at close; SIGTERM as Ctrl-C meanwhile
        self.examples = examples(config)
        self.result = RunResult(run_id=run_id, target=self.target.name, endpoint=self.target.endpoint,
                                spec_source=self.spec.source, spec_version=self.spec.version,
                                seed=self.seed, operations={}, started=time.time(),
                                settings={"examples": self.examples, "runner": "pytest",
                                          "strict": bool(config.getoption("--conformance-strict", False))},
                                worker=xdist.worker_id(config))

    def close(self):
        """Tear down what the session created. Safe to call twice; the target is closed by its owner."""
        if self._closed:
            return
        self._closed = True
        self.guard.__exit__(None, None, None)
        self.guard.record(self.result)
        self.result.finished = time.time()


_SESSION_KEY = pytest.StashKey[ConformanceSession]()
_TARGET_KEY = pytest.StashKey[object]()
_REPORT_KEY = pytest.StashKey[str]()
_WORKER_DOCS_KEY = pytest.StashKey[list]()


def _session_target(config):
    """The session's one target, made on first use: the suite and the user's client share it."""
    target = config.stash.get(_TARGET_KEY, None)
    if target is None:
        target = config.stash[_TARGET_KEY] = _make_target(config)
    return target


def _close_target(config) -> None:
    target = config.stash.get(_TARGET_KEY, None)
    if target is not None:
        del config.stash[_TARGET_KEY]
        target.close()


@pytest.fixture(scope="session")
def _personalize_target(request):
    yield _session_target(request.config)
    _close_target(request.config)


@pytest.fixture(scope="session")
def conformance(request, _personalize_target) -> ConformanceSession:
    """The conformance suite's run: spec, guarded target, seed, budget and collected results."""
    session = ConformanceSession(request.config, _personalize_target)
    request.config.stash[_SESSION_KEY] = session
    yield session
    session.close()


@pytest.fixture(scope="session")
def conformance_run_id(request) -> str:
    """The run's id (shared by every xdist worker): put it in the names and tags of what a test creates."""
    from personalize_conformance.runner import xdist
    return xdist.shared(request.config)[0]


@pytest.fixture(scope="session")
def personalize_client(_personalize_target):
    """A boto3 `personalize` client on the session's target (--target; default the bundled
    emulator, in-process). What a test creates with it is the test's to delete."""
    from personalize_conformance.targets.clients import boto3_client
    return boto3_client(_personalize_target)


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node):
    from personalize_conformance.runner import xdist
    xdist.configure_node(node)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    from personalize_conformance.runner import xdist
    xdist.collect(node, node.config.stash.setdefault(_WORKER_DOCS_KEY, []))


def pytest_sessionfinish(session, exitstatus):
    config = session.config
    conf = config.stash.get(_SESSION_KEY, None)
    if conf is not None:
        conf.close()  # teardown before the report, so the report says how it went
    _close_target(config)
    if not explicit_target(config):
        return
    from personalize_conformance.runner import xdist
    if conf is not None and conf.result.records:
        from personalize_conformance.runner.redaction import scrub
        from personalize_conformance.runner.session import build_document
        doc = scrub(build_document(conf.result), getattr(conf.target, "secrets", ()))
        if xdist.is_worker(config):
            xdist.send_document(config, doc)  # the controller writes the one report
            return
    else:
        if xdist.is_worker(config) or not config.stash.get(_WORKER_DOCS_KEY, None):
            return
        doc = xdist.merge(config.stash[_WORKER_DOCS_KEY])
        if doc is None:
            return
    import pathlib
    from personalize_conformance.reporting import write_all
    out = pathlib.Path(config.getoption("--reports-dir")) / doc["run_id"]
    write_all(doc, out)
    config.stash[_REPORT_KEY] = f"conformance report: {out}/summary.md (hypothesis seed {doc['hypothesis_seed']})"
    from personalize_conformance.runner.verdicts import unjudged
    reason = unjudged(doc["operations"])
    if reason and session.exitstatus == 0:  # every test passed, yet nothing (or not everything) was judged
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
        config.stash[_REPORT_KEY] += f"\nconformance not shown: {reason}"


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    line = config.stash.get(_REPORT_KEY, None)
    if line:
        terminalreporter.write_line(line)
