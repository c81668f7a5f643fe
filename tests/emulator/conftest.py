"""Fixtures for the emulator's own tests: an in-process client and a world builder."""
from __future__ import annotations

import pytest

from personalize_conformance.emulator import Emulator

from .helpers import Client, World


@pytest.fixture
def client() -> Client:
    """Default timing (describes:1), so intermediate statuses are observable."""
    return Client(Emulator())


@pytest.fixture
def fast() -> Client:
    """Immediate timing: creates land ACTIVE, deletes remove at once."""
    return Client(Emulator(timing="immediate"))


@pytest.fixture
def world(fast) -> World:
    """A fully populated custom and domain dataset group (immediate timing)."""
    return World(fast).build()
