"""The shipped schemathesis hooks: routing, protocol headers, signing over the bytes sent, and the
same refusals as `run` (AWS only when allowed, paid work only when allowed)."""
import json
from types import SimpleNamespace

import pytest
import requests
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest

from personalize_conformance.targets import schemathesis_hooks as hooks
from personalize_conformance.targets.signing import LOCAL_CREDENTIALS


def _operation(name="DescribeSchema", declares_header=True):
    headers = [SimpleNamespace(name="X-Amz-Target")] if declares_header else []
    return SimpleNamespace(definition=SimpleNamespace(raw={"operationId": name,
                                                           "x-amz-target": f"AmazonPersonalize.{name}"}),
                           headers=headers, base_url="http://127.0.0.1:4566", path=f"/AmazonPersonalize.{name}")


def _case(operation, headers=None, body=None):
    return SimpleNamespace(operation=operation, path=operation.path, headers=headers, body=body)


def test_every_request_goes_to_post_root_with_the_protocol_headers_and_a_signer():
    case = _case(_operation(declares_header=False), body={"schemaArn": "arn:aws:personalize:::schema/x"})
    kwargs = {}
    hooks.before_call(None, case, kwargs)
    assert case.path == "/"
    assert case.headers == {"X-Amz-Target": "AmazonPersonalize.DescribeSchema",
                            "Content-Type": "application/x-amz-json-1.1"}
    assert isinstance(kwargs["auth"], hooks.SigV4)
    assert kwargs["auth"].credentials is LOCAL_CREDENTIALS


def test_a_declared_target_header_is_left_to_schemathesis_even_when_it_breaks_it_on_purpose():
    case = _case(_operation(), headers={"X-Amz-Target": "not-a-target", "Content-Type": "text/plain"})
    hooks.before_call(None, case, {})
    assert case.headers == {"X-Amz-Target": "not-a-target", "Content-Type": "text/plain"}


def test_the_signature_covers_the_bytes_requests_sends_and_replaces_any_stale_one():
    body = json.dumps({"name": "x"}).encode()
    prepared = requests.Request("POST", "http://127.0.0.1:4566/", data=body, headers={
        "X-Amz-Target": "AmazonPersonalize.CreateSchema", "Content-Type": "application/x-amz-json-1.1",
        "Authorization": "generated", "X-Amz-Date": "19700101T000000Z"}).prepare()
    hooks.SigV4(LOCAL_CREDENTIALS, "eu-west-1")(prepared)
    authorization = prepared.headers["Authorization"]
    assert authorization.startswith("AWS4-HMAC-SHA256 Credential=testing/")
    assert "/eu-west-1/personalize/aws4_request" in authorization
    assert prepared.headers["X-Amz-Date"] != "19700101T000000Z"
    # botocore, given the same request at the same instant, computes the same signature
    again = AWSRequest(method="POST", url="http://127.0.0.1:4566/", data=body, headers={
        k: v for k, v in prepared.headers.items() if k.lower() not in ("authorization",)})
    again.context["timestamp"] = prepared.headers["X-Amz-Date"]
    signer = SigV4Auth(LOCAL_CREDENTIALS, "personalize", "eu-west-1")
    signature = signer.signature(signer.string_to_sign(again, signer.canonical_request(again)), again)
    assert authorization.endswith(f"Signature={signature}")
    tampered = AWSRequest(method="POST", url="http://127.0.0.1:4566/", data=body + b" ", headers=dict(again.headers))
    tampered.context["timestamp"] = prepared.headers["X-Amz-Date"]
    assert not authorization.endswith(
        signer.signature(signer.string_to_sign(tampered, signer.canonical_request(tampered)), tampered))


def test_aws_endpoints_are_refused_unless_allowed(monkeypatch):
    monkeypatch.delenv(hooks.ALLOW_AWS, raising=False)
    with pytest.raises(hooks.HookRefused, match=hooks.ALLOW_AWS):
        hooks.signer_for("https://personalize.us-west-2.amazonaws.com", "ListSchemas", None)


def test_paid_work_on_aws_is_refused_unless_allowed_too(monkeypatch):
    monkeypatch.setenv(hooks.ALLOW_AWS, "1")
    monkeypatch.delenv(hooks.ALLOW_BILLABLE, raising=False)
    with pytest.raises(hooks.HookRefused, match=hooks.ALLOW_BILLABLE):
        hooks.signer_for("https://personalize.us-west-2.amazonaws.com", "CreateSolutionVersion", b"{}")


def test_aws_signs_with_the_credential_chain_in_the_endpoints_region(monkeypatch):
    monkeypatch.setenv(hooks.ALLOW_AWS, "1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")
    signer = hooks.signer_for("https://personalize.us-west-2.amazonaws.com", "ListSchemas", None)
    assert (signer.credentials.access_key, signer.region) == ("AKIDEXAMPLE", "us-west-2")


def test_json_1_1_answers_are_read_as_json():
    assert hooks._json_1_1(None, SimpleNamespace(content=b'{"schemas": []}')) == {"schemas": []}
