"""Reproductions: a reader pastes them, so they must send what the case sent and no credential."""
import shlex
import subprocess

from personalize_conformance.reporting.repro import boto3_snippet, curl
from personalize_conformance.strategies import Case


def _printf_output(command: str) -> bytes:
    printf = command.split(" | curl ", 1)[0]
    return subprocess.run(["sh", "-c", printf], capture_output=True, check=True).stdout


def test_curl_sends_a_body_that_is_not_utf8_byte_for_byte():
    body = b'{"name":"\xff\x00%\\\'q"}\n'
    command = curl(Case("CreateSchema", body), "http://127.0.0.1:9")
    assert "--data-binary @-" in command
    assert _printf_output(command) == body


def test_curl_sends_a_utf8_body_as_one_quoted_argument():
    body = '{"name":"é \'q\'"}'.encode()
    argv = shlex.split(curl(Case("CreateSchema", body), "http://127.0.0.1:9"))
    assert argv[argv.index("--data-binary") + 1].encode() == body


def test_curl_removes_a_header_the_case_removed():
    argv = shlex.split(curl(Case("CreateSchema", b"{}", headers={"Content-Type": None}), "http://127.0.0.1:9"))
    headers = [argv[i + 1] for i, a in enumerate(argv) if a == "-H"]
    assert "Content-Type:" in headers
    assert not any(h.startswith("Content-Type: ") for h in headers)


def test_no_reproduction_carries_a_credential_the_case_overrode():
    case = Case("CreateSchema", b"{}", headers={"Authorization": "AWS4-HMAC-SHA256 Credential=AKIDSECRET/x",
                                                "X-Amz-Security-Token": "TOKENSECRET"})
    for text in (curl(case, "http://127.0.0.1:9"), boto3_snippet(case, "http://127.0.0.1:9")):
        assert "AKIDSECRET" not in text and "TOKENSECRET" not in text
        assert "<redacted>" in text


def test_boto3_snippet_deletes_a_header_the_case_removed():
    snippet = boto3_snippet(Case("CreateSchema", b"{}", headers={"Content-Type": None}), "http://127.0.0.1:9")
    assert "del request.headers['Content-Type']" in snippet
    compile(snippet, "snippet", "exec")
