"""Fixtures shared by the robustness tests."""
from tests.safety.fakeaws import fake_aws_env  # noqa: F401 - fixture
