"""Real AWS: the normal boto3 credential chain, and never without an explicit opt-in."""
from __future__ import annotations

from .http import HttpTarget


class AwsNotAllowed(RuntimeError):
    pass


class AwsTarget(HttpTarget):
    def __init__(self, *, allow_aws: bool = False, region: str | None = None,
                 endpoint_url: str | None = None, timeout: float = 30.0):
        if not allow_aws:
            raise AwsNotAllowed("--target aws sends requests to real AWS and may cost money: "
                                "pass --allow-aws to confirm")
        import boto3
        session = boto3.Session(region_name=region)
        credentials = session.get_credentials()
        if credentials is None:
            raise AwsNotAllowed("no AWS credentials found in the boto3 credential chain")
        region = session.region_name or "us-east-1"
        url = endpoint_url or f"https://personalize.{region}.amazonaws.com"
        super().__init__(url, region=region, credentials=credentials.get_frozen_credentials(),
                         timeout=timeout, name="aws")
