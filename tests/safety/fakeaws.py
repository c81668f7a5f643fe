"""Fake AWS credentials that are easy to spot in any output, and the environment that makes the
boto3 credential chain find them (and nothing else: no config files, no instance metadata)."""
from __future__ import annotations

import pytest

ACCESS_KEY = "AKIAPCFAKEACCESSKEY1"
SECRET_KEY = "pcFakeSecretKey/NeverPrintThis+0123456789abcdef"
SESSION_TOKEN = "pcFakeSessionToken//NeverPrintThisEither+ZZZZ0123456789"
SECRETS = (ACCESS_KEY, SECRET_KEY, SESSION_TOKEN)

ENV = {
    "AWS_ACCESS_KEY_ID": ACCESS_KEY,
    "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
    "AWS_SESSION_TOKEN": SESSION_TOKEN,
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_CONFIG_FILE": "/nonexistent/pc-config",
    "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/pc-credentials",
    "AWS_EC2_METADATA_DISABLED": "true",
}
CLEARED = ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_REGION", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
           "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN")


def subprocess_env(base: dict) -> dict:
    env = {k: v for k, v in base.items() if k not in CLEARED}
    env.update(ENV)
    return env


@pytest.fixture
def fake_aws_env(monkeypatch):
    """The fake credentials in this process's environment, for AwsTarget's credential chain."""
    for name in CLEARED:
        monkeypatch.delenv(name, raising=False)
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)
    return ENV
