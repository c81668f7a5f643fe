"""The harness under pytest: `pytest --target X` runs the conformance suite on X and writes a report.

Loaded by the repository's conftest.py. Without `--target` the suite still runs, against the
bundled emulator, beside the harness's own tests; with it, only the conformance suite runs.
"""
from __future__ import annotations

import random
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
    group.addoption("--conformance-examples", type=int, default=None,
                    help="generated requests per operation (default from the Hypothesis profile)")
    group.addoption("--reports-dir", default="reports", help="where reports/<run-id>/ goes")


def _explicit_target(config) -> bool:
    return bool(config.getoption("--target") or config.getoption("--endpoint-url"))


def pytest_configure(config):
    config.addinivalue_line("markers", "conformance: the conformance suite (runs on --target)")


def pytest_collection_modifyitems(config, items):
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
        from runner.records import RunResult
        from runner.session import new_run_id
        from specs import load_spec
        from targets import make_target
        self.config = config
        self.spec = load_spec(config.getoption("--spec"))
        seed = config.getoption("hypothesis_seed", default=None)
        self.seed = int(seed) if seed not in (None, "") else random.SystemRandom().randrange(2**32)
        self.target = make_target(config.getoption("--target"), endpoint_url=config.getoption("--endpoint-url"),
                                  allow_aws=config.getoption("--allow-aws"))
        profile = settings._current_profile or "default"
        self.examples = config.getoption("--conformance-examples") or EXAMPLES.get(profile, 5)
        self.result = RunResult(run_id=new_run_id(), target=self.target.name, endpoint=self.target.endpoint,
                                spec_source=self.spec.source, spec_version=self.spec.version,
                                seed=self.seed, operations={}, started=time.time(),
                                settings={"examples": self.examples, "runner": "pytest"})

    def close(self):
        self.target.close()
        self.result.finished = time.time()


_SESSION_KEY = pytest.StashKey[ConformanceSession]()
_REPORT_KEY = pytest.StashKey[str]()


@pytest.fixture(scope="session")
def conformance(request) -> ConformanceSession:
    session = ConformanceSession(request.config)
    request.config.stash[_SESSION_KEY] = session
    yield session
    session.close()


def pytest_sessionfinish(session, exitstatus):
    conf = session.config.stash.get(_SESSION_KEY, None)
    if conf is None or not _explicit_target(session.config) or not conf.result.records:
        return
    import pathlib
    from reports import write_all
    from runner.session import build_document
    conf.result.finished = time.time()
    doc = build_document(conf.result)
    out = pathlib.Path(session.config.getoption("--reports-dir")) / conf.result.run_id
    write_all(doc, out)
    session.config.stash[_REPORT_KEY] = f"conformance report: {out}/summary.md (hypothesis seed {conf.seed})"


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    line = config.stash.get(_REPORT_KEY, None)
    if line:
        terminalreporter.write_line(line)


def pytest_generate_tests(metafunc):
    if "operation_name" in metafunc.fixturenames:
        from specs import load_spec
        spec = load_spec(metafunc.config.getoption("--spec"))
        metafunc.parametrize("operation_name", list(spec.operations))
