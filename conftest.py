"""The repository's own pytest settings: what the harness's test runs want and a user's do not.

The harness's pytest plugin (--target, --conformance-spec, --endpoint-url; the `conformance`,
`personalize_client` and `conformance_run_id` fixtures) is registered by the installed package's
`pytest11` entry point, as it is in any user's repository, so nothing loads it here. What is
here applies to this repository's sessions only:

- the Hypothesis profiles `dev`, `ci` and `thorough` (`--hypothesis-profile=ci`);
- with `--target`, only the conformance suite runs (the harness's own tests are not about the
  target);
- long tests first, and no full garbage collections over the session's leftovers at exit.

Benchmark scripts are not tests.
"""
from hypothesis import settings

from personalize_conformance.runner.pytest_plugin import explicit_target

collect_ignore = ["bench"]
pytest_plugins = ["pytester"]

settings.register_profile("dev", max_examples=10, deadline=None)
settings.register_profile("ci", max_examples=25, deadline=None, derandomize=True, print_blob=True)
settings.register_profile("thorough", max_examples=200, deadline=None)


def pytest_collection_modifyitems(config, items):
    # Long tests first: with `pytest -n N`, a long test handed out last keeps one worker busy
    # while the others idle. (A stable sort: everything else keeps its order, which the
    # stateless suite relies on - creates before the operations that point at what they made.)
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
    if not explicit_target(config):
        return
    keep = [i for i in items if i.get_closest_marker("conformance")]
    dropped = [i for i in items if not i.get_closest_marker("conformance")]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
    items[:] = keep


def pytest_unconfigure(config):
    """Everything the session made is final now. pytest's last step runs full garbage
    collections to surface unraisable exceptions; over a run's thousands of records and
    strategies that costs seconds, paid by every xdist worker. Objects alive now are exempted
    (`gc.freeze`): only what teardown leaves in cycles from here on is still collected."""
    import gc
    gc.freeze()
