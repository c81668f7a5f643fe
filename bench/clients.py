"""boto3 clients for the benchmarks, over HTTP or in-process, all with local test credentials."""
from __future__ import annotations

import json

AVRO_SCHEMA = json.dumps({
    "type": "record", "name": "Interactions", "namespace": "com.amazonaws.personalize.schema",
    "fields": [{"name": "USER_ID", "type": "string"}, {"name": "ITEM_ID", "type": "string"},
               {"name": "TIMESTAMP", "type": "long"}], "version": "1.0"})


def boto3_client(endpoint_url: str | None = None):
    import boto3
    from botocore.config import Config
    return boto3.client("personalize", region_name="us-east-1", endpoint_url=endpoint_url,
                        aws_access_key_id="testing", aws_secret_access_key="testing",
                        config=Config(retries={"max_attempts": 1, "mode": "standard"}))


def emulator_boto3_client(emulator):
    """A boto3 client whose requests `emulator.handle` answers in-process, as mock_aws does for moto
    (the harness's own hook, on a client that never retries: a retry would count twice)."""
    from personalize_conformance.targets.clients import EMULATOR_IN_PROCESS_URL, answered_by
    client = boto3_client(EMULATOR_IN_PROCESS_URL)
    client.meta.events.register_first("before-send.personalize", answered_by(emulator))
    return client


def create_schema(client, name: str = "bench-schema") -> str:
    """The ARN of a schema made for Describe calls to find."""
    return client.create_schema(name=name, schema=AVRO_SCHEMA)["schemaArn"]
