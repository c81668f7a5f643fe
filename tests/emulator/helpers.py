"""Test helpers: drive an ``Emulator`` in-process and build resource chains.

Every reply that passes through ``Client`` is also checked for protocol conformance: a 200
body must satisfy the operation's output shape, and an error must be one the operation
declares or a framework-level error. So every test doubles as a conformance check.
"""
from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from typing import Any

from personalize_conformance.emulator import model
from personalize_conformance.emulator.validation import shape_checker

JSON_11 = "application/x-amz-json-1.1"
FRAMEWORK_ERRORS = frozenset({"SerializationException", "ValidationException",
                              "UnknownOperationException", "InternalFailure"})
ROLE = "arn:aws:iam::123456789012:role/personalize"
RECIPE = "arn:aws:personalize:::recipe/"
SCHEMA = json.dumps({
    "type": "record", "name": "Interactions", "namespace": "com.amazonaws.personalize.schema",
    "fields": [{"name": "USER_ID", "type": "string"}, {"name": "ITEM_ID", "type": "string"},
               {"name": "TIMESTAMP", "type": "long"}],
    "version": "1.0"})


def headers_for(operation: str, region: str = "us-east-1") -> dict[str, str]:
    return {
        "X-Amz-Target": f"AmazonPersonalize.{operation}",
        "Content-Type": JSON_11,
        "Authorization": (f"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/{region}/"
                          f"personalize/aws4_request, SignedHeaders=host, Signature=0"),
    }


# The model types these members as Personalize ARNs, yet they hold the IAM role the job was
# given, as the service answers (emulator/ops/creates.py, MODEL_ROLE_ARN).
MODEL_ROLE_ARN = {"DescribeDatasetImportJob": "datasetImportJob",
                  "DescribeDatasetExportJob": "datasetExportJob"}
IAM_ROLE = re.compile(r"arn:aws:iam::\d{12}:role/")
# An unnamed solution version is named "<solution name>/<version id>", as AWS answers, which the
# model's Name pattern does not allow (specs/patches.py, solution-version-names).
VERSION_NAME = re.compile(r"[a-zA-Z0-9][a-zA-Z0-9\-_]*(/[a-z0-9]+)?")


@functools.lru_cache(maxsize=None)
def output_checker(operation: str):
    shape = model.output_shape(operation)
    return shape_checker(shape) if shape is not None else None


@dataclass
class Reply:
    status: int
    headers: dict[str, str]   # lower-case names
    body: bytes

    @property
    def data(self) -> Any:
        return json.loads(self.body)

    @property
    def code(self) -> str | None:
        return self.headers.get("x-amzn-errortype")


class Client:
    def __init__(self, emulator, region: str = "us-east-1", conformance: bool = True):
        self.emulator = emulator
        self.region = region
        self.conformance = conformance

    def raw(self, operation: str, body: bytes, headers: dict | None = None,
            method: str = "POST") -> Reply:
        status, out, payload = self.emulator.handle(
            method, "/", headers if headers is not None else headers_for(operation, self.region),
            body)
        return Reply(status, {k.lower(): v for k, v in out.items()}, payload)

    def call(self, operation: str, **params) -> Reply:
        reply = self.raw(operation, json.dumps(params).encode())
        if self.conformance:
            self._conforms(operation, reply)
        return reply

    def _conforms(self, operation: str, reply: Reply) -> None:
        assert reply.status < 500, (operation, reply.body)
        if reply.status == 200:
            checker = output_checker(operation)
            data = reply.data
            if operation in MODEL_ROLE_ARN and "roleArn" in data[MODEL_ROLE_ARN[operation]]:
                assert IAM_ROLE.match(data[MODEL_ROLE_ARN[operation]].pop("roleArn"))
            if operation == "DescribeSolutionVersion":
                assert VERSION_NAME.fullmatch(data["solutionVersion"].pop("name"))
            if checker is not None:
                checker(data)
            else:
                assert reply.data == {}
        else:
            allowed = model.declared_errors(operation) | FRAMEWORK_ERRORS
            assert reply.code in allowed, (operation, reply.code, reply.body)

    def ok(self, operation: str, **params) -> dict:
        reply = self.call(operation, **params)
        assert reply.status == 200, (operation, reply.body)
        return reply.data

    def error(self, operation: str, **params) -> str:
        reply = self.call(operation, **params)
        assert reply.status == 400, (operation, reply.status, reply.body)
        assert reply.data["__type"] == reply.code
        return reply.code

    def describe(self, operation: str, key: str, arn_member: str, arn: str) -> dict:
        return self.ok(operation, **{arn_member: arn})[key]

    def status(self, suffix: str, arn: str) -> str:
        """One Describe<suffix> call; the resource's status."""
        op = f"Describe{suffix}"
        (arn_member,) = model.input_members(op)
        (key,) = model.output_shape(op).members
        return self.ok(op, **{arn_member: arn})[key]["status"]

    def wait(self, suffix: str, arn: str, status: str = "ACTIVE", tries: int = 10) -> dict:
        """Describe<suffix> until ``status`` (the describes:N timing needs a few calls)."""
        op = f"Describe{suffix}"
        (arn_member,) = model.input_members(op)
        (key,) = model.output_shape(op).members
        seen = []
        for _ in range(tries):
            item = self.ok(op, **{arn_member: arn})[key]
            seen.append(item.get("status"))
            if item.get("status") == status:
                return item
        raise AssertionError(f"{arn} never reached {status}: {seen}")

    def wait_gone(self, suffix: str, arn: str, tries: int = 10) -> list[str]:
        op = f"Describe{suffix}"
        (arn_member,) = model.input_members(op)
        (key,) = model.output_shape(op).members
        seen = []
        for _ in range(tries):
            reply = self.call(op, **{arn_member: arn})
            if reply.status == 400:
                assert reply.code == "ResourceNotFoundException"
                return seen
            seen.append(reply.data[key]["status"])
        raise AssertionError(f"{arn} was never removed: {seen}")


class World:
    """Builds resource chains through the API, waiting for each parent to be ACTIVE."""

    def __init__(self, client: Client):
        self.c = client
        self.arns: dict[str, str] = {}

    def group(self, name="group", domain=None, **extra) -> str:
        params = {"name": name, **extra}
        if domain:
            params["domain"] = domain
        arn = self.c.ok("CreateDatasetGroup", **params)["datasetGroupArn"]
        self.c.wait("DatasetGroup", arn)
        return arn

    def schema(self, name="schema", domain=None) -> str:
        params = {"name": name, "schema": SCHEMA}
        if domain:
            params["domain"] = domain
        return self.c.ok("CreateSchema", **params)["schemaArn"]

    def dataset(self, group, schema, name="interactions", dataset_type="Interactions") -> str:
        arn = self.c.ok("CreateDataset", name=name, schemaArn=schema, datasetGroupArn=group,
                        datasetType=dataset_type)["datasetArn"]
        self.c.wait("Dataset", arn)
        return arn

    def import_job(self, dataset, name="import") -> str:
        arn = self.c.ok("CreateDatasetImportJob", jobName=name, datasetArn=dataset,
                        dataSource={"dataLocation": "s3://bucket/interactions.csv"},
                        roleArn=ROLE)["datasetImportJobArn"]
        self.c.wait("DatasetImportJob", arn)
        return arn

    def solution(self, group, name="solution", recipe="aws-user-personalization") -> str:
        arn = self.c.ok("CreateSolution", name=name, datasetGroupArn=group,
                        recipeArn=RECIPE + recipe)["solutionArn"]
        self.c.wait("Solution", arn)
        return arn

    def version(self, solution) -> str:
        arn = self.c.ok("CreateSolutionVersion", solutionArn=solution)["solutionVersionArn"]
        self.c.wait("SolutionVersion", arn)
        return arn

    def campaign(self, version, name="campaign") -> str:
        arn = self.c.ok("CreateCampaign", name=name, solutionVersionArn=version)["campaignArn"]
        self.c.wait("Campaign", arn)
        return arn

    def filter(self, group, name="filter") -> str:
        arn = self.c.ok("CreateFilter", name=name, datasetGroupArn=group,
                        filterExpression='EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("x")'
                        )["filterArn"]
        self.c.wait("Filter", arn)
        return arn

    def recommender(self, group, name="recommender",
                    recipe="aws-ecomm-recommended-for-you") -> str:
        arn = self.c.ok("CreateRecommender", name=name, datasetGroupArn=group,
                        recipeArn=RECIPE + recipe)["recommenderArn"]
        self.c.wait("Recommender", arn)
        return arn

    def build(self) -> "World":
        """Every kind once: a custom group chain and a domain group with a recommender."""
        a = self.arns
        a["group"] = self.group("custom")
        a["schema"] = self.schema("interactions-schema")
        a["dataset"] = self.dataset(a["group"], a["schema"])
        a["import"] = self.import_job(a["dataset"])
        a["export"] = self.c.ok("CreateDatasetExportJob", jobName="export", datasetArn=a["dataset"],
                                roleArn=ROLE, jobOutput={"s3DataDestination": {
                                    "path": "s3://bucket/export/"}})["datasetExportJobArn"]
        a["solution"] = self.solution(a["group"])
        a["version"] = self.version(a["solution"])
        a["campaign"] = self.campaign(a["version"])
        a["filter"] = self.filter(a["group"])
        tracker = self.c.ok("CreateEventTracker", name="tracker", datasetGroupArn=a["group"])
        a["tracker"] = tracker["eventTrackerArn"]
        a["attribution"] = self.c.ok(
            "CreateMetricAttribution", name="attribution", datasetGroupArn=a["group"],
            metrics=[{"eventType": "click", "metricName": "clicks",
                      "expression": "SAMPLECOUNT()"}],
            metricsOutputConfig={"roleArn": ROLE})["metricAttributionArn"]
        io = {"jobInput": {"s3DataSource": {"path": "s3://bucket/in.json"}},
              "jobOutput": {"s3DataDestination": {"path": "s3://bucket/out/"}}, "roleArn": ROLE}
        a["batch-inference"] = self.c.ok("CreateBatchInferenceJob", jobName="batch",
                                         solutionVersionArn=a["version"],
                                         **io)["batchInferenceJobArn"]
        a["segment-solution"] = self.solution(a["group"], name="segments",
                                              recipe="aws-item-affinity")
        a["segment-version"] = self.version(a["segment-solution"])
        a["batch-segment"] = self.c.ok("CreateBatchSegmentJob", jobName="segments",
                                       solutionVersionArn=a["segment-version"],
                                       **io)["batchSegmentJobArn"]
        a["deletion"] = self.c.ok("CreateDataDeletionJob", jobName="forget",
                                  datasetGroupArn=a["group"], roleArn=ROLE,
                                  dataSource={"dataLocation": "s3://bucket/users.csv"}
                                  )["dataDeletionJobArn"]
        a["domain-group"] = self.group("shop", domain="ECOMMERCE")
        a["recommender"] = self.recommender(a["domain-group"])
        return self
