"""`targets.clients.boto3_client`: a boto3 client that reaches each kind of target, and only it."""
from __future__ import annotations

import pytest

from personalize_conformance.emulator import serve
from personalize_conformance.targets import NotSent, make_target
from personalize_conformance.targets.clients import boto3_client

from tests.emulator.helpers import SCHEMA
from tests.safety.fakeaws import fake_aws_env  # noqa: F401 - fixture

KINDS = ["emulator", "emulator-server", "moto", "moto-server", "url"]


@pytest.fixture
def target(request):
    if request.param == "url":
        server = serve(port=0, timing="immediate")
        made = make_target(server.url)
        yield made
        made.close()
        server.shutdown()
        return
    made = make_target(request.param)
    yield made
    made.close()


def _schema_names(target) -> set[str]:
    """What the target itself says exists, asked through the harness's own wire path."""
    import json
    response = target.send("ListSchemas", b"{}")
    assert response.status == 200, response.body[:300]
    return {s["name"] for s in json.loads(response.body)["schemas"]}


@pytest.mark.parametrize("target", KINDS, indirect=True)
def test_a_schema_created_through_the_client_is_on_the_target(target):
    client = boto3_client(target)
    arn = client.create_schema(name="pc-client-schema", schema=SCHEMA)["schemaArn"]
    assert client.describe_schema(schemaArn=arn)["schema"]["name"] == "pc-client-schema"
    assert "pc-client-schema" in _schema_names(target)  # the same target, not a private copy
    client.delete_schema(schemaArn=arn)
    assert "pc-client-schema" not in _schema_names(target)


def test_an_error_of_the_target_is_the_clients_modelled_exception():
    target = make_target("emulator")
    client = boto3_client(target)
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.describe_schema(schemaArn="arn:aws:personalize:us-east-1:123456789012:schema/missing")


def test_an_aws_client_refuses_billable_work_before_sending_without_allow_billable(fake_aws_env):  # noqa: F811
    with serve(port=0, timing="immediate") as server:
        target = make_target("aws", allow_aws=True, endpoint_url=server.url)
        client = boto3_client(target)
        assert client.list_schemas()["schemas"] == []  # the credential chain's keys, the given endpoint
        with pytest.raises(NotSent, match="CreateCampaign.*--allow-billable"):  # raised before sending
            client.create_campaign(name="pc-billable", solutionVersionArn="arn:aws:personalize:us-east-1:"
                                   "123456789012:solution/s/1")
        with pytest.raises(NotSent, match="CreateSolution"):
            client.create_solution(name="pc-auto", datasetGroupArn="arn:aws:personalize:us-east-1:"
                                   "123456789012:dataset-group/g")  # performAutoTraining defaults to true
        allowed = boto3_client(make_target("aws", allow_aws=True, allow_billable=True, endpoint_url=server.url))
        with pytest.raises(allowed.exceptions.ResourceNotFoundException):  # sent: the emulator answers
            allowed.create_campaign(name="pc-billable", solutionVersionArn="arn:aws:personalize:us-east-1:"
                                    "123456789012:solution/s/1")


def test_a_target_kind_without_a_client_is_named():
    class Odd:
        name = "odd"

    with pytest.raises(TypeError, match="Odd"):
        boto3_client(Odd())
