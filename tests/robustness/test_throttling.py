"""Throttling is retried with botocore's standard policy and, if it persists, reported as
UNAVAILABLE - never as non-conformance. Nothing else is retried."""
from __future__ import annotations

import json

import pytest

from personalize_conformance.emulator import Emulator
from personalize_conformance.runner.records import RunResult
from personalize_conformance.runner.stateless import Explorer
from personalize_conformance.runner.verdicts import matrix
from personalize_conformance.checks import CHECKS
from personalize_conformance.specs import load_spec
from personalize_conformance.strategies import Case
from personalize_conformance.targets.aws import AwsTarget
from personalize_conformance.targets.http import HttpTarget
from personalize_conformance.targets.retry import ThrottlingRetry

from tests.safety.fakeaws import ACCESS_KEY

from .broken import BrokenServer, proxy, response

THROTTLED = {
    "HTTP 429": lambda: response(429, b"", {"Content-Type": "text/plain"}),
    "ThrottlingException": lambda: response(
        400, json.dumps({"__type": "ThrottlingException", "message": "Rate exceeded"}).encode()),
    "bare HTTP 503": lambda: response(503, b"<html>Service Unavailable</html>", {"Content-Type": "text/html"}),
}


class Sleeps(list):
    def __call__(self, seconds):
        self.append(seconds)


def _retry(sleeps, attempts=3):
    return ThrottlingRetry(max_attempts=attempts, random=lambda: 1.0, sleep=sleeps)


def _throttling_then(emulator, times: int, throttled):
    """Throttle the first `times` requests of every operation, then answer like `emulator`."""
    seen: dict = {}
    emulate = proxy(emulator)

    def respond(req):
        seen[req.operation] = seen.get(req.operation, 0) + 1
        return throttled() if seen[req.operation] <= times else emulate(req)
    return respond


@pytest.mark.parametrize("kind", list(THROTTLED))
def test_a_throttled_request_is_sent_again_after_botocores_backoff(kind):
    sleeps = Sleeps()
    with BrokenServer(_throttling_then(Emulator(), 2, THROTTLED[kind])) as server:
        target = HttpTarget(server.url, timeout=2, retry=_retry(sleeps))
        answer = target.send("ListSchemas", b"{}")
        target.close()
    assert answer.status == 200
    assert server.operations() == ["ListSchemas"] * 3
    # ExponentialBackoff with full jitter at its maximum: 1 s, then 2 s (base 2, throttling scale 1).
    assert sleeps == [1.0, 2.0]
    assert target.retry.stats.retries == 2


def test_the_backoff_is_capped_at_max_backoff():
    sleeps = Sleeps()
    with BrokenServer(_throttling_then(Emulator(), 4, THROTTLED["HTTP 429"])) as server:
        retry = ThrottlingRetry(max_attempts=5, max_backoff=1.5, random=lambda: 1.0, sleep=sleeps)
        target = HttpTarget(server.url, timeout=2, retry=retry)
        assert target.send("ListSchemas", b"{}").status == 200
        target.close()
    assert sleeps == [1.0, 1.5, 1.5, 1.5]


@pytest.mark.parametrize("kind", list(THROTTLED))
def test_persistent_throttling_is_unavailable_never_a_failure(kind):
    sleeps = Sleeps()
    spec = load_spec()
    with BrokenServer(lambda req: THROTTLED[kind]()) as server:
        target = HttpTarget(server.url, timeout=2, retry=_retry(sleeps))
        records = Explorer(target, spec, 3).explore(
            "ListSchemas", __import__("hypothesis").strategies.just(Case.from_params("ListSchemas", {})), 1)
        target.close()
    outcomes = {f.outcome for r in records for f in r.findings}
    assert outcomes == {"unavailable"}
    assert any("throttled" in f.message for r in records for f in r.findings)
    assert len(server.requests) == 3  # one case, botocore's three attempts, then the operation stops
    result = RunResult("t", "x", "", "", "", 1, {"ListSchemas": spec.operation("ListSchemas")}, records)
    assert matrix(result, list(CHECKS))["ListSchemas"]["status"] == "UNAVAILABLE"


@pytest.mark.parametrize("status,body", [
    (500, {"__type": "InternalFailure", "message": "boom"}),
    (400, {"__type": "LimitExceededException", "message": "quota"}),
    (502, {}),
])
def test_answers_that_are_not_throttling_are_never_retried(status, body):
    sleeps = Sleeps()
    with BrokenServer(lambda req: response(status, json.dumps(body).encode())) as server:
        target = HttpTarget(server.url, timeout=2, retry=_retry(sleeps))
        assert target.send("ListSchemas", b"{}").status == status
        target.close()
    assert len(server.requests) == 1 and sleeps == []


def test_the_aws_target_retries_throttling_the_same_way(fake_aws_env):
    sleeps = Sleeps()
    with BrokenServer(_throttling_then(Emulator(), 1, THROTTLED["ThrottlingException"])) as server:
        target = AwsTarget(allow_aws=True, endpoint_url=server.url, timeout=2, retry=_retry(sleeps))
        assert target.send("ListSchemas", b"{}").status == 200
        target.close()
    assert len(server.requests) == 2 and sleeps == [1.0]
    # Each attempt is signed afresh with the credential chain's key.
    assert all(ACCESS_KEY in r.headers["authorization"] for r in server.requests)
