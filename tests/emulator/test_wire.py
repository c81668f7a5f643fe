"""AWS JSON 1.1 on the wire: content type, request ids, error shape, framework errors."""
from __future__ import annotations

import http.client
import json
import re

import pytest

from personalize_conformance.emulator import Emulator, serve

from .helpers import JSON_11, Client, headers_for

UUID4 = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")


def test_success_is_json_11_with_a_request_id(fast):
    reply = fast.call("ListDatasetGroups")
    assert reply.status == 200
    assert reply.headers["content-type"] == JSON_11
    assert UUID4.fullmatch(reply.headers["x-amzn-requestid"])
    assert int(reply.headers["content-length"]) == len(reply.body)
    assert reply.data == {"datasetGroups": []}


def test_every_reply_has_its_own_request_id(fast):
    ids = {fast.call("ListSchemas").headers["x-amzn-requestid"] for _ in range(5)}
    assert len(ids) == 5


def test_error_shape_names_the_type_in_body_and_header(fast):
    reply = fast.call("DescribeDatasetGroup",
                      datasetGroupArn="arn:aws:personalize:us-east-1:123456789012:dataset-group/x")
    assert reply.status == 400
    assert reply.headers["content-type"] == JSON_11
    assert reply.headers["x-amzn-errortype"] == "ResourceNotFoundException"
    assert UUID4.fullmatch(reply.headers["x-amzn-requestid"])
    assert set(reply.data) == {"__type", "message"}
    assert reply.data["__type"] == "ResourceNotFoundException"


@pytest.mark.parametrize("body", [b"{", b"[]", b'"text"', b"42", b"null", b"\xff\xfe{}",
                                  b'{"maxResults": NaN}', b'{"a": Infinity}'])
def test_malformed_or_non_object_body_is_a_serialization_exception(fast, body):
    reply = fast.raw("ListDatasetGroups", body)
    assert (reply.status, reply.code) == (400, "SerializationException")


@pytest.mark.parametrize("body", [b"", b"   ", b"{}"])
def test_empty_body_counts_as_an_empty_object(fast, body):
    assert fast.raw("ListDatasetGroups", body).status == 200


@pytest.mark.parametrize("target", ["AmazonPersonalize.NoSuchOperation", "AmazonPersonalize.",
                                    "AmazonPersonalizeEvents.PutEvents", "ListDatasetGroups", ""])
def test_unknown_target_is_an_unknown_operation_exception(fast, target):
    headers = headers_for("ListDatasetGroups")
    headers["X-Amz-Target"] = target
    reply = fast.raw("ListDatasetGroups", b"{}", headers)
    assert (reply.status, reply.code) == (400, "UnknownOperationException")


def test_missing_target_is_an_unknown_operation_exception(fast):
    headers = headers_for("ListDatasetGroups")
    del headers["X-Amz-Target"]
    assert fast.raw("ListDatasetGroups", b"{}", headers).code == "UnknownOperationException"


@pytest.mark.parametrize("content_type", ["application/x-amz-json-1.1",
                                          "application/x-amz-json-1.1; charset=utf-8",
                                          "application/json", "Application/JSON; charset=UTF-8"])
def test_accepted_content_types(fast, content_type):
    headers = headers_for("ListDatasetGroups")
    headers["Content-Type"] = content_type
    assert fast.raw("ListDatasetGroups", b"{}", headers).status == 200


@pytest.mark.parametrize("content_type", ["text/plain", "application/xml", None])
def test_other_content_types_are_rejected(fast, content_type):
    headers = headers_for("ListDatasetGroups")
    if content_type is None:
        del headers["Content-Type"]
    else:
        headers["Content-Type"] = content_type
    reply = fast.raw("ListDatasetGroups", b"{}", headers)
    assert (reply.status, reply.code) == (400, "SerializationException")


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"])
def test_methods_other_than_post_never_run_the_operation(fast, method):
    reply = fast.raw("CreateDatasetGroup", b'{"name": "never"}',
                     headers_for("CreateDatasetGroup"), method=method)
    assert reply.status == 405
    assert reply.headers["allow"] == "POST"
    assert reply.code == "UnknownOperationException"
    assert fast.ok("ListDatasetGroups")["datasetGroups"] == []


def test_header_names_are_case_insensitive(fast):
    headers = {k.lower(): v for k, v in headers_for("ListSchemas").items()}
    assert fast.raw("ListSchemas", b"{}", headers).status == 200
    headers = {k.upper(): v for k, v in headers_for("ListSchemas").items()}
    assert fast.raw("ListSchemas", b"{}", headers).status == 200


def test_operations_without_output_answer_an_empty_object(world):
    reply = world.c.call("DeleteCampaign", campaignArn=world.arns["campaign"])
    assert (reply.status, reply.body) == (200, b"{}")


def test_timestamps_are_epoch_second_numbers(fast):
    arn = fast.ok("CreateDatasetGroup", name="g")["datasetGroupArn"]
    group = fast.ok("DescribeDatasetGroup", datasetGroupArn=arn)["datasetGroup"]
    for member in ("creationDateTime", "lastUpdatedDateTime"):
        assert isinstance(group[member], float)
        assert group[member] > 1_600_000_000


def test_absent_optional_members_are_omitted_not_null(fast):
    arn = fast.ok("CreateDatasetGroup", name="g")["datasetGroupArn"]
    reply = fast.call("DescribeDatasetGroup", datasetGroupArn=arn)
    assert b"null" not in reply.body
    assert "domain" not in reply.data["datasetGroup"]
    assert "failureReason" not in reply.data["datasetGroup"]


def test_region_comes_from_the_credential_scope():
    client = Client(Emulator(timing="immediate"), region="eu-west-1")
    arn = client.ok("CreateDatasetGroup", name="g")["datasetGroupArn"]
    assert arn == "arn:aws:personalize:eu-west-1:123456789012:dataset-group/g"
    # Each region is its own namespace, as in AWS.
    assert Client(client.emulator, region="us-east-1").ok("ListDatasetGroups") == {
        "datasetGroups": []}


def test_constructor_account_and_region_win():
    client = Client(Emulator(account_id="111122223333", region="ap-south-1"), region="eu-west-1")
    arn = client.ok("CreateSchema", name="s", schema='{"type":"record","fields":[]}')["schemaArn"]
    assert arn == "arn:aws:personalize:ap-south-1:111122223333:schema/s"


def test_unsigned_requests_default_to_us_east_1(fast):
    headers = {"X-Amz-Target": "AmazonPersonalize.CreateDatasetGroup", "Content-Type": JSON_11}
    reply = fast.raw("CreateDatasetGroup", b'{"name":"g"}', headers)
    assert json.loads(reply.body)["datasetGroupArn"].startswith("arn:aws:personalize:us-east-1:")


def test_an_internal_bug_is_a_500_internal_failure_not_a_crash(fast, monkeypatch):
    def broken(call, params):
        raise RuntimeError("bug")
    monkeypatch.setitem(fast.emulator._handlers, "ListSchemas", broken)
    reply = fast.raw("ListSchemas", b"{}")
    assert (reply.status, reply.code) == (500, "InternalFailure")
    assert reply.data["__type"] == "InternalFailure"


# -- over HTTP ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def server():
    srv = serve(port=0, timing="immediate")
    yield srv
    srv.shutdown()


def connect(server) -> http.client.HTTPConnection:
    host, port = server.url.removeprefix("http://").split(":")
    return http.client.HTTPConnection(host, int(port), timeout=5)


def test_server_url_and_emulator(server):
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", server.url)
    assert isinstance(server.emulator, Emulator)


def test_server_keeps_the_connection_alive(server):
    conn = connect(server)
    for _ in range(3):
        conn.request("POST", "/", b"{}", headers_for("ListSchemas"))
        response = conn.getresponse()
        assert response.status == 200
        assert response.getheader("Content-Type") == JSON_11
        assert json.loads(response.read()) == {"schemas": []}
    conn.close()


def test_server_reads_chunked_bodies(server):
    conn = connect(server)
    conn.request("POST", "/", iter([b'{"maxResults"', b": 5}"]), headers_for("ListSchemas"),
                 encode_chunked=True)
    response = conn.getresponse()
    assert response.status == 200, response.read()
    response.read()
    conn.close()


def test_server_answers_head_without_a_body(server):
    conn = connect(server)
    conn.request("HEAD", "/", headers=headers_for("ListSchemas"))
    response = conn.getresponse()
    assert response.status == 405
    assert response.read() == b""
    conn.close()


def test_server_rejects_a_bad_content_length(server):
    conn = connect(server)
    conn.putrequest("POST", "/")
    for name, value in headers_for("ListSchemas").items():
        conn.putheader(name, value)
    conn.putheader("Content-Length", "abc")
    conn.endheaders()
    assert conn.getresponse().status == 400
    conn.close()


def test_shutdown_ends_kept_alive_connections():
    srv = serve(port=0)
    conn = connect(srv)
    conn.request("POST", "/", b"{}", headers_for("ListSchemas"))
    assert conn.getresponse().read()
    srv.shutdown()
    with pytest.raises((ConnectionError, http.client.HTTPException, OSError)):
        conn.request("POST", "/", b"{}", headers_for("ListSchemas"))
        conn.getresponse().read()


@pytest.mark.parametrize("method", ["TRACE", "QUERY", "BREW"])
def test_any_http_method_gets_a_json_error_from_the_server_never_an_html_501(method):
    import http.client

    from personalize_conformance.emulator import serve
    server = serve(port=0)
    try:
        conn = http.client.HTTPConnection(server.url.split("//", 1)[1], timeout=5)
        conn.request(method, "/")
        response = conn.getresponse()
        body = response.read()
    finally:
        server.shutdown()
    assert response.status == 405 and response.getheader("Content-Type") == "application/x-amz-json-1.1"
    assert b'"__type":"UnknownOperationException"' in body
