"""The Hypothesis internals the harness relies on are still there, and do what it relies on.

These fail on the first Hypothesis release that moves one of them: the place to look is
strategies/hypothesis_fence.py, the one module that reaches into Hypothesis."""
import importlib
import sys
import warnings

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from personalize_conformance.strategies import hypothesis_fence as fence


def test_every_internal_the_fence_reaches_into_is_still_there():
    assert fence.fenced_internals_missing() == [], (
        f"Hypothesis {fence.HYPOTHESIS_VERSION} no longer has these: runs are not pinned against its "
        "constant pool until strategies/hypothesis_fence.py follows it")


@pytest.fixture
def local_module(tmp_path, monkeypatch):
    """A module of the user's own (not installed, not a test file) with a literal no one else has."""
    (tmp_path / "pc_fence_constants.py").write_text('MARKER = "pc-fence-7f3a"\nNUMBER = 987654321\n')
    monkeypatch.syspath_prepend(str(tmp_path))
    module = importlib.import_module("pc_fence_constants")
    yield module
    sys.modules.pop("pc_fence_constants", None)


def _pool():
    from hypothesis.internal.conjecture import providers
    return providers._get_local_constants()


@pytest.mark.skipif(not fence.has_constant_pool(), reason="this Hypothesis draws no constants from local modules")
def test_generation_pinned_draws_nothing_from_the_modules_a_process_imported(local_module, monkeypatch):
    from hypothesis.internal.conjecture import providers
    monkeypatch.setattr(providers, "_sys_modules_len", None)  # Hypothesis looks again only when this changed
    assert "pc-fence-7f3a" in _pool().strings, "Hypothesis collects local literals: what is pinned"
    with fence.pinned_generation():
        pool = _pool()
        assert not pool.strings and not pool.integers
    assert "pc-fence-7f3a" in _pool().strings, "the pool is Hypothesis's again after the run"


@pytest.mark.skipif(not fence.has_constant_pool(), reason="this Hypothesis draws no constants from local modules")
def test_pinning_nests_and_only_the_outermost_block_restores():
    from hypothesis.internal.conjecture import providers
    original = providers._get_local_constants
    with fence.pinned_generation():
        with fence.pinned_generation():
            pass
        assert providers._get_local_constants is not original
    assert providers._get_local_constants is original


@pytest.mark.skipif(not fence.has_constant_pool(), reason="this Hypothesis draws no constants from local modules")
def test_a_moved_constant_pool_costs_a_warning_not_a_run(monkeypatch):
    from hypothesis.internal.conjecture import providers
    monkeypatch.delattr(providers, "_get_local_constants")
    monkeypatch.setattr(fence, "_warned", [])
    with pytest.warns(fence.ReplayWarning, match="constant pool"):
        with fence.pinned_generation():
            drawn = _draw_one()
    assert isinstance(drawn, int)


def _draw_one():
    out = []

    @settings(max_examples=1, database=None, suppress_health_check=list(HealthCheck))
    @given(st.integers())
    def collect(n):
        out.append(n)

    collect()
    return out[0]


def test_a_given_database_key_spares_hypothesis_digesting_the_test_source(monkeypatch):
    import hypothesis.core
    digested = []
    original = hypothesis.core.function_digest

    def digest(function):
        digested.append(function)
        return original(function)

    monkeypatch.setattr(hypothesis.core, "function_digest", digest)  # raises here if Hypothesis renamed it

    def make():
        # derandomize=False: a derandomized test digests its source for its seed whatever the
        # key, and Hypothesis derandomizes by default wherever it detects CI.
        @settings(max_examples=2, database=None, deadline=None, derandomize=False)
        @given(st.integers())
        def run(n):
            pass
        return run

    fence.pinned_test(make(), b"personalize-conformance.test")()
    assert digested == []
    make()()
    assert digested, "without the key Hypothesis digests the source: what the key spares"


def test_a_pinned_test_keeps_its_hypothesis_handle():
    @given(st.integers())
    def run(n):
        pass
    assert fence.pinned_test(run).hypothesis is run.hypothesis


def test_a_replay_under_another_hypothesis_says_why_it_may_differ():
    assert fence.replay_mismatch(fence.HYPOTHESIS_VERSION) is None
    assert fence.replay_mismatch(None) is None
    why = fence.replay_mismatch("6.100.0")
    assert "6.100.0" in why and fence.HYPOTHESIS_VERSION in why


def test_nothing_is_left_pinned_after_a_run_raises():
    from hypothesis.internal.conjecture import providers
    original = getattr(providers, "_get_local_constants", None)
    with warnings.catch_warnings(), pytest.raises(RuntimeError):
        with fence.pinned_generation():
            raise RuntimeError("a run that fails")
    assert getattr(providers, "_get_local_constants", None) is original
