"""Fixtures shared by the safety tests."""
from .fakeaws import fake_aws_env  # noqa: F401 - fixture
