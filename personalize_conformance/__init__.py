"""personalize-conformance: the contract-testing and spec-conformance harness for the Amazon
Personalize control-plane API.

The stages of one request are the subpackages: `specs` -> `strategies` -> `targets` -> `checks`
-> `reporting`, with `contracts` (data), `runner` (drives the stages), `emulator` (the bundled
reference target), `cli` and `suite` (the conformance suite under pytest).

In the repository those stages are top-level folders beside this one, and the build maps them
into this one package (pyproject.toml, `package-dir`). So that a source checkout also runs
without being installed (`python -m personalize_conformance` from its root), the folder above
this one joins the package's search path when the stages are not inside it; an installed wheel,
where they are, never looks outside itself.
"""
from __future__ import annotations

import os as _os

try:
    from importlib.metadata import PackageNotFoundError, version as _version
    __version__ = _version("personalize-conformance")
except PackageNotFoundError:  # pragma: no cover - a source checkout that was never installed
    __version__ = "0.0.0+source"

_here = _os.path.dirname(_os.path.abspath(__file__))
if not _os.path.isdir(_os.path.join(_here, "specs")):
    __path__.append(_os.path.dirname(_here))  # type: ignore[name-defined]  # a source checkout
