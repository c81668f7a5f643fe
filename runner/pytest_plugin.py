"""The harness under pytest: `pytest --target X` runs the conformance suite on X and writes a report.

Loaded by the repository's conftest.py. Without `--target` the suite still runs, against the
bundled emulator, beside the harness's own tests; with it, only the conformance suite runs.
"""
from __future__ import annotations

import time

import pytest
from hypothesis import settings

settings.register_profile("dev", max_examples=10, deadline=None)
settings.register_profile("ci", max_examples=25, deadline=None, derandomize=True, print_blob=True)
settings.register_profile("thorough", max_examples=200, deadline=None)

EXAMPLES = {"dev": 5, "ci": 8, "thorough": 50, "default": 5}


def pytest_addoption(parser):
    group = parser.getgroup("personalize-conformance")
    group.addoption("--target", default=None,
                    help="run the conformance suite on: emulator, emulator-server, moto, moto-server, aws, or a URL")
    group.addoption("--spec", default=None, help="OpenAPI document (path or URL); default: built from botocore")
    group.addoption("--endpoint-url", default=None, help="any emulator's URL")
    group.addoption("--allow-aws", action="store_true", default=False, help="let --target aws reach real AWS")
    group.addoption("--allow-billable", action="store_true", default=False,
                    help="with --target aws: also send operations that start paid work")
    group.addoption("--conformance-examples", type=int, default=None,
                    help="generated requests per operation (default from the Hypothesis profile)")
    group.addoption("--conformance-timeout", type=float, default=30.0,
                    help="seconds to wait for each response (the state machine and lifecycles included)")
    group.addoption("--reports-dir", default="reports", help="where reports/<run-id>/ goes")


def _explicit_target(config) -> bool:
    return bool(config.getoption("--target") or config.getoption("--endpoint-url"))


def pytest_configure(config):
    config.addinivalue_line("markers", "conformance: the conformance suite (runs on --target)")


def pytest_collection_modifyitems(config, items):
    # Long tests first: with `pytest -n N`, a long test handed out last keeps one worker busy
    # while the others idle. (A stable sort: everything else keeps its order, which the
    # stateless suite relies on - creates before the operations that point at what they made.)
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
    if not _explicit_target(config):
        return
    keep = [i for i in items if i.get_closest_marker("conformance")]
    dropped = [i for i in items if not i.get_closest_marker("conformance")]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
    items[:] = keep


class ConformanceSession:
    """The pieces of a run shared by every conformance test of one pytest session."""

    def __init__(self, config):
        from personalize_conformance.runner import xdist
        from personalize_conformance.runner.records import RunResult
        from personalize_conformance.runner.safety import SafeTarget
        from personalize_conformance.runner.teardown import RunGuard
        from personalize_conformance.specs import load_spec
        from personalize_conformance.targets import make_target
        self.config = config
        self.spec = load_spec(config.getoption("--spec"))
        run_id, self.seed = xdist.shared(config)  # the same for every xdist worker
        target = make_target(config.getoption("--target"), endpoint_url=config.getoption("--endpoint-url"),
                             allow_aws=config.getoption("--allow-aws"),
                             allow_billable=config.getoption("--allow-billable"),
                             timeout=config.getoption("--conformance-timeout"))
        self.target = SafeTarget(target, self.spec, run_id, worker=xdist.worker_id(config))
        self.guard = RunGuard(self.target)
        self._closed = False
        self.guard.__enter__()  # teardown at close; SIGTERM as Ctrl-C meanwhile
        from personalize_conformance.strategies.hypothesis_fence import current_profile_name
        profile = current_profile_name(EXAMPLES)
        self.examples = config.getoption("--conformance-examples") or EXAMPLES.get(profile, 5)
        self.result = RunResult(run_id=run_id, target=self.target.name, endpoint=self.target.endpoint,
                                spec_source=self.spec.source, spec_version=self.spec.version,
                                seed=self.seed, operations={}, started=time.time(),
                                settings={"examples": self.examples, "runner": "pytest"},
                                worker=xdist.worker_id(config))

    def close(self):
        """Tear down what the session created, then close the target. Safe to call twice."""
        if self._closed:
            return
        self._closed = True
        self.guard.__exit__(None, None, None)
        self.guard.record(self.result)
        self.target.close()
        self.result.finished = time.time()


_SESSION_KEY = pytest.StashKey[ConformanceSession]()
_REPORT_KEY = pytest.StashKey[str]()
_WORKER_DOCS_KEY = pytest.StashKey[list]()


@pytest.fixture(scope="session")
def conformance(request) -> ConformanceSession:
    session = ConformanceSession(request.config)
    request.config.stash[_SESSION_KEY] = session
    yield session
    session.close()


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node):
    from personalize_conformance.runner import xdist
    xdist.configure_node(node)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    from personalize_conformance.runner import xdist
    xdist.collect(node, node.config.stash.setdefault(_WORKER_DOCS_KEY, []))


def pytest_sessionfinish(session, exitstatus):
    import pathlib
    from personalize_conformance.reporting import write_all
    from personalize_conformance.runner import xdist
    from personalize_conformance.runner.redaction import scrub
    from personalize_conformance.runner.session import build_document
    config = session.config
    conf = config.stash.get(_SESSION_KEY, None)
    if conf is not None:
        conf.close()  # teardown before the report, so the report says how it went
    if not _explicit_target(config):
        return
    if conf is not None and conf.result.records:
        doc = scrub(build_document(conf.result), getattr(conf.target, "secrets", ()))
        if xdist.is_worker(config):
            xdist.send_document(config, doc)  # the controller writes the one report
            return
    else:
        doc = xdist.merge(config.stash.get(_WORKER_DOCS_KEY, []))
        if doc is None:
            return
    out = pathlib.Path(config.getoption("--reports-dir")) / doc["run_id"]
    write_all(doc, out)
    config.stash[_REPORT_KEY] = f"conformance report: {out}/summary.md (hypothesis seed {doc['hypothesis_seed']})"
    from personalize_conformance.runner.verdicts import unjudged
    reason = unjudged(doc["operations"])
    if reason and session.exitstatus == 0:  # every test passed, yet nothing (or not everything) was judged
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
        config.stash[_REPORT_KEY] += f"\nconformance not shown: {reason}"


def pytest_unconfigure(config):
    """Everything the session made is final now. pytest's last step runs full garbage
    collections to surface unraisable exceptions; over a run's thousands of records and
    strategies that costs seconds, paid by every xdist worker. Objects alive now are exempted
    (`gc.freeze`): only what teardown leaves in cycles from here on is still collected."""
    import gc
    gc.freeze()


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    line = config.stash.get(_REPORT_KEY, None)
    if line:
        terminalreporter.write_line(line)


def pytest_generate_tests(metafunc):
    if "operation_name" in metafunc.fixturenames:
        from personalize_conformance.specs import load_spec
        spec = load_spec(metafunc.config.getoption("--spec"))
        metafunc.parametrize("operation_name", list(spec.operations))
