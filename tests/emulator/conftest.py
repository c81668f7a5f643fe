"""Fixtures for the emulator's own tests: an in-process client and a world builder."""
from __future__ import annotations

import pytest

from personalize_conformance.emulator import Emulator

from .helpers import Client, World


@pytest.fixture
def client() -> Client:
    """Describe-driven timing (describes:1): every intermediate status is observable, and a test
    sees the same statuses on every run."""
    return Client(Emulator(timing="describes:1"))


@pytest.fixture
def fast() -> Client:
    """Immediate timing: creates land ACTIVE, deletes remove at once."""
    return Client(Emulator(timing="immediate"))


@pytest.fixture
def world(fast) -> World:
    """A fully populated custom and domain dataset group (immediate timing)."""
    return World(fast).build()
