"""Thread safety smoke test: many clients at once, in-process and over HTTP."""
from __future__ import annotations

import threading

import boto3
from botocore.config import Config

from personalize_conformance.emulator import Emulator, serve

from .helpers import Client

THREADS = 8
PER_THREAD = 25


def test_concurrent_creates_lists_and_describes_in_process():
    emulator = Emulator(quotas=False)   # 200 dataset groups: far past the five a region holds
    errors: list[BaseException] = []
    start = threading.Barrier(THREADS)

    def worker(n: int) -> None:
        client = Client(emulator)
        try:
            start.wait()
            for i in range(PER_THREAD):
                arn = client.ok("CreateDatasetGroup", name=f"t{n}-{i}")["datasetGroupArn"]
                client.ok("DescribeDatasetGroup", datasetGroupArn=arn)
                client.ok("ListDatasetGroups", maxResults=5)
            # Everyone races for one name: exactly one wins per round.
            client.call("CreateDatasetGroup", name="contested")
        except BaseException as exc:   # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors[0]
    names = []
    token = None
    client = Client(emulator)
    while True:
        page = client.ok("ListDatasetGroups", **({"nextToken": token} if token else {}))
        names += [g["name"] for g in page["datasetGroups"]]
        token = page.get("nextToken")
        if not token:
            break
    assert len(names) == THREADS * PER_THREAD + 1
    assert len(set(names)) == len(names)


def test_concurrent_boto3_clients_over_http():
    server = serve(port=0, timing="immediate")
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            p = boto3.client("personalize", endpoint_url=server.url, region_name="us-east-1",
                             aws_access_key_id="testing", aws_secret_access_key="testing",
                             config=Config(retries={"max_attempts": 1}))
            for i in range(10):
                arn = p.create_schema(name=f"s{n}-{i}",
                                      schema='{"type":"record","fields":[]}')["schemaArn"]
                assert p.describe_schema(schemaArn=arn)["schema"]["name"] == f"s{n}-{i}"
        except BaseException as exc:
            errors.append(exc)

    try:
        threads = [threading.Thread(target=worker, args=(n,)) for n in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not errors, errors[0]
        assert len(Client(server.emulator).ok("ListSchemas")["schemas"]) == 60
    finally:
        server.shutdown()
