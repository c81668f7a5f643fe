"""Every use of Hypothesis beyond its public API, in one place.

A report's seed must replay the same cases. Hypothesis's public API pins most of what a run's
draws depend on (`@seed`, `database=None`, `phases`), but not all: since 6.131 it also draws
literals found in the source of every *local* module already imported (not installed, not
stdlib, not a test file), so what a seed produces changes with the modules a process happened
to import, with the test modules pytest collected, and with whether the harness is installed
as a wheel or from a checkout. Runs switch that pool off here (`pinned_generation`).

The other internal: Hypothesis digests a test function's source on every run to key its
example database, even with the database off; the harness runs hundreds of one-line tests and
gives the key up front (`pinned_test`).

tests/strategies/test_hypothesis_fence.py fails the moment a Hypothesis release drops what this
module reaches into; the harness itself then degrades (one warning, nothing pinned) rather
than crash.
"""
from __future__ import annotations

import contextlib
import functools
import threading
import warnings

import hypothesis

HYPOTHESIS_VERSION = hypothesis.__version__


class ReplayWarning(UserWarning):
    """A seed may not replay the cases it names."""


def has_constant_pool() -> bool:
    """Whether this Hypothesis draws literals from the source of imported local modules."""
    try:
        import hypothesis.internal.constants_ast  # noqa: F401
    except ImportError:  # before 6.131: no such pool, nothing to pin
        return False
    return True


def _providers():
    from hypothesis.internal.conjecture import providers
    return providers


def _no_local_constants(*_args, **_kwargs):
    from hypothesis.internal.constants_ast import Constants
    return Constants()


def _clear_constant_cache(providers) -> None:
    """Hypothesis caches, per draw kind, the constants a draw may use: built from the pool in
    force when first asked, so it is emptied when the pool changes either way."""
    cache = providers.CONSTANTS_CACHE
    getattr(cache, "cache", cache).clear()


_lock = threading.Lock()
_depth = 0
_saved: list = []
_warned: list = []


def _swap(pin: bool) -> None:
    providers = _providers()
    if pin:
        _saved.append(providers._get_local_constants)
        providers._get_local_constants = _no_local_constants
    else:
        providers._get_local_constants = _saved.pop()
    _clear_constant_cache(providers)


def fenced_internals_missing() -> list[str]:
    """The internals this module reaches into that the installed Hypothesis lacks."""
    if not has_constant_pool():
        return []
    missing = []
    providers = _providers()
    if not callable(getattr(providers, "_get_local_constants", None)):
        missing.append("hypothesis.internal.conjecture.providers._get_local_constants")
    cache = getattr(providers, "CONSTANTS_CACHE", None)
    if not callable(getattr(getattr(cache, "cache", cache), "clear", None)):
        missing.append("hypothesis.internal.conjecture.providers.CONSTANTS_CACHE")
    try:
        from hypothesis.internal.constants_ast import Constants
        Constants()
    except Exception:
        missing.append("hypothesis.internal.constants_ast.Constants")
    return missing


@contextlib.contextmanager
def pinned_generation():
    """Within: Hypothesis draws nothing from the constant pool of imported local modules, so a
    seed draws the same cases whatever else the process imported. Re-entrant; one process-wide
    switch (Hypothesis's pool is one), restored when the outermost block ends."""
    global _depth
    with _lock:
        usable = has_constant_pool() and not fenced_internals_missing()
        if has_constant_pool() and not usable and not _warned:
            _warned.append(True)
            warnings.warn(f"Hypothesis {HYPOTHESIS_VERSION} changed its constant pool; runs are not pinned "
                          "against it: a seed may draw other cases depending on the modules imported "
                          f"({', '.join(fenced_internals_missing())})", ReplayWarning, stacklevel=3)
        if usable and _depth == 0:
            _swap(True)
        _depth += usable
    try:
        yield
    finally:
        with _lock:
            _depth -= usable
            if usable and _depth == 0:
                _swap(False)


DATABASE_KEY_ATTRIBUTE = "_hypothesis_internal_database_key"


def pinned_test(test, database_key: bytes | None = None):
    """`test` (a function decorated with `@given`) that runs with generation pinned, and, with
    `database_key`, does not digest its own source to key the example database on every run
    (the database is off in runs; the digest costs a tenth of a run of hundreds of them)."""
    if database_key is not None:
        setattr(test, DATABASE_KEY_ATTRIBUTE, database_key)

    @functools.wraps(test)
    def pinned(*args, **kwargs):
        with pinned_generation():
            return test(*args, **kwargs)
    return pinned


def replay_mismatch(recorded: str | None) -> str | None:
    """Why a seed recorded under Hypothesis `recorded` may not replay here, or None."""
    if not recorded or recorded == HYPOTHESIS_VERSION:
        return None
    return (f"the run was generated by Hypothesis {recorded}, this is Hypothesis {HYPOTHESIS_VERSION}: "
            "the same seed may draw other cases (install hypothesis=={recorded} to replay it exactly)")


__all__ = ["HYPOTHESIS_VERSION", "ReplayWarning", "fenced_internals_missing",
           "has_constant_pool", "pinned_generation", "pinned_test", "replay_mismatch"]
