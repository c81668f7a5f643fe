"""boto3 clients for the benchmarks, over HTTP or in-process, all with local test credentials."""
from __future__ import annotations

import json

AVRO_SCHEMA = json.dumps({
    "type": "record", "name": "Interactions", "namespace": "com.amazonaws.personalize.schema",
    "fields": [{"name": "USER_ID", "type": "string"}, {"name": "ITEM_ID", "type": "string"},
               {"name": "TIMESTAMP", "type": "long"}], "version": "1.0"})
# An endpoint no stub but the emulator's own claims: mock_aws leaves it alone when both are active.
EMULATOR_IN_PROCESS_URL = "https://personalize.emulator.invalid"


def boto3_client(endpoint_url: str | None = None):
    import boto3
    from botocore.config import Config
    return boto3.client("personalize", region_name="us-east-1", endpoint_url=endpoint_url,
                        aws_access_key_id="testing", aws_secret_access_key="testing",
                        config=Config(retries={"max_attempts": 1, "mode": "standard"}))


class _Raw:
    def __init__(self, body: bytes):
        self._body = body

    def stream(self, **_):
        yield self._body


def emulator_boto3_client(emulator):
    """A boto3 client whose requests `emulator.handle` answers in-process, as mock_aws does for moto."""
    from botocore.awsrequest import AWSResponse
    client = boto3_client(EMULATOR_IN_PROCESS_URL)

    def answer(request, **_):
        body = request.body or b""
        if not isinstance(body, bytes):
            body = body.encode("utf-8") if isinstance(body, str) else body.read()
        headers = {k: v.decode("latin-1") if isinstance(v, bytes) else v for k, v in request.headers.items()}
        status, headers, payload = emulator.handle(request.method, "/", headers, body)
        return AWSResponse(request.url, status, headers, _Raw(payload))

    client.meta.events.register_first("before-send.personalize", answer)
    return client


def create_schema(client, name: str = "bench-schema") -> str:
    """The ARN of a schema made for Describe calls to find."""
    return client.create_schema(name=name, schema=AVRO_SCHEMA)["schemaArn"]
